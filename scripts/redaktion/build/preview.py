"""The live preview's PDFs: compiled in the background after every save, by a warm Typst compiler.

``redaktion serve`` rebuilds the site on every save and must not wait for a 300-page PDF.
Only papers whose draft is not in the build's cache are compiled; Typst keeps a warm paper's
layout in memory (several hundred MB for a 300-page paper), so the preview holds only what
was edited.
:class:`PreviewPdfs` compiles each paper's PDF in a background thread with
:class:`~redaktion.render.pdf.warm.WarmPdf` (Typst reuses the layout of what did not change)
and hands each finished file to a callback, which puts it into the served site. Only the
newest draft of a paper is compiled: saves that arrive while a compile runs replace each other.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

from ..model import ContentError, Draft
from ..util.cachefiles import store_file, trusted_file, write_atomic
from .outputs import CACHE_DIR, cache_path

PREVIEW_DIR = Path("build") / ".cache" / "vorschau"


class PreviewPdfs:
    """The current preview PDF of every paper of one project.

    One background thread compiles; it always takes the paper saved last, so the page being
    edited gets its PDF first even while the others are still compiled after the start.
    """

    def __init__(self, root: Path, on_ready: Callable[[str, Path], None] = lambda paper_id, path: None) -> None:
        """``on_ready(paper_id, file)`` is called from the background thread after each compile."""
        from ..render.pdf.warm import WarmPdf

        self.root = Path(root).resolve()
        self.on_ready = on_ready
        self.errors: dict[str, str] = {}  # paper id → why its last compile failed (German)
        self._warm = WarmPdf(self.root, self.root / PREVIEW_DIR)
        self._changed = threading.Condition()
        self._ready: dict[str, Path] = {}
        self._wanted: dict[str, tuple[int, Draft]] = {}  # paper id → (when it was saved, newest draft)
        self._saves = 0
        self._compiling = ""  # file name of the PDF being compiled now
        self._warm_up: Draft | None = None  # compiled once nothing else waits, the result unused
        self._closed = False
        self._thread = threading.Thread(target=self._work, name="vorschau-pdf", daemon=True)
        self._thread.start()

    def update(self, drafts: tuple[Draft, ...] | list[Draft]) -> None:
        """Compile the PDFs of ``drafts`` in the background (a paper whose draft is unchanged is skipped)."""
        with self._changed:
            self._saves += 1
            for draft in drafts:
                done = self._ready.get(draft.paper.id)
                name = self._file_name(draft)
                if (done is None or done.name != name) and self._compiling != name:
                    self._wanted[draft.paper.id] = (self._saves, draft)
            self._changed.notify_all()

    def warm_up(self, draft: Draft) -> None:
        """Make the compiler of ``draft``'s paper warm once nothing else waits.

        Its PDF may come from the build's cache, but the first save in the paper should be as
        fast as the later ones (the preview passes the paper edited last).
        """
        with self._changed:
            self._warm_up = draft
            self._changed.notify_all()

    def ready(self) -> dict[str, dict[str, Path]]:
        """The PDFs compiled so far: paper id → {"pdf": file} (never waits)."""
        with self._changed:
            return {paper_id: {"pdf": path} for paper_id, path in self._ready.items()}

    def wait_idle(self, timeout: float) -> None:
        """Return once no PDF is waiting or compiling (or after ``timeout`` seconds)."""
        with self._changed:
            self._changed.wait_for(lambda: self._closed or not (self._wanted or self._compiling), timeout)

    def close(self) -> None:
        with self._changed:
            self._closed = True
            self._changed.notify_all()

    def _work(self) -> None:
        while True:
            with self._changed:
                while not self._wanted and self._warm_up is None and not self._closed:
                    self._changed.wait()
                if self._closed:
                    return
                if self._wanted:
                    paper_id = max(self._wanted, key=lambda key: self._wanted[key][0])
                    _, draft = self._wanted.pop(paper_id)
                    self._compiling, warm_up = self._file_name(draft), False
                else:  # nothing waits: give the paper edited last a warm compiler
                    draft, self._warm_up, warm_up = self._warm_up, None, True
                    self._compiling = "-"
            try:
                if warm_up:
                    self._warm.compile(draft)  # only a head start: the PDF came from the build's cache
                else:
                    self._compile(draft)
            except Exception as error:  # noqa: BLE001 - the preview goes on; the next save tries again
                if not warm_up:
                    self.errors[draft.paper.id] = f"Das PDF der Vorschau ließ sich nicht erzeugen: {error}"
            finally:
                with self._changed:
                    self._compiling = ""
                    self._changed.notify_all()

    def _compile(self, draft: Draft) -> None:
        paper_id = draft.paper.id
        # A PDF that `redaktion build` made of the same draft is taken as it is; one compiled here
        # goes into the build's cache too (the same bytes), so the next build need not make it.
        cached = cache_path(draft, self.root, self.root / "build" / CACHE_DIR, "pdf")
        if trusted_file(cached):
            pdf = cached.read_bytes()
        else:
            try:
                pdf = self._warm.compile(draft)
            except ContentError as error:
                self.errors[paper_id] = "; ".join(d.format() for d in error.diagnostics)
                return
            store_file(cached, pdf)
        path = self.root / PREVIEW_DIR / self._file_name(draft)
        write_atomic(path, pdf)
        with self._changed:
            previous = self._ready.get(paper_id)
            self._ready[paper_id] = path
        self.errors.pop(paper_id, None)
        if previous is not None and previous != path:
            previous.unlink(missing_ok=True)
        self.on_ready(paper_id, path)

    @staticmethod
    def _file_name(draft: Draft) -> str:
        return f"{draft.paper.id}-{draft.content_hash[:16]}.pdf"

