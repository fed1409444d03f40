"""Character maps of TrueType/OpenType fonts: which code points a font file has a glyph for.

A small reader of the ``cmap`` table, so that ``redaktion check`` (through
:mod:`redaktion.util.fonts`) needs neither fontTools nor matplotlib; tests/test_fonts.py compares
it with fontTools on every font file the PDF uses.
"""

from __future__ import annotations

import struct
from pathlib import Path
from typing import BinaryIO

Ranges = list[tuple[int, int]]  # sorted, inclusive, neither overlapping nor touching


def read_cmap(path: Path) -> Ranges:
    """Code points that map to a glyph in any Unicode ``cmap`` subtable of any face in ``path``.

    Reads TrueType/OpenType files and collections (``.ttc``); subtable formats 4, 6, 12, 13
    (the ones fonts use for Unicode). Formats it does not know count as empty: stricter.
    """
    spans: Ranges = []
    with path.open("rb") as file:
        header = file.read(12)
        faces = [0]
        if header[:4] == b"ttcf":
            count = struct.unpack(">I", header[8:12])[0]
            faces = list(struct.unpack(f">{count}I", file.read(4 * count)))
        subtables: set[int] = set()
        for face in faces:
            table = _table_offset(file, face, b"cmap")
            if table is not None:
                subtables |= _unicode_subtables(file, table)
        for at in sorted(subtables):  # faces of a collection may share subtables
            spans.extend(merge(_subtable_spans(file, at)))
    return merge(spans)


def merge(spans: Ranges) -> Ranges:
    """``spans`` (in any order, overlapping or not) as sorted, disjoint ranges."""
    merged: Ranges = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1] + 1:
            if end > merged[-1][1]:
                merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return merged


def _table_offset(file: BinaryIO, face: int, tag: bytes) -> int | None:
    file.seek(face)
    count = struct.unpack(">4xH6x", file.read(12))[0]
    directory = file.read(16 * count)
    for index in range(count):
        name, _checksum, offset, _length = struct.unpack_from(">4sIII", directory, 16 * index)
        if name == tag:
            return offset
    return None


def _unicode_subtables(file: BinaryIO, table: int) -> set[int]:
    """Absolute offsets of the subtables that map Unicode (the ones Typst's shaper reads).

    When there is a full-repertoire subtable (format 12), the BMP-only ones are left out: they
    hold a subset of it, and reading them would double the time for a CJK collection. Leaving
    a subtable out can only make the coverage smaller, never larger.
    """
    file.seek(table)
    count = struct.unpack(">2xH", file.read(4))[0]
    records = file.read(8 * count)
    found: dict[int, int] = {}
    for index in range(count):
        platform, encoding, offset = struct.unpack_from(">HHI", records, 8 * index)
        if platform == 0 or (platform == 3 and encoding in (1, 10)):
            file.seek(table + offset)
            found[table + offset] = struct.unpack(">H", file.read(2))[0]
    if 12 in found.values():
        return {at for at, fmt in found.items() if fmt == 12}
    return set(found)


def _subtable_spans(file: BinaryIO, at: int) -> Ranges:
    file.seek(at)
    fmt = struct.unpack(">H", file.read(2))[0]
    if fmt in (12, 13):
        length = struct.unpack(">2xI", file.read(6))[0]
        data = file.read(length - 8)
        groups = struct.unpack_from(">I", data, 4)[0]
        spans = []
        for start, end, glyph in struct.iter_unpack(">III", data[8:8 + 12 * groups]):
            if glyph == 0:  # format 12: only the first code point maps to .notdef
                start = end + 1 if fmt == 13 else start + 1
            if start <= end:
                spans.append((start, end))
        return spans
    if fmt == 4:
        return _format4_spans(file.read(struct.unpack(">H", file.read(2))[0] - 4))
    if fmt == 6:
        first, count = struct.unpack(">4xHH", file.read(8))
        return _runs(first, struct.unpack(f">{count}H", file.read(2 * count)), 0)
    return []


def _format4_spans(data: bytes) -> Ranges:
    # ``data`` starts after format and length: language, segCountX2, … (offsets shifted by 4).
    segments = struct.unpack_from(">H", data, 2)[0] // 2
    ends = struct.unpack_from(f">{segments}H", data, 10)
    starts = struct.unpack_from(f">{segments}H", data, 12 + 2 * segments)
    deltas = struct.unpack_from(f">{segments}h", data, 12 + 4 * segments)
    range_offsets_at = 12 + 6 * segments
    range_offsets = struct.unpack_from(f">{segments}H", data, range_offsets_at)
    spans: Ranges = []
    for index, (start, end, delta, range_offset) in enumerate(zip(starts, ends, deltas, range_offsets)):
        end = min(end, 0xFFFE)  # the final 0xFFFF segment maps nothing
        if start > end:
            continue
        if range_offset == 0:  # glyph = code point + delta: .notdef for at most one code point
            hole = -delta & 0xFFFF
            spans.extend(span for span in ((start, min(end, hole - 1)), (max(start, hole + 1), end))
                         if span[0] <= span[1])
            continue
        at = range_offsets_at + 2 * index + range_offset
        count = max(0, min(end - start + 1, (len(data) - at) // 2))
        spans.extend(_runs(start, struct.unpack_from(f">{count}H", data, at), delta))
    return spans


def _runs(first: int, glyphs: tuple[int, ...], delta: int) -> Ranges:
    """Ranges of the code points ``first + i`` whose glyph ``glyphs[i]`` (plus delta) is not 0."""
    spans: Ranges = []
    for index, glyph in enumerate(glyphs):
        if glyph and (glyph + delta) & 0xFFFF:
            cp = first + index
            if spans and spans[-1][1] == cp - 1:
                spans[-1] = (spans[-1][0], cp)
            else:
                spans.append((cp, cp))
    return spans
