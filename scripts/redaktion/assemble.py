"""Merge a paper's outline and its contributions into one canonical :class:`Draft`.

The draft's Markdown is the single source of every output. Each contribution becomes a
fenced div that records its provenance::

    ::: {.beitrag .praxisbeispiel contribution="muenchen--elternlotsen" kind="praxisbeispiel"
         members="muenchen" member-names="Landeshauptstadt München" authors="…" status="angenommen"
         source="contributions/…/muenchen--elternlotsen.md"}
    ## Elternlotsen in Kitas {#praxisbeispiel-elternlotsen}
    …
    :::

Inside, the member's Markdown is normalised so that the pieces fit together: headings are
demoted one level, footnote ids are prefixed with the contribution id, image paths are
rebased to the project root, HTML comments (editorial notes) are removed, and lines that
pandoc would misread (a paragraph opening with a date, a stray ``:::``) are escaped.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import yaml

from . import data
from .check import iter_text_lines
from .lifecycle import adoption
from .model import anchor_for, heading_id, slugify  # noqa: F401 - part of this module's API
from .model import Block, ContentError, Contribution, Corpus, Dataset, Draft, DraftSection, Member, Paper, Publisher

_HEADING = re.compile(r"^(#{1,5})(\s+)(.*?)(\s*\{[^}]*\})?\s*$")
_FOOTNOTE = re.compile(r"\[\^([^\]\s]+)\]")
_IMAGE = re.compile(r"(!\[[^\]]*\]\(\s*<?)([^)\s>]+)")
_COMMENT = re.compile(r"<!--(.*?)-->", re.DOTALL)
_DATE_PARAGRAPH = re.compile(r"^(\d{1,4})\.(\s)")
_DIV_FENCE = re.compile(r"^(\s*)(:{3,})")


def assemble(corpus: Corpus, paper_id: str, intern: bool = False) -> Draft:
    """Assemble one paper. Public drafts hold only accepted contributions, internal ones all."""
    paper = corpus.papers[paper_id]
    chosen = [c for c in corpus.contributions_of(paper_id) if intern or c.is_accepted]
    recommendation_number = 0
    sections: list[DraftSection] = []
    folders: dict[Path, str] = {}  # resolving is slow, and a paper's files share one folder
    for number, section in enumerate(paper.outline, start=1):
        members_of_section = sorted(
            (c for c in chosen if c.section == section.id),
            key=lambda c: (c.order is None, c.order or 0, c.submitted, c.id),
        )
        blocks = []
        for contribution in members_of_section:
            if contribution.kind == "empfehlung":
                recommendation_number += 1
            folder = folders.get(contribution.path.parent) or folders.setdefault(
                contribution.path.parent, _paper_dir(corpus, contribution))
            blocks.append(_block(corpus, contribution, folder, intern,
                                 recommendation_number if contribution.kind == "empfehlung" else None))
        sections.append(DraftSection(section.id, section.title, section.intro, number, tuple(blocks)))
    body = _body(sections, intern)
    adopted = adoption(paper, corpus.members)
    adoption_text = adopted.sentence() if adopted else ""
    reservations = tuple((r.member.name, r.text) for r in adopted.reservations) if adopted else ()
    header = _header(paper, intern, corpus.publisher, adoption_text, reservations)
    markdown = "---\n" + header + "---\n\n" + body
    content_hash = hashlib.sha256(markdown.encode("utf-8")).hexdigest()
    return Draft(paper, tuple(sections), intern, markdown, body, content_hash, publisher=corpus.publisher,
                 adoption=adoption_text, reservations=reservations)


def _block(corpus: Corpus, c: Contribution, folder: str, intern: bool, number: int | None) -> Block:
    anchor = anchor_for(c)
    markdown, notes = normalise_body(c.body, c.id, anchor, folder)
    dataset = _dataset(corpus, c, anchor, folder) if c.kind == "daten" and c.data else None
    if dataset is not None:
        markdown += "\n" + dataset_markdown(dataset)
    members = tuple(corpus.members.get(m) or Member(m, m, "stadt", "Bund") for m in c.members)
    heading = f"Empfehlung {number}: {c.title}" if number is not None else c.title
    return Block(
        contribution_id=c.id,
        kind=c.kind,
        title=c.title,
        heading=heading,
        anchor=anchor,
        members=members,
        authors=tuple(a.name for a in c.authors),
        status=c.status,
        markdown=markdown,
        source=c.rel,
        number=number,
        tags=c.tags,
        summary=c.summary,
        submitted=c.submitted,
        notes=(tuple(notes) + ((c.note,) if c.note else ())) if intern else (),
        dataset=dataset,
    )


def _dataset(corpus: Corpus, c: Contribution, anchor: str, folder: str) -> Dataset:
    """Read the contribution's CSV table; a broken table stops the assembly with its diagnostics."""
    table, diagnostics = data.read_table(c, c.rel, corpus.members)
    if table is None:
        raise ContentError([d for d in diagnostics if d.severity == "error"])
    csv_rel = f"{folder}/{c.data.file}" if c.data else ""
    return data.dataset(c, table, corpus.members, csv_rel, f"{anchor}-diagramm")


def dataset_markdown(dataset: Dataset) -> str:
    """The chart placeholder, the table and its source line, appended to the contribution's text.

    The ``.diagramm`` div carries everything the drawing depends on besides the table (kind,
    alt text), so the draft's hash changes with the chart. Its content is the figure caption;
    each renderer replaces the div with the image it draws via ``render/charts.py``.
    """
    parts = []
    chart = dataset.chart
    if chart is not None:
        attrs = " ".join([".diagramm", f"chart={_attr(chart.id)}", f"kind={_attr(chart.kind)}",
                          f"alt={_attr(chart.alt)}"])
        parts.append("::: {" + attrs + "}\n" + data.md_escape(f"{chart.title} ({chart.unit})") + "\n:::\n")
    parts.append(dataset.table)
    parts.append("::: {.datenquelle}\n" + data.source_line(dataset) + ":::\n")
    return "\n".join(parts)


