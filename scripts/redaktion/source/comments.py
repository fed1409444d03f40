"""Comments of consultation rounds and each round's paragraph index, read from the project.

A round (``runden:`` in ``paper.yml``) is about one released version. Opening it
(``redaktion runde … eroeffnen``) writes the round's *paragraph index* beside its comments,
``contributions/<paper>/kommentare/<round>/runde.json``: every numbered paragraph of the
round's draft with its stable id, its number as printed (``B3.2``), its text and its lines in
the round's PDF. It is committed with the round, so ``check`` resolves a comment's ``stelle``
(number, id or line) without rendering anything, and later edits of the text do not change
what a comment referred to.

Comments are Markdown files ``kommentare/<round>/<member>--<slug>.md``: front matter
(:data:`~redaktion.model.COMMENT_FIELDS`), body = the reason. Part of the source layer: no
renderer, no pandoc.
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass
from pathlib import Path

from . import fields
from .files import read_front_matter
from ..model import COMMENT_FIELDS, Comment, Diagnostic, Paper, Position

COMMENTS_DIR = "kommentare"
INDEX_FILE = "runde.json"
INDEX_FORMAT = 1

_LABEL = re.compile(r"^[BE]\d+\.\d+$")
_LINE = re.compile(r"^(?:Z\.?|Zeile)?\s*(\d+)$")
_ID = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*--\d+$")
WHOLE_PAPER = "gesamt"


# --- the paragraph index of a round --------------------------------------------------------


@dataclass(frozen=True)
class IndexedParagraph:
    """One numbered paragraph of a round's draft, as it stood when the round was opened."""

    id: str  # stable id, e.g. "empfehlung-beiraete-staerken--2"
    label: str  # as printed, e.g. "B5.2"
    section: str  # section id
    section_number: int
    section_title: str
    contribution: str  # contribution id, "" for a section introduction
    source: str  # file below the project root (the contribution, or paper.yml for an introduction)
    text: str
    first_line: int  # lines of the round's PDF (0 when unknown)
    last_line: int
    page: int

    @property
    def lines(self) -> str:
        """„Z. 120–124“ or „Z. 120“ (empty without line numbers)."""
        if not self.first_line:
            return ""
        return f"Z. {self.first_line}" if self.first_line == self.last_line else \
            f"Z. {self.first_line}–{self.last_line}"

    @property
    def ordinal(self) -> int:
        """k: this is the k-th paragraph of its contribution or introduction."""
        return int(self.id.rsplit("--", 1)[1])


@dataclass(frozen=True)
class RoundIndex:
    """The paragraphs of a round's draft and the size of its PDF."""

    paper: str
    round: str
    version: str
    content_hash: str  # of the round's draft
    lines: int  # last line number of the round's PDF
    pages: int
    paragraphs: tuple[IndexedParagraph, ...]

    def by_id(self, paragraph_id: str) -> IndexedParagraph | None:
        return next((p for p in self.paragraphs if p.id == paragraph_id), None)

    def by_label(self, label: str) -> IndexedParagraph | None:
        return next((p for p in self.paragraphs if p.label == label), None)

    def at_line(self, line: int) -> IndexedParagraph | None:
        return next((p for p in self.paragraphs if p.first_line <= line <= p.last_line), None)

    def position(self, paragraph_id: str) -> int:
        """Reading order of a paragraph (for sorting); unknown ids sort last."""
        for index, paragraph in enumerate(self.paragraphs):
            if paragraph.id == paragraph_id:
                return index
        return len(self.paragraphs)


def comments_dir(root: Path, paper_id: str, round_id: str | None = None) -> Path:
    """``contributions/<paper>/kommentare[/<round>]`` below ``root``."""
    folder = Path(root) / "contributions" / paper_id / COMMENTS_DIR
    return folder / round_id if round_id else folder


def index_path(root: Path, paper_id: str, round_id: str) -> Path:
    return comments_dir(root, paper_id, round_id) / INDEX_FILE


def dump_index(index: RoundIndex) -> str:
    """The index as stable, readable JSON (one paragraph per entry, final newline)."""
    data = {"format": INDEX_FORMAT, **asdict(index)}
    return json.dumps(data, ensure_ascii=False, indent=1) + "\n"


def load_index(root: Path, paper_id: str, round_id: str) -> RoundIndex | None:
    """The round's paragraph index, or None when it is missing or unreadable."""
    path = index_path(root, paper_id, round_id)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        paragraphs = tuple(IndexedParagraph(**p) for p in data["paragraphs"])
        return RoundIndex(data["paper"], data["round"], data["version"], data["content_hash"], int(data["lines"]),
                          int(data["pages"]), paragraphs)
    except (OSError, ValueError, KeyError, TypeError):
        return None


# --- resolving a comment's place ----------------------------------------------------------


@dataclass(frozen=True)
class Place:
    """What a comment's ``stelle`` names: a paragraph, or the whole paper (paragraph None)."""

    paragraph: IndexedParagraph | None
    line: int = 0  # the line named, if the comment named one
    via: str = ""  # "nummer", "kennung", "zeile" or "gesamt"

    @property
    def label(self) -> str:
        return self.paragraph.label if self.paragraph else "gesamt"


