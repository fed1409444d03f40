"""What happens to a member's text before pandoc reads it: line for line, nothing moves.

* HTML comments are removed (pandoc would show them as text, raw HTML being off); those
  addressed to the Redaktion (``<!-- Redaktion: … -->``) are kept as editorial notes.
* A paragraph that opens with a date (``24. November 2009 tagte …``) would be read as an
  ordered list starting at 24; its dot is escaped (other numbers are list items and stay).

Line numbers stay the same, so positions found in the parse point into the member's file.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

_FENCE = re.compile(r"^\s{0,3}(`{3,}|~{3,})")
_COMMENT = re.compile(r"<!--(.*?)-->", re.DOTALL)
# A day and a month name: "24. November 2009 tagte …" (pandoc would read a list starting at 24).
# Other numbers at a paragraph's start stay what they are: items of a loose numbered list.
DATE_PARAGRAPH = re.compile(r"^(\d{1,2})\.(\s+)(?=(Januar|Februar|März|April|Mai|Juni|Juli|August|September|"
                            r"Oktober|November|Dezember|Jan\.|Feb\.|Aug\.|Sept?\.|Okt\.|Nov\.|Dez\.)\b)")


def iter_text_lines(body: str) -> Iterator[tuple[int, str]]:
    """Yield (0-based line number, line) of the body outside fenced code blocks."""
    fence = ""
    for number, line in enumerate(body.split("\n")):
        match = _FENCE.match(line)
        if fence:
            if match and match.group(1)[0] == fence[0] and len(match.group(1)) >= len(fence):
                fence = ""
            continue
        if match:
            fence = match.group(1)
            continue
        yield number, line


def prepare(body: str) -> tuple[str, list[str]]:
    """The body as pandoc should read it, and the editorial notes taken out of it."""
    lines = body.split("\n")
    text_lines = {number for number, _ in iter_text_lines(body)}
    offsets = [0]
    for line in lines:
        offsets.append(offsets[-1] + len(line) + 1)
    notes: list[str] = []

    def blank(match: re.Match[str]) -> str:
        line = _line_at(offsets, match.start())
        if line not in text_lines:  # a comment inside a code block is code
            return match.group(0)
        text = " ".join(match.group(1).split())
        if text.casefold().startswith("redaktion"):
            notes.append(text)
        # Blank the comment but keep its line breaks, so the block structure stays.
        return "\n" * match.group(0).count("\n")

    body = _COMMENT.sub(blank, body)
    lines = body.split("\n")
    previous_blank = True
    for index, line in enumerate(lines):
        if index in text_lines and previous_blank and DATE_PARAGRAPH.match(line) \
                and not _starts_list(lines, index):
            lines[index] = DATE_PARAGRAPH.sub(lambda m: m.group(1) + "\\." + m.group(2), line, count=1)
        previous_blank = not line.strip()
    return "\n".join(lines), notes


def _line_at(offsets: list[int], position: int) -> int:
    low, high = 0, len(offsets) - 1
    while low < high:
        middle = (low + high + 1) // 2
        if offsets[middle] <= position:
            low = middle
        else:
            high = middle - 1
    return low


def _starts_list(lines: list[str], index: int) -> bool:
    """A real numbered list starts with 1. or continues with another numbered line."""
    first = DATE_PARAGRAPH.match(lines[index])
    if first and first.group(1) == "1":
        return True
    following = lines[index + 1] if index + 1 < len(lines) else ""
    return bool(re.match(r"^\d{1,4}\.\s", following))
