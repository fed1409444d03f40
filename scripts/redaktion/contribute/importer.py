"""``redaktion import``: turn a Word (DOCX) or LibreOffice (ODT) document into a contribution.

pandoc reads the document (:func:`.word.read_document`), :mod:`.docast` cleans the AST,
images go to ``contributions/<paper>/media/<slug>-N.ext``, and pandoc writes Markdown that
our reader parses the same way. Everything that could not be carried over is collected in
German sentences for the CLI to print; nothing is lost silently.
"""

from __future__ import annotations

import datetime as dt
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from ..source.load import load
from ..source.parse.pandoc import PandocError
from .word import IMPORT_FORMATS, read_document, write_markdown
from . import package
from .common import (
    ContributeError,
    Target,
    contribution_path,
    make_slug,
    render_contribution,
    render_template,
    validate_target,
    write_new,
)
from .docast import TITLE_SOURCES, Cleanup, choose_title, normalise_headings

MEDIA_DIR = "media"


@dataclass(frozen=True)
class ImportResult:
    """A finished import: the new file, its images and what could not be carried over."""

    path: Path
    title: str
    media: tuple[Path, ...]
    losses: tuple[str, ...]  # one German sentence per problem, for the terminal
    summary: tuple[str, ...]  # short labels of the same, written into the file as an editorial note
    notes: tuple[str, ...] = ()  # German hints that are no loss, e.g. where the title came from


def import_document(root: Path, source: Path, target: Target, today: dt.date | None = None) -> ImportResult:
    """Import ``source`` as a new contribution described by ``target`` (its title may be empty).

    Raises :class:`ContributeError` for unknown targets, unreadable files and existing files.
    """
    _check_source(source)
    corpus = load(root)
    validate_target(corpus, target, need_title=False)
    scan = _scan(source)
    with tempfile.TemporaryDirectory(prefix="redaktion-import-") as tmp:
        try:
            ast = read_document(source, Path(tmp))
        except PandocError as error:
            raise ContributeError(str(error), "Öffnen und speichern Sie die Datei erneut in Word oder "
                                              "LibreOffice und versuchen Sie es noch einmal.") from None
        cleanup = Cleanup()
        blocks = cleanup.walk(ast["blocks"])
        if source.suffix.lower() == ".odt":
            _fill_alt_texts(cleanup, package.odt_alt_texts(source))
        meta = dict(ast.get("meta", {}))
        if "title" not in meta and (stored := package.document_title(source)):
            # pandoc reads only a "Title" paragraph, not the document's properties.
            meta["title"] = {"t": "MetaInlines", "c": [{"t": "Str", "c": stored}]}
        title, blocks, title_source = choose_title(blocks, meta, target.title)
        if not title:
            raise ContributeError(f"Aus „{source.name}“ lässt sich kein Titel ablesen: keine Überschrift, kein Titel "
                                  "in den Dokumenteigenschaften und kein kurzer erster Absatz.",
                                  "Geben Sie ihn mit --title „…“ an.")
        ast["blocks"] = normalise_headings(blocks)
        ast["meta"] = {}
        final = Target(target.paper, target.section, target.kind, target.members, title, target.authors,
                       target.slug or make_slug(title))
        validate_target(corpus, final)
        path = contribution_path(corpus, final)
        moves = _plan_media(cleanup, path.parent / MEDIA_DIR, final.slug)
        body = write_markdown(ast)
        losses, summary = _report(cleanup, scan)
        notes = ()
        if title_source in ("properties", "paragraph"):
            notes = (f"Titel „{title}“ aus {TITLE_SOURCES[title_source]}; prüfen Sie ihn (oder geben Sie "
                     "--title an).",)
        text = render_contribution(final, (today or dt.date.today()).isoformat(), render_template(
            "import-hinweis.md", source=source.name, date=(today or dt.date.today()).isoformat(),
            losses=summary, body=body.strip()))
        media = _move_media(moves)
        try:
            write_new(path, text)
        except OSError:
            for moved in media:
                moved.unlink(missing_ok=True)
            raise
    return ImportResult(path, title, tuple(media), tuple(losses), tuple(summary), notes)


def _check_source(source: Path) -> None:
    if source.suffix.lower() not in IMPORT_FORMATS:
        raise ContributeError(f"„{source.name}“ ist keine Word- oder LibreOffice-Datei.",
                              "Importieren lassen sich .docx- und .odt-Dateien. Alte .doc-Dateien speichern Sie "
                              "in Word über „Speichern unter“ als .docx.")
    if not source.is_file():
        raise ContributeError(f"Die Datei „{source}“ gibt es nicht.", "Prüfen Sie Pfad und Dateinamen.")


def _scan(source: Path) -> package.PackageScan:
    try:
        return package.scan(source)
    except package.BrokenDocument:
        raise ContributeError(f"„{source.name}“ ist beschädigt oder keine echte {source.suffix}-Datei.",
                              "Öffnen Sie sie in Word oder LibreOffice und speichern Sie sie neu.") from None


def _fill_alt_texts(cleanup: Cleanup, alt_texts: dict[str, str]) -> None:
    """Give images without alt text the one stored in the document (pandoc's ODT reader skips it)."""
    for image in cleanup.images:
        src = image["c"][2][0]
        alt = next((text for href, text in alt_texts.items() if src.endswith("/" + href)), "")
        if alt and not image["c"][1]:
            image["c"][1] = [{"t": "Str", "c": alt}]


