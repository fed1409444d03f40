"""The one place that runs pandoc (from pypandoc-binary, so nothing is installed by hand)."""

from __future__ import annotations

import functools
import json
import os
import subprocess
from pathlib import Path

from ..model import RenderError

# Extensions switched off on purpose (see the contributor guide):
# citations: "@stadtrat" would become a citation of a missing bibliography;
# raw_tex/raw_html/raw_attribute: members' text must never inject code into an output;
# tex_math_dollars: "5 $ bis 10 $" is money, not maths;
# yaml_metadata_block: a "---" line in a body must not swallow the text after it.
READER = ("markdown-citations-raw_tex-raw_html-raw_attribute-tex_math_dollars"
          "-yaml_metadata_block-pandoc_title_block")

FILTER_DIR = Path(__file__).parent


class PandocError(RenderError):
    """pandoc failed; the message is German and names the paper."""


@functools.lru_cache(maxsize=1)
def pandoc_path() -> str:
    """Path of the pandoc binary shipped by pypandoc-binary."""
    try:
        import pypandoc
    except ImportError as error:  # pragma: no cover - dependency of the package
        raise PandocError("pandoc fehlt: Installieren Sie das Paket pypandoc-binary.") from error
    return pypandoc.get_pandoc_path()


@functools.lru_cache(maxsize=1)
def pandoc_version() -> str:
    """pandoc's version line: part of every cache key over pandoc's output."""
    result = subprocess.run([pandoc_path(), "--version"], capture_output=True, check=False)
    return result.stdout.decode("utf-8", "replace").split("\n", 1)[0]


def run_pandoc(source: str, to: str, args: list[str] | tuple[str, ...] = (), cwd: Path | None = None,
               output: Path | None = None, what: str = "", env: dict[str, str] | None = None) -> str:
    """Convert Markdown ``source`` (in :data:`READER` syntax) to format ``to``.

    Returns the converted text, or an empty string when ``output`` names a file. ``env`` adds
    variables to pandoc's environment (renderers run in threads: never change ``os.environ``).
    """
    command = [pandoc_path(), "--from", READER, "--to", to, *args]
    if output is not None:
        command += ["--output", str(output)]
    result = subprocess.run(command, input=source.encode("utf-8"), capture_output=True, cwd=cwd, check=False,
                            env={**os.environ, **env} if env else None)
    if result.returncode != 0:
        raise PandocError(f"pandoc konnte {what or 'den Text'} nicht umwandeln: "
                          f"{result.stderr.decode('utf-8', 'replace').strip()}")
    return result.stdout.decode("utf-8")


# --- imports of Word and LibreOffice documents --------------------------------------------------

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


def convert_to_markdown(path: Path, media_dir: Path) -> str:
    """DOCX/ODT → Markdown in one step, without the importer's clean-up (for quick looks)."""
    return write_markdown(read_document(path, media_dir))
