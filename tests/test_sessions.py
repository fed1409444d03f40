"""Sessions (Sitzungen): the file format and its checks, the open tasks, the calendar and `new`.

The outputs (invitation and minutes PDF, site pages, traceability in paper PDF/DOCX, leaks)
are tested end to end in tests/test_sessions_build.py.
"""

from __future__ import annotations

import datetime as dt
import io
import sys
import textwrap
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from projects import PAPER, REPO, make_project
from redaktion.check.corpus import check
from redaktion.cli.main import main
from redaktion.source.load import load
from redaktion.source.minutes import parse_votes, read_minutes
from redaktion.assemble.sessions import open_tasks, session_sheet

SESSION_FILE = "contributions/sitzungen/2010-03-04-stuttgart.md"
PAPER_FILE = "contributions/testpapier/paper.yml"

SESSION = textwrap.dedent("""\
    ---
    datum: 2010-03-04
    beginn: "10:00"
    ende: "15:00"
    ort: Stuttgart
    gastgeber: stuttgart
    anwesend: [stuttgart, muenchen]
    tagesordnung:
      - titel: Testpapier verabschieden
        verantwortlich: stuttgart
        papiere: [testpapier]
      - titel: Verschiedenes
    ---

    ## TOP 1: Testpapier

    Text.

    Beschluss: Das Testpapier wird verabschiedet.
      Art: verabschiedung
      Papier: testpapier
      Version: 1.0
      Abstimmung: 2 dafür, 0 dagegen, 0 Enthaltungen

    Aufgabe: Papier versenden.
      Wer: stuttgart
      Bis: 2010-03-10

    ## TOP 2: Verschiedenes

    Nichts.
    """)

VERSIONS = """\
versions:
  - number: "1.0"
    date: 2010-03-04
    sitzung: 2010-03-04-stuttgart
"""


def session_project(root: Path, session: str = SESSION, paper: str = PAPER + VERSIONS,
                    extra: dict[str, str | bytes] | None = None) -> Path:
    """The minimal project with one released version adopted in one session."""
    return make_project(root, {PAPER_FILE: paper, SESSION_FILE: session, **(extra or {})})


def findings(root: Path, path: str = SESSION_FILE) -> list:
    return [d for d in check(load(root)) if d.path == path]


def test_a_valid_session_has_no_findings(tmp_path: Path) -> None:
    root = session_project(tmp_path)
    assert check(load(root)) == []
    session = load(root).sessions[0]
    assert session.heading == "Sitzung am 4. März 2010 in Stuttgart"
    assert [d.adopts for d in session.decisions] == [True]
    assert session.tasks[0].member == "stuttgart" and session.tasks[0].due == "2010-03-10"
    version = load(root).papers["testpapier"].versions[0]
    assert version.adopted_in is not None and version.adopted_in.phrase == "Sitzung am 4. März 2010 in Stuttgart"


def _replace(old: str, new: str):  # noqa: ANN202 - returns a function of the session text
    def change(text: str) -> str:
        assert old in text, old
        return text.replace(old, new, 1)
    return change


