"""The editorial workflow end to end: release, versions, Synopse, status and lifecycle checks.

A copy of the demo in a real git repository goes through two releases of
``bildungsmanagement``; between them one sentence changes, one contribution moves to another
section, one is added and one rejected. Real pandoc, Typst and git throughout.
"""

from __future__ import annotations

import dataclasses
import io
import os
import re
import shutil
import subprocess
import threading
import time
import zipfile
from pathlib import Path

import pytest
from projects import REPO, contribution, copy_demo, make_project

from redaktion.check.corpus import check
from redaktion.cli.main import main
from redaktion.assemble.draft import assemble
from redaktion.model.lifecycle import adoption
from redaktion.source.load import load
from redaktion.model import Version
from redaktion.build import versions
from redaktion.check.status import format_table, status_overview
from redaktion.workflow.yamltext import append_list_item

PAPER = "bildungsmanagement"
PAPER_DIR = Path("contributions") / PAPER
SECRET_COMMENT = "GEHEIME-REDAKTIONSNOTIZ-4711"
SECRET_NOTE = "Interne-Notiz-Nicht-Veroeffentlichen"
NEW_FILE = "hamburg--empfehlung-sprachmittlung.md"


def git(root: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=root, capture_output=True, text=True, check=True).stdout.strip()


def init_repo(root: Path) -> Path:
    copy_demo(root)
    git(root, "init", "--quiet", "--initial-branch=main")
    git(root, "config", "user.name", "Redaktion Test")
    git(root, "config", "user.email", "redaktion@example.org")
    git(root, "config", "commit.gpgsign", "false")
    git(root, "config", "tag.gpgsign", "false")
    (root / ".gitignore").write_text("/build/\n", encoding="utf-8")
    git(root, "add", "-A")
    git(root, "commit", "--quiet", "-m", "Demo")
    return root


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path.name}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def commit_all(root: Path, message: str) -> None:
    git(root, "add", "-A")
    git(root, "commit", "--quiet", "-m", message)


def release(root: Path, version: str, *extra: str) -> int:
    return main(["--root", str(root), "release", PAPER, version, *extra])


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> dict:
    """The demo after releases 1.1 and 1.2, plus the 1.1 PDF as built at release time."""
    pytest.importorskip("redaktion.render.pdf")
    pytest.importorskip("redaktion.render.docx")
    root = init_repo(tmp_path_factory.mktemp("workflow"))
    paper_yml = root / PAPER_DIR / "paper.yml"
    edit(paper_yml, "editors:\n", "# Redaktion: bitte Reihenfolge beibehalten\neditors:\n")
    # The demo's published paper collects a pending contribution for its next version: decide it.
    edit(root / PAPER_DIR / "kreis-paderborn--bildungspatenschaften.md", "status: eingereicht", "status: angenommen")
    commit_all(root, "Beitrag des Kreises Paderborn angenommen")
    assert release(root, "1.1", "--note", "Bildungspatenschaften aufgenommen.", "--date", "2010-06-30") == 0
    pdf_11 = (root / versions.VERSIONS_DIR / PAPER / "1.1" / f"{PAPER}-1.1.pdf").read_bytes()

    # 1. change a sentence (and add an editorial comment that must never appear in the Synopse)
    wuppertal = root / PAPER_DIR / "wuppertal--elternbegleiterinnen.md"
    edit(wuppertal, "eine Schulung von rund vierzig Stunden", "eine Schulung von rund sechzig Stunden")
    edit(wuppertal, "Getragen wird", f"<!-- {SECRET_COMMENT} -->\n\nGetragen wird")
    edit(wuppertal, "note: ", f"note: {SECRET_NOTE} ")
    # 2. move a contribution to another section
    edit(root / PAPER_DIR / "stuttgart--empfehlung-bildungsmonitoring.md", "section: steuerung", "section: grundlagen")
    # 3. add one
    (root / PAPER_DIR / NEW_FILE).write_text(contribution(
        "Kitas und Schulen brauchen verlässliche Sprachmittlung für Elterngespräche.\n",
        paper=PAPER, section="eltern-partner", kind="empfehlung", title="Sprachmittlung verlässlich finanzieren",
        members="[hamburg]", submitted="2010-09-01"), encoding="utf-8")
    # 4. reject one
    edit(root / PAPER_DIR / "saarbruecken--empfehlung-migrantenorganisationen.md",
         "status: angenommen", "status: abgelehnt")
    commit_all(root, "Überarbeitung für Version 1.2")
    assert release(root, "1.2", "--date", "2010-11-30") == 0
    return {"root": root, "pdf_11": pdf_11}


