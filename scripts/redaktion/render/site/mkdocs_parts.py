"""mkdocs-specific pieces of the site adapter (``plugin.py``): files, front matter, placeholders."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import yaml
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files

from ...model import Diagnostic
from .content import human_size
from .pages import UrlOf

# Stands in for the size of a PDF/DOCX that is still being rendered while the pages are made.
SIZE_TOKEN = "@@redaktion-groesse:{uri}@@"
SIZE_TOKENS = re.compile(r"@@redaktion-groesse:([^@]+)@@")


def url_of(files: Files) -> UrlOf:
    """Source path → the address mkdocs gives the page or file (None if the site has none)."""
    def resolve(uri: str) -> str | None:
        file = files.get_file_from_path(uri)
        return file.url if file is not None else None
    return resolve


def add_file(files: Files, config: MkDocsConfig, uri: str, source: Path | bytes | str) -> None:
    """Add a generated file (content, or a file to copy), replacing one of the same path."""
    file = (File.generated(config, uri, abs_src_path=str(source)) if isinstance(source, Path)
            else File.generated(config, uri, content=source))
    existing = files.get_file_from_path(uri)
    if existing is not None:
        files.remove(existing)
    files.append(file)


def front_matter(title: str, hide: tuple[str, ...] = ()) -> str:
    """The YAML front matter of a generated page."""
    meta: dict[str, object] = {"title": title}
    if hide:
        meta["hide"] = list(hide)
    return "---\n" + yaml.safe_dump(meta, allow_unicode=True) + "---\n"


def copy_downloads(site_dir: Path, ready: dict[str, Path]) -> None:
    """Copy the rendered PDF/DOCX files into the built site.

    In the live preview a file may be replaced by a newer one meanwhile (which is then put into
    the site when it is ready): a file that is gone is skipped.
    """
    for uri, source in ready.items():
        (site_dir / uri).parent.mkdir(parents=True, exist_ok=True)
        try:
            shutil.copyfile(source, site_dir / uri)
        except FileNotFoundError:
            continue


def fill_sizes(pages: list[Path], ready: dict[str, Path], missing: str) -> None:
    """Replace the size placeholders in written pages by the files' sizes (``missing`` if absent).

    The size is left out of the search index (data-search-exclude), so only the pages need it.
    """
    for path in pages:
        path.write_text(with_sizes(path.read_text(encoding="utf-8"), ready, missing), encoding="utf-8")


def with_sizes(html: str, ready: dict[str, Path], missing: str) -> str:
    """``html`` with its size placeholders replaced (see :func:`fill_sizes`)."""
    def size(match: re.Match[str]) -> str:
        try:
            return human_size(ready[match[1]].stat().st_size) if match[1] in ready else missing
        except FileNotFoundError:  # replaced by a newer file in the live preview meanwhile
            return missing

    return SIZE_TOKENS.sub(size, html)


def drop_unused_theme_files(files: Files, config: MkDocsConfig) -> None:
    """Leave out source maps and search languages the site does not use.

    They are never loaded by the pages, but they carry third-party authors' e-mail addresses
    and make up most of the theme's weight.
    """
    languages = {"stemmer.support", "multi"}
    for plugin in config.plugins.values():
        lang = getattr(plugin, "config", {}).get("lang") if hasattr(plugin, "config") else None
        languages.update([lang] if isinstance(lang, str) else (lang or []))
    for file in list(files):
        uri = file.src_uri
        unused_language = (uri.startswith("assets/javascripts/lunr/min/lunr.")
                           and uri.removeprefix("assets/javascripts/lunr/min/lunr.").removesuffix(".min.js")
                           not in languages)
        if uri.endswith(".map") or uri in _UNUSED_THEME_FILES or unused_language:
            files.remove(file)


_UNUSED_THEME_FILES = {"assets/javascripts/lunr/tinyseg.js", "assets/javascripts/lunr/wordcut.js"}


def german_failure(diagnostics: list[Diagnostic]) -> str:
    errors = [d for d in diagnostics if d.severity == "error"]
    lines = "\n".join(d.format() for d in errors)
    return (f"Die Website kann nicht gebaut werden: Die Beiträge enthalten {len(errors)} Fehler.\n"
            f"{lines}\nBitte beheben Sie die Fehler (Prüfung: „redaktion check“).")


def write_charts(site_dir: Path, charts: dict, root: Path) -> None:
    """Draw the papers' charts as SVG into the built site (from the chart cache when drawn before)."""
    if not charts:
        return
    from ..charts import chart_cache, render

    for uri, chart in charts.items():
        (site_dir / uri).parent.mkdir(parents=True, exist_ok=True)
        (site_dir / uri).write_bytes(render(chart, "svg", chart_cache(root)))