# (what is broken, change of the session file, code, severity, line, column or None)
BROKEN = [
    ("unbekanntes Mitglied bei Wer", _replace("  Wer: stuttgart", "  Wer: stutgart"), "R302", "error", 26, 8),
    ("unbekannter Gastgeber", _replace("gastgeber: stuttgart", "gastgeber: hamburg"), "R302", "error", 6, None),
    ("unbekanntes Papier im Beschluss", _replace("  Papier: testpapier", "  Papier: testpapir"),
     "R305", "error", 21, 11),
    ("unbekanntes Papier auf der Tagesordnung", _replace("[testpapier]", "[gibtsnicht]"), "R305", "error", 11, None),
    ("unbekannter Beitrag", _replace("    papiere: [testpapier]\n", "    papiere: [testpapier]\n    beitraege: "
                                     "[stuttgart--gibtsnicht]\n"), "R306", "error", 12, None),
    ("Frist vor der Sitzung", _replace("Bis: 2010-03-10", "Bis: 2010-02-10"), "R322", "error", 27, 8),
    ("Frist ist kein Datum", _replace("Bis: 2010-03-10", "Bis: 10.03.2010"), "R315", "error", 27, 8),
    ("Beschluss über eine Version, die es nicht gibt", _replace("Version: 1.0", "Version: 0.5"),
     "R320", "error", 22, 12),
    ("Beschluss über eine noch nicht freigegebene Version", _replace("Version: 1.0", "Version: 2.0"),
     "R320", "warning", 22, 12),
    ("unbekannte Art", _replace("Art: verabschiedung", "Art: verabschiedet"), "R312", "error", 20, 8),
    ("Verabschiedung ohne Version", _replace("  Version: 1.0\n", ""), "R313", "error", 19, 1),
    ("unbekannter Stand", _replace("  Bis: 2010-03-10\n", "  Bis: 2010-03-10\n  Stand: fertig\n"),
     "R316", "error", 28, 10),
    ("unbekannte Angabe", _replace("  Bis: 2010-03-10", "  Frist: 2010-03-10"), "R310", "error", 27, 3),
    ("Aufgabe ohne Wer", _replace("  Wer: stuttgart\n", ""), "R311", "error", 25, 1),
    ("unlesbares Abstimmungsergebnis", _replace("2 dafür, 0 dagegen, 0 Enthaltungen", "mehrheitlich"),
     "R314", "error", 23, 15),
    ("mehr Stimmen als Anwesende", _replace("2 dafür", "5 dafür"), "R321", "error", 23, 15),
    ("TOP nicht auf der Tagesordnung", _replace("## TOP 2:", "## TOP 3:"), "R318", "error", 29, 1),
    ("zweite Überschriftenebene ohne TOP", _replace("## TOP 2: Verschiedenes", "## Verschiedenes"),
     "R308", "error", 29, 1),
    ("Beschluss vor dem ersten TOP", _replace("## TOP 1: Testpapier", "Einleitung"), "R309", "error", 19, 1),
    ("Aufgabe, die nicht erkannt wird", _replace("Aufgabe: Papier", "**Aufgabe:** Papier"),
     "R307", "warning", 25, 1),
    ("Ende vor Beginn", _replace('ende: "15:00"', 'ende: "09:00"'), "R304", "error", 4, 1),
    ("keine Uhrzeit", _replace('beginn: "10:00"', 'beginn: "25:00"'), "R029", "error", 3, 1),
    ("weder Ort noch online", _replace("ort: Stuttgart\n", ""), "R303", "error", 1, 1),
    ("Datum passt nicht zum Dateinamen", _replace("datum: 2010-03-04", "datum: 2010-03-05"), "R301", "error", 2, 1),
    ("E-Mail-Adresse in den Ergebnissen", _replace("tagesordnung:", "ergebnisse: Fragen an info@example.org\n"
                                                   "tagesordnung:"), "R330", "error", 8, 1),
    ("TOP ohne Protokoll", _replace("## TOP 2: Verschiedenes\n\nNichts.\n", ""), "R319", "warning", 12, 5),
]


@pytest.mark.parametrize(("change", "code", "severity", "line", "column"),
                         [case[1:] for case in BROKEN], ids=[case[0] for case in BROKEN])
def test_every_broken_session_is_a_located_finding(tmp_path: Path, change, code: str, severity: str,
                                                   line: int, column: int | None) -> None:
    root = session_project(tmp_path, change(SESSION))
    found = [(d.code, d.severity, d.line, d.column) for d in findings(root)]
    matching = [f for f in found if f[0] == code and f[1] == severity and f[2] == line]
    assert matching, f"erwartet {code} ({severity}) in Zeile {line}, gefunden: {found}"
    if column is not None:
        assert matching[0][3] == column, found
    message = next(d for d in findings(root) if d.code == code)
    assert message.hint and "Traceback" not in message.message


PAPER_CASES = [
    ("Version nennt eine unbekannte Sitzung", "sitzung: 2010-03-04-stuttgart", "sitzung: 2010-03-05-stuttgart",
     "R323", "error"),
    ("Version nennt keine Sitzung", "    sitzung: 2010-03-04-stuttgart\n", "", "R324", "warning"),
]


@pytest.mark.parametrize(("old", "new", "code", "severity"), [c[1:] for c in PAPER_CASES],
                         ids=[c[0] for c in PAPER_CASES])
