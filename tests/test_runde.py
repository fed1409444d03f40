"""A consultation round end to end in a git repository, with real pandoc, Typst, Word XML and git.

Draft 0.9 is released and a round opened; its DOCX goes to a member who reviews it the way Word
does (tracked insertions and deletions in two paragraphs, a comment on a third); a second
member comments in Markdown by a line of the round's PDF. Every comment is decided, the
Abwägungstabelle lists them, ``apply`` writes the accepted wording, the Synopse 0.9 → 1.0 names
the comments, and version 1.0 can be released only once the last comment is decided.
"""

from __future__ import annotations

import csv
import io
import re
import subprocess
import zipfile
from pathlib import Path

import pytest
from projects import MEMBERS, PUBLISHER, copy_site_config
from wordreview import ReviewedCopy

from redaktion.check.corpus import check
from redaktion.cli.main import main
from redaktion.source.comments import load_index, resolve
from redaktion.source.load import load

PAPER = "testpapier"
FOLDER = Path("contributions") / PAPER
ROUND_DIR = FOLDER / "kommentare" / "runde-1"
REVIEWER, AUTHOR_DATE = "Eva Mustermann", "2010-01-20T10:30:00Z"

PAPER_YML = """\
id: testpapier
title: Testpapier Bildung
kind: positionspapier
status: abstimmung
date: 2010-01-01
license: CC-BY-4.0
outline:
  - id: grundlagen
    title: Grundlagen
  - id: empfehlungen
    title: Empfehlungen
"""

CONTRIBUTIONS = {
    "stuttgart--grundsatz.md": ("grundlagen", "text", "Bildung als kommunale Aufgabe", "stuttgart", """\
Bildung ist eine Gemeinschaftsaufgabe von Land und Kommune. Die Städte tragen Verantwortung für Schulgebäude, \
Kitas und die Übergänge zwischen ihnen.

Ein kommunales Bildungsbüro bündelt die Angebote und berät Familien. Es arbeitet mit Schulen, Kitas und \
Migrantenorganisationen zusammen.

Daten über Bildungswege zeigen, wo Unterstützung fehlt. Sie sollten jährlich veröffentlicht werden.
"""),
    "muenchen--elternlotsen.md": ("grundlagen", "praxisbeispiel", "Elternlotsen in München", "muenchen", """\
Geschulte Elternlotsinnen begleiten Familien beim Übergang in die Grundschule. Sie sprechen die Sprachen der \
Familien.

Die Lotsinnen werden für ihre Arbeit bezahlt:

- eine Aufwandsentschädigung je Einsatz,
- Fortbildungen zweimal im Jahr.
"""),
    "stuttgart--empfehlung-monitoring.md": ("empfehlungen", "empfehlung", "Bildungsmonitoring aufbauen", "stuttgart",
                                            """\
Städte und Kreise sollten ein Bildungsmonitoring aufbauen, das Übergänge sichtbar macht.

Das Monitoring braucht eine feste Stelle in der Verwaltung.
"""),
}


def _contribution(section: str, kind: str, title: str, member: str, body: str, order: int) -> str:
    return (f"---\npaper: {PAPER}\nsection: {section}\nkind: {kind}\ntitle: {title}\nmembers: [{member}]\n"
            f"submitted: 2009-11-24\nstatus: angenommen\norder: {order}\n---\n\n{body}")


def git(root: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=root, capture_output=True, text=True, check=True).stdout.strip()


def run(root: Path, *args: str) -> int:
    return main(["--root", str(root), *args])


def commit_all(root: Path, message: str) -> None:
    git(root, "add", "-A")
    git(root, "commit", "--quiet", "-m", message)


def set_decision(path: Path, decision: str, answer: str = "", wording: str = "") -> None:
    text = path.read_text(encoding="utf-8")
    extra = f"entscheidung: {decision}\nentschieden_am: 2010-02-20\n"
    if answer:
        extra += f"antwort: {answer}\n"
    if wording:
        extra += f"fassung: {wording}\n"
    text = re.sub(r"^entscheidung: offen\n", "", text, flags=re.MULTILINE)
    path.write_text(text.replace("\n---\n", "\n" + extra + "---\n", 1), encoding="utf-8")


