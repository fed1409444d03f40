"""The sealing properties, checked on real outputs of real builds.

A contribution is sealed when nothing in it reaches into another contribution, into the
structure around it or into code on the site, and when what ``check`` accepts builds. This
module writes projects from :class:`Entry` objects (a body with a unique title and marker word),
runs the real ``check`` and ``build`` (public and ``--intern``) and reads what came out:

- every entry's title is a heading in the PDF outline, in the DOCX and on the site, and its
  marker word is in the text of all three;
- no element of the site has an ``on*`` attribute or a ``javascript:``/``vbscript:``/``data:``/
  ``file:`` URL, paper pages carry no script, frame, form or style the theme does not put there
  (compared with a reference paper built alongside), load nothing from another host and have
  unique ids; the search index (shown as HTML by the theme) obeys the same rules.
"""

from __future__ import annotations

import collections
import io
import json
import re
import shutil
import struct
import subprocess
import zipfile
import zlib
from dataclasses import dataclass
from html import unescape as html_unescape
from html.parser import HTMLParser
from pathlib import Path

from projects import MEMBERS, PAPER, PUBLISHER, copy_site_config, write_files
from textcheck import docx_text, main_html_text

PAPER_ID = "testpapier"
REFERENCE_ID = "referenzpapier"  # a benign paper in the same build: the theme's own markup
PAPER_DIR = f"contributions/{PAPER_ID}"
BAD_SCHEMES = ("javascript:", "vbscript:", "data:", "file:")
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "data", "poster", "background", "cite"}
LOADING_ATTRIBUTES = {"src", "srcset", "data", "poster", "background", "xlink:href"}
WATCHED_TAGS = {"script", "iframe", "frame", "object", "embed", "base", "form", "meta", "link", "style"}
_NOT_LOADING_RELS = {"canonical", "alternate", "prev", "next", "license", "author", "help", "search"}
_CSS_URL = re.compile(r"url\(\s*['\"]?\s*([^'\")\s]+)", re.IGNORECASE)
_CONTROL = re.compile(r"[\x00-\x20]")


def tiny_png() -> bytes:
    """A valid 2×2 grey PNG (so image syntax can point at a real file)."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    raw = b"".join(b"\x00" + b"\x80\x80" for _ in range(2))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 2, 2, 8, 0, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


@dataclass(frozen=True)
class Entry:
    """One accepted-to-be contribution: a body plus the unique title and marker it is found by."""

    serial: int
    body: str
    origin: str = ""  # where the body came from, for reports ("CommonMark-Beispiel 42")

    @property
    def slug(self) -> str:
        return f"p{self.serial:05d}"

    @property
    def rel(self) -> str:
        return f"{PAPER_DIR}/stuttgart--{self.slug}.md"

    @property
    def anchor(self) -> str:
        return f"beitrag-{self.slug}"

    @property
    def title(self) -> str:
        return f"Prüfbeitrag {self.serial:05d}"

    @property
    def marker(self) -> str:
        return f"Siegelwort{self.serial:05d}"

    def file_text(self) -> str:
        """The contribution file: front matter (accepted, ordered by serial) and the body."""
        return ("---\npaper: testpapier\nsection: grundlagen\nkind: text\n"
                f"title: {self.title}\nmembers: [stuttgart]\nsubmitted: 2009-11-24\nstatus: angenommen\n"
                f"order: {self.serial}\n---\n\n{self.body}")

    def describe(self) -> str:
        origin = f" ({self.origin})" if self.origin else ""
        return f"„{self.title}“{origin}, {self.rel}"


def lines_of(entry: Entry, needle: str) -> range:
    """The 1-based lines of the entry's file that ``needle`` (searched in the body) spans."""
    text = entry.file_text()
    start = text.index(needle, len(text) - len(entry.body))
    first = text[:start].count("\n") + 1
    return range(first, first + needle.rstrip("\n").count("\n") + 1)


