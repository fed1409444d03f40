"""``redaktion diff PAPER OLD [NEW]``: build the Synopse and write it as HTML, PDF and DOCX.

OLD and NEW are version numbers (via their tags ``PAPER/vX.Y``), tags or commits; NEW
defaults to the working tree. Files go to ``build/synopse/PAPER-OLD-NEW.{html,pdf,docx}``,
each written atomically.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from ..assemble.draft import assemble
from ..util.cachefiles import write_atomic
from ..util.epoch import document_datetime
from ..model import Draft
from ..model.errors import RedaktionError
from ..build import versions
from ..assemble.synopse import Synopse, compare

SYNOPSE_DIR = Path("build") / "synopse"
FORMATS = ("html", "pdf", "docx")


class DiffError(RedaktionError):
    """The comparison cannot be made; the message is German (exit code 1)."""


@dataclass(frozen=True)
class DiffResult:
    synopse: Synopse
    files: dict[str, Path]


def synopse_for(root: Path, paper_id: str, old_ref: str, new_ref: str | None = None) -> tuple[Synopse, str]:
    """The Synopse of two states of a paper, and its ISO date (the newer version's, else today)."""
    root = root.resolve()
    old = versions.resolve(root, paper_id, old_ref)
    new = versions.resolve(root, paper_id, new_ref)
    old_draft = _public_draft(root, paper_id, old)
    new_draft = _public_draft(root, paper_id, new)
    synopse = compare(old_draft, new_draft, old.title, new.title, old.label, new.label)
    synopse = _with_comment_sources(root, synopse, paper_id, old, new)
    version = new_draft.paper.latest_version
    # The working tree is dated today (or SOURCE_DATE_EPOCH's day), a version on its release day.
    date = version.date if new.commit and version else document_datetime(dt.date.today()).date().isoformat()
    return synopse, date


def _with_comment_sources(root: Path, synopse: Synopse, paper_id: str, old: versions.Revision,
                          new: versions.Revision) -> Synopse:
    """Name, for each change, the accepted comments of the rounds on the old version it comes from."""
    from ..assemble.abwaegung import abwaegung, attribute

    with versions.corpus_at(root, new.commit) as corpus:
        paper = corpus.papers.get(paper_id)
        tables = [abwaegung(corpus, paper_id, r.id) for r in (paper.rounds if paper else ()) if r.version == old.label]
    return attribute(synopse, tables) if tables else synopse


def _public_draft(root: Path, paper_id: str, revision: versions.Revision) -> Draft:
    with versions.corpus_at(root, revision.commit) as corpus:
        if paper_id not in corpus.papers:
            raise DiffError(f"Im Stand „{revision.title}“ gibt es das Papier „{paper_id}“ nicht.")
        return assemble(corpus, paper_id, intern=False)


def write_synopse(root: Path, synopse: Synopse, date: str, formats: tuple[str, ...] = FORMATS) -> dict[str, Path]:
    """Render and write the requested formats; return their paths."""
    from ..render.synopse.docx import render_docx
    from ..render.synopse import render_html, render_pdf

    renderers = {
        "html": lambda: render_html(synopse, date).encode("utf-8"),
        "pdf": lambda: render_pdf(synopse, date),
        "docx": lambda: render_docx(synopse, date),
    }
    folder = root.resolve() / SYNOPSE_DIR
    folder.mkdir(parents=True, exist_ok=True)
    stem = f"{synopse.paper_id}-{synopse.old_label}-{synopse.new_label}"
    files: dict[str, Path] = {}
    for kind in formats:
        data = renderers[kind]()
        path = folder / f"{stem}.{kind}"
        write_atomic(path, data)
        files[kind] = path
    return files


def diff(root: Path, paper_id: str, old_ref: str, new_ref: str | None = None,
         formats: tuple[str, ...] = FORMATS) -> DiffResult:
    """Compare and write the Synopse in every requested format."""
    synopse, date = synopse_for(root, paper_id, old_ref, new_ref)
    return DiffResult(synopse, write_synopse(root, synopse, date, formats))
