"""The editorial lifecycle of a paper: status history, released versions and Mitzeichnung.

Two parts, both plain data and free of files, renderers and the terminal:

* :func:`check_lifecycle` yields the lifecycle diagnostics (called from ``check.check``);
* :func:`adoption` tells renderers whether and when a version was adopted ("Verabschiedet
  am … von …"), from the ``mitzeichnung`` entries of ``paper.yml``.

A status may only move backwards (e.g. from „final“ back to „abstimmung“) with a reason: the
``history`` list records every status change with date and note, and its last entry must
match ``status``. Papers without ``history`` are not checked for moves.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from . import PAPER_STATUS_LABELS, PAPER_STATUSES, Corpus, Diagnostic, Member, Paper, Vote, german_date
from .errors import suggest



def version_key(number: str) -> tuple[int, ...]:
    """Sort key of a version number such as ``"1.10"`` (numeric, not textual)."""
    return tuple(int(part) for part in number.split("."))


# --- checks -------------------------------------------------------------------------------


def check_lifecycle(corpus: Corpus) -> Iterator[Diagnostic]:
    """Lifecycle rules of every paper: history, version order and Mitzeichnung."""
    for paper in corpus.papers.values():
        rel = _rel(corpus, paper.path)
        yield from _check_history(paper, rel)
        yield from _check_versions(paper, rel)
        yield from _check_votes(corpus, paper, rel)


def _line(paper: Paper, key: str) -> int:
    position = paper.positions.get(key) or paper.positions.get(key.split(".")[0])
    return position.line if position else 1


def _check_history(paper: Paper, rel: str) -> Iterator[Diagnostic]:
    rank = {status: index for index, status in enumerate(PAPER_STATUSES)}
    for index in range(1, len(paper.history)):
        before, after = paper.history[index - 1], paper.history[index]
        if rank[after.status] < rank[before.status] and not after.note:
            yield Diagnostic(
                rel, _line(paper, f"history.{index}"), 1, "R072",
                f"Der Stand wird am {after.date} von „{PAPER_STATUS_LABELS[before.status]}“ auf "
                f"„{PAPER_STATUS_LABELS[after.status]}“ zurückgesetzt, ohne Begründung.",
                "Ergänzen Sie in diesem Eintrag eine Zeile „note: …“, warum das Papier zurückgesetzt wurde "
                "(z. B. „Neue Beiträge für Version 1.1“).")
        if after.date < before.date:
            yield Diagnostic(
                rel, _line(paper, f"history.{index}"), 1, "R072",
                f"Der Eintrag vom {after.date} steht nach dem Eintrag vom {before.date}.",
                "Ordnen Sie history: zeitlich, der jüngste Statuswechsel steht unten.", "warning")
    if paper.history and paper.history[-1].status != paper.status:
        last = paper.history[-1]
        yield Diagnostic(
            rel, _line(paper, "status"), 1, "R073",
            f"Der Stand „{paper.status}“ stimmt nicht mit dem letzten Eintrag unter history: („{last.status}“) "
            "überein.",
            f"Tragen Sie jeden Statuswechsel unter history: ein, z. B. „- date: {dt.date.today().isoformat()}“, "
            f"„status: {paper.status}“ und bei einem Rückschritt „note: Begründung“.")


def _check_versions(paper: Paper, rel: str) -> Iterator[Diagnostic]:
    for index in range(1, len(paper.versions)):
        before, after = paper.versions[index - 1], paper.versions[index]
        if version_key(after.number) <= version_key(before.number):
            yield Diagnostic(
                rel, _line(paper, f"versions.{index}"), 1, "R074",
                f"Die Version {after.number} steht nach Version {before.number}.",
                "Versionsnummern steigen von oben nach unten und kommen nur einmal vor; die neueste steht unten.")
        elif after.date < before.date:
            yield Diagnostic(
                rel, _line(paper, f"versions.{index}"), 1, "R074",
                f"Die Version {after.number} ({after.date}) ist älter als Version {before.number} ({before.date}).",
                "Prüfen Sie die Datumsangaben unter versions:.")


def _check_votes(corpus: Corpus, paper: Paper, rel: str) -> Iterator[Diagnostic]:
    numbers = [v.number for v in paper.versions]
    seen: set[tuple[str, str]] = set()
    for index, vote in enumerate(paper.mitzeichnung):
        line = _line(paper, f"mitzeichnung.{index}")
        if vote.member not in corpus.members:
            yield Diagnostic(rel, line, 1, "R075", f"Unbekanntes Mitglied „{vote.member}“ in der Mitzeichnung.",
                             suggest(vote.member, list(corpus.members))
                             or "Die Kurznamen stehen in contributions/members.yml.")
        if vote.version not in numbers:
            known = ", ".join(numbers) if numbers else "noch keine"
            yield Diagnostic(rel, line, 1, "R076",
                             f"Die Mitzeichnung bezieht sich auf Version {vote.version}, die es nicht gibt.",
                             f"Freigegebene Versionen: {known}. Abgestimmt wird über eine mit „redaktion release“ "
                             "freigegebene Version.")
        if vote.vote == "vorbehalt" and not vote.text:
            yield Diagnostic(rel, line, 1, "R077", f"Der Vorbehalt von „{vote.member}“ hat keinen Wortlaut.",
                             "Ergänzen Sie „text: …“ mit dem Vorbehalt, wie er im Papier erscheinen soll.")
        if (vote.version, vote.member) in seen:
            yield Diagnostic(rel, line, 1, "R078",
                             f"„{vote.member}“ hat zu Version {vote.version} mehr als ein Votum.",
                             "Jedes Mitglied stimmt pro Version einmal ab; ändern Sie den bestehenden Eintrag.")
        seen.add((vote.version, vote.member))


def _rel(corpus: Corpus, path: Path) -> str:
    try:
        return path.resolve().relative_to(corpus.root).as_posix()
    except ValueError:
        return path.as_posix()


# --- adoption -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Reservation:
    """A member's reservation (Vorbehalt) with its wording."""

    member: Member
    text: str


