"""CLI commands of the editorial workflow: ``status``, ``release``, ``diff``.

Part of the command-line layer: prints results; errors are raised and reported by
:func:`redaktion.cli.main.main`. The work is done by ``redaktion.workflow``; registered from
:mod:`redaktion.cli.main` like the contributor commands.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

COMMANDS = ("status", "release", "diff")


def add_parsers(commands: argparse._SubParsersAction) -> None:
    """Add the workflow subcommands to the main parser."""
    status = commands.add_parser("status", help="Stand der Papiere: Beiträge, fehlende Mitglieder, Mitzeichnung")
    status.add_argument("paper", metavar="PAPIER", nargs="?", help="nur dieses Papier (mit allen Beiträgen)")
    status.add_argument("--format", choices=("text", "json"), default="text", help="Ausgabeformat")
    status.add_argument("--aufgaben", action="store_true", help="nur die offenen Aufgaben aus den Protokollen")

    release = commands.add_parser("release", help="eine Version freigeben (Eintrag, Commit, Tag, PDF/DOCX)")
    release.add_argument("paper", metavar="PAPIER")
    release.add_argument("version", metavar="VERSION", help="Versionsnummer, z. B. 1.1")
    release.add_argument("--note", default="", help="was sich in dieser Version geändert hat")
    release.add_argument("--date", default=None, help="Datum der Freigabe (JJJJ-MM-TT, Standard: heute)")
    release.add_argument("--sitzung", default=None, metavar="SITZUNG",
                         help="Sitzung, die die Version verabschiedet hat, z. B. 2009-12-10-stuttgart "
                              "(Standard: die Sitzung, deren Protokoll sie verabschiedet)")

    diff = commands.add_parser("diff", help="Synopse zweier Fassungen als HTML, PDF und DOCX")
    diff.add_argument("paper", metavar="PAPIER")
    diff.add_argument("old", metavar="ALT", help="Version (z. B. 1.1), Tag oder Commit")
    diff.add_argument("new", metavar="NEU", nargs="?", default=None,
                      help="Version, Tag oder Commit (Standard: Arbeitsstand)")
    diff.add_argument("--format", dest="formats", action="append", choices=("html", "pdf", "docx"),
                      help="nur diese Formate (mehrfach möglich; Standard: alle)")


def run(args: argparse.Namespace) -> int:
    """Run one workflow command; return the exit code."""
    root: Path = args.root
    if args.command == "status":
        return _status(root, args.paper, args.format, args.aufgaben)
    if args.command == "release":
        return _release(root, args.paper, args.version, args.note, args.date, args.sitzung)
    return _diff(root, args.paper, args.old, args.new, tuple(args.formats or ()))


def _status(root: Path, paper_id: str | None, output_format: str, tasks_only: bool = False) -> int:
    import dataclasses
    import json

    from ..source.load import load
    from ..model.errors import UnknownPaper
    from ..assemble.sessions import open_tasks
    from ..workflow.aufgaben import format_tasks
    from ..assemble.status import format_table, status_overview

    corpus = load(root)
    if paper_id and paper_id not in corpus.papers:
        raise UnknownPaper(paper_id, corpus.papers)
    tasks = open_tasks(corpus)
    if tasks_only:
        if output_format == "json":
            print(json.dumps([dataclasses.asdict(t) for t in tasks], ensure_ascii=False, indent=2))
        else:
            print(format_tasks(tasks), end="")
        return 0
    overview = status_overview(corpus, paper_id)
    if output_format == "json":
        print(json.dumps([dataclasses.asdict(s) for s in overview], ensure_ascii=False, indent=2))
    else:
        print(format_table(overview, details=paper_id is not None), end="")
        if corpus.sessions and paper_id is None:
            print("\n" + format_tasks(tasks), end="")
    if corpus.diagnostics:
        print(f"\nHinweis: {len(corpus.diagnostics)} Datei(en) konnten nicht gelesen werden und fehlen in der "
              "Übersicht; „redaktion check“ zeigt die Gründe.", file=sys.stderr)
    return 0


def _release(root: Path, paper_id: str, number: str, note: str, date: str | None, session: str | None) -> int:
    from ..model import german_date
    from ..workflow.release import release

    result = release(root, paper_id, number, note=note, date=date, session=session)
    version = result.version
    print(f"Version {version.number} von „{paper_id}“ freigegeben ({german_date(version.date)}).")
    print(f"  Eintrag in {result.paper_file.relative_to(root.resolve())} (Prüfsumme {version.hash[:12]}…)")
    if version.session:
        print(f"  Verabschiedet in der Sitzung {version.session}")
    if result.commit:
        print(f"  Commit {result.commit[:7]} „Release {paper_id} {version.number}“, Tag {result.tag}")
        print("  Veröffentlichen mit: git push --follow-tags")
    for kind, path in result.outputs.items():
        print(f"  {kind.upper()}: {path.relative_to(root.resolve())}")
    for hint in result.hints:
        print(f"\nHinweis: {hint}")
    return 0


def _diff(root: Path, paper_id: str, old: str, new: str | None, formats: tuple[str, ...]) -> int:
    from ..source.load import load
    from ..model.errors import UnknownPaper
    from ..workflow.diff import FORMATS, diff

    corpus = load(root)
    if paper_id not in corpus.papers:
        raise UnknownPaper(paper_id, corpus.papers)
    result = diff(root, paper_id, old, new, formats or FORMATS)
    synopse = result.synopse
    print(f"Synopse „{synopse.title}“: {synopse.old_title} → {synopse.new_title}")
    print(f"  {synopse.summary()}")
    for entry in synopse.changes:
        print(f"  • {entry.label}: {entry.heading} – {entry.attribution}")
        for source in entry.comments:
            print(f"      aus der Kommentierung: {source}")
    for kind, path in result.files.items():
        print(f"  {kind.upper()}: {path.relative_to(root.resolve())}")
    return 0
