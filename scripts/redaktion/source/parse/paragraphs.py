"""Which top-level blocks of a body are numbered paragraphs, and their texts.

Shared by the assembler (paragraph ids and labels), ``check`` (comments on paragraphs that
changed since their round) and ``redaktion apply`` (finding a paragraph in its file), so all
three count the same blocks. Headings and thematic breaks are structure, not paragraphs:
they get no number.
"""

from __future__ import annotations

from .ast import Node, stringify

NUMBERED_KINDS = frozenset({"Para", "Plain", "BulletList", "OrderedList", "BlockQuote", "Table", "CodeBlock",
                            "LineBlock", "DefinitionList", "Figure"})


def numbered(blocks: list[Node]) -> list[int]:
    """Indices (0-based) of the blocks that count as paragraphs, in order."""
    return [index for index, block in enumerate(blocks) if block.get("t") in NUMBERED_KINDS]


def paragraph_blocks(blocks: list[Node]) -> list[Node]:
    """The blocks that count as paragraphs; the k-th paragraph is ``result[k - 1]``."""
    return [blocks[index] for index in numbered(blocks)]


def paragraph_text(block: Node) -> str:
    """The visible text of one paragraph, as comments and comparisons see it."""
    return stringify(block)
