"""The Synopse: two public drafts of a paper compared block by block.

Blocks are matched by contribution id. A block in both drafts is *unverändert* or
*geändert* (word-level diff inside); one that changed section or order is *verschoben*
(possibly also changed), never deleted plus inserted; one only in the new draft is *neu*,
one only in the old draft *entfernt*. Section introductions are compared as blocks of the
Redaktion. Every entry names its contribution and members, so each change is attributed.

Only public drafts are compared (``assemble(..., intern=False)``): editorial comments
(``<!-- … -->`` and ``note:``) are removed by ``assemble`` and never reach a Synopse.

Renderers: ``synopse_html`` (HTML and Typst PDF) and ``synopse_docx`` (tracked changes).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator
from dataclasses import dataclass

from ..model import CONTRIBUTION_KIND_LABELS, Block, Draft, DraftSection

CHANGE_LABELS = {
    "unveraendert": "Unverändert",
    "geaendert": "Geändert",
    "verschoben": "Verschoben",
    "neu": "Neu",
    "entfernt": "Entfernt",
    "herkunft": "Bisherige Stelle",  # placeholder where a moved block used to be
}
REDAKTION = "Redaktion"

_TOKEN = re.compile(r"\n\n|\s+|\w+|[^\w\s]")
_FOOTNOTE_REF = re.compile(r"\[\^[^\]\s]*?-([^\]\s-]+)\](?!:)")
_FOOTNOTE_DEF = re.compile(r"^\[\^[^\]\s]*?-([^\]\s-]+)\]:\s*", re.MULTILINE)
_IMAGE = re.compile(r"!\[([^\]]*)\]\([^)]*\)(\{[^}]*\})?")
_LINK = re.compile(r"(?<!!)\[([^\]]+)\]\(([^)\s]+)[^)]*\)")
_HEADING = re.compile(r"^#{1,6}\s+(.*?)\s*(\{[^}]*\})?\s*$", re.MULTILINE)
_EMPHASIS = re.compile(r"(\*\*|__|\*|_)(?=\S)(.+?)(?<=\S)\1")
_TABLE_RULE = re.compile(r"^\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$", re.MULTILINE)


@dataclass(frozen=True)
class Segment:
    """A run of text that is equal in both drafts, or only in the old (delete) or new (insert)."""

    op: str  # "equal", "delete", "insert"
    text: str


@dataclass(frozen=True)
class Entry:
    """One row of the Synopse."""

    change: str  # key of CHANGE_LABELS
    key: str  # contribution id, or "einleitung:<section>"
    kind: str  # German label: "Praxisbeispiel", "Einleitung", …
    heading: str  # as in the new draft (the old one for removed blocks)
    old_heading: str
    attribution: str  # member names, or "Redaktion"
    members: tuple[str, ...]  # member ids
    section_id: str  # the section the row is shown in
    old_place: str  # German, e.g. "Abschnitt 4 „Eltern …“, Position 2"
    new_place: str
    segments: tuple[Segment, ...]
    text_changed: bool
    comments: tuple[str, ...] = ()  # the round comments this change comes from, e.g. "Nr. 3 (…)"

    @property
    def label(self) -> str:
        return CHANGE_LABELS[self.change] + (" und geändert" if self.change == "verschoben" and self.text_changed
                                             else "")

    @property
    def old_segments(self) -> list[Segment]:
        return [s for s in self.segments if s.op != "insert"]

    @property
    def new_segments(self) -> list[Segment]:
        return [s for s in self.segments if s.op != "delete"]

    @property
    def is_change(self) -> bool:
        return self.change not in ("unveraendert", "herkunft")


@dataclass(frozen=True)
class SectionHead:
    id: str
    number: int
    title: str
    old_title: str  # "" when unchanged or new
    only_old: bool  # the section exists only in the old draft


@dataclass(frozen=True)
class Synopse:
    paper_id: str
    title: str
    old_title: str  # e.g. "Version 1.1 vom 30. Juni 2010"
    new_title: str
    old_label: str  # for file names, e.g. "1.1"
    new_label: str
    sections: tuple[SectionHead, ...]
    entries: tuple[Entry, ...]
    publisher: str = ""  # who publishes the paper, for the heading

    @property
    def changes(self) -> list[Entry]:
        return [e for e in self.entries if e.is_change]

    def counts(self) -> dict[str, int]:
        return {key: sum(1 for e in self.changes if e.change == key)
                for key in ("geaendert", "verschoben", "neu", "entfernt")}

    def summary(self) -> str:
        """German one-liner, e.g. „4 Änderungen: 1 geändert, 1 verschoben, 1 neu, 1 entfernt“."""
        counts = self.counts()
        total = sum(counts.values())
        if not total:
            return "Keine inhaltlichen Änderungen."
        parts = [f"{n} {CHANGE_LABELS[k].lower()}" for k, n in counts.items() if n]
        return f"{total} {'Änderung' if total == 1 else 'Änderungen'}: " + ", ".join(parts)

    def entries_of(self, section_id: str) -> list[Entry]:
        return [e for e in self.entries if e.section_id == section_id]


# --- text ---------------------------------------------------------------------------------


def plain_text(markdown: str) -> str:
    """Readable text of a block's Markdown: the words a reader sees, paragraphs kept."""
    text = _HEADING.sub(lambda m: m.group(1), markdown)
    text = _IMAGE.sub(lambda m: f"[Abbildung: {m.group(1).strip()}]", text)
    text = _LINK.sub(lambda m: f"{m.group(1)} ({m.group(2)})" if m.group(2).startswith("http") else m.group(1),
                     text)
    text = _FOOTNOTE_DEF.sub(lambda m: f"[{m.group(1)}] ", text)
    text = _FOOTNOTE_REF.sub(lambda m: f"[{m.group(1)}]", text)
    text = _TABLE_RULE.sub("", text)
    text = _EMPHASIS.sub(lambda m: m.group(2), text)
    text = text.replace("\\", "")
    paragraphs = [" ".join(p.split()) if "|" not in p else p.strip() for p in re.split(r"\n\s*\n", text)]
    return "\n\n".join(p for p in paragraphs if p)


