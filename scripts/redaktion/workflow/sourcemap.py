"""Where each numbered paragraph of a contribution stands in its Markdown file.

pandoc's Markdown reader keeps no source positions, so the body is cut into chunks at blank
lines and each chunk is parsed on its own, exactly as the whole body is (:mod:`redaktion.source.parse`);
consecutive chunks are joined until they give the next blocks of the whole body's parse.
Footnote and link definitions are added to every chunk, so a paragraph with a footnote
parses the same alone as in its file. A paragraph is *separable* when its lines hold nothing
else; only then can ``redaktion apply`` replace it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from ..model import Contribution
from ..source.parse import ast_cache, parse_texts
from ..source.parse.ast import dumps
from ..source.parse.paragraphs import numbered

_DEFINITION = re.compile(r"^\s{0,3}\[\^?[^\]]+\]:")
_MAX_JOIN = 12  # chunks joined at most for one block (a loose list, a grid table)


@dataclass(frozen=True)
class SourceParagraph:
    """The k-th numbered paragraph of a body and the body lines it occupies."""

    ordinal: int
    start: int  # index of its first line in the body (0-based)
    end: int  # index after its last line
    separable: bool  # the lines hold this block and nothing else


def locate(contribution: Contribution, root: Path) -> list[SourceParagraph]:
    """The numbered paragraphs of ``contribution`` with their lines; ``[]`` if they cannot be found."""
    lines = contribution.body.split("\n")
    chunks = _chunks(lines)
    definitions = [c for c in chunks if _is_definition(lines, c, chunks)]
    appendix = "\n\n" + "\n\n".join("\n".join(lines[s:e]) for s, e in definitions) if definitions else ""
    cache = ast_cache(root)
    whole = [dumps([b]) for b in parse_texts([contribution.body], cache)[0].blocks]
    body_chunks = [c for c in chunks if c not in definitions]

    def text(start: int, stop: int) -> str:
        return "\n".join(lines[body_chunks[start][0]:body_chunks[stop - 1][1]]) + appendix

    # Most chunks are one block on their own: parse them all in one go, join only where needed.
    single = [[dumps([b]) for b in p.blocks] for p in parse_texts([text(i, i + 1) for i in range(len(body_chunks))],
                                                                  cache)]
    spans: list[tuple[int, int, int, int]] = []  # (first block, block count, start line, end line)
    position, index = 0, 0
    while index < len(body_chunks) and position < len(whole):
        found = None
        if not single[index]:  # an editorial comment (<!-- … -->) on its own: belongs to no block
            index += 1
            continue
        if single[index] == whole[position:position + len(single[index])]:
            found = (index + 1, len(single[index]))
        else:
            stops = list(range(index + 2, min(len(body_chunks), index + _MAX_JOIN) + 1))
            for stop, parsed in zip(stops, parse_texts([text(index, stop) for stop in stops], cache)):
                blocks = [dumps([b]) for b in parsed.blocks]
                if blocks and blocks == whole[position:position + len(blocks)]:
                    found = (stop, len(blocks))
                    break
        if found is None:
            return []
        stop, count = found
        spans.append((position, count, body_chunks[index][0], body_chunks[stop - 1][1]))
        position += count
        index = stop
    paragraphs: list[SourceParagraph] = []
    numbered_positions = numbered([_kind(b) for b in whole])
    for ordinal, block in enumerate(numbered_positions, start=1):
        span = next(s for s in spans if s[0] <= block < s[0] + s[1])
        paragraphs.append(SourceParagraph(ordinal, span[2], span[3], span[1] == 1))
    return paragraphs


def _kind(block_json: str) -> dict:
    """A stand-in block with only its type, enough for :func:`numbered`."""
    return {"t": block_json.split('"t":"', 1)[1].split('"', 1)[0]}


def _chunks(lines: list[str]) -> list[tuple[int, int]]:
    """Runs of non-blank lines as (start, end) indices."""
    chunks, start = [], None
    for number, line in enumerate(lines + [""]):
        if line.strip() and start is None:
            start = number
        elif not line.strip() and start is not None:
            chunks.append((start, number))
            start = None
    return chunks


def _is_definition(lines: list[str], chunk: tuple[int, int], chunks: list[tuple[int, int]]) -> bool:
    """A footnote or link definition, or an indented continuation of a footnote definition."""
    first = lines[chunk[0]]
    if _DEFINITION.match(first):
        return True
    position = chunks.index(chunk)
    return (first.startswith("    ") and position > 0
            and _is_definition(lines, chunks[position - 1], chunks))