def _plan_media(cleanup: Cleanup, media_dir: Path, slug: str) -> list[tuple[Path, Path]]:
    """Give every extracted image its final name and point the AST at it; return (from, to) pairs."""
    planned: dict[str, Path] = {}
    for image in cleanup.images:
        src = image["c"][2][0]
        if src not in planned:
            suffix = Path(src).suffix.lower() or ".png"
            planned[src] = media_dir / f"{slug}-{len(planned) + 1}{suffix}"
        image["c"][2][0] = f"{MEDIA_DIR}/{planned[src].name}"
    for target in planned.values():
        if target.exists():
            raise ContributeError(f"Das Bild {target.name} gibt es in {MEDIA_DIR}/ schon; es wird nicht "
                                  "überschrieben.", "Wählen Sie einen anderen Kurznamen mit --slug.")
    return [(Path(src), target) for src, target in planned.items()]


def _move_media(moves: list[tuple[Path, Path]]) -> list[Path]:
    moved = []
    for source, target in moves:
        if not source.is_file():
            continue  # linked, not embedded, image: check reports the missing file
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)
        moved.append(target)
    return moved


def _report(cleanup: Cleanup, scan: package.PackageScan) -> tuple[list[str], list[str]]:
    """German sentences for the terminal and short labels for the editorial note in the file."""
    found = _comment_losses(cleanup, scan) + _layout_losses(scan) + _content_losses(cleanup)
    summary = [label for label, _ in found if label]
    return [sentence for _, sentence in found], sorted(set(summary), key=summary.index)


Loss = tuple[str, str]  # (short label for the file, or "" to count it once elsewhere; German sentence)


def _comment_losses(cleanup: Cleanup, scan: package.PackageScan) -> list[Loss]:
    losses: list[Loss] = []
    for index, (author, text) in enumerate(cleanup.comments):
        label = _plural(len(cleanup.comments), "Kommentar", "Kommentare") if index == 0 else ""
        who = f" von {author}" if author else ""
        losses.append((label, f"Kommentar{who} nicht übernommen: „{_shorten(text)}“"))
    if scan.comments:
        counted = _plural(scan.comments, "Kommentar", "Kommentare")
        losses.append((counted, f"{counted} nicht übernommen."))
    if cleanup.insertions or cleanup.deletions or scan.changes:
        count = cleanup.insertions + cleanup.deletions + scan.changes
        losses.append((f"Änderungsverfolgung ({count})",
                       f"Nachverfolgte Änderungen ({_plural(cleanup.insertions, 'Einfügung', 'Einfügungen')}, "
                       f"{_plural(cleanup.deletions, 'Löschung', 'Löschungen')}) wurden angenommen, wie mit "
                       "„Alle Änderungen annehmen“. Prüfen Sie, ob das so gewollt ist."))
    return losses


def _layout_losses(scan: package.PackageScan) -> list[Loss]:
    losses: list[Loss] = []
    if scan.colours:
        losses.append(("Farben", f"Farbige Schrift oder Hervorhebungen ({_plural(scan.colours, 'Stelle', 'Stellen')})"
                                 " nicht übernommen. Was wichtig ist, kennzeichnen Sie mit **fett**."))
    if scan.text_boxes:
        losses.append(("Textfelder", f"{_plural(scan.text_boxes, 'Textfeld', 'Textfelder')}: Der Inhalt steht – "
                                     "falls übernommen – als normaler Absatz im Text. Prüfen Sie Stelle und "
                                     "Vollständigkeit."))
    if scan.headers_footers:
        losses.append(("Kopf- und Fußzeilen",
                       "Kopf- und Fußzeilen nicht übernommen (Website und PDF setzen eigene)."))
    if scan.charts:
        losses.append(("Diagramme", f"{_plural(scan.charts, 'Diagramm', 'Diagramme')} oder SmartArt nicht "
                                    "übernommen. Fügen Sie sie als Bild (PNG) mit Alternativtext ein."))
    if scan.objects:
        losses.append(("eingebettete Objekte",
                       f"{_plural(scan.objects, 'eingebettetes Objekt', 'eingebettete Objekte')} (z. B. "
                       "Excel-Tabellen) nicht übernommen."))
    if scan.toc:
        losses.append(("Inhaltsverzeichnis",
                       "Inhaltsverzeichnis nicht übernommen (Website und PDF erzeugen eines)."))
    return losses


def _content_losses(cleanup: Cleanup) -> list[Loss]:
    losses: list[Loss] = []
    if cleanup.formulas:
        losses.append(("Formeln", f"{_plural(cleanup.formulas, 'Formel', 'Formeln')} als Text in `…` übernommen. "
                                  "Schreiben Sie sie wenn möglich in Worten."))
    if cleanup.raw:
        losses.append(("Sonderinhalte", f"{cleanup.raw} Sonderinhalt(e) ohne Textentsprechung nicht übernommen."))
    if cleanup.auto_alt:
        removed = _plural(cleanup.auto_alt, "automatisch erzeugter Alternativtext",
                          "automatisch erzeugte Alternativtexte")
        losses.append(("automatische Alternativtexte",
                       f"{removed} von Word entfernt. Beschreiben Sie selbst, was auf dem Bild zu sehen ist."))
    for alt in cleanup.replaced_alt:
        losses.append(("Alternativtext", f"Alternativtext „{_shorten(alt)}“ durch die Bildunterschrift ersetzt."))
    return losses


def _plural(count: int, one: str, many: str) -> str:
    return f"{count} {one if count == 1 else many}"


def _shorten(text: str, limit: int = 120) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"

