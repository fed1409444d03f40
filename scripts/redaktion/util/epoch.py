"""The date printed into and stamped onto every output, reproducibly.

``SOURCE_DATE_EPOCH`` (https://reproducible-builds.org/specs/source-date-epoch/) wins when it
is set to a number; otherwise a document is dated at noon UTC of a day its content names (the
paper's date, the session day, the release day), so the same content gives the same bytes on
every machine and in every time zone. Renderers get the result passed in; nothing here or
elsewhere sets the variable in ``os.environ`` (renderers run in threads).
"""

from __future__ import annotations

import datetime as dt
import os
import re

from ..model.errors import UsageError

VARIABLE = "SOURCE_DATE_EPOCH"


def source_date_epoch() -> int | None:
    """``SOURCE_DATE_EPOCH`` in seconds since 1970, or None when it is not set.

    Raises :class:`UsageError` when it is set to anything but a whole number (empty included):
    mkdocs reads the variable too and stops with a Python error on such a value, and a date
    quietly ignored here would make two builds of the same content differ.
    """
    value = os.environ.get(VARIABLE)
    if value is None:
        return None
    if not re.fullmatch(r"[0-9]+", value.strip()):
        raise UsageError(f"Die Umgebungsvariable {VARIABLE} ist „{value}“; erwartet wird eine ganze Zahl "
                         "(Sekunden seit dem 1. Januar 1970).",
                         f"Setzen Sie sie z. B. mit {VARIABLE}=$(git log -1 --format=%ct) oder entfernen Sie sie "
                         f"(unset {VARIABLE}); dann tragen die Dokumente das Datum ihres Inhalts.")
    return int(value)


def noon_utc(day: str | dt.date) -> int:
    """Noon UTC of ``day`` (ISO date or date) in seconds since 1970."""
    if isinstance(day, str):
        day = dt.date.fromisoformat(day)
    return int(dt.datetime(day.year, day.month, day.day, 12, tzinfo=dt.timezone.utc).timestamp())


def document_epoch(day: str | dt.date, epoch: int | None = None) -> int:
    """Seconds since 1970 that date a document: ``epoch``, else ``SOURCE_DATE_EPOCH``, else noon UTC of ``day``."""
    if epoch is not None:
        return epoch
    variable = source_date_epoch()
    return variable if variable is not None else noon_utc(day)


def document_datetime(day: str | dt.date) -> dt.datetime:
    """:func:`document_epoch` as an aware UTC datetime (calendar stamps, dates in texts)."""
    return dt.datetime.fromtimestamp(document_epoch(day), dt.timezone.utc)


def cache_key_part() -> str:
    """What of the environment decides a document's date, for cache keys (empty when unset)."""
    variable = source_date_epoch()
    return "" if variable is None else str(variable)
