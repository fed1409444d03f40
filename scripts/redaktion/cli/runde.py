"""CLI commands of consultation rounds: ``runde``, ``import-review``, ``apply``.

Part of the command-line layer: prints results; errors are raised and reported by
:func:`redaktion.cli.main.main`. The work is done in :mod:`redaktion.workflow.runde`,
:mod:`redaktion.render.abwaegung`, :mod:`redaktion.workflow.apply` and
:mod:`redaktion.contribute.review`. Registered from :mod:`redaktion.cli.main` like the other
command groups.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .common import rel

COMMANDS = ("runde", "import-review", "apply")
ACTIONS = ("liste", "eroeffnen", "schliessen", "abwaegung")


def add_parsers(commands: argparse._SubParsersAction) -> None:  # noqa: SLF001 - argparse has no public type
    """Add the round commands to the main parser."""
    runde = commands.add_parser(
        "runde", help="Kommentierungsrunde eröffnen, schließen, Abwägungstabelle schreiben",
        description="eroeffnen: friert eine freigegebene Version als PDF (mit Zeilen- und Absatznummern) und DOCX "
                    "ein und trägt die Runde in paper.yml ein. schliessen: beendet die offene Runde. abwaegung: "
                    "schreibt die Abwägungstabelle als HTML, PDF, DOCX und CSV. Ohne Aktion: die Runden auflisten.")
    runde.add_argument("paper", metavar="PAPIER")
    runde.add_argument("action", metavar="AKTION", nargs="?", default="liste", choices=ACTIONS,
                       help="eroeffnen, schliessen, abwaegung oder liste (Standard)")
    runde.add_argument("round", metavar="RUNDE", nargs="?", default=None,
                       help="die Runde (Standard: die offene bzw. die letzte)")
    runde.add_argument("--version", default=None, help="beim Eröffnen: die Version (Standard: die neueste)")
    runde.add_argument("--bis", default=None, help="beim Eröffnen: Frist für Kommentare (JJJJ-MM-TT)")
    runde.add_argument("--id", dest="round_id", default=None, help="beim Eröffnen: Kurzname (Standard: runde-N)")
    runde.add_argument("--date", default=None, help="Datum statt heute (JJJJ-MM-TT)")
    runde.add_argument("--format", dest="formats", action="append", choices=("html", "pdf", "docx", "csv"),
                       help="bei abwaegung: nur diese Formate (mehrfach möglich; Standard: alle)")

    review = commands.add_parser(
        "import-review", help="geprüfte Word-Kopie des DOCX einer Runde als Kommentare übernehmen",
        description="Nachverfolgte Änderungen werden je Absatz zu einem Änderungsvorschlag, Word-Kommentare zu "
                    "Anmerkungen; Autor und Datum aus Word bleiben erhalten.")
    review.add_argument("source", type=Path, metavar="DATEI", help="die geprüfte .docx-Datei")
    review.add_argument("--paper", required=True, help="Kurzname des Papiers")
    review.add_argument("--runde", required=True, help="Kurzname der Runde, z. B. runde-1")
    review.add_argument("--member", required=True, help="Kurzname des Mitglieds aus members.yml")

    apply = commands.add_parser("apply", help="übernommene Vorschläge einer Runde in die Beiträge schreiben")
    apply.add_argument("paper", metavar="PAPIER")
    apply.add_argument("round", metavar="RUNDE")


def run(args: argparse.Namespace) -> int:
    """Run one of :data:`COMMANDS`; return the exit code."""
    if args.command == "runde":
        return _runde(args)
    if args.command == "import-review":
        return _import_review(args)
    return _apply(args.root, args.paper, args.round)


def _runde(args: argparse.Namespace) -> int:
    from ..model import german_date
    from ..workflow.runde import close_round, open_round

    root: Path = args.root
    if args.action == "eroeffnen":
        result = open_round(root, args.paper, args.version, args.bis, args.round_id or args.round, args.date)
        r = result.round
        print(f"Kommentierungsrunde „{r.id}“ zu Version {r.version} von „{args.paper}“ eröffnet"
              + (f" (Frist: {german_date(r.until)})." if r.until else "."))
        print(f"  Eintrag in {rel(root, result.paper_file)}, Absatzverzeichnis {rel(root, result.index_file)}")
    elif args.action == "schliessen":
        result = close_round(root, args.paper, args.round, args.date)
        print(f"Kommentierungsrunde „{result.round.id}“ von „{args.paper}“ geschlossen "
              f"({german_date(result.round.closed)}).")
    elif args.action == "abwaegung":
        return _abwaegung(root, args.paper, args.round, args.date, tuple(args.formats or ()))
    else:
        return _list(root, args.paper)
    if result.commit:
        print(f"  Commit {result.commit[:7]}")
    for kind, path in result.outputs.items():
        print(f"  {kind.upper()}: {rel(root, path)}")
    for hint in result.hints:
        print(f"\nHinweis: {hint}")
    return 0


def _list(root: Path, paper_id: str) -> int:
    from ..source.load import load
    from ..model import ROUND_STATE_LABELS, german_date
    from ..model.errors import UnknownPaper

    corpus = load(root)
    paper = corpus.papers.get(paper_id)
    if paper is None:
        raise UnknownPaper(paper_id, corpus.papers)
    if not paper.rounds:
        print(f"„{paper.title}“ hat noch keine Kommentierungsrunde. Eröffnen: redaktion runde {paper_id} eroeffnen")
        return 0
    for r in paper.rounds:
        comments = corpus.comments_of(paper_id, r.id)
        open_count = sum(1 for c in comments if not c.is_decided)
        dates = f"eröffnet am {german_date(r.opened)}" + (f", bis {german_date(r.until)}" if r.until else "") + \
            (f", geschlossen am {german_date(r.closed)}" if r.closed else "")
        print(f"{r.id}: Version {r.version}, {ROUND_STATE_LABELS[r.state]} ({dates}) – {len(comments)} Kommentare, "
              f"davon {open_count} offen")
    return 0


def _abwaegung(root: Path, paper_id: str, round_id: str | None, date: str | None, formats: tuple[str, ...]) -> int:
    from ..source.load import load
    from ..assemble.abwaegung import abwaegung
    from ..render.abwaegung import FORMATS, write_abwaegung
    from ..model.errors import UnknownPaper, UnknownRound, UsageError

    corpus = load(root)
    paper = corpus.papers.get(paper_id)
    if paper is None:
        raise UnknownPaper(paper_id, corpus.papers)
    if round_id and paper.round(round_id) is None:
        raise UnknownRound(paper_id, round_id, [r.id for r in paper.rounds])
    chosen = paper.round(round_id) if round_id else (paper.open_round or (paper.rounds[-1] if paper.rounds else None))
    if chosen is None:
        raise UsageError(f"„{paper_id}“ hat noch keine Kommentierungsrunde.",
                         f"Eröffnen: redaktion runde {paper_id} eroeffnen")
    table = abwaegung(corpus, paper_id, chosen.id)
    files = write_abwaegung(root.resolve(), table, date, formats or FORMATS)
    counts = ", ".join(f"{n} {label.lower()}" for label, n in
                       ((z["label"], z["anzahl"]) for z in _counts(table)) if n) or "keine Kommentare"
    print(f"Abwägungstabelle der Runde „{chosen.id}“ ({len(table.rows)} Kommentare: {counts})")
    for kind, path in files.items():
        print(f"  {kind.upper()}: {rel(root, path)}")
    return 0


def _counts(table) -> list[dict]:  # noqa: ANN001 - Abwaegung
    from ..model import DECISION_LABELS

    return [{"label": DECISION_LABELS[d], "anzahl": n} for d, n in table.counts().items()]


def _import_review(args: argparse.Namespace) -> int:
    from ..contribute.review import import_review

    root: Path = args.root
    result = import_review(root, args.source, args.paper, args.runde, args.member)
    print(f"Aus „{args.source.name}“ übernommen: {len(result.imported)} Kommentar(e).")
    for item in result.imported:
        print(f"  {item.label} {item.kind}: {rel(root, item.path)} (zugeordnet per {item.how})")
    similar = [i for i in result.imported if i.how != "Textmarke"]
    if similar:
        print(f"\nHinweis: {len(similar)} Kommentar(e) ohne Textmarke zugeordnet – die Kopie enthält die Textmarken "
              "des DOCX der Runde nicht (neu abgetippt oder eingefügt?). Prüfen Sie die Stelle in diesen Dateien.")
    if result.not_placed or result.notes:
        print("\nNicht übernommen:")
        for line in [*result.not_placed, *result.notes]:
            print(f"  – {line}")
    return 0


def _apply(root: Path, paper_id: str, round_id: str) -> int:
    from ..workflow.apply import apply_round

    result = apply_round(root, paper_id, round_id)
    for outcome in result.applied:
        print(f"Übernommen: Nr. {outcome.number} ({outcome.label}) – {outcome.message} {outcome.path}")
    for outcome in result.unchanged:
        print(f"Schon im Text: Nr. {outcome.number} ({outcome.label})")
    for outcome in result.conflicts:
        print(f"Konflikt: Nr. {outcome.number} ({outcome.label}) – {outcome.message} ({outcome.comment.rel})",
              file=sys.stderr)
    if not (result.applied or result.unchanged or result.conflicts):
        print("Nichts zu übernehmen: kein Kommentar mit übernommenem Wortlaut.")
    elif result.files:
        print(f"\n{len(result.files)} Datei(en) geändert; prüfen Sie die Änderungen mit „git diff“ und committen Sie.")
    return 1 if result.conflicts else 0