# --- release --------------------------------------------------------------------------------


def test_release_appends_the_version_and_keeps_comments(project: dict) -> None:
    root = project["root"]
    text = (root / PAPER_DIR / "paper.yml").read_text(encoding="utf-8")
    assert "# Redaktion: bitte Reihenfolge beibehalten\neditors:" in text
    assert re.search(r'  - number: "1.1"\n    date: 2010-06-30\n    note: Bildungspatenschaften aufgenommen.\n'
                     r"    hash: [0-9a-f]{64}\n  - number: \"1.2\"\n    date: 2010-11-30\n    hash: [0-9a-f]{64}\n"
                     r"# Redaktion", text)
    paper = load(root).papers[PAPER]
    assert [v.number for v in paper.versions] == ["1.0", "1.1", "1.2"]


def test_release_commits_paper_yml_and_sets_an_annotated_tag(project: dict) -> None:
    root = project["root"]
    assert git(root, "cat-file", "-t", f"{PAPER}/v1.1") == "tag"
    assert git(root, "log", "-1", "--format=%s", f"{PAPER}/v1.2") == f"Release {PAPER} 1.2"
    assert git(root, "show", "--name-only", "--format=", f"{PAPER}/v1.2^{{commit}}") == f"{PAPER_DIR.as_posix()}/paper.yml"
    tagged = git(root, "show", f"{PAPER}/v1.1:{PAPER_DIR.as_posix()}/paper.yml")
    assert 'number: "1.1"' in tagged and 'number: "1.2"' not in tagged
    assert git(root, "status", "--porcelain") == ""


def test_recorded_hash_is_the_public_drafts_content_hash(project: dict) -> None:
    from redaktion.assemble.draft import assemble

    corpus = load(project["root"])
    assert corpus.papers[PAPER].latest_version.hash == assemble(corpus, PAPER).content_hash


def test_version_pdf_rebuilt_from_the_tag_is_byte_identical(project: dict) -> None:
    root = project["root"]
    shutil.rmtree(root / "build" / "versions")
    shutil.rmtree(root / "build" / ".cache")
    outputs = versions.outputs_for(root, PAPER)
    assert list(outputs) == ["1.1", "1.2"]  # 1.0 was entered by hand: no tag, nothing to rebuild from
    assert outputs["1.1"]["pdf"].read_bytes() == project["pdf_11"]
    assert outputs["1.1"]["docx"].is_file()
    cached = root / versions.CACHE_DIR / load(root).papers[PAPER].versions[1].hash / f"{PAPER}-1.1.pdf"
    assert cached.read_bytes() == project["pdf_11"]


def test_outputs_for_takes_missing_files_from_the_cache(project: dict, monkeypatch: pytest.MonkeyPatch) -> None:
    root = project["root"]
    versions.outputs_for(root, PAPER)
    shutil.rmtree(root / "build" / "versions")
    monkeypatch.setattr(versions, "render_version", lambda *a: pytest.fail("rebuilt although cached"))
    assert versions.outputs_for(root, PAPER)["1.1"]["pdf"].read_bytes() == project["pdf_11"]


