"""The canonical draft: order, provenance, unique footnotes and anchors, nothing lost or leaked."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from projects import REPO, contribution, make_project
from redaktion.assemble import assemble, normalise_body
from redaktion.cli import main
from redaktion.load import load

PAPER_DIR = "contributions/testpapier"


@pytest.fixture(scope="module")
def demo_draft():
    return assemble(load(REPO), "bildungsmanagement")


def test_public_draft_has_only_accepted_contributions(demo_draft) -> None:
    corpus = load(REPO)
    accepted = {c.id for c in corpus.contributions_of("bildungsmanagement") if c.is_accepted}
    assert {b.contribution_id for b in demo_draft.blocks} == accepted
    others = [c for c in corpus.contributions_of("bildungsmanagement") if not c.is_accepted]
    assert others, "the demo needs pending and rejected contributions"
    for c in others:
        assert c.id not in demo_draft.markdown
        first_sentence = c.body.strip().split("\n")[0][:60]
        assert first_sentence not in demo_draft.markdown


def test_no_email_or_editorial_comment_in_public_draft(demo_draft) -> None:
    assert not re.search(r"[\w.+-]+@[\w-]+\.[\w.]+", demo_draft.markdown)
    assert "<!--" not in demo_draft.markdown
    assert "Redaktion:" not in demo_draft.markdown


def test_internal_draft_keeps_comments_as_notes() -> None:
    draft = assemble(load(REPO), "bildungsmanagement", intern=True)
    assert ".redaktionsnotiz" in draft.markdown
    assert "Redaktion: Zahl der Schulen" in draft.markdown
    assert "kreis-paderborn--bildungspatenschaften" in draft.markdown


def test_sections_follow_outline_and_blocks_record_provenance(demo_draft) -> None:
    paper = demo_draft.paper
    headings = re.findall(r"^# .*\{#abschnitt-([a-z0-9-]+)\}$", demo_draft.markdown, re.MULTILINE)
    assert headings == [s.id for s in paper.outline]
    for block in demo_draft.blocks:
        assert f'contribution="{block.contribution_id}"' in demo_draft.markdown
        assert f"{{#{block.anchor}}}" in demo_draft.markdown


def test_recommendations_numbered_through_the_paper(demo_draft) -> None:
    numbers = [b.number for b in demo_draft.blocks if b.kind == "empfehlung"]
    assert numbers == list(range(1, len(numbers) + 1))
    assert all(b.heading.startswith(f"Empfehlung {b.number}: ") for b in demo_draft.blocks if b.number)


def test_colliding_footnotes_get_unique_ids(tmp_path: Path) -> None:
    make_project(tmp_path, {
        f"{PAPER_DIR}/stuttgart--grundsatz.md": contribution(body="Erster Text.[^1]\n\n[^1]: Quelle Stuttgart.\n"),
        f"{PAPER_DIR}/muenchen--zweiter.md": contribution(members="[muenchen]", title="Zweiter",
                                                          body="Zweiter Text.[^1]\n\n[^1]: Quelle München.\n"),
    })
    draft = assemble(load(tmp_path), "testpapier")
    assert "[^stuttgart--grundsatz-1]: Quelle Stuttgart." in draft.markdown
    assert "[^muenchen--zweiter-1]: Quelle München." in draft.markdown
    assert "[^1]" not in draft.markdown


def test_order_then_date(tmp_path: Path) -> None:
    make_project(tmp_path, {
        f"{PAPER_DIR}/stuttgart--grundsatz.md": contribution(title="Spät", submitted="2009-12-01"),
        f"{PAPER_DIR}/stuttgart--frueh.md": contribution(title="Früh", submitted="2009-01-01"),
        f"{PAPER_DIR}/muenchen--zuerst.md": contribution(title="Zuerst", members="[muenchen]", order=1,
                                                         submitted="2009-12-31"),
    })
    draft = assemble(load(tmp_path), "testpapier")
    assert [b.title for b in draft.blocks] == ["Zuerst", "Früh", "Spät"]


def test_normalise_body() -> None:
    body = ("## Unterpunkt\n\nText mit Fußnote.[^a]\n\n![Alt](media/bild.png)\n\n"
            "10. Dezember 2009 tagte der Zirkel.\n\n1. erster Punkt\n2. zweiter Punkt\n\n"
            ":::\n\n```\n## kein Titel [^a]\n```\n\n<!-- intern -->\n\n<!-- Redaktion: prüfen -->\n\n[^a]: Quelle.\n")
    markdown, notes = normalise_body(body, "x--y", "beitrag-y", "contributions/p")
    assert "### Unterpunkt {#beitrag-y-unterpunkt}" in markdown
    assert "[^x--y-a]" in markdown and "[^x--y-a]: Quelle." in markdown
    assert "![Alt](contributions/p/media/bild.png)" in markdown
    assert "10\\. Dezember 2009" in markdown
    assert "1. erster Punkt\n2. zweiter Punkt" in markdown
    assert "\\:::" in markdown
    assert "```\n## kein Titel [^a]\n```" in markdown  # code stays literal
    assert "intern" not in markdown and "prüfen" not in markdown
    assert notes == ["Redaktion: prüfen"]


def test_assemble_command_writes_draft(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    make_project(tmp_path)
    assert main(["--root", str(tmp_path), "assemble", "testpapier"]) == 0
    text = (tmp_path / "build" / "drafts" / "testpapier.md").read_text()
    assert text.startswith("---\npublisher: Testzirkel\n")
    assert "title: Testpapier Bildung\n" in text
    assert "Ein kurzer Absatz." in text
    assert main(["--root", str(tmp_path), "assemble", "testpapir"]) == 2
    assert "Meinten Sie „testpapier“?" in capsys.readouterr().err


def test_manifest_records_who_wrote_which_block(demo_draft) -> None:
    import json

    from redaktion.render.manifest import render_manifest

    manifest = json.loads(render_manifest(demo_draft))
    listed = [c for s in manifest["sections"] for c in s["contributions"]]
    assert [c["id"] for c in listed] == [b.contribution_id for b in demo_draft.blocks]
    for entry, block in zip(listed, demo_draft.blocks):
        assert [m["id"] for m in entry["members"]] == [m.id for m in block.members]
        assert entry["anchor"] == block.anchor and entry["number"] == block.number
        assert "status" not in entry
    assert manifest["paper"]["version"] == "1.0"
    assert not re.search(r"[\w.+-]+@[\w-]+\.[\w.]+", json.dumps(manifest, ensure_ascii=False))


def test_assemble_writes_the_manifest_beside_the_draft(tmp_path: Path) -> None:
    import json

    make_project(tmp_path)
    assert main(["--root", str(tmp_path), "assemble", "testpapier"]) == 0
    manifest = json.loads((tmp_path / "build" / "drafts" / "testpapier.json").read_text(encoding="utf-8"))
    assert manifest["sections"][0]["contributions"][0]["members"][0]["name"] == "Landeshauptstadt Stuttgart"
