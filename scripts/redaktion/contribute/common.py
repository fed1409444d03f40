"""What ``new`` and ``import`` share: checking where a contribution goes, naming and writing it."""

from __future__ import annotations

import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import jinja2
import yaml

from ..model import slugify
from ..source.load import CONTENT_DIR
from ..model import CONTRIBUTION_KINDS, Author, Corpus
from ..model.errors import UnknownMember, UnknownPaper, UsageError, suggest

MAX_SLUG_LENGTH = 50
_EMAIL_IN_NAME = re.compile(r"^\s*(?P<name>[^<>]*?)\s*<(?P<email>[^<>@\s]+@[^<>@\s]+)>\s*$")


class ContributeError(UsageError):
    """A request that cannot be fulfilled: German message plus a hint what to do (exit code 2)."""


@dataclass(frozen=True)
class Target:
    """Where a new contribution goes and what its front matter says."""

    paper: str
    section: str
    kind: str
    members: tuple[str, ...]
    title: str
    authors: tuple[Author, ...] = ()
    slug: str = ""  # derived from the title when empty


def validate_target(corpus: Corpus, target: Target, need_title: bool = True) -> None:
    """Raise :class:`ContributeError` with a suggestion for any unknown paper, section, kind or member."""
    paper = corpus.papers.get(target.paper)
    if paper is None:
        raise UnknownPaper(target.paper, corpus.papers)
    sections = [s.id for s in paper.outline]
    if target.section not in sections:
        raise ContributeError(f"Den Abschnitt „{target.section}“ gibt es im Papier „{paper.id}“ nicht.",
                              _choices_hint(target.section, sections))
    if target.kind not in CONTRIBUTION_KINDS:
        raise ContributeError(f"„{target.kind}“ ist keine Beitragsart.",
                              _choices_hint(target.kind, CONTRIBUTION_KINDS))
    if not target.members:
        raise ContributeError("Es fehlt das Mitglied, das den Beitrag einreicht.",
                              "Geben Sie es mit --member an, z. B. --member stuttgart.")
    for member in target.members:
        if member not in corpus.members:
            raise UnknownMember(member, corpus.members)
    if need_title and not target.title.strip():
        raise ContributeError("Der Titel ist leer.", "Geben Sie ihn mit --title „…“ an.")


def make_slug(title: str) -> str:
    """The file name part after ``--``: the title as ASCII words, cut at a word boundary."""
    slug = slugify(title)
    if len(slug) > MAX_SLUG_LENGTH:
        slug = slug[:MAX_SLUG_LENGTH].rsplit("-", 1)[0]
    return slug


def parse_authors(values: list[str] | tuple[str, ...]) -> tuple[Author, ...]:
    """Names from ``--authors`` (comma or semicolon separated; ``Name <mail@…>`` keeps the address)."""
    authors = []
    for value in values:
        for part in re.split(r"[;,]", value):
            if not part.strip():
                continue
            match = _EMAIL_IN_NAME.match(part)
            if match and match.group("name"):
                authors.append(Author(match.group("name"), match.group("email")))
            elif "@" in part:
                raise ContributeError(f"„{part.strip()}“ sieht wie eine E-Mail-Adresse aus, nicht wie ein Name.",
                                      "Schreiben Sie „Vorname Nachname <adresse@example.org>“; die Adresse "
                                      "bleibt intern.")
            else:
                authors.append(Author(part.strip()))
    return tuple(authors)


def contribution_path(corpus: Corpus, target: Target) -> Path:
    """``contributions/<paper>/<first member>--<slug>.md``; refuses existing files and slugs."""
    slug = target.slug or make_slug(target.title)
    if not re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", slug):
        raise ContributeError(f"Der Kurzname „{slug}“ ist nicht erlaubt.",
                              "Verwenden Sie nur a–z, 0–9 und Bindestriche, z. B. --slug elternlotsen.")
    path = corpus.root / CONTENT_DIR / target.paper / f"{target.members[0]}--{slug}.md"
    if path.exists():
        raise ContributeError(f"Die Datei {_rel(corpus, path)} gibt es schon; sie wird nicht überschrieben.",
                              "Wählen Sie einen anderen Titel oder einen Kurznamen mit --slug.")
    for other in corpus.contributions_of(target.paper):
        if other.slug == slug:
            raise ContributeError(f"Der Kurzname „{slug}“ wird im Papier „{target.paper}“ schon von "
                                  f"{other.path.name} verwendet.",
                                  "Wählen Sie einen anderen Kurznamen mit --slug (er muss im Papier eindeutig sein).")
    return path


def render_contribution(target: Target, submitted: str, body: str) -> str:
    """The complete file: front matter from the template plus ``body``."""
    return render_template("beitrag.md", paper=target.paper, section=target.section, kind=target.kind,
                           title=target.title.strip(), members=target.members, authors=target.authors,
                           submitted=submitted, body=body.strip())


def render_template(name: str, **values: object) -> str:
    """Render one of the templates shipped in ``contribute/templates/``."""
    source = resources.files(__package__).joinpath("templates", name).read_text(encoding="utf-8")
    return _environment().from_string(source).render(**values)


def write_new(path: Path, text: str) -> None:
    """Create ``path`` with ``text``; never overwrite an existing file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("x", encoding="utf-8", newline="\n") as handle:
        handle.write(text)


def yaml_scalar(value: object) -> str:
    """A YAML scalar for one line of front matter, quoted only when needed."""
    text = yaml.safe_dump(value, allow_unicode=True, width=10_000, default_flow_style=True)
    return text.removesuffix("\n").removesuffix("\n...").strip()


def _environment() -> jinja2.Environment:
    env = jinja2.Environment(trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True,
                             undefined=jinja2.StrictUndefined, autoescape=False)  # noqa: S701 - Markdown, not HTML
    env.filters["yaml"] = yaml_scalar
    return env


def _choices_hint(value: str, choices: list[str] | tuple[str, ...]) -> str:
    return suggest(value, choices) or "Möglich sind: " + ", ".join(choices) + "."


def _rel(corpus: Corpus, path: Path) -> str:
    return path.relative_to(corpus.root).as_posix()