def test_versions_and_their_sessions_are_checked_in_paper_yml(tmp_path: Path, old: str, new: str, code: str,
                                                               severity: str) -> None:
    root = session_project(tmp_path, paper=PAPER + VERSIONS.replace(old, new))
    found = [(d.code, d.severity, d.line) for d in findings(root, PAPER_FILE)]
    version_line = (PAPER + VERSIONS).split("\n").index('  - number: "1.0"') + 1
    assert (code, severity, version_line) in found, found


def test_a_version_named_by_a_session_without_its_decision_is_a_warning(tmp_path: Path) -> None:
    session = SESSION.replace("  Art: verabschiedung\n", "")
    root = session_project(tmp_path, session)
    assert [(d.code, d.severity) for d in findings(root, PAPER_FILE)] == [("R326", "warning")]


def test_paper_yml_and_minutes_naming_different_sessions_is_an_error(tmp_path: Path) -> None:
    other = SESSION.replace("datum: 2010-03-04", "datum: 2010-04-01").replace("## TOP 1: Testpapier", "## TOP 1: X")
    root = session_project(tmp_path, extra={"contributions/sitzungen/2010-04-01-stuttgart.md": other})
    found = [(d.code, d.line) for d in findings(root, "contributions/sitzungen/2010-04-01-stuttgart.md")]
    assert ("R325", 22) in found


def test_a_released_version_without_session_warns_with_the_adopting_session(tmp_path: Path) -> None:
    root = session_project(tmp_path, paper=PAPER + VERSIONS.replace("    sitzung: 2010-03-04-stuttgart\n", ""))
    warning = next(d for d in findings(root, PAPER_FILE) if d.code == "R324")
    assert "sitzung: 2010-03-04-stuttgart" in warning.hint
    # The decision in the minutes still tells the version history where it was adopted.
    assert load(root).papers["testpapier"].versions[0].adopted_in.id == "2010-03-04-stuttgart"


# --- working material ---------------------------------------------------------------------------

MATERIAL = textwrap.dedent("""\
    material:
      - titel: Vortrag
        {target}
        quelle: stuttgart
        lizenz: CC-BY-4.0
        oeffentlich: ja
    """)


@pytest.mark.parametrize(("target", "files", "code"), [
    ("datei: material/vortrag.pdf", {"contributions/sitzungen/material/vortrag.pdf": b"%PDF-1.7\n"}, None),
    ("datei: material/tabelle.csv", {"contributions/sitzungen/material/tabelle.csv": "a;b\n1;2\n"}, None),
    ("link: https://www.example.org/vortrag", {}, None),
    ("datei: material/programm.exe", {"contributions/sitzungen/material/programm.exe": b"MZ\x90\x00"}, "R328"),
    ("datei: material/vortrag.pdf", {"contributions/sitzungen/material/vortrag.pdf": b"kein PDF"}, "R328"),
    ("datei: material/fehlt.pdf", {}, "R327"),
    ("datei: material/riesig.pdf", {"contributions/sitzungen/material/riesig.pdf": "sparse"}, "R329"),
], ids=["pdf", "csv", "link", "unbekannter-typ", "falscher-inhalt", "fehlt", "zu-gross"])
def test_material_files_are_checked(tmp_path: Path, target: str, files: dict, code: str | None) -> None:
    session = SESSION.replace("tagesordnung:", MATERIAL.format(target=target) + "tagesordnung:")
    sparse = [path for path, content in files.items() if content == "sparse"]
    root = session_project(tmp_path, session, extra={k: v for k, v in files.items() if v != "sparse"})
    for rel in sparse:
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("wb") as handle:  # 21 MB without writing them
            handle.write(b"%PDF-1.7\n")
            handle.truncate(21 * 1024 * 1024)
    found = [(d.code, d.line) for d in findings(root)]
    if code is None:
        assert found == []
    else:
        assert (code, 10) in found, found  # the line of "datei:"


def test_paper_material_is_checked_in_paper_yml(tmp_path: Path) -> None:
    paper = PAPER + VERSIONS + MATERIAL.format(target="datei: material/folien.key").replace("quelle: stuttgart",
                                                                                           "quelle: stutgart")
    root = session_project(tmp_path, paper=paper, extra={"contributions/testpapier/material/folien.key": b"PK"})
    codes = {d.code for d in findings(root, PAPER_FILE)}
    assert {"R302", "R328"} <= codes


