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
from pathlib import Path

import jinja2
from material import __version__ as material_version
from material.plugins.search.plugin import SearchIndex
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import AnchorLink

from ...util.cachefiles import read, store, user_cache_dir
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
    """mkdocs-material's search index, with each page's entries kept in ``folder`` by content."""

    def __init__(self, folder: Path, **config: object):
        super().__init__(**config)
        self.folder = folder

    def add_entry_from_context(self, page: Page) -> None:
        # Named after the page, so that prune() keeps only its latest few entries.
        path = self.folder / f"{slugify(page.url) or 'start'}-{_page_key(page)}.json"
        cached = read(path)
        if cached is not None:
            try:
                self.entries.extend(json.loads(cached))
                return
            except ValueError:
                pass
        first = len(self.entries)
        super().add_entry_from_context(page)
        store(path, json.dumps(self.entries[first:], ensure_ascii=False).encode("utf-8"))


def _page_key(page: Page) -> str:
    # Everything create_entry_for_section reads from the page, plus the indexer's version.
    meta = {key: page.meta.get(key) for key in ("title", "tags", "search")}
    parts = [material_version, page.url, page.title, meta, _toc(page.toc)]
    digest = hashlib.sha256(json.dumps(parts, ensure_ascii=False, default=str).encode("utf-8"))
    digest.update((page.content or "").encode("utf-8"))  # large: hashed as it is, not as JSON
    return digest.hexdigest()[:32]


def _toc(items: list[AnchorLink]) -> list:
    return [[item.id, item.title, item.url, item.level, _toc(item.children)] for item in items]
