"""Shared fixtures: the demo site, built once per test session."""

from __future__ import annotations

from pathlib import Path

import pytest

from projects import REPO


def fake_downloads(folder: Path, paper_ids: list[str]) -> dict[str, dict[str, Path]]:
    """Small stand-ins for rendered PDF/DOCX files, so site tests do not depend on Typst."""
    folder.mkdir(parents=True, exist_ok=True)
    result: dict[str, dict[str, Path]] = {}
    for paper_id in paper_ids:
        result[paper_id] = {}
        for kind in ("pdf", "docx"):
            path = folder / f"{paper_id}.{kind}"
            path.write_bytes(b"%PDF-1.7 stand-in" if kind == "pdf" else b"PK stand-in")
            result[paper_id][kind] = path
    return result


def build_demo_site(target: Path, intern: bool = False, root: Path = REPO) -> Path:
    """Build the site of ``root`` (default: the repository's demo) into ``target/site``."""
    from redaktion.build.site import project_input
    from redaktion.render.site import build_site
    from redaktion.source.load import load

    corpus = load(root)
    papers = [p.id for p in corpus.papers.values() if intern or p.is_public]
    downloads = fake_downloads(target / "downloads", papers)
    site = target / "site"
    build_site(root, site, project_input(root, intern, downloads=lambda: downloads))
    return site


@pytest.fixture(scope="session")
def demo_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The public demo site (mkdocs build into a temporary folder)."""
    return build_demo_site(tmp_path_factory.mktemp("demo-site"))


@pytest.fixture(scope="session")
def intern_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The internal demo site: all papers and contributions, marked ENTWURF."""
    return build_demo_site(tmp_path_factory.mktemp("intern-site"), intern=True)
