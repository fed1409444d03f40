"""Errors reach users once, in German, with the documented exit code – never as a traceback.

Every error meant for users derives from ``RedaktionError`` and is printed by ``cli.main``
alone (``redaktion: Fehler: …`` / ``    Hinweis: …``); exit code 70 is left for real bugs.
"""

from __future__ import annotations

import importlib
import inspect
import pickle
import pkgutil
import subprocess
from pathlib import Path

import pytest
from projects import PAPER, copy_site_config, make_project

import redaktion
from redaktion.cli.main import main
from redaktion.model import ContentError, Diagnostic
from redaktion.model.errors import RedaktionError, UnknownPaper, UsageError

# Exceptions that never leave the module raising them: their callers turn them into a
# Diagnostic or into a RedaktionError with context.
INTERNAL = {"_Invalid", "_FileProblem", "NumberProblem", "PlaceError", "MissingRegion", "YamlProblem",
            "YamlEditError", "BrokenDocument"}


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    captured = capsys.readouterr()
    assert "Traceback" not in captured.out + captured.err
    assert "Interner Fehler" not in captured.err
    return code, captured.out, captured.err


def test_every_exception_of_the_package_is_a_redaktion_error_or_internal() -> None:
    found = {}
    for module in pkgutil.walk_packages(redaktion.__path__, "redaktion."):
        loaded = importlib.import_module(module.name)
        for name, cls in inspect.getmembers(loaded, inspect.isclass):
            if issubclass(cls, BaseException) and cls.__module__ == module.name:
                found[name] = cls
    assert {"ContentError", "RenderError", "GitError", "PandocError", "UnknownPaper"} <= found.keys()
    stray = sorted(name for name, cls in found.items() if not issubclass(cls, RedaktionError) and name not in INTERNAL)
    assert stray == [], f"user-facing errors must derive from RedaktionError: {stray}"


def test_errors_keep_message_hint_and_exit_code_on_the_way_back_from_a_worker() -> None:
    error = UnknownPaper("bildungsmanagemnt", ["bildungsmanagement", "engagement"])
    again = pickle.loads(pickle.dumps(error))
    assert type(again) is UnknownPaper and str(again) == str(error)
    assert (again.message, again.hint, again.exit_code) == (error.message, "Meinten Sie „bildungsmanagement“?", 2)
    content = ContentError([Diagnostic("contributions/p/x.md", 3, 1, "R801", "Das PDF ging nicht.")])
    assert pickle.loads(pickle.dumps(content)).diagnostics == content.diagnostics


@pytest.mark.parametrize("command", [
    ["assemble", "nope"],
    ["status", "nope"],
    ["diff", "nope", "1.0"],
    ["release", "nope", "1.1"],
    ["runde", "nope"],
    ["runde", "nope", "abwaegung"],
    ["runde", "nope", "eroeffnen"],
    ["apply", "nope", "runde-1"],
    ["new", "--paper", "nope", "--section", "grundlagen", "--kind", "text", "--member", "stuttgart", "--title", "T"],
    ["new", "--runde", "runde-1", "--paper", "nope", "--member", "stuttgart", "--stelle", "B1", "--art", "anmerkung"],
], ids=lambda command: " ".join(command[:3]))
def test_an_unknown_paper_is_the_same_usage_error_everywhere(command: list[str], tmp_path: Path,
                                                              capsys: pytest.CaptureFixture[str]) -> None:
    root = make_project(tmp_path)
    code, _, err = run(capsys, "--root", str(root), *command)
    assert code == 2
    assert err == "redaktion: Fehler: Das Papier „nope“ gibt es nicht.\n    Hinweis: Vorhanden: testpapier.\n"


def test_a_near_miss_is_suggested(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "--root", str(make_project(tmp_path)), "status", "testpaper")
    assert code == 2 and err.endswith("    Hinweis: Meinten Sie „testpapier“?\n")


