"""The fonts the PDF may use, and which characters none of them can draw.

With PDF/A or PDF/UA on, Typst refuses the whole PDF when a character is in no font; and a
combining mark whose base letter is in another font can silently vanish. So the PDF uses a
fixed, curated set of font files (:data:`FONT_FILES`) besides Typst's embedded ones, and
``redaktion check`` asks :func:`uncovered` which characters of a text none of them covers.

* Only the curated files are used, never all installed fonts: scanning ``/usr/share/fonts``
  would be slow, and the PDF would change with whatever happens to be installed.
  :func:`font_dir` links them into one folder for Typst's ``font_paths`` (it takes folders).
* Files that are not installed are skipped: without the Debian Noto packages, German (and
  everything matplotlib's DejaVu Sans has) still works, and :func:`hint` names the packages.
* :func:`coverage` reads the files' character maps (:mod:`redaktion.util.cmap`, so that ``check``
  needs neither fontTools nor matplotlib) and keeps them in the user's cache as ranges,
  keyed by each file's path, size and modification time: a warm ``check`` costs milliseconds.
* The part of Typst's embedded Libertinus Serif that :data:`LIBERTINUS` lists counts too, and
  without matplotlib (a CI job that installed only what ``check`` needs) the DejaVu Sans its
  pinned version ships (:data:`DEJAVU_SANS`): a check there reports what the build would.
  tests/test_fonts.py checks both lists against Typst and the files.

Nothing here imports Typst, matplotlib or mkdocs: ``check`` uses this module.
"""

from __future__ import annotations

import bisect
import functools
import importlib.util
import json
import os
import re
import unicodedata
from pathlib import Path

from ..model import RenderError
from .cachefiles import CACHE_ENV, read, store, user_cache_dir
from .folders import os_reason
from .cmap import Ranges, merge, read_cmap

NOTO_CORE = Path("/usr/share/fonts/truetype/noto")
NOTO_CJK = Path("/usr/share/fonts/opentype/noto")
DEBIAN_PACKAGES = ("fonts-noto-core", "fonts-noto-cjk")

# (package, file); matplotlib's files are named relative to its font folder. Its DejaVu Sans
# also draws the charts' SVG text (same metrics as when matplotlib laid them out); its DejaVu
# Sans Mono must NOT be added: it would replace the one built into Typst. The order here is
# irrelevant: FAMILIES decides which font draws what.
FONT_FILES: tuple[tuple[str, Path], ...] = (
    ("matplotlib", Path("DejaVuSans.ttf")),
    ("matplotlib", Path("DejaVuSans-Bold.ttf")),
    ("fonts-noto-core", NOTO_CORE / "NotoNaskhArabic-Regular.ttf"),  # Arabic, Persian
    ("fonts-noto-core", NOTO_CORE / "NotoNaskhArabic-Bold.ttf"),
    ("fonts-noto-core", NOTO_CORE / "NotoSansEthiopic-Regular.ttf"),  # Tigrinya, Amharic
    ("fonts-noto-core", NOTO_CORE / "NotoSansEthiopic-Bold.ttf"),
    ("fonts-noto-core", NOTO_CORE / "NotoSansSymbols-Regular.ttf"),
    ("fonts-noto-core", NOTO_CORE / "NotoSansSymbols-Bold.ttf"),
    ("fonts-noto-core", NOTO_CORE / "NotoSansSymbols2-Regular.ttf"),  # ❗ ⌛ and many pictographs
    ("fonts-noto-cjk", NOTO_CJK / "NotoSansCJK-Regular.ttc"),  # Chinese (SC), Japanese, Korean
    ("fonts-noto-cjk", NOTO_CJK / "NotoSansCJK-Bold.ttc"),
)

# The code points of matplotlib's DejaVu Sans files, for a check without matplotlib.
DEJAVU_SANS = Path(__file__).with_name("dejavu-sans.json")

