"""PDF renderer: Draft → (pandoc) Typst markup → (Typst) tagged PDF/A-2a + PDF/UA-1.

The Typst source is put together from three parts, all plain text so a problem can be
reproduced by hand (see :func:`typst_source`):

1. a generated preamble with the paper's metadata as Typst values (``preamble.py``),
2. the layout template (``template.typ``),
3. the body: the draft's pieces (pandoc JSON) converted by pandoc with the Lua filter ``beitrag.lua``.

The body is converted piece by piece (a section's heading, a contribution) and each piece's
Typst kept in ``build/.cache/typst``: after an edit only the edited contribution goes through
pandoc again. The pieces are converted in one pandoc run, separated by a marker, and give
exactly the Typst of converting the whole body at once (tests/test_pdf.py compares them).

System fonts are ignored: besides Typst's embedded fonts only the curated files of
:mod:`redaktion.util.fonts` are used (other scripts, symbols, the charts' DejaVu Sans), and the PDF's
dates come from ``SOURCE_DATE_EPOCH`` or the paper's date, so the same draft gives the same
bytes on every machine with the same fonts installed.

:func:`render_pdf` compiles from scratch (one fresh Typst world per call: the build's worker
processes); :class:`~redaktion.render.pdf.warm.WarmPdf` keeps a Typst compiler per paper for the
live preview and gives the same bytes. Both take their Typst settings from :func:`world_options`
and :func:`export_options` and turn Typst's errors into diagnostics with :func:`typst_errors`.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ...util.epoch import document_epoch
from ...util.fonts import character_name, font_dir, hint, uncovered
from ...model import ContentError, Diagnostic, Draft
from ..pandoc import PandocError, convert_pieces
from ..publication import paper_date
from .preamble import preamble, typst_string

if TYPE_CHECKING:
    import typst

HERE = Path(__file__).parent
TEMPLATE = HERE / "template.typ"
LUA_FILTER = HERE / "beitrag.lua"
PDF_STANDARDS = ["a-2a", "ua-1"]


def render_pdf(draft: Draft, root: Path, epoch: int | None = None) -> bytes:
    """Render ``draft`` as an accessible, reproducible PDF; images resolve against ``root``.

    ``epoch`` (seconds since 1970) dates the PDF; see :func:`build_timestamp`.

    Raises :class:`~redaktion.model.ContentError` with a German message when pandoc or
    Typst cannot process the content.
    """
    import typst

    source = project_source(draft, root)
    with typst_errors(draft, source, root):
        pdf, _warnings = typst.compile_with_warnings(
            source.encode("utf-8"), **world_options(root, font_paths()), **export_options(draft, epoch))
    assert isinstance(pdf, bytes)
    return pdf


def project_source(draft: Draft, root: Path) -> str:
    """The Typst document for ``draft``, with the caches of the project in ``root``."""
    from ..charts import chart_cache

    return typst_source(draft, chart_cache(root) if draft.charts else None, typst_cache(root))


def world_options(root: Path, fonts: list[str] | typst.Fonts) -> dict[str, Any]:
    """Typst's settings for the project in ``root``: what it may read, and which fonts.

    ``fonts`` is :func:`font_paths` or a ``typst.Fonts`` made from them (loaded once, shared).
    """
    return {"root": str(Path(root).resolve()), "ignore_system_fonts": True, "font_paths": fonts}


def export_options(draft: Draft, epoch: int | None = None) -> dict[str, Any]:
    """Typst's settings for writing the PDF of ``draft``: the standards and the date."""
    return {"pdf_standards": PDF_STANDARDS, "timestamp": build_timestamp(draft, epoch)}


@contextlib.contextmanager
def typst_errors(draft: Draft, source: str, root: Path) -> Iterator[None]:
    """Turn a Typst error while compiling ``source`` into a located :class:`ContentError`."""
    import typst

    try:
        yield
    except typst.TypstError as error:
        raise ContentError([_typst_diagnostic(draft, source, error, root)]) from None


def typst_cache(root: Path) -> Path:
    """Where the Typst of each converted piece of the project in ``root`` is kept."""
    return Path(root) / "build" / ".cache" / "typst"


def typst_source(draft: Draft, chart_cache: Path | None = None, body_cache: Path | None = None) -> str:
    """The complete Typst document for ``draft`` (preamble, template, charts, body)."""
    return "\n".join([
        preamble(draft),
        TEMPLATE.read_text(encoding="utf-8"),
        chart_values(draft, chart_cache),
        "#show: publikation.with(meta)\n",
        typst_body(draft, body_cache),
    ])


