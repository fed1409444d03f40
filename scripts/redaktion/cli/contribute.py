"""Command line of ``redaktion new``, ``redaktion import`` and ``redaktion schema``.

Part of the command-line layer: prints results; errors are raised and reported by
:func:`redaktion.cli.main.main`, which registers these subcommands and hands them over. The
work is done in :mod:`redaktion.contribute`, :mod:`redaktion.source.schema` and
:mod:`redaktion.source.fieldref`.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from ..model import CONTRIBUTION_KINDS
from ..model.errors import RedaktionError, UsageError
from .common import rel

if TYPE_CHECKING:
    from ..contribute.common import Target

COMMANDS = ("new", "import", "schema")
_REQUIRED_FOR_NEW = ("paper", "section", "kind", "member", "title")


def add_parsers(commands: argparse._SubParsersAction) -> None:  # noqa: SLF001 - argparse has no public type
    """Register the subcommands on the main parser's subparsers."""
    new = commands.add_parser("new", help="neuen Beitrag aus der Vorlage anlegen",
                              description="Legt contributions/PAPIER/MITGLIED--KURZNAME.md mit vollständigem "
                                          "Kopfbereich an. Fehlende Angaben werden im Terminal abgefragt.")
    _add_target_arguments(new, required=False)
    new.add_argument("--kind", help="Art des Beitrags: " + ", ".join(CONTRIBUTION_KINDS))
    new.add_argument("--title", help="Titel des Beitrags (bei --sitzung: der Sitzung)")
    session = new.add_argument_group("Sitzung (statt eines Beitrags)")
    session.add_argument("--sitzung", metavar="DATUM", help="neue Sitzung am DATUM (JJJJ-MM-TT) anlegen")
    session.add_argument("--ort", default="", help="Stadt, in der die Sitzung stattfindet")
    session.add_argument("--online", action="store_true", help="Online-Sitzung (statt --ort)")
    session.add_argument("--zugang", default="", help="Link zur Videokonferenz (bei --online)")
    session.add_argument("--gastgeber", help="Kurzname des einladenden Mitglieds")
    session.add_argument("--beginn", default="10:00", help="Beginn (Standard: 10:00)")
    session.add_argument("--ende", default="16:00", help="Ende (Standard: 16:00)")
    comment = new.add_argument_group("Kommentar zu einer Kommentierungsrunde (statt eines Beitrags)")
    comment.add_argument("--runde", help="Kurzname der offenen Runde, z. B. runde-1: legt einen Kommentar an")
    comment.add_argument("--stelle", help="Absatznummer (z. B. B3.2), Zeile des PDFs der Runde (z. B. „Z. 120“) "
                                          "oder „gesamt“")
    comment.add_argument("--art", help="aenderung, ergaenzung, streichung, anmerkung oder grundsaetzlich")
    comment.add_argument("--vorschlag", help="vorgeschlagener Wortlaut (bei aenderung ohne Angabe: der bisherige "
                                             "Absatz zum Bearbeiten)")

    imp = commands.add_parser("import", help="Word- oder LibreOffice-Datei als Beitrag übernehmen",
                              description="Wandelt eine .docx- oder .odt-Datei in einen Beitrag um und "
                                          "berichtet, was nicht übernommen werden konnte.")
    imp.add_argument("source", type=Path, metavar="DATEI", help="die .docx- oder .odt-Datei")
    _add_target_arguments(imp, required=True)
    imp.add_argument("--kind", default="text",
                     help="Art des Beitrags: " + ", ".join(CONTRIBUTION_KINDS) + " (Standard: text)")
    imp.add_argument("--title", help="Titel (Standard: erste Überschrift des Dokuments)")

    schema = commands.add_parser("schema", help="JSON-Schemas und Feldtabelle der Anleitung neu erzeugen")
    schema.add_argument("--check", action="store_true",
                        help="nur prüfen, ob Schemas und Anleitung aktuell sind (Exit-Code 1, wenn nicht)")


