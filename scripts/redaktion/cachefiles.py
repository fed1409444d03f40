"""Files of the build caches under ``build/.cache``: written atomically, marked when used, pruned.

Every cache entry is named ``<name>-<key>.<suffix>``, where ``key`` is a hash over everything
the entry depends on. An entry is never changed, only replaced by one with another key; the
superseded ones are removed by :func:`prune`, which keeps the most recently used few of each
name (a paper, a chart, a page), so that undoing an edit is still fast.

None of these functions raises on a damaged or unwritable cache: a cache only saves time.

Caches that do not belong to one project (compiled templates, font coverage) live in the
user's cache folder, :func:`user_cache_dir`.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

_STALE_TMP_SECONDS = 3600  # a temporary file this old belongs to a run that was killed
CACHE_ENV = "REDAKTION_CACHE_DIR"  # overrides the per-user cache folder (tests, read-only homes)


def user_cache_dir() -> Path:
    """redaktion's folder in the user's cache (``$XDG_CACHE_HOME`` or ``~/.cache``)."""
    if os.environ.get(CACHE_ENV):
        return Path(os.environ[CACHE_ENV])
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "redaktion"


def write_atomic(path: Path, data: bytes) -> None:
    """Replace ``path`` in one step: readers see the old or the new file, never half of one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    # A name of its own per writer: two runs at once (build beside serve) must not share it.
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{os.urandom(4).hex()}.tmp")
    try:
        tmp.write_bytes(data)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def store(path: Path, data: bytes) -> None:
    """:func:`write_atomic` for cache entries: an unwritable cache is silently skipped."""
    try:
        write_atomic(path, data)
    except OSError:
        pass


def read(path: Path) -> bytes | None:
    """The entry at ``path``, marked as just used (for :func:`prune`); None if there is none."""
    try:
        data = path.read_bytes()
    except OSError:
        return None
    try:
        os.utime(path)
    except OSError:
        pass
    return data


def prune(folder: Path, keep: int) -> None:
    """Keep the ``keep`` most recently used entries of each name in ``folder``; drop the rest.

    Also removes temporary files left behind by runs that were killed.
    """
    try:
        entries = [(path, path.stat().st_mtime) for path in folder.iterdir() if path.is_file()]
    except OSError:
        return
    groups: dict[tuple[str, str], list[tuple[Path, float]]] = {}
    now = time.time()
    for path, used in entries:
        if path.name.startswith("."):
            if path.name.endswith(".tmp") and now - used > _STALE_TMP_SECONDS:
                path.unlink(missing_ok=True)
            continue
        name = path.stem.rsplit("-", 1)[0]
        groups.setdefault((name, path.suffix), []).append((path, used))
    for group in groups.values():
        group.sort(key=lambda entry: entry[1], reverse=True)
        for path, _ in group[keep:]:
            try:
                path.unlink(missing_ok=True)
            except OSError:
                pass
