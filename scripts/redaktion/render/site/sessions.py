"""The site's session pages, computed from the session sheets; plain data for the templates.

Internal builds get the section „Sitzungen“ (an overview, one page per session, the open
tasks, the calendar file, the invitation and minutes PDFs) and every piece of material.
Public builds get only the page „Aus den Sitzungen“ with the sessions :func:`public_sessions`
lists (title, day, place, public summary, adopted versions, public material) and public
material: the minutes, tasks and attendance are never even converted for them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from ...model import Corpus, SessionRef
from ...assemble.sessions import MaterialLine, SessionSheet, material_lines, open_tasks, session_sheet, tasks_by_member
from ..minutes import convert_texts
from ..publication import PUBLIC_SESSIONS_PATH
from .content import human_size, paper_page_url

INDEX_PAGE = ("sitzungen/index.md", "sitzungen.html", "Sitzungen")
TASKS_PAGE = ("sitzungen/aufgaben.md", "aufgaben.html", "Aufgaben")
PUBLIC_PAGE = ("aus-den-sitzungen.md", "aus-den-sitzungen.html", "Aus den Sitzungen")
SESSION_TEMPLATE = "sitzung.html"
GUIDE_PAGE = "sitzungen-anleitung.md"
CALENDAR_URI = "sitzungen/sitzungen.ics"


def session_page_uri(session_id: str) -> str:
    return f"sitzungen/{session_id}.md"


def session_page_url(session_id: str) -> str:
    return f"sitzungen/{session_id}/"


@dataclass(frozen=True)
class Document:
    """A PDF of a session (Einladung or Protokoll) offered on its page."""

    label: str
    uri: str
    size: str


class SessionPages:
    """Everything the session pages of one build show, computed once per build."""

    def __init__(self, corpus: Corpus, intern: bool, today: dt.date | None = None):
        self.corpus = corpus
        self.intern = intern
        self.today = today or dt.date.today()
        sheets = [session_sheet(corpus, s, self.today) for s in corpus.sessions]
        # Newest first, as people look for the last session.
        self.sheets = sorted(sheets, key=lambda s: (s.date, s.start), reverse=True) if intern else []
        self.public = sorted((s for s in sheets if s.listed_publicly), key=lambda s: (s.date, s.start),
                             reverse=True)
        self.tasks = open_tasks(corpus, self.today) if intern else []
        self.documents: dict[str, dict[str, Document]] = {}  # session id → kind → PDF
        self.html: dict[tuple[str, int], str] = {}  # (session id, index of text) → HTML
        self.results_html: dict[str, str] = {}
        self._convert()

    # --- what the plugin adds to the site ---------------------------------------------------

    def pages(self) -> dict[str, tuple[str, str]]:
        """Generated pages: source path → (template, title)."""
        pages: dict[str, tuple[str, str]] = {}
        if self.public:
            pages[PUBLIC_PAGE[0]] = PUBLIC_PAGE[1:]
        if self.intern and self.sheets:
            pages[INDEX_PAGE[0]] = INDEX_PAGE[1:]
            pages[TASKS_PAGE[0]] = TASKS_PAGE[1:]
            for sheet in self.sheets:
                pages[session_page_uri(sheet.id)] = (SESSION_TEMPLATE, sheet.heading)
        return pages

    def files(self, documents: dict[str, Path] | None = None, calendar: bytes | None = None) -> dict[str, Path | bytes]:
        """Files of the site: material (public only, unless internal), PDFs and calendar (internal)."""
        files: dict[str, Path | bytes] = {}
        root = self.corpus.root
        for line in self._material():
            if line.file:
                files[material_uri(line)] = root / line.file
        if self.intern and self.sheets:
            if calendar is not None:
                files[CALENDAR_URI] = calendar
            for name, path in (documents or {}).items():
                uri = f"downloads/sitzungen/{name}"
                files[uri] = path
                session_id, kind = name.removesuffix(".pdf").rsplit("-", 1)
                label = "Einladung" if kind == "einladung" else "Protokoll"
                self.documents.setdefault(session_id, {})[kind] = Document(label, uri, human_size(path.stat().st_size))
        return files

    def nav(self) -> tuple[list, list]:
        """(public navigation entries, internal navigation entries)."""
        public = [{PUBLIC_PAGE[2]: PUBLIC_PAGE[0]}] if self.public else []
        internal: list = []
        if self.intern and self.sheets:
            entries: list = [{"Übersicht": INDEX_PAGE[0]}, {"Aufgaben": TASKS_PAGE[0]}]
            entries += [{f"{sheet.date[8:10]}.{sheet.date[5:7]}.{sheet.date[:4]} – {sheet.place or 'online'}":
                         session_page_uri(sheet.id)} for sheet in self.sheets]
            if (self.corpus.root / "docs" / GUIDE_PAGE).exists():
                entries.append({"Anleitung": GUIDE_PAGE})
            internal.append({"Sitzungen": entries})
        return public, internal

    # --- what the templates ask ----------------------------------------------------------------

    def context(self, page_uri: str) -> dict:
        """Template values of every page (paper pages show version links and material too)."""
        return {"sitzungen": self, "sheet": self.sheet(page_uri), "paper_url": paper_page_url,
                "session_url": session_page_url, "material_uri": material_uri, "calendar_uri": CALENDAR_URI}

    def sheet(self, page_uri: str) -> SessionSheet | None:
        return next((s for s in self.sheets if session_page_uri(s.id) == page_uri), None)

    def text_html(self, sheet: SessionSheet, index: int) -> str:
        """The HTML of the ``index``-th text of the minutes (0: the preamble, if any)."""
        return self.html.get((sheet.id, index), "")

    def session_link(self, ref: SessionRef | None) -> str:
        """Where a version's session is shown on this site (site-relative, with anchor), or ""."""
        if ref is None:
            return ""
        if self.intern and any(s.id == ref.id for s in self.sheets):
            return session_page_url(ref.id)
        if ref.public and any(s.id == ref.id for s in self.public):
            return f"{PUBLIC_SESSIONS_PATH}#{ref.anchor}"
        return ""

    def paper_material(self, paper_id: str) -> tuple[MaterialLine, ...]:
        """The material of a paper this build shows (public only in a public build)."""
        paper = self.corpus.papers.get(paper_id)
        if paper is None or not (self.intern or paper.is_public):
            return ()
        return tuple(m for m in material_lines(self.corpus, paper.material, paper_id) if m.public or self.intern)

    def shown_material(self, sheet: SessionSheet) -> tuple[MaterialLine, ...]:
        return sheet.material if self.intern else sheet.public_material

    def overdue(self) -> int:
        return sum(1 for task in self.tasks if task.overdue)

    def tasks_by_member(self) -> list:
        return tasks_by_member(self.tasks)

    def open_tasks_of(self, sheet: SessionSheet) -> int:
        return sum(1 for task in sheet.tasks if task.state == "offen")

    # --- internals ------------------------------------------------------------------------------

    def _material(self) -> list[MaterialLine]:
        lines = [m for sheet in (self.sheets if self.intern else self.public) for m in self.shown_material(sheet)]
        for paper_id in self.corpus.papers:
            lines += self.paper_material(paper_id)
        return lines

    def _convert(self) -> None:
        """Convert minutes texts (internal builds) and public summaries with one pandoc run."""
        keys: list[tuple[str, str, int]] = []
        texts: list[str] = []
        for sheet in self.sheets:  # empty in public builds: minutes are never converted for them
            for index, text in enumerate(_texts(sheet)):
                keys.append(("text", sheet.id, index))
                texts.append(text)
        for sheet in self.public if not self.intern else [s for s in self.sheets if s.results]:
            if sheet.results:
                keys.append(("results", sheet.id, 0))
                texts.append(sheet.results)
        for (kind, session_id, index), html in zip(keys, convert_texts(texts, "html5")):
            if kind == "text":
                self.html[(session_id, index)] = html
            else:
                self.results_html[session_id] = html


def _texts(sheet: SessionSheet) -> list[str]:
    """The Markdown texts of the minutes in reading order: the preamble, then every text part."""
    texts = [sheet.preamble] if sheet.preamble else []
    return texts + [part for top in sheet.tops for part in top.parts if isinstance(part, str)]


def material_uri(line: MaterialLine) -> str:
    """Site path of a material file: ``material/<session or paper>/<file name>``."""
    return f"material/{line.owner}/{PurePosixPath(line.file).name}"
