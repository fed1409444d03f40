"""What the command modules share: printing diagnostics and errors, loading a checked corpus.

Imported by :mod:`redaktion.cli.main` and by the command groups it registers, so none of them
needs to import another.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

from ..model import ContentError, Diagnostic
from ..model.errors import RedaktionError

if TYPE_CHECKING:
    from ..model import Corpus


def print_diagnostics(diagnostics: list[Diagnostic]) -> None:
    """Every diagnostic and a count of errors and warnings, on stderr."""
    for diagnostic in diagnostics:
        print(diagnostic.format(), file=sys.stderr)
    errors = sum(d.severity == "error" for d in diagnostics)
    warnings = len(diagnostics) - errors
    if errors or warnings:
        print(f"\n{_count(errors, 'Fehler', 'Fehler')}, {_count(warnings, 'Warnung', 'Warnungen')}.",
              file=sys.stderr)


def _count(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def print_error(error: RedaktionError) -> None:
    """``redaktion: Fehler: …`` and ``    Hinweis: …`` on stderr; a ContentError as its diagnostics."""
    if error.diagnostics or isinstance(error, ContentError):
        print_diagnostics(error.diagnostics)
        if isinstance(error, ContentError):
            return  # the diagnostics are the message
        print(file=sys.stderr)
    print(f"redaktion: Fehler: {error.message}", file=sys.stderr)
    if error.hint:
        print(f"    Hinweis: {error.hint}", file=sys.stderr)


def load_checked(root: Path) -> tuple[Corpus, list[Diagnostic]]:
    """The corpus and its warnings; raise :class:`ContentError` when ``check`` finds errors."""
    from ..check.corpus import check, has_errors
    from ..source.load import load

    corpus = load(root)
    diagnostics = check(corpus)
    if has_errors(diagnostics):
        raise ContentError(diagnostics)
    return corpus, diagnostics


def rel(root: Path, path: Path) -> str:
    """``path`` relative to the project ``root`` for messages (as given when it lies outside)."""
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.as_posix()