@pytest.fixture(scope="module")
def scenario(tmp_path_factory: pytest.TempPathFactory) -> dict:
    pytest.importorskip("redaktion.render.pdf")
    root = tmp_path_factory.mktemp("runde")
    files = {"contributions/members.yml": MEMBERS, "contributions/zirkel.yml": PUBLISHER,
             f"{FOLDER}/paper.yml": PAPER_YML, ".gitignore": "/build/\n"}
    files |= {f"{FOLDER}/{name}": _contribution(*spec, order) for order, (name, spec) in
              enumerate(CONTRIBUTIONS.items(), start=1)}
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, encoding="utf-8")
    copy_site_config(root)
    git(root, "init", "--quiet", "--initial-branch=main")
    for key, value in (("user.name", "Redaktion Test"), ("user.email", "redaktion@example.org"),
                       ("commit.gpgsign", "false"), ("tag.gpgsign", "false")):
        git(root, "config", key, value)
    commit_all(root, "Papier")

    assert run(root, "release", PAPER, "0.9", "--date", "2010-01-10") == 0
    assert run(root, "runde", PAPER, "eroeffnen", "--bis", "2010-02-15", "--date", "2010-01-15") == 0
    index = load_index(root, PAPER, "runde-1")
    labels = {p.id: p.label for p in index.paragraphs}

    # The member's reviewed copy of the round's DOCX, written the way Word writes it.
    docx = root / "build" / "runden" / PAPER / "runde-1" / f"{PAPER}-0.9-runde-1.docx"
    review = ReviewedCopy(docx.read_bytes())
    review.replace(review.bookmarked("Absatz_B1_2"), "bündelt", "koordiniert", REVIEWER, AUTHOR_DATE)
    review.replace(review.bookmarked("Absatz_B1_2"), " Es arbeitet", " Es arbeitet eng", REVIEWER, AUTHOR_DATE)
    review.insert_after(review.bookmarked("Absatz_B2_1"), "Grundschule.", " Auch beim Wechsel in die "
                        "weiterführende Schule helfen sie.", REVIEWER, AUTHOR_DATE)
    review.comment(review.bookmarked("Absatz_B3_1"), "Übergänge in den Beruf gehören auch dazu.", REVIEWER,
                   "2010-01-21T08:00:00Z")
    reviewed = root.parent / "geprueft.docx"
    reviewed.write_bytes(review.save())
    assert run(root, "import-review", str(reviewed), "--paper", PAPER, "--runde", "runde-1",
               "--member", "muenchen") == 0

    # The second member comments in Markdown by a line of the round's PDF.
    target = index.by_label("B1.3")
    line_comment = root / ROUND_DIR / "stuttgart--daten.md"
    line_comment.write_text(
        f"---\nstelle: Z. {target.last_line}\nart: aenderung\nvorschlag: >-\n  Daten über Bildungswege zeigen, "
        "wo Unterstützung fehlt. Sie sollten jedes Jahr in einem Bildungsbericht veröffentlicht werden.\n---\n\n"
        "Ein Bericht macht die Zahlen verständlich.\n", encoding="utf-8")
    commit_all(root, "Kommentare")
    assert run(root, "runde", PAPER, "schliessen", "--date", "2010-02-16") == 0
    return {"root": root, "index": index, "labels": labels, "line": target.last_line}


def comment_files(root: Path) -> dict[str, Path]:
    return {p.name: p for p in sorted((root / ROUND_DIR).glob("*.md"))}


# --- the round --------------------------------------------------------------------------------