def chart_values(draft: Draft, cache: Path | None = None) -> str:
    """The draft's charts as SVG text in a Typst dictionary ``diagramme`` (id → SVG).

    The Lua filter turns each ``.diagramm`` div into ``#diagramm(diagramme.at("id"), …)``;
    the SVG travels inside the source, so no temporary file has to live below the root.
    """
    svgs: dict[str, str] = {}
    if draft.charts:
        from ..charts import render

        svgs = {chart.id: render(chart, "svg", cache).decode("utf-8") for chart in draft.charts}
    entries = ", ".join(f"{typst_string(key)}: {typst_string(svg)}" for key, svg in svgs.items())
    return f"#let diagramme = ({entries or ':'})\n"


def font_paths() -> list[str]:
    """Font folders besides Typst's embedded fonts: the curated ones of :mod:`redaktion.util.fonts`."""
    return [str(font_dir())]


def typst_body(draft: Draft, cache: Path | None = None) -> str:
    """The draft's body as Typst markup, contributions turned into template calls.

    With a ``cache``, the Typst of each contribution is kept, so an edit converts only the
    edited one again; the result is the same as converting the body at once.
    """
    try:
        return convert_pieces(draft.pieces, "typst", body_args(draft), "// redaktion-teil", cache,
                              what=f"das Papier „{draft.paper.title}“")
    except PandocError as error:
        raise ContentError([Diagnostic(_paper_file(draft), 1, 1, "R802", str(error),
                                       "Prüfen Sie die Beiträge mit „redaktion check“.")]) from None


def body_args(draft: Draft) -> list[str]:
    """pandoc's arguments for converting the body of ``draft`` to Typst."""
    return ["--lua-filter", str(LUA_FILTER), "--metadata", f"entwurf={'true' if draft.is_draft else 'false'}",
            "--wrap", "preserve"]


def build_timestamp(draft: Draft, epoch: int | None = None) -> int:
    """Seconds since the epoch for the PDF's dates: ``epoch``, else SOURCE_DATE_EPOCH, else the paper's date."""
    return document_epoch(paper_date(draft), epoch)


def _paper_file(draft: Draft) -> str:
    return f"contributions/{draft.paper.id}/paper.yml"


_ERROR_AT = re.compile(r"^error:[^\n]*\n[^\n]*?:(\d+):\d+", re.MULTILINE)
_SOURCE_MARK = "// redaktion-quelle "


def _typst_diagnostic(draft: Draft, source: str, error: Exception, root: Path) -> Diagnostic:
    """A German diagnostic for a Typst error, located at the contribution it occurred in.

    Typst lists warnings before the error, each with its position; only the error's counts.
    The Lua filter marks where each contribution starts and ends in the Typst source.
    """
    message = str(getattr(error, "message", "") or error).strip()
    for folder in {str(Path(root).resolve()), str(root)}:
        message = message.replace(folder + "/", "").replace(folder, ".")
    location = _paper_file(draft)
    match = _ERROR_AT.search(str(getattr(error, "diagnostic", "")) or "")
    if match:
        for text in reversed(source.split("\n")[:int(match.group(1))]):
            if text.startswith(_SOURCE_MARK):
                marked = text[len(_SOURCE_MARK):].strip()
                location = marked if marked != "-" else location
                break
    return Diagnostic(location, 1, 1, "R801",
                      f"Das PDF für „{draft.paper.title}“ konnte nicht erzeugt werden: {message}",
                      _font_hint(message) or
                      "Häufige Ursachen sind fehlende oder beschädigte Bilder und Bildpfade außerhalb "
                      "des Projekts. Korrigieren Sie den Beitrag und bauen Sie erneut.")


# Typst's PDF/A errors about characters: none of the fonts has it, or PDF/A forbids it.
_CHARACTER_ERROR = re.compile(r'the text `"(.*?)"` could not be displayed|codepoint `"(.*?)"`')


def _font_hint(message: str) -> str | None:
    """For Typst's errors about a character: which one, and what to do about it."""
    match = _CHARACTER_ERROR.search(message)
    if not match:
        return None
    text = re.sub(r"\\u\{([0-9a-f]+)\}", lambda code: chr(int(code.group(1), 16)),
                  match.group(1) or match.group(2) or "")
    found = uncovered(text) or [(0, text[:1] or "?")]
    char = found[0][1]
    return f"Betroffen ist das Zeichen {character_name(char)}. {hint(char)}"
