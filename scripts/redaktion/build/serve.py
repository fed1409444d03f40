"""``redaktion serve``: the live preview, which shows a saved contribution within a moment.

mkdocs' own ``serve`` polls the watched folders every half second and then builds the whole
site again. This preview uses mkdocs' server and builder, but

* learns from the operating system which files were saved (inotify on Linux; polling where
  that is not available), a few milliseconds after the save, and knows their names;
* when only contribution texts changed, asks the ``redaktion`` plugin to build again just
  the pages whose content changed (:meth:`~redaktion.render.site.plugin.SiteAdapter.refresh`):
  typically the one paper page, with the navigation and templates of the last full build;
* builds everything (with a freshly read ``mkdocs.yml``) for any other change, or when the
  plugin says the change reaches further (a new paper, a changed title, a new check error).

The paper's PDF is compiled in the background by the plugin's warm Typst compiler and
appears in the served site when it is ready.
"""

from __future__ import annotations

import logging
import os
import shutil
import socket
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit

from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.livereload import LiveReloadServer, _serve_url
from watchdog.events import FileSystemEvent, FileSystemEventHandler

from ..model.errors import RedaktionError
from ..render.site import INTERN_ENV, PLUGIN_NAME, SiteError
from ..source.files import CONTENT_DIR

log = logging.getLogger("mkdocs.commands.serve")

QUIET_SECONDS = 0.03  # a save often arrives as several events (truncate, write, rename)
TEXT_SUFFIXES = (".md", ".yml", ".yaml")