def write_project(root: Path, entries: list[Entry], site: bool = True) -> Path:
    """A public paper holding ``entries`` (in this order) and a benign reference paper."""
    if root.exists():
        shutil.rmtree(root)
    files: dict[str, str | bytes] = {
        "contributions/members.yml": MEMBERS,
        "contributions/zirkel.yml": PUBLISHER,
        f"{PAPER_DIR}/paper.yml": PAPER,
        f"{PAPER_DIR}/media/bild.png": tiny_png(),
        f"contributions/{REFERENCE_ID}/paper.yml": PAPER.replace(f"id: {PAPER_ID}", f"id: {REFERENCE_ID}")
        .replace("title: Testpapier Bildung", "title: Referenzpapier"),
        f"contributions/{REFERENCE_ID}/stuttgart--referenz.md": (
            "---\npaper: referenzpapier\nsection: grundlagen\nkind: text\ntitle: Referenzbeitrag\n"
            "members: [stuttgart]\nsubmitted: 2009-11-24\nstatus: angenommen\n---\n\n"
            "Ein gewöhnlicher Absatz mit [einem Link](https://example.org).\n\n## Unterabschnitt\n\nNoch ein Absatz.\n"),
    }
    files.update({entry.rel: entry.file_text() for entry in entries})
    write_files(root, files)
    return copy_site_config(root) if site else root


def check_errors(root: Path) -> list:  # list[Diagnostic]
    """The error diagnostics of ``redaktion check`` on the project (an exception is a crash)."""
    from redaktion.check.corpus import check
    from redaktion.source.load import load

    return [d for d in check(load(root)) if d.severity == "error"]


# --- building ---------------------------------------------------------------------------------


class BuildFailed(Exception):
    """A build of accepted contributions raised; the message says what the tool said."""


@dataclass
class Outputs:
    """The files one build produced for the test paper."""

    intern: bool
    pdf: bytes
    docx: bytes
    site: Path

    @property
    def mode(self) -> str:
        return "intern" if self.intern else "öffentlich"


def build_outputs(root: Path, intern: bool) -> Outputs:
    """Run the real build (after the real check) and return the test paper's outputs."""
    from redaktion.build.pipeline import build
    from redaktion.source.load import load

    errors = check_errors(root)
    if errors:
        raise BuildFailed("check lehnt die Beiträge zusammen ab:\n" + "\n".join(d.format() for d in errors))
    out = root / ("build-intern" if intern else "build-public")
    try:
        build(load(root), intern=intern, out=out)
    except Exception as error:  # noqa: BLE001 - any failure to build accepted text is the finding
        # The message says it all (and a ContentError from a worker prints garbled when chained).
        raise BuildFailed(f"{type(error).__name__}: {error_text(error)}") from None
    return Outputs(intern, (out / "pdf" / f"{PAPER_ID}.pdf").read_bytes(),
                   (out / "docx" / f"{PAPER_ID}.docx").read_bytes(), out / "site")


def error_text(error: BaseException) -> str:
    """What an exception says; a ContentError's diagnostics, even when they came back from a worker
    process as one string (pickling turns the list into the formatted message)."""
    diagnostics = getattr(error, "diagnostics", None)
    if isinstance(diagnostics, str):
        return diagnostics
    if isinstance(diagnostics, list) and diagnostics:  # every RedaktionError has the list, most leave it empty
        return "\n".join(d.format() if hasattr(d, "format") else str(d) for d in diagnostics)
    return str(error)


# --- reading outputs --------------------------------------------------------------------------


@dataclass(frozen=True)
class Finding:
    """One broken property in one output of one build."""

    kind: str  # e.g. "titel-pdf", "on-attribut" (stable, used to minimise)
    message: str
    serial: int | None  # the entry whose part of the output it is in (or that lost something)
    mode: str = ""


