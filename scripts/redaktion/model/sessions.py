"""The session model (Sitzungen): front matter fields, agenda, minutes, decisions and tasks.

Plain data, like :mod:`redaktion.model`, on which it builds. A session is one file
``contributions/sitzungen/JJJJ-MM-TT-ort.md``: the front matter holds date, times, place,
members, agenda, working material and the public summary (``ergebnisse``); the body holds
the minutes, one section per agenda item (``## TOP 2: …``), with decisions (``Beschluss:``)
and tasks (``Aufgabe:``) in the syntax :mod:`redaktion.source.minutes` reads.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from . import (
    MATERIAL_FIELDS,
    SLUG_PATTERN,
    YES_NO,
    FieldSpec,
    Material,
    Position,
    german_date,
)

SESSIONS_DIR = "sitzungen"  # below contributions/

DECISION_KINDS = ("beschluss", "verabschiedung", "kommentierung")
DECISION_KIND_LABELS = {
    "beschluss": "Beschluss",
    "verabschiedung": "Verabschiedung",
    "kommentierung": "Kommentierungsrunde",
}
TASK_STATES = ("offen", "erledigt", "entfallen")
TASK_STATE_LABELS = {"offen": "offen", "erledigt": "erledigt", "entfallen": "entfallen"}

# The indented lines under "Beschluss:" and "Aufgabe:" (documented in docs/sitzungen-anleitung.md).
DECISION_KEYS = ("Papier", "Version", "Art", "Runde", "Abstimmung")
TASK_KEYS = ("Wer", "Bis", "Stand", "Papier")

WEEKDAYS = ("Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag", "Sonntag")

AGENDA_FIELDS = (
    FieldSpec("titel", "str", "Thema des Tagesordnungspunkts. Seine Nummer ist seine Position in der Liste "
              "(der erste Eintrag ist TOP 1).", required=True),
    FieldSpec("verantwortlich", "str", "Mitglied, das den Punkt vorbereitet oder vorstellt (Kurzname).",
              pattern=SLUG_PATTERN),
    FieldSpec("papiere", "list[str]", "Papiere, um die es geht (Kurznamen der Ordner unter contributions/)."),
    FieldSpec("runden", "list[str]", "Kommentierungsrunden, um die es geht, als `papier/runde`."),
    FieldSpec("beitraege", "list[str]", "Beiträge, um die es geht: Dateiname ohne „.md“ "
              "(`mitglied--kurzname`), bei Mehrdeutigkeit `papier/mitglied--kurzname`."),
)

SESSION_FIELDS = (
    FieldSpec("titel", "str", "Titel der Sitzung, z. B. „9. Sitzung des Qualitätszirkels“ (ohne Angabe "
              "„Sitzung des Qualitätszirkels“)."),
    FieldSpec("datum", "date", "Tag der Sitzung (JJJJ-MM-TT); derselbe wie am Anfang des Dateinamens.",
              required=True),
    FieldSpec("beginn", "time", "Beginn, z. B. „10:00“.", required=True, example="10:00"),
    FieldSpec("ende", "time", "Voraussichtliches Ende, z. B. „16:00“.", required=True, example="16:00"),
    FieldSpec("ort", "str", "Stadt, in der die Sitzung stattfindet, z. B. „Stuttgart“ (nicht bei "
              "Online-Sitzungen)."),
    FieldSpec("raum", "str", "Gebäude, Raum und Anschrift, z. B. „Rathaus, Ratssaal, Am Markt 1, "
              "72070 Tübingen“."),
    FieldSpec("online", "str", "„ja“ für eine Online-Sitzung (dann ohne `ort`).", enum=YES_NO),
    FieldSpec("zugang", "str", "Bei Online-Sitzungen: Link zur Videokonferenz (steht nur in Einladung, "
              "interner Website und Kalender).", pattern=r"^https://\S+$"),
    FieldSpec("gastgeber", "str", "Mitglied, das einlädt bzw. die Sitzung ausrichtet (Kurzname aus "
              "`members.yml`).", required=True, pattern=SLUG_PATTERN),
    FieldSpec("eingeladen", "list[str]", "Eingeladene Mitglieder (Kurznamen); ohne Angabe alle Mitglieder."),
    FieldSpec("anwesend", "list[str]", "Anwesende Mitglieder (Kurznamen); nach der Sitzung eintragen."),
    FieldSpec("gaeste", "int", "Zahl der Gäste. Gäste werden nirgends mit Namen genannt.", example=2),
    FieldSpec("tagesordnung", "list[object]", "Die Tagesordnung: ein Eintrag je Punkt (TOP).", required=True,
              items=AGENDA_FIELDS),
    FieldSpec("material", "list[object]", "Arbeitsmaterialien der Sitzung (Dateien oder Links); öffentliche "
              "erscheinen auch auf der öffentlichen Website.", items=MATERIAL_FIELDS),
    FieldSpec("ergebnisse", "str", "Öffentliche Zusammenfassung der Ergebnisse (einige Absätze). Sie erscheint "
              "auf der Website unter „Aus den Sitzungen“; alles andere in dieser Datei bleibt intern."),
)


@dataclass(frozen=True)
class AgendaItem:
    """One item (TOP) of the agenda; ``number`` is its position, starting at 1."""

    number: int
    title: str
    responsible: str = ""  # member id
    papers: tuple[str, ...] = ()
    rounds: tuple[str, ...] = ()  # "paper/round"
    contributions: tuple[str, ...] = ()  # "member--slug" or "paper/member--slug"
    position: Position = field(default=Position(), compare=False)
    positions: dict[str, Position] = field(default_factory=dict, compare=False, repr=False)


@dataclass(frozen=True)
class Votes:
    """The result of a vote: counts of yes, no and abstentions, or „einstimmig“ without counts."""

    yes: int | None = None  # None: "einstimmig" without counts
    no: int = 0
    abstain: int = 0

    @property
    def total(self) -> int:
        return (self.yes or 0) + self.no + self.abstain

    @property
    def label(self) -> str:
        """„einstimmig“, „einstimmig bei 1 Enthaltung“ or „9 dafür, 2 dagegen, 1 Enthaltung“."""
        abstain = f"{self.abstain} Enthaltung" + ("en" if self.abstain != 1 else "")
        if self.yes is None:
            return "einstimmig" + (f" bei {abstain}" if self.abstain else "")
        return f"{self.yes} dafür, {self.no} dagegen, {abstain}"


@dataclass(frozen=True)
class Decision:
    """A decision (Beschluss) in the minutes of one agenda item."""

    number: int  # running number in the session: Beschluss 1, 2, …
    top: int  # agenda number
    text: str
    kind: str = "beschluss"  # one of DECISION_KINDS
    paper: str = ""
    version: str = ""
    round: str = ""
    votes: Votes | None = None
    line: int = 1  # file line of "Beschluss:"
    positions: dict[str, Position] = field(default_factory=dict, compare=False, repr=False)  # key → value

    @property
    def adopts(self) -> bool:
        """True when the decision adopts a paper version (Verabschiedung)."""
        return self.kind == "verabschiedung" and bool(self.paper and self.version)


@dataclass(frozen=True)
class Task:
    """A task (Aufgabe) assigned in the minutes: who does what by when."""

    top: int
    text: str
    member: str
    due: str = ""  # ISO date, or empty
    state: str = "offen"  # one of TASK_STATES
    paper: str = ""
    line: int = 1
    positions: dict[str, Position] = field(default_factory=dict, compare=False, repr=False)

    @property
    def is_open(self) -> bool:
        return self.state == "offen"

    def overdue(self, today: dt.date) -> bool:
        """Open and past its due date."""
        return self.is_open and bool(self.due) and self.due < today.isoformat()


@dataclass(frozen=True)
class TextPart:
    """Free text of the minutes (Markdown), between decisions and tasks."""

    markdown: str
    line: int


MinutesPart = TextPart | Decision | Task


@dataclass(frozen=True)
class MinutesSection:
    """The minutes of one agenda item: text, decisions and tasks in the order written."""

    number: int
    title: str  # as written after "## TOP n:" (may be empty)
    parts: tuple[MinutesPart, ...]
    line: int

    @property
    def decisions(self) -> list[Decision]:
        return [p for p in self.parts if isinstance(p, Decision)]

    @property
    def tasks(self) -> list[Task]:
        return [p for p in self.parts if isinstance(p, Task)]


@dataclass(frozen=True)
class Session:
    """One session of the circle: invitation data from the front matter, minutes from the body."""

    id: str  # file name without .md
    path: Path
    rel: str  # path below the project root, as diagnostics name the file
    date: str
    start: str  # "HH:MM"
    end: str
    host: str  # member id
    agenda: tuple[AgendaItem, ...]
    title: str = ""
    place: str = ""
    room: str = ""
    online: bool = False
    access: str = ""  # video conference link (internal)
    invited: tuple[str, ...] = ()  # empty: every member
    attending: tuple[str, ...] = ()
    guests: int = 0
    material: tuple[Material, ...] = ()
    results: str = ""  # the public summary (ergebnisse)
    preamble: str = ""  # minutes text before the first agenda item
    minutes: tuple[MinutesSection, ...] = ()
    body_line: int = 1
    positions: dict[str, Position] = field(default_factory=dict, compare=False, repr=False)

    @property
    def heading(self) -> str:
        """„Sitzung am 10. Dezember 2009 in Stuttgart“ or „Online-Sitzung am 17. Juni 2010“."""
        if self.online:
            return f"Online-Sitzung am {german_date(self.date)}"
        return f"Sitzung am {german_date(self.date)} in {self.place}"

    @property
    def display_title(self) -> str:
        return self.title or "Sitzung des Qualitätszirkels"

    @property
    def weekday_date(self) -> str:
        """„Donnerstag, 10. Dezember 2009“."""
        return f"{WEEKDAYS[dt.date.fromisoformat(self.date).weekday()]}, {german_date(self.date)}"

    @property
    def has_minutes(self) -> bool:
        return bool(self.minutes)

    @property
    def decisions(self) -> list[Decision]:
        return [d for section in self.minutes for d in section.decisions]

    @property
    def tasks(self) -> list[Task]:
        return [t for section in self.minutes for t in section.tasks]

    def agenda_item(self, number: int) -> AgendaItem | None:
        return self.agenda[number - 1] if 1 <= number <= len(self.agenda) else None

    def invited_of(self, members: list[str]) -> tuple[str, ...]:
        """The invited member ids; every member of ``members`` when the file names none."""
        return self.invited or tuple(members)