# The families of FONT_FILES in the order the PDF's text tries them, after its main font (the
# templates put Libertinus Serif or DejaVu Sans Mono first). Arabic must come before DejaVu Sans,
# which has some Arabic letters but not all (a word would mix two fonts); DejaVu Sans before the
# Noto symbol fonts and CJK, so that a symbol looks the same whether the Noto packages are
# installed or not. Every family is named because Typst's own fallback looks neither for space
# characters nor for a mark together with its base letter. Missing families are skipped.
FAMILIES = ("Noto Naskh Arabic", "Noto Sans Ethiopic", "DejaVu Sans", "Noto Sans CJK SC", "Noto Sans Symbols",
            "Noto Sans Symbols2")

# Code points Typst's embedded Libertinus Serif (regular) draws, found by compiling every
# letter, punctuation mark and symbol of the Latin, Greek, Cyrillic and symbol blocks with
# fallback off; tests/test_fonts.py compiles all of them again. Bold and italic fall back to
# the regular face for what they lack. Combining marks are left out (stricter).
LIBERTINUS: tuple[tuple[int, int], ...] = (
    (0x0020, 0x007E), (0x00A0, 0x00AC), (0x00AE, 0x02E4), (0x02EA, 0x02FF), (0x0374, 0x0375),
    (0x037A, 0x037E), (0x0384, 0x038A), (0x038C, 0x038C), (0x038E, 0x03A1), (0x03A3, 0x03CE),
    (0x03D0, 0x03E1), (0x03F0, 0x03F6), (0x03F8, 0x03F9), (0x03FB, 0x03FB), (0x03FD, 0x0477),
    (0x047C, 0x047F), (0x048C, 0x04C4), (0x04C7, 0x04CC), (0x04D0, 0x04F9), (0x1E00, 0x1F15),
    (0x1F18, 0x1F1D), (0x1F20, 0x1F45), (0x1F48, 0x1F4D), (0x1F50, 0x1F57), (0x1F59, 0x1F59),
    (0x1F5B, 0x1F5B), (0x1F5D, 0x1F5D), (0x1F5F, 0x1F7D), (0x1F80, 0x1FB4), (0x1FB6, 0x1FC4),
    (0x1FC6, 0x1FD3), (0x1FD6, 0x1FDB), (0x1FDD, 0x1FEF), (0x1FF2, 0x1FF4), (0x1FF6, 0x1FFE),
    (0x2010, 0x2027), (0x2030, 0x2037), (0x2039, 0x203E), (0x2042, 0x2042), (0x2044, 0x2044),
    (0x2047, 0x204B), (0x204F, 0x204F), (0x2070, 0x2071), (0x2074, 0x208E), (0x2090, 0x209C),
    (0x20A2, 0x20A4), (0x20A7, 0x20A8), (0x20AB, 0x20AC), (0x20AF, 0x20AF), (0x20B1, 0x20B1),
    (0x20B9, 0x20B9), (0x20BF, 0x20BF), (0x2100, 0x2103), (0x2105, 0x2106), (0x2109, 0x2109),
    (0x210C, 0x210F), (0x2111, 0x2111), (0x2113, 0x2113), (0x2115, 0x2116), (0x2119, 0x211A),
    (0x211C, 0x211D), (0x2120, 0x2120), (0x2122, 0x2122), (0x2124, 0x2124), (0x2126, 0x2127),
    (0x212A, 0x212B), (0x212E, 0x212E), (0x2132, 0x2132), (0x2135, 0x2139), (0x214F, 0x214F),
    (0x2153, 0x2184), (0x2190, 0x219B), (0x21A6, 0x21A6), (0x21A8, 0x21A8), (0x21AE, 0x21AE),
    (0x21BC, 0x21BD), (0x21C0, 0x21C1), (0x21CB, 0x21D9), (0x2200, 0x220D), (0x220F, 0x222E),
    (0x2236, 0x2236), (0x223C, 0x223C), (0x2241, 0x2241), (0x2245, 0x2245), (0x2247, 0x2249),
    (0x2259, 0x2259), (0x2260, 0x2262), (0x2264, 0x2265), (0x226A, 0x226B), (0x226E, 0x2271),
    (0x2282, 0x2285), (0x2295, 0x2298), (0x22A2, 0x22A6), (0x22AC, 0x22AC), (0x22B6, 0x22B7),
    (0x22C5, 0x22C5), (0x22EE, 0x22EF), (0x2300, 0x2300), (0x2302, 0x2303), (0x2310, 0x2310),
    (0x2320, 0x2321), (0x2326, 0x2327), (0x2329, 0x232B), (0x237D, 0x237D), (0x2380, 0x2380),
    (0x239B, 0x23AE), (0x23D3, 0x23D3), (0x2460, 0x2487), (0x24B6, 0x24FF), (0x25A0, 0x25A1),
    (0x25B2, 0x25B3), (0x25B6, 0x25B7), (0x25BC, 0x25BD), (0x25C0, 0x25C1), (0x25C6, 0x25C7),
    (0x25C9, 0x25CC), (0x25CE, 0x25D7), (0x25E6, 0x25E6), (0x2605, 0x2605), (0x2609, 0x2609),
    (0x2619, 0x2619), (0x261B, 0x261B), (0x261E, 0x261E), (0x2627, 0x2627), (0x262F, 0x262F),
    (0x2639, 0x2653), (0x2660, 0x2660), (0x2663, 0x2663), (0x2665, 0x2666), (0x2669, 0x266F),
    (0x2695, 0x2695), (0x2698, 0x2698), (0x26A2, 0x26A7), (0x26AC, 0x26AF), (0x2714, 0x2714),
    (0x2718, 0x2718), (0x271D, 0x271D), (0x2767, 0x2767), (0x2776, 0x277F), (0x2C60, 0x2C6C),
    (0x2C6E, 0x2C6F), (0x2C74, 0x2C77), (0x2E02, 0x2E05), (0x2E08, 0x2E0A), (0x2E17, 0x2E18),
    (0xA720, 0xA721), (0xA765, 0xA765), (0xA789, 0xA78C), (0xA793, 0xA793), (0xFB1D, 0xFB1D),
    (0xFB1F, 0xFB20), (0xFB29, 0xFB36), (0xFB38, 0xFB3C), (0xFB3E, 0xFB3E), (0xFB40, 0xFB41),
    (0xFB43, 0xFB44), (0xFB46, 0xFB4E),
)

