"""A rebuild after one edit renders only the edited paper's PDF and DOCX; the rest comes from the cache."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from projects import REPO, copy_site_config, make_project
from redaktion.build.pipeline import build
from redaktion.check.corpus import check, has_errors
from redaktion.source.load import load

sys.path.insert(0, str(REPO / "benchmarks"))
from generate import Spec, generate  # noqa: E402

@pytest.fixture()
def project(tmp_path: Path) -> Path:
    """A generated project with three public papers and the repository's site configuration."""
    return copy_site_config(generate(tmp_path / "projekt", Spec(contributions=9, members=6, papers=3)))


def edit_first_accepted(paper_dir: Path) -> Path:
    """Add a sentence to the first accepted contribution of a paper; return its path."""
    for path in sorted(paper_dir.glob("*.md")):
        text = path.read_text(encoding="utf-8")
        if "\nstatus: angenommen\n" in text:
            path.write_text(text.replace("\n---\n\n", "\n---\n\nEin neuer erster Satz.\n\n", 1), encoding="utf-8")
            return path
    raise AssertionError(f"no accepted contribution in {paper_dir}")


def test_generated_project_passes_check(project: Path) -> None:
    diagnostics = check(load(project))
    assert not has_errors(diagnostics), "\n".join(d.format() for d in diagnostics)


def test_rebuild_renders_only_the_edited_paper(project: Path, tmp_path: Path) -> None:
    out = tmp_path / "build"
    first = build(load(project), out=out)
    papers = sorted(first.papers)
    assert len(papers) == 3
    assert sorted(first.rendered) == sorted(f"{p}.{kind}" for p in papers for kind in ("pdf", "docx"))

    edited_paper = papers[1]
    edit_first_accepted(project / "contributions" / edited_paper)
    second = build(load(project), out=out)

    assert sorted(second.papers) == papers
    assert sorted(second.rendered) == [f"{edited_paper}.docx", f"{edited_paper}.pdf"]
    for paper in papers:
        assert (out / "pdf" / f"{paper}.pdf").is_file()
        assert (out / "docx" / f"{paper}.docx").is_file()

    unchanged = build(load(project), out=out)
    assert unchanged.rendered == []


def test_cache_keeps_only_recent_entries(project: Path, tmp_path: Path) -> None:
    out = tmp_path / "build"
    paper = sorted(load(project).papers)[0]
    for _ in range(4):
        edit_first_accepted(project / "contributions" / paper)
        build(load(project), out=out)
    # The current PDF/DOCX of the paper and the one before it, nothing older.
    assert len(list((out / ".cache").glob(f"{paper}-*.pdf"))) == 2
    assert len(list((out / ".cache").glob(f"{paper}-*.docx"))) == 2
    assert len(list((project / "build" / ".cache" / "html").glob(f"{paper}-*.html"))) <= 4
    for folder in ("html", "search"):
        assert not list((project / "build" / ".cache" / folder).glob(".*.tmp"))


def test_rebuilt_site_equals_a_site_built_from_scratch(project: Path, tmp_path: Path) -> None:
    # Pages and search entries of unchanged pages come from caches; the result must not differ.
    out = tmp_path / "build"
    build(load(project), out=out)
    edit_first_accepted(project / "contributions" / sorted(load(project).papers)[0])
    build(load(project), out=out)
    rebuilt = _files(out / "site")

    fresh = tmp_path / "frisch"
    shutil.rmtree(project / "build", ignore_errors=True)  # the site's own caches live there
    build(load(project), out=fresh)
    assert rebuilt.keys() == _files(fresh / "site").keys()
    assert [name for name, data in _files(fresh / "site").items() if rebuilt[name] != data] == []