def test_an_unknown_session_is_a_usage_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "--root", str(make_project(tmp_path)), "sitzung", "2010-01-01-nirgendwo")
    assert code == 2
    assert err == ("redaktion: Fehler: Die Sitzung „2010-01-01-nirgendwo“ gibt es nicht.\n"
                   "    Hinweis: Legen Sie eine an mit „redaktion new --sitzung JJJJ-MM-TT …“.\n")


def test_content_errors_print_their_diagnostics_only(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "--root", str(tmp_path), "assemble", "testpapier")
    assert code == 1
    assert err.startswith("contributions:1:1: Fehler R000: Der Ordner „contributions“ fehlt.\n    Hinweis: ")
    assert err.endswith("\n\n1 Fehler, 0 Warnungen.\n") and "redaktion: Fehler" not in err


def _git(root: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=root, capture_output=True, text=True, check=True).stdout.strip()


def _project_with_broken_git(root: Path) -> Path:
    """A paper with two released versions whose older tag points to content git can no longer read."""
    versions = ('versions:\n  - number: "1.0"\n    date: 2010-01-01\n  - number: "1.1"\n    date: 2010-02-01\n')
    make_project(root, {"contributions/testpapier/paper.yml": PAPER.replace("license:", versions + "license:")})
    copy_site_config(root)
    _git(root, "init", "--quiet")
    _git(root, "-c", "user.name=T", "-c", "user.email=t@example.org", "-c", "commit.gpgsign=false",
         "commit", "--quiet", "--allow-empty", "-m", "leer")
    _git(root, "add", "contributions")
    _git(root, "-c", "user.name=T", "-c", "user.email=t@example.org", "-c", "commit.gpgsign=false",
         "commit", "--quiet", "-m", "Inhalt")
    _git(root, "-c", "user.name=T", "-c", "user.email=t@example.org", "-c", "tag.gpgsign=false",
         "tag", "-a", "testpapier/v1.0", "-m", "1.0")
    # A contribution's blob is lost (a broken clone): the tag still names a commit, but git
    # archive cannot export its content.
    blob = _git(root, "rev-parse", "HEAD:contributions/testpapier/stuttgart--grundsatz.md")
    (root / ".git" / "objects" / blob[:2] / blob[2:]).unlink()
    return root


def test_a_git_error_during_build_is_a_german_warning_not_a_bug(tmp_path: Path,
                                                                 caplog: pytest.LogCaptureFixture,
                                                                 capsys: pytest.CaptureFixture[str]) -> None:
    # The current version is built; the site names the earlier version it lacks, and why.
    root = _project_with_broken_git(tmp_path / "projekt")
    code, _, _ = run(capsys, "--root", str(root), "build")
    assert code == 0
    assert ("Eine frühere Version fehlt auf der Website. git archive --format=tar ist fehlgeschlagen: "
            in caplog.text)  # and git's own words
    assert "Hinweis: Prüfen Sie das Repository mit „git status“ und „git fsck“." in caplog.text
    assert (root / "build" / "site").is_dir() and not (root / "build" / "versions" / "testpapier" / "1.0").exists()


@pytest.mark.parametrize("value", ["", "gestern", "-5"])
def test_a_source_date_epoch_that_is_not_a_number_is_a_usage_error(value: str, tmp_path: Path,
                                                                   capsys: pytest.CaptureFixture[str],
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    root = copy_site_config(make_project(tmp_path))
    monkeypatch.setenv("SOURCE_DATE_EPOCH", value)
    code, _, err = run(capsys, "--root", str(root), "build")
    assert code == 2
    assert err.startswith(f"redaktion: Fehler: Die Umgebungsvariable SOURCE_DATE_EPOCH ist „{value}“; erwartet "
                          "wird eine ganze Zahl (Sekunden seit dem 1. Januar 1970).\n    Hinweis: ")
    assert not (root / "build" / "pdf").exists()


def test_usage_errors_exit_with_2_and_others_with_1() -> None:
    assert UsageError("x").exit_code == 2 and RedaktionError("x").exit_code == 1
    assert RedaktionError("x", exit_code=2).exit_code == 2
