"""JSON Schemas generated from the model: demo content passes, and editors agree with `redaktion check`."""

from __future__ import annotations

import json
import re
from pathlib import Path

import jsonschema
import pytest

from projects import REPO, contribution, make_project
from redaktion.source import fieldref, schema
from redaktion.check.corpus import check
from redaktion.cli.main import main
from redaktion.source.load import load
from redaktion.model import CONTRIBUTION_KINDS, CONTRIBUTION_STATUSES
from redaktion.util.yamlsafe import parse_yaml

PAPER_DIR = "contributions/testpapier"


def validator(document_schema: dict) -> jsonschema.Draft7Validator:
    jsonschema.Draft7Validator.check_schema(document_schema)
    return jsonschema.Draft7Validator(document_schema, format_checker=jsonschema.Draft7Validator.FORMAT_CHECKER)


def front_matter(path: Path) -> object:
    text = path.read_text(encoding="utf-8")
    return parse_yaml(text.split("\n---", 1)[0].removeprefix("---\n"))


def schema_accepts(document_schema: dict, data: object) -> bool:
    return not list(validator(document_schema).iter_errors(data))


def check_accepts(root: Path, rel: str) -> bool:
    errors = [d for d in check(load(root)) if d.path == rel and d.severity == "error"]
    return not errors


# --- demo content ---------------------------------------------------------------------------------


@pytest.mark.parametrize("path", sorted(p for p in (REPO / "contributions").glob("*/*.md") if p.parent.name != "sitzungen"),
                         ids=lambda p: p.name)
def test_demo_contribution_validates(path: Path) -> None:
    validator(schema.contribution_schema()).validate(front_matter(path))


@pytest.mark.parametrize("path", sorted((REPO / "contributions" / "sitzungen").glob("*.md")), ids=lambda p: p.name)
def test_demo_session_validates(path: Path) -> None:
    validator(schema.session_schema()).validate(front_matter(path))


@pytest.mark.parametrize("path", sorted((REPO / "contributions").glob("*/paper.yml")), ids=lambda p: p.parent.name)
def test_demo_paper_validates(path: Path) -> None:
    validator(schema.paper_schema()).validate(parse_yaml(path.read_text(encoding="utf-8")))


def test_demo_members_validate() -> None:
    data = parse_yaml((REPO / "contributions/members.yml").read_text(encoding="utf-8"))
    validator(schema.members_schema()).validate(data)


# --- schema and check agree -----------------------------------------------------------------------

CONTRIBUTION_CASES = {
    # name: (front matter overrides, expected verdict of both)
    "valid": ({}, True),
    "optional field without value": ({"summary": ""}, True),
    "author with internal e-mail": ({"authors": "[{name: Anna Beispiel, email: anna@example.org}]"}, True),
    "order and licence": ({"order": "3", "license": "CC0-1.0"}, True),
    "unknown field": ({"colour": "blau"}, False),
    "misspelt field": ({"tittle": "Ein Titel"}, False),
    "wrong enum": ({"kind": "praxisbeispeil"}, False),
    "wrong status": ({"status": "angenommmen"}, False),
    "missing required title": ({"title": None}, False),
    "missing required submitted": ({"submitted": None}, False),
    "wrong type for order": ({"order": "erste"}, False),
    "german date": ({"submitted": "24.11.2009"}, False),
    "impossible date": ({"submitted": "2009-02-30"}, False),
    "bad slug": ({"section": "Grundlagen"}, False),
    "list given as string": ({"members": "stuttgart"}, False),
    "empty member list": ({"members": "[]"}, False),
    "e-mail as author name": ({"authors": "[anna@example.org]"}, False),
    "unknown author field": ({"authors": "[{name: Anna Beispiel, telefon: 123}]"}, False),
    "blank title": ({"title": '"   "'}, False),
    "number in tag list": ({"tags": "[1]"}, False),
    "wrong licence": ({"license": "CC-BY-3.0"}, False),
}


@pytest.mark.parametrize("name", CONTRIBUTION_CASES)
def test_schema_and_check_agree_on_contributions(tmp_path: Path, name: str) -> None:
    overrides, expected = CONTRIBUTION_CASES[name]
    rel = f"{PAPER_DIR}/stuttgart--fall.md"
    make_project(tmp_path, {rel: contribution(**{"title": "Ein Fall", **overrides})})
    by_schema = schema_accepts(schema.contribution_schema(), front_matter(tmp_path / rel))
    by_check = check_accepts(tmp_path, rel)
    assert (by_schema, by_check) == (expected, expected)


PAPER_CASES = {
    "valid": ("", True),
    "version as unquoted number": ("versions:\n  - number: 1.0\n    date: 2010-01-01\n", True),
    "unknown field": ("farbe: blau\n", False),
    "version with german date": ("versions:\n  - number: '1.0'\n    date: 01.01.2010\n", False),
    "outline entry without title": ("outline:\n  - id: grundlagen\n", False),
    "version hash as release writes it": ("versions:\n  - number: '1.0'\n    date: 2010-01-01\n"
                                          f"    hash: {'0123456789abcdef' * 4}\n", True),
    "version hash that is a path": ("versions:\n  - number: '1.0'\n    date: 2010-01-01\n"
                                    "    hash: ../../../../tmp/x\n", False),
    "version hash too short": ("versions:\n  - number: '1.0'\n    date: 2010-01-01\n    hash: 0123abcd\n", False),
    "ISO week date": ("versions:\n  - number: '1.0'\n    date: 2010-W01-5\n", False),
}
BASE_PAPER = ("id: testpapier\ntitle: Testpapier Bildung\nkind: positionspapier\nstatus: entwurf\n"
              "outline:\n  - id: grundlagen\n    title: Grundlagen\n")


