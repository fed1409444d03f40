"""Fonts of the PDF: the languages members write in render, and `uncovered` agrees with Typst.

Everything runs real Typst with PDF/A-2a + PDF/UA-1 (the standards the papers use), where a
character no font has is an error instead of an empty box.
"""

from __future__ import annotations

import io
import json
import os
import random
import re
import subprocess
import sys
from pathlib import Path

import pikepdf
import pytest
import typst
from pdfua import validate

from projects import contribution, make_project
from redaktion.util import fonts
from redaktion.assemble.draft import assemble
from redaktion.util.cmap import read_cmap
from redaktion.source.load import load
from redaktion.model import ContentError
from redaktion.render.pdf import PDF_STANDARDS, render_pdf
from test_pdf import pdf_text, squash

# One sentence (or word list) per language members write in, plus the symbols they use.
SAMPLES = {
    "tr": "Türkçe: Göçmenlerin katılımı ığdır; İstanbul’da şehir meclisi.",
    "ar": "العربية: مشاركة المهاجرين في الحياة السياسية",
    "fa": "فارسی: مشارکت مهاجران در زندگی شهری، ۱۴۰۲",
    "ru": "Русский: участие мигрантов в жизни города",
    "uk": "Українська: Їжак, ґанок, єдність і щастя",
    "pl": "Polski: Zażółć gęślą jaźń – udział migrantów",
    "el": "Ελληνικά: Συμμετοχή των μεταναστών στην πόλη",
    "zh": "中文：移民参与城市生活",
    "ti": "ትግርኛ፡ ተሳትፎ ስደተኛታት",
    "am": "አማርኛ፡ የስደተኞች ተሳትፎ",
    "symbols": "✓ ☐ ☑ → ← ❗ € • … § ° ½ № ₴ ₽ ⚠ ★ ✔ ✗ ☎ ✉ ⌛",
}
WORDS = ["移民参与城市生活", "Συμμετοχή", "μεταναστών", "участие", "Українська", "ግርኛ", "ስደተኞች", "Zażółć", "İstanbul’da"]

needs_noto = pytest.mark.skipif(bool(fonts.missing_packages()),
                                reason="Debian-Pakete fonts-noto-core/fonts-noto-cjk fehlen (make system-packages)")


def compile_typst(body: str, font_paths: list[str] | None = None, prelude: str = "") -> bytes:
    """A minimal tagged PDF of ``body`` (markup) with the papers' standards and font list."""
    families = json.dumps(["Libertinus Serif", *fonts.FAMILIES])[1:-1]
    source = (f'#set document(title: "Test")\n#set text(lang: "de", font: ({families}))\n{prelude}\n{body}\n')
    paths = [str(fonts.font_dir())] if font_paths is None else font_paths
    pdf = typst.compile(source.encode("utf-8"), font_paths=paths, ignore_system_fonts=True,
                        pdf_standards=PDF_STANDARDS)
    assert isinstance(pdf, bytes)
    return pdf


def as_markup(chars: list[str]) -> str:
    """Each character between two letters in a paragraph of its own, escaped as Typst text."""
    return "\n\n".join(f'A#"{ch}"B' if ch not in '"\\' else f'A#"\\{ch}"B' for ch in chars)


# --- uncovered ----------------------------------------------------------------------------------


@needs_noto
@pytest.mark.parametrize("language", sorted(SAMPLES))
def test_every_language_sample_is_covered(language: str) -> None:
    assert fonts.uncovered(SAMPLES[language]) == []


def test_emoji_no_font_has_is_reported_with_offset_and_name() -> None:
    text = "Gut gemacht 🎉 und 🐳!"
    assert fonts.uncovered(text) == [(12, "🎉"), (18, "🐳")]
    assert fonts.character_name("🎉") == "U+1F389 PARTY POPPER"
    # DejaVu Sans has a few emoticons in black and white, so 😀 does render.
    assert fonts.uncovered("😀") == []
    assert fonts.character_name("😀") == "U+1F600 GRINNING FACE"


def test_invisible_formatting_and_layout_characters_are_accepted() -> None:
    text = "Zeilen\r\nmit\tTab, wei\u00adches Trenn\u00adzeichen, \u200b\u200c\u200d\u200e\u200f\u2060 ❤\ufe0f \u2028"
    assert fonts.uncovered(text) == []


