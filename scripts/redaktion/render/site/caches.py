"""Caches that spare the site build work whose result cannot have changed.

* :func:`template_cache` keeps the compiled Jinja templates of the theme. Compiling
  mkdocs-material's templates costs about half a second per build; the compiled code depends
  only on the template source (Jinja checks it), so it is kept per user, not per project.
* :class:`CachedSearchIndex` keeps each page's entries of the search index. Indexing parses the
  whole HTML of every page; the entries depend only on the page's content, table of contents,
  address and title, so a page that did not change is not parsed again.

Both fall back to doing the work when the cache cannot be read or written.
"""

from __future__ import annotations

import hashlib
import json
import os
import threading
from collections.abc import Callable
from concurrent.futures import BrokenExecutor, CancelledError, Executor
from dataclasses import dataclass
from pathlib import Path

import jinja2
from material import __version__ as material_version
from material.plugins.search.plugin import SearchIndex
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import AnchorLink

from ...util.cachefiles import prune, read, store, user_cache_dir, write_atomic
from ...model import slugify


def template_cache() -> jinja2.BytecodeCache | None:
    """A bytecode cache for Jinja templates, or None when no cache folder can be created."""
    folder = user_cache_dir() / "jinja"
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    if not os.access(folder, os.W_OK):
        return None
    return jinja2.FileSystemBytecodeCache(str(folder))


def search_cache(root: Path) -> Path:
    """Where the search-index entries of the project in ``root`` are kept between builds."""
    return Path(root) / "build" / ".cache" / "search"


class CachedSearchIndex(SearchIndex):
    """mkdocs-material's search index, with each page's entries kept in ``folder`` by content.

    ``previous`` (page address → its entries in the last build) turns on the live preview's
    mode: a changed page keeps its previous entries for now and is indexed again in the
    background after the build (:meth:`finish`), so a save of a 300-page paper shows at once and
    the search follows a moment later. :attr:`pages` holds every page's entries in page order;
    a page built again (the preview's single-page rebuild) replaces its entries in place.
    """

    def __init__(self, folder: Path, previous: dict[str, list] | None = None, **config: object):
        super().__init__(**config)
        self.folder = folder
        self.previous = previous
        self.pages: dict[str, list] = {}  # page address → its entries, in the order of the pages
        # Pages whose entries finish() indexes, with the entries they hold until then.
        self.deferred: list[tuple[Page, Path, list]] = []
        self._lock = threading.Lock()  # pages and deferred: a background indexer may still run
        self._generation = 0  # the newest finish(); an older indexer must not write the file

    def add_entry_from_context(self, page: Page) -> None:
        # Named after the page, so that prune() keeps only its latest few entries.
        path = self.folder / f"{slugify(page.url) or 'start'}-{_page_key(page)}.json"
        entries = _cached_entries(path)
        with self._lock:
            if entries is None and self.previous is not None and page.url in self.previous:
                entries = self.previous[page.url]
                self.deferred.append((page, path, entries))
        if entries is None:
            entries = self._index(page, path)
        with self._lock:
            self.pages[page.url] = entries

    def generate_search_index(self, prev: object) -> str:
        with self._lock:
            self.entries = [entry for entries in self.pages.values() for entry in entries]
        return super().generate_search_index(None)

    def finish(self, site_dir: Path, current: Callable[[], bool] = lambda: True,
               write: bool = False, wait: Callable[[], None] = lambda: None,
               pool: Executor | None = None) -> threading.Thread | None:
        """Index the deferred pages in the background and rewrite the site's search index.

        ``current()`` tells whether this index still belongs to the newest build; an older one
        must not overwrite the file a later build wrote. ``write`` rewrites the file even when
        nothing was deferred (after a single-page rebuild, which mkdocs' search does not see).
        The background thread calls ``wait()`` before it starts: the preview lets its PDF go
        first (indexing a 300-page paper takes a second of a core the PDF compile would use).
        With a ``pool`` (of processes) the pages are parsed there: the parser is Python, and in
        this process it would hold the interpreter lock while the next save is being built.
        """
        with self._lock:
            deferred, self.deferred = self.deferred, []
            self._generation += 1
            generation = self._generation
        target = site_dir / "search" / "search_index.json"

        def save() -> None:
            if target.parent.is_dir() and current() and generation == self._generation:
                write_atomic(target, self.generate_search_index(None).encode("utf-8"))

        if not deferred:
            if write:
                save()
            return None

        def work() -> None:
            wait()
            for page, path, stale in deferred:
                fresh = self._index(page, path, pool)
                with self._lock:
                    if self.pages.get(page.url) is stale:  # not built again meanwhile
                        self.pages[page.url] = fresh
            save()

        thread = threading.Thread(target=work, name="suchindex", daemon=True)
        thread.start()
        return thread

    def _index(self, page: Page, path: Path, pool: Executor | None = None) -> list:
        """Index ``page`` with mkdocs-material's parser and keep its entries in the cache."""
        try:
            if pool is None:
                raise RuntimeError
            entries = pool.submit(page_entries, self.config, _PageData.of(page)).result()
        except (RuntimeError, BrokenExecutor, CancelledError):  # no pool, or shut down with the preview
            entries = page_entries(self.config, page)
        store(path, json.dumps(entries, ensure_ascii=False).encode("utf-8"))
        return entries


def page_entries(config: dict, page: Page | _PageData) -> list:
    """The search entries of one page, as mkdocs-material makes them."""
    index = SearchIndex(**config)
    SearchIndex.add_entry_from_context(index, page)
    return index.entries


@dataclass(frozen=True)
class _TocItem:
    """What the search index reads of a table-of-contents entry (picklable)."""

    id: str
    url: str
    children: tuple[_TocItem, ...]


@dataclass(frozen=True)
class _PageData:
    """What the search index reads of a page, to hand it to another process."""

    url: str
    title: str
    content: str
    meta: dict
    toc: tuple[_TocItem, ...]

    @classmethod
    def of(cls, page: Page) -> _PageData:
        def items(links: list[AnchorLink]) -> tuple[_TocItem, ...]:
            return tuple(_TocItem(link.id, link.url, items(link.children)) for link in links)
        return cls(page.url, str(page.title), page.content or "", dict(page.meta), items(page.toc))


def _cached_entries(path: Path) -> list | None:
    cached = read(path)
    if cached is None:
        return None
    try:
        return json.loads(cached)
    except ValueError:
        return None


def _page_key(page: Page) -> str:
    # Everything create_entry_for_section reads from the page, plus the indexer's version.
    meta = {key: page.meta.get(key) for key in ("title", "tags", "search")}
    parts = [material_version, page.url, page.title, meta, _toc(page.toc)]
    digest = hashlib.sha256(json.dumps(parts, ensure_ascii=False, default=str).encode("utf-8"))
    digest.update((page.content or "").encode("utf-8"))  # large: hashed as it is, not as JSON
    return digest.hexdigest()[:32]


def _toc(items: list[AnchorLink]) -> list:
    return [[item.id, item.title, item.url, item.level, _toc(item.children)] for item in items]


def prune_caches(root: Path) -> None:
    """Keep a few entries of each site cache: public, internal and preview builds share them."""
    from ..charts import chart_cache
    from .html import html_cache

    for folder in (html_cache(root), search_cache(root), chart_cache(root)):
        prune(folder, keep=4)