def run(args: argparse.Namespace) -> int:
    """Run one of :data:`COMMANDS`; return the exit code."""
    if args.command == "new":
        return _new(args)
    if args.command == "import":
        return _import(args)
    return _schema(args.root, args.check)


def _add_target_arguments(parser: argparse.ArgumentParser, required: bool) -> None:
    parser.add_argument("--paper", required=required, help="Kurzname des Papiers (Ordner unter contributions/)")
    parser.add_argument("--section", required=required, help="Abschnitt der Gliederung (aus paper.yml)")
    parser.add_argument("--member", action="append", required=required, default=None,
                        help="Kurzname des Mitglieds aus members.yml (mehrfach möglich)")
    parser.add_argument("--authors", action="append", default=None,
                        help="Namen, durch Komma getrennt; „Name <adresse@example.org>“ hält die Adresse intern")
    parser.add_argument("--slug", default="", help="Kurzname für den Dateinamen (Standard: aus dem Titel)")


def _new(args: argparse.Namespace) -> int:
    if args.sitzung:
        return _new_session(args)
    if args.runde:
        return _new_comment(args)
    from ..contribute.common import Target, parse_authors
    from ..contribute.new import create_contribution
    from ..contribute.prompts import complete_target
    from ..source.load import load

    missing = [name for name in _REQUIRED_FOR_NEW if not getattr(args, name)]
    if missing and not sys.stdin.isatty():
        flags = ", ".join("--" + name for name in missing)
        raise UsageError(f"Es fehlen die Angaben {flags}.",
                         "Geben Sie sie an, z. B. redaktion new --paper bildungsmanagement --section "
                         "grundlagen --kind praxisbeispiel --member stuttgart --title „…“, oder starten Sie "
                         "den Befehl im Terminal: Dann werden fehlende Angaben abgefragt.")
    if missing:
        target = complete_target(load(args.root), args.paper, args.section, args.kind, args.member or [],
                                 args.title, args.authors)
    else:
        target = Target(args.paper, args.section, args.kind, tuple(args.member), args.title,
                        parse_authors(args.authors or []))
    target = _with_slug(target, args.slug)
    path = create_contribution(args.root, target)
    print(f"Beitrag angelegt: {rel(args.root, path)}")
    print("Schreiben Sie Ihren Text unter die zweite Zeile „---“ und prüfen Sie ihn mit „redaktion check“.")
    return _check_file(args.root, path)


def _new_session(args: argparse.Namespace) -> int:
    from ..contribute.prompts import choose
    from ..contribute.sitzung import SessionTarget, create_session
    from ..source.load import load

    host, place = args.gastgeber, args.ort
    if not host or not (place or args.online):
        if not sys.stdin.isatty():
            raise UsageError("Es fehlen die Angaben --gastgeber und --ort (oder --online).",
                             "z. B. redaktion new --sitzung 2011-03-24 --ort Tübingen --gastgeber tuebingen")
        corpus = load(args.root)
        while not (place or args.online):
            place = input("Ort der Sitzung (Stadt; leer lassen für eine Online-Sitzung): ").strip()
            args.online = not place
        if not host:
            host = choose(input, sys.stderr, "Welches Mitglied lädt ein?",
                          [(m.id, m.name) for m in sorted(corpus.members.values(), key=lambda m: m.id)])
    target = SessionTarget(args.sitzung, host, "" if args.online else place, args.online, args.zugang,
                           args.beginn, args.ende, args.title or "Sitzung des Qualitätszirkels")
    path = create_session(args.root, target)
    print(f"Sitzung angelegt: {rel(args.root, path)}")
    print("Tragen Sie die Tagesordnung ein; die Einladung als PDF erzeugt „redaktion sitzung "
          f"{path.stem}“.")
    return 0


