"""All sessions as one iCalendar file (RFC 5545) that members subscribe to.

Times are local times in Europe/Berlin with a VTIMEZONE component, so calendar programs show
10:00 for a session at 10:00 in summer and in winter. The file belongs to the internal site:
it names places, agenda items and the video conference link.

The output is reproducible: DTSTAMP is ``SOURCE_DATE_EPOCH`` or noon UTC of the newest session
day, not the time of the build.
"""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from ..model import Corpus
from ..util.epoch import document_datetime
from ..assemble.sessions import SessionSheet, session_sheet

TIMEZONE = "Europe/Berlin"
FILE_NAME = "sitzungen.ics"


def calendar(corpus: Corpus) -> bytes:
    """The iCalendar file of every session of ``corpus``."""
    from icalendar import Calendar, Event

    zone = ZoneInfo(TIMEZONE)
    publisher = corpus.publisher
    cal = Calendar()
    cal.add("prodid", f"-//{publisher.name}//redaktion//DE")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", f"Sitzungen – {publisher.short}")
    cal.add("x-wr-timezone", TIMEZONE)
    # Reproducible: the newest session day (or SOURCE_DATE_EPOCH), not the time of the build.
    stamp = document_datetime(max((s.date for s in corpus.sessions), default="2000-01-01"))
    host = urlsplit(publisher.website).hostname or "redaktion.invalid"
    for session in corpus.sessions:
        sheet = session_sheet(corpus, session)
        event = Event()
        event.add("uid", f"sitzung-{sheet.id}@{host}")
        event.add("dtstamp", stamp)
        event.add("dtstart", _local(sheet.date, sheet.start, zone))
        event.add("dtend", _local(sheet.date, sheet.end, zone))
        event.add("summary", f"{sheet.title} ({sheet.place or 'online'})")
        event.add("location", sheet.access if sheet.online and sheet.access else sheet.where)
        event.add("description", description(sheet))
        if sheet.online and sheet.access:
            event.add("url", sheet.access)
        event.add("status", "CONFIRMED")
        event.add("transp", "OPAQUE")
        cal.add_component(event)
    cal.add_missing_timezones()
    return cal.to_ical()


def description(sheet: SessionSheet) -> str:
    """Host, agenda and access of a session as plain text for the calendar entry."""
    lines = [f"Gastgeber: {sheet.host}"]
    if sheet.online and sheet.access:
        lines.append(f"Zugang: {sheet.access}")
    lines.append("")
    lines.append("Tagesordnung:")
    lines += [f"TOP {item.number}: {item.title}" for item in sheet.agenda]
    return "\n".join(lines)


def _local(date: str, time: str, zone: ZoneInfo) -> dt.datetime:
    hours, minutes = (int(part) for part in time.split(":"))
    day = dt.date.fromisoformat(date)
    return dt.datetime(day.year, day.month, day.day, hours, minutes, tzinfo=zone)