# --- minutes syntax -----------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "expected"), [
    ("einstimmig", "einstimmig"),
    ("einstimmig bei 2 Enthaltungen", "einstimmig bei 2 Enthaltungen"),
    ("9 dafür, 0 dagegen, 1 Enthaltung", "9 dafür, 0 dagegen, 1 Enthaltung"),
    ("12 ja, 1 nein", "12 dafür, 1 dagegen, 0 Enthaltungen"),
    ("mit großer Mehrheit", None),
])
def test_votes_are_read_in_the_documented_forms(text: str, expected: str | None) -> None:
    votes = parse_votes(text)
    assert (votes.label if votes else None) == expected


def test_minutes_keep_text_decisions_and_tasks_in_order_and_skip_comments() -> None:
    body = ("<!-- Vorlage:\n## TOP 9: nicht echt\nBeschluss: nicht echt\n-->\n\n## TOP 1: Erster Punkt\n\n"
            "Einleitung.\n\nBeschluss: Erster Satz\n  und seine Fortsetzung.\n  Papier: p\n\nMehr Text.\n\n"
            "Aufgabe: Tun.\n  wer: stuttgart\n")
    minutes, problems = read_minutes(body, "x.md", 10)
    assert problems == []
    [section] = minutes.sections
    assert section.number == 1 and section.line == 15
    kinds = [type(part).__name__ for part in section.parts]
    assert kinds == ["TextPart", "Decision", "TextPart", "Task"]
    assert section.parts[1].text == "Erster Satz und seine Fortsetzung."
    assert section.parts[3].member == "stuttgart"  # keys are read regardless of case


# --- the open tasks -----------------------------------------------------------------------------

TASKS = textwrap.dedent("""\

    Aufgabe: Offen und überfällig.
      Wer: muenchen
      Bis: 2010-03-20

    Aufgabe: Offen mit Frist in der Zukunft.
      Wer: stuttgart
      Bis: 2099-12-31

    Aufgabe: Offen ohne Frist.
      Wer: stuttgart

    Aufgabe: Schon erledigt.
      Wer: stuttgart
      Bis: 2010-03-20
      Stand: erledigt

    Aufgabe: Entfallen.
      Wer: muenchen
      Stand: entfallen
    """)


