"""``redaktion apply PAPER RUNDE``: write the accepted wording of a round into the contribution files.

For every comment decided „uebernommen“ (or „teilweise“ with the Redaktion's ``fassung``) that
changes text – Änderung, Ergänzung, Streichung – the paragraph is found in its file
(:mod:`.sourcemap`) and

* replaced by the wording (Änderung), removed (Streichung), or followed by the new
  paragraph (Ergänzung),
* but only where it still reads as in the round. A paragraph that has moved within its
  contribution is found by its text; one that was changed since the round, two accepted
  proposals for the same paragraph, a section introduction (in paper.yml) or a paragraph that
  shares its lines with other blocks is reported as a conflict and left alone.

Wording already in place counts as done. Nothing is committed: the Redaktion reviews one
``git diff``. Front matter and every other line of a file stay as they are.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from ..source.load import load
from ..model import Comment, Contribution, Corpus, Paper, anchor_for
from ..model.errors import UnknownPaper, UnknownRound
from ..source.parse import ast_cache, parse_texts
from ..source.parse.ast import stringify
from ..source.parse.paragraphs import paragraph_blocks, paragraph_text
from ..assemble.abwaegung import Row, abwaegung
from .sourcemap import SourceParagraph, locate

TEXT_KINDS = ("aenderung", "ergaenzung", "streichung")


@dataclass(frozen=True)
class Outcome:
    """What happened to one comment: applied, already in place, or a conflict."""

    number: int  # Nr. in the Abwägungstabelle
    comment: Comment
    label: str  # paragraph number, e.g. "B5.2"
    message: str  # German
    path: str = ""  # file changed (below the project root)


@dataclass
class ApplyResult:
    applied: list[Outcome] = field(default_factory=list)
    unchanged: list[Outcome] = field(default_factory=list)  # wording already in place
    conflicts: list[Outcome] = field(default_factory=list)
    files: list[Path] = field(default_factory=list)


@dataclass(frozen=True)
class _Edit:
    row: Row
    wording: str  # Markdown; "" for a deletion
    kind: str


def apply_round(root: Path, paper_id: str, round_id: str) -> ApplyResult:
    """Apply the accepted proposals of ``round_id``; see the module docstring."""
    corpus = load(root.resolve())
    paper = corpus.papers.get(paper_id)
    if paper is None:
        raise UnknownPaper(paper_id, corpus.papers)
    if paper.round(round_id) is None:
        raise UnknownRound(paper_id, round_id, [r.id for r in paper.rounds])
    table = abwaegung(corpus, paper_id, round_id)
    result = ApplyResult()
    by_file: dict[str, list[_Edit]] = defaultdict(list)
    for row in table.rows:
        edit = _edit(row, result)
        if edit is None:
            continue
        if row.paragraph is None:
            _conflict(result, row, "Die Stelle ließ sich keinem Absatz zuordnen.")
        elif not row.paragraph.contribution:
            _introduction(corpus, paper, edit, result)
        else:
            by_file[row.paragraph.contribution].append(edit)
    contributions = {c.id: c for c in corpus.contributions_of(paper_id)}
    for contribution_id, edits in by_file.items():
        contribution = contributions.get(contribution_id)
        if contribution is None:
            for edit in edits:
                _conflict(result, edit.row, f"Den Beitrag „{contribution_id}“ gibt es nicht mehr.")
            continue
        _apply_to(corpus, contribution, edits, result)
    for outcomes in (result.applied, result.unchanged, result.conflicts):
        outcomes.sort(key=lambda outcome: outcome.number)
    return result


def _introduction(corpus: Corpus, paper: Paper, edit: _Edit, result: ApplyResult) -> None:
    """Section introductions live in paper.yml: report whether the wording is in place, never write."""
    paragraph = edit.row.paragraph
    assert paragraph is not None
    section = paper.section(paragraph.section)
    cache = ast_cache(corpus.root)
    intro, wording = parse_texts([section.intro if section else "", edit.wording], cache)
    texts = [paragraph_text(b) for b in paragraph_blocks(intro.blocks)]
    if edit.wording and stringify(wording.blocks) in texts:
        result.unchanged.append(Outcome(edit.row.number, edit.row.comment, paragraph.label,
                                        "Der Wortlaut steht schon in der Einleitung."))
    else:
        _conflict(result, edit.row, "Der Absatz steht in einer Abschnittseinleitung (paper.yml); bitte von Hand "
                                    "übernehmen.")


def _edit(row: Row, result: ApplyResult) -> _Edit | None:
    """The change a decided comment asks for, or None when there is nothing to write."""
    c = row.comment
    if c.kind not in TEXT_KINDS or c.decision not in ("uebernommen", "teilweise"):
        return None
    if c.decision == "teilweise":
        # The Redaktion's own wording replaces the paragraph (or is the new one, for an Ergänzung).
        if not c.wording:
            _conflict(result, row, "Teilweise übernommen, aber ohne „fassung:“; bitte von Hand einarbeiten.")
            return None
        return _Edit(row, c.wording, "ergaenzung" if c.kind == "ergaenzung" else "aenderung")
    return _Edit(row, "" if c.kind == "streichung" else c.proposal, c.kind)


def _conflict(result: ApplyResult, row: Row, message: str) -> None:
    result.conflicts.append(Outcome(row.number, row.comment, row.paragraph.label if row.paragraph else "–", message))


def _apply_to(corpus: Corpus, contribution: Contribution, edits: list[_Edit], result: ApplyResult) -> None:
    """Apply the edits of one file, bottom to top, so earlier line numbers stay valid."""
    root = corpus.root
    cache = ast_cache(root)
    blocks = paragraph_blocks(parse_texts([contribution.body], cache)[0].blocks)
    texts = [paragraph_text(b) for b in blocks]
    wordings = {e.wording: stringify(p.blocks) for e, p in zip(
        edits, parse_texts([e.wording for e in edits], cache))}
    sources = locate(contribution, root)
    targets: dict[int, list[_Edit]] = defaultdict(list)
    for edit in edits:
        paragraph = edit.row.paragraph
        assert paragraph is not None
        new_text = wordings.get(edit.wording, "")
        if edit.kind == "ergaenzung" and new_text in texts:
            result.unchanged.append(Outcome(edit.row.number, edit.row.comment, paragraph.label,
                                            "Der neue Absatz steht schon im Text."))
            continue
        ordinal = _find(paragraph.ordinal, paragraph.text, texts, anchor_for(contribution), paragraph.id)
        if ordinal is None:
            if edit.kind == "aenderung" and new_text and new_text in texts:
                result.unchanged.append(Outcome(edit.row.number, edit.row.comment, paragraph.label,
                                                "Der Wortlaut steht schon im Text."))
            elif edit.kind == "streichung":
                result.unchanged.append(Outcome(edit.row.number, edit.row.comment, paragraph.label,
                                                "Der Absatz steht nicht mehr im Text (schon gestrichen)."))
            else:
                _conflict(result, edit.row, f"Der Absatz {paragraph.label} wurde seit der Runde geändert; der "
                                            "Vorschlag wird nicht eingesetzt.")
            continue
        targets[ordinal].append(edit)
    lines = contribution.body.split("\n")
    changed = False
    for ordinal in sorted(targets, reverse=True):
        group = targets[ordinal]
        source = next((s for s in sources if s.ordinal == ordinal), None)
        problem = _group_problem(group, source)
        if problem:
            for edit in group:
                _conflict(result, edit.row, problem)
            continue
        assert source is not None
        lines = _rewrite(lines, source, group)
        changed = True
        for edit in group:
            result.applied.append(Outcome(edit.row.number, edit.row.comment, edit.row.paragraph.label,
                                          _done(edit.kind), contribution.rel))
    if changed:
        _write_body(contribution, "\n".join(lines))
        result.files.append(contribution.path)


def _find(ordinal: int, text: str, texts: list[str], anchor: str, paragraph_id: str) -> int | None:
    """The paragraph's ordinal now: the same place if it reads as in the round, else where it moved."""
    if paragraph_id.startswith(anchor + "--") and 0 < ordinal <= len(texts) and texts[ordinal - 1] == text:
        return ordinal
    matches = [k for k, t in enumerate(texts, start=1) if t == text]
    return matches[0] if len(matches) == 1 else None


