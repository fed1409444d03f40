"""Failures outside the members' texts, through the real command line: German, exit 1, build kept.

Each test runs ``python -m redaktion.cli.main`` in a subprocess on a small real project and
breaks one thing of its surroundings: git missing or damaged, a deleted version tag, a broken
pandoc (via pypandoc's ``PYPANDOC_PANDOC``), no folder for the PDF's fonts, an output folder
that cannot be created (below a regular file: that stops root too).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from projects import PAPER, copy_site_config, make_project

from redaktion.cli.main import BUILD_KEPT

VERSIONS = 'versions:\n  - number: "1.0"\n    date: 2010-01-01\n  - number: "1.1"\n    date: 2010-02-01\n'
GIT = ["git", "-c", "user.name=T", "-c", "user.email=t@example.org", "-c", "commit.gpgsign=false",
       "-c", "tag.gpgsign=false"]


def cli(root: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    """Run redaktion on ``root``; no traceback and no "internal error", whatever the exit code."""
    result = subprocess.run([sys.executable, "-m", "redaktion.cli.main", "--root", str(root), *args],
                            capture_output=True, text=True,
                            env={**os.environ, "NO_MKDOCS_2_WARNING": "1", **env})
    assert "Traceback" not in result.stderr and "Interner Fehler" not in result.stderr, result.stderr
    return result


def released(root: Path) -> Path:
    """A git project whose paper has the released versions 1.0 and 1.1, both tagged."""
    make_project(root, {"contributions/testpapier/paper.yml": PAPER.replace("license:", VERSIONS + "license:")})
    copy_site_config(root)
    for args in (["init", "-q"], ["add", "."], ["commit", "-qm", "Inhalt"],
                 ["tag", "-a", "testpapier/v1.0", "-m", "1.0"], ["tag", "-a", "testpapier/v1.1", "-m", "1.1"]):
        subprocess.run([*GIT, *args], cwd=root, check=True, capture_output=True)
    return root


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small project with a finished build (copied by each test that breaks something)."""
    root = copy_site_config(make_project(tmp_path_factory.mktemp("built") / "projekt"))
    assert cli(root, "build").returncode == 0
    return root


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
            and ".cache" not in p.parts}


def fail(result: subprocess.CompletedProcess[str], message: str, hint: str) -> None:
    assert result.returncode == 1, result.stderr
    assert f"redaktion: Fehler: {message}" in result.stderr
    assert f"    Hinweis: {hint}" in result.stderr


@pytest.mark.parametrize("command", [["release", "testpapier", "1.2"], ["diff", "testpapier", "1.0"]],
                         ids=["release", "diff"])
def test_git_missing_in_a_git_project(command: list[str], tmp_path: Path) -> None:
    root = released(tmp_path / "projekt")
    before = (root / "contributions/testpapier/paper.yml").read_bytes()
    result = cli(root, *command, PATH=str(tmp_path / "leer"))  # python and pandoc need no PATH
    fail(result, f"Das Projekt liegt in einem Git-Repository ({root}), aber das Programm git ist nicht installiert",
         "Installieren Sie git")
    assert (root / "contributions/testpapier/paper.yml").read_bytes() == before  # no release without its tag
    assert not (root / "build" / "versions").exists() and not (root / "build" / "synopse").exists()


def test_git_missing_during_build_says_which_versions_the_site_lacks(tmp_path: Path) -> None:
    root = released(tmp_path / "projekt")
    result = cli(root, "build", PATH=str(tmp_path / "leer"))
    assert result.returncode == 0  # the current version is built; the archive names what it lacks
    assert result.stderr.count("Eine frühere Version fehlt auf der Website. Das Projekt liegt in einem "
                               "Git-Repository") == 1
    assert "Hinweis: Installieren Sie git" in result.stderr
    assert (root / "build/pdf/testpapier.pdf").is_file() and not (root / "build/versions/testpapier/1.0").exists()


@pytest.mark.parametrize("command", [["release", "testpapier", "1.2"], ["diff", "testpapier", "1.0"]],
                         ids=["release", "diff"])
def test_a_repository_git_cannot_read(command: list[str], tmp_path: Path) -> None:
    root = released(tmp_path / "projekt")
    (root / ".git" / "HEAD").write_text("kaputt\n")
    result = cli(root, *command)
    fail(result, f"git kann das Repository in {root} nicht lesen: fatal: ", "Prüfen Sie das Repository mit „git status“")
    assert not (root / "build" / "versions").exists() and not (root / "build" / "synopse").exists()


