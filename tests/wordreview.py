"""Make a reviewed copy of a DOCX the way Word writes one: tracked changes and comments (lxml).

Word records an insertion as ``w:ins`` around runs, a deletion as ``w:del`` around runs whose
text is in ``w:delText``, and a comment as ``w:commentRangeStart``/``w:commentRangeEnd`` in the
text plus a ``w:commentReference`` run, with the comment itself in ``word/comments.xml``
(relationship and content type registered). Bookmarks stay where they were.
"""

from __future__ import annotations

import copy
import io
import itertools
import zipfile

from lxml import etree

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W = f"{{{W_NS}}}"
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
COMMENTS_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/comments"
COMMENTS_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.comments+xml"


class ReviewedCopy:
    """A DOCX opened for review; :meth:`save` gives the bytes of the reviewed copy."""

    def __init__(self, data: bytes):
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            self.parts = {info.filename: archive.read(info.filename) for info in archive.infolist()}
        self.document = etree.fromstring(self.parts["word/document.xml"])
        self.comments: list[tuple[int, str, str, str]] = []
        self._ids = itertools.count(9001)

    # --- finding paragraphs -----------------------------------------------------------------

    def bookmarked(self, name: str) -> etree._Element:
        """The first paragraph inside the bookmark ``name`` (bookmarks may stand before or in it)."""
        start = next(b for b in self.document.iter(f"{W}bookmarkStart") if b.get(f"{W}name") == name)
        paragraph = next(start.iterancestors(f"{W}p"), None)
        if paragraph is not None:
            return paragraph
        following = start.getnext()
        while following is not None and following.tag != f"{W}p":
            following = following.getnext()
        return following

    def containing(self, text: str) -> etree._Element:
        return next(p for p in self.document.iter(f"{W}p") if text in paragraph_text(p))

    def remove_bookmarks(self) -> None:
        """Drop every bookmark, as a retyped or pasted copy has none."""
        for tag in ("bookmarkStart", "bookmarkEnd"):
            for element in list(self.document.iter(f"{W}{tag}")):
                element.getparent().remove(element)

    # --- changes ------------------------------------------------------------------------------

    def replace(self, paragraph: etree._Element, old: str, new: str, author: str, date: str) -> None:
        """Track the replacement of ``old`` (inside one run) by ``new``."""
        run, before, after = self._split(paragraph, old)
        deletion = self._change("del", author, date)
        deleted = copy.deepcopy(run)
        text = deleted.find(f"{W}t")
        text.tag = f"{W}delText"
        text.text = old
        text.set(XML_SPACE, "preserve")
        deletion.append(deleted)
        items = [deletion]
        if new:
            insertion = self._change("ins", author, date)
            inserted = copy.deepcopy(run)
            inserted.find(f"{W}t").text = new
            inserted.find(f"{W}t").set(XML_SPACE, "preserve")
            insertion.append(inserted)
            items.append(insertion)
        self._put(run, before, items, after)

    def insert_after(self, paragraph: etree._Element, anchor: str, new: str, author: str, date: str) -> None:
        """Track the insertion of ``new`` right after the text ``anchor``."""
        run, before, after = self._split(paragraph, anchor)
        insertion = self._change("ins", author, date)
        inserted = copy.deepcopy(run)
        inserted.find(f"{W}t").text = new
        inserted.find(f"{W}t").set(XML_SPACE, "preserve")
        insertion.append(inserted)
        kept = copy.deepcopy(run)
        kept.find(f"{W}t").text = anchor
        self._put(run, before, [kept, insertion], after)

    def comment(self, paragraph: etree._Element, text: str, author: str, date: str) -> None:
        """Anchor a comment on the whole paragraph, as Word does when text is selected."""
        number = len(self.comments)
        runs = [child for child in paragraph if child.tag in (f"{W}r", f"{W}ins", f"{W}del")]
        start = etree.Element(f"{W}commentRangeStart")
        start.set(f"{W}id", str(number))
        runs[0].addprevious(start)
        end = etree.Element(f"{W}commentRangeEnd")
        end.set(f"{W}id", str(number))
        runs[-1].addnext(end)
        reference = etree.fromstring(f'<w:r xmlns:w="{W_NS}"><w:rPr><w:rStyle w:val="CommentReference"/></w:rPr>'
                                     f'<w:commentReference w:id="{number}"/></w:r>')
        end.addnext(reference)
        self.comments.append((number, author, date, text))

    def save(self) -> bytes:
        parts = dict(self.parts)
        parts["word/document.xml"] = etree.tostring(self.document, xml_declaration=True, encoding="UTF-8",
                                                    standalone=True)
        if self.comments:
            parts["word/comments.xml"] = self._comments_xml()
            rels = parts["word/_rels/document.xml.rels"].decode("utf-8")
            if COMMENTS_REL not in rels:
                rels = rels.replace("</Relationships>", f'<Relationship Id="rIdReview1" Type="{COMMENTS_REL}" '
                                                        'Target="comments.xml"/></Relationships>')
            parts["word/_rels/document.xml.rels"] = rels.encode("utf-8")
            types = parts["[Content_Types].xml"].decode("utf-8")
            if "/word/comments.xml" not in types:
                types = types.replace("</Types>", f'<Override PartName="/word/comments.xml" '
                                                  f'ContentType="{COMMENTS_TYPE}"/></Types>')
            parts["[Content_Types].xml"] = types.encode("utf-8")
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
            for name, data in parts.items():
                archive.writestr(name, data)
        return out.getvalue()

    # --- helpers ------------------------------------------------------------------------------

    def _change(self, kind: str, author: str, date: str) -> etree._Element:
        element = etree.Element(f"{W}{kind}")
        element.set(f"{W}id", str(next(self._ids)))
        element.set(f"{W}author", author)
        element.set(f"{W}date", date)
        return element

    def _split(self, paragraph: etree._Element, needle: str) -> tuple[etree._Element, str, str]:
        for run in paragraph.iter(f"{W}r"):
            text = run.find(f"{W}t")
            if text is not None and text.text and needle in text.text:
                before, _, after = text.text.partition(needle)
                return run, before, after
        raise AssertionError(f"{needle!r} steht in keinem Lauf des Absatzes")

    def _put(self, run: etree._Element, before: str, items: list[etree._Element], after: str) -> None:
        for text, where in ((before, "before"), (after, "after")):
            if not text:
                continue
            piece = copy.deepcopy(run)
            piece.find(f"{W}t").text = text
            piece.find(f"{W}t").set(XML_SPACE, "preserve")
            items = [piece, *items] if where == "before" else [*items, piece]
        for item in items:
            run.addprevious(item)
        run.getparent().remove(run)

    def _comments_xml(self) -> bytes:
        root = etree.Element(f"{W}comments", nsmap={"w": W_NS})
        for number, author, date, text in self.comments:
            comment = etree.SubElement(root, f"{W}comment")
            comment.set(f"{W}id", str(number))
            comment.set(f"{W}author", author)
            comment.set(f"{W}date", date)
            comment.set(f"{W}initials", "".join(part[0] for part in author.split()))
            paragraph = etree.SubElement(comment, f"{W}p")
            etree.SubElement(etree.SubElement(paragraph, f"{W}r"), f"{W}annotationRef")
            run = etree.SubElement(paragraph, f"{W}r")
            etree.SubElement(run, f"{W}t").text = text
        return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def paragraph_text(paragraph: etree._Element) -> str:
    return "".join(t.text or "" for t in paragraph.iter(f"{W}t"))
