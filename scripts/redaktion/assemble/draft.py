"""Merge a paper's outline and its contributions into one canonical :class:`Draft`.

Every member text arrives parsed and sanitised (:mod:`redaktion.source.parse`), one pandoc AST per
contribution. The assembler builds everything around it from front matter, never from body
text: the section headings, and for each contribution a div that records its provenance
(``.beitrag`` with ``contribution``, ``kind``, ``members``, ``member-names``, ``authors``,
``status``, ``source``, ``number``) and its heading with the contribution's anchor. Inside, the
member's headings are demoted one level and get ids derived from the anchor, and image and
file paths are rebased to the project root. Footnotes are AST nodes and need no ids.

Every top-level block of a body or a section introduction that counts as a paragraph
(:mod:`redaktion.source.parse.paragraphs`) gets a stable id (:func:`~redaktion.model.paragraph_id`:
the anchor plus its ordinal) and a label for people (``B<n>.<k>``: contribution n of the
draft, paragraph k; ``E<s>.<k>`` in the introduction of section s), recorded in the Draft.
Drafts that carry the ENTWURF marking (internal drafts, papers not yet public, the drafts of
consultation rounds) wrap each such block in an ``.absatz`` div with that id and label, which
the renderers show as margin numbers, permalinks and bookmarks; public drafts of public
papers stay exactly as they were.

Nothing in one body can open or close structure around another: bodies are never
concatenated as text.
"""

from __future__ import annotations

import functools
import hashlib
import json
from dataclasses import dataclass, replace

import yaml

from ..source import data
from ..model.lifecycle import adoption
from ..model import anchor_for
from ..model import (Block, ContentError, Contribution, Corpus, Dataset, Draft, DraftSection, Member, Paper, Paragraph,
                    Publisher, paragraph_id)
from ..source.parse import ParsedBody, ast_cache, contribution_name, heading_anchors, parse_texts
from ..source.parse.ast import LEAF_KINDS, Node, attr, div, dumps, header, para, stringify, text_inlines
from ..source.parse.paragraphs import numbered, paragraph_text


def assemble(corpus: Corpus, paper_id: str, intern: bool = False, review: bool = False) -> Draft:
    """Assemble one paper. Public drafts hold only accepted contributions, internal ones all.

    ``review`` gives the draft of a consultation round: the public content, marked and numbered
    like an internal draft even when the paper is already public.
    """
    paper = corpus.papers[paper_id]
    show_numbers = intern or review or not paper.is_public
    chosen = _chosen(corpus, paper_id, intern)
    paper_dir = f"contributions/{paper_id}"
    datasets = _datasets(corpus, chosen)
    # One parse call for every text of the paper: cached texts cost a file read, the rest
    # share a few pandoc processes.
    texts, names = _texts(paper, chosen, datasets)
    parsed = iter(parse_texts(texts, ast_cache(corpus.root), names=names))
    bodies = {c.id: next(parsed) for c in chosen}
    intros = {s.id: next(parsed) for s in paper.outline}
    for cid, dataset in datasets.items():
        datasets[cid] = _with_content(dataset, next(parsed), next(parsed))
    recommendation_number = 0
    running_number = 0
    sections: list[DraftSection] = []
    pieces: list[tuple[str, str]] = []
    media: set[str] = set()
    for number, section in enumerate(paper.outline, start=1):
        members_of_section = sorted(
            (c for c in chosen if c.section == section.id),
            key=lambda c: (c.order is None, c.order or 0, c.submitted, c.id),
        )
        intro_blocks = _place_body(intros[section.id].blocks, f"abschnitt-{section.id}", paper_dir, media)
        intro_paragraphs = _paragraphs(intro_blocks, f"abschnitt-{section.id}", f"E{number}")
        shown_intro = _numbered(intro_blocks, intro_paragraphs) if show_numbers else intro_blocks
        pieces.append((f"abschnitt-{section.id}",
                       dumps([header(1, f"abschnitt-{section.id}", section.title), *shown_intro])))
        blocks = []
        for contribution in members_of_section:
            if contribution.kind == "empfehlung":
                recommendation_number += 1
            running_number += 1
            block = _block(corpus, contribution, bodies[contribution.id], datasets.get(contribution.id),
                           paper_dir, intern, recommendation_number if contribution.kind == "empfehlung" else None,
                           media, running_number)
            blocks.append(block)
            pieces.append((block.contribution_id, _wrapper(block, intern, show_numbers)))
        sections.append(DraftSection(section.id, section.title, section.intro, number, tuple(blocks),
                                     intro_paragraphs))
    adopted = adoption(paper, corpus.members)
    adoption_text = adopted.sentence() if adopted else ""
    reservations = tuple((r.member.name, r.text) for r in adopted.reservations) if adopted else ()
    head = _header(paper, intern, corpus.publisher, adoption_text, reservations, review)
    digest = hashlib.sha256(head.encode("utf-8"))
    for name, content in pieces:
        digest.update(f"\0{name}\0{content}".encode("utf-8"))
    return Draft(paper, tuple(sections), intern, head, tuple(pieces), digest.hexdigest(),
                 publisher=corpus.publisher, adoption=adoption_text, reservations=reservations,
                 media=tuple(sorted(media)), review=review)


