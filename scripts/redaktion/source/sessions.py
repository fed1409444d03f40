"""Read the session files ``contributions/sitzungen/*.md`` into :class:`~redaktion.model.sessions.Session`.

Like contributions, a file whose front matter is broken becomes located diagnostics and is
left out; problems in the minutes are reported, and the session is kept, so that ``check``
can also report its references. :func:`link_versions` then tells every paper version in which
session it was adopted (from ``sitzung:`` in ``paper.yml`` or from a decision in the minutes).
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from . import fields
from .files import CONTENT_DIR, _decode, _FileProblem, _located, _parse, _read_bytes, split_front_matter
from ..model import Diagnostic, Paper, Position, SessionRef, clock_time
from .material import material_list
from .minutes import read_minutes
from ..model.sessions import SESSION_FIELDS, SESSIONS_DIR, AgendaItem, Session


def load_sessions(content: Path, diagnostics: list[Diagnostic]) -> list[Session]:
    """Every readable session below ``content/sitzungen``, oldest first."""
    folder = content / SESSIONS_DIR
    if not folder.is_dir():
        return []
    sessions = []
    for path in sorted(folder.glob("*.md")):
        session = parse_session(path, f"{CONTENT_DIR}/{SESSIONS_DIR}/{path.name}", diagnostics)
        if session is not None:
            sessions.append(session)
    return sorted(sessions, key=lambda s: (s.date, s.start, s.id))


def parse_session(path: Path, rel: str, diagnostics: list[Diagnostic]) -> Session | None:
    """Read one session file; append problems to ``diagnostics``; None if its front matter is unusable."""
    try:
        text, warnings = _decode(_read_bytes(path, rel), rel)
        diagnostics.extend(warnings)
        front, body, body_line = split_front_matter(text, rel)
        data = _parse(front, rel, first_line=2)
    except _FileProblem as problem:
        diagnostics.append(_about_session(problem.diagnostic))
        return None
    problems = list(fields.validate(data, SESSION_FIELDS, Position(1, 1), "dem Kopfbereich der Sitzung"))
    diagnostics.extend(_located(rel, problems))
    if problems:
        return None
    assert isinstance(data, dict)
    minutes, found = read_minutes(body, rel, body_line)
    diagnostics.extend(found)
    return Session(
        id=path.stem,
        path=path,
        rel=rel,
        date=data["datum"],
        start=clock_time(data["beginn"]),
        end=clock_time(data["ende"]),
        host=data["gastgeber"],
        agenda=tuple(_agenda_item(number, item) for number, item in enumerate(data["tagesordnung"], start=1)),
        title=_text(data.get("titel")),
        place=_text(data.get("ort")),
        room=_text(data.get("raum")),
        online=data.get("online") == "ja",
        access=data.get("zugang") or "",
        invited=tuple(data.get("eingeladen") or ()),
        attending=tuple(data.get("anwesend") or ()),
        guests=data.get("gaeste") or 0,
        material=material_list(data.get("material"), f"{CONTENT_DIR}/{SESSIONS_DIR}"),
        results=(data.get("ergebnisse") or "").strip(),
        preamble=minutes.preamble,
        minutes=minutes.sections,
        body_line=body_line,
        positions=dict(getattr(data, "positions", {})),
    )


def _agenda_item(number: int, item: dict) -> AgendaItem:
    return AgendaItem(
        number=number,
        title=_text(item["titel"]),
        responsible=item.get("verantwortlich") or "",
        papers=tuple(item.get("papiere") or ()),
        rounds=tuple(item.get("runden") or ()),
        contributions=tuple(item.get("beitraege") or ()),
        position=getattr(item, "position", Position()),
        positions=dict(getattr(item, "positions", {})),
    )


def _text(value: object) -> str:
    return " ".join(str(value or "").split())


def _about_session(diagnostic: Diagnostic) -> Diagnostic:
    # The shared reader speaks of contributions; a session file is not one.
    if diagnostic.code != "R001":
        return diagnostic
    return replace(diagnostic, message=diagnostic.message.replace("Der Beitrag", "Die Sitzungsdatei"),
                   hint="Die erste Zeile muss „---“ lauten, danach folgen die Angaben (datum, beginn, …) und "
                        "wieder eine Zeile „---“. Eine Vorlage erzeugt „redaktion new --sitzung JJJJ-MM-TT“.")


# --- versions adopted in a session ----------------------------------------------------------


def link_versions(papers: dict[str, Paper], sessions: list[Session]) -> dict[str, Paper]:
    """The papers with every version's ``adopted_in`` filled in where a session adopted it.

    The session named by ``sitzung:`` in ``paper.yml`` counts; without it, the first session
    whose minutes hold a decision adopting that version (``check`` then asks for ``sitzung:``).
    """
    by_id = {s.id: s for s in sessions}
    adopting: dict[tuple[str, str], Session] = {}
    for session in sessions:
        for decision in session.decisions:
            if decision.adopts:
                adopting.setdefault((decision.paper, decision.version), session)
    linked = {}
    for paper_id, paper in papers.items():
        versions = []
        for version in paper.versions:
            session = by_id.get(version.session) if version.session else adopting.get((paper_id, version.number))
            ref = SessionRef(session.id, session.date, "" if session.online else session.place,
                             public=paper.is_public) if session else None
            versions.append(replace(version, adopted_in=ref))
        linked[paper_id] = replace(paper, versions=tuple(versions))
    return linked
