"""The layer contracts in pyproject.toml hold, and lint-imports really fails on an upward import."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from projects import REPO

LINT = Path(sys.executable).with_name("lint-imports")


def _lint(scripts: Path, config: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(scripts)}
    return subprocess.run([str(LINT), str(config), "--no-cache"], capture_output=True, text=True,
                          env=env, cwd=scripts.parent, check=False)


def test_the_package_keeps_every_contract() -> None:
    result = _lint(REPO / "scripts", REPO / "pyproject.toml")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def test_an_upward_import_breaks_the_layer_contract(tmp_path: Path) -> None:
    # A copy under another name: the installed (editable) package would shadow one named redaktion.
    scripts = tmp_path / "scripts"
    shutil.copytree(REPO / "scripts" / "redaktion", scripts / "kopie",
                    ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
    config = (REPO / "pyproject.toml").read_text(encoding="utf-8")
    (tmp_path / "pyproject.toml").write_text(config.replace('"redaktion', '"kopie'), encoding="utf-8")
    assert _lint(scripts, tmp_path / "pyproject.toml").returncode == 0  # the copy keeps the contracts …
    loader = scripts / "kopie" / "source" / "load.py"
    # … until loading reaches up into the renderers, as a hurried fix might.
    loader.write_text(loader.read_text(encoding="utf-8") + "\nfrom ..render import markdown  # noqa\n",
                      encoding="utf-8")
    result = _lint(scripts, tmp_path / "pyproject.toml")
    assert result.returncode != 0
    assert "BROKEN" in result.stdout and "kopie.source.load -> kopie.render.markdown" in result.stdout
