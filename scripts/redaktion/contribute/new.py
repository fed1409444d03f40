"""``redaktion new``: a new contribution file with complete front matter and a short guide."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from ..load import load
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
