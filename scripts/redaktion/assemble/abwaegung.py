"""The Abwägungstabelle of a round: every comment with the Redaktion's decision, in document order.

:func:`abwaegung` collects the rows from the corpus and the round's paragraph index; each
proposal is shown as insertions and deletions against the paragraph's wording in the round
(the text the member commented on). :func:`view` turns it into plain data that every output
shares: the internal site page and the standalone HTML (:mod:`.abwaegung_render`), the
landscape PDF (``abwaegung.typ``), the DOCX table and the CSV. Comment text exists only in
these internal outputs; public drafts never read comments.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from ..source.comments import WHOLE_PAPER, IndexedParagraph, PlaceError, RoundIndex, load_index, resolve
from ..model import (COMMENT_KIND_LABELS, DECISION_LABELS, DECISIONS, ROUND_STATE_LABELS, Comment, Corpus, Paper,
                     Round, german_date)
from ..source.parse import ast_cache, parse_texts
from ..source.parse.ast import stringify
from .synopse import Segment, Synopse, word_diff


@dataclass(frozen=True)
class Row:
    """One comment in the table."""

    number: int  # Nr. in document order, from 1
    comment: Comment
    member_name: str
    paragraph: IndexedParagraph | None  # None: the whole paper, or a place that could not be resolved
    place_problem: str  # German, when the place could not be resolved
    segments: tuple[Segment, ...]  # the proposal against the round's wording

    @property
    def place(self) -> str:
        """„3 Migrantenorganisationen stärken · B5.2 · Z. 120–124“."""
        p = self.paragraph
        if p is None:
            return "gesamtes Papier" if self.comment.stelle.strip() == WHOLE_PAPER else self.comment.stelle
        return " · ".join(part for part in (f"{p.section_number} {p.section_title}", p.label, p.lines) if part)

    @property
    def section(self) -> str:
        return self.paragraph.section if self.paragraph else ""

    @property
    def proposal_text(self) -> str:
        """The wording proposed, as plain text."""
        return "".join(s.text for s in self.segments if s.op != "delete") if self.segments else ""


@dataclass(frozen=True)
class Abwaegung:
    """The table of one round."""

    paper: Paper
    round: Round
    rows: tuple[Row, ...]
    index: RoundIndex | None
    publisher: str

    def counts(self) -> dict[str, int]:
        """Comments per decision, every decision listed (in the order of DECISIONS)."""
        return {d: sum(1 for r in self.rows if r.comment.decision == d) for d in DECISIONS}

    @property
    def undecided(self) -> list[Row]:
        return [r for r in self.rows if not r.comment.is_decided]


def abwaegung(corpus: Corpus, paper_id: str, round_id: str) -> Abwaegung:
    """The Abwägungstabelle of ``round_id``; rows in the order of the paragraphs they concern."""
    paper = corpus.papers[paper_id]
    current = paper.round(round_id)
    if current is None:
        raise KeyError(round_id)
    index = load_index(corpus.root, paper_id, round_id)
    placed: list[tuple[tuple, Comment, IndexedParagraph | None, str]] = []
    for comment in corpus.comments_of(paper_id, round_id):
        paragraph, problem = None, ""
        if index is not None:
            try:
                paragraph = resolve(comment.stelle, index).paragraph
            except PlaceError as error:
                problem = error.message
        order = index.position(paragraph.id) if (paragraph and index) else (-1 if not problem else 10**6)
        placed.append(((order, comment.member, comment.date, comment.id), comment, paragraph, problem))
    proposals = proposal_texts(corpus, [comment for _, comment, _, _ in placed])
    rows = []
    for number, (_, comment, paragraph, problem) in enumerate(sorted(placed, key=lambda item: item[0]), start=1):
        member = corpus.members.get(comment.member)
        rows.append(Row(number, comment, member.name if member else comment.member, paragraph, problem,
                        proposal_segments(comment, paragraph, proposals.get(comment.rel, ""))))
    return Abwaegung(paper, current, tuple(rows), index, corpus.publisher.name)


def proposal_texts(corpus: Corpus, comments: list[Comment]) -> dict[str, str]:
    """The visible text of each comment's proposed wording (read like member text), by file."""
    with_proposal = [c for c in comments if c.proposal]
    parsed = parse_texts([c.proposal for c in with_proposal], ast_cache(corpus.root))
    return {c.rel: stringify(p.blocks) for c, p in zip(with_proposal, parsed)}


def proposal_segments(comment: Comment, paragraph: IndexedParagraph | None, proposal: str) -> tuple[Segment, ...]:
    """What the comment would change in its paragraph, as equal/delete/insert segments."""
    old = paragraph.text if paragraph else ""
    if comment.kind == "aenderung" and proposal:
        return word_diff(old, proposal)
    if comment.kind == "ergaenzung" and proposal:
        return (Segment("insert", proposal),)
    if comment.kind == "streichung" and old:
        return (Segment("delete", old),)
    return ()


ACCEPTED = ("uebernommen", "teilweise")