# Never need a glyph: Typst treats them as line breaks or tabs.
_LAYOUT = frozenset("\t\n\v\f\r\x85\u2028\u2029")
# Unicode's Default_Ignorable_Code_Point: Typst drops them before choosing fonts (soft hyphen,
# zero-width (non-)joiner, bidi marks, variation selectors, tags …). Checked with Typst over
# every one of them in tests/test_fonts.py.
IGNORABLE = ((0x00AD, 0x00AD), (0x034F, 0x034F), (0x061C, 0x061C), (0x115F, 0x1160), (0x17B4, 0x17B5),
              (0x180B, 0x180F), (0x200B, 0x200F), (0x202A, 0x202E), (0x2060, 0x206F), (0x3164, 0x3164),
              (0xFE00, 0xFE0F), (0xFFA0, 0xFFA0), (0xFFF0, 0xFFF8), (0x1BCA0, 0x1BCA3), (0x1D173, 0x1D17A),
              (0xE0000, 0xE0FFF))
# Refused even when a font maps them: PDF/A forbids U+FEFF (although ignorable), private-use
# code points and noncharacters; a font's glyphs for control characters are placeholders;
# surrogates are no characters. And Typst does not fall back to another font for a space
# character: U+1680 (the one space the shaper cannot fake) fails in code, in DejaVu Sans Mono.
_REFUSED = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f\ufeff\u1680\ud800-\uf8ff\ufdd0-\ufdef"
                      "\U000f0000-\U0010ffff]|[\ufffe\uffff]")