@pytest.mark.parametrize("name", PAPER_CASES)
def test_schema_and_check_agree_on_papers(tmp_path: Path, name: str) -> None:
    extra, expected = PAPER_CASES[name]
    text = BASE_PAPER + extra
    if extra.startswith("outline:"):
        text = BASE_PAPER.split("outline:")[0] + extra
    rel = f"{PAPER_DIR}/paper.yml"
    make_project(tmp_path, {rel: text, f"{PAPER_DIR}/stuttgart--grundsatz.md": contribution(status="eingereicht")})
    by_schema = schema_accepts(schema.paper_schema(), parse_yaml(text))
    by_check = check_accepts(tmp_path, rel)
    assert (by_schema, by_check) == (expected, expected)


@pytest.mark.parametrize(("entry", "expected"), [
    ("- id: tuebingen\n  name: Universitätsstadt Tübingen\n  type: stadt\n  land: Baden-Württemberg\n", True),
    ("- id: tuebingen\n  name: Tübingen\n  type: dorf\n  land: Baden-Württemberg\n", False),
    ("- id: Tübingen\n  name: Tübingen\n  type: stadt\n  land: Baden-Württemberg\n", False),
    ("- id: tuebingen\n  name: Tübingen\n  type: stadt\n  land: Baden-Württemberg\n  website: http://x.de\n", False),
])
def test_schema_and_check_agree_on_members(tmp_path: Path, entry: str, expected: bool) -> None:
    from projects import MEMBERS

    text = MEMBERS + entry
    make_project(tmp_path, {"contributions/members.yml": text})
    by_schema = schema_accepts(schema.members_schema(), parse_yaml(text))
    by_check = check_accepts(tmp_path, "contributions/members.yml")
    assert (by_schema, by_check) == (expected, expected)


# --- the schema itself ------------------------------------------------------------------------


def test_schema_is_derived_from_the_model() -> None:
    contribution_schema = schema.contribution_schema()
    properties = contribution_schema["properties"]
    assert contribution_schema["additionalProperties"] is False
    assert set(contribution_schema["required"]) == {"paper", "section", "kind", "title", "members", "submitted",
                                                     "status"}
    assert properties["kind"]["enum"] == list(CONTRIBUTION_KINDS)
    assert properties["status"]["enum"] == list(CONTRIBUTION_STATUSES)
    assert properties["title"]["description"] == "Überschrift des Beitrags."
    assert properties["submitted"]["type"] == "string" and "pattern" in properties["submitted"]


def test_committed_schema_files_are_current() -> None:
    for name, text in schema.schema_files().items():
        committed = REPO / "schemas" / name
        assert committed.exists(), f"schemas/{name} fehlt: redaktion schema ausführen"
        assert committed.read_text(encoding="utf-8") == text, f"schemas/{name} ist veraltet: redaktion schema"


def test_schema_command_writes_files_and_check_mode(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    make_project(tmp_path)
    assert main(["--root", str(tmp_path), "schema", "--check"]) == 1
    assert main(["--root", str(tmp_path), "schema"]) == 0
    assert json.loads((tmp_path / "schemas/paper.schema.json").read_text(encoding="utf-8"))["type"] == "object"
    assert main(["--root", str(tmp_path), "schema", "--check"]) == 0
    assert "Traceback" not in capsys.readouterr().err


def test_vscode_settings_point_at_the_schemas() -> None:
    settings = json.loads((REPO / ".vscode/settings.json").read_text(encoding="utf-8"))
    for path in settings["yaml.schemas"]:
        assert (REPO / path).is_file()


# --- the contributor guide --------------------------------------------------------------------


def test_guide_field_table_is_current() -> None:
    assert fieldref.guide_is_current(REPO), "docs/mitmachen.md: Feldtabelle veraltet, redaktion schema ausführen"
    guide = (REPO / fieldref.GUIDE).read_text(encoding="utf-8")
    assert "| `submitted` | ja |" in guide


def test_session_guide_field_table_is_current() -> None:
    assert fieldref.guide_is_current(REPO, *fieldref.GUIDES[1]), \
        "docs/sitzungen-anleitung.md: Feldtabelle veraltet, redaktion schema ausführen"
    guide = (REPO / fieldref.SESSION_GUIDE).read_text(encoding="utf-8")
    assert "| `tagesordnung.titel` | ja, je Eintrag von `tagesordnung` |" in guide


def test_guide_explains_every_error_code_and_status() -> None:
    # Contributors' codes are explained in docs/mitmachen.md, the sessions' in the Redaktion's guide.
    guide = "".join((REPO / path).read_text(encoding="utf-8") for path in (fieldref.GUIDE, fieldref.SESSION_GUIDE))
    codes = set()
    for source in (REPO / "scripts/redaktion").rglob("*.py"):
        codes |= set(re.findall(r"\"(R\d{3})\"", source.read_text(encoding="utf-8")))
    missing = sorted(code for code in codes if f"| {code} |" not in guide)
    assert not missing, f"In docs/mitmachen.md und docs/sitzungen-anleitung.md fehlen die Codes {missing}"
    for status in CONTRIBUTION_STATUSES:
        assert f"| `{status}` |" in guide
