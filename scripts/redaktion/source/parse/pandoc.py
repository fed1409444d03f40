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
from ...util.folders import os_reason

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


# pypandoc's documented variable for choosing another pandoc binary; honoured here first too.
PANDOC_ENV = "PYPANDOC_PANDOC"
PANDOC_HINT = ("Das liegt nicht an Ihren Texten: pandoc selbst fehlt oder ist beschädigt. Installieren Sie das Paket "
               "pypandoc-binary neu („pip install --force-reinstall pypandoc-binary“)"
               f" oder prüfen Sie die Umgebungsvariable {PANDOC_ENV}.")


@functools.lru_cache(maxsize=1)
def pandoc_path() -> str:
    """Path of the pandoc binary: ``$PYPANDOC_PANDOC`` if set, else the one shipped by pypandoc-binary."""
    if os.environ.get(PANDOC_ENV):
        return os.environ[PANDOC_ENV]
    # The binary lies in the package's files/ folder; finding it there spares `check` the
    # import of pypandoc (which looks for downloads and other installations first).
    spec = importlib.util.find_spec("pypandoc")
    for folder in (spec.submodule_search_locations or []) if spec else []:
        candidate = Path(folder) / "files" / "pandoc"
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return str(candidate)
    try:
        import pypandoc

        return pypandoc.get_pandoc_path()
    except (ImportError, OSError) as error:  # pragma: no cover - dependency of the package
        raise PandocError("pandoc fehlt: Installieren Sie das Paket pypandoc-binary.", PANDOC_HINT) from error


def run(args: list[str], stdin: bytes | None = None, cwd: Path | None = None,
        env: dict[str, str] | None = None) -> subprocess.CompletedProcess[bytes]:
    """Run pandoc with ``args``; a binary that cannot be started is a :class:`PandocError`."""
    try:
        return subprocess.run([pandoc_path(), *args], input=stdin, capture_output=True, cwd=cwd, env=env,
                              check=False)
    except OSError as error:
        raise PandocError(f"pandoc ({pandoc_path()}) lässt sich nicht starten: {os_reason(error)}.",
                          PANDOC_HINT) from None


@functools.lru_cache(maxsize=1)
def pandoc_version() -> str:
    """pandoc's version line: part of every cache key over pandoc's output."""
    result = run(["--version"])
    line = result.stdout.decode("utf-8", "replace").split("\n", 1)[0]
    if result.returncode != 0 or not line.startswith("pandoc"):
        raise PandocError(f"pandoc ({pandoc_path()}) funktioniert nicht: „pandoc --version“ meldet "
                          f"{_said(result)}", PANDOC_HINT)
    return line


def _said(result: subprocess.CompletedProcess[bytes]) -> str:
    text = (result.stderr or result.stdout).decode("utf-8", "replace").strip()[:300]
    return f"„{text}“ (Rückgabewert {result.returncode})." if text else f"nichts (Rückgabewert {result.returncode})."


@functools.lru_cache(maxsize=1)
def api_version() -> list[int]:
    """The pandoc-types version of the JSON AST this pandoc reads and writes."""
    import json

    result = run(["--from", "markdown", "--to", "json"], stdin=b"")
    try:
        return json.loads(result.stdout.decode("utf-8"))["pandoc-api-version"]
    except (ValueError, KeyError, TypeError):
        raise PandocError(f"pandoc ({pandoc_path()}) funktioniert nicht: Die Umwandlung eines leeren Textes "
                          f"ergab {_said(result)}", PANDOC_HINT) from None
