"""Machine-readable diagnostics: `check --format gitlab` is a valid GitLab Code Quality report."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from projects import contribution, make_project
from redaktion.cli.main import main

PAPER_DIR = "contributions/testpapier"

# The fields GitLab reads from a Code Quality report (a subset of the Code Climate spec):
# https://docs.gitlab.com/ci/testing/code_quality/#code-quality-report-format
CODE_QUALITY_SCHEMA = {
    "$schema": "http://json-schema.org/draft-07/schema#",
    "type": "array",
    "items": {
        "type": "object",
        "required": ["description", "check_name", "fingerprint", "severity", "location"],
        "properties": {
            "description": {"type": "string", "minLength": 1},
            "check_name": {"type": "string", "minLength": 1},
            "fingerprint": {"type": "string", "minLength": 1},
            "severity": {"enum": ["info", "minor", "major", "critical", "blocker"]},
            "location": {
                "type": "object",
                "required": ["path", "lines"],
                "properties": {
                    "path": {"type": "string", "pattern": r"^[^/]"},  # relative to the repository
                    "lines": {
                        "type": "object",
                        "required": ["begin"],
                        "properties": {"begin": {"type": "integer", "minimum": 1}},
                    },
                },
            },
        },
    },
}


def broken_project(root: Path) -> Path:
    return make_project(root, {
        f"{PAPER_DIR}/stuttgart--datum.md": contribution(title="Datum", submitted="24.11.2009"),
        f"{PAPER_DIR}/muenchen--bild.md": contribution(title="Bild", members="[muenchen]",
                                                        body="![](media/fehlt.png)\n\n<b>fett</b>\n"),
    })


def run_check(root: Path, capsys: pytest.CaptureFixture[str], output_format: str) -> tuple[int, object]:
    code = main(["--root", str(root), "check", "--format", output_format])
    return code, json.loads(capsys.readouterr().out)


def test_gitlab_report_validates_as_code_quality(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, issues = run_check(broken_project(tmp_path), capsys, "gitlab")
    assert code == 1
    jsonschema.validate(issues, CODE_QUALITY_SCHEMA)
    assert isinstance(issues, list) and len(issues) >= 3
    assert len({issue["fingerprint"] for issue in issues}) == len(issues)
    by_code = {issue["check_name"]: issue for issue in issues}
    assert by_code["R027"]["location"]["path"] == f"{PAPER_DIR}/stuttgart--datum.md"
    assert by_code["R027"]["severity"] == "major"
    assert by_code["R057"]["severity"] == "minor"  # warnings do not block a merge request
    assert "Hinweis:" in by_code["R027"]["description"]


def test_gitlab_report_of_a_clean_project_is_an_empty_list(tmp_path: Path,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    code, issues = run_check(make_project(tmp_path), capsys, "gitlab")
    assert (code, issues) == (0, [])


def test_json_report_carries_every_diagnostic_field(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, items = run_check(broken_project(tmp_path), capsys, "json")
    assert code == 1
    assert all(set(item) == {"path", "line", "column", "code", "message", "hint", "severity"} for item in items)
