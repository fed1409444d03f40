"""Released versions: where their content lives (git tags) and their frozen PDF/DOCX files.

A release ``1.1`` of paper ``bildungsmanagement`` is

* an entry under ``versions:`` in ``paper.yml`` with the content hash of the public draft,
* an annotated git tag ``bildungsmanagement/v1.1`` on the commit that holds that entry,
* the files ``build/versions/bildungsmanagement/1.1/bildungsmanagement-1.1.{pdf,docx}``,
  cached by content hash under ``build/.cache/versions/<hash>/``.

:func:`outputs_for` gives the site every released version's files; missing ones are rebuilt
from the tag's content (``git archive`` into a temporary folder → load → assemble → render).
Version files are dated on the release day (passed to the renderers, never through
``os.environ``: the site builds in threads while this runs), so a rebuild gives the same bytes
as the release. Paper id, version number and hash become folder and file names here; each is
checked against the model's pattern first, whatever the caller validated.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from ..assemble.draft import assemble
from ..util.cachefiles import write_atomic
from ..util.epoch import noon_utc
from ..source.load import CONTENT_DIR, load
from ..model import HASH_PATTERN, SLUG_PATTERN, VERSION_PATTERN, Corpus, Draft, Version, matches
from ..model.errors import RedaktionError
from ..source import git as gitrepo

VERSIONS_DIR = Path("build") / "versions"
CACHE_DIR = Path("build") / ".cache" / "versions"
KINDS = ("pdf", "docx")


class VersionError(RedaktionError):
    """A version or revision cannot be found or rebuilt; the message is German (exit code 1)."""


def tag_name(paper_id: str, number: str) -> str:
    """The git tag of a release, e.g. ``bildungsmanagement/v1.1``."""
    return f"{paper_id}/v{number}"


@dataclass(frozen=True)
class Revision:
    """One side of a comparison: a released version, a git revision or the working tree."""

    label: str  # for file names and headings, e.g. "1.1", "a1b2c3d", "arbeitsstand"
    title: str  # German, e.g. "Version 1.1 vom 30. Juni 2010"
    commit: str | None  # None: the working tree


def resolve(root: Path, paper_id: str, ref: str | None) -> Revision:
    """Understand OLD/NEW of ``redaktion diff``: a version number, a tag, a commit, or None."""
    from ..model import german_date

    if ref is None:
        return Revision("arbeitsstand", "Arbeitsstand (nicht freigegeben)", None)
    if not gitrepo.is_repo(root):
        raise VersionError(f"„{ref}“ lässt sich nicht auflösen: Das Projekt ist kein Git-Repository.",
                           "Frühere Versionen kommen aus den Git-Tags, die „redaktion release“ setzt. Arbeiten Sie in "
                           "einem Klon des Projekt-Repositorys („git clone …“) und rufen Sie den Befehl dort auf.")
    if matches(VERSION_PATTERN, ref):
        tag = tag_name(paper_id, ref)
        commit = gitrepo.commit_of(root, f"refs/tags/{tag}")
        if commit is None:
            raise VersionError(f"Zur Version {ref} gibt es kein Git-Tag „{tag}“. Versionen, die mit „redaktion "
                               "release“ freigegeben wurden, haben ein solches Tag.",
                               _missing_tag_hint(tag) + " Oder nennen Sie statt der Versionsnummer einen Commit.")
        version = _version_at(root, commit, paper_id, ref)
        title = f"Version {ref} vom {german_date(version.date)}" if version else f"Version {ref}"
        return Revision(ref, title, commit)
    commit = gitrepo.commit_of(root, ref)
    if commit is None:
        raise VersionError(f"„{ref}“ ist weder eine Versionsnummer noch ein Git-Tag oder Commit.")
    label = ref.rsplit("/v", 1)[-1] if ref.startswith(f"{paper_id}/v") else ref.replace("/", "_")
    return Revision(label, f"Stand {ref} ({commit[:7]})", commit)


def _missing_tag_hint(tag: str) -> str:
    return (f"Holen Sie die Tags mit „git fetch --tags“. Fehlt „{tag}“ auch dort, setzen Sie es neu auf den Commit "
            f"der Freigabe: „git tag -a {tag} COMMIT -m …“.")


@contextmanager
def corpus_at(root: Path, commit: str | None) -> Iterator[Corpus]:
    """The corpus of the working tree, or of ``commit`` exported into a temporary folder."""
    if commit is None:
        yield load(root)
        return
    with tempfile.TemporaryDirectory(prefix="redaktion-version-") as tmp:
        gitrepo.export_dir(root, commit, CONTENT_DIR, Path(tmp))
        yield load(Path(tmp))


def _version_at(root: Path, commit: str, paper_id: str, number: str) -> Version | None:
    with corpus_at(root, commit) as corpus:
        paper = corpus.papers.get(paper_id)
        return next((v for v in paper.versions if v.number == number), None) if paper else None


def release_epoch(date: str) -> int:
    """The documents' timestamp of a version released on ``date``: noon UTC of that day.

    ``SOURCE_DATE_EPOCH`` does not count here: a rebuild must give the bytes of the release.
    """
    return noon_utc(date)


def render_version(draft: Draft, root: Path, version: Version) -> dict[str, bytes]:
    """PDF and DOCX of a released version's public draft (dated on the release day)."""
    from .outputs import render_outputs

    return render_outputs(draft, root, epoch=release_epoch(version.date))


