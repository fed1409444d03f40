"""The ``redaktion`` command line: a thin layer over the library.

The command line prints and decides exit codes: 0 all good, 1 content errors, 2 usage errors.
Library and commands alike raise :class:`~redaktion.model.errors.RedaktionError` (it carries
the exit code); :func:`main` reports it, in one place. Heavy modules (pandoc, Typst, mkdocs)
are imported inside the commands that need them, so ``redaktion check`` and
``redaktion --help`` start instantly.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from ..model import ContentError
from ..model.errors import RedaktionError, UnknownPaper
from .common import load_checked, print_diagnostics, print_error

# Printed after a failed build: nothing was written (the build swaps its outputs in at the end).
BUILD_KEPT = "Die vorherige Ausgabe in build/ bleibt unverändert."


class _GermanFormatter(argparse.HelpFormatter):
    def add_usage(self, usage, actions, groups, prefix=None):  # type: ignore[no-untyped-def]
        super().add_usage(usage, actions, groups, prefix="Aufruf: " if prefix is None else prefix)


class _Parser(argparse.ArgumentParser):
    """argparse with German help texts and messages."""

    def __init__(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        kwargs.setdefault("formatter_class", _GermanFormatter)
        kwargs["add_help"] = False
        super().__init__(*args, **kwargs)
        self._positionals.title = "Befehle und Angaben"
        self._optionals.title = "Optionen"
        self.add_argument("-h", "--help", action="help", help="diese Hilfe anzeigen")

    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        translated = (message.replace("the following arguments are required", "es fehlen die Angaben")
                      .replace("unrecognized arguments", "unbekannte Angaben")
                      .replace("invalid choice", "ungültige Auswahl")
                      .replace("argument", "Angabe")
                      .replace("choose from", "möglich sind")
                      .replace("expected one argument", "es fehlt ein Wert")
                      .replace("invalid int value", "keine ganze Zahl"))
        sys.stderr.write(f"redaktion: Fehler: {translated}\n")
        sys.exit(2)


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="redaktion", description="Beiträge prüfen, zusammenführen und veröffentlichen.")
    parser.add_argument("--root", type=Path, default=Path("."),
                        help="Hauptordner des Projekts (Standard: aktueller Ordner)")
    commands = parser.add_subparsers(dest="command", metavar="BEFEHL", parser_class=_Parser)

    check = commands.add_parser("check", help="alle Beiträge prüfen")
    check.add_argument("--format", choices=("text", "json", "gitlab"), default="text",
                       help="Ausgabeformat (gitlab: Code-Quality-Bericht)")

    assemble = commands.add_parser("assemble", help="Entwurf eines Papiers als Markdown schreiben")
    assemble.add_argument("paper", metavar="PAPIER")
    assemble.add_argument("--intern", action="store_true", help="mit allen Beiträgen (nicht öffentlich)")

    build = commands.add_parser("build", help="Website, PDF und DOCX bauen")
    build.add_argument("--intern", action="store_true",
                       help="alle Papiere und Beiträge, als ENTWURF markiert (nicht veröffentlichen!)")
    build.add_argument("--out", type=Path, default=None, help="Zielordner (Standard: build/, mit --intern build/intern/)")

    serve = commands.add_parser("serve", help="Vorschau der Website mit automatischem Neuladen")
    serve.add_argument("--intern", action="store_true")
    serve.add_argument("--port", type=int, default=8000)

    from . import contribute as cli_contribute

    cli_contribute.add_parsers(commands)  # new, import, schema

    from . import workflow as cli_workflow

    cli_workflow.add_parsers(commands)  # status, release, diff

    from . import sessions as cli_sessions

    cli_sessions.add_parsers(commands)  # sitzung

    from . import runde as cli_runde

    cli_runde.add_parsers(commands)  # runde, import-review, apply
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point of the console script: run the command, report any error, return the exit code."""
    parser = _parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return 2
    try:
        return _run(args)
    except RedaktionError as error:
        print_error(error)
        if args.command == "build" and not isinstance(error, ContentError):
            print(BUILD_KEPT, file=sys.stderr)
        return error.exit_code
    except KeyboardInterrupt:
        return 130
    except EOFError:  # input() at a prompt, stdin closed (Ctrl-D)
        print("\nAbgebrochen.", file=sys.stderr)
        return 130
    except Exception as error:  # noqa: BLE001 - last resort: a bug must not greet users with Python
        if os.environ.get("REDAKTION_DEBUG"):
            raise
        print(f"redaktion: Interner Fehler ({type(error).__name__}: {error}).\n"
              "    Hinweis: Das ist ein Fehler im Werkzeug, nicht in Ihren Texten. Bitte melden Sie ihn mit dem "
              "Befehl, den Sie ausgeführt haben; REDAKTION_DEBUG=1 zeigt die technischen Details.", file=sys.stderr)
        return 70