def _new_comment(args: argparse.Namespace) -> int:
    """``redaktion new --runde …``: a comment file for a paragraph of the round's draft."""
    from ..contribute.new import create_comment
    from ..contribute.prompts import ask_comment

    if not (args.paper and args.member and args.stelle and args.art):
        if not sys.stdin.isatty():
            missing = [flag for flag, value in (("--paper", args.paper), ("--member", args.member),
                                                 ("--stelle", args.stelle), ("--art", args.art)) if not value]
            raise UsageError(f"Es fehlen die Angaben {', '.join(missing)}.",
                             "z. B. redaktion new --runde runde-1 --paper engagement-partizipation --member "
                             "stuttgart --stelle B3.2 --art aenderung")
        from ..source.load import load

        args.paper, members, args.stelle, args.art = ask_comment(load(args.root), args.paper, args.runde,
                                                                 args.member or [], args.stelle, args.art)
        args.member = members
    authors = args.authors or []
    path = create_comment(args.root, args.paper, args.runde, args.member[0], args.stelle, args.art, args.vorschlag,
                          author=", ".join(authors), slug=args.slug)
    print(f"Kommentar angelegt: {rel(args.root, path)}")
    print("Schreiben Sie Ihre Begründung unter die zweite Zeile „---“ und prüfen Sie mit „redaktion check“.")
    return _check_file(args.root, path)


def _import(args: argparse.Namespace) -> int:
    from ..contribute.common import Target, parse_authors
    from ..contribute.importer import import_document

    target = Target(args.paper, args.section, args.kind, tuple(args.member), args.title or "",
                    parse_authors(args.authors or []), args.slug)
    result = import_document(args.root, args.source, target)
    print(f"Beitrag angelegt: {rel(args.root, result.path)} („{result.title}“)")
    for note in result.notes:
        print(f"Hinweis: {note}")
    for image in result.media:
        print(f"Bild gespeichert: {rel(args.root, image)}")
    if result.losses:
        print("\nNicht oder nur teilweise übernommen:")
        for loss in result.losses:
            print(f"  – {loss}")
    else:
        print("Alles übernommen; bitte trotzdem Überschriften, Bilder und Tabellen prüfen.")
    return _check_file(args.root, result.path)


def _schema(root: Path, only_check: bool) -> int:
    from ..source import fieldref
    from ..source import schema

    if only_check:
        stale = [rel(root, p) for p in schema.stale_schemas(root)]
        for guide in fieldref.GUIDES:
            try:
                current = fieldref.guide_is_current(root, *guide)
            except fieldref.MissingRegion:
                current = False
            if not current:
                stale.append(guide[0].as_posix())
        if stale:
            raise RedaktionError("Nicht aktuell: " + ", ".join(stale) + ".",
                                 "Führen Sie „redaktion schema“ aus und committen Sie die geänderten Dateien.")
        print("Schemas und Feldtabelle sind aktuell.")
        return 0
    changed = schema.write_schemas(root)
    for guide, specs, start, end in fieldref.GUIDES:
        try:
            updated = fieldref.update_guide(root, guide, specs, start, end)
        except fieldref.MissingRegion:
            for path in changed:
                print(f"Geschrieben: {rel(root, path)}")
            raise UsageError(f"In {guide.as_posix()} fehlt der Bereich für die Feldtabelle.",
                             f"Fügen Sie zwei Zeilen „{start}“ und „{end}“ ein; "
                             "dazwischen schreibt redaktion schema die Tabelle.") from None
        changed += [updated] if updated else []
    for path in changed:
        print(f"Geschrieben: {rel(root, path)}")
    if not changed:
        print("Schemas und Feldtabelle waren schon aktuell.")
    return 0


def _check_file(root: Path, path: Path) -> int:
    """Show what ``check`` says about the new file, so problems are seen right away."""
    from ..check.corpus import check
    from ..source.load import load

    name = rel(root, path)
    found = [d for d in check(load(root)) if d.path == name]
    if found:
        print(f"\n„redaktion check“ meldet für {name}:", file=sys.stderr)
        for diagnostic in found:
            print(diagnostic.format(), file=sys.stderr)
    return 0


def _with_slug(target: Target, slug: str) -> Target:
    return replace(target, slug=slug) if slug else target
