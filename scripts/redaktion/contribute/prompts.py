"""The terminal dialogue of ``redaktion new``: asks for what was not given as a flag.

Part of the command line layer (it reads ``input()`` and writes to the terminal); the CLI
calls it only when stdin is a terminal. Each question offers the valid choices, numbered,
and accepts a number or the id; wrong answers are asked again.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import TextIO

from ..model import CONTRIBUTION_KIND_LABELS, Corpus
from ..model.errors import suggest
from .common import Target, parse_authors

Ask = Callable[[str], str]


def complete_target(corpus: Corpus, paper: str | None, section: str | None, kind: str | None,
                    members: list[str], title: str | None, authors: list[str] | None,
                    ask: Ask | None = None, out: TextIO | None = None) -> Target:
    """Ask for every missing part of a new contribution and return the complete target.

    ``ask`` defaults to :func:`input` and ``out`` (choices, repeated questions) to stderr.
    """
    ask = ask or input
    out = out or sys.stderr
    if not paper:
        paper = choose(ask, out, "Zu welchem Papier?",
                       [(p.id, p.title) for p in sorted(corpus.papers.values(), key=lambda p: p.id)])
    known_paper = corpus.papers.get(paper)
    if not section and known_paper is not None:
        section = choose(ask, out, "In welchen Abschnitt?", [(s.id, s.title) for s in known_paper.outline])
    if not kind:
        kind = choose(ask, out, "Welche Art von Beitrag?", list(CONTRIBUTION_KIND_LABELS.items()))
    if not members:
        members = [choose(ask, out, "Welches Mitglied reicht ein?",
                          [(m.id, m.name) for m in sorted(corpus.members.values(), key=lambda m: m.id)])]
    while not title:
        title = ask("Titel des Beitrags: ").strip()
    if authors is None:
        answer = ask("Autorinnen und Autoren (durch Komma getrennt, leer lassen möglich): ").strip()
        authors = [answer] if answer else []
    return Target(paper, section or "", kind, tuple(members), title, parse_authors(authors))


def choose(ask: Ask, out: TextIO, question: str, choices: list[tuple[str, str]]) -> str:
    """Show numbered choices and return the chosen id."""
    ids = [choice_id for choice_id, _ in choices]
    print(question, file=out)
    for number, (choice_id, label) in enumerate(choices, start=1):
        print(f"  {number:>2}) {choice_id} – {label}", file=out)
    while True:
        answer = ask("Nummer oder Kurzname: ").strip()
        if answer.isdigit() and 1 <= int(answer) <= len(choices):
            return ids[int(answer) - 1]
        if answer in ids:
            return answer
        print(f"„{answer}“ steht nicht zur Auswahl. {suggest(answer, ids)}".rstrip(), file=out)


def ask_comment(corpus: Corpus, paper: str | None, round_id: str, members: list[str], stelle: str | None,
                kind: str | None, ask: Ask | None = None, out: TextIO | None = None) -> tuple[str, list[str], str, str]:
    """Ask for what a new comment still needs: paper, member, place and kind."""
    from ..model import COMMENT_KIND_LABELS

    ask = ask or input
    out = out or sys.stderr
    if not paper:
        with_round = [p for p in sorted(corpus.papers.values(), key=lambda p: p.id) if p.round(round_id)]
        paper = choose(ask, out, "Zu welchem Papier?", [(p.id, p.title) for p in with_round or corpus.papers.values()])
    if not members:
        members = [choose(ask, out, "Welches Mitglied kommentiert?",
                          [(m.id, m.name) for m in sorted(corpus.members.values(), key=lambda m: m.id)])]
    while not stelle:
        stelle = ask("Stelle (Absatznummer wie B3.2, Zeile wie Z. 120 oder „gesamt“): ").strip()
    if not kind:
        kind = choose(ask, out, "Welche Art von Kommentar?", list(COMMENT_KIND_LABELS.items()))
    return paper, members, stelle, kind