def margin_words(pdf: Path) -> list[tuple[int, float, str]]:
    """(page, vertical centre, text) of every word left of the text column (line and paragraph numbers)."""
    xml = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    words = []
    for page, content in enumerate(re.split(r"<page [^>]*>", xml)[1:], start=1):
        for x_min, y_min, _, y_max, text in re.findall(
                r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>', content):
            if float(x_min) < 60:  # the text column starts at 2.6 cm (74 pt)
                words.append((page, (float(y_min) + float(y_max)) / 2, text))
    return words


def test_opening_the_round_freezes_numbered_pdf_and_docx_and_commits(scenario: dict) -> None:
    root = scenario["root"]
    pdf = root / "build" / "runden" / PAPER / "runde-1" / f"{PAPER}-0.9-runde-1.pdf"
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "ENTWURF" in text and "Version 0.9 vom 10. Januar 2010 zur Kommentierung" in text
    margin = margin_words(pdf)
    for paragraph in scenario["index"].paragraphs:
        # The paragraph number stands in the margin beside the number of the paragraph's first line.
        page, centre = next((page, y) for page, y, word in margin if word == paragraph.label)
        beside = [word for p, y, word in margin if p == page and word.isdigit() and abs(y - centre) < 3]
        assert beside == [str(paragraph.first_line)], paragraph.label
    docx = zipfile.ZipFile(pdf.with_suffix(".docx")).read("word/document.xml").decode("utf-8")
    assert re.findall(r'w:name="(Absatz_[^"]+)"', docx) == [f"Absatz_{p.label.replace('.', '_')}"
                                                            for p in scenario["index"].paragraphs]
    log = git(root, "log", "--format=%s", "-3")
    assert "Kommentierungsrunde runde-1 zu testpapier 0.9 eröffnet" in log
    paper = load(root).papers[PAPER]
    assert paper.round("runde-1").version == "0.9" and paper.round("runde-1").state == "geschlossen"


def test_line_map_covers_every_paragraph_in_order(scenario: dict) -> None:
    index = scenario["index"]
    lines = [(p.first_line, p.last_line) for p in index.paragraphs]
    assert all(1 <= first <= last <= index.lines for first, last in lines)
    assert all(a[1] < b[0] for a, b in zip(lines, lines[1:]))  # no line belongs to two paragraphs
    assert [p.label for p in index.paragraphs] == ["B1.1", "B1.2", "B1.3", "B2.1", "B2.2", "B2.3", "B3.1", "B3.2"]


def test_word_review_becomes_three_comments_on_exactly_those_paragraphs(scenario: dict) -> None:
    corpus = load(scenario["root"])
    imported = [c for c in corpus.comments if c.member == "muenchen"]
    placed = {(c.kind, c.stelle) for c in imported}
    assert placed == {("aenderung", "B1.2"), ("aenderung", "B2.1"), ("anmerkung", "B3.1")}
    by_place = {c.stelle: c for c in imported}
    assert by_place["B1.2"].proposal == ("Ein kommunales Bildungsbüro koordiniert die Angebote und berät Familien. "
                                         "Es arbeitet eng mit Schulen, Kitas und Migrantenorganisationen zusammen.")
    assert by_place["B2.1"].proposal.endswith("in die Grundschule. Auch beim Wechsel in die weiterführende Schule "
                                              "helfen sie. Sie sprechen die Sprachen der Familien.")
    assert by_place["B3.1"].reason == "Übergänge in den Beruf gehören auch dazu."
    assert all(c.author == REVIEWER for c in imported)
    assert by_place["B1.2"].date == AUTHOR_DATE and by_place["B3.1"].date == "2010-01-21T08:00:00Z"


def test_comment_by_line_number_resolves_to_its_paragraph(scenario: dict) -> None:
    corpus = load(scenario["root"])
    comment = next(c for c in corpus.comments if c.member == "stuttgart")
    place = resolve(comment.stelle, scenario["index"])
    assert comment.stelle == f"Z. {scenario['line']}" and place.paragraph.label == "B1.3"
    assert not [d for d in check(corpus) if d.severity == "error"]


# --- decisions, table, apply, release, Synopse --------------------------------------------------


@pytest.fixture(scope="module")
def decided(scenario: dict) -> dict:
    root = scenario["root"]
    files = comment_files(root)
    set_decision(files["muenchen--word-b1-2-aenderung.md"], "uebernommen")
    set_decision(files["muenchen--word-b2-1-aenderung.md"], "nicht-uebernommen",
                 "Der Wechsel in die weiterführende Schule gehört nicht zum Projekt.")
    set_decision(files["muenchen--word-b3-1-anmerkung.md"], "erledigt", "Wird in Version 1.1 aufgegriffen.")
    commit_all(root, "Drei Entscheidungen")
    refused = run(root, "release", PAPER, "1.0", "--date", "2010-03-01")
    set_decision(files["stuttgart--daten.md"], "teilweise", "Ohne festen Termin.",
                 "Daten über Bildungswege zeigen, wo Unterstützung fehlt. Sie sollten regelmäßig in einem "
                 "Bildungsbericht veröffentlicht werden.")
    before = {p.name: p.read_text(encoding="utf-8") for p in (root / FOLDER).glob("*.md")}
    applied = run(root, "apply", PAPER, "runde-1")
    after = {p.name: p.read_text(encoding="utf-8") for p in (root / FOLDER).glob("*.md")}
    commit_all(root, "Entscheidungen übernommen")
    released = run(root, "release", PAPER, "1.0", "--date", "2010-03-01")
    return {"root": root, "refused": refused, "applied": applied, "released": released, "before": before,
            "after": after}


def test_release_is_refused_until_the_last_decision(decided: dict) -> None:
    assert decided["refused"] == 1
    assert decided["released"] == 0
    assert git(decided["root"], "tag", "--list").split() == [f"{PAPER}/v0.9", f"{PAPER}/v1.0"]


def test_apply_changes_exactly_the_accepted_wording(decided: dict) -> None:
    assert decided["applied"] == 0
    before, after = decided["before"], decided["after"]
    assert after["muenchen--elternlotsen.md"] == before["muenchen--elternlotsen.md"]  # not accepted
    assert after["stuttgart--empfehlung-monitoring.md"] == before["stuttgart--empfehlung-monitoring.md"]
    old, new = before["stuttgart--grundsatz.md"].split("\n"), after["stuttgart--grundsatz.md"].split("\n")
    changed = [(a, b) for a, b in zip(old, new) if a != b]
    assert len(old) == len(new) and len(changed) == 2
    assert changed[0][1] == ("Ein kommunales Bildungsbüro koordiniert die Angebote und berät Familien. Es arbeitet "
                             "eng mit Schulen, Kitas und Migrantenorganisationen zusammen.")
    assert changed[1][1] == ("Daten über Bildungswege zeigen, wo Unterstützung fehlt. Sie sollten regelmäßig in "
                             "einem Bildungsbericht veröffentlicht werden.")
    # Applying again changes nothing: the wording is in place.
    assert run(decided["root"], "apply", PAPER, "runde-1") == 0
    assert (decided["root"] / FOLDER / "stuttgart--grundsatz.md").read_text(encoding="utf-8") == \
        after["stuttgart--grundsatz.md"]


def test_synopse_attributes_the_changes_to_the_comments(decided: dict) -> None:
    from redaktion.workflow.diff import synopse_for

    synopse, _ = synopse_for(decided["root"], PAPER, "0.9", "1.0")
    changes = {e.key: e.comments for e in synopse.changes}
    assert set(changes) == {"stuttgart--grundsatz"}
    sources = changes["stuttgart--grundsatz"]
    assert len(sources) == 2
    assert any("Landeshauptstadt München, Änderung zu B1.2, übernommen" in s for s in sources)
    assert any("Landeshauptstadt Stuttgart, Änderung zu B1.3, teilweise übernommen" in s for s in sources)
    assert run(decided["root"], "diff", PAPER, "0.9", "1.0") == 0
    html = (decided["root"] / "build" / "synopse" / f"{PAPER}-0.9-1.0.html").read_text(encoding="utf-8")
    assert "Aus der Kommentierung:" in html and "Änderung zu B1.2" in html


@pytest.fixture(scope="module")
def table(decided: dict) -> dict:
    root = decided["root"]
    assert run(root, "runde", PAPER, "abwaegung", "runde-1", "--date", "2010-02-20") == 0
    folder = root / "build" / "runden" / PAPER / "runde-1"
    return {kind: folder / f"abwaegung-{PAPER}-runde-1.{kind}" for kind in ("html", "pdf", "docx", "csv")}


ROWS = [("B1.2", "Landeshauptstadt München", "Übernommen"), ("B1.3", "Landeshauptstadt Stuttgart", "Teilweise übernommen"),
        ("B2.1", "Landeshauptstadt München", "Nicht übernommen"), ("B3.1", "Landeshauptstadt München", "Erledigt")]


def test_table_csv_lists_all_four_in_document_order(table: dict) -> None:
    raw = table["csv"].read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    assert [(r["Absatz"], r["Mitglied"], r["Entscheidung"]) for r in rows] == ROWS
    assert rows[2]["Antwort der Redaktion"] == "Der Wechsel in die weiterführende Schule gehört nicht zum Projekt."
    assert rows[0]["Vorgeschlagener Wortlaut"].startswith("Ein kommunales Bildungsbüro koordiniert")


def test_table_pdf_is_landscape_pdfua_and_lists_all_four(table: dict) -> None:
    pikepdf = pytest.importorskip("pikepdf")
    from pdfua import validate

    text = subprocess.run(["pdftotext", str(table["pdf"]), "-"], capture_output=True, text=True, check=True).stdout
    flat = " ".join(text.split())
    for label, member, decision in ROWS:
        assert label in flat and decision in flat
    assert "Antwort der Redaktion" in flat and "Teilweise übernommen: 1" in flat
    with pikepdf.open(table["pdf"]) as pdf:
        box = [float(v) for v in pdf.pages[0].MediaBox]
        assert box[2] > box[3]  # landscape
        assert pdf.open_metadata()["pdfuaid:part"] == "1"
    report = validate(str(table["pdf"]))
    assert report.findings == ()


def test_table_docx_and_html_list_all_four(table: dict) -> None:
    from docx import Document

    document = Document(str(table["docx"]))
    grid = document.tables[0]
    header = [c.text for c in grid.rows[0].cells]
    assert header == ["Nr.", "Stelle", "Mitglied", "Art", "Vorschlag", "Begründung", "Entscheidung",
                      "Antwort der Redaktion"]
    assert grid.rows[0]._tr.trPr.xpath("./w:tblHeader")  # repeated on every page
    body = [[c.text for c in row.cells] for row in grid.rows[1:]]
    assert [(r[1].split("\n")[-1].split(",")[0], r[2].split("\n")[0], r[6].split("\n")[0]) for r in body] == ROWS
    section = document.sections[0]
    assert section.page_width > section.page_height
    html = table["html"].read_text(encoding="utf-8")
    rows = re.findall(r'<tr id="runde-1-kommentar-(\d+)"[^>]*data-entscheidung="([a-z-]+)"', html)
    assert rows == [("1", "uebernommen"), ("2", "teilweise"), ("3", "nicht-uebernommen"), ("4", "erledigt")]
    assert '<ins><span class="vh">Einfügung: </span>koordiniert' in html


# --- check rules --------------------------------------------------------------------------------


def _codes(root: Path) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for d in check(load(root)):
        found.setdefault(d.path.rsplit("/", 1)[-1], []).append(d.code)
    return found


def test_check_reports_every_broken_comment(scenario: dict, tmp_path: Path) -> None:
    import shutil

    root = tmp_path / "kopie"
    shutil.copytree(scenario["root"], root, ignore=shutil.ignore_patterns("build", ".git"))
    folder = root / ROUND_DIR
    paper_yml = root / FOLDER / "paper.yml"
    paper_yml.write_text(paper_yml.read_text(encoding="utf-8").replace("status: geschlossen", "status: offen")
                         .replace("    geschlossen: 2010-02-16\n", ""), encoding="utf-8")
    index = load_index(root, PAPER, "runde-1")
    cases = {
        "stuttgart--unbekannt.md": "stelle: B9.1\nart: anmerkung",
        "stuttgart--zu-weit.md": f"stelle: Z. {index.lines + 5}\nart: anmerkung",
        "stuttgart--ohne-begruendung.md": "stelle: B1.1\nart: anmerkung\nentscheidung: nicht-uebernommen\n"
                                          "entschieden_am: 2010-02-20",
        "stuttgart--veraendert.md": "stelle: B3.2\nart: aenderung\nvorschlag: Neuer Wortlaut.",
        "stuttgart--ohne-vorschlag.md": "stelle: B1.1\nart: aenderung",
        "stuttgart--gesamt.md": "stelle: gesamt\nart: streichung",
        "niemand--kommentar.md": "stelle: B1.1\nart: anmerkung",
    }
    for name, front in cases.items():
        (folder / name).write_text(f"---\n{front}\n---\n\nBegründung.\n", encoding="utf-8")
    monitoring = root / FOLDER / "stuttgart--empfehlung-monitoring.md"
    monitoring.write_text(monitoring.read_text(encoding="utf-8").replace("feste Stelle", "eigene Stelle"),
                          encoding="utf-8")
    heading_line = index.by_label("B1.1").first_line - 1
    (folder / "stuttgart--ueberschrift.md").write_text(f"---\nstelle: {heading_line}\nart: anmerkung\n---\n\nx\n",
                                                       encoding="utf-8")
    (root / FOLDER / "kommentare" / "runde-9").mkdir()
    (root / FOLDER / "kommentare" / "runde-9" / "stuttgart--x.md").write_text("---\nstelle: B1.1\nart: anmerkung\n"
                                                                                "---\n\nx\n", encoding="utf-8")
    found = _codes(root)
    assert found["stuttgart--unbekannt.md"] == ["R203"]
    assert found["stuttgart--zu-weit.md"] == ["R204"]
    assert found["stuttgart--ueberschrift.md"] == ["R204"]
    assert found["stuttgart--ohne-begruendung.md"] == ["R206"]
    assert found["stuttgart--veraendert.md"] == ["R208"]
    assert found["stuttgart--ohne-vorschlag.md"] == ["R205"]
    assert found["stuttgart--gesamt.md"] == ["R211"]
    assert found["niemand--kommentar.md"] == ["R202"]
    assert "R201" in found[""]  # the stray folder (its path ends with a slash)
    messages = {d.code: d for d in check(load(root)) if d.path.endswith("stuttgart--zu-weit.md")
                or d.path.endswith("stuttgart--veraendert.md")}
    assert f"(es hat {index.lines} Zeilen)" in messages["R204"].message
    assert messages["R208"].severity == "warning" and "seit der Runde geändert" in messages["R208"].message
    assert messages["R208"].line == 2  # located at stelle:


def test_round_index_missing_and_unknown_version_are_errors(scenario: dict, tmp_path: Path) -> None:
    import shutil

    root = tmp_path / "kopie"
    shutil.copytree(scenario["root"], root, ignore=shutil.ignore_patterns("build", ".git"))
    (root / ROUND_DIR / "runde.json").unlink()
    paper_yml = root / FOLDER / "paper.yml"
    paper_yml.write_text(paper_yml.read_text(encoding="utf-8").replace('version: "0.9"', 'version: "0.7"'),
                         encoding="utf-8")
    codes = [d.code for d in check(load(root)) if d.path.endswith("paper.yml")]
    assert "R212" in codes and "R209" in codes


# --- import without bookmarks -------------------------------------------------------------------


def test_copy_without_bookmarks_is_matched_by_similarity_and_reported(scenario: dict, tmp_path: Path,
                                                                      capsys: pytest.CaptureFixture[str]) -> None:
    import shutil

    root = tmp_path / "kopie"
    shutil.copytree(scenario["root"], root, ignore=shutil.ignore_patterns(".git"))
    docx = root / "build" / "runden" / PAPER / "runde-1" / f"{PAPER}-0.9-runde-1.docx"
    review = ReviewedCopy(docx.read_bytes())
    review.remove_bookmarks()
    review.replace(review.containing("Das Monitoring braucht"), "feste", "dauerhafte", REVIEWER, AUTHOR_DATE)
    review.comment(review.containing("Bildung ist eine"), "Bitte das Land nennen.", REVIEWER, AUTHOR_DATE)
    review.comment(review.containing("Herausgeber"), "Wer ist das?", REVIEWER, AUTHOR_DATE)  # the imprint
    copy = tmp_path / "abgetippt.docx"
    copy.write_bytes(review.save())
    capsys.readouterr()
    assert run(root, "import-review", str(copy), "--paper", PAPER, "--runde", "runde-1", "--member", "stuttgart") == 0
    out = capsys.readouterr().out
    assert "Textähnlichkeit" in out and "ohne Textmarke zugeordnet" in out
    assert "Nicht übernommen:" in out and "ließ sich keinem Absatz der Runde zuordnen" in out
    created = {c.stelle: c for c in load(root).comments if c.member == "stuttgart" and "Textähnlichkeit" in c.source}
    assert set(created) == {"B3.2", "B1.1"}
    assert created["B3.2"].proposal == "Das Monitoring braucht eine dauerhafte Stelle in der Verwaltung."


def test_import_review_refuses_unknown_round(scenario: dict, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(scenario["root"], "import-review", "x.docx", "--paper", PAPER, "--runde", "runde-2",
               "--member", "muenchen") == 2
    err = capsys.readouterr().err
    assert "Fehler" in err and "Traceback" not in err


# --- status, new ------------------------------------------------------------------------------------


def test_status_shows_open_comments_by_member_and_section(scenario: dict, capsys: pytest.CaptureFixture[str],
                                                          tmp_path: Path) -> None:
    import shutil

    root = tmp_path / "kopie"
    shutil.copytree(scenario["root"], root, ignore=shutil.ignore_patterns("build", ".git"))
    for path in (root / ROUND_DIR).glob("*.md"):
        text = path.read_text(encoding="utf-8")
        path.write_text(re.sub(r"^(entscheidung|entschieden_am|antwort|fassung): .*\n", "", text, flags=re.MULTILINE),
                        encoding="utf-8")
    capsys.readouterr()
    assert run(root, "status", PAPER) == 0
    out = capsys.readouterr().out
    assert "Kommentierungsrunde runde-1 zu Version 0.9" in out
    assert "nach Mitglied: Landeshauptstadt München 3, Landeshauptstadt Stuttgart 1" in out
    assert "nach Abschnitt: 1 Grundlagen 3, 2 Empfehlungen 1" in out


def test_new_creates_a_comment_with_the_rounds_wording(tmp_path: Path, scenario: dict,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    import shutil

    root = tmp_path / "kopie"
    shutil.copytree(scenario["root"], root, ignore=shutil.ignore_patterns("build", ".git"))
    paper_yml = root / FOLDER / "paper.yml"
    paper_yml.write_text(paper_yml.read_text(encoding="utf-8").replace("status: geschlossen", "status: offen")
                         .replace("    geschlossen: 2010-02-16\n", ""), encoding="utf-8")
    assert run(root, "new", "--runde", "runde-1", "--paper", PAPER, "--member", "stuttgart", "--stelle", "B3.2",
               "--art", "aenderung") == 0
    path = root / ROUND_DIR / "stuttgart--absatz-b3-2.md"
    text = path.read_text(encoding="utf-8")
    assert "stelle: B3.2\nart: aenderung" in text and "Das Monitoring braucht eine feste Stelle" in text
    comment = next(c for c in load(root).comments if c.path == path)
    assert comment.kind == "aenderung" and comment.decision == "offen"
    assert run(root, "new", "--runde", "runde-1", "--paper", PAPER, "--member", "stuttgart", "--stelle", "B7.7",
               "--art", "anmerkung") == 2
    assert "Den Absatz B7.7 gibt es im Entwurf der Runde nicht." in capsys.readouterr().err


def test_comments_of_the_round_are_in_no_public_output(decided: dict, tmp_path: Path) -> None:
    import shutil

    root = tmp_path / "kopie"
    shutil.copytree(decided["root"], root, ignore=shutil.ignore_patterns("build", ".git"))
    paper_yml = root / FOLDER / "paper.yml"
    paper_yml.write_text(paper_yml.read_text(encoding="utf-8").replace("status: abstimmung", "status: final"),
                         encoding="utf-8")
    assert run(root, "build") == 0
    reasons = [c.reason for c in load(root).comments] + [c.answer for c in load(root).comments if c.answer]
    texts = []
    for path in (root / "build").rglob("*"):
        if path.is_file() and ".cache" not in path.parts:
            data = path.read_bytes()
            if path.suffix == ".docx":
                data = zipfile.ZipFile(path).read("word/document.xml")
            elif path.suffix == ".pdf":
                data = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, check=True).stdout
            texts.append(" ".join(data.decode("utf-8", "replace").split()))
    assert len(texts) > 10
    for reason in reasons:
        assert not any(reason in text for text in texts), reason
    public = (root / "build" / "pdf" / f"{PAPER}.pdf")
    assert "B1.2" not in subprocess.run(["pdftotext", str(public), "-"], capture_output=True, text=True).stdout


def test_table_header_row_repeats_on_every_page_of_the_pdf(tmp_path: Path) -> None:
    from projects import REPO

    from redaktion.assemble.abwaegung import abwaegung
    from redaktion.render.abwaegung import render_pdf

    path = tmp_path / "abwaegung.pdf"
    path.write_bytes(render_pdf(abwaegung(load(REPO), "engagement-partizipation", "runde-1"), "2010-10-27"))
    pages = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout.split("\f")
    pages = [page for page in pages if page.strip()]
    assert len(pages) >= 2
    assert all("Antwort der Redaktion" in page and "Vorschlag" in page for page in pages)