def _files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_site_is_reused_only_while_nothing_it_is_made_of_changed(project: Path, tmp_path: Path) -> None:
    out = tmp_path / "build"
    assert not build(load(project), out=out).site_reused
    first = _files(out / "site")
    again = build(load(project), out=out)
    assert again.site_reused and again.rendered == []
    assert _files(out / "site") == first

    page = project / "docs" / "mitmachen.md"
    page.write_text(page.read_text(encoding="utf-8") + "\nEin neuer Satz für die Website.\n", encoding="utf-8")
    changed = build(load(project), out=out)
    assert not changed.site_reused
    assert "Ein neuer Satz für die Website." in (out / "site" / "mitmachen" / "index.html").read_text(encoding="utf-8")

    config = project / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("site_name:", "site_name: Neu", 1), encoding="utf-8")
    assert not build(load(project), out=out).site_reused
    assert build(load(project), out=out).site_reused


# Renders through the plugin's entry point with the package in CODE (a copy the test may change).
_RENDER = """
import json, sys
sys.path.insert(0, sys.argv[1])
from pathlib import Path
import redaktion.build.outputs
assert redaktion.build.outputs.__file__.startswith(sys.argv[1]), redaktion.build.outputs.__file__
from redaktion.assemble.draft import assemble
from redaktion.source.load import load
root = Path(sys.argv[2])
_, rendered = redaktion.build.outputs.cached_outputs(assemble(load(root), "testpapier"), root, root / "build" / ".cache")
print(json.dumps(sorted(rendered)))
"""


def test_any_change_to_the_renderers_code_or_the_package_version_renders_again(tmp_path: Path) -> None:
    # An upgraded redaktion must never serve a PDF made by the old one: the key covers every
    # module the renderers import (at any depth), their templates and the package's version.
    code = tmp_path / "code"
    shutil.copytree(REPO / "scripts" / "redaktion", code / "redaktion",
                    ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
    root = make_project(tmp_path / "projekt")

    def rendered() -> list[str]:
        result = subprocess.run([sys.executable, "-c", _RENDER, str(code), str(root)],
                                capture_output=True, text=True, check=False)
        assert result.returncode == 0, result.stderr
        return json.loads(result.stdout.splitlines()[-1])

    assert rendered() == ["docx", "pdf"]
    assert rendered() == []
    for module in ("render/publication.py", "source/data.py", "render/pdf/preamble.py", "model/__init__.py",
                   "util/epoch.py"):
        with (code / "redaktion" / module).open("a", encoding="utf-8") as handle:
            handle.write("\n# eine Änderung\n")
        assert rendered() == (["pdf"] if module == "render/pdf/preamble.py" else ["docx", "pdf"]), module
    metadata = code / "redaktion-99.0.dist-info" / "METADATA"
    metadata.parent.mkdir()
    metadata.write_text("Metadata-Version: 2.1\nName: redaktion\nVersion: 99.0\n", encoding="utf-8")
    assert rendered() == ["docx", "pdf"]
    assert rendered() == []


def test_rebuild_leaves_every_unchanged_output_file_as_it_was(project: Path, tmp_path: Path) -> None:
    out = tmp_path / "build"
    build(load(project), out=out)
    before = {p.relative_to(out): (p.stat().st_ino, p.read_bytes()) for p in out.rglob("*")
              if p.is_file() and ".cache" not in p.parts}
    edited_paper = sorted(p.name for p in (project / "contributions").iterdir() if (p / "paper.yml").is_file())[1]
    edit_first_accepted(project / "contributions" / edited_paper)
    second = build(load(project), out=out)
    after = {p.relative_to(out): (p.stat().st_ino, p.read_bytes()) for p in out.rglob("*")
             if p.is_file() and ".cache" not in p.parts}
    changed = sorted(str(rel) for rel in after if rel not in before or after[rel][1] != before[rel][1])
    # The edited paper's outputs and the pages that show its text (its page, overviews, search) changed …
    assert f"pdf/{edited_paper}.pdf" in changed and f"docx/{edited_paper}.docx" in changed
    assert any(edited_paper in name and name.endswith("index.html") for name in changed)
    # … every other file is the very file of the previous build, not a copy.
    same = [rel for rel in after if rel in before and after[rel][1] == before[rel][1]]
    assert same and all(after[rel][0] == before[rel][0] for rel in same)
    assert second.unchanged == len(same)
    for paper in sorted(p.name for p in (project / "contributions").iterdir() if (p / "paper.yml").is_file()):
        if paper != edited_paper:
            assert f"pdf/{paper}.pdf" not in changed
