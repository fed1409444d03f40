"""Minutes text and public summaries of sessions, converted by pandoc for the site and the PDFs.

Shared by the session renderers (site pages, invitation and minutes PDF), like
``publication.py`` for papers. The Lua filter ``minutes.lua`` next to this module keeps only
plain constructs; all pieces of one session are converted in one pandoc run.
"""

from __future__ import annotations

from pathlib import Path

from .pandoc import run_pandoc

LUA_FILTER = Path(__file__).with_name("minutes.lua")
SEPARATOR = "\n\n::: {.sitzung-teil}\n:::\n\n"
MARKS = {"typst": "// sitzung-teil", "html5": "<!-- sitzung-teil -->"}


def convert_texts(texts: list[str], to: str) -> list[str]:
    """Each Markdown text of ``texts`` converted to ``to`` ("html5" or "typst"), in one pandoc run."""
    if not texts:
        return []
    source = "".join(text.strip() + SEPARATOR for text in texts)
    output = run_pandoc(source, to, ["--lua-filter", str(LUA_FILTER), "--wrap=preserve"],
                        what="das Protokoll einer Sitzung")
    pieces = output.split(MARKS[to])
    return [piece.strip("\n") + "\n" for piece in pieces[:len(texts)]]