def _run(args: argparse.Namespace) -> int:
    """Hand the command to its implementation; return its exit code."""
    root: Path = args.root
    if args.command == "check":
        return _check(root, args.format)
    if args.command == "assemble":
        return _assemble(root, args.paper, args.intern)
    if args.command == "build":
        return _build(root, args.intern, args.out)
    if args.command == "serve":
        return _serve(root, args.intern, args.port)
    if args.command in ("new", "import", "schema"):
        from . import contribute as cli_contribute

        return cli_contribute.run(args)
    if args.command in ("status", "release", "diff"):
        from . import workflow as cli_workflow

        return cli_workflow.run(args)
    if args.command == "sitzung":
        from . import sessions as cli_sessions

        return cli_sessions.run(args)
    from . import runde as cli_runde

    return cli_runde.run(args)  # runde, import-review, apply: argparse allows no other command


def _check(root: Path, output_format: str) -> int:
    from . import report
    from ..check.corpus import check, has_errors
    from ..source.load import load

    diagnostics = check(load(root))
    if output_format == "json":
        print(report.to_json(diagnostics))
    elif output_format == "gitlab":
        print(report.to_gitlab(diagnostics))
    else:
        print_diagnostics(diagnostics)
        if not diagnostics:
            print("Alles in Ordnung: keine Fehler, keine Warnungen.")
    return 1 if has_errors(diagnostics) else 0


def _assemble(root: Path, paper_id: str, intern: bool) -> int:
    from ..assemble.draft import assemble
    from ..build.outputs import write_draft

    corpus, _ = load_checked(root)
    if paper_id not in corpus.papers:
        raise UnknownPaper(paper_id, corpus.papers)
    build_dir = corpus.root / "build" / "intern" if intern else corpus.root / "build"
    path = write_draft(assemble(corpus, paper_id, intern), build_dir)
    print(f"Entwurf geschrieben: {path.relative_to(corpus.root.resolve())}")
    return 0


def _build(root: Path, intern: bool, out: Path | None) -> int:
    from ..build.pipeline import build
    from ..check.corpus import check, has_errors
    from ..source.load import load

    corpus = load(root)

    def verify() -> None:
        # Called by build() once rendering has started; nothing is written before it passes.
        diagnostics = check(corpus)
        if has_errors(diagnostics):
            raise ContentError(diagnostics)
        print_diagnostics(diagnostics)

    if out is None and intern:
        # Internal builds never land where the public site is deployed from.
        out = corpus.root / "build" / "intern"
    progress = _Progress(sys.stdout.isatty())
    result = build(corpus, intern=intern, out=out, progress=progress, verify=verify)
    progress.done()
    print(result.summary())
    return 0


class _Progress:
    """Build progress: one updating line on a terminal, plain lines in CI logs."""

    def __init__(self, terminal: bool):
        self.terminal = terminal
        self.open = False

    def __call__(self, line: str) -> None:
        # Job lines ("[3/26] …") overwrite each other on a terminal; others stay.
        if self.terminal and line.startswith("["):
            sys.stdout.write("\r\033[K" + line)
            self.open = True
        else:
            self.done()
            sys.stdout.write(line + "\n")
        sys.stdout.flush()

    def done(self) -> None:
        if self.open:
            sys.stdout.write("\n")
            self.open = False


def _serve(root: Path, intern: bool, port: int) -> int:
    from ..build.serve import serve

    load_checked(root)
    serve(root.resolve(), intern=intern, port=port, say=lambda line: print(line, flush=True))
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