def test_characters_pdfa_forbids_are_reported_even_where_a_font_maps_them() -> None:
    text = "a\x01b\ufeffc\ue000d\x7fe"
    assert [ch for _, ch in fonts.uncovered(text)] == ["\x01", "\ufeff", "\ue000", "\x7f"]


@needs_noto
def test_a_mark_no_font_has_together_with_its_base_is_reported() -> None:
    # U+0301 is in DejaVu Sans, ሀ only in Noto Sans Ethiopic: Typst would silently drop the ሀ.
    assert fonts.uncovered("Aሀ\u0301B") == [(2, "\u0301")]
    assert fonts.uncovered("🎉\u0301") == [(0, "🎉")]  # the base is the problem, not the accent
    # Composed by the shaper, or base and mark in one font: fine.
    assert fonts.uncovered("Cafe\u0301 Е\u0308лка q\u0307 ب\u0651") == []


def test_character_names_for_unnamed_code_points() -> None:
    assert fonts.character_name("\ue000") == "U+E000 (privater Nutzungsbereich)"
    assert fonts.character_name("\x01") == "U+0001 (Steuerzeichen)"
    assert fonts.character_name("\u0378") == "U+0378 (nicht vergeben)"
    assert fonts.character_name("\uffff") == "U+FFFF (kein Unicode-Zeichen)"


def test_hints_are_german_and_fit_the_character() -> None:
    assert "Löschen Sie es" in fonts.hint("\ufeff")
    assert "privaten Bereich" in fonts.hint("\ue000")
    assert "zusammen mit dem Zeichen davor" in fonts.hint("\u0301")
    expected = "fonts-noto-core" if fonts.missing_packages() else "Emoji"
    assert expected in fonts.hint("🎉")


# --- uncovered agrees with Typst ----------------------------------------------------------------


def accepted_sample(size: int, seed: int = 20091210) -> list[str]:
    """Non-ASCII characters `uncovered` accepts between two letters: a random sample of the coverage."""
    covered = sorted(cp for cp in fonts.coverage() if cp > 0x7F and not fonts.uncovered(f"A{chr(cp)}B"))
    return [chr(cp) for cp in random.Random(seed).sample(covered, min(size, len(covered)))]


INVISIBLE = list("\u00ad\u200b\u200c\u200d\u200e\u2066\u2069\ufe0f\U000e0041\U000e0100")


def test_characters_uncovered_accepts_compile_in_a_paper(tmp_path: Path) -> None:
    # Through the real pipeline (pandoc, template, font list): in body text, bold italic and code.
    chars = accepted_sample(500) + INVISIBLE
    bold = accepted_sample(100, seed=7)
    body = ("\n\n".join(f"A{ch}B" for ch in chars) + "\n\n" + "\n\n".join(f"***A{ch}B***" for ch in bold)
            + "\n\n```\n" + "\n".join(f"A{ch}B" for ch in bold) + "\n```\n")
    assert fonts.uncovered(body) == []
    root = make_project(tmp_path, {"contributions/testpapier/stuttgart--grundsatz.md": contribution(body)})
    render_pdf(assemble(load(root), "testpapier"), root)


@pytest.mark.parametrize("char", ["🎉", "\ue000", "\ufeff", "\u0378", "\U00013000", "\x00"])
def test_a_character_uncovered_rejects_fails_in_typst(char: str) -> None:
    assert fonts.uncovered(f"x{char}y") == [(1, char)]
    with pytest.raises(typst.TypstError, match="PDF/A|PDF/UA"):
        compile_typst(as_markup([char]))


def test_every_default_ignorable_code_point_compiles() -> None:
    ignorable = [chr(cp) for start, end in fonts.IGNORABLE for cp in range(start, end + 1)
                 if cp != 0xFEFF]
    assert all(fonts.uncovered(ch) == [] for ch in ignorable)
    compile_typst("A#\"" + "".join(ignorable) + "\"B", font_paths=[])


def test_the_embedded_libertinus_subset_is_drawn_without_any_font_folder() -> None:
    chars = [chr(cp) for start, end in fonts.LIBERTINUS for cp in range(start, end + 1)]
    assert len(chars) > 1500
    # fallback: false – Libertinus Serif itself must have every one of them.
    compile_typst(as_markup(chars), font_paths=[], prelude='#set text(font: "Libertinus Serif", fallback: false)')


