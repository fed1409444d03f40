"""HTML for the website: the draft through pandoc, plus small, safe post-processing.

Paper text is converted by pandoc (the one Markdown reader of all outputs) with the Lua
filter ``beitrag.lua``. Everything here works on the HTML pandoc or Python-Markdown wrote:
tables get a keyboard-focusable scroll wrapper, the footnote list gets a heading, and the
page's table of contents is read back from the headings.
"""

from __future__ import annotations

import hashlib
import html
import os
import re
from concurrent.futures import Future, ThreadPoolExecutor
from html.parser import HTMLParser
from pathlib import Path

from ...util.cachefiles import read, store
from ...model import CONTRIBUTION_KIND_LABELS, CONTRIBUTION_STATUS_LABELS, Dataset, Draft
from ..pandoc import convert_pieces, draft_document, pandoc_version, run_pandoc

LUA_FILTER = Path(__file__).with_name("beitrag.lua")

_TABLE = re.compile(r"<table>(.*?)</table>", re.DOTALL)
_FOOTNOTES = re.compile(r'(<section id="footnotes"[^>]*>)\s*<hr\s*/?>')


def paper_html(draft: Draft, site_root: str, cache: Path | None = None) -> str:
    """The body of a paper page: sections and contributions (each with its footnotes) as HTML.

    With a ``cache``, the HTML of each contribution is kept, so an edit converts only the
    edited one again; the result is the same as converting the body at once.
    """
    args = _filter_args(draft, site_root)
    for key, label in CONTRIBUTION_STATUS_LABELS.items():
        args += ["--metadata", f"status-{key}={label}"]
    for key, label in {**CONTRIBUTION_KIND_LABELS, "text": "Beitrag"}.items():
        args += ["--metadata", f"kind-{key}={label}"]
    body = convert_pieces(draft.pieces, "html5", args, "<!-- redaktion-teil -->", cache,
                          what=f"das Papier „{draft.paper.id}“")
    # Footnotes outside contributions (in a section's introduction) are left to pandoc,
    # which lists them at the end of the page.
    return _FOOTNOTES.sub(r'\1<h2 id="anmerkungen">Anmerkungen</h2>', body)


def cached_paper_html(draft: Draft, site_root: str, cache: Path | None) -> str:
    """:func:`paper_html`, kept under ``cache`` by a key over the draft and this renderer's files."""
    if cache is None:
        return paper_html(draft, site_root)
    digest = hashlib.sha256()
    for part in (draft.content_hash, site_root, str(draft.intern), pandoc_version(), *_comment_args(draft)):
        digest.update(part.encode("utf-8"))
    for path in (LUA_FILTER, Path(__file__), Path(run_pandoc.__code__.co_filename)):
        digest.update(path.read_bytes())
    path = cache / f"{draft.paper.id}-{digest.hexdigest()[:24]}.html"
    cached = read(path)
    if cached is not None:
        return cached.decode("utf-8")
    body = paper_html(draft, site_root, cache)
    store(path, body.encode("utf-8"))
    return body


def html_cache(root: Path) -> Path:
    """Where the paper HTML of the project in ``root`` is kept between builds."""
    return Path(root) / "build" / ".cache" / "html"


def start_paper_bodies(jobs: list[tuple[Draft, str]], cache: Path | None) -> Future[list[str]]:
    """:func:`paper_bodies` in the background, so pandoc runs while mkdocs is starting."""
    executor = ThreadPoolExecutor(max_workers=1)
    future = executor.submit(paper_bodies, jobs, cache)
    executor.shutdown(wait=False)
    return future


def paper_bodies(jobs: list[tuple[Draft, str]], cache: Path | None) -> list[str]:
    """HTML of several papers at once: pandoc runs as a subprocess, so threads use every core."""
    workers = max(1, min(len(jobs), os.cpu_count() or 1))
    with ThreadPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(lambda job: cached_paper_html(job[0], job[1], cache), jobs))