# Everything a German text is made of needs no look-up at all.
_INTERESTING = re.compile(r"[^\t\n\r -~]")
_EMOJI_MODIFIERS = range(0x1F3FB, 0x1F400)

_CACHE_FORMAT = 1


# --- the font files -----------------------------------------------------------------------------


def font_files() -> list[Path]:
    """The curated font files that exist on this machine, in :data:`FONT_FILES` order."""
    return [path for _, path in _candidates() if path.is_file()]


def missing_packages() -> list[str]:
    """Debian packages of which at least one curated font file is missing."""
    missing = {package for package, path in _candidates() if package in DEBIAN_PACKAGES and not path.is_file()}
    return [package for package in DEBIAN_PACKAGES if package in missing]


def _candidates() -> list[tuple[str, Path]]:
    matplotlib = _matplotlib_fonts()
    found = []
    for package, path in FONT_FILES:
        if package == "matplotlib":
            if matplotlib is None:
                continue
            path = matplotlib / path
        found.append((package, path))
    return found


@functools.lru_cache(maxsize=1)
def _matplotlib_fonts() -> Path | None:
    # Located without importing matplotlib (a fifth of a second, and check must not load it).
    spec = importlib.util.find_spec("matplotlib")
    if spec is None or not spec.submodule_search_locations:
        return None
    folder = Path(next(iter(spec.submodule_search_locations))) / "mpl-data" / "fonts" / "ttf"
    return folder if folder.is_dir() else None


def _signature(paths: list[Path]) -> list[tuple[str, int, int]]:
    signature = []
    for path in paths:
        stat = path.stat()
        signature.append((str(path), stat.st_size, stat.st_mtime_ns))
    return signature


def fingerprint() -> str:
    """A hash over the paths, sizes and modification times of :func:`font_files`."""
    import hashlib

    return hashlib.sha256(json.dumps(_signature(font_files())).encode()).hexdigest()[:16]


def font_dir() -> Path:
    """A folder holding (links to) exactly :func:`font_files`, for Typst's ``font_paths``.

    Named by :func:`fingerprint`, created once with an atomic rename and reused; installing a
    font package gives a new folder.
    """
    import tempfile

    files = font_files()
    digest = fingerprint()
    bases = (user_cache_dir() / "fonts", Path(tempfile.gettempdir()) / f"redaktion-fonts-{os.getuid()}")
    reasons = []
    for base in bases:
        target = base / digest
        if target.is_dir():
            return target
        try:
            return _create_font_dir(target, files)
        except OSError as error:
            reasons.append(f"{base}: {os_reason(error)}")
    # The PDF cannot be made without its fonts; nothing in the members' texts is to blame.
    raise RenderError("Der Ordner für die Schriften des PDFs lässt sich nicht anlegen (" + "; ".join(reasons) + ").",
                      f"Setzen Sie die Umgebungsvariable {CACHE_ENV} auf einen Ordner, in den Sie schreiben dürfen, "
                      "oder geben Sie im Cache-Ordner ($XDG_CACHE_HOME, sonst ~/.cache) bzw. im temporären Ordner "
                      "Platz und Schreibrechte frei.")


def _create_font_dir(target: Path, files: list[Path]) -> Path:
    import shutil
    import tempfile

    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=target.parent))
    try:
        for path in files:
            try:
                (tmp / path.name).symlink_to(path)
            except OSError:
                shutil.copyfile(path, tmp / path.name)
        try:
            os.rename(tmp, target)
        except OSError:
            if not target.is_dir():  # not a competing run that was faster
                raise
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return target


# --- coverage -----------------------------------------------------------------------------------


