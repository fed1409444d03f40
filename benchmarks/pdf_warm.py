"""Cold PDF compile against the warm compiler of the live preview, on one large generated paper.

Generates a project with one paper of ``--contributions`` contributions (``generate.py``), then
measures, each median of ``--runs`` (wall time, and in brackets the CPU time of all threads of
this process, pandoc excluded: on a busy machine closer to what an idle one takes):

* the Typst source: converting every piece with pandoc (empty cache), every piece from the
  cache, one edited piece converted again;
* the cold Typst compile (what ``render_pdf`` does after the source), with the font folder
  passed as paths (scanned per compile, as ``render_pdf`` does) and as a shared ``typst.Fonts``;
* the warm compiler (:class:`~redaktion.render.pdf.warm.WarmPdf`): first compile, the same draft
  again, and after editing one contribution (source + compile; load and assemble separately);

and checks that the last warm PDF has the cold path's bytes. Prints, asserts nothing else.

``--als-bytes`` measures, instead of ``WarmPdf`` (which writes the source to a file that
typst-py re-parses incrementally), a ``typst.Compiler`` that gets the source as bytes (parsed
anew on every compile, as WarmPdf did at first). Typst's memo cache is shared by every compiler
of a process, so the two are compared in separate runs with the same edits.

Usage: .venv/bin/python benchmarks/pdf_warm.py [--contributions 333] [--runs 3] [--intern]
       [--als-bytes] [--out DIR]
"""

from __future__ import annotations

import argparse
import io
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import pikepdf
import typst

from redaktion.assemble.draft import assemble
from redaktion.source.load import load
from redaktion.model import Draft
from redaktion.render.pdf import (export_options, font_paths, project_source, render_pdf, typst_cache,
                                  world_options)
from redaktion.render.pdf.warm import WarmPdf

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import Spec, generate  # noqa: E402


def timed(action: Callable[[], object]) -> tuple[float, float]:
    """Wall and CPU seconds (all threads of this process) of one call."""
    wall, cpu = time.perf_counter(), time.process_time()
    action()
    return time.perf_counter() - wall, time.process_time() - cpu


def report(label: str, samples: list[tuple[float, float]]) -> None:
    """Print the median of ``samples`` (and the range of the wall times, if there are several)."""
    wall = statistics.median(sample[0] for sample in samples)
    cpu = statistics.median(sample[1] for sample in samples)
    spread = f"  [{min(s[0] for s in samples):.2f}–{max(s[0] for s in samples):.2f}]" if len(samples) > 1 else ""
    print(f"  {label:54} {wall:7.3f} s  (CPU {cpu:6.3f} s){spread}", flush=True)


