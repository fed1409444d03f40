"""`redaktion new`: a complete, valid contribution from flags or questions; helpful refusals."""

from __future__ import annotations

import datetime as dt
import io
import sys
from pathlib import Path

import pytest

from projects import make_project
from redaktion.assemble.draft import assemble
from redaktion.check.corpus import check
from redaktion.cli.main import main
from redaktion.source.load import load

PAPER_DIR = "contributions/testpapier"
FLAGS = ["--paper", "testpapier", "--section", "grundlagen", "--kind", "praxisbeispiel",
         "--member", "muenchen", "--title", "Elternlotsen: ein Modell für Kitas"]


def run(root: Path, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["--root", str(root), "new", *args])
    captured = capsys.readouterr()
    assert "Traceback" not in captured.out + captured.err
    return code, captured.out, captured.err


@pytest.fixture
def no_tty(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))


def test_new_writes_a_complete_contribution_that_passes_check(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                              no_tty: None) -> None:
    make_project(tmp_path)
    code, out, err = run(tmp_path, capsys, *FLAGS, "--authors", "Dr. Anna Beispiel <anna@example.org>, Max Muster")
    assert code == 0, err
    path = tmp_path / PAPER_DIR / "muenchen--elternlotsen-ein-modell-fuer-kitas.md"
    assert f"Beitrag angelegt: {PAPER_DIR}/{path.name}" in out
    assert err == ""  # check has nothing to say about the new file

    corpus = load(tmp_path)
    new = next(c for c in corpus.contributions if c.path.name == path.name)
    assert (new.paper, new.section, new.kind, new.members) == ("testpapier", "grundlagen", "praxisbeispiel",
                                                                ("muenchen",))
    assert new.title == "Elternlotsen: ein Modell für Kitas"
    assert new.status == "eingereicht"
    assert new.submitted == dt.date.today().isoformat()
    assert [(a.name, a.email) for a in new.authors] == [("Dr. Anna Beispiel", "anna@example.org"), ("Max Muster", "")]
    assert not [d for d in check(corpus) if d.path.endswith(path.name)]


def test_guide_is_a_comment_and_the_placeholder_is_text(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                        no_tty: None) -> None:
    make_project(tmp_path)
    assert run(tmp_path, capsys, *FLAGS)[0] == 0
    text = (tmp_path / PAPER_DIR / "muenchen--elternlotsen-ein-modell-fuer-kitas.md").read_text(encoding="utf-8")
    body = text.split("\n---\n", 1)[1]
    assert body.lstrip().startswith("<!--") and "Fußnote" in body
    assert "# authors: [Vorname Nachname]" in text  # optional fields are offered as comments

    draft = assemble(load(tmp_path), "testpapier", intern=True)
    block = next(b for b in draft.blocks if b.contribution_id.startswith("muenchen--"))
    assert "Ersetzen Sie diesen Absatz" in block.text
    assert "Fußnote" not in block.text and "<!--" not in block.text


@pytest.mark.parametrize(("flag", "wrong", "suggestion"), [
    ("--paper", "testpapir", "testpapier"),
    ("--section", "grundlage", "grundlagen"),
    ("--member", "muenchn", "muenchen"),
    ("--kind", "praxisbeispeil", "praxisbeispiel"),
])
def test_unknown_ids_are_refused_with_a_suggestion(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                   no_tty: None, flag: str, wrong: str, suggestion: str) -> None:
    make_project(tmp_path)
    args = list(FLAGS)
    args[args.index(flag) + 1] = wrong
    code, _, err = run(tmp_path, capsys, *args)
    assert code == 2
    assert err.startswith("redaktion: Fehler: ")
    assert f"Meinten Sie „{suggestion}“?" in err
    assert list((tmp_path / PAPER_DIR).glob("muenchen--*")) == []


def test_existing_file_is_never_overwritten(tmp_path: Path, capsys: pytest.CaptureFixture[str], no_tty: None) -> None:
    make_project(tmp_path)
    assert run(tmp_path, capsys, *FLAGS)[0] == 0
    path = tmp_path / PAPER_DIR / "muenchen--elternlotsen-ein-modell-fuer-kitas.md"
    path.write_text(path.read_text(encoding="utf-8") + "\nMein Text.\n", encoding="utf-8")
    code, _, err = run(tmp_path, capsys, *FLAGS)
    assert code == 2
    assert "gibt es schon" in err and "--slug" in err
    assert path.read_text(encoding="utf-8").endswith("Mein Text.\n")


def test_slug_used_by_another_member_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                no_tty: None) -> None:
    make_project(tmp_path)
    code, _, err = run(tmp_path, capsys, *FLAGS, "--slug", "grundsatz")  # stuttgart--grundsatz.md exists
    assert code == 2
    assert "schon von stuttgart--grundsatz.md verwendet" in err


def test_missing_flags_without_terminal_are_a_usage_error(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                          no_tty: None) -> None:
    make_project(tmp_path)
    code, _, err = run(tmp_path, capsys, "--paper", "testpapier")
    assert code == 2
    assert "Es fehlen die Angaben --section, --kind, --member, --title." in err


def test_missing_flags_are_asked_in_a_terminal(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    make_project(tmp_path)
    answers = iter(["2", "3", "falsch", "muenchen", "Sprachförderung von Anfang an", "Eva Muster"])
    monkeypatch.setattr(sys.stdin, "isatty", lambda: True, raising=False)
    monkeypatch.setattr("builtins.input", lambda prompt="": next(answers))
    code, out, err = run(tmp_path, capsys, "--paper", "testpapier")
    assert code == 0, err
    assert "„falsch“ steht nicht zur Auswahl" in err
    new = next(c for c in load(tmp_path).contributions if c.id == "muenchen--sprachfoerderung-von-anfang-an")
    assert (new.section, new.kind, new.members) == ("empfehlungen", "empfehlung", ("muenchen",))
    assert [a.name for a in new.authors] == ["Eva Muster"]
