"""The website renderer: mkdocs with mkdocs-material and the ``redaktion`` plugin.

The site renderer gets everything it shows as one :class:`~.input.SiteInput`; ``pages.py``
turns that into pages without any generator, ``plugin.py`` adapts it to mkdocs and
``plain.py`` writes it as plain files. A switch to another generator (e.g. Zensical) needs a
new adapter, nothing else (see the README, "Die Website ist austauschbar").
"""

from __future__ import annotations

import datetime
import hashlib
import os
from pathlib import Path

from ...model import ContentError, RenderError
from ...util.epoch import cache_key_part
from .input import SiteInput

PLUGIN_NAME = "redaktion"
INTERN_ENV = "REDAKTION_INTERN"  # read by mkdocs.yml (!ENV), so `mkdocs serve` can be internal too


class SiteError(RenderError):
    """The site could not be built; the message is German."""


def build_site(root: Path, site_dir: Path, site: SiteInput) -> None:
    """Build the website of the project in ``root`` (its ``mkdocs.yml``) from ``site`` into ``site_dir``.

    Raises :class:`~redaktion.model.ContentError` for content errors, :class:`SiteError` otherwise.
    """
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import Abort, ConfigurationError

    _quiet_mkdocs()
    try:
        config = load_config(config_file=str(root / "mkdocs.yml"), site_dir=str(site_dir))
    except (ConfigurationError, Abort) as error:
        raise SiteError(f"Die Datei mkdocs.yml ist fehlerhaft: {error}") from None
    plugin = config.plugins.get(PLUGIN_NAME)
    if plugin is None:
        raise SiteError("In mkdocs.yml fehlt das Plugin „redaktion“ (unter „plugins:“).")
    plugin.use(site)
    config.plugins.on_startup(command="build", dirty=False)
    try:
        build(config)
    except Abort as error:
        if plugin.failure is not None:
            raise plugin.failure from None
        raise SiteError(f"Die Website konnte nicht gebaut werden: {error}") from error
    finally:
        config.plugins.on_shutdown()


def site_inputs(root: Path, intern: bool, downloads: list[str]) -> str:
    """A fingerprint of everything the site of the project in ``root`` is made of.

    Covers the project's files (by path, size and modification time, so nothing is read),
    frozen versions under ``build/versions``, git tags, this package's code and templates,
    mkdocs and its theme, the rendered ``downloads`` (named by content), the build's
    settings and today's date (the sitemap carries it). When it is unchanged, the site is too.
    """
    from importlib.metadata import version

    lines = [f"intern={intern}", f"date={datetime.date.today().isoformat()}",
             f"epoch={cache_key_part()}", f"{INTERN_ENV}={os.environ.get(INTERN_ENV, '')}",
             *(f"{package} {version(package)}" for package in ("mkdocs", "mkdocs-material", "pypandoc-binary")),
             *downloads]
    for folder, skip_build in ((root, True), (root / "build" / "versions", False),
                               (root / ".git" / "refs" / "tags", False), (Path(__file__).parents[2], False)):
        lines += _file_stats(folder, skip_build)
    packed = root / ".git" / "packed-refs"
    if packed.is_file():
        lines.append(f"{packed} {packed.stat().st_size} {packed.stat().st_mtime_ns}")
    return hashlib.sha256("\n".join(lines).encode("utf-8")).hexdigest()


def _file_stats(folder: Path, skip_build: bool) -> list[str]:
    """``path size mtime`` of every file below ``folder``, leaving out outputs and tool folders."""
    stats = []
    for current, dirs, files in os.walk(folder):
        # Hidden folders (.git, .venv, caches), outputs and virtual environments do not make the site.
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d not in ("__pycache__", "node_modules")
                         and not (skip_build and current == str(folder) and d in ("build", "site"))
                         and not (Path(current) / d / "pyvenv.cfg").exists())
        for name in sorted(files):
            try:
                stat = os.stat(os.path.join(current, name))
            except OSError:
                continue
            stats.append(f"{os.path.join(current, name)} {stat.st_size} {stat.st_mtime_ns}")
    return stats


def _quiet_mkdocs() -> None:
    # mkdocs-material announces mkdocs 2 on every build; the project knows (see PITFALLS.md).
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")


__all__ = ["ContentError", "SiteError", "build_site", "site_inputs"]