def _group_problem(group: list[_Edit], source: SourceParagraph | None) -> str:
    if source is None:
        return "Der Absatz ließ sich in der Datei nicht finden; bitte von Hand übernehmen."
    if not source.separable:
        return "Der Absatz teilt sich seine Zeilen mit einer Überschrift oder einem anderen Block; bitte von Hand " \
               "übernehmen."
    replacing = {e.wording for e in group if e.kind in ("aenderung", "streichung")}
    if len(replacing) > 1:
        return "Für diesen Absatz sind verschiedene Fassungen übernommen; entscheiden Sie sich für eine."
    return ""


def _rewrite(lines: list[str], source: SourceParagraph, group: list[_Edit]) -> list[str]:
    """The body lines with the paragraph replaced, removed or followed by new paragraphs."""
    replacement = next((e for e in group if e.kind in ("aenderung", "streichung")), None)
    additions = [e.wording.strip() for e in group if e.kind == "ergaenzung"]
    if replacement is None:
        middle = lines[source.start:source.end]
    elif replacement.kind == "streichung" and not replacement.wording:
        middle = []
    else:
        middle = replacement.wording.strip().split("\n")
    for addition in additions:
        middle = [*middle, "", *addition.split("\n")] if middle else addition.split("\n")
    after = lines[source.end:]
    if not middle:  # a removed paragraph takes one of the blank lines around it along
        if after and not after[0].strip():
            after = after[1:]
    return lines[:source.start] + middle + after


def _done(kind: str) -> str:
    return {"aenderung": "Wortlaut ersetzt.", "streichung": "Absatz gestrichen.",
            "ergaenzung": "Neuer Absatz dahinter eingefügt."}[kind]


def _write_body(contribution: Contribution, body: str) -> None:
    """Replace the body of the file; the front matter stays byte for byte."""
    text = contribution.path.read_text(encoding="utf-8")
    newline = "\r\n" if "\r\n" in text else "\n"
    lines = text.replace("\r\n", "\n").split("\n")
    head = lines[:contribution.body_line - 1]
    contribution.path.write_text(newline.join(head + body.split("\n")), encoding="utf-8")
