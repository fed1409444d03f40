"""The allowlist every member text passes: what survives it is safe in every output.

Member text is untrusted. After pandoc has read it, this walk keeps only the elements the
contributor guide documents and strips or neutralises everything else, recording a
:class:`Finding` for each change so that ``check`` can tell the member (the messages live in
``check``). The rules:

* No attributes anywhere: ids, classes and key-value pairs on headings, links, images, code
  and tables are dropped (the assembler gives headings their ids).
* Member-written divs (``:::``) and spans (``[…]{…}``, ``<span>``) become their plain content.
* Link targets: ``http``, ``https``, ``mailto``, ``#anchor`` within the paper and files in the
  paper's ``media/`` folder; any other link becomes its text. Images only from ``media/``;
  others become their text alternative.
* Headings: a level-1 heading counts as level 2 (check refuses it), skipped levels are closed
  (``##`` then ``####`` gives ``###``), levels deeper than ``####`` become ``####``, and a
  heading inside a quote, list, table or footnote becomes a bold paragraph (a heading there
  breaks the PDF's structure).
* Raw output code and TeX maths cannot occur with the reader's extensions; should either
  appear, it becomes literal text.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass
from typing import Any

from .ast import EMPTY_ATTR, Node, stringify

SAFE_SCHEMES = frozenset({"http", "https", "mailto"})
MAX_LEVEL = 4  # member "####": with the paper's section and contribution levels, h6 on the site
_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]*):")
# Browsers drop ASCII tab and newlines anywhere in a URL and C0 controls and spaces at its
# ends before they look at the scheme ("java\tscript:" is javascript:).
_URL_IGNORED = re.compile(r"[\t\n\r]")
_URL_TRIM = "".join(chr(c) for c in range(0x21))


@dataclass(frozen=True)
class Finding:
    """Something the sanitiser changed, located in the member's body (0-based line)."""

    kind: str  # see check.FINDING_RULES
    detail: str = ""  # the URL, the heading text, the levels …
    line: int = 0
    column: int = 1


def classify_url(url: str) -> str:
    """``ok`` (http, https, mailto), ``anchor``, ``media``, ``empty`` or ``forbidden``."""
    cleaned = _URL_IGNORED.sub("", url).strip(_URL_TRIM)
    if not cleaned:
        return "empty"
    if cleaned.startswith("#"):
        return "anchor" if len(cleaned) > 1 else "empty"
    scheme = _SCHEME.match(cleaned)
    if scheme:
        return "ok" if scheme.group(1).lower() in SAFE_SCHEMES else "forbidden"
    return "media" if media_path(cleaned) else "forbidden"


def media_path(target: str) -> str:
    """``media/x.png`` for a relative target inside the paper's media folder, else ``""``."""
    if "\\" in target or target.startswith("/") or ":" in target.split("/", 1)[0]:
        return ""
    path = target.split("#", 1)[0].split("?", 1)[0]
    normal = posixpath.normpath(path)
    return normal if normal.startswith("media/") and ".." not in normal.split("/") else ""


