"""Word and LibreOffice documents through pandoc: read into pandoc's AST, written back as Markdown.

Used by ``redaktion import`` (a member's document becomes a contribution) and
``redaktion import-review`` (a reviewed copy of a round's DOCX becomes comments).
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from ..source.parse.pandoc import READER, PandocError, pandoc_path

# Markdown written for a contribution must read back identically with READER: the same
# extensions off, plus everything our bodies do not use (spans, divs, attributes). "-smart"
# keeps „…“, – and … as the characters they are instead of ASCII stand-ins; simple and
# multiline tables are off so plain tables become pipe tables, complex ones grid tables.
IMPORT_WRITER = (READER + "-smart-simple_tables-multiline_tables-bracketed_spans-native_spans-native_divs"
                 "-fenced_divs-header_attributes-link_attributes-inline_code_attributes-fenced_code_attributes")
IMPORT_FORMATS = {".docx": "docx", ".odt": "odt"}


def read_document(path: Path, media_dir: Path) -> dict:
    """Read a DOCX or ODT file into pandoc's JSON AST; images are extracted below ``media_dir``.

    For DOCX, comments and tracked changes stay in the AST as spans (``--track-changes=all``)
    so the importer can report them instead of losing them silently.
    """
    reader = IMPORT_FORMATS[path.suffix.lower()]
    command = [pandoc_path(), "--from", reader, "--to", "json", f"--extract-media={media_dir}", str(path)]
    if reader == "docx":
        command.insert(-1, "--track-changes=all")
    result = subprocess.run(command, capture_output=True, check=False)
    if result.returncode != 0:
        raise PandocError(f"pandoc konnte „{path.name}“ nicht lesen: "
                          f"{result.stderr.decode('utf-8', 'replace').strip()}")
    return json.loads(result.stdout.decode("utf-8"))


def write_markdown(ast: dict) -> str:
    """Write a pandoc JSON AST as contribution Markdown (one line per paragraph)."""
    command = [pandoc_path(), "--from", "json", "--to", IMPORT_WRITER, "--wrap=none"]
    result = subprocess.run(command, input=json.dumps(ast).encode("utf-8"), capture_output=True, check=False)
    if result.returncode != 0:
        raise PandocError("pandoc konnte den importierten Text nicht als Markdown schreiben: "
                          f"{result.stderr.decode('utf-8', 'replace').strip()}")
    return result.stdout.decode("utf-8")