def pdf_outline(pdf: bytes) -> list[str]:
    """Every bookmark title of the PDF, at any depth."""
    import pikepdf

    titles: list[str] = []
    with pikepdf.open(io.BytesIO(pdf)) as document, document.open_outline() as outline:
        stack = list(outline.root)
        while stack:
            item = stack.pop()
            titles.append(item.title)
            stack.extend(item.children)
    return titles


def pdf_plain(pdf: bytes) -> str:
    """The PDF's text with all whitespace and hyphens removed (markers survive line breaks)."""
    text = subprocess.run(["pdftotext", "-raw", "-enc", "UTF-8", "-", "-"], input=pdf, capture_output=True,
                          check=True).stdout.decode("utf-8")
    return re.sub(r"[\s\-\u00ad]+", "", text)


def docx_headings(docx: bytes) -> list[str]:
    """The text of every paragraph with a heading style."""
    import docx as python_docx

    document = python_docx.Document(io.BytesIO(docx))
    return [p.text.strip() for p in document.paragraphs if p.style is not None and p.style.name.startswith("Heading")]


def docx_plain(docx: bytes, folder: Path) -> str:
    """All text of the DOCX (body, notes, headers) without whitespace."""
    path = folder / "probe.docx"
    path.write_bytes(docx)
    return re.sub(r"\s+", "", docx_text(path))


