"""The assembled draft as one Markdown file (``build/drafts/PAPER.md``), for reading and diffs.

Written from the draft's AST, so it shows exactly what every other output is made of: the
paper's metadata as YAML front matter, each contribution as a fenced div with its provenance.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from ..util.cachefiles import read, store
from ..model import Draft
from .pandoc import draft_document, pandoc_version, run_pandoc

# Pandoc's own Markdown, with fenced divs and attributes for the structure the assembler built,
# and tables as members write them (pipe tables; grid tables where cells hold several blocks).
WRITER = "markdown-smart-raw_html-raw_attribute-raw_tex-citations-simple_tables-multiline_tables"


def render_markdown(draft: Draft, cache: Path | None = None) -> str:
    """The draft as Markdown with YAML front matter; kept in ``cache`` by the draft's hash."""
    key = hashlib.sha256("\0".join([draft.content_hash, pandoc_version(), WRITER]).encode()).hexdigest()[:24]
    path = cache / f"{draft.paper.id}-{key}.md" if cache is not None else None
    cached = read(path) if path is not None else None
    if cached is not None:
        return cached.decode("utf-8")
    body = run_pandoc(draft_document(draft.pieces), WRITER, ["--wrap=none"],
                      what=f"den Entwurf „{draft.paper.title}“")
    markdown = "---\n" + draft.header + "---\n\n" + body
    if path is not None:
        store(path, markdown.encode("utf-8"))
    return markdown
