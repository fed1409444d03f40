"""The Synopse as HTML (Jinja2, self-contained) and as PDF (Typst, two-column table).

Both consume the same :func:`~redaktion.assemble.synopse.view` data; the templates
``synopse.html``, ``synopse.css`` and ``synopse.typ`` lie next to this module.
"""

from __future__ import annotations

import json
from pathlib import Path

from ...util.epoch import document_epoch
from ...util.fonts import FAMILIES, font_dir
from ...model import german_date
from ...model import ContentError, Diagnostic
from ...assemble.synopse import Synopse, view

HERE = Path(__file__).parent
PDF_STANDARDS = ["a-2a", "ua-1"]


def render_html(synopse: Synopse, date: str) -> str:
    """A complete HTML page (inline CSS, no external requests); ``date`` is ISO."""
    import jinja2

    env = jinja2.Environment(loader=jinja2.FileSystemLoader(HERE), autoescape=True,
                             undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    css = (HERE / "synopse.css").read_text(encoding="utf-8")
    return env.get_template("synopse.html").render(s=view(synopse, german_date(date)), css=css)


def render_pdf(synopse: Synopse, date: str) -> bytes:
    """A tagged, accessible PDF (PDF/A-2a, PDF/UA-1) of the Synopse; ``date`` is ISO."""
    import typst

    data = json.dumps(view(synopse, german_date(date)), ensure_ascii=False)
    fonts = json.dumps(FAMILIES)
    try:
        pdf = typst.compile((HERE / "synopse.typ").read_bytes(), root=str(HERE), ignore_system_fonts=True,
                            font_paths=[str(font_dir())], sys_inputs={"synopse": data, "schriften": fonts},
                            pdf_standards=PDF_STANDARDS, timestamp=document_epoch(date))
    except typst.TypstError as error:  # pragma: no cover - a template bug, not a content problem
        raise ContentError([Diagnostic("synopse.typ", 1, 1, "R803",
                                       f"Typst konnte die Synopse nicht setzen: {error}")]) from None
    assert isinstance(pdf, bytes)
    return pdf