def parse_ahead(corpus: Corpus, paper_ids: list[str], intern: bool = False) -> None:
    """Parse every contribution body and every text the drafts of ``paper_ids`` need, in one call.

    :func:`assemble` and ``check`` then find each parse in memory. Parsed paper by paper, a
    cold build would start one pandoc process per paper, one after the other, on one core;
    in one call the texts are spread over a few pandoc processes on every core.
    """
    texts = {contribution_name(c.rel): c.body for c in corpus.contributions}
    for paper_id in paper_ids:
        # Data tables are left to assemble(): reading one may fail, and that is its to report.
        paper_texts, names = _texts(corpus.papers[paper_id], _chosen(corpus, paper_id, intern), {})
        texts.update(zip(names, paper_texts))
    parse_texts(list(texts.values()), ast_cache(corpus.root), names=list(texts))


def _chosen(corpus: Corpus, paper_id: str, intern: bool) -> list[Contribution]:
    """The contributions in the draft: all of them internally, else the accepted ones."""
    return [c for c in corpus.contributions_of(paper_id) if intern or c.is_accepted]


def _datasets(corpus: Corpus, chosen: list[Contribution]) -> dict[str, Dataset]:
    return {c.id: _dataset(corpus, c, anchor_for(c), _paper_dir(corpus, c))
            for c in chosen if c.kind == "daten" and c.data}


def _texts(paper: Paper, chosen: list[Contribution], datasets: dict[str, Dataset]) -> tuple[list[str], list[str]]:
    """The texts of a draft that go through the parser, and their cache names (in that order)."""
    texts = [c.body for c in chosen] + [s.intro for s in paper.outline]
    names = [contribution_name(c.rel) for c in chosen] + [f"{paper.id}--abschnitt-{s.id}" for s in paper.outline]
    for cid, dataset in datasets.items():
        texts += [dataset.table, data.source_line(dataset)]
        names += [f"{paper.id}--{cid}--tabelle", f"{paper.id}--{cid}--quelle"]
    return texts, names


def _block(corpus: Corpus, c: Contribution, parsed: ParsedBody, dataset: Dataset | None, paper_dir: str,
           intern: bool, number: int | None, media: set[str], running_number: int) -> Block:
    anchor = anchor_for(c)
    placed = _placed(parsed.content, anchor, paper_dir)
    media.update(placed.media)
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
        content=placed.content,
        text="\n\n".join(text for text in placed.texts if text),
        source=c.rel,
        number=number,
        tags=c.tags,
        summary=c.summary,
        submitted=c.submitted,
        notes=(parsed.notes + ((c.note,) if c.note else ())) if intern else (),
        dataset=dataset,
        paragraphs=tuple(Paragraph(paragraph_id(anchor, k), f"B{running_number}.{k}", placed.texts[index])
                         for k, index in enumerate(placed.numbered, start=1)),
    )


@dataclass(frozen=True)
class _Placed:
    content: str  # JSON of the body placed under its heading
    texts: tuple[str, ...]  # the text of each block
    numbered: tuple[int, ...]  # indices of the blocks that count as paragraphs
    media: frozenset[str]  # media files the body uses, relative to the project


@functools.lru_cache(maxsize=8192)
def _placed(content: str, anchor: str, paper_dir: str) -> _Placed:
    """A parsed body fitted under its heading, remembered: the live preview re-assembles a paper on
    every save, and walking, stringifying and encoding 300 unchanged bodies took seconds."""
    media: set[str] = set()
    body = _place_body(json.loads(content), anchor, paper_dir, media)
    return _Placed(dumps(body), tuple(stringify(block) for block in body), tuple(numbered(body)), frozenset(media))


def _paragraphs(blocks: list[Node], anchor: str, prefix: str,
                texts: list[str] | None = None) -> tuple[Paragraph, ...]:
    """Id, label and text of every block that counts as a paragraph (``texts``: each block's text)."""
    return tuple(Paragraph(paragraph_id(anchor, k), f"{prefix}.{k}",
                           texts[index] if texts is not None else paragraph_text(blocks[index]))
                 for k, index in enumerate(numbered(blocks), start=1))


