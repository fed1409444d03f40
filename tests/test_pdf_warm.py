"""The warm PDF compiler of the live preview: real Typst, compared with the cold path's bytes."""

from __future__ import annotations

import io
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pikepdf
import pytest

from projects import REPO, contribution, make_project
from redaktion.assemble.draft import assemble
from redaktion.source.load import load
from redaktion.model import ContentError, Draft
from redaktion.render.pdf import render_pdf
from redaktion.render.pdf.warm import WarmPdf

sys.path.insert(0, str(REPO / "benchmarks"))
from generate import tiny_png  # noqa: E402

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils fehlt")

TEXT_FILE = "contributions/testpapier/stuttgart--grundsatz.md"
IMAGE = "contributions/testpapier/media/bild.png"


def pdf_text(pdf: bytes) -> str:
    result = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True)
    return result.stdout.decode("utf-8")


def draft_of(root: Path) -> Draft:
    return assemble(load(root), "testpapier")


def edit(root: Path, body: str) -> Draft:
    (root / TEXT_FILE).write_text(contribution(body), encoding="utf-8")
    return draft_of(root)


def image_sizes(pdf: bytes) -> list[tuple[int, int]]:
    with pikepdf.open(io.BytesIO(pdf)) as document:
        return [(int(image.Width), int(image.Height)) for page in document.pages
                for image in page.images.values()]


def test_recompile_shows_the_edited_text_and_equals_the_cold_pdf(tmp_path):
    root = make_project(tmp_path, {TEXT_FILE: contribution("Im Garten steht ein Apfelbaum.\n")})
    warm = WarmPdf(root)
    first_draft = draft_of(root)
    first = warm.compile(first_draft)
    assert "Apfelbaum" in pdf_text(first)
    assert first == render_pdf(first_draft, root)

    second_draft = edit(root, "Im Garten steht jetzt ein Birnbaum.\n")
    second = warm.compile(second_draft)
    text = pdf_text(second)
    assert "Birnbaum" in text and "Apfelbaum" not in text
    assert second == render_pdf(second_draft, root)


def test_a_replaced_image_is_picked_up(tmp_path):
    root = make_project(tmp_path, {
        TEXT_FILE: contribution("Ein Bild:\n\n![Ein graues Quadrat](media/bild.png)\n"),
        IMAGE: tiny_png(2, 2, (128, 128, 128)),
    })
    warm = WarmPdf(root)
    draft = draft_of(root)
    assert image_sizes(warm.compile(draft)) == [(2, 2)]

    (root / IMAGE).write_bytes(tiny_png(3, 5, (200, 40, 40)))  # same path, same draft text
    again = warm.compile(draft)
    assert image_sizes(again) == [(3, 5)]
    assert again == render_pdf(draft, root)


def test_an_error_is_located_and_the_compiler_recovers(tmp_path):
    root = make_project(tmp_path)
    warm = WarmPdf(root)
    warm.compile(draft_of(root))

    with pytest.raises(ContentError) as caught:
        warm.compile(edit(root, "Ein Zeichen ohne Schrift: \U0001FAE0.\n"))
    diagnostic = caught.value.diagnostics[0]
    assert (diagnostic.code, diagnostic.path) == ("R801", TEXT_FILE)
    assert str(root) not in diagnostic.message and "Betroffen ist das Zeichen" in diagnostic.hint

    assert "Wieder lesbar" in pdf_text(warm.compile(edit(root, "Wieder lesbar.\n")))


def test_intern_and_public_drafts_of_one_paper_are_kept_apart(tmp_path):
    root = make_project(tmp_path)
    warm = WarmPdf(root)
    corpus = load(root)
    public, intern = assemble(corpus, "testpapier"), assemble(corpus, "testpapier", intern=True)
    for draft in (intern, public, intern):
        assert warm.compile(draft) == render_pdf(draft, root)


def test_compiles_from_several_threads_wait_for_each_other(tmp_path):
    # typst.Compiler refuses a second call while one runs ("Already borrowed"); WarmPdf queues them.
    root = make_project(tmp_path)
    warm = WarmPdf(root)
    draft = draft_of(root)
    results: list[bytes] = []
    threads = [threading.Thread(target=lambda: results.append(warm.compile(draft))) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(results) == 3 and len(set(results)) == 1