def test_the_task_overview_lists_exactly_the_open_tasks(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = session_project(tmp_path, SESSION.replace("## TOP 2: Verschiedenes\n", "## TOP 2: Verschiedenes\n" + TASKS))
    corpus = load(root)
    assert check(corpus) == []
    tasks = open_tasks(corpus, today=dt.date(2011, 1, 1))
    # By member name, then due date; tasks without one last.
    assert [(t.member_id, t.text, t.overdue) for t in tasks] == [
        ("muenchen", "Offen und überfällig.", True),
        ("stuttgart", "Papier versenden.", True),
        ("stuttgart", "Offen mit Frist in der Zukunft.", False),
        ("stuttgart", "Offen ohne Frist.", False),
    ]

    assert main(["--root", str(root), "status", "--aufgaben"]) == 0
    out = capsys.readouterr().out
    assert "Offene Aufgaben (4, davon" in out
    for text in ("Papier versenden.", "Offen mit Frist in der Zukunft.", "Offen ohne Frist.",
                 "Offen und überfällig."):
        assert text in out
    assert "Schon erledigt" not in out and "Entfallen" not in out
    assert "ÜBERFÄLLIG Offen und überfällig." in out and "ÜBERFÄLLIG Offen ohne Frist" not in out


def test_demo_has_some_tasks_done_and_exactly_one_overdue() -> None:
    corpus = load(REPO)
    tasks = [t for s in corpus.sessions for t in s.tasks]
    assert sum(t.state == "erledigt" for t in tasks) >= 3
    assert [t.text for t in open_tasks(corpus) if t.overdue] == [
        "Zahlen zu Auszubildenden mit Migrationshintergrund 2005 bis 2010 nachliefern."]


# --- the calendar -------------------------------------------------------------------------------


def test_calendar_holds_every_session_at_its_local_time_in_berlin() -> None:
    from icalendar import Calendar

    from redaktion.render.ical import calendar

    corpus = load(REPO)
    data = calendar(corpus)
    assert data == calendar(corpus), "reproducible"
    parsed = Calendar.from_ical(data)
    assert [tz.get("tzid") for tz in parsed.walk("VTIMEZONE")] == ["Europe/Berlin"]
    events = {str(event["uid"]): event for event in parsed.walk("VEVENT")}
    assert len(events) == len(corpus.sessions) == 3
    berlin = ZoneInfo("Europe/Berlin")
    for session in corpus.sessions:
        event = next(e for uid, e in events.items() if uid.startswith(f"sitzung-{session.id}@"))
        start, end = event.decoded("dtstart"), event.decoded("dtend")
        day = dt.date.fromisoformat(session.date)
        expected = dt.datetime.combine(day, dt.time.fromisoformat(session.start), berlin)
        assert start == expected and start.tzinfo.key == "Europe/Berlin"
        assert end == dt.datetime.combine(day, dt.time.fromisoformat(session.end), berlin)
        assert "TOP 1:" in str(event["description"])
    # Winter and summer: 10:00 CET is 09:00 UTC, 14:00 CEST is 12:00 UTC.
    assert events["sitzung-2009-12-10-stuttgart@qualitaetszirkel.example.org"].decoded("dtstart").astimezone(
        dt.timezone.utc).hour == 9
    assert events["sitzung-2010-06-17-online@qualitaetszirkel.example.org"].decoded("dtstart").astimezone(
        dt.timezone.utc).hour == 12
    text = data.decode("utf-8")
    assert "DTSTART;TZID=Europe/Berlin:20100617T140000" in text
    assert "BEGIN:DAYLIGHT" in text and "BEGIN:STANDARD" in text


# --- the sheet and the public listing -----------------------------------------------------------


def test_demo_sessions_resolve_names_links_and_public_listing() -> None:
    corpus = load(REPO)
    sheets = {s.id: session_sheet(corpus, s) for s in corpus.sessions}
    stuttgart = sheets["2009-12-10-stuttgart"]
    assert stuttgart.host == "Landeshauptstadt Stuttgart" and stuttgart.guests == 2
    assert [a.paper for a in stuttgart.adopted] == ["bildungsmanagement"]
    assert stuttgart.listed_publicly and sheets["2010-11-25-hannover"].listed_publicly
    assert not sheets["2010-06-17-online"].listed_publicly  # no summary, no public material, no adoption
    links = stuttgart.agenda[2].links
    assert [link.kind for link in links] == ["papier", "beitrag"] and links[1].anchor


# --- redaktion new --sitzung and release --sitzung ---------------------------------------------------


def test_new_session_file_passes_check(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))  # no terminal: nothing is asked
    root = make_project(tmp_path)
    assert main(["--root", str(root), "new", "--sitzung", "2011-03-24", "--ort", "Tübingen",
                 "--gastgeber", "stuttgart"]) == 0
    path = root / "contributions/sitzungen/2011-03-24-tuebingen.md"
    assert path.is_file() and "ort: Tübingen" in path.read_text(encoding="utf-8")
    assert [d for d in check(load(root)) if d.severity == "error"] == []
    session = load(root).sessions[0]
    assert session.minutes == () and len(session.agenda) == 2  # the guide in the comment is no minutes
    capsys.readouterr()
    assert main(["--root", str(root), "new", "--sitzung", "2011-03-24", "--ort", "Tübingen",
                 "--gastgeber", "stuttgart"]) == 2
    assert "gibt es schon" in capsys.readouterr().err
    assert main(["--root", str(root), "new", "--sitzung", "2011-06-16", "--online", "--gastgeber", "stutgart"]) == 2
    assert "Meinten Sie „stuttgart“?" in capsys.readouterr().err


def test_release_names_the_session_from_the_minutes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pytest.importorskip("redaktion.render.pdf")
    root = session_project(tmp_path, paper=PAPER)  # version 1.0 not released yet: a warning only
    assert [(d.code, d.severity) for d in findings(root)] == [("R320", "warning")]
    assert main(["--root", str(root), "release", "testpapier", "1.0", "--date", "2010-03-04",
                 "--sitzung", "2010-03-05-stuttgart"]) == 2
    assert "Meinten Sie „2010-03-04-stuttgart“?" in capsys.readouterr().err
    assert main(["--root", str(root), "release", "testpapier", "1.0", "--date", "2010-03-04"]) == 0
    assert "Verabschiedet in der Sitzung 2010-03-04-stuttgart" in capsys.readouterr().out
    text = (root / PAPER_FILE).read_text(encoding="utf-8")
    assert "    sitzung: 2010-03-04-stuttgart\n" in text
    assert check(load(root)) == []
