"""Running pandoc for the renderers: the assembled draft (pandoc JSON) to Typst, HTML, DOCX, Markdown.

The binary and the Markdown dialect of member text live in :mod:`redaktion.source.parse.pandoc`;
renderers never read member Markdown themselves, only the sealed ASTs of the draft.
"""

from __future__ import annotations

import functools
import hashlib
import os
from pathlib import Path

from ..util.cachefiles import read, store
from ..source.parse.ast import document
from ..source.parse.pandoc import READER, PandocError, api_version, pandoc_path, pandoc_version, run

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
    command = ["--from", source_format, "--to", to, *args]
    if output is not None:
        command += ["--output", str(output)]
    result = run(command, stdin=source.encode("utf-8"), cwd=cwd, env={**os.environ, **env} if env else None)
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