class _RangeSet:
    """Code points given as sorted, disjoint ranges; membership by bisection."""

    def __init__(self, ranges: Ranges):
        self.ranges = ranges
        self._starts = [start for start, _ in ranges]

    def __contains__(self, cp: int) -> bool:
        index = bisect.bisect_right(self._starts, cp) - 1
        return index >= 0 and cp <= self.ranges[index][1]


class _Fonts:
    """The code points of each font (the embedded Libertinus subset counted as one font)."""

    def __init__(self, ranges: list[Ranges]):
        self.each = [_RangeSet(list(LIBERTINUS)), *(_RangeSet(r) for r in ranges)]
        self.union = _RangeSet(merge([span for font in self.each for span in font.ranges]))

    @functools.cached_property
    def code_points(self) -> frozenset[int]:
        return frozenset(cp for start, end in self.union.ranges for cp in range(start, end + 1))

    def draw_together(self, chars: str) -> bool:
        """Whether one font has all of ``chars`` (as written or composed, as the shaper tries)."""
        wanted = [{ord(c) for c in chars}, {ord(c) for c in unicodedata.normalize("NFC", chars)}]
        return any(all(cp in font for cp in points) for font in self.each for points in wanted)


@functools.lru_cache(maxsize=1)
def _fonts() -> _Fonts:
    # Once per process: fonts are installed between runs, not during one.
    ranges = _cached_ranges(_signature(font_files()))
    if _matplotlib_fonts() is None:
        # check without matplotlib (a CI job that installed only what check needs): the PDF is
        # always built with matplotlib, whose pinned version ships this DejaVu Sans.
        stored = json.loads(DEJAVU_SANS.read_text(encoding="utf-8"))["ranges"]
        ranges += [[(start, end) for start, end in spans] for spans in stored.values()]
    return _Fonts(ranges)


def _cached_ranges(signature: list[tuple[str, int, int]]) -> list[Ranges]:
    """Each file's character map as ranges, from the user cache where the file is unchanged."""
    path = user_cache_dir() / "fonts" / "coverage.json"
    try:
        cached = json.loads(read(path) or b"{}")
        known = {tuple(entry["file"]): entry["ranges"] for entry in cached["files"]} \
            if cached.get("format") == _CACHE_FORMAT else {}
    except (OSError, ValueError, KeyError, TypeError):
        known = {}
    result, changed = [], False
    for entry in signature:
        ranges = known.get(tuple(entry))
        if ranges is None:
            ranges, changed = read_cmap(Path(entry[0])), True
        result.append([(int(start), int(end)) for start, end in ranges])
    if changed:
        data = {"format": _CACHE_FORMAT, "files": [{"file": list(e), "ranges": r} for e, r in zip(signature, result)]}
        store(path, json.dumps(data).encode("utf-8"))
    return result


def coverage() -> frozenset[int]:
    """Every code point that some font of the PDF draws (:func:`font_files` and :data:`LIBERTINUS`)."""
    return _fonts().code_points


# --- characters ---------------------------------------------------------------------------------


def uncovered(text: str) -> list[tuple[int, str]]:
    """``(offset, character)`` of every character of ``text`` that the PDF cannot draw.

    ``offset`` counts characters (Python string index). Reported are characters no font has,
    characters PDF/A forbids (private use, U+FEFF, control characters other than line breaks
    and tabs), and combining marks (accents, emoji skin tones) that no font has together with
    the character before them. Line breaks, tabs and invisible formatting characters (soft
    hyphen, zero-width joiner, bidi marks, variation selectors …) are fine.
    """
    # Each distinct character is judged once; a long text has only a few hundred of them.
    verdicts = {char: _verdict(char) for char in set(_INTERESTING.findall(text))}
    if all(verdict == "ok" for verdict in verdicts.values()):
        return []
    found: list[tuple[int, str]] = []
    for match in _INTERESTING.finditer(text):
        offset, char = match.start(), match.group()
        verdict = verdicts[char]
        if verdict == "missing":
            found.append((offset, char))
        elif verdict == "mark":
            # A base no font has is reported itself; the mark is judged with what can be drawn.
            cluster = "".join(c for c in text[_cluster_start(text, offset):offset + 1]
                              if not _ignorable(c) and verdicts.get(c) != "missing")
            if len(cluster) > 1 and not _fonts().draw_together(cluster):
                found.append((offset, char))
    return found


