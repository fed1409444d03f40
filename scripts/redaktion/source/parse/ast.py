"""Small helpers for pandoc's JSON AST (lists and dicts as ``pandoc --to json`` writes them).

Blocks and inlines are dicts ``{"t": "Para", "c": …}``; an attribute is
``[identifier, [classes], [[key, value], …]]``. These helpers build the elements the
assembler puts around member text and read text back out of it.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

Node = dict[str, Any]
EMPTY_ATTR: list = ["", [], []]


def attr(identifier: str = "", classes: list[str] | None = None,
         attributes: list[tuple[str, str]] | None = None) -> list:
    """A pandoc attribute triple."""
    return [identifier, list(classes or []), [[k, v] for k, v in attributes or []]]


def text_inlines(text: str) -> list[Node]:
    """Plain text as inlines: shown literally in every output, never read as Markdown."""
    inlines: list[Node] = []
    for index, word in enumerate(text.split()):
        if index:
            inlines.append({"t": "Space"})
        inlines.append({"t": "Str", "c": word})
    return inlines


def header(level: int, identifier: str, text: str) -> Node:
    return {"t": "Header", "c": [level, attr(identifier), text_inlines(text)]}


def div(classes: list[str], blocks: list[Node], attributes: list[tuple[str, str]] | None = None) -> Node:
    return {"t": "Div", "c": [attr("", classes, attributes), blocks]}


def para(inlines: list[Node]) -> Node:
    return {"t": "Para", "c": inlines}


def stringify(node: Any) -> str:
    """The visible text of any AST fragment, with single spaces (like ``pandoc.utils.stringify``)."""
    parts: list[str] = []
    _collect_text(node, parts)
    return " ".join("".join(parts).split())


# Inlines with no element inside: most of any text. Handled in the loop over a list, without a call.
_SPACE_KINDS = frozenset(("Space", "SoftBreak", "LineBreak"))
LEAF_KINDS = frozenset(("Str", *_SPACE_KINDS))


def _collect_text(node: Any, parts: list[str]) -> None:
    if isinstance(node, list):
        for item in node:
            if isinstance(item, dict):
                kind = item.get("t")
                if kind == "Str":
                    parts.append(item.get("c"))  # type: ignore[arg-type]
                    continue
                if kind in _SPACE_KINDS:
                    parts.append(" ")
                    continue
            _collect_text(item, parts)
        return
    if not isinstance(node, dict) or "t" not in node:
        return
    kind, content = node["t"], node.get("c")
    if kind == "Str":
        parts.append(content)
    elif kind in ("Space", "SoftBreak", "LineBreak"):
        parts.append(" ")
    elif kind in ("Code", "Math", "RawInline"):
        parts.append(content[1])
    elif kind == "CodeBlock":
        parts.append(" " + content[1] + " ")
    elif kind in ("Link", "Image"):
        _collect_text(content[1], parts)
    elif kind == "Header":
        _collect_text(content[2], parts)
        parts.append(" ")
    elif kind in ("Span", "Div", "Quoted", "Cite"):
        _collect_text(content[1], parts)
    elif kind in ("Para", "Plain"):
        _collect_text(content, parts)
        parts.append(" ")
    else:
        _collect_text(content, parts)
        if kind.endswith("List") or kind in ("BlockQuote", "LineBlock", "Table", "Figure", "Note"):
            parts.append(" ")


def walk(node: Any) -> Iterator[Node]:
    """Every element in ``node`` (pre-order), including those inside notes, tables and captions."""
    if isinstance(node, list):
        for item in node:
            yield from walk(item)
    elif isinstance(node, dict):
        if "t" in node:
            yield node
        content = node.get("c")
        if isinstance(content, (list, dict)):
            yield from walk(content)


def find(node: Any, kinds: frozenset[str], found: list[Node]) -> list[Node]:
    """The elements of ``kinds`` in ``node``, in the order of :func:`walk` (appended to ``found``).

    The same as filtering :func:`walk`, several times faster: a body has a hundred thousand
    words, and the generator's calls for each of them were the most of parsing it in Python.
    """
    if isinstance(node, list):
        for item in node:
            if isinstance(item, dict):
                kind = item.get("t")
                if kind in LEAF_KINDS:  # nothing inside: no call needed
                    if kind in kinds:
                        found.append(item)
                    continue
            find(item, kinds, found)
    elif isinstance(node, dict):
        kind = node.get("t")
        if kind is not None and kind in kinds:
            found.append(node)
        content = node.get("c")
        if isinstance(content, (list, dict)):
            find(content, kinds, found)
    return found


def paragraph_texts(blocks: list[Node]) -> list[str]:
    """The text of each top-level block, for comparisons (Synopse) and tests."""
    texts = []
    for block in blocks:
        text = stringify(block)
        if text:
            texts.append(text)
    return texts


def dumps(blocks: list[Node]) -> str:
    """Compact, stable JSON of a block list (part of content hashes)."""
    return json.dumps(blocks, ensure_ascii=False, separators=(",", ":"))


def document(blocks_json: list[str], api_version: list[int]) -> str:
    """A whole pandoc JSON document from block lists given as JSON arrays, without re-encoding them."""
    inner = ",".join(part[1:-1] for part in blocks_json if part not in ("[]", ""))
    return ('{"pandoc-api-version":' + json.dumps(api_version) + ',"meta":{},"blocks":[' + inner + "]}")
