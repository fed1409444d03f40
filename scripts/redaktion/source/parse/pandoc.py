"""The pandoc binary (from pypandoc-binary, so nothing is installed by hand) and its Markdown dialect.

Every stage that runs pandoc finds it here: the parser (which ``check`` shares with the
renderers) and the renderers in ``render/pandoc.py``.
"""

from __future__ import annotations

import functools
import importlib.util
import os
import subprocess
from pathlib import Path

from ...model import RenderError

# The one Markdown dialect of member text. Extensions switched off on purpose (see the
# contributor guide): citations ("@stadtrat" would cite a missing bibliography); raw_tex,
# raw_html and raw_attribute (member text must never inject code into an output);
# tex_math_dollars ("5 $ bis 10 $" is money, not maths); yaml_metadata_block and
# pandoc_title_block (a "---" or "%" line in a body must not become metadata); auto_identifiers
# (the assembler gives every heading its id, so an id in the parse was written by the member).
READER = ("markdown-citations-raw_tex-raw_html-raw_attribute-tex_math_dollars"
          "-yaml_metadata_block-pandoc_title_block-auto_identifiers")


class PandocError(RenderError):
    """pandoc failed; the message is German and names what was converted."""


@functools.lru_cache(maxsize=1)
def pandoc_path() -> str:
    """Path of the pandoc binary shipped by pypandoc-binary."""
    # The binary lies in the package's files/ folder; finding it there spares `check` the
    # import of pypandoc (which looks for downloads and other installations first).
    spec = importlib.util.find_spec("pypandoc")
    for folder in (spec.submodule_search_locations or []) if spec else []:
        candidate = Path(folder) / "files" / "pandoc"
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return str(candidate)
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


@functools.lru_cache(maxsize=1)
def api_version() -> list[int]:
    """The pandoc-types version of the JSON AST this pandoc reads and writes."""
    import json

    result = subprocess.run([pandoc_path(), "--from", "markdown", "--to", "json"], input=b"",
                            capture_output=True, check=False)
    return json.loads(result.stdout.decode("utf-8"))["pandoc-api-version"]