# --- the font files -----------------------------------------------------------------------------


def test_font_dir_holds_exactly_the_curated_files_and_is_reused() -> None:
    folder = fonts.font_dir()
    assert sorted(p.name for p in folder.iterdir()) == sorted(p.name for p in fonts.font_files())
    assert not any("Mono" in p.name for p in folder.iterdir())  # Typst's own DejaVu Sans Mono stays
    assert fonts.font_dir() == folder
    families = set(typst.Fonts(include_system_fonts=False, include_embedded_fonts=False,
                               font_paths=[str(folder)]).families())
    assert "DejaVu Sans" in families
    assert families <= set(fonts.FAMILIES) | {f"Noto Sans CJK {r}" for r in ("JP", "KR", "TC", "HK")} \
        | {f"Noto Sans Mono CJK {r}" for r in ("JP", "KR", "SC", "TC", "HK")}


@needs_noto
def test_every_family_of_the_font_list_is_in_the_folder() -> None:
    families = set(typst.Fonts(include_system_fonts=False, include_embedded_fonts=False,
                               font_paths=[str(fonts.font_dir())]).families())
    assert set(fonts.FAMILIES) <= families


def test_cmap_reader_agrees_with_fonttools() -> None:
    from fontTools.ttLib import TTCollection, TTFont

    for path in fonts.font_files():
        expected: set[int] = set()
        # All faces of a collection have the same character map; the first one stands for them.
        with (TTCollection(str(path)) if path.suffix == ".ttc" else TTFont(path)) as font:
            face = font.fonts[0] if path.suffix == ".ttc" else font
            notdef = face.getGlyphOrder()[0]
            for table in face["cmap"].tables:
                if table.isUnicode() and table.format != 14:
                    expected |= {cp for cp, glyph in table.cmap.items() if glyph != notdef}
        read = {cp for start, end in read_cmap(path) for cp in range(start, end + 1)}
        assert read == expected, path.name


def test_stored_dejavu_sans_ranges_are_those_of_matplotlibs_files() -> None:
    # If this fails after a matplotlib update, write the new ranges into fonts.DEJAVU_SANS.
    stored = json.loads(fonts.DEJAVU_SANS.read_text(encoding="utf-8"))["ranges"]
    files = {path.name: path for path in fonts.font_files() if path.name.startswith("DejaVuSans")}
    assert sorted(stored) == sorted(files) == ["DejaVuSans-Bold.ttf", "DejaVuSans.ttf"]
    for name, path in files.items():
        assert [tuple(span) for span in stored[name]] == read_cmap(path), name


def test_check_without_matplotlib_reports_what_the_build_would(tmp_path: Path) -> None:
    # A stand-in package without font files hides the real matplotlib from this subprocess.
    (tmp_path / "matplotlib").mkdir()
    (tmp_path / "matplotlib" / "__init__.py").write_text("", encoding="utf-8")
    text = "Grüße Ελληνικά Русский ✓ ☐ → 😀 中文 🎉"
    code = f"from redaktion.util import fonts; print(fonts.font_files(), fonts.uncovered({text!r}))"
    env = {**os.environ, "PYTHONPATH": str(tmp_path), "REDAKTION_CACHE_DIR": str(tmp_path / "cache")}
    result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert "DejaVuSans" not in result.stdout
    assert result.stdout.rstrip().endswith(repr(fonts.uncovered(text)))


def test_coverage_is_cached_in_the_user_cache_by_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from redaktion.util import cachefiles

    monkeypatch.setenv("REDAKTION_CACHE_DIR", str(tmp_path))  # the same signing key as the subprocesses
    env = {**os.environ, "REDAKTION_CACHE_DIR": str(tmp_path)}
    code = "from redaktion.util import fonts; print(len(fonts.coverage()), fonts.uncovered('x\\u4e2d'))"
    cold = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    cache = tmp_path / "fonts" / "coverage.json"
    data = json.loads(cachefiles.read(cache) or b"")
    assert [entry["file"][0] for entry in data["files"]] == [str(p) for p in fonts.font_files()]
    # The cached ranges are what a warm run uses: take every font's ranges away …
    for entry in data["files"]:
        entry["ranges"] = []
    cachefiles.store(cache, json.dumps(data).encode("utf-8"))
    warm = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert warm.stdout != cold.stdout and "'中'" in warm.stdout
    # … unless a file changed (another size or time): then it is read again.
    for entry in data["files"]:
        entry["file"][2] += 1
    cachefiles.store(cache, json.dumps(data).encode("utf-8"))
    again = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert again.stdout == cold.stdout