class _Server(LiveReloadServer):
    """mkdocs' live-reload server, told by inotify which files changed."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.build_delay = QUIET_SECONDS
        self.changed: set[str] = set()
        self._changed_lock = threading.Lock()
        try:
            from watchdog.observers import Observer

            self.observer = Observer()  # inotify on Linux: events arrive at once, no folder scans
        except Exception:  # noqa: BLE001 - keep mkdocs' polling observer
            pass

    def watch(self, path: str, func: None = None, *, recursive: bool = True) -> None:
        path = os.path.abspath(path)
        if path not in self._watched_paths:
            self._watched_paths[path] = 1
            self._schedule(path, recursive)

    def _schedule(self, path: str, recursive: bool) -> None:
        try:
            self._watch_refs[path] = self.observer.schedule(_Handler(self), path, recursive=recursive)
        except OSError:  # e.g. the user's inotify limit: poll every watched folder instead
            from watchdog.observers.polling import PollingObserver

            if isinstance(self.observer, PollingObserver):
                raise
            self.observer = PollingObserver(timeout=0.5)
            for watched in self._watched_paths:
                self._watch_refs[watched] = self.observer.schedule(_Handler(self), watched, recursive=recursive)

    def saw(self, names: list[str]) -> None:
        """Note changed files (called by the observer's thread) and wake the build loop."""
        with self._changed_lock:
            self.changed.update(names)
        with self._rebuild_cond:
            self._want_rebuild = True
            self._rebuild_cond.notify_all()

    def take_changes(self) -> set[str]:
        with self._changed_lock:
            changed, self.changed = self.changed, set()
        return changed


class _Handler(FileSystemEventHandler):
    def __init__(self, server: _Server) -> None:
        self.server = server

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.is_directory or event.event_type in ("opened", "closed_no_write"):
            return
        names = [str(name) for name in (event.src_path, getattr(event, "dest_path", "")) if name]
        relevant = [name for name in names if not editor_scratch(name)]
        if relevant:
            self.server.saw(relevant)


# Files editors and tools write beside the one being saved: swap and backup files, and the
# temporary file that sed -i or an editor writes and then renames onto the text (vim's "4913").
_SCRATCH_SUFFIXES = (".swp", ".swo", ".swx", ".tmp", ".bak", ".orig")


def editor_scratch(name: str) -> bool:
    """Whether ``name`` is a scratch file of an editor, not a file of the project."""
    path = Path(name)
    return (path.name.startswith((".", "#")) or path.name.endswith("~") or path.suffix in _SCRATCH_SUFFIXES
            or (not path.suffix and CONTENT_DIR in path.parts))


def _check_port(host: str, port: int) -> None:
    """Refuse a port in use before the first build, not after it."""
    with socket.socket() as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as the preview's server does
        try:
            probe.bind((host, port))
        except OSError:
            raise RedaktionError(f"Der Port {port} ist schon belegt (läuft die Vorschau bereits?).",
                                 f"Beenden Sie das andere Programm oder wählen Sie einen anderen Port, "
                                 f"z. B. „redaktion serve --port {port + 1}“.", exit_code=2) from None


def _seconds(started: float) -> str:
    return f"{time.perf_counter() - started:.2f} s".replace(".", ",")


def contributions_only(root: Path, changed: set[str]) -> bool:
    """Whether every changed file is a text below ``contributions/`` (not an image or a data table)."""
    content = (root / CONTENT_DIR).resolve()
    return bool(changed) and all(Path(name).suffix in TEXT_SUFFIXES and Path(name).resolve().is_relative_to(content)
                                 for name in changed)


def serve(root: Path, intern: bool, port: int, say: Callable[[str], None] = print) -> None:
    """Preview the site of the project in ``root`` on http://127.0.0.1:PORT/ until interrupted.

    ``say`` gets one German line per rebuild (and the address once the preview is ready).
    """
    host = "127.0.0.1"
    _check_port(host, port)
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    os.environ[INTERN_ENV] = "true" if intern else "false"
    root = root.resolve()
    site_dir = tempfile.mkdtemp(prefix="redaktion-vorschau-")

    def fresh_config() -> MkDocsConfig:
        config = load_config(config_file=str(root / "mkdocs.yml"), site_dir=site_dir, dev_addr=f"{host}:{port}")
        config.site_url = serve_url
        return config

    config = load_config(config_file=str(root / "mkdocs.yml"), site_dir=site_dir, dev_addr=f"{host}:{port}")
    mount_path = urlsplit(config.site_url or "/").path
    serve_url = _serve_url(host, port, mount_path)
    config.site_url = serve_url
    plugin = config.plugins.get(PLUGIN_NAME)
    if plugin is None:
        raise SiteError("In mkdocs.yml fehlt das Plugin „redaktion“ (unter „plugins:“).")
    config.plugins.on_startup(command="serve", dirty=False)

    def builder(config: MkDocsConfig | None = None) -> None:
        started, changed = time.perf_counter(), server.take_changes()
        if config is None and contributions_only(root, changed):
            try:
                pages = plugin.update(root, intern)
            except Exception as error:  # noqa: BLE001 - the full build below reports it properly
                log.debug(f"Schnelle Aktualisierung nicht möglich: {error!r}")
                pages = None
            if pages is not None:
                shown = ", ".join(f"/{page}" for page in pages) if pages else "keine Seite geändert"
                say(f"{time.strftime('%H:%M:%S')} {shown} ({_seconds(started)})")
                return
        build(config or fresh_config(), serve_url=serve_url)
        done = "Website erzeugt" if config is not None else "Website vollständig neu erzeugt"
        say(f"{time.strftime('%H:%M:%S')} {done} ({_seconds(started)})")

    server = _Server(builder=builder, host=host, port=port, root=site_dir, mount_path=mount_path)

    def error_page(code: int) -> bytes | None:
        page = Path(site_dir) / f"{code}.html"
        return page.read_bytes() if code in (404, 500) and page.is_file() else None

    server.error_handler = error_page
    try:
        builder(config)
        server.watch(config.docs_dir)
        if config.config_file_path:
            server.watch(config.config_file_path)
        server = config.plugins.on_serve(server, config=config, builder=builder)
        for item in config.watch:
            server.watch(item)
        say(f"Vorschau unter {serve_url} – sie folgt jeder gespeicherten Datei. Beenden mit Strg+C.")
        try:
            server.serve()
        except KeyboardInterrupt:
            say("Die Vorschau wird beendet …")
        finally:
            server.shutdown()
    finally:
        config.plugins.on_shutdown()
        shutil.rmtree(site_dir, ignore_errors=True)
