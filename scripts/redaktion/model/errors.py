"""The errors a user can see: one base type with a German message, a hint and an exit code.

Every error that may reach the user derives from :class:`RedaktionError`; only the command
line's entry point (``redaktion.cli.main``) prints it – ``redaktion: Fehler: …`` and
``    Hinweis: …`` – and exits with its ``exit_code``: 1 for problems in the content or the
project, 2 for a wrong call (:class:`UsageError`). Anything else that escapes is a bug.

The hierarchy (each class lives with the stage that raises it)::

    RedaktionError                    exit 1
    ├── ContentError                  model: carries the Diagnostics that explain it
    ├── RenderError                   model: an output could not be produced
    │   ├── PandocError               source.parse.pandoc
    │   └── SiteError                 render.site
    ├── GitError                      source.git
    ├── VersionError                  build.versions
    ├── DiffError                     workflow.diff
    ├── RoundRefused                  workflow.runde (exit 1 or 2)
    ├── ReleaseRefused                workflow.release (exit 1 or 2, may carry Diagnostics)
    └── UsageError                    exit 2: the call names something that is not there
        ├── UnknownPaper, UnknownRound, UnknownSession, UnknownMember   (here)
        └── ContributeError           contribute.common

Exceptions that never leave the module raising them (``_FileProblem``, ``PlaceError``,
``YamlProblem``, ``YamlEditError`` …) stay plain: they are turned into a Diagnostic or into
one of these errors, with context, by their caller.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from . import Diagnostic


class RedaktionError(Exception):
    """A problem the user can solve: German ``message``, a ``hint`` what to do, the exit code.

    ``diagnostics`` (located problems in the content) are printed before the message.
    """

    exit_code: int = 1

    def __init__(self, message: str, hint: str = "", exit_code: int | None = None,
                 diagnostics: list[Diagnostic] | None = None):
        super().__init__(message)
        self.message = message
        self.hint = hint
        self.diagnostics: list[Diagnostic] = list(diagnostics or [])
        if exit_code is not None:
            self.exit_code = exit_code

    def __reduce__(self) -> tuple[Any, ...]:
        # Build workers send errors back pickled; subclasses take other arguments than the
        # message, so the error is rebuilt from its attributes, not by calling the class again.
        return _restore, (type(self), dict(self.__dict__))


def _restore(cls: type[RedaktionError], state: dict[str, Any]) -> RedaktionError:
    error = cls.__new__(cls)
    Exception.__init__(error, state["message"])
    error.__dict__.update(state)
    return error


class UsageError(RedaktionError):
    """The command was called wrongly: a missing or wrong option, a name that does not exist."""

    exit_code = 2


def suggest(value: str, choices: Iterable[str]) -> str:
    """A German "did you mean" hint for a mistyped id, or an empty string."""
    close = difflib.get_close_matches(value, list(choices), n=1, cutoff=0.6)
    return f"Meinten Sie „{close[0]}“?" if close else ""


def choices_hint(value: str, known: Iterable[str], none: str) -> str:
    """"Meinten Sie …?" for a near miss, else what exists ("Vorhanden: …"), else ``none``."""
    names = sorted(known)
    return suggest(value, names) or (f"Vorhanden: {', '.join(names)}." if names else none)


class UnknownPaper(UsageError):
    """A paper id that is not a folder under ``contributions/``."""

    def __init__(self, paper_id: str, known: Iterable[str]):
        super().__init__(f"Das Papier „{paper_id}“ gibt es nicht.",
                         choices_hint(paper_id, known, "Es gibt noch kein Papier: Ein Papier ist ein Ordner unter "
                                                       "contributions/ mit einer Datei paper.yml."))
        self.paper_id = paper_id


class UnknownRound(UsageError):
    """A consultation round that the paper does not have."""

    def __init__(self, paper_id: str, round_id: str, known: Iterable[str]):
        super().__init__(f"Die Runde „{round_id}“ gibt es in „{paper_id}“ nicht.",
                         choices_hint(round_id, known, f"„{paper_id}“ hat noch keine Kommentierungsrunde."))
        self.paper_id = paper_id
        self.round_id = round_id


class UnknownSession(UsageError):
    """A session that is not a file under ``contributions/sitzungen/``."""

    def __init__(self, session_id: str, known: Iterable[str]):
        super().__init__(f"Die Sitzung „{session_id}“ gibt es nicht.",
                         choices_hint(session_id, known, "Legen Sie eine an mit „redaktion new --sitzung "
                                                         "JJJJ-MM-TT …“."))
        self.session_id = session_id


class UnknownMember(UsageError):
    """A member id that is not in ``contributions/members.yml``."""

    def __init__(self, member: str, known: Iterable[str]):
        super().__init__(f"Das Mitglied „{member}“ steht nicht in contributions/members.yml.",
                         choices_hint(member, known, "Tragen Sie die Mitglieder in contributions/members.yml ein."))
        self.member = member
