"""The live preview's PDFs: compiled in the background after every save, by a warm Typst compiler.

``redaktion serve`` rebuilds the site on every save and must not wait for a 300-page PDF.
:class:`PreviewPdfs` compiles each paper's PDF in a background thread with
:class:`~redaktion.render.pdf.warm.WarmPdf` (Typst reuses the layout of what did not change)
and hands each finished file to a callback, which puts it into the served site. Only the
newest draft of a paper is compiled: saves that arrive while a compile runs replace each other.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from ..model import ContentError, Draft
from ..util.cachefiles import write_atomic

PREVIEW_DIR = Path("build") / ".cache" / "vorschau"


class PreviewPdfs:
    """The current preview PDF of every paper of one project."""

    def __init__(self, root: Path, on_ready: Callable[[str, Path], None] = lambda paper_id, path: None) -> None:
        """``on_ready(paper_id, file)`` is called from the background thread after each compile."""
        from ..render.pdf.warm import WarmPdf

        self.root = Path(root).resolve()
        self.on_ready = on_ready
        self.errors: dict[str, str] = {}  # paper id → why its last compile failed (German)
        self._warm = WarmPdf(self.root)
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="vorschau-pdf")
        self._lock = threading.Lock()
        self._ready: dict[str, Path] = {}
        self._wanted: dict[str, Draft] = {}  # paper id → newest draft not compiled yet

    def update(self, drafts: tuple[Draft, ...] | list[Draft]) -> None:
        """Compile the PDFs of ``drafts`` in the background (a paper whose draft is unchanged is skipped)."""
        for draft in drafts:
            with self._lock:
                done = self._ready.get(draft.paper.id)
                if done is not None and done.name == self._file_name(draft):
                    continue
                queued = draft.paper.id in self._wanted
                self._wanted[draft.paper.id] = draft
            if not queued:
                self._pool.submit(self._compile, draft.paper.id)

    def ready(self) -> dict[str, dict[str, Path]]:
        """The PDFs compiled so far: paper id → {"pdf": file} (never waits)."""
        with self._lock:
            return {paper_id: {"pdf": path} for paper_id, path in self._ready.items()}

    def close(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)

    def _compile(self, paper_id: str) -> None:
        with self._lock:
            draft = self._wanted.pop(paper_id, None)
        if draft is None:
            return
        try:
            pdf = self._warm.compile(draft)
        except ContentError as error:
            self.errors[paper_id] = "; ".join(d.format() for d in error.diagnostics)
            return
        path = self.root / PREVIEW_DIR / self._file_name(draft)
        write_atomic(path, pdf)
        with self._lock:
            previous = self._ready.get(paper_id)
            self._ready[paper_id] = path
        self.errors.pop(paper_id, None)
        if previous is not None and previous != path:
            previous.unlink(missing_ok=True)
        self.on_ready(paper_id, path)

    @staticmethod
    def _file_name(draft: Draft) -> str:
        return f"{draft.paper.id}-{draft.content_hash[:16]}.pdf"
