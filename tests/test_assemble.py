"""The canonical draft: order, provenance, unique footnotes and anchors, nothing lost or leaked."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from projects import REPO, contribution, make_project
from redaktion.assemble.draft import assemble
from redaktion.cli.main import main
from redaktion.source.load import load
from redaktion.render.markdown import render_markdown

PAPER_DIR = "contributions/testpapier"


@pytest.fixture(scope="module")
def demo_draft():
    return assemble(load(REPO), "bildungsmanagement")


@pytest.fixture(scope="module")
def demo_markdown(demo_draft) -> str:
    return render_markdown(demo_draft)


def test_public_draft_has_only_accepted_contributions(demo_draft, demo_markdown) -> None:
    corpus = load(REPO)
    accepted = {c.id for c in corpus.contributions_of("bildungsmanagement") if c.is_accepted}
    assert {b.contribution_id for b in demo_draft.blocks} == accepted
    others = [c for c in corpus.contributions_of("bildungsmanagement") if not c.is_accepted]
    assert others, "the demo needs pending and rejected contributions"
    for c in others:
        assert c.id not in demo_markdown
        first_sentence = c.body.strip().split("\n")[0][:60]
        assert first_sentence not in demo_markdown


def test_no_email_or_editorial_comment_in_public_draft(demo_draft, demo_markdown) -> None:
    everything = demo_markdown + "".join(content for _, content in demo_draft.pieces)
    assert not re.search(r"[\w.+-]+@[\w-]+\.[\w.]+", everything)
    assert "<!--" not in everything
    assert "Redaktion:" not in everything


def test_internal_draft_keeps_comments_as_notes() -> None:
    markdown = render_markdown(assemble(load(REPO), "bildungsmanagement", intern=True))
    assert "::: redaktionsnotiz" in markdown
    assert "Redaktion: Zahl der Schulen" in markdown
    assert "kreis-paderborn--bildungspatenschaften" in markdown


def test_sections_follow_outline_and_blocks_record_provenance(demo_draft, demo_markdown) -> None:
    paper = demo_draft.paper
    headings = re.findall(r"^# .*\{#abschnitt-([a-z0-9-]+)\}$", demo_markdown, re.MULTILINE)
    assert headings == [s.id for s in paper.outline]
    for block in demo_draft.blocks:
        assert f'contribution="{block.contribution_id}"' in demo_markdown
        assert f"{{#{block.anchor}}}" in demo_markdown


def test_recommendations_numbered_through_the_paper(demo_draft) -> None:
    numbers = [b.number for b in demo_draft.blocks if b.kind == "empfehlung"]
    assert numbers == list(range(1, len(numbers) + 1))
    assert all(b.heading.startswith(f"Empfehlung {b.number}: ") for b in demo_draft.blocks if b.number)


def test_footnotes_of_different_contributions_stay_apart(tmp_path: Path) -> None:
    make_project(tmp_path, {
        f"{PAPER_DIR}/stuttgart--grundsatz.md": contribution(body="Erster Text.[^1]\n\n[^1]: Quelle Stuttgart.\n"),
        f"{PAPER_DIR}/muenchen--zweiter.md": contribution(members="[muenchen]", title="Zweiter",
                                                          body="Zweiter Text.[^1]\n\n[^1]: Quelle München.\n"),
    })
    markdown = render_markdown(assemble(load(tmp_path), "testpapier"))
    stuttgart = re.search(r"^\[\^(\d+)\]: Quelle Stuttgart\.$", markdown, re.MULTILINE)
    muenchen = re.search(r"^\[\^(\d+)\]: Quelle München\.$", markdown, re.MULTILINE)
    assert stuttgart and muenchen and stuttgart.group(1) != muenchen.group(1)
    assert f"Erster Text.[^{stuttgart.group(1)}]" in markdown
    assert f"Zweiter Text.[^{muenchen.group(1)}]" in markdown


def test_order_then_date(tmp_path: Path) -> None:
    make_project(tmp_path, {
        f"{PAPER_DIR}/stuttgart--grundsatz.md": contribution(title="Spät", submitted="2009-12-01"),
        f"{PAPER_DIR}/stuttgart--frueh.md": contribution(title="Früh", submitted="2009-01-01"),
        f"{PAPER_DIR}/muenchen--zuerst.md": contribution(title="Zuerst", members="[muenchen]", order=1,
                                                         submitted="2009-12-31"),
    })
    draft = assemble(load(tmp_path), "testpapier")
    assert [b.title for b in draft.blocks] == ["Zuerst", "Früh", "Spät"]


def test_body_is_fitted_under_its_heading(tmp_path: Path) -> None:
    body = ("## Unterpunkt\n\nText mit Fußnote.[^a]\n\n![Alt](media/bild.png)\n\n"
            "10. Dezember 2009 tagte der Zirkel.\n\n1. erster Punkt\n2. zweiter Punkt\n\n"
            ":::\n\n```\n## kein Titel [^a]\n```\n\n<!-- nur intern -->\n\n<!-- Redaktion: prüfen -->\n\n[^a]: Quelle.\n")
    make_project(tmp_path, {f"{PAPER_DIR}/stuttgart--grundsatz.md": contribution(body=body),
                            f"{PAPER_DIR}/media/bild.png": b"\x89PNG\r\n\x1a\n"})
    corpus = load(tmp_path)
    markdown = render_markdown(assemble(corpus, "testpapier"))
    assert "### Unterpunkt {#beitrag-grundsatz-unterpunkt}" in markdown
    assert re.search(r"Text mit Fußnote\.\[\^1\]", markdown) and "[^1]: Quelle." in markdown
    assert "![Alt](contributions/testpapier/media/bild.png)" in markdown
    assert "10\\. Dezember 2009 tagte" in markdown  # a date, not a list starting at 10
    assert "1.  erster Punkt\n2.  zweiter Punkt" in markdown
    assert "    ## kein Titel [^a]" in markdown or "```\n## kein Titel [^a]\n```" in markdown  # code stays code
    assert "nur intern" not in markdown and "prüfen" not in markdown
    internal = assemble(corpus, "testpapier", intern=True)
    assert internal.blocks[0].notes == ("Redaktion: prüfen",)


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


def test_loose_numbered_list_stays_a_list_and_a_date_stays_a_date(tmp_path: Path) -> None:
    body = ("1. Erstens ein Punkt.\n\n2. Zweitens ein weiterer Punkt.\n\n"
            "Ein Absatz dazwischen.\n\n24. November 2009 tagte der Zirkel.\n")
    make_project(tmp_path, {f"{PAPER_DIR}/stuttgart--grundsatz.md": contribution(body=body)})
    markdown = render_markdown(assemble(load(tmp_path), "testpapier"))
    assert "1.  Erstens ein Punkt." in markdown and "2.  Zweitens ein weiterer Punkt." in markdown
    assert "24\\. November 2009 tagte der Zirkel." in markdown
