"""Which lines of a draft PDF belong to which numbered paragraph, recorded when the PDF is made.

Draft PDFs number their lines through the whole document (Typst's ``par.line``) and show each
paragraph's number (``B3.2``) in the margin. Comments may name a line ("Z. 120") instead of a
paragraph, so a consultation round keeps the map from lines to paragraphs.

The map is read from the same Typst source that gives the PDF, not from the PDF's text: the
template records, as ``<redaktion-zeilen>`` metadata, the page and baseline of every line
number and of the start and end mark of every paragraph (the Lua filter puts the start mark at
the beginning of the paragraph's first line and the end mark at the end of its last line).
:func:`line_map` queries them with Typst. A paragraph's lines are those from the line of its
start mark to the line of its end mark; lines between paragraphs (headings, provenance lines,
data tables) belong to none. Nothing depends on how a PDF reader extracts text, on fonts or on
hyphenation.
"""

from __future__ import annotations

import bisect
import json
from dataclasses import dataclass
from pathlib import Path

from ...model import Draft, RenderError
from . import font_paths, project_source, world_options

_SAME_LINE = 0.5  # points: a mark on a line's baseline counts for that line
# Asks the template to record the marks; the PDF leaves them out (same layout, same bytes).
LINE_MARKS = {"redaktion-zeilen": "ja"}


@dataclass(frozen=True)
class ParagraphLines:
    """Where one numbered paragraph stands in the PDF."""

    label: str  # e.g. "B3.2"
    first: int  # first line number
    last: int  # last line number
    page: int  # page of the first line


@dataclass(frozen=True)
class LineMap:
    """The line numbers of a draft PDF and the paragraphs they belong to."""

    lines: int  # number of the last line
    pages: int
    paragraphs: tuple[ParagraphLines, ...]

    def paragraph_at(self, line: int) -> ParagraphLines | None:
        """The paragraph line ``line`` belongs to, or None (heading, title, outside the PDF)."""
        return next((p for p in self.paragraphs if p.first <= line <= p.last), None)


def line_map(draft: Draft, root: Path) -> LineMap:
    """Lay out ``draft``'s PDF (as :func:`~redaktion.render.pdf.render_pdf` does) and map its lines."""
    import typst

    if not draft.is_draft:
        raise ValueError("Nur Entwürfe haben Zeilen- und Absatznummern.")
    source = project_source(draft, root)
    try:
        raw = typst.query(source.encode("utf-8"), "<redaktion-zeilen>", field="value", sys_inputs=LINE_MARKS,
                          **world_options(root, font_paths()))
    except typst.TypstError as error:  # the PDF of the same source is made first and shows the cause
        raise RenderError(f"Die Zeilennummern von „{draft.paper.title}“ ließen sich nicht ermitteln: {error}") from None
    return map_marks(json.loads(raw))


def map_marks(marks: list[dict]) -> LineMap:
    """The line map from the recorded marks (``art`` zeile, absatz or ende; ``seite``; ``y``)."""
    lines = sorted((m["seite"], m["y"], m["zeile"]) for m in marks if m["art"] == "zeile")
    positions = [(page, y) for page, y, _ in lines]

    def line_of(mark: dict) -> int:
        # The last line whose number stands at or above the mark's baseline on the mark's page.
        index = bisect.bisect_right(positions, (mark["seite"], mark["y"] + _SAME_LINE)) - 1
        if index < 0 or lines[index][0] != mark["seite"]:
            index = bisect.bisect_left(positions, (mark["seite"], 0.0))  # first line of the page
        return lines[min(index, len(lines) - 1)][2] if lines else 0

    paragraphs: list[ParagraphLines] = []
    start: dict | None = None
    for mark in marks:
        if mark["art"] == "absatz":
            start = mark
        elif mark["art"] == "ende" and start is not None:
            first, last = line_of(start), line_of(mark)
            paragraphs.append(ParagraphLines(start["kennung"], first, max(first, last), start["seite"]))
            start = None
    return LineMap(max((n for _, _, n in lines), default=0), max((p for p, _, _ in lines), default=0),
                   tuple(paragraphs))


__all__ = ["LineMap", "ParagraphLines", "line_map", "map_marks"]
