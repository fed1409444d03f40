"""Clean up the pandoc AST of an imported document so it reads like a hand-written contribution.

Pandoc's JSON AST (API 1.23) is walked generically: every list whose items are all
elements (``{"t": …}``) is an element list, and each element may be replaced by zero or
more elements. What the walk does:

* comments (``comment-start`` spans) are removed and collected for the report;
  tracked insertions are kept, deletions dropped (like "accept all changes"), both counted;
* other spans and divs (bookmarks, custom styles) are unwrapped;
* figures become a paragraph with one image; image attributes (size) are dropped;
  an alt text that Word generated automatically is removed so ``check`` asks for a real one;
* table column widths are dropped (so pipe tables can be written);
* formulas become inline code with their TeX text; raw snippets are dropped;
* headings lose their ids and are shifted so the highest level becomes ``##``; the first
  heading may become the title.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

Element = dict[str, Any]

_AUTO_ALT = re.compile(r"(automatisch generierte beschreibung|description automatically generated|"
                       r"automatically generated description)", re.IGNORECASE)
_NO_ATTR: list[Any] = ["", [], []]


@dataclass
class Cleanup:
    """What the clean-up found; filled while walking."""

    comments: list[tuple[str, str]] = field(default_factory=list)  # (author, text)
    insertions: int = 0
    deletions: int = 0
    formulas: int = 0
    raw: int = 0
    auto_alt: int = 0
    replaced_alt: list[str] = field(default_factory=list)  # alt texts replaced by a caption
    images: list[Element] = field(default_factory=list)  # Image elements, in document order

    def walk(self, value: Any) -> Any:
        """Return ``value`` with every element list cleaned up (the input is modified in place)."""
        if isinstance(value, list):
            if value and all(isinstance(v, dict) and "t" in v for v in value):
                result: list[Any] = []
                for element in value:
                    result.extend(self.element(element))
                return result
            return [self.walk(v) for v in value]
        if isinstance(value, dict) and "t" in value:
            replaced = self.element(value)
            return replaced[0] if len(replaced) == 1 else value
        return value

    def element(self, el: Element) -> list[Element]:
        """Clean one element; return its replacement(s)."""
        kind = el["t"]
        handler = getattr(self, "_" + kind.lower(), None)
        if handler is not None:
            return handler(el)
        if "c" in el:
            el["c"] = self.walk(el["c"])
        if kind in ("Para", "Plain") and not _has_text(el["c"]):
            return []
        return [el]

    # --- handlers (named after the element type) ---

    def _span(self, el: Element) -> list[Element]:
        (_, classes, attrs), content = el["c"]
        if "comment-start" in classes:
            self.comments.append((dict(attrs).get("author", ""), plain_text(content)))
            return []
        if {"comment-end", "paragraph-insertion", "paragraph-deletion"} & set(classes):
            return []
        if "deletion" in classes:
            self.deletions += 1
            return []
        if "insertion" in classes:
            self.insertions += 1
        return self.walk(content)

    def _div(self, el: Element) -> list[Element]:
        return self.walk(el["c"][1])

    def _figure(self, el: Element) -> list[Element]:
        _, (_, caption_blocks), body = el["c"]
        caption = plain_text(self.walk(caption_blocks))
        blocks = self.walk(body)
        images = [i for b in blocks for i in b.get("c", []) if isinstance(i, dict) and i.get("t") == "Image"]
        if len(images) != 1:
            return blocks + ([{"t": "Para", "c": [{"t": "Str", "c": caption}]}] if caption else [])
        image = images[0]
        alt = plain_text(image["c"][1])
        if caption:
            if alt and alt != caption:
                self.replaced_alt.append(alt)
            image["c"][1] = [{"t": "Str", "c": caption}]
        return [{"t": "Para", "c": [image]}]

    def _image(self, el: Element) -> list[Element]:
        _, alt, (src, _) = el["c"]
        alt_text = plain_text(alt)
        if _AUTO_ALT.search(alt_text):
            self.auto_alt += 1
            alt_text = ""
        el["c"] = [list(_NO_ATTR), [{"t": "Str", "c": alt_text}] if alt_text else [], [src, ""]]
        self.images.append(el)
        return [el]

    def _colwidth(self, el: Element) -> list[Element]:
        return [{"t": "ColWidthDefault"}]

    def _math(self, el: Element) -> list[Element]:
        self.formulas += 1
        return [{"t": "Code", "c": [list(_NO_ATTR), el["c"][1]]}]

    def _rawinline(self, el: Element) -> list[Element]:
        self.raw += 1
        return []

    def _rawblock(self, el: Element) -> list[Element]:
        self.raw += 1
        return []

    def _header(self, el: Element) -> list[Element]:
        level, _, content = el["c"]
        el["c"] = [level, list(_NO_ATTR), self.walk(content)]
        return [el]


def take_title(blocks: list[Element], meta: dict[str, Any], given: str | None) -> tuple[str, list[Element]]:
    """Choose the title (see :func:`choose_title`) and drop the block it came from."""
    title, blocks, _ = choose_title(blocks, meta, given)
    return title, blocks


# Where a title came from, as „Titel … aus …“ names it.
TITLE_SOURCES = {"given": "", "heading": "der ersten Überschrift", "properties": "den Dokumenteigenschaften",
                 "paragraph": "dem ersten Absatz"}
MAX_TITLE_CHARS = 150
# Titles Word and LibreOffice put into the properties on their own: no title at all.
_PLACEHOLDER_TITLES = re.compile(r"^(dokument|document|unbenannt|untitled|vorlage|template)\s*\d*$", re.IGNORECASE)


def choose_title(blocks: list[Element], meta: dict[str, Any], given: str | None) -> tuple[str, list[Element], str]:
    """The title and where it came from: ``given``, else the first heading, else the document's
    properties (``dc:title``), else a short first paragraph; the heading or paragraph is dropped.

    Returns (title, remaining blocks, source key of :data:`TITLE_SOURCES`), or an empty title.
    """
    first = blocks[0] if blocks else None
    heading = plain_text(first["c"][2]) if first and first["t"] == "Header" else ""
    meta_title = plain_text(meta.get("title", {}).get("c", [])) if isinstance(meta.get("title"), dict) else ""
    if _PLACEHOLDER_TITLES.match(meta_title.strip()):
        meta_title = ""
    paragraph = plain_text(first["c"]) if first and first["t"] in ("Para", "Plain") else ""
    if (given or "").strip():
        title, source = given.strip(), "given"  # type: ignore[union-attr]
    elif heading:
        title, source = heading, "heading"
    elif meta_title:
        title, source = meta_title, "properties"
    elif paragraph and len(paragraph) <= MAX_TITLE_CHARS:
        return paragraph.rstrip(".:"), blocks[1:], "paragraph"
    else:
        return "", blocks, ""
    if heading and heading.casefold() == title.casefold():
        blocks = blocks[1:]
    elif paragraph and paragraph.rstrip(".:").casefold() == title.casefold():
        blocks = blocks[1:]  # the properties' title typed once more as the first line
    return title, blocks, source


def normalise_headings(blocks: list[Element]) -> list[Element]:
    """Shift top-level headings so the highest becomes level 2 (Word's Heading 1 → ``##``)."""
    levels = [b["c"][0] for b in blocks if b["t"] == "Header"]
    if not levels:
        return blocks
    shift = 2 - min(levels)
    for block in blocks:
        if block["t"] == "Header":
            block["c"][0] = max(2, min(6, block["c"][0] + shift))
    return blocks


def plain_text(value: Any) -> str:
    """The visible text of inlines or blocks, footnotes left out."""
    parts: list[str] = []
    _collect(value, parts)
    return " ".join("".join(parts).split())


def _collect(value: Any, parts: list[str]) -> None:
    if isinstance(value, list):
        for item in value:
            _collect(item, parts)
        return
    if not isinstance(value, dict):
        return
    kind = value.get("t")
    if kind == "Str":
        parts.append(value["c"])
    elif kind in ("Space", "SoftBreak", "LineBreak"):
        parts.append(" ")
    elif kind in ("Code", "Math"):
        parts.append(value["c"][1])
    elif kind == "Quoted":
        opening, closing = ("„", "“") if value["c"][0]["t"] == "DoubleQuote" else ("‚", "‘")
        parts.append(opening)
        _collect(value["c"][1], parts)
        parts.append(closing)
    elif kind in ("Note", "Image"):
        return
    elif kind in ("Para", "Plain"):
        _collect(value["c"], parts)
        parts.append(" ")
    elif "c" in value:
        _collect(value["c"], parts)


def _has_text(inlines: list[Any]) -> bool:
    return any(not (isinstance(i, dict) and i.get("t") in ("Space", "SoftBreak", "LineBreak")) for i in inlines)