class Editor:
    """Edits one contribution after another: a paragraph more at the start of its body (edits add up)."""

    def __init__(self, root: Path, paper: str, intern: bool) -> None:
        self.root, self.paper, self.intern = root, paper, intern
        files = sorted((root / "contributions" / paper).glob("*.md"))
        self.files = [files[len(files) // 2], files[len(files) // 5], files[-2], files[1], files[-len(files) // 3]]
        self.count = 0

    def edit(self) -> Path:
        path = self.files[self.count % len(self.files)]
        self.count += 1
        head, body = path.read_text(encoding="utf-8").split("\n---\n", 1)
        path.write_text(f"{head}\n---\n\nGeänderter Satz Nummer {self.count} aus der Vorschau.\n\n{body.lstrip()}",
                        encoding="utf-8")
        return path

    def draft(self) -> Draft:
        return assemble(load(self.root), self.paper, self.intern)


def measure(root: Path, paper: str, intern: bool, runs: int, as_bytes: bool = False) -> None:
    """Print every figure of the module docstring for ``paper`` in the project at ``root``."""
    editor = Editor(root, paper, intern)
    draft = measure_source(editor, runs)
    print("Typst, kalt (neue Welt je PDF, wie render_pdf):")
    measure_cold(draft, root, runs)
    if as_bytes:
        print("Typst, warm (typst.Compiler, Quelle als Bytes, bei jedem Lauf neu gelesen):")
        compile_warm = bytes_compiler(root)
    else:
        print("Typst, warm (WarmPdf: ein Compiler je Papier, Quelle als Datei, inkrementell gelesen):")
        compile_warm = WarmPdf(root).compile
    measure_warm(editor, compile_warm, runs)


def measure_source(editor: Editor, runs: int) -> Draft:
    """The Typst source: all pieces through pandoc, all from the cache, one edited piece again."""
    root, draft = editor.root, editor.draft()
    print(f"Papier {editor.paper} ({'intern' if editor.intern else 'öffentlich'}): {len(draft.blocks)} Beiträge")
    print("Typst-Quelle (pandoc, Zwischenspeicher build/.cache/typst):")
    shutil.rmtree(typst_cache(root), ignore_errors=True)
    report("alle Teile neu (leerer Zwischenspeicher)", [timed(lambda: project_source(draft, root))])
    report("alle Teile aus dem Zwischenspeicher", [timed(lambda: project_source(draft, root)) for _ in range(runs)])
    samples, reloads = [], []
    for _ in range(runs):
        editor.edit()
        reloads.append(timed(editor.draft))
        draft = editor.draft()
        samples.append(timed(lambda: project_source(draft, root)))
    report("ein Beitrag geändert (ein Teil neu)", samples)
    report("zum Vergleich: load + assemble nach der Änderung", reloads)
    with pikepdf.open(io.BytesIO(render_pdf(draft, root))) as pdf:
        pages = len(pdf.pages)
    print(f"  Quelle: {len(project_source(draft, root)) / 1e6:.1f} Mio. Zeichen, PDF: {pages} Seiten")
    return draft


def measure_cold(draft: Draft, root: Path, runs: int) -> None:
    """The cold compile (a new Typst world each time), fonts as folder paths or loaded once."""
    source = project_source(draft, root).encode("utf-8")
    report("typst.Fonts aus dem Schriftordner laden",
           [timed(lambda: typst.Fonts(include_system_fonts=False, font_paths=font_paths())) for _ in range(runs)])
    fonts = typst.Fonts(include_system_fonts=False, font_paths=font_paths())
    for label, with_fonts in (("kompilieren, Schriftordner als Pfade (render_pdf)", font_paths()),
                              ("kompilieren, geteiltes typst.Fonts", fonts)):
        report(label, [timed(lambda: typst.compile(source, **world_options(root, with_fonts), **export_options(draft)))
                       for _ in range(runs)])


def bytes_compiler(root: Path) -> Callable[[Draft], bytes]:
    """A warm compile like WarmPdf's, but with the source handed over as bytes each time."""
    compiler = typst.Compiler(**world_options(root, typst.Fonts(False, True, font_paths())))

    def compile_warm(draft: Draft) -> bytes:
        pdf = compiler.compile(project_source(draft, root).encode("utf-8"), **export_options(draft))
        assert isinstance(pdf, bytes)
        return pdf
    return compile_warm


def measure_warm(editor: Editor, compile_warm: Callable[[Draft], bytes], runs: int) -> None:
    """First compile, the same draft again, one edit after another; then compare with render_pdf."""
    draft = editor.draft()
    report("erstes PDF (kalt, Compiler wird angelegt)", [timed(lambda: compile_warm(draft))])
    report("gleicher Entwurf noch einmal", [timed(lambda: compile_warm(draft)) for _ in range(runs)])
    samples = []
    for _ in range(runs):
        editor.edit()
        draft = editor.draft()
        samples.append(timed(lambda: compile_warm(draft)))
    report("nach Änderung eines Beitrags (Quelle + kompilieren)", samples)
    print(f"  Speicher des Prozesses danach: {resident_mib()} MiB")
    identical = compile_warm(draft) == render_pdf(draft, editor.root)
    print(f"  warmes PDF bytegleich mit render_pdf: {'ja' if identical else 'NEIN'}")


def resident_mib() -> str:
    """This process's resident memory (Linux; "?" elsewhere)."""
    try:
        status = Path("/proc/self/status").read_text(encoding="utf-8")
    except OSError:
        return "?"
    return next((str(int(line.split()[1]) // 1024) for line in status.splitlines() if line.startswith("VmRSS:")), "?")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Kaltes gegen warmes Kompilieren eines großen Papiers messen.")
    parser.add_argument("--contributions", type=int, default=333, help="Beiträge im Papier")
    parser.add_argument("--runs", type=int, default=3, help="Wiederholungen je Messung (Median)")
    parser.add_argument("--intern", action="store_true", help="interner Entwurf (Zeilennummern, ENTWURF)")
    parser.add_argument("--als-bytes", action="store_true",
                        help="statt WarmPdf einen typst.Compiler messen, der die Quelle jedes Mal als Bytes bekommt")
    parser.add_argument("--out", type=Path, help="Projektordner (Standard: ein temporärer, danach gelöscht)")
    args = parser.parse_args(argv)
    folder = args.out or Path(tempfile.mkdtemp(prefix="pdf-warm-"))
    try:
        if folder.exists():
            shutil.rmtree(folder)
        root = generate(folder, Spec(contributions=args.contributions, papers=1))
        paper = next(path.name for path in (root / "contributions").iterdir() if path.is_dir())
        measure(root.resolve(), paper, args.intern, args.runs, args.als_bytes)
    finally:
        if args.out is None:
            shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
