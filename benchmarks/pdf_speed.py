"""Time the PDF renderer on every demo paper (public and internal). Prints, asserts nothing.

Usage: .venv/bin/python benchmarks/pdf_speed.py [ROOT]
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

from redaktion.assemble.draft import assemble
from redaktion.source.load import load
from redaktion.render.pdf import render_pdf, typst_body


def main(root: Path, runs: int = 5) -> None:
    """Render each paper ``runs`` times and print the median wall time and its pandoc share."""
    corpus = load(root)
    for paper_id in sorted(corpus.papers):
        for intern in (False, True):
            draft = assemble(corpus, paper_id, intern)
            if not intern and not draft.paper.is_public:
                continue
            totals, pandoc = [], []
            for _ in range(runs):
                started = time.perf_counter()
                typst_body(draft)
                pandoc.append(time.perf_counter() - started)
                started = time.perf_counter()
                size = len(render_pdf(draft, root))
                totals.append(time.perf_counter() - started)
            label = "intern" if intern else "öffentlich"
            print(f"{paper_id:28} {label:10} {statistics.median(totals):6.3f} s "
                  f"(davon pandoc {statistics.median(pandoc):5.3f} s)  {size / 1024:6.0f} KiB")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parents[1])