class PlaceError(ValueError):
    """``stelle`` names nothing in the round: a German message, a hint and a code for check."""

    def __init__(self, code: str, message: str, hint: str):
        super().__init__(message)
        self.code = code
        self.message = message
        self.hint = hint


def resolve(stelle: str, index: RoundIndex) -> Place:
    """The paragraph ``stelle`` names in ``index``; raises :class:`PlaceError` otherwise."""
    value = " ".join(str(stelle).split())
    if value == WHOLE_PAPER:
        return Place(None, via="gesamt")
    if _LABEL.match(value):
        paragraph = index.by_label(value)
        if paragraph is None:
            raise PlaceError("R203", f"Den Absatz {value} gibt es im Entwurf der Runde nicht.",
                             _label_hint(value, index))
        return Place(paragraph, via="nummer")
    line = _LINE.match(value)
    if line:
        number = int(line.group(1))
        if not index.lines:
            raise PlaceError("R204", f"Die Runde hat kein PDF mit Zeilennummern; Zeile {number} lässt sich nicht "
                                     "zuordnen.", "Nennen Sie die Absatznummer, z. B. stelle: B3.2.")
        if not 1 <= number <= index.lines:
            raise PlaceError("R204", f"Zeile {number} gibt es im PDF der Runde nicht (es hat {index.lines} Zeilen).",
                             "Nehmen Sie die Zeilennummer am linken Rand des PDFs der Runde.")
        paragraph = index.at_line(number)
        if paragraph is None:
            raise PlaceError("R204", f"Zeile {number} gehört zu keinem Absatz (Überschrift, Titel oder Tabelle "
                                     "außerhalb des Textes).", _near_hint(number, index))
        return Place(paragraph, number, "zeile")
    if _ID.match(value):
        paragraph = index.by_id(value)
        if paragraph is None:
            raise PlaceError("R203", f"Den Absatz „{value}“ gibt es im Entwurf der Runde nicht.",
                             "Nehmen Sie die Absatznummer aus dem Rand des PDFs der Runde, z. B. stelle: B3.2.")
        return Place(paragraph, via="kennung")
    raise PlaceError("R203", f"„{value}“ ist keine Stelle im Entwurf.",
                     "Schreiben Sie die Absatznummer (z. B. B3.2), eine Zeile (z. B. Z. 120) oder „gesamt“.")


def _label_hint(label: str, index: RoundIndex) -> str:
    prefix = label.split(".", 1)[0] + "."
    same = [p.label for p in index.paragraphs if p.label.startswith(prefix)]
    if same:
        return f"Zu {prefix[:-1]} gibt es die Absätze {same[0]} bis {same[-1]}."
    return "Die Absatznummern stehen im PDF der Runde links neben den Zeilennummern."


def _near_hint(line: int, index: RoundIndex) -> str:
    after = next((p for p in index.paragraphs if p.first_line > line), None)
    if after is None:
        return "Nennen Sie die Absatznummer, z. B. stelle: B3.2."
    return f"Der nächste Absatz ist {after.label} (ab Zeile {after.first_line}); schreiben Sie z. B. stelle: {after.label}."


# --- loading comments ---------------------------------------------------------------------


def load_comments(root: Path, papers: dict[str, Paper], diagnostics: list[Diagnostic]) -> tuple[Comment, ...]:
    """Every comment file below ``contributions/<paper>/kommentare/<round>/``, in path order."""

    comments: list[Comment] = []
    for paper_id in sorted(papers):
        folder = comments_dir(root, paper_id)
        if not folder.is_dir():
            continue
        for path in sorted(folder.glob("*/*.md")):
            read = read_front_matter(root, path, diagnostics)
            if read is None:
                continue
            data, body, body_line, rel = read
            problems = list(fields.validate(data, COMMENT_FIELDS, Position(1, 1), "dem Kopfbereich des Kommentars"))
            diagnostics.extend(Diagnostic(rel, pos.line, pos.column, code, message, hint)
                               for message, hint, pos, code in problems)
            if problems:
                continue
            assert isinstance(data, dict)
            comments.append(_comment(path, rel, paper_id, data, body, body_line))
    return tuple(comments)


def _comment(path: Path, rel: str, paper_id: str, data: dict, body: str, body_line: int) -> Comment:
    def text(key: str) -> str:
        value = data.get(key)
        return str(value).strip() if value is not None else ""

    return Comment(
        id=path.stem, path=path, rel=rel, paper=paper_id, round=path.parent.name,
        member=path.stem.split("--", 1)[0] if "--" in path.stem else "",
        stelle=text("stelle"), kind=data["art"], reason=body.strip(), reason_line=body_line,
        proposal=text("vorschlag"), author=text("autor"), date=text("datum"), source=text("quelle"),
        decision=data.get("entscheidung") or "offen", answer=text("antwort"), wording=text("fassung"),
        decided=text("entschieden_am"), positions=dict(getattr(data, "positions", {})),
    )
