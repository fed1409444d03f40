"""The naive route a user would script without redaktion, with the same engines.

1. Copy every accepted contribution (a ``grep "status: angenommen"``) as a plain Markdown page
   into a docs folder and run ``mkdocs build`` with a minimal mkdocs.yml (material theme, no
   redaktion plugin).
2. Per paper, one pandoc run over the paper's accepted files to PDF: ``pandoc
   --pdf-engine=typst`` when a ``typst`` binary exists, otherwise (as here: the ``typst`` PyPI
   package ships only a Python module) pandoc Markdown → Typst plus ``typst.compile`` in Python.
3. Per paper, one pandoc run to DOCX.

Papers are processed one after the other, as a shell loop would. Colliding footnotes
(``[^1]`` in every file) are not resolved; that is part of what the naive route gets wrong.

Usage::

    python benchmarks/baseline.py PROJECT OUT
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
from pathlib import Path

MKDOCS_YML = """\
site_name: Qualitätszirkel (Baseline)
docs_dir: docs
site_dir: site
theme:
  name: material
  language: de
  font: false
"""


def pandoc_path() -> str:
    """The pandoc binary of pypandoc-binary."""
    import pypandoc

    return pypandoc.get_pandoc_path()


def pdf_route() -> str:
    """How PDFs are made: ``typst-cli`` (pandoc --pdf-engine=typst) or ``typst-python``."""
    return "typst-cli" if shutil.which("typst") else "typst-python"


def accepted_files(paper_dir: Path) -> list[Path]:
    """The paper's accepted contributions, found the way a shell script would (grep)."""
    return sorted(p for p in paper_dir.glob("*.md") if "\nstatus: angenommen\n" in p.read_text(encoding="utf-8"))


def copy_pages(project: Path, out: Path) -> list[tuple[Path, list[Path]]]:
    """Copy accepted contributions and media into ``out/docs``; return (paper dir, files) pairs."""
    docs = out / "docs"
    docs.mkdir(parents=True)
    (docs / "index.md").write_text("# Qualitätszirkel\n\nAlle Beiträge.\n", encoding="utf-8")
    (out / "mkdocs.yml").write_text(MKDOCS_YML, encoding="utf-8")
    papers = []
    for paper_dir in sorted(p for p in (project / "contributions").iterdir() if p.is_dir()):
        files = accepted_files(paper_dir)
        target = docs / paper_dir.name
        target.mkdir()
        for path in files:
            shutil.copyfile(path, target / path.name)
        if (paper_dir / "media").is_dir():
            shutil.copytree(paper_dir / "media", target / "media")
        papers.append((paper_dir, files))
    return papers


def build_site(out: Path) -> None:
    """``mkdocs build`` over the copied pages."""
    mkdocs = Path(sys.executable).with_name("mkdocs")
    subprocess.run([str(mkdocs), "build", "--quiet", "-f", str(out / "mkdocs.yml")], check=True,
                   stderr=subprocess.DEVNULL)


def build_pdf(pandoc: str, paper_dir: Path, files: list[Path], target: Path) -> None:
    """One paper to PDF with pandoc and Typst, as a user would script it."""
    names = [p.name for p in files]
    if pdf_route() == "typst-cli":
        subprocess.run([pandoc, *names, "--pdf-engine=typst", "-o", str(target)], cwd=paper_dir, check=True,
                       stderr=subprocess.DEVNULL)
        return
    import typst

    source = target.with_suffix(".typ")
    subprocess.run([pandoc, *names, "-s", "-t", "typst", "-o", str(source)], cwd=paper_dir, check=True,
                   stderr=subprocess.DEVNULL)
    # Images are referenced relative to the paper folder: compile from a copy placed there.
    local = paper_dir / f".baseline-{paper_dir.name}.typ"
    shutil.copyfile(source, local)
    try:
        typst.compile(str(local), output=str(target), root=str(paper_dir))
    finally:
        local.unlink()


def build_docx(pandoc: str, paper_dir: Path, files: list[Path], target: Path) -> None:
    """One paper to DOCX with pandoc."""
    subprocess.run([pandoc, *[p.name for p in files], "-o", str(target)], cwd=paper_dir, check=True,
                   stderr=subprocess.DEVNULL)


def run(project: Path, out: Path) -> None:
    """The whole naive build: site, then PDF and DOCX of every paper."""
    shutil.rmtree(out, ignore_errors=True)
    papers = copy_pages(project, out)
    build_site(out)
    pandoc = pandoc_path()
    for folder in ("pdf", "docx"):
        (out / folder).mkdir()
    for paper_dir, files in papers:
        if files:
            build_pdf(pandoc, paper_dir, files, out / "pdf" / f"{paper_dir.name}.pdf")
            build_docx(pandoc, paper_dir, files, out / "docx" / f"{paper_dir.name}.docx")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Naiver Vergleichsweg: mkdocs + pandoc/Typst je Papier.")
    parser.add_argument("project", type=Path)
    parser.add_argument("out", type=Path)
    args = parser.parse_args(argv)
    run(args.project.resolve(), args.out.resolve())
    print(f"Baseline fertig ({pdf_route()}): {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