def store_outputs(root: Path, paper_id: str, number: str, content_hash: str,
                  outputs: dict[str, bytes]) -> dict[str, Path]:
    """Write a version's files into the cache and into ``build/versions/PAPER/VERSION/``."""
    _refuse_unsafe(paper_id, number, content_hash)
    cache = root / CACHE_DIR / content_hash
    target = root / VERSIONS_DIR / paper_id / number
    paths: dict[str, Path] = {}
    for kind, data in outputs.items():
        name = f"{paper_id}-{number}.{kind}"
        for folder in (cache, target):
            write_atomic(folder / name, data)
        paths[kind] = target / name
    return paths


def outputs_for(root: Path, paper_id: str) -> dict[str, dict[str, Path]]:
    """Files of the released versions of a paper that can be had: ``{"1.1": {"pdf": Path, "docx": Path}}``.

    :func:`released_outputs` also says why the others cannot be had.
    """
    return released_outputs(root, paper_id)[0]


def released_outputs(root: Path, paper_id: str
                     ) -> tuple[dict[str, dict[str, Path]], list[tuple[str, VersionError | gitrepo.GitError]]]:
    """Files of the released versions of a paper that can be had, and (number, error) for the others.

    Order follows ``versions:`` in ``paper.yml``. Files come from ``build/versions``, else from
    the cache, else they are rebuilt from the version's git tag. A version without tag (e.g.
    entered by hand before the project used ``redaktion release``, or its tag was deleted)
    whose content is not the working tree's cannot be rebuilt; neither can one when git fails.
    """
    root = root.resolve()
    corpus = load(root)
    paper = corpus.papers.get(paper_id)
    if paper is None:
        return {}, []
    result: dict[str, dict[str, Path]] = {}
    missing: list[tuple[str, VersionError | gitrepo.GitError]] = []
    for version in paper.versions:
        try:
            result[version.number] = (_existing(root, paper_id, version)
                                      or _rebuild(root, corpus, paper_id, version))
        except (VersionError, gitrepo.GitError) as error:
            missing.append((version.number, error))
    return result, missing


def _refuse_unsafe(paper_id: str, number: str, content_hash: str) -> None:
    """Raise unless the parts of a version's paths have the model's forms (no ``..``, ``/``, newline)."""
    if not matches(SLUG_PATTERN, paper_id) or not matches(VERSION_PATTERN, number):
        raise VersionError(f"„{paper_id}“ Version „{number}“: Papier-Kurzname oder Versionsnummer hat nicht die "
                           "erwartete Form (z. B. bildungsmanagement, 1.1).")
    if content_hash and not matches(HASH_PATTERN, content_hash):
        raise VersionError(f"Die Prüfsumme der Version {number} von „{paper_id}“ hat nicht die erwartete Form "
                           "(64 Zeichen aus 0–9 und a–f); sie wird nicht als Ordnername verwendet.")


def _names(paper_id: str, number: str) -> dict[str, str]:
    return {kind: f"{paper_id}-{number}.{kind}" for kind in KINDS}


def _existing(root: Path, paper_id: str, version: Version) -> dict[str, Path] | None:
    _refuse_unsafe(paper_id, version.number, version.hash)
    names = _names(paper_id, version.number)
    target = root / VERSIONS_DIR / paper_id / version.number
    if all((target / name).is_file() for name in names.values()):
        return {kind: target / name for kind, name in names.items()}
    cache = root / CACHE_DIR / version.hash if version.hash else None
    if cache and all((cache / name).is_file() for name in names.values()):
        outputs = {kind: (cache / name).read_bytes() for kind, name in names.items()}
        return store_outputs(root, paper_id, version.number, version.hash, outputs)
    return None


def _rebuild(root: Path, corpus: Corpus, paper_id: str, version: Version) -> dict[str, Path]:
    tag = tag_name(paper_id, version.number)
    repo = gitrepo.is_repo(root)
    commit = gitrepo.commit_of(root, f"refs/tags/{tag}") if repo else None
    if commit is None:
        draft = assemble(corpus, paper_id)
        if not version.hash or draft.content_hash != version.hash:
            folder = (VERSIONS_DIR / paper_id / version.number).as_posix()
            raise VersionError(
                f"Die Version {version.number} von „{paper_id}“ lässt sich nicht bauen: "
                + (f"Das Git-Tag „{tag}“ fehlt" if repo else "Das Projekt ist kein Git-Repository")
                + ", und der Arbeitsstand ist nicht der Stand dieser Version.",
                (_missing_tag_hint(tag) + " Oder legen" if repo else "Legen") + f" Sie PDF und DOCX der Version "
                f"unter {folder}/ ab ({paper_id}-{version.number}.pdf und .docx).")
        return store_outputs(root, paper_id, version.number, draft.content_hash,
                             render_version(draft, root, version))
    with corpus_at(root, commit) as tagged:
        draft = assemble(tagged, paper_id)
        if version.hash and draft.content_hash != version.hash:
            raise VersionError(
                f"Der Inhalt des Tags „{tag}“ passt nicht zur Prüfsumme der Version {version.number} in "
                "paper.yml. Das Tag zeigt vermutlich auf einen falschen Commit.")
        outputs = render_version(draft, tagged.root, version)
    return store_outputs(root, paper_id, version.number, draft.content_hash, outputs)

