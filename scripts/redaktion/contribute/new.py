"""``redaktion new``: a new contribution file with complete front matter and a short guide."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from ..source.load import load
from .common import Target, contribution_path, render_contribution, render_template, validate_target, write_new


def new_contribution_text(target: Target, submitted: dt.date) -> str:
    """The text of a new contribution: front matter, the guide as a comment, a placeholder paragraph."""
    return render_contribution(target, submitted.isoformat(), render_template("anleitung.md"))


def create_contribution(root: Path, target: Target, today: dt.date | None = None) -> Path:
    """Write ``contributions/<paper>/<member>--<slug>.md`` for ``target`` and return its path.

    Raises :class:`~redaktion.contribute.common.ContributeError` for unknown papers,
    sections, kinds or members (with a suggestion) and when the file or slug exists.
    """
    corpus = load(root)
    validate_target(corpus, target)
    path = contribution_path(corpus, target)
    write_new(path, new_contribution_text(target, today or dt.date.today()))
    return path


def create_comment(root: Path, paper_id: str, round_id: str, member: str, stelle: str, kind: str,
                   proposal: str | None = None, author: str = "", slug: str = "", today: dt.date | None = None) -> Path:
    """Write ``contributions/<paper>/kommentare/<round>/<member>--<slug>.md`` and return its path.

    ``stelle`` is checked against the round's paragraph index; for an Änderung without
    ``proposal`` the paragraph's wording in the round is filled in, ready to be edited.
    Raises :class:`~redaktion.contribute.common.ContributeError` with a suggestion otherwise.
    """
    from ..source.comments import PlaceError, comments_dir, load_index, resolve
    from ..model import COMMENT_KINDS, PROPOSAL_KINDS
    from ..model.errors import UnknownMember, UnknownPaper, UnknownRound, suggest
    from .common import ContributeError, make_slug

    corpus = load(root)
    paper = corpus.papers.get(paper_id)
    if paper is None:
        raise UnknownPaper(paper_id, corpus.papers)
    current = paper.round(round_id)
    if current is None:
        raise UnknownRound(paper_id, round_id, [r.id for r in paper.rounds])
    if not current.is_open:
        raise ContributeError(f"Die Runde „{round_id}“ ist geschlossen; Kommentare sind nicht mehr möglich.",
                              "Wenden Sie sich an die Redaktion.")
    if member not in corpus.members:
        raise UnknownMember(member, corpus.members)
    if kind not in COMMENT_KINDS:
        raise ContributeError(f"„{kind}“ ist keine Art von Kommentar.",
                              suggest(kind, COMMENT_KINDS) or "Möglich sind: " + ", ".join(COMMENT_KINDS) + ".")
    index = load_index(corpus.root, paper_id, round_id)
    place_name = stelle
    if index is not None:
        try:
            place = resolve(stelle, index)
        except PlaceError as error:
            raise ContributeError(error.message, error.hint) from None
        if place.paragraph is not None:
            place_name = f"Absatz {place.paragraph.label} ({place.paragraph.section_number} "\
                         f"{place.paragraph.section_title})"
            if proposal is None and kind == "aenderung":
                proposal = place.paragraph.text
        else:
            place_name = "das ganze Papier"
    if kind in PROPOSAL_KINDS and not proposal:
        proposal = "…"
    name = slug or make_slug(f"absatz {stelle}" if stelle.strip() != "gesamt" else "gesamt")
    folder = comments_dir(corpus.root, paper_id, round_id)
    path, number = folder / f"{member}--{name}.md", 1
    while path.exists():
        number += 1
        path = folder / f"{member}--{name}-{number}.md"
    text = render_template("kommentar.md", place=place_name, round=round_id, version=current.version,
                           paper_title=paper.title, stelle=" ".join(stelle.split()), kind=kind,
                           proposal=proposal if kind in PROPOSAL_KINDS else "", author=author,
                           date=(today or dt.date.today()).isoformat())
    write_new(path, text)
    return path
