"""The one place that runs pandoc (from pypandoc-binary, so nothing is installed by hand)."""

from __future__ import annotations

import functools
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


def run_pandoc(source: str, to: str, args: list[str] | tuple[str, ...] = (), cwd: Path | None = None,
               output: Path | None = None, what: str = "") -> str:
    """Convert Markdown ``source`` (in :data:`READER` syntax) to format ``to``.

    Returns the converted text, or an empty string when ``output`` names a file.
    """
    command = [pandoc_path(), "--from", READER, "--to", to, *args]
    if output is not None:
        command += ["--output", str(output)]
    result = subprocess.run(command, input=source.encode("utf-8"), capture_output=True, cwd=cwd, check=False)
    if result.returncode != 0:
        raise PandocError(f"pandoc konnte {what or 'den Text'} nicht umwandeln: "
                          f"{result.stderr.decode('utf-8', 'replace').strip()}")
    return result.stdout.decode("utf-8")