@functools.lru_cache(maxsize=4096)
def _verdict(char: str) -> str:
    """"ok", "missing", or "mark" (covered, but only usable with a font that has its base too).

    Remembered: the fonts do not change while the process runs, and every text asks again."""
    if char in _LAYOUT or _ignorable(char):
        return "ok"
    if _REFUSED.match(char) or ord(char) not in _fonts().union:
        return "missing"
    return "mark" if _is_mark(char) else "ok"


def _ignorable(char: str) -> bool:
    cp = ord(char)
    return cp >= 0xAD and any(start <= cp <= end for start, end in IGNORABLE)


def _is_mark(char: str) -> bool:
    return unicodedata.category(char)[0] == "M" or ord(char) in _EMOJI_MODIFIERS


def _cluster_start(text: str, offset: int) -> int:
    """Where the cluster (base character plus marks) ending at ``offset`` begins."""
    start = offset
    while start > 0 and (_is_mark(text[start - 1]) or _ignorable(text[start - 1])):
        start -= 1
    if start > 0 and text[start - 1] not in _LAYOUT:
        start -= 1  # the base
    return start


def character_name(char: str) -> str:
    """``U+1F600 GRINNING FACE``; unnamed code points get a German description instead."""
    name = unicodedata.name(char, "")
    if not name:
        category = unicodedata.category(char)
        name = {"Cc": "(Steuerzeichen)", "Co": "(privater Nutzungsbereich)", "Cs": "(Ersatzcode, kein Zeichen)"
                }.get(category, "(kein Unicode-Zeichen)" if _noncharacter(char) else "(nicht vergeben)")
    return f"U+{ord(char):04X} {name}"


def _noncharacter(char: str) -> bool:
    cp = ord(char)
    return 0xFDD0 <= cp <= 0xFDEF or cp & 0xFFFE == 0xFFFE


def hint(char: str) -> str:
    """What a contributor can do about ``char``, which :func:`uncovered` reported (German)."""
    category = unicodedata.category(char)
    if char == "\ufeff" or category in ("Cc", "Cs") or _noncharacter(char):
        return ("Das Zeichen ist unsichtbar und gehört nicht in einen Text (oft beim Kopieren "
                "hineingeraten). Löschen Sie es.")
    if category == "Co":
        return ("Das Zeichen stammt aus dem privaten Bereich von Unicode (etwa ein Symbol einer "
                "Word-Schrift), bedeutet nur in dieser einen Schrift etwas und ist im PDF nicht erlaubt. "
                "Ersetzen Sie es durch Text oder ein gewöhnliches Zeichen.")
    if _is_mark(char) and ord(char) in _fonts().union:
        return ("Keine Schrift hat dieses Kombinationszeichen (etwa einen Akzent oder die Hautfarbe "
                "eines Emoji) zusammen mit dem Zeichen davor. Lassen Sie es weg oder schreiben Sie den "
                "fertigen Buchstaben (z. B. „é“ statt „e“ und Akzent).")
    packages = missing_packages()
    if packages:
        return ("Keine der installierten Schriften enthält dieses Zeichen. Für weitere Sprachen "
                f"und Symbole installieren Sie die Debian-Pakete {' und '.join(packages)} "
                f"(als root: apt-get install {' '.join(packages)}) – oder ersetzen Sie das Zeichen.")
    return ("Keine Schrift des PDFs enthält dieses Zeichen (häufig bei Emoji). Ersetzen Sie es "
            "durch Text oder ein anderes Zeichen.")