@dataclass(frozen=True)
class Adoption:
    """The adoption of one version by the members' votes ("Verabschiedet am … von …")."""

    version: str
    date: str  # ISO date of the last vote on this version
    consenting: tuple[Member, ...]
    abstaining: tuple[Member, ...] = ()
    reservations: tuple[Reservation, ...] = ()

    @property
    def german_date(self) -> str:
        return german_date(self.date)

    def sentence(self) -> str:
        """One German sentence for colophons and the site, e.g. „Verabschiedet am 10. Dezember 2009 von …“."""
        names = _enumerate([m.name for m in self.consenting])
        text = f"Version {self.version} verabschiedet am {self.german_date} von {names}."
        if self.abstaining:
            text += f" Enthaltung: {_enumerate([m.name for m in self.abstaining])}."
        if self.reservations:
            who = _enumerate([r.member.name for r in self.reservations])
            text += f" Mit Vorbehalt: {who}."
        return text


def adoption(paper: Paper, members: Mapping[str, Member], version: str | None = None) -> Adoption | None:
    """How ``version`` (default: the newest version with votes) was adopted, or None without consent.

    ``members`` is the registry (``corpus.members``); unknown ids (an error in ``check``) are
    shown by their id. Members with a reservation count as consenting with reservation.
    """
    votes = _votes_for(paper, version)
    if not votes:
        return None
    in_favour = [v for v in votes if v.vote in ("zustimmung", "vorbehalt")]
    if not in_favour:
        return None

    def member(vote: Vote) -> Member:
        return members.get(vote.member) or Member(vote.member, vote.member, "stadt", "Bund")

    return Adoption(
        version=votes[0].version,
        date=max(v.date for v in votes),
        consenting=tuple(member(v) for v in in_favour),
        abstaining=tuple(member(v) for v in votes if v.vote == "enthaltung"),
        reservations=tuple(Reservation(member(v), v.text) for v in votes if v.vote == "vorbehalt"),
    )


def _votes_for(paper: Paper, version: str | None) -> list[Vote]:
    if version is None:
        voted = [v.number for v in paper.versions if any(vote.version == v.number for vote in paper.mitzeichnung)]
        if not voted:
            return []
        version = voted[-1]
    return [v for v in paper.mitzeichnung if v.version == version]


def open_votes(paper: Paper, members: Mapping[str, Member]) -> tuple[str, list[Member]]:
    """The newest version and the members who have not voted on it yet (empty without versions)."""
    latest = paper.latest_version
    if latest is None:
        return "", []
    voted = {v.member for v in paper.mitzeichnung if v.version == latest.number}
    return latest.number, [m for m in members.values() if m.id not in voted]


def _enumerate(names: list[str]) -> str:
    """German enumeration: „A, B und C“."""
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " und " + names[-1]