def _numbered(blocks: list[Node], paragraphs: tuple[Paragraph, ...]) -> list[Node]:
    """The blocks with each paragraph wrapped in an ``.absatz`` div carrying its id and label."""
    out = list(blocks)
    for index, paragraph in zip(numbered(blocks), paragraphs):
        out[index] = {"t": "Div", "c": [attr(paragraph.id, ["absatz"], [("label", paragraph.label)]), [blocks[index]]]}
    return out


def _wrapper(block: Block, intern: bool, show_numbers: bool = False) -> str:
    """The contribution's div as a JSON block list: provenance attributes, heading, editorial notes,
    body, data. The body's JSON is put in as it is (the same bytes as encoding the whole div)."""
    attributes = [
        ("contribution", block.contribution_id),
        ("kind", block.kind),
        ("members", " ".join(m.id for m in block.members)),
        ("member-names", "; ".join(m.name for m in block.members)),
        ("authors", "; ".join(block.authors)),
        ("status", block.status),
        ("source", block.source),
    ]
    if block.number is not None:
        attributes.append(("number", str(block.number)))
    content: list[Node] = [header(2, block.anchor, block.heading)]
    if intern:
        content += [div(["redaktionsnotiz"], [para(text_inlines(note))]) for note in block.notes]
    body = dumps(_numbered(json.loads(block.content), block.paragraphs)) if show_numbers else block.content
    parts = [dumps(content)[1:-1], body[1:-1], block.dataset.content[1:-1] if block.dataset is not None else ""]
    inner = ",".join(part for part in parts if part)
    return f'[{{"t":"Div","c":[{dumps(attr("", ["beitrag", block.kind], attributes))},[{inner}]]}}]'


def _place_body(blocks: list[Node], anchor: str, paper_dir: str, media: set[str]) -> list[Node]:
    """Fit a sanitised body under its heading: demote headings, give them ids, rebase paths."""
    ids = iter(heading_anchors([stringify(b["c"][2]) for b in blocks if b.get("t") == "Header"], anchor))

    def visit(node: object) -> None:
        if isinstance(node, list):
            for item in node:
                if not (isinstance(item, dict) and item.get("t") in LEAF_KINDS):  # words: nothing to do
                    visit(item)
            return
        if not isinstance(node, dict) or "t" not in node:
            return
        kind, content = node["t"], node.get("c")
        if kind == "Header":
            content[0] += 1
            content[1] = attr(next(ids))
        elif kind in ("Image", "Link") and content[2][0].startswith("media/"):
            target = f"{paper_dir}/{content[2][0]}"
            content[2][0] = target
            media.add(target.split("#", 1)[0])
        if isinstance(content, (list, dict)):
            visit(content)

    visit(blocks)
    return blocks


def _with_content(dataset: Dataset, table: ParsedBody, source: ParsedBody) -> Dataset:
    """The dataset with its chart placeholder, table and source line as blocks.

    The ``.diagramm`` div carries everything the drawing depends on besides the table (kind,
    alt text), so the draft's hash changes with the chart; its content is the caption. Each
    renderer replaces it with the image it draws via ``render/charts.py``.
    """
    blocks: list[Node] = []
    chart = dataset.chart
    if chart is not None:
        blocks.append(div(["diagramm"], [para(text_inlines(f"{chart.title} ({chart.unit})"))],
                          [("chart", chart.id), ("kind", chart.kind), ("alt", chart.alt)]))
    blocks += table.blocks
    blocks.append(div(["datenquelle"], source.blocks))
    return replace(dataset, content=dumps(blocks))


def _dataset(corpus: Corpus, c: Contribution, anchor: str, folder: str) -> Dataset:
    """Read the contribution's CSV table; a broken table stops the assembly with its diagnostics."""
    table, diagnostics = data.read_table(c, c.rel, corpus.members)
    if table is None:
        raise ContentError([d for d in diagnostics if d.severity == "error"])
    csv_rel = f"{folder}/{c.data.file}" if c.data else ""
    return data.dataset(c, table, corpus.members, csv_rel, f"{anchor}-diagramm")


def _paper_dir(corpus: Corpus, c: Contribution) -> str:
    return c.path.parent.resolve().relative_to(corpus.root).as_posix()


def _header(paper: Paper, intern: bool, publisher: Publisher, adoption_text: str,
            reservations: tuple[tuple[str, str], ...], review: bool = False) -> str:
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
    if review:  # only when set: the headers (and content hashes) of other drafts stay as they were
        data["review"] = True
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
