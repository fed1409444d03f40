"""CLI command ``redaktion sitzung``: invitation and minutes of sessions as PDF.

Part of the command-line layer (prints; errors are reported by :func:`redaktion.cli.main.main`),
registered from :mod:`redaktion.cli.main` like the workflow commands; the PDFs come from the
same cache and renderer (:mod:`redaktion.render.sitzung`) that the internal site and
``redaktion build --intern`` use.
"""

from __future__ import annotations

import argparse
import shutil
from pathlib import Path

from .common import load_checked

COMMANDS = ("sitzung",)
OUTPUT = Path("build") / "intern" / "sitzungen"


def add_parsers(commands: argparse._SubParsersAction) -> None:  # noqa: SLF001 - argparse has no public type
    """Add ``sitzung`` to the main parser."""
    session = commands.add_parser(
        "sitzung", help="Einladung und Protokoll einer Sitzung als PDF",
        description="Schreibt die Einladung (und, sobald es geschrieben ist, das Protokoll) nach "
                    "build/intern/sitzungen/.")
    session.add_argument("session", metavar="SITZUNG", nargs="?",
                         help="Sitzungsdatei ohne .md, z. B. 2009-12-10-stuttgart (Standard: alle Sitzungen)")


def run(args: argparse.Namespace) -> int:
    """Render the documents of one session (or of all); return the exit code."""
    from ..build.outputs import session_pdfs
    from ..model.errors import UnknownSession

    corpus, _ = load_checked(args.root)
    ids = [s.id for s in corpus.sessions]
    if args.session and args.session not in ids:
        raise UnknownSession(args.session, ids)
    if not ids:
        print("Es gibt noch keine Sitzung. Legen Sie eine an mit „redaktion new --sitzung JJJJ-MM-TT …“.")
        return 0
    target = corpus.root / OUTPUT
    target.mkdir(parents=True, exist_ok=True)
    for name, path in session_pdfs(corpus).items():
        if args.session and not name.startswith(args.session + "-"):
            continue
        shutil.copyfile(path, target / name)
        print(f"Geschrieben: {(target / name).relative_to(corpus.root).as_posix()}")
    return 0
