"""Edits the benchmarks make to a project: find the largest public paper, add a sentence.

Only plain files are read (no ``redaktion`` import): the public papers are those a public
``redaktion build`` wrote a PDF for, and a contribution is accepted when its front matter says
``status: angenommen`` (found the way a shell script would, see ``baseline.accepted_files``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from baseline import accepted_files

FRONT_MATTER = re.compile(r"\A---\n.*?\n---\n", re.DOTALL)


@dataclass(frozen=True)
class Paper:
    """A paper of the project, with its accepted contributions (sorted by file name)."""

    id: str
    accepted: tuple[Path, ...]


def public_paper_ids(project: Path) -> list[str]:
    """Papers of the last public build (one PDF each in ``build/pdf``), else every paper folder."""
    built = sorted(path.stem for path in (project / "build" / "pdf").glob("*.pdf"))
    if built:
        return built
    return sorted(path.name for path in (project / "contributions").iterdir() if (path / "paper.yml").is_file())


def largest_public_paper(project: Path) -> Paper:
    """The public paper with the most accepted contributions (the first one on a tie)."""
    papers = [Paper(paper_id, tuple(accepted_files(project / "contributions" / paper_id)))
              for paper_id in public_paper_ids(project) if (project / "contributions" / paper_id).is_dir()]
    if not papers or not max(len(paper.accepted) for paper in papers):
        raise RuntimeError(f"kein öffentliches Papier mit angenommenen Beiträgen in {project}")
    return max(papers, key=lambda paper: len(paper.accepted))


def add_sentence(path: Path, sentence: str) -> None:
    """Insert ``sentence`` as a paragraph of its own at the start of the contribution's body."""
    text = path.read_text(encoding="utf-8")
    match = FRONT_MATTER.match(text)
    if match is None:
        raise RuntimeError(f"{path}: kein YAML-Kopf gefunden, die Änderung ist nicht möglich")
    rest = text[match.end():]
    separator = "" if rest.startswith("\n") else "\n"
    path.write_text(f"{text[:match.end()]}\n{sentence}\n{separator}{rest}", encoding="utf-8")
