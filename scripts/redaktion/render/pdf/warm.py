"""Warm PDF compiles for the live preview: one Typst compiler per paper, kept between saves.

:func:`~redaktion.render.pdf.render_pdf` builds a new Typst world for every PDF (right for the
build's short-lived worker processes). :class:`WarmPdf` keeps a ``typst.Compiler`` per paper
instead: Typst then keeps the parsed source and its memoised evaluation and layout, and after an
edit lays out little more than the edited contribution again. The bytes are the same as
``render_pdf``'s for the same draft (tests/test_pdf_warm.py).

How the compiler sees changes (typst-py 0.15, ``src/world.rs``):

* The source is written to ``build/.cache/typst-main/PAPER.typ`` (``PAPER.intern.typ`` …) and
  compiled from there, not
  passed as bytes. typst-py reads a file again on every compile and re-parses only the changed
  part (``Source::replace``), so the rest of the document keeps its span numbers and Typst's
  layout cache still matches it. Source given as bytes is parsed anew each time, which renumbers
  everything after the first change: about half the gain is lost (benchmarks/pdf_warm.py).
  The images' paths are root-relative (``beitrag.lua``), so the file's folder does not matter.
* After each compile typst-py forgets which files it has read; the next compile reads them
  again and compares their hash: a replaced image is picked up, an unchanged one reused.
* The fonts are loaded once per :class:`WarmPdf` and shared by its compilers. Fonts installed
  while it lives are seen by a new :class:`WarmPdf` (restart the preview).

Memory: Typst's memo cache is one per process; after each compile it drops what the last ten
compiles did not use. A paper stays warm as long as fewer than ten compiles of other papers
lie between two of its own.
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
    """The compiler of one paper (in one variant), its source file and the lock serialising it."""

    main: Path
    compiler: typst.Compiler
    lock: threading.Lock = field(default_factory=threading.Lock)


class WarmPdf:
    """Compiles the PDFs of the project in ``root`` again and again, reusing Typst's work.

    Make one per project and call :meth:`compile` with each new draft of a paper. Thread-safe:
    compiles of the same paper run one after the other, different papers may run in parallel.
    """

    def __init__(self, root: Path) -> None:
        self.root = Path(root).resolve()
        self._papers: dict[str, _Paper] = {}
        self._fonts: typst.Fonts | None = None
        self._lock = threading.Lock()  # guards _papers and _fonts

    def compile(self, draft: Draft, epoch: int | None = None) -> bytes:
        """The PDF of ``draft``: the same bytes as ``render_pdf(draft, root, epoch)``.

        Raises :class:`~redaktion.model.ContentError` like ``render_pdf``; the compiler stays
        usable for the next draft.
        """
        source = project_source(draft, self.root)
        paper = self._paper(draft)
        with paper.lock:
            paper.main.write_text(source, encoding="utf-8")
            with typst_errors(draft, source, self.root):
                pdf, _warnings = paper.compiler.compile_with_warnings(**export_options(draft, epoch))
        assert isinstance(pdf, bytes)
        return pdf

    def main_file(self, draft: Draft) -> Path:
        """Where the Typst source of ``draft`` is written (it can be compiled by hand from there)."""
        variant = (".intern" if draft.intern else "") + (".runde" if draft.review else "")
        return self.root / "build" / ".cache" / "typst-main" / f"{draft.paper.id}{variant}.typ"

    def _paper(self, draft: Draft) -> _Paper:
        """The compiler for ``draft``'s paper and variant, made on first use."""
        import typst

        main = self.main_file(draft)
        with self._lock:
            if main.name not in self._papers:
                if self._fonts is None:
                    self._fonts = typst.Fonts(include_system_fonts=False, font_paths=font_paths())
                main.parent.mkdir(parents=True, exist_ok=True)
                main.touch()  # typst-py resolves the file's path when the compiler is made
                compiler = typst.Compiler(str(main), **world_options(self.root, self._fonts))
                self._papers[main.name] = _Paper(main, compiler)
            return self._papers[main.name]