def test_fonts_module_loads_nothing_of_the_publishing_stack() -> None:
    code = ("import json, sys; from redaktion.util import fonts; fonts.uncovered('Grüße 中文 🎉'); "
            "print(json.dumps(sorted(sys.modules)))")
    loaded = json.loads(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                                       check=True).stdout)
    heavy = [name for name in loaded if name.split(".")[0] in ("typst", "matplotlib", "mkdocs", "fontTools")]
    assert heavy == []


# --- a real paper in every language -------------------------------------------------------------


@pytest.fixture(scope="module")
def multilingual_pdf(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    if fonts.missing_packages():
        pytest.skip("Debian-Pakete fonts-noto-core/fonts-noto-cjk fehlen (make system-packages)")
    body = "\n\n".join(f"{text}\n" for text in SAMPLES.values())
    body += "\n**Fett: 中文 ትግርኛ العربية ✓**\n\n*Kursiv: Ελληνικά Русский ❗*\n\n`Code: 中文 → ✓`\n"
    root = make_project(tmp_path_factory.mktemp("sprachen"), {
        "contributions/testpapier/stuttgart--sprachen.md": contribution(body, title="Mehrsprachige Hinweise"),
    })
    return render_pdf(assemble(load(root), "testpapier"), root)


def test_multilingual_pdf_passes_the_pdfua_checks(multilingual_pdf: bytes, tmp_path: Path) -> None:
    path = tmp_path / "sprachen.pdf"
    path.write_bytes(multilingual_pdf)
    report = validate(str(path))
    assert report.findings == ()
    assert {o.rule_id for o in report.skipped} <= {"UA-14-001"}
    with pikepdf.open(path) as pdf:
        assert pdf.Root.MarkInfo.Marked is True
        meta = pdf.open_metadata()
        assert meta["pdfuaid:part"] == "1"
        assert (meta["pdfaid:part"], meta["pdfaid:conformance"]) == ("2", "A")


def test_multilingual_pdf_text_is_extractable(multilingual_pdf: bytes) -> None:
    text = squash(pdf_text(multilingual_pdf))
    for word in WORDS:
        assert squash(word) in text, word
    # Right-to-left text comes out in logical or visual order, depending on the extractor.
    arabic = squash("مشاركة")
    assert arabic in text or arabic[::-1] in text


def test_multilingual_pdf_uses_libertinus_for_latin_and_noto_for_the_other_scripts(multilingual_pdf: bytes) -> None:
    with pikepdf.open(io.BytesIO(multilingual_pdf)) as pdf:
        names = {re.sub(r"^[A-Z]{6}\+", "", str(font.BaseFont)) for page in pdf.pages
                 for font in page.Resources.Font.values()}
    used = " ".join(sorted(names))
    for font in ("LibertinusSerif-Regular", "LibertinusSerif-Bold", "NotoNaskhArabic-Regular", "NotoNaskhArabic-Bold",
                 "NotoSansEthiopic-Regular", "NotoSansEthiopic-Bold", "NotoSansCJKsc-Regular", "NotoSansCJKsc-Bold",
                 "DejaVuSans", "NotoSansSymbols2-Regular"):
        assert font in used, used
    assert "NotoSansCJKjp" not in used  # Chinese in the simplified Chinese forms


def test_a_character_no_font_has_fails_the_pdf_with_a_german_error(tmp_path: Path) -> None:
    root = make_project(tmp_path, {"contributions/testpapier/stuttgart--grundsatz.md": contribution("Prima 🎉\n")})
    with pytest.raises(ContentError) as caught:
        render_pdf(assemble(load(root), "testpapier"), root)
    diagnostic = caught.value.diagnostics[0]
    assert diagnostic.code == "R801" and diagnostic.path.endswith("stuttgart--grundsatz.md")
    assert "U+1F389 PARTY POPPER" in diagnostic.hint and "Bilder" not in diagnostic.hint
    assert fonts.uncovered("Prima 🎉") == [(6, "🎉")]
