"""The assembled draft as one Markdown file (``build/drafts/PAPER.md``), for reading and diffs.

Written from the draft's AST, so it shows exactly what every other output is made of: the
paper's metadata as YAML front matter, each contribution as a fenced div with its provenance.
"""

from __future__ import annotations

from ..model import Draft
from .pandoc import draft_document, run_pandoc

# Pandoc's own Markdown, with fenced divs and attributes for the structure the assembler built,
# and tables as members write them (pipe tables; grid tables where cells hold several blocks).
WRITER = "markdown-smart-raw_html-raw_attribute-raw_tex-citations-simple_tables-multiline_tables"


def render_markdown(draft: Draft) -> str:
    """The draft as Markdown with YAML front matter."""
    body = run_pandoc(draft_document(draft.pieces), WRITER, ["--wrap=none"],
                      what=f"den Entwurf „{draft.paper.title}“")
    return "---\n" + draft.header + "---\n\n" + body
