"""Minutes text and public summaries of sessions, converted by pandoc for the site and the PDFs.

Shared by the session renderers (site pages, invitation and minutes PDF), like
``publication.py`` for papers. The Lua filter ``minutes.lua`` next to this module keeps only
plain constructs; all pieces of one session are converted in one pandoc run.
"""

from __future__ import annotations

import functools
from pathlib import Path

from ..source.parse import parse_texts
from ..source.parse.ast import document
from ..source.parse.pandoc import api_version
from .pandoc import run_pandoc

LUA_FILTER = Path(__file__).with_name("minutes.lua")
SEPARATOR = '[{"t":"Div","c":[["",["sitzung-teil"],[]],[]]}]'
MARKS = {"typst": "// sitzung-teil", "html5": "<!-- sitzung-teil -->"}


def convert_texts(texts: list[str], to: str) -> list[str]:
    """Each Markdown text of ``texts`` converted to ``to`` ("html5" or "typst"), in one pandoc run.

    Every text is parsed and sanitised on its own (like a contribution), so an unclosed
    construct in one part of the minutes cannot swallow the next.
    """
    return list(_converted(tuple(texts), to)) if texts else []


@functools.lru_cache(maxsize=32)  # the live preview converts the same minutes after every save
def _converted(texts: tuple[str, ...], to: str) -> tuple[str, ...]:
    parts: list[str] = []
    for parsed in parse_texts([text.strip() + "\n" for text in texts]):
        parts += [parsed.content, SEPARATOR]
    output = run_pandoc(document(parts, api_version()), to, ["--lua-filter", str(LUA_FILTER), "--wrap=preserve"],
                        what="das Protokoll einer Sitzung")
    pieces = output.split(MARKS[to])
    return tuple(piece.strip("\n") + "\n" for piece in pieces[:len(texts)])