def attribute(synopse: Synopse, tables: list[Abwaegung]) -> Synopse:
    """The Synopse with each change naming the accepted comments it comes from.

    A comment is a source of a change of its contribution when it was accepted (fully or in
    part) and its paragraph no longer reads as in the round.
    """
    entries = []
    for entry in synopse.entries:
        sources = []
        if entry.is_change and entry.change != "herkunft":
            new_text = "".join(s.text for s in entry.segments if s.op != "delete")
            for table in tables:
                for row in table.rows:
                    p = row.paragraph
                    if (row.comment.decision in ACCEPTED and p is not None and p.contribution == entry.key
                            and p.text not in new_text):
                        sources.append(f"Nr. {row.number} der Runde {table.round.id}: {row.member_name}, "
                                       f"{COMMENT_KIND_LABELS[row.comment.kind]} zu {p.label}, "
                                       f"{DECISION_LABELS[row.comment.decision].lower()}")
        entries.append(replace(entry, comments=tuple(sources)))
    return replace(synopse, entries=tuple(entries))


def title(table: Abwaegung) -> str:
    return f"Abwägungstabelle: {table.paper.title}"


def view(table: Abwaegung) -> dict:
    """JSON-ready data for every output of the table (dates German, labels resolved)."""
    rnd = table.round
    counts = table.counts()
    rows = [{
        "nr": r.number,
        "kapitel": f"{r.paragraph.section_number} {r.paragraph.section_title}" if r.paragraph else "",
        "abschnitt": r.section,
        "absatz": r.paragraph.label if r.paragraph else ("gesamt" if not r.place_problem else r.comment.stelle),
        "kennung": r.paragraph.id if r.paragraph else "",
        "zeilen": r.paragraph.lines if r.paragraph else "",
        "stelle": r.place,
        "stelle_problem": r.place_problem,
        "mitglied": r.member_name,
        "mitglied_id": r.comment.member,
        "autor": r.comment.author,
        "datum": _date(r.comment.date),
        "art": COMMENT_KIND_LABELS.get(r.comment.kind, r.comment.kind),
        "art_id": r.comment.kind,
        "wortlaut": r.paragraph.text if r.paragraph else "",
        "vorschlag": [{"op": s.op, "text": s.text} for s in shortened(r.segments)],
        "vorschlag_text": r.proposal_text,
        "begruendung": r.comment.reason,
        "entscheidung": DECISION_LABELS.get(r.comment.decision, r.comment.decision),
        "entscheidung_id": r.comment.decision,
        "antwort": r.comment.answer,
        "fassung": r.comment.wording,
        "entschieden_am": german_date(r.comment.decided) if r.comment.decided else "",
        "datei": r.comment.rel,
    } for r in table.rows]
    members = sorted({(r["mitglied_id"], r["mitglied"]) for r in rows}, key=lambda m: m[1].casefold())
    sections = []
    for r in rows:
        if r["abschnitt"] and (r["abschnitt"], r["kapitel"]) not in sections:
            sections.append((r["abschnitt"], r["kapitel"]))
    return {
        "titel": title(table),
        "papier": table.paper.title,
        "papier_id": table.paper.id,
        "herausgeber": table.publisher,
        "runde": rnd.id,
        "version": rnd.version,
        "stand": ROUND_STATE_LABELS.get(rnd.state, rnd.state),
        "eroeffnet": german_date(rnd.opened),
        "bis": german_date(rnd.until) if rnd.until else "",
        "geschlossen": german_date(rnd.closed) if rnd.closed else "",
        "anzahl": len(rows),
        "zaehler": [{"id": d, "label": DECISION_LABELS[d], "anzahl": n} for d, n in counts.items()],
        "mitglieder": [{"id": i, "label": n, "anzahl": sum(1 for r in rows if r["mitglied_id"] == i)}
                       for i, n in members],
        "abschnitte": [{"id": i, "label": t, "anzahl": sum(1 for r in rows if r["abschnitt"] == i)}
                       for i, t in sections],
        "zeilen": rows,
    }


CONTEXT_WORDS = 8  # unchanged words kept on each side of a change in the table


def shortened(segments: tuple[Segment, ...]) -> list[Segment]:
    """The segments with long unchanged stretches cut to a few words around each change („…“)."""
    if all(s.op == "equal" for s in segments):
        return list(segments)
    out = []
    for number, seg in enumerate(segments):
        words = seg.text.split(" ")
        if seg.op != "equal" or len(words) <= 2 * CONTEXT_WORDS + 1:
            out.append(seg)
            continue
        first, last = number == 0, number == len(segments) - 1
        head = [] if first else words[:CONTEXT_WORDS]
        tail = [] if last else words[-CONTEXT_WORDS:]
        text = " ".join(head) + (" " if head else "") + "…" + (" " if tail else "") + " ".join(tail)
        out.append(Segment("equal", text))
    return out


def _date(value: str) -> str:
    """A comment's date (maybe with Word's time) in German, date only."""
    return german_date(value[:10]) if len(value) >= 10 else value