class _Sanitiser:
    def __init__(self) -> None:
        self.findings: list[tuple[str, str, tuple[str, ...]]] = []  # (kind, detail, needles)
        self.level = 1  # the contribution's title counts as level 1 in member terms

    def note(self, kind: str, detail: str = "", *needles: str) -> None:
        """Record a change; ``needles`` are texts to look for in the source, best first."""
        self.findings.append((kind, detail, tuple(n for n in needles or (detail,) if n)))

    # --- blocks -------------------------------------------------------------------------------

    def blocks(self, blocks: list[Node], nested: bool) -> list[Node]:
        out: list[Node] = []
        for block in blocks:
            out.extend(self.block(block, nested))
        return out

    def block(self, node: Node, nested: bool) -> list[Node]:
        kind, c = node["t"], node.get("c")
        if kind in ("Para", "Plain"):
            return [{"t": kind, "c": self.inlines(c)}]
        if kind == "LineBlock":
            return [{"t": kind, "c": [self.inlines(line) for line in c]}]
        if kind == "CodeBlock":
            self.attributes(c[0], "Code", "```{", "~~~{", "```", "~~~", c[1][:30])
            return [{"t": kind, "c": [EMPTY_ATTR, c[1]]}]
        if kind == "RawBlock":
            self.note("raw", c[1][:40])
            return [{"t": "CodeBlock", "c": [EMPTY_ATTR, c[1]]}]
        if kind == "BlockQuote":
            return [{"t": kind, "c": self.blocks(c, True)}]
        if kind == "OrderedList":
            return [{"t": kind, "c": [c[0], [self.blocks(item, True) for item in c[1]]]}]
        if kind == "BulletList":
            return [{"t": kind, "c": [self.blocks(item, True) for item in c]}]
        if kind == "DefinitionList":
            return [{"t": kind, "c": [[self.inlines(term), [self.blocks(d, True) for d in definitions]]
                                      for term, definitions in c]}]
        if kind == "Header":
            return [self.heading(c, nested)]
        if kind == "HorizontalRule":
            return [node]
        if kind == "Table":
            return [self.table(c)]
        if kind == "Figure":
            self.attributes(c[0], "Abbildung", "")
            return [{"t": kind, "c": [EMPTY_ATTR, self.caption(c[1]), self.blocks(c[2], True)]}]
        if kind == "Div":
            self.note("div", "", ":::")
            return self.blocks(c[1], nested)
        return []  # Null and anything unknown to this pandoc version

    def heading(self, c: list, nested: bool) -> Node:
        level, attributes, inlines = c
        text = stringify(inlines)
        self.attributes(attributes, "Überschrift", text)
        inlines = self.inlines(inlines)
        if nested:
            self.note("heading-nested", text, text, text.split(" ", 1)[0], "#")
            return {"t": "Para", "c": [{"t": "Strong", "c": inlines}]}
        if level == 1:
            self.note("heading-level-1", text, text, text.split(" ", 1)[0], "#", "===")
        wanted = max(level, 2)
        effective = min(wanted, self.level + 1, MAX_LEVEL)
        if wanted > self.level + 1:
            self.note("heading-skip", f"{self.level}→{wanted}", text, text.split(" ", 1)[0])
        elif wanted > MAX_LEVEL:
            self.note("heading-deep", str(wanted), text, text.split(" ", 1)[0])
        self.level = effective
        return {"t": "Header", "c": [effective, EMPTY_ATTR, inlines]}

    def table(self, c: list) -> Node:
        table_attr, caption, colspecs, head, bodies, foot = c
        self.attributes(table_attr, "Tabelle", "")
        return {"t": "Table", "c": [EMPTY_ATTR, self.caption(caption), colspecs, self.table_part(head),
                                    [self.table_body(body) for body in bodies], self.table_part(foot)]}

    def caption(self, caption: list) -> list:
        short, blocks = caption
        return [self.inlines(short) if short else None, self.blocks(blocks, True)]

    def table_part(self, part: list) -> list:
        return [EMPTY_ATTR, self.rows(part[1])]

    def table_body(self, body: list) -> list:
        _, row_head_columns, head, rows = body
        return [EMPTY_ATTR, row_head_columns, self.rows(head), self.rows(rows)]

    def rows(self, rows: list) -> list:
        """The rows without empty ones; no cell spans beyond the last row.

        A grid table whose cell is wider than its column comes out of pandoc as a cell spanning
        an empty row; Typst cannot lay out an empty row, and the text is all in the cell above.
        """
        kept = [row for row in rows if row[1]]
        out = []
        for index, row in enumerate(kept):
            left = len(kept) - index
            out.append([EMPTY_ATTR, [[EMPTY_ATTR, align, min(span, left), cols, self.blocks(blocks, True)]
                                     for _, align, span, cols, blocks in row[1]]])
        return out

    # --- inlines ------------------------------------------------------------------------------

    def inlines(self, inlines: list[Node]) -> list[Node]:
        out: list[Node] = []
        for inline in inlines:
            out.extend(self.inline(inline))
        return out

    def inline(self, node: Node) -> list[Node]:
        kind, c = node["t"], node.get("c")
        if kind in ("Str", "Space", "SoftBreak", "LineBreak"):
            return [node]
        if kind in ("Emph", "Strong", "Strikeout", "Superscript", "Subscript", "SmallCaps", "Underline"):
            return [{"t": kind, "c": self.inlines(c)}]
        if kind == "Quoted":
            return [{"t": kind, "c": [c[0], self.inlines(c[1])]}]
        if kind == "Code":
            self.attributes(c[0], "Code", c[1][:30])
            return [{"t": kind, "c": [EMPTY_ATTR, c[1]]}]
        if kind in ("Math", "RawInline"):
            self.note("raw", c[1][:40])
            return [{"t": "Code", "c": [EMPTY_ATTR, c[1]]}]
        if kind == "Cite":
            return self.inlines(c[1])
        if kind == "Note":
            return [{"t": kind, "c": self.blocks(c, True)}]
        if kind == "Span":
            text = stringify(c[1])
            self.note("span", text[:30], "]{", "<span", text.split(" ", 1)[0] if text else "")
            return self.inlines(c[1])
        if kind == "Link":
            return self.link(c)
        if kind == "Image":
            return self.image(c)
        return []

    def link(self, c: list) -> list[Node]:
        attributes, inlines, (url, title) = c
        text = stringify(inlines)
        # pandoc itself marks autolinks <https://…> and <name@example.org> with these classes.
        identifier, classes, pairs = attributes
        self.attributes([identifier, [c for c in classes if c not in ("uri", "email")], pairs], "Link",
                        url or text)
        inlines = self.inlines(inlines)
        verdict = classify_url(url)
        if verdict == "empty":
            self.note("link-empty", text, f"[{text}]()", "]()", "][", text)
            return inlines
        if verdict == "forbidden":
            self.note("link-forbidden", url, url, url.split(":", 1)[0] + ":", text)
            return inlines
        if verdict == "media":
            url = media_path(url) + ("#" + url.split("#", 1)[1] if "#" in url else "")
        return [{"t": "Link", "c": [EMPTY_ATTR, inlines, [url, title]]}]

    def image(self, c: list) -> list[Node]:
        attributes, inlines, (url, title) = c
        self.attributes(attributes, "Bild", url)
        inlines = self.inlines(inlines)
        if classify_url(url) != "media":
            self.note("image-forbidden", url, url, "![")
            return [{"t": "Emph", "c": inlines}] if inlines else []
        return [{"t": "Image", "c": [EMPTY_ATTR, inlines, [media_path(url), title]]}]

    def attributes(self, attributes: list, element: str, *needles: str) -> None:
        identifier, classes, pairs = attributes
        if identifier or classes or pairs:
            shown = " ".join([f"#{identifier}"] * bool(identifier) + [f".{c}" for c in classes]
                             + [f"{k}=…" for k, _ in pairs])
            self.note("attribute", f"{element}: {{{shown}}}", *needles, "{")


def sanitise(blocks: list[Node], body: str) -> tuple[list[Node], list[Finding]]:
    """The blocks reduced to the allowlist, and located findings for what was changed."""
    walker = _Sanitiser()
    clean = walker.blocks(blocks, nested=False)
    return clean, locate(walker.findings, body)


def locate(findings: list[tuple[str, str, tuple[str, ...]]], body: str) -> list[Finding]:
    """Find each finding's line in the body by searching its needles, in document order.

    pandoc's Markdown reader keeps no source positions; the texts a finding is about (a URL,
    a heading) are searched from the previous finding's line on.
    """
    lines = body.split("\n")
    located: list[Finding] = []
    cursor = 0
    for kind, detail, needles in findings:
        line, column = None, 1
        for needle in needles:
            line, column = _search(lines, needle, cursor)
            if line is not None:
                break
        if line is None:
            line, column = cursor, 1
        else:
            cursor = line
        located.append(Finding(kind, detail, line, column))
    return located


def _search(lines: list[str], needle: str, start: int) -> tuple[Any, int]:
    if not needle:
        return None, 1
    for number in list(range(start, len(lines))) + list(range(0, start)):
        column = lines[number].find(needle)
        if column >= 0:
            return number, column + 1
    return None, 1
