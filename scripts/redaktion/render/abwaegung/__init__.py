"""The Abwägungstabelle as HTML (fragment for the internal site, standalone page), PDF, DOCX and CSV.

Every output takes the same :func:`~redaktion.assemble.abwaegung.view` data. Proposals are
insertions and deletions against the round's wording, marked by underline and strike-through
(and in HTML by words for screen readers), never by colour alone. Files are written to
``build/runden/PAPER/RUNDE/abwaegung-PAPER-RUNDE.{html,pdf,docx,csv}``.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from pathlib import Path

from ...util.cachefiles import write_atomic
from ...util.epoch import document_epoch
from ...model import ContentError, Diagnostic, german_date, round_dir
from ...assemble.abwaegung import Abwaegung, view
from .table import table_html
from ...util.zipfiles import normalise_zip

HERE = Path(__file__).parent
PDF_STANDARDS = ["a-2a", "ua-1"]
FORMATS = ("html", "pdf", "docx", "csv")
CSV_COLUMNS = ("Nr.", "Abschnitt", "Absatz", "Zeilen", "Kennung", "Mitglied", "Autor", "Datum", "Art",
               "Wortlaut der Runde", "Vorgeschlagener Wortlaut", "Begründung", "Entscheidung", "Antwort der Redaktion",
               "Übernommene Fassung", "Entschieden am", "Datei")


_PAGE = """<!doctype html>
<html lang="de">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<style>
body {{ margin: 0 auto; max-width: 96rem; padding: 1rem 1.5rem 3rem; color: #1b1f24;
  font: .9rem/1.5 "Segoe UI", "Liberation Sans", Arial, sans-serif; }}
h1 {{ color: #1d4f73; font-size: 1.5rem; }}
.vh {{ position: absolute !important; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0);
  clip-path: inset(50%); white-space: nowrap; }}
.rk-muted {{ color: #555c63; }}
.rk-abwaegung-kopf {{ display: grid; grid-template-columns: max-content 1fr; gap: .2em 1em; }}
.rk-abwaegung-kopf dd {{ margin: 0; }} .rk-abwaegung-kopf dt {{ font-weight: 700; }}
.rk-zaehler {{ display: flex; flex-wrap: wrap; gap: .3rem 1rem; padding: 0; list-style: none; }}
.rk-abw-filter {{ background: #f6f4ef; padding: .4rem 1rem .6rem; border-radius: 4px; }}
.rk-abw-filter h2 {{ font-size: 1rem; }} .rk-abw-filter fieldset {{ border: 0; padding: 0; margin: .3rem 0; }}
.rk-abw-filter legend {{ font-weight: 700; }}
.rk-abw-filter__optionen {{ display: flex; flex-wrap: wrap; gap: .2rem .9rem; }}
table {{ border-collapse: collapse; width: 100%; }}
th {{ background: #1d4f73; color: #fff; text-align: left; position: sticky; top: 0; }}
th, td {{ border-bottom: 1px solid #cfd6dd; padding: .35rem .5rem; vertical-align: top; }}
td p {{ margin: 0 0 .4em; }}
ins {{ text-decoration: underline 2px; background: #dff1e3; color: #0d4a1f; }}
del {{ text-decoration: line-through 2px; background: #fbe4e4; color: #7a1111; }}
.rk-entscheidung {{ font-weight: 700; }}
.rk-entscheidung--offen {{ color: #7a4d00; }} .rk-entscheidung--nicht-uebernommen {{ color: #a12a1d; }}
.rk-entscheidung--uebernommen, .rk-entscheidung--teilweise {{ color: #1e6b3a; }}
</style>
</head>
<body>
<main>
<h1>{title}</h1>
{fragment}
<p class="rk-muted">Erstellt am {date} · intern, nicht zur Veröffentlichung.</p>
</main>
</body>
</html>
"""


def render_html(table: Abwaegung, date: str) -> str:
    """A complete, self-contained HTML page (inline CSS, no scripts, no external requests)."""
    from html import escape

    title = f"Abwägungstabelle: {table.paper.title} – Runde {table.round.id}"
    return _PAGE.format(title=escape(title), fragment=table_html(table, hidden_class="vh"),
                        date=escape(german_date(date)))


def render_pdf(table: Abwaegung, date: str) -> bytes:
    """A tagged landscape PDF (PDF/A-2a, PDF/UA-1) whose header row repeats on every page."""
    import typst

    data = json.dumps(view(table), ensure_ascii=False)
    try:
        pdf = typst.compile((HERE / "abwaegung.typ").read_bytes(), root=str(HERE), ignore_system_fonts=True,
                            font_paths=[], sys_inputs={"abwaegung": data, "datum": german_date(date)},
                            pdf_standards=PDF_STANDARDS, timestamp=document_epoch(date))
    except typst.TypstError as error:
        raise ContentError([Diagnostic("abwaegung.typ", 1, 1, "R805",
                                       f"Typst konnte die Abwägungstabelle nicht setzen: {error}")]) from None
    assert isinstance(pdf, bytes)
    return pdf


def render_csv(table: Abwaegung) -> bytes:
    """One line per comment, separated by semicolons, UTF-8 with BOM (opens in Excel as is)."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for z in view(table)["zeilen"]:
        writer.writerow([z["nr"], z["kapitel"], z["absatz"], z["zeilen"], z["kennung"], z["mitglied"], z["autor"],
                         z["datum"], z["art"], z["wortlaut"], z["vorschlag_text"], z["begruendung"], z["entscheidung"],
                         z["antwort"], z["fassung"], z["entschieden_am"], z["datei"]])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def render_docx(table: Abwaegung, date: str) -> bytes:
    """A landscape Word document with the table; its header row repeats on every page."""
    from .docx import build_document

    return normalise_zip(build_document(view(table), german_date(date), date), date)


def write_abwaegung(root: Path, table: Abwaegung, date: str | None = None,
                    formats: tuple[str, ...] = FORMATS) -> dict[str, Path]:
    """Write the table in ``formats`` to the round's output folder; return the paths."""
    date = date or dt.date.today().isoformat()
    renderers = {
        "html": lambda: render_html(table, date).encode("utf-8"),
        "pdf": lambda: render_pdf(table, date),
        "docx": lambda: render_docx(table, date),
        "csv": lambda: render_csv(table),
    }
    folder = round_dir(root, table.paper.id, table.round.id)
    files = {}
    for kind in formats:
        path = folder / f"abwaegung-{table.paper.id}-{table.round.id}.{kind}"
        write_atomic(path, renderers[kind]())
        files[kind] = path
    return files