def test_diff_against_a_version_whose_tag_is_gone(tmp_path: Path) -> None:
    root = released(tmp_path / "projekt")
    subprocess.run(["git", "tag", "-d", "testpapier/v1.0"], cwd=root, check=True, capture_output=True)
    result = cli(root, "diff", "testpapier", "1.0")
    fail(result, "Zur Version 1.0 gibt es kein Git-Tag „testpapier/v1.0“.",
         "Holen Sie die Tags mit „git fetch --tags“. Fehlt „testpapier/v1.0“ auch dort, setzen Sie es neu auf den "
         "Commit der Freigabe: „git tag -a testpapier/v1.0 COMMIT -m …“. Oder nennen Sie statt der Versionsnummer "
         "einen Commit.")
    assert not (root / "build" / "synopse").exists()


def test_build_without_a_version_whose_tag_is_gone_says_so(tmp_path: Path) -> None:
    root = released(tmp_path / "projekt")
    subprocess.run(["git", "tag", "-d", "testpapier/v1.0"], cwd=root, check=True, capture_output=True)
    result = cli(root, "build")
    assert result.returncode == 0, result.stderr
    assert ("Eine frühere Version fehlt auf der Website. Die Version 1.0 von „testpapier“ lässt sich nicht bauen: "
            "Das Git-Tag „testpapier/v1.0“ fehlt, und der Arbeitsstand ist nicht der Stand dieser Version. "
            "Hinweis: Holen Sie die Tags mit „git fetch --tags“.") in result.stderr
    assert "build/versions/testpapier/1.0/ ab (testpapier-1.0.pdf und .docx)" in result.stderr
    assert (root / "build/versions/testpapier/1.1/testpapier-1.1.pdf").is_file()  # its tag is still there
    assert not (root / "build/versions/testpapier/1.0").exists()


def test_a_broken_pandoc(built: Path, tmp_path: Path) -> None:
    root = tmp_path / "projekt"
    shutil.copytree(built, root)
    previous = snapshot(root / "build")
    fake = tmp_path / "pandoc"
    fake.write_text("#!/bin/sh\necho 'pandoc: error while loading shared libraries' >&2\nexit 127\n")
    fake.chmod(0o755)
    (root / "contributions/testpapier/stuttgart--grundsatz.md").write_text(
        (root / "contributions/testpapier/stuttgart--grundsatz.md").read_text() + "\nNoch ein Absatz.\n")
    for command in ("check", "build"):
        result = cli(root, command, PYPANDOC_PANDOC=str(fake))
        fail(result, f"pandoc ({fake}) funktioniert nicht: „pandoc --version“ meldet „pandoc: error while loading "
             "shared libraries“ (Rückgabewert 127).", "Das liegt nicht an Ihren Texten: pandoc selbst fehlt oder "
             "ist beschädigt.")
    assert result.stderr.endswith(BUILD_KEPT + "\n")
    assert snapshot(root / "build") == previous


def test_no_folder_for_the_pdf_fonts(built: Path, tmp_path: Path) -> None:
    root = tmp_path / "projekt"
    shutil.copytree(built, root)
    previous = snapshot(root / "build")
    (root / "contributions/testpapier/stuttgart--grundsatz.md").write_text(
        (root / "contributions/testpapier/stuttgart--grundsatz.md").read_text() + "\nNoch ein Absatz.\n")
    # Both places for the fonts folder are blocked by a file (root cannot write below a file either).
    blocker = tmp_path / "datei"
    blocker.write_text("")
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    (tmp / f"redaktion-fonts-{os.getuid()}").write_text("")
    result = cli(root, "build", REDAKTION_CACHE_DIR=str(blocker / "cache"), TMPDIR=str(tmp))
    fail(result, f"Der Ordner für die Schriften des PDFs lässt sich nicht anlegen ({blocker}/cache/fonts: Ein Teil "
         "des Pfads ist eine Datei, kein Ordner; ", "Setzen Sie die Umgebungsvariable REDAKTION_CACHE_DIR")
    assert result.stderr.endswith(BUILD_KEPT + "\n")
    assert snapshot(root / "build") == previous


@pytest.mark.parametrize("where", ["--out", "build"])
def test_an_output_folder_that_cannot_be_created(where: str, tmp_path: Path) -> None:
    root = copy_site_config(make_project(tmp_path / "projekt"))
    (root / "datei").write_text("")
    if where == "--out":
        out, reason, args = root / "datei" / "ausgabe", "Ein Teil des Pfads ist eine Datei, kein Ordner.", \
            ["--out", str(root / "datei" / "ausgabe")]
    else:
        (root / "build").write_text("keine Ausgabe")
        out, reason, args = root / "build", "Dort liegt schon eine Datei mit diesem Namen.", []
    result = cli(root, "build", *args)
    fail(result, f"In den Ausgabeordner „{out}“ lässt sich nicht schreiben. {reason}",
         "Entfernen Sie, was dort im Weg ist, und prüfen Sie, ob Sie dort schreiben dürfen; „redaktion build --out "
         "ORDNER“ schreibt in einen anderen Ordner.")
    assert (root / "datei").read_text() == ""
    assert not any((root / "build" / name).exists() for name in ("site", "pdf", "docx", "drafts"))