def dataset_html(draft: Draft, dataset: Dataset, site_root: str) -> str:
    """Chart, table and source line of one data table, exactly as on its paper's page."""
    return run_pandoc(draft_document([("daten", dataset.content)]), "html5", _filter_args(draft, site_root),
                      what=f"die Datentabelle „{dataset.indicator}“")


def _filter_args(draft: Draft, site_root: str) -> list[str]:
    """pandoc arguments shared by every HTML conversion: the Lua filter and its metadata."""
    return [
        "--lua-filter", str(LUA_FILTER),
        "--shift-heading-level-by=1",
        "--wrap=none",
        "--metadata", f"site-root={site_root}",
        "--metadata", f"paper-id={draft.paper.id}",
        "--metadata", f"intern={'true' if draft.intern else 'false'}",
        *_comment_args(draft),
    ]


def _comment_args(draft: Draft) -> list[str]:
    """Metadata for the „Kommentar schreiben“ links: internal site, open round, known repository."""
    url = comment_folder_url(draft)
    if not url:
        return []
    return ["--metadata", f"kommentar-neu={url}", "--metadata", f"kommentar-forge={draft.publisher.forge}"]


def comment_folder_url(draft: Draft) -> str:
    """The web editor's new-file page in the folder of the paper's open round ("" if there is none)."""
    publisher, paper = draft.publisher, draft.paper
    current = paper.open_round
    if not draft.intern or current is None or not publisher.repository:
        return ""
    folder = f"contributions/{paper.id}/kommentare/{current.id}"
    base = publisher.repository.rstrip("/")
    if publisher.forge == "github":
        return f"{base}/new/{publisher.branch}/{folder}"
    return f"{base}/-/new/{publisher.branch}/{folder}"


def wrap_tables(page_html: str) -> str:
    """Give every plain table a labelled, keyboard-focusable scroll container.

    Material wraps tables with JavaScript in a scrollable ``div`` that cannot be reached with
    the keyboard (an axe finding). Wrapping them here, with a class on the table so that
    Material leaves them alone, fixes this without JavaScript.
    """
    counter = 0

    def wrap(match: re.Match[str]) -> str:
        nonlocal counter
        counter += 1
        return (f'<div class="tabelle" role="region" tabindex="0" '
                f'aria-label="Tabelle {counter} (bei Bedarf seitlich scrollbar)">'
                f'<table class="tabelle__table">{match.group(1)}</table></div>')

    return _TABLE.sub(wrap, page_html)


_HEADING_HTML = re.compile(r"<h([123])\b[^>]*>.*?</h\1\s*>", re.DOTALL | re.IGNORECASE)


class _HeadingParser(HTMLParser):
    """Collect (level, id, text) of h1–h3 headings, ignoring permalink anchors."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.headings: list[tuple[int, str, str]] = []
        self._current: tuple[int, str] | None = None
        self._text: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag in ("h1", "h2", "h3") and values.get("id"):
            self._current = (int(tag[1]), values["id"] or "")
            self._text = []
        elif self._current and tag == "a" and "headerlink" in (values.get("class") or ""):
            self._skip += 1

    def handle_endtag(self, tag: str) -> None:
        if self._current and tag == "a" and self._skip:
            self._skip -= 1
        elif self._current and tag == f"h{self._current[0]}":
            text = " ".join("".join(self._text).split())
            self.headings.append((self._current[0], self._current[1], text))
            self._current = None

    def handle_data(self, data: str) -> None:
        if self._current and not self._skip:
            self._text.append(data)


def toc_tokens(page_html: str) -> list[dict]:
    """Table-of-contents tokens (as Python-Markdown's toc extension makes them) from headings."""
    parser = _HeadingParser()
    # Only the headings are parsed: feeding whole pages of a large paper costs seconds.
    for match in _HEADING_HTML.finditer(page_html):
        parser.feed(match.group(0))
    root: list[dict] = []
    stack: list[dict] = []
    for level, anchor, text in parser.headings:
        token = {"level": level, "id": anchor, "name": html.escape(text, quote=False), "children": []}
        while stack and stack[-1]["level"] >= level:
            stack.pop()
        (stack[-1]["children"] if stack else root).append(token)
        stack.append(token)
    return root
