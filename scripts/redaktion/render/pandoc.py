"""Running pandoc for the renderers: the assembled draft (pandoc JSON) to Typst, HTML, DOCX, Markdown.

The binary and the Markdown dialect of member text live in :mod:`redaktion.source.parse.pandoc`;
renderers never read member Markdown themselves, only the sealed ASTs of the draft.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import subprocess
from pathlib import Path

from ..util.cachefiles import read, store
from ..source.parse.ast import document
from ..source.parse.pandoc import READER, PandocError, api_version, pandoc_path, pandoc_version

__all__ = ["READER", "PandocError", "pandoc_path", "pandoc_version", "run_pandoc", "convert_pieces",
           "draft_document"]

FILTER_DIR = Path(__file__).parent


def run_pandoc(source: str, to: str, args: list[str] | tuple[str, ...] = (), cwd: Path | None = None,
               output: Path | None = None, what: str = "", env: dict[str, str] | None = None,
               source_format: str = "json") -> str:
    """Convert ``source`` (a pandoc JSON document, or text in ``source_format``) to format ``to``.

    Returns the converted text, or an empty string when ``output`` names a file. ``env`` adds
    variables to pandoc's environment (renderers run in threads: never change ``os.environ``).
    """
    command = [pandoc_path(), "--from", source_format, "--to", to, *args]
    if output is not None:
        command += ["--output", str(output)]
    result = subprocess.run(command, input=source.encode("utf-8"), capture_output=True, cwd=cwd, check=False,
                            env={**os.environ, **env} if env else None)
    if result.returncode != 0:
        raise PandocError(f"pandoc konnte {what or 'den Text'} nicht umwandeln: "
                          f"{result.stderr.decode('utf-8', 'replace').strip()}")
    return result.stdout.decode("utf-8")


# --- conversion in cached pieces --------------------------------------------------------------

# Between pieces converted together; each output format's Lua filter turns a div of this class
# into a raw line (a comment) that no member's text can produce, and the output is split there.
PIECE_SEPARATOR = '{"t":"Div","c":[["",["redaktion-teil"],[]],[]]}'


def draft_document(pieces: list[tuple[str, str]] | tuple[tuple[str, str], ...]) -> str:
    """The whole body of a draft as one pandoc JSON document."""
    return document([content for _, content in pieces], api_version())


def convert_pieces(named: list[tuple[str, str]] | tuple[tuple[str, str], ...], to: str, args: list[str], mark: str,
                   cache: Path | None = None, what: str = "") -> str:
    """Convert a document given as named pieces (pandoc JSON block lists) to ``to``.

    Gives exactly what one pandoc run over the whole document gives, but each piece's output
    is kept in ``cache``, so after an edit only the edited piece is converted again (the
    others of a run are converted together, in one pandoc run). ``mark`` is the raw line the
    Lua filter in ``args`` writes for a ``redaktion-teil`` div. Where pieces are not
    independent (footnotes the filter leaves to pandoc's end-of-document list), the whole
    document is converted in one piece, without cache.
    """
    pieces = [content for _, content in named]
    key = _pieces_key(to, args)
    # Entries are named by their piece (contribution or section), so pruning keeps a few of each.
    paths = [cache / f"{name}-{_piece_digest(key, piece)}.{to}" if cache else None for name, piece in named]
    outputs = [read(path) if path else None for path in paths]
    missing = [i for i, output in enumerate(outputs) if output is None]
    if missing:
        parts: list[str] = []
        for i in missing:
            parts += [pieces[i], "[" + PIECE_SEPARATOR + "]"]
        converted = run_pandoc(document(parts, api_version()), to, args, what=what).split(f"\n{mark}\n")
        if len(converted) != len(missing) + 1 or converted[-1].strip():
            # Something was written after the last piece (pandoc's list of footnotes): the
            # pieces depend on each other here.
            return run_pandoc(draft_document(named), to, args, what=what)
        for i, output in zip(missing, converted):
            outputs[i] = output.encode("utf-8")
            if paths[i] is not None:
                store(paths[i], outputs[i])
    # pandoc separates blocks by a newline; the last block of the document ends with one.
    return "\n".join(output.decode("utf-8") for output in outputs).rstrip("\n") + "\n"


def _pieces_key(to: str, args: list[str]) -> bytes:
    digest = hashlib.sha256("\0".join([pandoc_version(), to, *args]).encode("utf-8"))
    for flag, value in zip(args, args[1:]):
        if flag == "--lua-filter":
            digest.update(_file_bytes(value))
    return digest.digest()


def _piece_digest(key: bytes, piece: str) -> str:
    return hashlib.sha256(key + piece.encode("utf-8")).hexdigest()[:24]


@functools.lru_cache(maxsize=None)
def _file_bytes(path: str) -> bytes:
    return Path(path).read_bytes()


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
