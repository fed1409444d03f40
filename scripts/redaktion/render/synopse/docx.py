"""The Synopse as a Word document with real tracked changes (Überarbeitungen).

The document holds the complete new text; every change from the old text is a revision
Word and LibreOffice can accept or reject: ``w:ins``/``w:del`` for inserted and deleted
words, ``w:moveFrom``/``w:moveTo`` for moved contributions. The author of each revision is
the member (or members) who wrote the contribution, the Redaktion for section
introductions; all revisions carry one fixed date, and the ZIP entries a fixed time, so the
same comparison gives the same bytes.
"""

from __future__ import annotations

import datetime as dt
import io
import itertools
from xml.sax.saxutils import escape, quoteattr

from ...util.zipfiles import normalise_zip
from ...assemble.synopse import REDAKTION, Entry, Segment, Synopse, ordered_sections, paragraphs, word_diff

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


class _Revisions:
    """Hands out revision ids and writes the revision XML with author and date."""

    def __init__(self, date: str):
        self.date = f"{date}T00:00:00Z"
        self._ids = itertools.count(1)

    def attrs(self, author: str) -> str:
        return f'w:id="{next(self._ids)}" w:author={quoteattr(author or REDAKTION)} w:date="{self.date}"'

    def run(self, seg: Segment, author: str, move: str = "") -> str:
        text = escape(seg.text)
        if seg.op == "equal" and not move:
            return f'<w:r><w:t xml:space="preserve">{text}</w:t></w:r>'
        if move:  # moved text keeps w:t inside w:moveFrom / w:moveTo
            return f'<w:{move} {self.attrs(author)}><w:r><w:t xml:space="preserve">{text}</w:t></w:r></w:{move}>'
        if seg.op == "insert":
            return f'<w:ins {self.attrs(author)}><w:r><w:t xml:space="preserve">{text}</w:t></w:r></w:ins>'
        return f'<w:del {self.attrs(author)}><w:r><w:delText xml:space="preserve">{text}</w:delText></w:r></w:del>'

    def paragraph(self, segments: list[Segment], author: str, style: str = "", mark: str = "", move: str = "",
                  range_start: str = "", range_end: str = "") -> str:
        """One ``w:p``; ``mark`` tracks the paragraph mark itself (ins, del, moveFrom, moveTo)."""
        ppr = f'<w:pStyle w:val="{style}"/>' if style else ""
        if mark:
            ppr += f"<w:rPr><w:{mark} {self.attrs(author)}/></w:rPr>"
        runs = "".join(self.run(s, author, move) for s in segments)
        return f'<w:p xmlns:w="{W_NS}"><w:pPr>{ppr}</w:pPr>{range_start}{runs}{range_end}</w:p>'


def render_docx(synopse: Synopse, date: str) -> bytes:
    """The Synopse as DOCX with tracked changes; ``date`` (ISO) dates every revision."""
    from docx import Document
    from docx.shared import Pt

    document = Document()
    document.styles["Normal"].font.size = Pt(11)
    _properties(document, synopse, date)
    _track_revisions(document)
    document.add_heading(f"Synopse: {synopse.title}", level=0)
    document.add_paragraph(f"Bisherige Fassung: {synopse.old_title}\nNeue Fassung: {synopse.new_title}")
    document.add_paragraph(
        f"{synopse.summary()}. Die Änderungen sind als Überarbeitungen eingetragen; als Autorin bzw. Autor jeder "
        "Änderung ist das Mitglied genannt, von dem der Beitrag stammt. Verschobene Beiträge erscheinen als "
        "Verschiebung. Verglichen werden die öffentlichen Fassungen ohne redaktionelle Anmerkungen.")
    revisions = _Revisions(date)
    body = document.element.body
    sect = body.sectPr
    # Only blocks whose old place is shown (a "herkunft" row) become Word moves; a block that
    # changed section without changing its place in the text is shown where it is.
    moves = {e.key: f"verschiebung{n}" for n, e in enumerate(
        (e for e in synopse.entries if e.change == "herkunft"), start=1)}
    for head, rows in ordered_sections(synopse):
        prefix = "Bisheriger Abschnitt " if head.only_old else ""
        document.add_heading(f"{prefix}{head.number} {head.title}", level=1)
        for entry in rows:
            for xml in _entry_paragraphs(entry, revisions, moves.get(entry.key, "")):
                sect.addprevious(_parse(xml))
    return normalise_zip(_save(document), date)


