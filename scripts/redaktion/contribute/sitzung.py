"""``redaktion new --sitzung``: a new session file with the front matter of an invitation."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..source.load import CONTENT_DIR, load
from ..model import clock_time, is_iso_date, slugify
from ..model.errors import UnknownMember
from ..model.sessions import SESSIONS_DIR
from .common import ContributeError, render_template, write_new


@dataclass(frozen=True)
class SessionTarget:
    """What a new session file says."""

    date: str
    host: str
    place: str = ""  # empty for an online session
    online: bool = False
    access: str = ""
    start: str = "10:00"
    end: str = "16:00"
    title: str = "Sitzung des Qualitätszirkels"


def create_session(root: Path, target: SessionTarget) -> Path:
    """Write ``contributions/sitzungen/<date>-<place>.md``; refuse unknown hosts and existing files."""
    corpus = load(root)
    if not is_iso_date(target.date):
        raise ContributeError(f"„{target.date}“ ist kein gültiges Datum.", "Schreiben Sie --sitzung JJJJ-MM-TT.")
    if target.host not in corpus.members:
        raise UnknownMember(target.host, corpus.members)
    if target.online == bool(target.place):
        raise ContributeError("Eine Sitzung hat einen Ort oder findet online statt.",
                              "Geben Sie entweder --ort STADT oder --online an.")
    if target.access and not target.access.startswith("https://"):
        raise ContributeError("Der Zugang muss eine https://-Adresse sein.", "z. B. --zugang https://…")
    for name, value in (("--beginn", target.start), ("--ende", target.end)):
        if not clock_time(value):
            raise ContributeError(f"„{value}“ ist keine Uhrzeit für {name}.", f"Schreiben Sie z. B. {name} 10:00.")
    slug = slugify(target.place) if target.place else "online"
    path = corpus.root / CONTENT_DIR / SESSIONS_DIR / f"{target.date}-{slug}.md"
    if path.exists():
        raise ContributeError(f"Die Datei {path.relative_to(corpus.root).as_posix()} gibt es schon; sie wird nicht "
                              "überschrieben.", "Ergänzen Sie die vorhandene Sitzung.")
    write_new(path, render_template("sitzung.md", title=target.title, date=target.date,
                                    start=clock_time(target.start), end=clock_time(target.end),
                                    online=target.online, access=target.access, place=target.place,
                                    host=target.host))
    return path