def word_diff(old: str, new: str) -> tuple[Segment, ...]:
    """Word-level difference of two texts as equal/delete/insert segments."""
    a, b = _TOKEN.findall(old), _TOKEN.findall(new)
    raw: list[Segment] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            raw.append(Segment("equal", "".join(a[i1:i2])))
            continue
        if i2 > i1:
            raw.append(Segment("delete", "".join(a[i1:i2])))
        if j2 > j1:
            raw.append(Segment("insert", "".join(b[j1:j2])))
    return tuple(_merge(_absorb_spaces(raw)))


def _absorb_spaces(segments: list[Segment]) -> list[Segment]:
    """A lone space between two changes belongs to both: „alt neu“ reads better than „a|l|t“."""
    out: list[Segment] = []
    for index, seg in enumerate(segments):
        between = 0 < index < len(segments) - 1
        if (seg.op == "equal" and between and seg.text.isspace() and "\n\n" not in seg.text
                and segments[index - 1].op != "equal" and segments[index + 1].op != "equal"):
            out += [Segment("delete", seg.text), Segment("insert", seg.text)]
        else:
            out.append(seg)
    # collect deletes before inserts inside each changed run
    result: list[Segment] = []
    run: list[Segment] = []
    for seg in out + [Segment("equal", "")]:
        if seg.op == "equal":
            result += [s for s in run if s.op == "delete"] + [s for s in run if s.op == "insert"]
            run = []
            if seg.text:
                result.append(seg)
        else:
            run.append(seg)
    return result


def _merge(segments: list[Segment]) -> Iterator[Segment]:
    current: Segment | None = None
    for seg in segments:
        if current and current.op == seg.op:
            current = Segment(seg.op, current.text + seg.text)
            continue
        if current:
            yield current
        current = seg
    if current:
        yield current


# --- comparison ---------------------------------------------------------------------------


