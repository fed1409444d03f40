"""Property: whatever valid text a member writes, every word reaches draft, PDF and site, in order.

Hypothesis generates contributions with German words, footnotes, lists, tables, emphasis and
the characters that break Markdown, Typst and HTML (# * _ [ ] < > & $ % \\ { } @ " „ “ ’ –).
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from projects import contribution, make_project
from redaktion.assemble.draft import assemble
from redaktion.check.corpus import check, has_errors
from redaktion.source.load import load
from redaktion.render.markdown import render_markdown
from redaktion.render.pdf import render_pdf
from redaktion.render.site.html import paper_html
from textcheck import html_text, missing_in_order, source_parts, words

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils fehlt")

SPECIALS = ["#", "*", "_", "[", "]", "<", ">", "&", "$", "%", "\\", "{", "}", "@", '"', "„", "“", "’", "–",
            "$5", "100 %", "<b>", "{x}", "#set", "\\textbf", "@stadtrat", "a_b", "[x]"]
WORD = st.text(alphabet="abcdefghijklmnopqrstuvwxyzäöüß", min_size=3, max_size=11)


@st.composite
def sentence(draw: st.DrawFn) -> str:
    tokens = [draw(WORD).capitalize()]
    for _ in range(draw(st.integers(2, 14))):
        choice = draw(st.integers(0, 9))
        word = draw(WORD)
        if choice == 0:
            tokens.append(draw(st.sampled_from(SPECIALS)))
        elif choice == 1:
            tokens.append(f"*{word}*")
        elif choice == 2:
            tokens.append(f"**{word}**")
        tokens.append(word)
    return " ".join(tokens) + draw(st.sampled_from([".", "!", "?", ":", " –"]))


@st.composite
def body(draw: st.DrawFn) -> str:
    blocks: list[str] = []
    footnotes: list[str] = []
    for index in range(draw(st.integers(1, 5))):
        kind = draw(st.sampled_from(["paragraph", "paragraph", "list", "table", "heading"]))
        if kind == "paragraph":
            text = " ".join(draw(st.lists(sentence(), min_size=1, max_size=3)))
            if draw(st.booleans()):
                text += f"[^{index + 1}]"
                footnotes.append(f"[^{index + 1}]: {draw(sentence())}")
            blocks.append(text)
        elif kind == "list":
            blocks.append("\n".join(f"- {draw(sentence())}" for _ in range(draw(st.integers(1, 4)))))
        elif kind == "table":
            rows = [f"| {draw(WORD).capitalize()} | {draw(WORD)} {draw(WORD)} |" for _ in range(draw(st.integers(1, 3)))]
            blocks.append("| Spalte | Wert |\n|---|---|\n" + "\n".join(rows))
        else:
            blocks.append(f"## {draw(WORD).capitalize()} {draw(WORD)}")
    if blocks[0].startswith("##"):
        blocks.insert(0, draw(sentence()))
    return "\n\n".join(blocks + footnotes) + "\n"


def _pdf_words(pdf: bytes, folder: Path) -> list[str]:
    path = folder / "out.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True).stdout
    from textcheck import pdf_text

    assert text is not None
    return words(pdf_text(path))


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(first=body(), second=body())
def test_every_word_survives_in_order(first: str, second: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = make_project(Path(folder), {
            "contributions/testpapier/stuttgart--grundsatz.md": contribution(body=first, title="Erster Beitrag"),
            "contributions/testpapier/muenchen--zweiter.md": contribution(body=second, title="Zweiter Beitrag",
                                                                          members="[muenchen]"),
        })
        corpus = load(root)
        diagnostics = check(corpus)
        assert not has_errors(diagnostics), [d.format() for d in diagnostics]
        draft = assemble(corpus, "testpapier")
        expected: list[str] = []
        notes: list[str] = []
        bodies = {"stuttgart--grundsatz": first, "muenchen--zweiter": second}
        assert len(draft.blocks) == 2
        for block in draft.blocks:
            running, footnotes, _ = source_parts(bodies[block.contribution_id])
            expected += running
            notes += footnotes
        outputs = {
            "draft": words(render_markdown(draft).replace("\\", " ")),
            "site": words(html_text(paper_html(draft, "../"))),
            "pdf": _pdf_words(render_pdf(draft, root), Path(folder)),
        }
        for name, published in outputs.items():
            missing, _ = missing_in_order(expected, published)
            assert not missing, f"{name}: fehlende Wörter {missing[:10]}"
            flat = " ".join(published)
            for note in notes:
                assert " ".join(words(note)) in flat, f"{name}: Fußnote fehlt: {note}"