class Page(HTMLParser):
    """What the sealing properties need from one HTML page (or one search-index text)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.headings: list[str] = []
        self.ids: list[tuple[str, str]] = []  # (id, contribution anchor it appeared under)
        self.watched: list[tuple[str, str, str]] = []  # (tag, attributes, content) of scripts, frames …
        self.unsafe: list[tuple[str, str]] = []  # (description, contribution anchor)
        self.owner = ""  # the anchor of the contribution whose heading came last
        self._heading: list[str] | None = None
        self._skip = 0
        self._open_watched: list[list[str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        if re.fullmatch(r"h[1-6]", tag):
            self._heading = []
            if values.get("id", "").startswith("beitrag-p") and re.fullmatch(r"beitrag-p\d{5}", values["id"]):
                self.owner = values["id"]
        if tag == "a" and "headerlink" in values.get("class", "") and self._heading is not None:
            self._skip += 1
        if "id" in values:
            self.ids.append((values["id"], self.owner))
        self._inspect(tag, values)
        if tag in WATCHED_TAGS and not _harmless_link(tag, values):
            described = " ".join(f"{k}={v}" for k, v in sorted(values.items()))
            self._open_watched.append([tag, described, ""])
            if tag in ("meta", "link", "base", "embed"):  # void elements
                self._close_watched()

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if self._open_watched and self._open_watched[-1][0] == tag:
            self._close_watched()

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self._skip:
            self._skip -= 1
        if re.fullmatch(r"h[1-6]", tag) and self._heading is not None:
            self.headings.append(" ".join("".join(self._heading).split()))
            self._heading = None
        if self._open_watched and self._open_watched[-1][0] == tag:
            self._close_watched()

    def handle_data(self, data: str) -> None:
        if self._heading is not None and not self._skip:
            self._heading.append(data)
        if self._open_watched:
            self._open_watched[-1][2] += data
        if self._open_watched and self._open_watched[-1][0] == "style":
            self._css(data, "<style>")

    def _close_watched(self) -> None:
        tag, described, content = self._open_watched.pop()
        self.watched.append((tag, described, content.strip()))

    def _inspect(self, tag: str, values: dict[str, str]) -> None:
        for name, value in values.items():
            if name.startswith("on"):
                self.unsafe.append((f"<{tag} {name}=…> (Ereignis-Attribut)", self.owner))
            if name in URL_ATTRIBUTES and _CONTROL.sub("", value).lower().startswith(BAD_SCHEMES):
                self.unsafe.append((f"<{tag} {name}=\"{value[:50]}\"> (gefährliche Adresse)", self.owner))
            loading = name in LOADING_ATTRIBUTES or (
                tag == "link" and name == "href" and not set(values.get("rel", "").lower().split()) <= _NOT_LOADING_RELS)
            if loading and any(_external(part.split()[0]) for part in value.split(",") if part.strip()):
                self.unsafe.append((f"<{tag} {name}=\"{value[:50]}\"> (lädt von fremdem Server)", self.owner))
            if name == "style":
                self._css(value, f"<{tag} style>")
        if tag == "meta" and values.get("http-equiv", "").lower() == "refresh":
            self.unsafe.append(("<meta http-equiv=refresh> (Weiterleitung)", self.owner))

    def _css(self, css: str, where: str) -> None:
        for url in _CSS_URL.findall(css):
            if _external(url) or _CONTROL.sub("", url).lower().startswith(BAD_SCHEMES):
                self.unsafe.append((f"{where} url({url[:50]}) (fremde oder gefährliche Adresse)", self.owner))


def _harmless_link(tag: str, values: dict[str, str]) -> bool:
    # Navigation links (canonical, prev, next) differ from page to page and load nothing.
    return tag == "link" and set(values.get("rel", "").lower().split()) <= _NOT_LOADING_RELS


def _external(url: str) -> bool:
    url = _CONTROL.sub("", url).lower()
    return url.startswith(("http:", "https:", "//", "\\\\", "/\\"))


def read_page(markup: str) -> Page:
    """Parse one HTML page (or fragment) for the sealing properties."""
    page = Page()
    page.feed(markup)
    page.close()
    return page


def _paper_page(site: Path, paper_id: str) -> str:
    return (site / "papiere" / paper_id / "index.html").read_text(encoding="utf-8")


def _entry_of(anchor: str, by_anchor: dict[str, Entry]) -> int | None:
    entry = by_anchor.get(anchor)
    return entry.serial if entry else None


def inspect(outputs: Outputs, entries: list[Entry], scratch: Path) -> list[Finding]:
    """Every broken sealing property in one build of ``entries`` (in their order)."""
    findings: list[Finding] = []
    by_anchor = {e.anchor: e for e in entries}
    before = {e.serial: (entries[i - 1].serial if i else None) for i, e in enumerate(entries)}

    def lost(kind: str, entry: Entry, what: str) -> None:
        previous = before[entry.serial]
        after = f" (davor steht Prüfbeitrag {previous:05d})" if previous is not None else ""
        findings.append(Finding(kind, f"{what} von {entry.describe()} fehlt{after}", entry.serial, outputs.mode))

    outline, pdf_text = pdf_outline(outputs.pdf), pdf_plain(outputs.pdf)
    headings, docx_all = docx_headings(outputs.docx), docx_plain(outputs.docx, scratch)
    page_markup = _paper_page(outputs.site, PAPER_ID)
    page = read_page(page_markup)
    main_text = re.sub(r"\s+", "", main_html_text(page_markup))
    for entry in entries:
        for kind, titles, output in (("titel-pdf", outline, "PDF-Lesezeichen"), ("titel-docx", headings, "DOCX-Überschrift"),
                                     ("titel-website", page.headings, "Überschrift der Website")):
            if entry.title not in titles:
                lost(kind, entry, output)
        for kind, text, output in (("marker-pdf", pdf_text, "PDF-Text"), ("marker-docx", docx_all, "DOCX-Text"),
                                   ("marker-website", main_text, "Text der Website")):
            if entry.marker not in text:
                lost(kind, entry, f"Markierungswort {entry.marker} im {output}")
    findings += _site_findings(outputs, page, by_anchor)
    findings += [Finding("unsicherer-link-pdf", m, None, outputs.mode) for m in pdf_actions(outputs.pdf)]
    findings += [Finding("unsicherer-link-docx", m, None, outputs.mode) for m in docx_links(outputs.docx)]
    return findings


def pdf_actions(pdf: bytes) -> list[str]:
    """Script actions and links with dangerous URLs anywhere in the PDF."""
    import pikepdf

    problems: list[str] = []
    with pikepdf.open(io.BytesIO(pdf)) as document:
        for number, obj in enumerate(document.objects):
            if not isinstance(obj, pikepdf.Dictionary):
                continue
            kind = str(obj.get("/S", ""))
            if kind in ("/JavaScript", "/Launch", "/ImportData", "/SubmitForm"):
                problems.append(f"PDF-Objekt {number}: Aktion {kind}")
            uri = obj.get("/URI")
            if uri is not None and _CONTROL.sub("", str(uri)).lower().startswith(BAD_SCHEMES):
                problems.append(f"PDF-Objekt {number}: Link auf {str(uri)[:50]}")
    return problems


def docx_links(docx: bytes) -> list[str]:
    """Hyperlinks with dangerous URLs and images loaded from elsewhere in a DOCX."""
    problems: list[str] = []
    with zipfile.ZipFile(io.BytesIO(docx)) as archive:
        for name in archive.namelist():
            if not name.endswith((".rels", ".xml")):
                continue
            xml = archive.read(name).decode("utf-8", "replace")
            for target in re.findall(r'Target="([^"]*)"', xml) + re.findall(r'HYPERLINK\s+&quot;([^&]*)', xml):
                if _CONTROL.sub("", html_unescape(target)).lower().startswith(BAD_SCHEMES):
                    problems.append(f"{name}: Link auf {target[:50]}")
            for match in re.finditer(r'<Relationship [^>]*Type="[^"]*/image"[^>]*TargetMode="External"[^>]*>', xml):
                problems.append(f"{name}: Bild von fremdem Server ({match.group(0)[:80]})")
    return problems


def _site_findings(outputs: Outputs, page: Page, by_anchor: dict[str, Entry]) -> list[Finding]:
    findings: list[Finding] = []
    site = outputs.site
    reference = read_page(_paper_page(site, REFERENCE_ID))
    extra = collections.Counter(page.watched) - collections.Counter(reference.watched)
    for tag, described, content in extra:
        findings.append(Finding(f"fremdes-{tag}", f"Papierseite enthält <{tag} {described}>{content[:60]}",
                                None, outputs.mode))
    owners: dict[str, list[str]] = collections.defaultdict(list)
    for identifier, owner in page.ids:
        owners[identifier].append(owner)
    for identifier, where in owners.items():
        if len(where) > 1:
            # An id taken from the page's structure or from another contribution reaches out of the
            # contribution; one used twice inside it only breaks its own permalinks.
            kind = "doppelte-id" if len(set(where)) > 1 else "doppelte-id-im-beitrag"
            findings.append(Finding(kind, f"id „{identifier}“ kommt auf der Papierseite {len(where)}-mal vor",
                                    _entry_of(where[-1], by_anchor), outputs.mode))
    for path in sorted(site.rglob("*.html")):
        where = path.relative_to(site).as_posix()
        parsed = page if where == f"papiere/{PAPER_ID}/index.html" else read_page(path.read_text(encoding="utf-8"))
        for description, owner in parsed.unsafe:
            findings.append(Finding("unsicheres-html", f"{where}: {description}", _entry_of(owner, by_anchor),
                                    outputs.mode))
    index = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    for doc in index.get("docs", []):
        parsed = read_page(doc.get("text", "") + doc.get("title", ""))
        anchor = doc.get("location", "").partition("#")[2]
        owner = next((a for a in by_anchor if anchor == a or anchor.startswith(a + "-")), "")
        for description, _ in parsed.unsafe:
            findings.append(Finding("unsicherer-suchindex", f"Suchindex {doc.get('location')}: {description}",
                                    _entry_of(owner, by_anchor), outputs.mode))
        for tag, described, _ in parsed.watched:
            findings.append(Finding("unsicherer-suchindex", f"Suchindex {doc.get('location')}: <{tag} {described}>",
                                    _entry_of(owner, by_anchor), outputs.mode))
    return findings