def _paper_dir(corpus: Corpus, c: Contribution) -> str:
    return c.path.parent.resolve().relative_to(corpus.root).as_posix()


def normalise_body(body: str, contribution_id: str, anchor: str, paper_dir: str) -> tuple[str, list[str]]:
    """Make one member's Markdown fit into the merged draft; return (markdown, editorial notes)."""
    # Every HTML comment is removed; those addressed to the Redaktion ("<!-- Redaktion: … -->")
    # are kept as editorial notes for internal drafts. Others (e.g. the guide that
    # `redaktion new` writes) are simply dropped.
    comments = (" ".join(m.group(1).split()) for m in _COMMENT.finditer(body))
    notes = [c for c in comments if c.casefold().startswith("redaktion")]
    # Comments are blanked line by line so that line structure (and thus block structure) stays.
    body = _COMMENT.sub(lambda m: "\n" * m.group(0).count("\n"), body)
    lines = body.split("\n")
    text_lines = dict(iter_text_lines(body))
    previous_blank = True
    for index, line in enumerate(lines):
        if index not in text_lines:  # inside fenced code: leave untouched
            previous_blank = False
            continue
        heading = _HEADING.match(line)
        if heading:
            hashes, space, text, attrs = heading.groups()
            if not attrs:
                attrs = " {#" + heading_id(anchor, text) + "}"
            line = "#" + hashes + space + text + attrs
        else:
            line = _FOOTNOTE.sub(lambda m: f"[^{contribution_id}-{m.group(1)}]", line)
            line = _IMAGE.sub(lambda m: m.group(1) + _rebase(m.group(2), paper_dir), line)
            if previous_blank and _DATE_PARAGRAPH.match(line) and not _starts_list(lines, index):
                line = _DATE_PARAGRAPH.sub(lambda m: m.group(1) + "\\." + m.group(2), line, count=1)
            line = _DIV_FENCE.sub(lambda m: m.group(1) + "\\" + m.group(2), line)
        lines[index] = line
        previous_blank = not line.strip()
    return "\n".join(lines).strip() + "\n", notes


def _starts_list(lines: list[str], index: int) -> bool:
    """A real numbered list starts with 1. or continues with another numbered line."""
    first = _DATE_PARAGRAPH.match(lines[index])
    if first and first.group(1) == "1":
        return True
    following = lines[index + 1] if index + 1 < len(lines) else ""
    return bool(re.match(r"^\d{1,4}\.\s", following))


def _rebase(target: str, paper_dir: str) -> str:
    if re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:", target) or target.startswith("/"):
        return target
    return (Path(paper_dir) / target).as_posix()


def _attr(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def body_pieces(draft: Draft) -> list[tuple[str, str]]:
    """The draft's body in named pieces that stand on their own: each section's heading and
    intro (``abschnitt-ID``), each contribution (its id). Joined with newlines, the pieces'
    Markdown is ``draft.body``; renderers cache their output by piece."""
    return _pieces(draft.sections, draft.intern)


def _body(sections: list[DraftSection] | tuple[DraftSection, ...], intern: bool) -> str:
    return "\n".join(markdown for _, markdown in _pieces(sections, intern))


def _pieces(sections: list[DraftSection] | tuple[DraftSection, ...], intern: bool) -> list[tuple[str, str]]:
    pieces: list[tuple[str, str]] = []
    for section in sections:
        parts = [f"# {section.title} {{#abschnitt-{section.id}}}\n"]
        if section.intro:
            parts.append(section.intro.strip() + "\n")
        pieces.append((f"abschnitt-{section.id}", "\n".join(parts)))
        for block in section.blocks:
            parts = []
            attrs = [
                ".beitrag", "." + block.kind,
                f"contribution={_attr(block.contribution_id)}",
                f"kind={_attr(block.kind)}",
                f"members={_attr(' '.join(m.id for m in block.members))}",
                f"member-names={_attr('; '.join(m.name for m in block.members))}",
                f"authors={_attr('; '.join(block.authors))}",
                f"status={_attr(block.status)}",
                f"source={_attr(block.source)}",
            ]
            if block.number is not None:
                attrs.append(f"number={_attr(str(block.number))}")
            parts.append("::::: {" + " ".join(attrs) + "}\n")
            parts.append(f"## {block.heading} {{#{block.anchor}}}\n")
            if intern and block.notes:
                for note in block.notes:
                    parts.append("::: {.redaktionsnotiz}\n" + note + "\n:::\n")
            parts.append(block.markdown)
            parts.append(":::::\n")
            pieces.append((block.contribution_id, "\n".join(parts)))
    return pieces


def _header(paper: Paper, intern: bool, publisher: Publisher, adoption_text: str,
            reservations: tuple[tuple[str, str], ...]) -> str:
    # Everything a renderer shows belongs here: the header is part of the cache key of outputs.
    version = paper.latest_version
    data = {
        "publisher": publisher.name,
        "office": publisher.office,
        "place": publisher.place,
        "sample": publisher.sample,
        "title": paper.title,
        "subtitle": paper.subtitle,
        "paper": paper.id,
        "kind": paper.kind,
        "status": paper.status,
        "version": version.number if version else "",
        "date": (version.date if version else paper.date) or "",
        "license": paper.license,
        "intern": intern,
        "versions": [f"{v.number} {v.date} {v.note}".strip() for v in paper.versions],
        "adoption": adoption_text,
        "reservations": [f"{name}: {text}" for name, text in reservations],
    }
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
