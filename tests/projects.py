"""Small content trees for tests: the demo copied, or a minimal project written from a dict."""

from __future__ import annotations

import shutil
import textwrap
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

MEMBERS = """\
- id: stuttgart
  name: Landeshauptstadt Stuttgart
  type: stadt
  land: Baden-Württemberg
- id: muenchen
  name: Landeshauptstadt München
  type: stadt
  land: Bayern
"""

PUBLISHER = """\
name: Testzirkel
office: Geschäftsstelle Test
place: Teststadt
"""

PAPER = """\
id: testpapier
title: Testpapier Bildung
kind: positionspapier
status: final
date: 2010-01-01
license: CC-BY-4.0
outline:
  - id: grundlagen
    title: Grundlagen
  - id: empfehlungen
    title: Empfehlungen
"""


def contribution(body: str = "Ein kurzer Absatz.\n", **front: object) -> str:
    """A contribution file with sensible defaults; keyword arguments override front matter."""
    fields: dict[str, object] = {
        "paper": "testpapier", "section": "grundlagen", "kind": "text", "title": "Ein Titel",
        "members": "[stuttgart]", "submitted": "2009-11-24", "status": "angenommen",
    }
    fields.update(front)
    lines = [f"{k}: {v}" for k, v in fields.items() if v is not None]
    return "---\n" + "\n".join(lines) + "\n---\n\n" + textwrap.dedent(body)


def make_project(root: Path, files: dict[str, str | bytes] | None = None) -> Path:
    """Write a minimal valid project plus ``files`` (paths relative to ``root``)."""
    defaults: dict[str, str | bytes] = {
        "contributions/members.yml": MEMBERS,
        "contributions/zirkel.yml": PUBLISHER,
        "contributions/testpapier/paper.yml": PAPER,
        "contributions/testpapier/stuttgart--grundsatz.md": contribution(),
    }
    defaults.update(files or {})
    return write_files(root, defaults)


def write_files(root: Path, files: dict[str, str | bytes]) -> Path:
    """Write ``files`` (paths relative to ``root``: text or bytes) and return ``root``."""
    for rel, content in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return root


def copy_site_config(root: Path) -> Path:
    """Copy the repository's site configuration (mkdocs.yml, docs/) into ``root``."""
    root.mkdir(parents=True, exist_ok=True)
    shutil.copytree(REPO / "docs", root / "docs")
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    return root


def copy_demo(root: Path) -> Path:
    """Copy the repository's demo project (content, docs, site config) into ``root``."""
    shutil.copytree(REPO / "contributions", root / "contributions")
    return copy_site_config(root)
