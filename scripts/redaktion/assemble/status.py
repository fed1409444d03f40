"""``redaktion status``: who contributed what, what is still open, who has not voted yet.

:func:`status_overview` returns plain frozen dataclasses (``dataclasses.asdict`` turns them
into JSON-ready dicts), so the internal site can render the same overview as HTML;
:func:`format_table` makes the aligned German terminal text the CLI prints.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..check.corpus import PENDING_STATUSES
from ..source.comments import PlaceError, load_index, resolve
from ..model.lifecycle import open_votes
from ..model import german_date
from ..model import (
    CONTRIBUTION_KIND_LABELS,
    CONTRIBUTION_STATUS_LABELS,
    CONTRIBUTION_STATUSES,
    PAPER_STATUS_LABELS,
    ROUND_STATE_LABELS,
    VOTE_LABELS,
    Contribution,
    Corpus,
    Paper,
)

_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
_WORD = re.compile(r"\w[\w'’-]*")

# Short column headers of the terminal table, in the order of CONTRIBUTION_STATUSES.
STATUS_COLUMNS = {
    "eingereicht": "eingereicht",
    "in-pruefung": "in Prüfung",
    "angenommen": "angenommen",
    "abgelehnt": "abgelehnt",
    "zurueckgezogen": "zurückgez.",
}


@dataclass(frozen=True)
class ContributionStatus:
    id: str
    title: str
    kind: str  # German label
    status: str  # machine value, e.g. "in-pruefung"
    status_label: str
    members: tuple[str, ...]  # member names
    submitted: str
    words: int


@dataclass(frozen=True)
class SectionStatus:
    id: str
    number: int
    title: str
    counts: dict[str, int]  # contribution status → number of contributions
    words: int  # words of the accepted contributions (what the public paper holds)
    contributions: tuple[ContributionStatus, ...]


@dataclass(frozen=True)
class VoteStatus:
    member: str  # name
    vote: str  # German label
    date: str
    text: str = ""


@dataclass(frozen=True)
class RoundStatus:
    """A consultation round and its comments still without a decision."""

    id: str
    version: str
    state: str  # German label
    opened: str
    until: str
    closed: str
    comments: int
    open: int  # comments without a decision
    open_by_member: tuple[tuple[str, int], ...]  # (member name, open comments)
    open_by_section: tuple[tuple[str, int], ...]  # (section "3 Titel", open comments), in paper order


@dataclass(frozen=True)
class PaperStatus:
    id: str
    title: str
    status: str
    status_label: str
    latest_version: str  # "" before the first release
    latest_version_date: str
    sections: tuple[SectionStatus, ...]
    pending: tuple[ContributionStatus, ...]  # waiting for a decision of the Redaktion
    without_contribution: tuple[str, ...]  # names of members without any contribution to this paper
    member_count: int
    votes: tuple[VoteStatus, ...]  # votes on the latest version
    not_voted: tuple[str, ...]  # names of members without a vote on the latest version
    rounds: tuple[RoundStatus, ...] = ()  # consultation rounds, oldest first

    @property
    def totals(self) -> dict[str, int]:
        return {s: sum(section.counts[s] for section in self.sections) for s in CONTRIBUTION_STATUSES}

    @property
    def words(self) -> int:
        return sum(section.words for section in self.sections)


def count_words(markdown: str) -> int:
    """Words of a Markdown body, without editorial comments."""
    return len(_WORD.findall(_COMMENT.sub(" ", markdown)))


def status_overview(corpus: Corpus, paper_id: str | None = None) -> list[PaperStatus]:
    """The status of one paper, or of every paper sorted by id."""
    ids = [paper_id] if paper_id else sorted(corpus.papers)
    return [paper_status(corpus, corpus.papers[i]) for i in ids]


def paper_status(corpus: Corpus, paper: Paper) -> PaperStatus:
    """Counts, word numbers, missing members and open votes of one paper."""
    contributions = corpus.contributions_of(paper.id)
    sections = tuple(_section_status(corpus, number, section.id, section.title,
                                     [c for c in contributions if c.section == section.id])
                     for number, section in enumerate(paper.outline, start=1))
    contributing = {m for c in contributions for m in c.members}
    latest, missing = open_votes(paper, corpus.members)
    votes = tuple(VoteStatus(_name(corpus, v.member), VOTE_LABELS[v.vote], v.date, v.text)
                  for v in paper.mitzeichnung if v.version == latest)
    version = paper.latest_version
    return PaperStatus(
        id=paper.id,
        title=paper.title,
        status=paper.status,
        status_label=PAPER_STATUS_LABELS[paper.status],
        latest_version=version.number if version else "",
        latest_version_date=version.date if version else "",
        sections=sections,
        pending=tuple(_contribution_status(corpus, c) for c in contributions if c.status in PENDING_STATUSES),
        without_contribution=tuple(sorted((m.name for m in corpus.members.values() if m.id not in contributing),
                                          key=str.casefold)),
        member_count=len(corpus.members),
        votes=votes,
        not_voted=tuple(sorted((m.name for m in missing), key=str.casefold)),
        rounds=tuple(round_status(corpus, paper, r.id) for r in paper.rounds),
    )


def round_status(corpus: Corpus, paper: Paper, round_id: str) -> RoundStatus:
    """Open comments of one round, counted by member and by section of the paper."""
    current = paper.round(round_id)
    assert current is not None
    comments = corpus.comments_of(paper.id, round_id)
    undecided = [c for c in comments if not c.is_decided]
    index = load_index(corpus.root, paper.id, round_id)
    by_member: dict[str, int] = {}
    by_section: dict[tuple[int, str], int] = {}
    for c in undecided:
        name = _name(corpus, c.member)
        by_member[name] = by_member.get(name, 0) + 1
        key = (10**6, "ohne Zuordnung")
        if index is not None:
            try:
                paragraph = resolve(c.stelle, index).paragraph
                key = (paragraph.section_number, f"{paragraph.section_number} {paragraph.section_title}") \
                    if paragraph else (0, "ganzes Papier")
            except PlaceError:
                pass
        by_section[key] = by_section.get(key, 0) + 1
    return RoundStatus(
        id=current.id, version=current.version, state=ROUND_STATE_LABELS[current.state], opened=current.opened,
        until=current.until, closed=current.closed, comments=len(comments), open=len(undecided),
        open_by_member=tuple(sorted(by_member.items(), key=lambda item: item[0].casefold())),
        open_by_section=tuple((title, n) for (_, title), n in sorted(by_section.items())))


def _section_status(corpus: Corpus, number: int, section_id: str, title: str,
                    contributions: list[Contribution]) -> SectionStatus:
    entries = tuple(_contribution_status(corpus, c) for c in sorted(contributions, key=lambda c: c.id))
    counts = {s: sum(1 for c in contributions if c.status == s) for s in CONTRIBUTION_STATUSES}
    words = sum(e.words for e in entries if e.status == "angenommen")
    return SectionStatus(section_id, number, title, counts, words, entries)


def _contribution_status(corpus: Corpus, c: Contribution) -> ContributionStatus:
    return ContributionStatus(
        id=c.id, title=c.title, kind=CONTRIBUTION_KIND_LABELS[c.kind], status=c.status,
        status_label=CONTRIBUTION_STATUS_LABELS[c.status], members=tuple(_name(corpus, m) for m in c.members),
        submitted=c.submitted, words=count_words(c.body))


def _name(corpus: Corpus, member_id: str) -> str:
    member = corpus.members.get(member_id)
    return member.name if member else member_id


# --- terminal text ------------------------------------------------------------------------


def format_table(statuses: list[PaperStatus], details: bool = False) -> str:
    """Aligned plain German text; ``details`` lists every contribution under its section."""
    return "\n\n".join(_format_paper(s, details) for s in statuses) + "\n"


def _format_paper(s: PaperStatus, details: bool) -> str:
    version = (f"Version {s.latest_version} vom {german_date(s.latest_version_date)}"
               if s.latest_version else "noch keine Version freigegeben")
    lines = [f"{s.title} ({s.id})", f"Stand: {s.status_label} · {version}", ""]
    lines += _section_table(s, details)
    lines.append("")
    if s.pending:
        lines.append(f"Zu entscheiden ({len(s.pending)}):")
        lines += [f"  • {c.id}: „{c.title}“ – {', '.join(c.members)}; eingereicht am "
                  f"{german_date(c.submitted)}, Stand: {c.status_label}" for c in s.pending]
    else:
        lines.append("Zu entscheiden: nichts, alle Beiträge sind entschieden.")
    missing = len(s.without_contribution)
    lines.append(f"Ohne Beitrag ({missing} von {s.member_count} Mitgliedern): "
                 + (", ".join(s.without_contribution) if missing else "–"))
    lines.append(_votes_line(s))
    lines += _round_lines(s)
    return "\n".join(lines)


def _round_lines(s: PaperStatus) -> list[str]:
    """One line per round, then its open comments by member and by section."""
    lines = []
    for r in s.rounds:
        dates = f"eröffnet am {german_date(r.opened)}" + (f", Frist {german_date(r.until)}" if r.until else "") \
            + (f", geschlossen am {german_date(r.closed)}" if r.closed else "")
        lines.append(f"Kommentierungsrunde {r.id} zu Version {r.version} ({r.state}; {dates}): {r.comments} "
                     f"Kommentare, {r.open} ohne Entscheidung")
        if r.open:
            lines.append("  nach Mitglied: " + ", ".join(f"{name} {n}" for name, n in r.open_by_member))
            lines.append("  nach Abschnitt: " + ", ".join(f"{title} {n}" for title, n in r.open_by_section))
    return lines


def _section_table(s: PaperStatus, details: bool) -> list[str]:
    header = ["Abschnitt", *STATUS_COLUMNS.values(), "Wörter"]
    rows = [[f"{sec.number} {sec.title}", *(str(sec.counts[k]) for k in STATUS_COLUMNS), _thousands(sec.words)]
            for sec in s.sections]
    totals = s.totals
    footer = ["Summe", *(str(totals[k]) for k in STATUS_COLUMNS), _thousands(s.words)]
    widths = [max(len(r[i]) for r in [header, *rows, footer]) for i in range(len(header))]

    def line(cells: list[str]) -> str:
        return "  ".join([cells[0].ljust(widths[0])] + [c.rjust(w) for c, w in zip(cells[1:], widths[1:])]).rstrip()

    out = [line(header), "  ".join("─" * w for w in widths)]
    for sec, row in zip(s.sections, rows):
        out.append(line(row))
        if details:
            out += [f"    {c.status_label:<14} {c.id} – {', '.join(c.members)} ({_thousands(c.words)} Wörter)"
                    for c in sec.contributions]
    out.append("  ".join("─" * w for w in widths))
    out.append(line(footer))
    return out


def _votes_line(s: PaperStatus) -> str:
    if not s.latest_version:
        return "Mitzeichnung: noch keine Version zur Abstimmung freigegeben."
    counts = {label: sum(1 for v in s.votes if v.vote == label) for label in VOTE_LABELS.values()}
    summary = ", ".join(f"{n} × {label}" for label, n in counts.items() if n) or "noch keine Voten"
    text = f"Mitzeichnung Version {s.latest_version}: {len(s.votes)} von {s.member_count} abgestimmt ({summary})"
    if s.not_voted:
        text += f"; offen ({len(s.not_voted)}): " + ", ".join(s.not_voted)
    return text + "."


def _thousands(n: int) -> str:
    return f"{n:,}".replace(",", ".")