def test_release_refuses_pending_contributions(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = init_repo(tmp_path)
    before = (root / PAPER_DIR / "paper.yml").read_text(encoding="utf-8")
    assert release(root, "1.1") == 1
    err = capsys.readouterr().err
    assert "Freigabe abgelehnt" in err and "noch nicht entschieden" in err
    assert "kreis-paderborn--bildungspatenschaften.md (eingereicht)" in err
    assert (root / PAPER_DIR / "paper.yml").read_text(encoding="utf-8") == before
    assert git(root, "tag") == ""


def test_release_refuses_when_check_fails(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = init_repo(tmp_path)
    edit(root / PAPER_DIR / "kreis-paderborn--bildungspatenschaften.md", "status: eingereicht", "status: angenommen")
    edit(root / PAPER_DIR / "wuppertal--elternbegleiterinnen.md", "  - wuppertal", "  - wupertal")
    assert release(root, "1.1") == 1
    err = capsys.readouterr().err
    assert "Fehler R041" in err and "Freigabe abgelehnt: „redaktion check“ meldet" in err
    assert "1.1" not in (root / PAPER_DIR / "paper.yml").read_text(encoding="utf-8")


def test_release_refuses_an_old_version_number(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = init_repo(tmp_path)
    edit(root / PAPER_DIR / "kreis-paderborn--bildungspatenschaften.md", "status: eingereicht", "status: abgelehnt")
    assert release(root, "1.0") == 1
    assert "schon freigegeben" in capsys.readouterr().err


def test_release_with_uncommitted_changes_explains_the_git_steps(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pytest.importorskip("redaktion.render.pdf")
    root = init_repo(tmp_path)
    edit(root / PAPER_DIR / "kreis-paderborn--bildungspatenschaften.md", "status: eingereicht", "status: angenommen")
    assert release(root, "1.1", "--date", "2010-06-30") == 0
    out = capsys.readouterr().out
    assert "Kein Commit und kein Tag" in out and f"git tag -a {PAPER}/v1.1" in out
    assert git(root, "tag") == ""
    assert (root / versions.VERSIONS_DIR / PAPER / "1.1" / f"{PAPER}-1.1.pdf").is_file()


def small_repo(tmp_path: Path, crlf: bool = False) -> Path:
    """The minimal test project (one accepted contribution) in a git repository."""
    root = make_project(tmp_path / "projekt")
    if crlf:
        paper_yml = root / "contributions/testpapier/paper.yml"
        paper_yml.write_bytes(paper_yml.read_bytes().replace(b"\n", b"\r\n"))
    git(root, "init", "--quiet", "--initial-branch=main")
    for key, value in (("user.name", "Redaktion Test"), ("user.email", "redaktion@example.org"),
                       ("commit.gpgsign", "false"), ("tag.gpgsign", "false"), ("core.autocrlf", "false")):
        git(root, "config", key, value)
    (root / ".gitignore").write_text("/build/\n", encoding="utf-8")
    commit_all(root, "Testprojekt")
    return root


def repository_state(root: Path) -> dict[str, object]:
    """Everything a failed release must leave as it was."""
    return {
        "head": git(root, "rev-parse", "HEAD"), "branch": git(root, "symbolic-ref", "HEAD"),
        "index": git(root, "ls-files", "--stage"), "status": git(root, "status", "--porcelain"),
        "tags": git(root, "tag", "--list"), "log": git(root, "log", "--all", "--format=%H %s"),
        "paper.yml": (root / "contributions/testpapier/paper.yml").read_bytes(),
    }


@pytest.mark.parametrize("failure", ["tag", "commit"])
def test_a_failed_commit_or_tag_takes_the_whole_release_back(
        failure: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pytest.importorskip("redaktion.render.pdf")
    root = small_repo(tmp_path, crlf=True)
    (root / "notiz.txt").write_text("vorgemerkt\n", encoding="utf-8")
    git(root, "add", "notiz.txt")  # staged outside contributions/: must stay staged
    if failure == "tag":
        # A tag "testpapier/v1.1/…" makes the ref testpapier/v1.1 impossible, after the commit.
        git(root, "tag", "testpapier/v1.1/entwurf")
    else:
        hook = root / ".git" / "hooks" / "pre-commit"
        hook.write_text("#!/bin/sh\necho 'Der Hook lehnt den Commit ab.' >&2\nexit 1\n", encoding="utf-8")
        hook.chmod(0o755)
    before = repository_state(root)

    assert main(["--root", str(root), "release", "testpapier", "1.1", "--date", "2010-06-30"]) == 1
    err = capsys.readouterr().err
    step = "Das Setzen des Git-Tags" if failure == "tag" else "Der Commit"
    assert f"{step} der Freigabe ist fehlgeschlagen; die Freigabe wurde vollständig zurückgenommen" in err
    assert "Traceback" not in err
    assert repository_state(root) == before
    assert not (root / versions.VERSIONS_DIR / "testpapier").exists()


def test_release_replaces_paper_yml_in_one_step(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pytest.importorskip("redaktion.render.pdf")
    root = small_repo(tmp_path)
    paper_yml = root / "contributions/testpapier/paper.yml"
    paper_yml.chmod(0o640)
    git(root, "commit", "--quiet", "--allow-empty", "-m", "Rechte")
    old = paper_yml.read_bytes()
    reader = tmp_path / "offen-in-einem-editor.yml"
    os.link(paper_yml, reader)  # sees the file's old inode: a file written in place would change under it
    assert main(["--root", str(root), "release", "testpapier", "1.1", "--date", "2010-06-30"]) == 0
    assert reader.read_bytes() == old
    assert b'number: "1.1"' in paper_yml.read_bytes()
    assert paper_yml.stat().st_mode & 0o777 == 0o640
    assert git(root, "tag", "--list") == "testpapier/v1.1" and git(root, "status", "--porcelain") == ""


def test_release_refuses_a_version_number_with_a_line_break(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = make_project(tmp_path)
    before = (root / "contributions/testpapier/paper.yml").read_bytes()
    assert main(["--root", str(root), "release", "testpapier", "1.1\n"]) == 2
    assert "keine gültige Versionsnummer" in capsys.readouterr().err
    assert (root / "contributions/testpapier/paper.yml").read_bytes() == before
    assert not (root / versions.VERSIONS_DIR).exists()


@pytest.mark.parametrize(("paper_id", "number", "content_hash"), [
    ("testpapier", "1.1", "../../../ausserhalb"), ("testpapier", "1.1", "ABC"), ("testpapier", "1.1\n", ""),
    ("testpapier", "../1.1", ""), ("../testpapier", "1.1", ""),
])
def test_version_files_never_get_a_path_from_an_unchecked_value(
        paper_id: str, number: str, content_hash: str, tmp_path: Path) -> None:
    root = tmp_path / "projekt"
    root.mkdir()
    with pytest.raises(versions.VersionError):
        versions.store_outputs(root, paper_id, number, content_hash, {"pdf": b"%PDF"})
    assert list(tmp_path.rglob("*")) == [root]


def test_version_files_are_dated_without_touching_the_environment(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # The site renders earlier versions while other threads run: os.environ is shared by all of them.
    pikepdf = pytest.importorskip("pikepdf")
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    root = make_project(tmp_path)
    draft = assemble(load(root), "testpapier")
    seen: set[str] = set()
    stop = threading.Event()

    def watch() -> None:
        while not stop.is_set():
            seen.add(os.environ.get("SOURCE_DATE_EPOCH", ""))
            time.sleep(0.0002)

    watcher = threading.Thread(target=watch)
    watcher.start()
    try:
        outputs = versions.render_version(draft, root, Version("1.1", "2010-06-30", hash=draft.content_hash))
    finally:
        stop.set()
        watcher.join()
    assert seen == {""}, f"SOURCE_DATE_EPOCH was set while rendering: {seen}"
    with pikepdf.open(io.BytesIO(outputs["pdf"])) as pdf:
        assert str(pdf.docinfo["/CreationDate"]).startswith("D:20100630120000")
    with zipfile.ZipFile(io.BytesIO(outputs["docx"])) as archive:
        assert "<dcterms:created xsi:type=\"dcterms:W3CDTF\">2010-06-30T12:00:00Z" in archive.read(
            "docProps/core.xml").decode("utf-8")


# --- Synopse --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def synopse(project: dict) -> dict:
    root = project["root"]
    assert main(["--root", str(root), "diff", PAPER, "1.1", "1.2"]) == 0
    folder = root / "build" / "synopse"
    return {"root": root, "files": {kind: folder / f"{PAPER}-1.1-1.2.{kind}" for kind in ("html", "pdf", "docx")}}


def test_synopse_shows_exactly_the_four_changes(project: dict) -> None:
    from redaktion.workflow.diff import synopse_for

    result, date = synopse_for(project["root"], PAPER, "1.1", "1.2")
    changes = {(e.change, e.key, e.attribution) for e in result.changes}
    assert changes == {
        ("geaendert", "wuppertal--elternbegleiterinnen", "Stadt Wuppertal"),
        ("verschoben", "stuttgart--empfehlung-bildungsmonitoring", "Landeshauptstadt Stuttgart"),
        ("neu", "hamburg--empfehlung-sprachmittlung", "Freie und Hansestadt Hamburg"),
        ("entfernt", "saarbruecken--empfehlung-migrantenorganisationen", "Landeshauptstadt Saarbrücken"),
    }
    assert date == "2010-11-30"
    changed = next(e for e in result.changes if e.change == "geaendert")
    assert [(s.op, s.text) for s in changed.segments if s.op != "equal"] == [("delete", "vierzig"),
                                                                              ("insert", "sechzig")]
    moved = next(e for e in result.changes if e.change == "verschoben")
    assert not moved.text_changed and "Abschnitt 5" in moved.old_place and "Abschnitt 1" in moved.new_place


def test_synopse_between_tag_and_working_tree_is_empty_after_release(project: dict) -> None:
    from redaktion.workflow.diff import synopse_for

    result, _ = synopse_for(project["root"], PAPER, "1.2")
    assert result.changes == [] and result.summary() == "Keine inhaltlichen Änderungen."


def test_synopse_html_marks_changes_without_relying_on_colour(synopse: dict) -> None:
    html = synopse["files"]["html"].read_text(encoding="utf-8")
    assert '<html lang="de">' in html
    assert '<del><span class="vh">Streichung: </span>vierzig' in html
    assert '<ins><span class="vh">Einfügung: </span>sechzig' in html
    assert "text-decoration: underline" in html and "text-decoration: line-through" in html
    assert "<details" in html and "Bisherige Fassung" in html and "Neue Fassung" in html
    assert "4 Änderungen: 1 geändert, 1 verschoben, 1 neu, 1 entfernt" in html
    assert not re.search(r"(src|href)=\"https?:", html)


def test_synopse_never_contains_editorial_comments(synopse: dict) -> None:
    html = synopse["files"]["html"].read_text(encoding="utf-8")
    pdf_text = subprocess.run(["pdftotext", str(synopse["files"]["pdf"]), "-"], capture_output=True, text=True,
                              check=True).stdout
    docx_xml = zipfile.ZipFile(synopse["files"]["docx"]).read("word/document.xml").decode("utf-8")
    for text in (html, pdf_text, docx_xml):
        assert SECRET_COMMENT not in text and SECRET_NOTE not in text
        assert "Zahl der Schulen mit dem Ressort abgleichen" not in text  # the demo's own comment
    assert "sechzig" in pdf_text and "Bisherige Fassung" in pdf_text


def test_synopse_pdf_is_a_tagged_pdf(synopse: dict) -> None:
    pikepdf = pytest.importorskip("pikepdf")
    with pikepdf.open(synopse["files"]["pdf"]) as pdf:
        assert "/StructTreeRoot" in pdf.Root
        assert str(pdf.Root.Lang).startswith("de")


def test_synopse_docx_holds_tracked_changes_by_the_members(synopse: dict) -> None:
    docx = pytest.importorskip("docx")
    path = synopse["files"]["docx"]
    document = docx.Document(str(path))
    assert document.core_properties.title.startswith("Synopse")
    assert any("Sprachmittlung" in p.text for p in document.paragraphs)
    # plain lxml on the raw XML (python-docx's element classes change itertext)
    from lxml import etree

    body = etree.fromstring(zipfile.ZipFile(path).read("word/document.xml"))
    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"

    def revisions(tag: str) -> list[tuple[str, str]]:
        return [(el.get(f"{w}author"), "".join(el.itertext())) for el in body.iter(f"{w}{tag}")]

    assert ("Stadt Wuppertal", "vierzig") in revisions("del")
    assert ("Stadt Wuppertal", "sechzig") in revisions("ins")
    assert any(author == "Landeshauptstadt Saarbrücken" for author, _ in revisions("del"))
    assert any(author == "Freie und Hansestadt Hamburg" and "Sprachmittlung" in text
               for author, text in revisions("ins"))
    assert revisions("moveFrom") and revisions("moveTo")
    assert {el.get(f"{w}date") for el in body.iter(f"{w}ins", f"{w}del")} == {"2010-11-30T00:00:00Z"}


def test_synopse_outputs_are_reproducible(synopse: dict) -> None:
    from redaktion.workflow.diff import diff

    before = {kind: path.read_bytes() for kind, path in synopse["files"].items()}
    diff(synopse["root"], PAPER, "1.1", "1.2")
    assert {kind: path.read_bytes() for kind, path in synopse["files"].items()} == before


def test_diff_with_an_unknown_version_is_a_german_error(project: dict, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--root", str(project["root"]), "diff", PAPER, "0.9"]) == 1
    assert "Zur Version 0.9 gibt es kein Git-Tag" in capsys.readouterr().err


# --- status -----------------------------------------------------------------------------------


def test_status_lists_pending_contributions_and_open_votes(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--root", str(REPO), "status", PAPER]) == 0
    out = capsys.readouterr().out
    assert "Abschnitt" in out and "eingereicht" in out and "Wörter" in out
    assert "Zu entscheiden (1):" in out and "kreis-paderborn--bildungspatenschaften" in out
    assert "Mitzeichnung Version 1.0: 10 von 18 abgestimmt (8 × Zustimmung, 1 × Enthaltung, 1 × Vorbehalt)" in out
    assert "offen (8): Arbeitsstab" in out


def test_status_table_columns_are_aligned() -> None:
    text = format_table(status_overview(load(REPO), PAPER))
    table = [line for line in text.splitlines() if line.startswith(("Abschnitt", "1 ", "2 ", "Summe"))]
    ends = {len(line) for line in table}
    assert len(ends) == 1, table


def test_status_data_for_the_site(tmp_path: Path) -> None:
    make_project(tmp_path, {"contributions/testpapier/muenchen--beispiel.md": contribution(
        "Eins zwei drei vier.\n", members="[muenchen]", status="in-pruefung", title="Beispiel")})
    (status,) = status_overview(load(tmp_path))
    data = dataclasses.asdict(status)
    assert data["sections"][0]["counts"] == {"eingereicht": 0, "in-pruefung": 1, "angenommen": 1, "abgelehnt": 0,
                                             "zurueckgezogen": 0}
    assert [c["id"] for c in data["pending"]] == ["muenchen--beispiel"]
    assert data["pending"][0]["words"] == 4
    assert data["without_contribution"] == ()


# --- lifecycle checks and adoption --------------------------------------------------------


PAPER_WITH_LIFECYCLE = """\
id: testpapier
title: Testpapier Bildung
kind: positionspapier
status: {status}
license: CC-BY-4.0
versions:
  - number: "1.0"
    date: 2010-01-10
history:
  - date: 2009-12-01
    status: abstimmung
  - date: 2010-01-10
    status: veroeffentlicht
  - date: 2010-03-01
    status: abstimmung
{note}mitzeichnung:
  - version: "1.0"
    member: stuttgart
    vote: zustimmung
    date: 2010-01-08
  - version: "1.0"
    member: muenchen
    vote: vorbehalt
    text: {text}
    date: 2010-01-09
{extra}outline:
  - id: grundlagen
    title: Grundlagen
"""


def lifecycle_codes(tmp_path: Path, status: str = "abstimmung", note: str = "    note: Neue Beiträge.\n",
                    text: str = "Nur für Großstädte.", extra: str = "") -> list[str]:
    make_project(tmp_path, {"contributions/testpapier/paper.yml": PAPER_WITH_LIFECYCLE.format(
        status=status, note=note, text=text, extra=extra)})
    return [d.code for d in check(load(tmp_path)) if d.code.startswith("R07")]


def test_valid_lifecycle_has_no_findings(tmp_path: Path) -> None:
    assert lifecycle_codes(tmp_path) == []


def test_backwards_status_move_needs_a_note(tmp_path: Path) -> None:
    assert lifecycle_codes(tmp_path, note="") == ["R072"]


def test_status_must_match_the_last_history_entry(tmp_path: Path) -> None:
    assert lifecycle_codes(tmp_path, status="final") == ["R073"]


def test_mitzeichnung_rules(tmp_path: Path) -> None:
    extra = ("  - version: \"2.0\"\n    member: koeln\n    vote: vorbehalt\n    date: 2010-01-09\n"
             "  - version: \"1.0\"\n    member: stuttgart\n    vote: enthaltung\n    date: 2010-01-09\n")
    codes = lifecycle_codes(tmp_path, extra=extra)
    assert sorted(codes) == ["R075", "R076", "R077", "R078"]


def test_vote_with_an_unknown_value_is_a_schema_error(tmp_path: Path) -> None:
    make_project(tmp_path, {"contributions/testpapier/paper.yml": PAPER_WITH_LIFECYCLE.format(
        status="abstimmung", note="    note: x\n", text="x", extra="").replace("vote: zustimmung", "vote: ja")})
    assert "R025" in [d.code for d in check(load(tmp_path))]


def test_adoption_says_when_and_by_whom(tmp_path: Path) -> None:
    lifecycle_codes(tmp_path)
    corpus = load(tmp_path)
    result = adoption(corpus.papers["testpapier"], corpus.members)
    assert result is not None
    assert result.version == "1.0" and result.date == "2010-01-09"
    assert [m.id for m in result.consenting] == ["stuttgart", "muenchen"]
    assert result.reservations[0].text == "Nur für Großstädte."
    assert result.sentence() == ("Version 1.0 verabschiedet am 9. Januar 2010 von Landeshauptstadt Stuttgart und "
                                 "Landeshauptstadt München. Mit Vorbehalt: Landeshauptstadt München.")


def test_no_adoption_without_votes() -> None:
    corpus = load(REPO)
    assert adoption(corpus.papers["engagement-partizipation"], corpus.members) is None


# --- textual YAML edit --------------------------------------------------------------------


def test_append_keeps_comments_and_quotes_only_what_needs_it() -> None:
    text = "id: x\n# Versionen\nversions:\n- number: \"1.0\"\n  date: 2010-01-01\n\n# Redaktion\neditors: [a]\n"
    out = append_list_item(text, "versions", [("number", "1.1"), ("date", "2010-02-01"), ("note", "Neu: „A“ # 2")])
    assert out == ("id: x\n# Versionen\nversions:\n- number: \"1.0\"\n  date: 2010-01-01\n- number: \"1.1\"\n"
                   "  date: 2010-02-01\n  note: \"Neu: „A“ # 2\"\n\n# Redaktion\neditors: [a]\n")


def test_docx_zip_entries_have_a_fixed_time(synopse: dict) -> None:
    with zipfile.ZipFile(io.BytesIO(synopse["files"]["docx"].read_bytes())) as archive:
        assert {info.date_time for info in archive.infolist()} == {(2010, 11, 30, 0, 0, 0)}


def test_site_offers_the_frozen_pdf_of_an_earlier_version(project: dict, tmp_path: Path) -> None:
    from redaktion.render.site import build_site

    root = project["root"]
    for name in ("docs", "mkdocs.yml"):
        source = Path(__file__).resolve().parent.parent / name
        if not (root / name).exists():
            (shutil.copytree if source.is_dir() else shutil.copy)(source, root / name)
    site = tmp_path / "site"
    build_site(root, site)
    frozen = site / "downloads" / "versionen" / f"{PAPER}-1.1.pdf"
    assert frozen.read_bytes() == project["pdf_11"]
    page = next(p for p in site.rglob("index.html") if PAPER in p.parent.name)
    assert "versionen/bildungsmanagement-1.1.pdf" in page.read_text(encoding="utf-8")
