"""A session as its outputs show it: names, titles and links resolved from the corpus.

:func:`session_sheet` is to sessions what ``assemble`` is to papers: the one input of every
session output (invitation and minutes PDF, site pages, calendar). :func:`open_tasks` is the
Aufgaben overview shared by the internal site and ``redaktion status``; :func:`public_sessions`
decides which sessions the public page „Aus den Sitzungen“ lists.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

from ..model import (
    LICENSE_URLS,
    MATERIAL_LICENSE_LABELS,
    PAPER_KIND_LABELS,
    Corpus,
    Material,
    Publisher,
    anchor_for,
    german_date,
)
from ..check.sessions import resolve_contribution
from ..source.material import type_label
from ..model.sessions import DECISION_KIND_LABELS, TASK_STATE_LABELS, Decision, Session, Task, TextPart


@dataclass(frozen=True)
class Link:
    """Something an agenda item, decision or task refers to: a paper, a contribution or a round."""

    kind: str  # "papier", "beitrag" or "runde"
    label: str
    paper: str = ""  # paper id ("" when unknown)
    anchor: str = ""  # the contribution's anchor on its paper's page


@dataclass(frozen=True)
class AgendaLine:
    number: int
    title: str
    responsible: str  # member name, or ""
    links: tuple[Link, ...] = ()


@dataclass(frozen=True)
class DecisionLine:
    number: int
    top: int
    text: str
    kind: str
    kind_label: str
    links: tuple[Link, ...] = ()
    version: str = ""
    round: str = ""
    votes: str = ""  # „9 dafür, 0 dagegen, 1 Enthaltung“
    adopts: bool = False

    @property
    def summary(self) -> str:
        """„Verabschiedung · Positionspapier … · Version 1.0 · Abstimmung: einstimmig“."""
        parts = [self.kind_label] if self.kind != "beschluss" else []
        parts += [link.label for link in self.links]
        if self.version:
            parts.append(f"Version {self.version}")
        if self.round:
            parts.append(f"Runde {self.round}")
        if self.votes:
            parts.append(f"Abstimmung: {self.votes}")
        return " · ".join(parts)


@dataclass(frozen=True)
class TaskLine:
    session: str  # session id
    session_heading: str
    session_date: str
    top: int
    text: str
    member_id: str
    member: str  # name
    due: str  # ISO date or ""
    state: str
    state_label: str
    overdue: bool
    links: tuple[Link, ...] = ()

    @property
    def due_label(self) -> str:
        return german_date(self.due) if self.due else "ohne Frist"


@dataclass(frozen=True)
class MaterialLine:
    title: str
    source: str  # member name
    license: str  # German label
    license_url: str
    public: bool
    type_label: str  # "PDF", "CSV", "Link" …
    file: str = ""  # below the project root
    link: str = ""
    description: str = ""
    owner: str = ""  # session or paper id the material belongs to


@dataclass(frozen=True)
class TopSheet:
    """The minutes of one agenda item; ``parts`` are Markdown strings, decisions and tasks in order."""

    number: int
    title: str
    parts: tuple[str | DecisionLine | TaskLine, ...]


@dataclass(frozen=True)
class Adopted:
    """A version adopted in the session, as the public page names it."""

    paper: str  # id
    title: str
    version: str
    public: bool  # the paper is published


@dataclass(frozen=True)
class SessionSheet:
    """Everything the outputs of one session show."""

    id: str
    title: str  # „9. Sitzung des Qualitätszirkels“
    heading: str  # „Sitzung am 10. Dezember 2009 in Stuttgart“
    date: str
    weekday_date: str
    start: str
    end: str
    place: str
    room: str
    online: bool
    access: str
    host: str  # name
    invited: tuple[str, ...]  # names
    attending: tuple[str, ...]
    absent: tuple[str, ...]  # invited, not attending (empty before the session)
    guests: int
    agenda: tuple[AgendaLine, ...]
    tops: tuple[TopSheet, ...]
    preamble: str
    decisions: tuple[DecisionLine, ...]
    tasks: tuple[TaskLine, ...]
    material: tuple[MaterialLine, ...]
    results: str
    adopted: tuple[Adopted, ...]
    publisher: Publisher
    listed_publicly: bool

    @property
    def has_minutes(self) -> bool:
        return bool(self.tops)

    @property
    def time_label(self) -> str:
        return f"{self.start} bis {self.end} Uhr"

    @property
    def where(self) -> str:
        """„Stuttgart, Rathaus, Großer Sitzungssaal …“ or „Online-Sitzung“."""
        if self.online:
            return "Online-Sitzung"
        return ", ".join(part for part in (self.place, self.room) if part)

    @property
    def public_material(self) -> tuple[MaterialLine, ...]:
        return tuple(m for m in self.material if m.public)


def session_sheet(corpus: Corpus, session: Session, today: dt.date | None = None) -> SessionSheet:
    """The resolved view of ``session`` (``today`` decides which open tasks are overdue)."""
    today = today or dt.date.today()
    members = list(corpus.members)
    invited = session.invited_of(members)
    tops = []
    for section in session.minutes:
        item = session.agenda_item(section.number)
        parts: list[str | DecisionLine | TaskLine] = []
        for part in section.parts:
            if isinstance(part, TextPart):
                parts.append(part.markdown)
            elif isinstance(part, Decision):
                parts.append(decision_line(corpus, part))
            else:
                parts.append(task_line(corpus, session, part, today))
        tops.append(TopSheet(section.number, item.title if item else section.title, tuple(parts)))
    return SessionSheet(
        id=session.id,
        title=session.display_title,
        heading=session.heading,
        date=session.date,
        weekday_date=session.weekday_date,
        start=session.start,
        end=session.end,
        place=session.place,
        room=session.room,
        online=session.online,
        access=session.access,
        host=_name(corpus, session.host),
        invited=_names(corpus, invited),
        attending=_names(corpus, session.attending),
        absent=_names(corpus, [m for m in invited if m not in session.attending]) if session.attending else (),
        guests=session.guests,
        agenda=tuple(AgendaLine(item.number, item.title, _name(corpus, item.responsible) if item.responsible else "",
                                _agenda_links(corpus, item.papers, item.rounds, item.contributions))
                     for item in session.agenda),
        tops=tuple(tops),
        preamble=session.preamble,
        decisions=tuple(decision_line(corpus, d) for d in session.decisions),
        tasks=tuple(task_line(corpus, session, t, today) for t in session.tasks),
        material=material_lines(corpus, session.material, session.id),
        results=session.results,
        adopted=_adopted(corpus, session),
        publisher=corpus.publisher,
        listed_publicly=session in public_sessions(corpus),
    )


def decision_line(corpus: Corpus, decision: Decision) -> DecisionLine:
    links = _paper_links(corpus, (decision.paper,))
    if decision.adopts:  # an adoption links to the version history, where the version names this session
        links = tuple(replace(link, anchor="versionen") if link.paper else link for link in links)
    return DecisionLine(decision.number, decision.top, decision.text, decision.kind,
                        DECISION_KIND_LABELS[decision.kind], links, decision.version, decision.round,
                        decision.votes.label if decision.votes else "", decision.adopts)


def task_line(corpus: Corpus, session: Session, task: Task, today: dt.date) -> TaskLine:
    return TaskLine(session.id, session.heading, session.date, task.top, task.text, task.member,
                    _name(corpus, task.member), task.due, task.state, TASK_STATE_LABELS[task.state],
                    task.overdue(today), _paper_links(corpus, (task.paper,)))


def material_lines(corpus: Corpus, material: tuple[Material, ...], owner: str) -> tuple[MaterialLine, ...]:
    return tuple(MaterialLine(m.title, _name(corpus, m.source), MATERIAL_LICENSE_LABELS.get(m.license, m.license),
                              LICENSE_URLS.get(m.license, ""), m.public, type_label(m), m.path, m.link,
                              m.description, owner)
                 for m in material)


def open_tasks(corpus: Corpus, today: dt.date | None = None) -> list[TaskLine]:
    """Every open task of every session, by member name, then due date (tasks without one last)."""
    today = today or dt.date.today()
    lines = [task_line(corpus, session, task, today) for session in corpus.sessions for task in session.tasks
             if task.is_open]
    return sorted(lines, key=lambda t: (t.member.casefold(), not t.due, t.due, t.session_date))


def tasks_by_member(tasks: list[TaskLine]) -> list[tuple[str, list[TaskLine]]]:
    """Open tasks grouped by member name, in the order of :func:`open_tasks`."""
    groups: dict[str, list[TaskLine]] = {}
    for task in tasks:
        groups.setdefault(task.member, []).append(task)
    return list(groups.items())


def public_sessions(corpus: Corpus) -> list[Session]:
    """Sessions the public page lists: with a public summary, public material, or a version of a
    published paper adopted in them (the paper's version history links there)."""
    adopted = {v.adopted_in.id for p in corpus.papers.values() if p.is_public for v in p.versions if v.adopted_in}
    return [s for s in corpus.sessions
            if s.results or any(m.public for m in s.material) or s.id in adopted]


def _adopted(corpus: Corpus, session: Session) -> tuple[Adopted, ...]:
    found = []
    for paper in corpus.papers.values():
        for version in paper.versions:
            if version.adopted_in and version.adopted_in.id == session.id:
                found.append(Adopted(paper.id, paper.title, version.number, paper.is_public))
    return tuple(found)


def _agenda_links(corpus: Corpus, papers: tuple[str, ...], rounds: tuple[str, ...],
                  contributions: tuple[str, ...]) -> tuple[Link, ...]:
    links = list(_paper_links(corpus, papers))
    for reference in contributions:
        found = resolve_contribution(corpus, reference, papers)
        if len(found) == 1:
            c = found[0]
            members = ", ".join(_short(corpus, m) for m in c.members)
            links.append(Link("beitrag", f"„{c.title}“ ({members})", c.paper, anchor_for(c)))
        else:
            links.append(Link("beitrag", reference))
    for reference in rounds:
        paper_id, _, round_id = reference.partition("/")
        paper = corpus.papers.get(paper_id)
        label = f"Kommentierungsrunde {round_id}" + (f" zu „{paper.short_title or paper.title}“" if paper else "")
        links.append(Link("runde", label, paper_id if paper else ""))
    return tuple(links)


def _paper_links(corpus: Corpus, papers: tuple[str, ...]) -> tuple[Link, ...]:
    links = []
    for paper_id in papers:
        if not paper_id:
            continue
        paper = corpus.papers.get(paper_id)
        if paper is None:
            links.append(Link("papier", paper_id))
        else:
            kind = PAPER_KIND_LABELS.get(paper.kind, "")
            label = paper.title if paper.title.startswith(kind) else f"{kind} „{paper.title}“".strip()
            links.append(Link("papier", label, paper.id))
    return tuple(links)


def _name(corpus: Corpus, member_id: str) -> str:
    member = corpus.members.get(member_id)
    return member.name if member else member_id


def _short(corpus: Corpus, member_id: str) -> str:
    member = corpus.members.get(member_id)
    return member.short_name if member else member_id


def _names(corpus: Corpus, ids: list[str] | tuple[str, ...]) -> tuple[str, ...]:
    return tuple(sorted((_name(corpus, m) for m in ids), key=str.casefold))
