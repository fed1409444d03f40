"""The site renderer is an adapter over one SiteInput: the same input written as plain files
builds with a plain mkdocs (no redaktion plugin) and shows the same papers."""

from __future__ import annotations

import html
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import fake_downloads
from projects import REPO


@pytest.fixture(scope="module")
def plain(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, object]:
    from redaktion.build.site import project_input
    from redaktion.render.site.plain import write_plain

    out = tmp_path_factory.mktemp("plain")
    site = project_input(REPO, intern=False)
    downloads = fake_downloads(out / "rendered", [d.paper.id for d in site.drafts])
    site = project_input(REPO, intern=False, downloads=lambda: downloads)
    config = write_plain(site, REPO / "docs", out / "plain", "Qualitätszirkel (Test)")
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(config)],
                            capture_output=True, text=True, env={"NO_MKDOCS_2_WARNING": "1", "PATH": "/usr/bin:/bin"})
    assert result.returncode == 0, result.stderr
    return out / "plain", site


def _text(page: Path) -> str:
    return html.unescape(re.sub(r"<[^>]+>", " ", page.read_text(encoding="utf-8")))


def test_plain_config_names_no_plugin_but_search(plain: tuple[Path, object]) -> None:
    folder, _ = plain
    config = yaml.safe_load((folder / "mkdocs.yml").read_text(encoding="utf-8"))
    assert config["plugins"] == [{"search": {"lang": "de"}}]
    navigated = yaml.safe_dump(config["nav"], allow_unicode=True)
    assert "papiere/bildungsmanagement.md" in navigated and "praxisbeispiele.md" in navigated


def test_plain_build_shows_every_contribution_of_every_public_paper(plain: tuple[Path, object]) -> None:
    folder, site = plain
    assert site.drafts
    for draft in site.drafts:
        text = _text(folder / "site" / "papiere" / draft.paper.id / "index.html")
        assert draft.paper.title in text
        for block in draft.blocks:
            assert block.heading in text, block.heading
        assert (folder / "site" / "downloads" / f"{draft.paper.id}-{draft.paper.latest_version.number}.pdf").is_file()


def test_plain_build_has_the_overviews_and_hand_written_pages(plain: tuple[Path, object]) -> None:
    folder, site = plain
    praxis = _text(folder / "site" / "praxisbeispiele" / "index.html")
    examples = [b for d in site.drafts for b in d.blocks if b.kind == "praxisbeispiel"]
    assert examples and all(b.title in praxis for b in examples)
    assert "Mitwirkende" in _text(folder / "site" / "mitwirkende" / "index.html")
    assert (folder / "site" / "impressum" / "index.html").is_file()
    # Generated HTML is passed through, not shown as Markdown source.
    page = (folder / "site" / "papiere" / "bildungsmanagement" / "index.html").read_text(encoding="utf-8")
    assert "&lt;section" not in page and "&lt;div" not in page
