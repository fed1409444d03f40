"""Compare a member's words with what an output shows: every word present, in order."""

from __future__ import annotations

import html
import json
import re
import subprocess
import zipfile
from html.parser import HTMLParser
from pathlib import Path

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")
_WORD = re.compile(r"\w+")
_FOOTNOTE_DEF = re.compile(r"^\[\^[^\]]+\]:\s*(.*)$", re.MULTILINE)
_FOOTNOTE_REF = re.compile(r"\[\^[^\]]+\]")
_IMAGE = re.compile(r"!\[([^\]]*)\]\([^)]*\)")
_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_ATTRS = re.compile(r"\{#[^}]*\}")


def source_parts(body: str) -> tuple[list[str], list[str], list[str]]:
    """Split a contribution body into (words of the running text, footnote texts, alt texts)."""
    body = re.sub(r"<!--.*?-->", " ", body, flags=re.DOTALL)
    footnotes = [m.group(1).strip() for m in _FOOTNOTE_DEF.finditer(body)]
    text = _FOOTNOTE_DEF.sub(" ", body)
    alts = [m.group(1) for m in _IMAGE.finditer(text)]
    text = _IMAGE.sub(" ", text)
    text = _LINK.sub(r"\1", _FOOTNOTE_REF.sub(" ", text))
    text = _ATTRS.sub(" ", text)
    return words(text), footnotes, alts


def words(text: str) -> list[str]:
    return [w.casefold() for w in _WORD.findall(text.replace("_", " "))]


def missing_in_order(expected: list[str], actual: list[str], start: int = 0) -> tuple[list[str], int]:
    """Greedy subsequence match; return (words not found in order, position after the last match)."""
    position = start
    missing: list[str] = []
    for word in expected:
        try:
            position = actual.index(word, position) + 1
        except ValueError:
            missing.append(word)
    return missing, position


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self._skip += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style") and self._skip:
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def html_text(markup: str) -> str:
    parser = _Text()
    parser.feed(markup)
    return html.unescape(" ".join(parser.parts))


def main_html_text(markup: str) -> str:
    """Text of the page's main content (without navigation, which repeats headings)."""
    match = re.search(r'<article[^>]*>(.*)</article>', markup, re.DOTALL)
    return html_text(match.group(1) if match else markup)


def pdf_text(path: Path) -> str:
    text = subprocess.run(["pdftotext", "-raw", "-enc", "UTF-8", str(path), "-"], capture_output=True,
                          check=True).stdout.decode("utf-8")
    text = re.sub("\u00ad\n\\s*", "", text).replace("\u00ad", "")
    # Typst hyphenates German words at line ends: "Bil-\ndung" is one word again.
    return re.sub(r"(\w)-\n(\s*)([a-zäöüß])", r"\1\3", text)


def docx_text(path: Path) -> str:
    with zipfile.ZipFile(path) as archive:
        xml = "".join(archive.read(name).decode("utf-8") for name in archive.namelist()
                      if name.startswith("word/") and name.endswith(".xml"))
    xml = re.sub(r"</w:p>", "\n", xml)
    return html.unescape(re.sub(r"<[^>]+>", "", xml))


def all_text_of_tree(folder: Path) -> dict[Path, str]:
    """Every file of an output tree as text (PDF and DOCX extracted), for leak checks."""
    texts: dict[Path, str] = {}
    for path in sorted(folder.rglob("*")):
        if not path.is_file():
            continue
        if path.suffix == ".pdf":
            texts[path] = pdf_text(path)
        elif path.suffix == ".docx":
            texts[path] = docx_text(path)
        elif path.suffix in (".png", ".jpg", ".jpeg", ".woff", ".woff2", ".ttf", ".ico", ".gz"):
            continue
        else:
            text = path.read_bytes().decode("utf-8", "replace")
            if path.suffix == ".json":
                text = json.dumps(json.loads(text), ensure_ascii=False)
            texts[path] = html.unescape(text)
    return texts
