"""Orchestrate a build: assemble every paper, render PDF/DOCX, build the site, swap in atomically.

Everything is first written into a staging folder next to ``build/``; only when every output
succeeded are the finished folders moved into place. A failed build therefore leaves the
previous build complete and untouched.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from .assemble import assemble
from .model import Corpus, Draft

OUTPUT_DIRS = ("drafts", "pdf", "docx", "site")


@dataclass
class BuildResult:
    """What a build produced, for the summary line and for tests."""

    out: Path
    papers: list[str] = field(default_factory=list)
    files: list[Path] = field(default_factory=list)
    seconds: float = 0.0

    def summary(self) -> str:
        return (f"Fertig in {self.seconds:.1f} s: {len(self.papers)} Papier(e), {len(self.files)} Dateien "
                f"in {self.out}/ (Website: {self.out}/site/index.html).")


def drafts_for(corpus: Corpus, intern: bool) -> list[Draft]:
    """The drafts a build publishes: public papers only, or every paper for an internal build."""
    return [assemble(corpus, paper.id, intern) for paper in sorted(corpus.papers.values(), key=lambda p: p.id)
            if intern or paper.is_public]


def write_draft(draft: Draft, build_dir: Path) -> Path:
    """Write the canonical merged Markdown to ``build_dir/drafts/PAPER.md``."""
    path = build_dir / "drafts" / f"{draft.paper.id}.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    _write_atomic(path, draft.markdown.encode("utf-8"))
    return path


def render_outputs(draft: Draft, root: Path) -> dict[str, bytes]:
    """PDF and DOCX of one draft (imported lazily: the check path never loads them)."""
    from .render.docx import render_docx
    from .render.pdf import render_pdf

    return {"pdf": render_pdf(draft, root), "docx": render_docx(draft, root)}


def build(corpus: Corpus, intern: bool = False, out: Path | None = None,
          progress: Callable[[str], None] = lambda line: None) -> BuildResult:
    """Build drafts, PDFs, DOCX files and the site into ``out`` (default ``ROOT/build``)."""
    from .render.site import build_site

    started = time.perf_counter()
    out = (out or corpus.root / "build").resolve()
    out.mkdir(parents=True, exist_ok=True)
    result = BuildResult(out)
    staging = Path(tempfile.mkdtemp(prefix=".staging-", dir=out))
    try:
        downloads: dict[str, dict[str, Path]] = {}
        for draft in drafts_for(corpus, intern):
            paper_id = draft.paper.id
            progress(f"• {paper_id}: Entwurf, PDF, DOCX …")
            write_draft(draft, staging)
            outputs = render_outputs(draft, corpus.root)
            downloads[paper_id] = {}
            for kind, data in outputs.items():
                path = staging / kind / f"{paper_id}.{kind}"
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_bytes(data)
                downloads[paper_id][kind] = path
            result.papers.append(paper_id)
        progress("• Website …")
        build_site(corpus.root, staging / "site", intern=intern, downloads=downloads)
        for name in OUTPUT_DIRS:
            (staging / name).mkdir(exist_ok=True)
        _swap_in(staging, out)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    result.files = sorted(p for name in OUTPUT_DIRS for p in (out / name).rglob("*") if p.is_file())
    result.seconds = time.perf_counter() - started
    return result


def _swap_in(staging: Path, out: Path) -> None:
    # Each folder is replaced by two renames; between them only the old copy is missing,
    # never half of a new one.
    for name in OUTPUT_DIRS:
        target = out / name
        old = staging / f"{name}.old"
        if target.exists():
            os.replace(target, old)
        os.replace(staging / name, target)


def _write_atomic(path: Path, data: bytes) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)