def _entry_paragraphs(entry: Entry, rev: _Revisions, move_name: str) -> list[str]:
    author = entry.attribution
    old_paragraphs = paragraphs(entry.old_segments)
    new_paragraphs = paragraphs(entry.new_segments)
    change = entry.change
    if change == "unveraendert":
        return [rev.paragraph([Segment("equal", entry.heading)], author, "Heading2"),
                *(rev.paragraph(p, author) for p in new_paragraphs)]
    if change in ("herkunft", "verschoben") and move_name:
        kind = "moveFrom" if change == "herkunft" else "moveTo"
        heading = entry.old_heading if change == "herkunft" else entry.heading
        texts = [[Segment("equal", heading)]] + (old_paragraphs if change == "herkunft" else new_paragraphs)
        return _moved(texts, rev, author, kind, move_name, _meta(entry) if change == "verschoben" else "")
    if change == "neu":
        mark, heading = "ins", [Segment("insert", entry.heading)]
    elif change == "entfernt":
        mark, heading = "del", [Segment("delete", entry.heading)]
    else:
        mark, heading = "", _heading_diff(entry)
    out = [rev.paragraph(heading, author, "Heading2", mark), _meta_paragraph(_meta(entry))]
    for p in (old_paragraphs if change == "entfernt" else _merged_paragraphs(entry)):
        whole = {s.op for s in p}
        out.append(rev.paragraph(p, author, mark=("ins" if whole == {"insert"} else "del" if whole == {"delete"}
                                                   else "")))
    return out


def _merged_paragraphs(entry: Entry) -> list[list[Segment]]:
    return paragraphs(list(entry.segments))


def _heading_diff(entry: Entry) -> list[Segment]:
    if entry.old_heading and entry.old_heading != entry.heading and entry.text_changed:
        return list(word_diff(entry.old_heading, entry.heading))
    return [Segment("equal", entry.heading)]


def _moved(texts: list[list[Segment]], rev: _Revisions, author: str, kind: str, name: str, meta: str) -> list[str]:
    start = f'<w:{kind}RangeStart {rev.attrs(author)} w:name="{name}"/>'
    range_id = start.split('w:id="')[1].split('"')[0]
    end = f'<w:{kind}RangeEnd w:id="{range_id}"/>'
    out = []
    for index, segments in enumerate(texts):
        out.append(rev.paragraph([Segment("equal", s.text) for s in segments], author,
                                 "Heading2" if index == 0 else "", mark=kind, move=kind,
                                 range_start=start if index == 0 else "",
                                 range_end=end if index == len(texts) - 1 else ""))
        if index == 0 and meta:
            out.append(_meta_paragraph(meta))
    return out


def _meta(entry: Entry) -> str:
    text = f"{entry.label} · {entry.kind} · {entry.attribution}"
    if entry.change == "verschoben":
        text += f" · bisher {entry.old_place}, jetzt {entry.new_place}"
    if entry.comments:
        text += " · Aus der Kommentierung: " + "; ".join(entry.comments)
    return text


def _meta_paragraph(text: str) -> str:
    return (f'<w:p xmlns:w="{W_NS}"><w:r><w:rPr><w:i/><w:color w:val="555C63"/><w:sz w:val="18"/></w:rPr>'
            f'<w:t xml:space="preserve">{escape(text)}</w:t></w:r></w:p>')


def _parse(xml: str):  # noqa: ANN202 - an lxml element
    from docx.oxml import parse_xml

    return parse_xml(xml)


def _properties(document, synopse: Synopse, date: str) -> None:  # noqa: ANN001 - python-docx Document
    fixed = dt.datetime.fromisoformat(f"{date}T00:00:00+00:00")
    props = document.core_properties
    props.title = f"Synopse: {synopse.title}"
    props.subject = f"{synopse.old_title} – {synopse.new_title}"
    props.author = "Redaktion des Kommunalen Qualitätszirkels für Integrationspolitik"
    props.last_modified_by = props.author
    props.language = "de-DE"
    props.created = props.modified = props.last_printed = fixed
    props.revision = 1


def _track_revisions(document) -> None:  # noqa: ANN001 - python-docx Document
    """Switch on change tracking, so further edits of the Redaktion are tracked as well."""
    settings = document.settings.element
    tab_stop = settings.find(f"{{{W_NS}}}defaultTabStop")  # the schema wants trackRevisions before it
    element = _parse(f'<w:trackRevisions xmlns:w="{W_NS}"/>')
    if tab_stop is not None:
        tab_stop.addprevious(element)
    else:
        settings.append(element)


def _save(document) -> bytes:  # noqa: ANN001 - python-docx Document
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
