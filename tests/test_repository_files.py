"""Files for CI, pre-commit and openCode: present, parseable, and wired to the real commands."""

from __future__ import annotations

import tomllib

import yaml

from projects import REPO


def load_yaml(name: str) -> object:
    return yaml.safe_load((REPO / name).read_text(encoding="utf-8"))


def test_gitlab_ci_publishes_the_code_quality_report_and_pages() -> None:
    ci = load_yaml(".gitlab-ci.yml")
    check_job = ci["pruefen"]
    assert any("check --format gitlab > gl-code-quality-report.json" in line for line in check_job["script"])
    assert check_job["artifacts"]["reports"]["codequality"] == "gl-code-quality-report.json"
    assert ci["pages"]["artifacts"]["paths"] == ["public"]
    assert ci["pages"]["rules"] == [{"if": "$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH"}]
    assert any("--intern" in line for line in ci["intern"]["script"])
    assert ci["intern"]["artifacts"]["access"] == "developer"  # drafts are never public downloads


def test_github_workflow_mirrors_the_pipeline() -> None:
    workflow = load_yaml(".github/workflows/redaktion.yml")
    jobs = workflow["jobs"]
    assert set(jobs) == {"pruefen", "intern", "pages"}
    assert jobs["intern"]["if"] == "github.event.repository.private"
    assert any("redaktion check" in step.get("run", "") for step in jobs["pruefen"]["steps"])


def test_pre_commit_hooks_run_check() -> None:
    hooks = load_yaml(".pre-commit-hooks.yaml")
    assert hooks[0]["id"] == "redaktion-check" and hooks[0]["entry"] == "redaktion check"
    config = load_yaml(".pre-commit-config.yaml")
    entries = [hook["entry"] for repo in config["repos"] for hook in repo["hooks"]]
    assert ".venv/bin/redaktion check" in entries


def test_publiccode_yml_has_the_required_keys() -> None:
    data = load_yaml("publiccode.yml")
    assert data["publiccodeYmlVersion"] == "0.4"
    for key in ("name", "url", "platforms", "categories", "developmentStatus", "softwareType", "description",
                "legal", "maintenance", "localisation"):
        assert key in data
    assert data["legal"]["license"] == "EUPL-1.2"
    for language in ("de", "en"):
        description = data["description"][language]
        assert len(description["shortDescription"]) <= 150
        assert 150 <= len(description["longDescription"]) <= 10_000
        assert description["features"]


def test_reuse_toml_names_a_license_text_for_every_license() -> None:
    reuse = tomllib.loads((REPO / "REUSE.toml").read_text(encoding="utf-8"))
    licenses = {annotation["SPDX-License-Identifier"] for annotation in reuse["annotations"]}
    # Apache-2.0 and MIT: the official schemas vendored for the template tests (tests/schemas/)
    assert licenses == {"EUPL-1.2", "CC-BY-4.0", "DL-DE-BY-2.0", "Apache-2.0", "MIT"}
    for license_id in licenses:
        assert (REPO / "LICENSES" / f"{license_id}.txt").is_file()
    assert (REPO / "LICENSE").read_text(encoding="utf-8").startswith("EUROPEAN UNION PUBLIC LICENCE v. 1.2")
