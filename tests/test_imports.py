"""``redaktion check`` stays instant: the check path imports nothing of the publishing stack."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from projects import make_project

HEAVY = ("jinja2", "mkdocs", "material", "pypandoc", "typst", "matplotlib", "numpy", "icalendar")


def test_check_path_imports_no_publishing_stack() -> None:
    code = ("import json, sys; import redaktion.cli.main, redaktion.check.corpus, redaktion.source.load; "
            "print(json.dumps(sorted(sys.modules)))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    loaded = json.loads(result.stdout)
    heavy = [name for name in loaded if name.split(".")[0] in HEAVY]
    assert heavy == [], f"check imports the publishing stack: {heavy}"


def test_check_command_imports_no_publishing_stack(tmp_path: Path) -> None:
    # Run the real command in a fresh interpreter and inspect its modules afterwards.
    make_project(tmp_path)
    code = ("import json, sys; from redaktion.cli.main import main; "
            f"main(['--root', {str(tmp_path)!r}, 'check']); "
            "sys.stdout.flush(); print('\\nMODULES=' + json.dumps(sorted(sys.modules)))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert "Alles in Ordnung" in result.stdout, result.stderr
    loaded = json.loads(result.stdout.rsplit("MODULES=", 1)[1])
    heavy = [name for name in loaded if name.split(".")[0] in HEAVY]
    assert heavy == [], f"redaktion check imports the publishing stack: {heavy}"
