"""Warm PDF compiles for the live preview: one Typst compiler per paper, kept between saves.

:func:`~redaktion.render.pdf.render_pdf` builds a new Typst world for every PDF (right for the
build's short-lived worker processes). :class:`WarmPdf` keeps a ``typst.Compiler`` per paper
instead: Typst keeps its memoised evaluation and layout between compiles and, after an edit,
does again little more than the edited contribution and the pages after it. The bytes are the
same as ``render_pdf``'s for the same draft (tests/test_pdf_warm.py).

How the compiler sees changes (typst-py 0.15, ``src/world.rs``):

* The source is written to a file of its own per paper (in ``folder``) before every compile,
  and the compiler is made for that file. typst-py then re-parses only what changed and keeps
  the positions of everything else; Typst's memoised layout depends on those positions. Handed
  over as bytes, the source is parsed anew, every position behind an inserted paragraph moves,
  and a 300-page paper is laid out almost completely again: 3.1 s instead of 0.37 s per
  inserted paragraph (333 contributions, ``benchmarks/pdf_warm.py``, same PDF bytes).
* After each compile typst-py forgets which files it has read; the next compile reads them
  again and compares their hash: a replaced image is picked up, an unchanged one reused.
* The fonts are loaded once per :class:`WarmPdf` and shared by its compilers. Fonts installed
  while it lives are seen by a new :class:`WarmPdf` (restart the preview).

Memory: Typst's memo cache is one per process; after each compile it drops what the last ten
compiles did not use. A paper stays warm as long as fewer than ten compiles of other papers
lie between two of its own. The cache is large: with a paper of 333 contributions the process
held about 0.8 GB (public PDF) and 3.2 GB (internal draft) after a dozen edits.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from . import export_options, font_paths, project_source, typst_errors, world_options

if TYPE_CHECKING:
    import typst

    from ...model import Draft


@dataclass
class _Paper:
    """The compiler of one paper (in one variant) and the lock that lets one compile run at a time."""

    compiler: typst.Compiler
    source: Path  # the file the compiler reads the paper's Typst source from
    lock: threading.Lock = field(default_factory=threading.Lock)


class WarmPdf:
    """Compiles the PDFs of the project in ``root`` again and again, reusing Typst's work.

    Make one per project and call :meth:`compile` with each new draft of a paper. Thread-safe:
    compiles of the same paper run one after the other (a ``typst.Compiler`` refuses a second
    call while one runs), different papers may run in parallel.
    """

    def __init__(self, root: Path, folder: Path | None = None) -> None:
        """``folder`` (below ``root``; default ``build/.cache/warm``) holds one source file per paper."""
        self.root = Path(root).resolve()
        self.folder = Path(folder) if folder is not None else self.root / "build" / ".cache" / "warm"
        self._papers: dict[tuple[str, bool, bool], _Paper] = {}
        self._fonts: typst.Fonts | None = None
        self._lock = threading.Lock()  # guards _papers and _fonts

    def compile(self, draft: Draft, epoch: int | None = None) -> bytes:
        """The PDF of ``draft``: the same bytes as ``render_pdf(draft, root, epoch)``.

        Raises :class:`~redaktion.model.ContentError` like ``render_pdf``; the compiler stays
        usable for the next draft.
        """
        source = project_source(draft, self.root)
        paper = self._paper(draft)
        with paper.lock, typst_errors(draft, source, self.root):
            paper.source.write_text(source, encoding="utf-8")
            pdf, _warnings = paper.compiler.compile_with_warnings(**export_options(draft, epoch))
        assert isinstance(pdf, bytes)
        return pdf

    def _paper(self, draft: Draft) -> _Paper:
        """The compiler for ``draft``'s paper: one each for its public, internal and round drafts."""
        import typst

        key = (draft.paper.id, draft.intern, draft.review)
        with self._lock:
            if key not in self._papers:
                if self._fonts is None:
                    self._fonts = typst.Fonts(include_system_fonts=False, font_paths=font_paths())
                variant = "runde" if draft.review else "intern" if draft.intern else "oeffentlich"
                source = self.folder / f"{draft.paper.id}-{variant}.typ"
                source.parent.mkdir(parents=True, exist_ok=True)
                source.write_bytes(b"")
                self._papers[key] = _Paper(typst.Compiler(str(source), **world_options(self.root, self._fonts)), source)
            return self._papers[key]