@dataclass(frozen=True)
class _Item:
    key: str
    kind: str
    heading: str
    title: str  # compared instead of the heading, so renumbered recommendations are no change
    text: str
    members: tuple[str, ...]
    member_names: str
    section: DraftSection
    position: int


def _items(draft: Draft) -> list[_Item]:
    items: list[_Item] = []
    for section in draft.sections:
        if section.intro:
            items.append(_Item(f"einleitung:{section.id}", "Einleitung", f"Einleitung zu „{section.title}“",
                               "Einleitung", plain_text(section.intro), (), REDAKTION, section, 0))
        for position, block in enumerate(section.blocks, start=1):
            items.append(_block_item(block, section, position))
    return items


def _block_item(block: Block, section: DraftSection, position: int) -> _Item:
    return _Item(block.contribution_id, CONTRIBUTION_KIND_LABELS.get(block.kind, block.kind), block.heading,
                 block.title, block.text, tuple(m.id for m in block.members), block.member_names,
                 section, position)


def _place(item: _Item) -> str:
    where = f"Abschnitt {item.section.number} „{item.section.title}“"
    return where if item.position == 0 else f"{where}, Position {item.position}"


def compare(old: Draft, new: Draft, old_title: str, new_title: str, old_label: str, new_label: str) -> Synopse:
    """Compare two public drafts of the same paper."""
    if old.intern or new.intern:
        raise ValueError("Eine Synopse vergleicht nur öffentliche Fassungen.")
    old_items, new_items = _items(old), _items(new)
    old_by_key = {i.key: i for i in old_items}
    new_by_key = {i.key: i for i in new_items}
    matcher = difflib.SequenceMatcher(None, [i.key for i in old_items], [i.key for i in new_items], autojunk=False)
    in_place = {old_items[m.a + k].key for m in matcher.get_matching_blocks() for k in range(m.size)}
    entries: list[Entry] = []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        for item in old_items[i1:i2] if op != "equal" else ():
            if item.key not in new_by_key:
                entries.append(_entry("entfernt", item, None))
            elif item.key not in in_place:
                entries.append(_entry("herkunft", item, new_by_key[item.key]))
        for item in new_items[j1:j2]:
            before = old_by_key.get(item.key)
            entries.append(_entry(_change(before, item, item.key in in_place), before, item))
    return Synopse(new.paper.id, new.paper.title, old_title, new_title, old_label, new_label,
                   _section_heads(old, new), tuple(entries), new.publisher.name)


def _change(old: _Item | None, new: _Item, in_place: bool) -> str:
    if old is None:
        return "neu"
    if not in_place or old.section.id != new.section.id:
        return "verschoben"
    return "unveraendert" if (old.text, old.title) == (new.text, new.title) else "geaendert"


def _entry(change: str, old: _Item | None, new: _Item | None) -> Entry:
    shown = new if new is not None and change != "herkunft" else old
    assert shown is not None
    if change == "herkunft":
        segments: tuple[Segment, ...] = ()
    elif old is None:
        segments = (Segment("insert", new.text),) if new and new.text else ()
    elif new is None:
        segments = (Segment("delete", old.text),) if old.text else ()
    else:
        segments = word_diff(old.text, new.text)
    changed = old is not None and new is not None and (old.text, old.title) != (new.text, new.title)
    return Entry(
        change=change, key=shown.key, kind=shown.kind, heading=(new or old).heading,  # type: ignore[union-attr]
        old_heading=old.heading if old else "", attribution=shown.member_names, members=shown.members,
        section_id=shown.section.id, old_place=_place(old) if old else "", new_place=_place(new) if new else "",
        segments=segments, text_changed=changed)


def _section_heads(old: Draft, new: Draft) -> tuple[SectionHead, ...]:
    old_sections = {s.id: s for s in old.sections}
    heads = [SectionHead(s.id, s.number, s.title,
                         old_sections[s.id].title if s.id in old_sections and old_sections[s.id].title != s.title
                         else "", False)
             for s in new.sections]
    new_ids = {s.id for s in new.sections}
    heads += [SectionHead(s.id, s.number, s.title, "", True) for s in old.sections if s.id not in new_ids]
    return tuple(heads)


