"""`redaktion check`: every broken or hostile input gives a located German error, never a traceback."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from projects import REPO, contribution, make_project
from redaktion.source import fields
from redaktion.check.corpus import check
from redaktion.cli.main import main
from redaktion.source.load import load
from redaktion.model import (
    AUTHOR_FIELDS,
    CONTRIBUTION_FIELDS,
    HASH_PATTERN,
    MATERIAL_PATH_PATTERN,
    MEMBER_FIELDS,
    PAPER_FIELDS,
    PUBLISHER_FIELDS,
    SESSION_ID_PATTERN,
    SLUG_PATTERN,
    VERSION_PATTERN,
    FieldSpec,
    Position,
)

PAPER_DIR = "contributions/testpapier"


def run_check(root: Path, capsys: pytest.CaptureFixture[str], *extra: str) -> tuple[int, str]:
    code = main(["--root", str(root), "check", *extra])
    captured = capsys.readouterr()
    output = captured.out + captured.err
    assert "Traceback" not in output
    return code, output


def test_demo_passes_check(capsys: pytest.CaptureFixture[str]) -> None:
    code, output = run_check(REPO, capsys)
    assert code == 0, output
    assert "Fehler R" not in output


def test_three_problems_reported_together_with_lines(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    make_project(tmp_path, {
        f"{PAPER_DIR}/stuttgart--kaputt.md": "---\npaper: testpapier\ntitle: [unclosed\n---\nText\n",
        f"{PAPER_DIR}/stuttgart--fremd.md": contribution(members="[stuttgart, atlantis]", title="Fremd"),
        f"{PAPER_DIR}/muenchen--abschnitt.md": contribution(members="[muenchen]", section="grundlagenn",
                                                            title="Abschnitt"),
    })
    code, output = run_check(tmp_path, capsys)
    assert code == 1
    assert f"{PAPER_DIR}/stuttgart--kaputt.md:3:17: Fehler R002: Die YAML-Angaben sind fehlerhaft: eine eckige Klammer" in output
    assert f"{PAPER_DIR}/stuttgart--fremd.md:6:1: Fehler R041: Unbekanntes Mitglied „atlantis“" in output
    assert f"{PAPER_DIR}/muenchen--abschnitt.md:3:1: Fehler R043" in output
    assert "Meinten Sie „grundlagen“?" in output
    assert "3 Fehler" in output


BROKEN_CASES = {
    # name: (file content, expected code, expected line)
    "duplicate key": (contribution(title="Eins") .replace("kind: text", "kind: text\nkind: text"), "R003", 5),
    "tab indentation": ("---\npaper: testpapier\n\tsection: grundlagen\n---\nText\n", "R005", 3),
    "missing front matter": ("Nur Text ohne Kopfbereich.\n", "R001", 1),
    "unterminated front matter": ("---\npaper: testpapier\nsection: grundlagen\n\nText\n", "R001", 1),
    "german date": (contribution(submitted="24.11.2009"), "R027", 7),
    "misspelled field": (contribution(titel="X"), "R021", 9),
    "wrong type": (contribution(order="zehn"), "R023", 9),
    "unknown paper": (contribution(paper="testpapir"), "R042", 2),
    "unknown section": (contribution(section="nirgendwo"), "R043", 3),
    "empty body": (contribution(body="\n\n"), "R050", 10),
    "level-1 heading": (contribution(body="# Groß\n\nText\n"), "R051", 11),
    "missing image": (contribution(body="![Ein Bild](media/fehlt.png)\n"), "R052", 11),
    "image alt text missing": (contribution(body="![](media/fehlt.png)\n"), "R053", 11),
    "alias bomb": ("---\npaper: &a testpapier\nsection: *a\n---\nText\n", "R004", 2),
    "script tag": (contribution(body="Text <script>alert(1)</script>\n"), "R054", 11),
    "iframe": (contribution(body="<iframe src=\"https://example.org\"></iframe>\n"), "R054", 11),
    "style tag": (contribution(body="Text\n\n<style>body{display:none}</style>\n"), "R054", 13),
    "event handler": (contribution(body="<span onclick=\"x()\">Klick</span>\n"), "R054", 11),
    "javascript url": (contribution(body="[Link](javascript:alert(1))\n"), "R055", 11),
    "data url image": (contribution(body="![Bild](data:image/png;base64,AAAA)\n"), "R055", 11),
    "raw typst block": (contribution(body="```{=typst}\n#set page(fill: red)\n```\n"), "R056", 11),
    "raw html inline": (contribution(body="Text `<b>x</b>`{=html} mehr\n"), "R056", 11),
    "path escapes repo": (contribution(body="![Passwort](../../../etc/passwd)\n"), "R052", 11),
    "absolute path": (contribution(body="![Bild](/etc/hosts)\n"), "R052", 11),
    "footnote without text": (contribution(body="Text.[^1]\n"), "R060", 11),
    "footnote never used": (contribution(body="Text.\n\n[^1]: Verwaist.\n"), "R061", 13),
}


@pytest.mark.parametrize("name", sorted(BROKEN_CASES))
def test_broken_input_gives_located_error(name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    content, code, line = BROKEN_CASES[name]
    make_project(tmp_path, {f"{PAPER_DIR}/stuttgart--grundsatz.md": content})
    exit_code, output = run_check(tmp_path, capsys)
    assert exit_code == 1, output
    assert re.search(rf"{PAPER_DIR}/stuttgart--grundsatz\.md:{line}:\d+: Fehler {code}: ", output), output
    assert "Hinweis:" in output
    # A build stops at the same error and leaves the previous output alone.
    previous = tmp_path / "build" / "pdf" / "testpapier.pdf"
    previous.parent.mkdir(parents=True)
    previous.write_bytes(b"%PDF alte Fassung")
    assert main(["--root", str(tmp_path), "build"]) == 1
    captured = capsys.readouterr()
    assert code in captured.err and "Traceback" not in captured.out + captured.err
    assert previous.read_bytes() == b"%PDF alte Fassung"
    assert sorted(p.name for p in (tmp_path / "build").iterdir() if p.name != ".cache") == ["pdf"]


def test_german_date_hint_gives_iso_form(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    make_project(tmp_path, {f"{PAPER_DIR}/stuttgart--grundsatz.md": contribution(submitted="24.11.2009")})
    _, output = run_check(tmp_path, capsys)
    assert "submitted: 2009-11-24" in output


def test_cp1252_file_names_encoding_and_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = contribution(body="Erste Zeile.\n\nGrüße aus der Verwaltung.\n")
    make_project(tmp_path, {f"{PAPER_DIR}/stuttgart--grundsatz.md": text.encode("cp1252")})
    code, output = run_check(tmp_path, capsys)
    assert code == 1
    assert f"{PAPER_DIR}/stuttgart--grundsatz.md:13:3: Fehler R010" in output
    assert "UTF-8" in output


def test_crlf_and_bom_are_accepted(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = contribution(body="Ein Absatz.\n\nNoch einer.\n").replace("\n", "\r\n")
    make_project(tmp_path, {f"{PAPER_DIR}/stuttgart--grundsatz.md": b"\xef\xbb\xbf" + text.encode()})
    code, output = run_check(tmp_path, capsys)
    assert code == 0, output
    assert "Warnung R011" in output
    corpus = load(tmp_path)
    assert corpus.contributions[0].body.strip() == "Ein Absatz.\n\nNoch einer."


def test_duplicate_slug_across_members(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    make_project(tmp_path, {
        f"{PAPER_DIR}/muenchen--grundsatz.md": contribution(members="[muenchen]", title="Anderer Titel"),
    })
    code, output = run_check(tmp_path, capsys)
    assert code == 1
    assert "Fehler R044" in output and "muenchen--grundsatz.md" in output


def test_oversized_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    big = contribution(body=("Wort " * 20 + "\n\n") * 30000)
    make_project(tmp_path, {f"{PAPER_DIR}/stuttgart--grundsatz.md": big})
    code, output = run_check(tmp_path, capsys)
    assert code == 1
    assert f"{PAPER_DIR}/stuttgart--grundsatz.md:1:1: Fehler R012" in output


def test_symlink_image_pointing_outside(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    outside = tmp_path.parent / f"{tmp_path.name}-geheim.png"
    outside.write_bytes(b"\x89PNG\r\n")
    make_project(tmp_path, {f"{PAPER_DIR}/stuttgart--grundsatz.md": contribution(body="![Bild](media/x.png)\n")})
    (tmp_path / PAPER_DIR / "media").mkdir()
    (tmp_path / PAPER_DIR / "media" / "x.png").symlink_to(outside)
    code, output = run_check(tmp_path, capsys)
    assert code == 1
    assert "R052" in output and "aus dem Ordner media/ heraus" in output


@pytest.mark.parametrize("name,data", [("bild.png", b"GIF89a....."), ("bild.gif", b"GIF89a"),
                                       ("bild.svg", b"<svg onload='alert(1)'></svg>")])
def test_image_that_is_not_publishable(name: str, data: bytes, tmp_path: Path,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    make_project(tmp_path, {f"{PAPER_DIR}/stuttgart--grundsatz.md": contribution(body=f"![Bild](media/{name})\n"),
                            f"{PAPER_DIR}/media/{name}": data})
    code, output = run_check(tmp_path, capsys)
    assert code == 1
    assert f"{PAPER_DIR}/stuttgart--grundsatz.md:11:1: Fehler R063" in output


def test_broken_content_leaves_previous_build_untouched(tmp_path: Path,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    make_project(tmp_path, {f"{PAPER_DIR}/stuttgart--grundsatz.md": contribution(section="gibtsnicht")})
    marker = tmp_path / "build" / "site" / "index.html"
    marker.parent.mkdir(parents=True)
    marker.write_text("alte Fassung")
    code = main(["--root", str(tmp_path), "build"])
    output = capsys.readouterr().err
    assert code == 1
    assert "R043" in output and "Traceback" not in output
    assert marker.read_text() == "alte Fassung"
    assert sorted(p.name for p in (tmp_path / "build").iterdir() if p.name != ".cache") == ["site"]


def test_placeholder_pages_are_reported(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    make_project(tmp_path, {"docs/leichte-sprache.md": "# Leichte Sprache\n\nDiese Seite ist ein **Platzhalter**.\n",
                            "docs/impressum.md": "# Impressum\n\nHerausgeber: Stadt Beispiel\n"})
    code, output = run_check(tmp_path, capsys)
    assert code == 0
    assert "docs/leichte-sprache.md:3:21: Warnung R034: Die Seite enthält noch Platzhaltertext." in output
    assert "impressum" not in output


def test_date_paragraph_is_a_warning_not_an_error(tmp_path: Path) -> None:
    make_project(tmp_path, {f"{PAPER_DIR}/stuttgart--grundsatz.md":
                            contribution(body="24. November 2009 tagte der Zirkel in Stuttgart.\n")})
    diagnostics = check(load(tmp_path))
    assert [(d.code, d.severity) for d in diagnostics] == [("R058", "warning")]


def test_json_format_lists_every_problem(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import json

    make_project(tmp_path, {f"{PAPER_DIR}/stuttgart--grundsatz.md": contribution(section="x", kind="gedicht")})
    code, output = run_check(tmp_path, capsys, "--format", "json")
    assert code == 1
    problems = json.loads(output)
    assert {p["code"] for p in problems} == {"R025"}  # invalid kind stops before cross references
    assert problems[0]["path"] == f"{PAPER_DIR}/stuttgart--grundsatz.md"


def test_usage_error_exit_code(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["gibtsnicht"])
    assert exited.value.code == 2
    assert "ungültige Auswahl" in capsys.readouterr().err


def test_tags_outside_the_topic_list_get_a_suggestion(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from projects import PUBLISHER

    make_project(tmp_path, {
        "contributions/zirkel.yml": PUBLISHER + "topics:\n  - {id: elternarbeit, label: Elternarbeit}\n",
        f"{PAPER_DIR}/stuttgart--grundsatz.md": contribution(tags="[elternarbet]"),
    })
    code, output = run_check(tmp_path, capsys)
    assert code == 0
    assert f"{PAPER_DIR}/stuttgart--grundsatz.md:9:1: Warnung R048" in output
    assert "Meinten Sie „elternarbeit“?" in output


def test_links_inside_the_paper_must_reach_a_published_target(tmp_path: Path,
                                                              capsys: pytest.CaptureFixture[str]) -> None:
    from redaktion.assemble.draft import assemble
    from redaktion.render.pdf import render_pdf

    body = ("Siehe [Grundlagen](#abschnitt-grundlagen), [Unterpunkt](#beitrag-grundsatz-unterpunkt), "
            "[Vorschlag](#beitrag-vorschlag) und [nichts](#abschnit-empfehlungen).\n\n## Unterpunkt\n\nText.\n")
    make_project(tmp_path, {
        f"{PAPER_DIR}/stuttgart--grundsatz.md": contribution(body=body),
        f"{PAPER_DIR}/muenchen--vorschlag.md": contribution(members="[muenchen]", title="Vorschlag",
                                                            status="eingereicht"),
    })
    code, output = run_check(tmp_path, capsys)
    assert code == 1
    assert output.count("R064") == 2, output
    assert f"{PAPER_DIR}/stuttgart--grundsatz.md:11:" in output
    assert "„#beitrag-vorschlag“ führt ins Leere" in output
    assert "Meinten Sie „abschnitt-empfehlungen“?" in output
    # The links that check accepts are exactly the ones the PDF can resolve.
    fixed = body.replace(", [Vorschlag](#beitrag-vorschlag) und [nichts](#abschnit-empfehlungen)", "")
    make_project(tmp_path, {f"{PAPER_DIR}/stuttgart--grundsatz.md": contribution(body=fixed)})
    (tmp_path / PAPER_DIR / "muenchen--vorschlag.md").unlink()
    code, output = run_check(tmp_path, capsys)
    assert code == 0, output
    assert render_pdf(assemble(load(tmp_path), "testpapier"), tmp_path).startswith(b"%PDF")


# Values of these patterns become file names, folder names and git tags.
PATTERN_SAMPLES = {
    SLUG_PATTERN: "stuttgart", VERSION_PATTERN: "1.0", HASH_PATTERN: "0123456789abcdef" * 4,
    r"^https://\S+$": "https://www.stuttgart.de", r"^[^@\s]+@[^@\s]+$": "anna@example.org",
    r"^[A-Za-z0-9][A-Za-z0-9._-]*\.csv$": "stuttgart--quoten.csv",
    SESSION_ID_PATTERN: "2009-12-10-stuttgart", MATERIAL_PATH_PATTERN: "material/vortrag.pdf",
}


def patterned_fields(specs: tuple[FieldSpec, ...]) -> list[FieldSpec]:
    found = []
    for spec in specs:
        found += [spec] if spec.pattern else []
        found += patterned_fields(spec.items)
    return found


@pytest.mark.parametrize("spec", [s for table in (MEMBER_FIELDS, PUBLISHER_FIELDS, PAPER_FIELDS, CONTRIBUTION_FIELDS,
                                                AUTHOR_FIELDS) for s in patterned_fields(table)],
                         ids=lambda spec: spec.name)
def test_patterns_take_the_whole_value(spec: FieldSpec) -> None:
    # re.match with "$" let "1.0\n" through; every value with a pattern must match as a whole.
    sample = PATTERN_SAMPLES[spec.pattern]
    assert list(fields.validate({spec.name: sample}, (spec,), Position(), "x")) == []
    for bad in (sample + "\n", sample + "\n/../x", "\n" + sample):
        assert [code for *_, code in fields.validate({spec.name: bad}, (spec,), Position(), "x")] == ["R026"], bad


def test_version_hash_and_number_are_checked_with_a_located_german_error(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from projects import PAPER

    make_project(tmp_path, {f"{PAPER_DIR}/paper.yml": PAPER + (
        "versions:\n"
        "  - number: \"1.0\\n\"\n"
        "    date: 2010-01-01\n"
        "  - number: \"1.1\"\n"
        "    date: 2010-02-01\n"
        "    hash: ../../../../tmp/x\n"
        "  - number: \"1.2\"\n"
        "    date: 2010-W10-1\n")})
    code, output = run_check(tmp_path, capsys)
    assert code == 1
    first = PAPER.count("\n") + 2
    assert (f"{PAPER_DIR}/paper.yml:{first}:5: Fehler R026: „1.0“ steht in „number“ mit Leerzeichen oder "
            "Zeilenumbruch davor oder dahinter.\n    Hinweis: Schreiben Sie den Wert ohne sie in eine Zeile: "
            'number: "1.0"') in output
    assert (f"{PAPER_DIR}/paper.yml:{first + 4}:5: Fehler R026: „../../../../tmp/x“ hat nicht die erwartete Form "
            "für „hash“.\n    Hinweis: Prüfsumme des eingefrorenen Inhalts: 64 Zeichen aus 0–9 und a–f") in output
    assert f"{PAPER_DIR}/paper.yml:{first + 6}:5: Fehler R027: „2010-W10-1“ ist kein gültiges Datum für „date“." in output


def test_content_error_survives_the_way_back_from_a_build_worker() -> None:
    import pickle

    from redaktion.model import ContentError, Diagnostic

    error = ContentError([Diagnostic("contributions/p/x.md", 3, 1, "R801", "Das PDF ging nicht.", "Hinweis.")])
    again = pickle.loads(pickle.dumps(error))
    assert str(again) == str(error) and again.diagnostics == error.diagnostics