def ordered_sections(synopse: Synopse) -> list[tuple[SectionHead, list[Entry]]]:
    """Sections in display order with their rows (sections without rows are left out)."""
    return [(head, rows) for head in synopse.sections if (rows := synopse.entries_of(head.id))]


def paragraphs(segments: list[Segment]) -> list[list[Segment]]:
    """Split segments at paragraph breaks (``\\n\\n``) into one segment list per paragraph."""
    result: list[list[Segment]] = [[]]
    for seg in segments:
        parts = seg.text.split("\n\n")
        for index, part in enumerate(parts):
            if index:
                result.append([])
            if part:
                result[-1].append(Segment(seg.op, part))
    return [p for p in result if any(s.text.strip() for s in p)]


def aligned_rows(segments: tuple[Segment, ...]) -> list[list[Segment]]:
    """Cut the segments into rows that start a new paragraph on both sides at once.

    Only a paragraph break inside equal text is such a point; the rows can be set side by
    side, so the old and the new wording of a paragraph stand next to each other.
    """
    rows: list[list[Segment]] = [[]]
    for seg in segments:
        if seg.op != "equal":
            rows[-1].append(seg)
            continue
        for index, part in enumerate(seg.text.split("\n\n")):
            if index:
                rows.append([])
            if part:
                rows[-1].append(Segment("equal", part))
    return [row for row in rows if any(s.text.strip() for s in row)]


def anchor(entry: Entry) -> str:
    """HTML id of an entry's row."""
    prefix = "bisher-" if entry.change == "herkunft" else ""
    return prefix + re.sub(r"[^a-z0-9-]+", "-", entry.key.lower()).strip("-")


def view(synopse: Synopse, date: str) -> dict:
    """JSON-ready data for the HTML template and the Typst template (``date`` is German)."""
    def cell(segments: list[Segment]) -> list[list[dict[str, str]]]:
        return [[{"op": s.op, "text": s.text} for s in p] for p in paragraphs(segments)]

    sections = []
    for head, rows in ordered_sections(synopse):
        entries = [{
            "anchor": anchor(e), "change": e.change, "label": e.label, "kind": e.kind, "heading": e.heading,
            "old_heading": e.old_heading, "attribution": e.attribution, "old_place": e.old_place,
            "new_place": e.new_place, "text_changed": e.text_changed, "moved_anchor": anchor(
                Entry(**{**e.__dict__, "change": "verschoben"})) if e.change == "herkunft" else "",
            "old": cell(e.old_segments), "new": cell(e.new_segments), "groups": _rows(e),
            "comments": list(e.comments),
        } for e in rows]
        sections.append({"number": head.number, "title": head.title, "old_title": head.old_title,
                         "only_old": head.only_old, "entries": entries})
    return {
        "paper": synopse.paper_id, "title": synopse.title, "old": synopse.old_title, "new": synopse.new_title,
        "publisher": synopse.publisher,
        "date": date, "summary": synopse.summary(),
        "changes": [{"anchor": anchor(e), "change": e.change, "label": e.label, "heading": e.heading,
                     "attribution": e.attribution, "comments": list(e.comments)} for e in synopse.changes],
        "sections": sections,
    }


def _rows(entry: Entry) -> list[dict]:
    """Groups of aligned paragraph rows of a changed block; ``same`` groups are unchanged."""
    if entry.change in ("neu", "entfernt", "herkunft") or (entry.change == "verschoben" and not entry.text_changed):
        return []

    def side(row: list[Segment], drop: str) -> list[list[dict[str, str]]]:
        return [[{"op": s.op, "text": s.text} for s in p] for p in paragraphs([s for s in row if s.op != drop])]

    groups: list[dict] = []
    for row in aligned_rows(entry.segments):
        same = all(s.op == "equal" for s in row)
        if not groups or groups[-1]["same"] != same or not same:
            groups.append({"same": same, "rows": []})
        groups[-1]["rows"].append({"old": side(row, "insert"), "new": side(row, "delete")})
    return groups
