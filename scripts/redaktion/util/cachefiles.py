"""Files of the build caches under ``build/.cache``: written atomically, marked when used, pruned.

Also where the per-user cache folder is (:func:`user_cache_dir`).

Every cache entry is named ``<name>-<key>.<suffix>``, where ``key`` is a hash over everything
the entry depends on. An entry is never changed, only replaced by one with another key; the
superseded ones are removed by :func:`prune`, which keeps the most recently used few of each
name (a paper, a chart, a page), so that undoing an edit is still fast.

None of these functions raises on a damaged or unwritable cache: a cache only saves time.

Caches that do not belong to one project (compiled templates, font coverage) live in the
user's cache folder, :func:`user_cache_dir`.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import os
import time
from pathlib import Path

_STALE_TMP_SECONDS = 3600  # a temporary file this old belongs to a run that was killed
KEY_FILE = "cache-key"  # in the user's cache folder: the key that signs this user's cache entries
_KEY_BYTES = 32
CACHE_ENV = "REDAKTION_CACHE_DIR"  # overrides the per-user cache folder (tests, read-only homes)


def user_cache_dir() -> Path:
    """redaktion's folder in the user's cache (``$REDAKTION_CACHE_DIR``, ``$XDG_CACHE_HOME`` or ``~/.cache``)."""
    if os.environ.get(CACHE_ENV):
        return Path(os.environ[CACHE_ENV])
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "redaktion"


def machine_key() -> bytes | None:
    """This user's secret for signing cache entries, made on first use; None if it cannot be kept.

    ``build/.cache`` lies in the project folder, where a merge request could place files; an
    entry is only used when it carries a signature made with this key, which never leaves the
    user's cache folder. Without a key nothing is cached.
    """
    return _key_at(user_cache_dir() / KEY_FILE)


@functools.lru_cache(maxsize=4)
def _key_at(path: Path) -> bytes | None:
    try:
        key = path.read_bytes()
    except FileNotFoundError:
        key = _new_key(path)
    except OSError:
        return None
    return key if key is not None and len(key) == _KEY_BYTES else None


def _new_key(path: Path) -> bytes | None:
    """Create the key file in one step (a concurrent run either wins or reads the winner's key)."""
    key = os.urandom(_KEY_BYTES)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{os.urandom(4).hex()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        descriptor = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(key)
        try:
            os.link(tmp, path)  # fails if another run was first
        except FileExistsError:
            return path.read_bytes()
        return key
    except OSError:
        return None
    finally:
        tmp.unlink(missing_ok=True)


def signature(data: bytes) -> bytes | None:
    """The signature of ``data`` with this user's key (hex), or None without a key."""
    key = machine_key()
    return hmac.new(key, data, hashlib.sha256).hexdigest().encode() if key is not None else None


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
    """Write a signed cache entry (see :func:`read`); an unwritable cache is silently skipped."""
    signed = signature(data)
    if signed is None:
        return
    try:
        write_atomic(path, signed + b"\n" + data)
    except OSError:
        pass


def read(path: Path) -> bytes | None:
    """The entry at ``path``, marked as just used (for :func:`prune`).

    None if there is none, or if it is not signed with this user's key (a file someone else
    put there is never used).
    """
    try:
        raw = path.read_bytes()
    except OSError:
        return None
    signed, _, data = raw.partition(b"\n")
    expected = signature(data)
    if expected is None or not hmac.compare_digest(signed, expected):
        return None
    try:
        os.utime(path)
    except OSError:
        pass
    return data


def store_file(path: Path, data: bytes) -> None:
    """Write a cache entry that is used as a file as it is (a PDF): its signature goes beside it."""
    write_atomic(path, data)
    signed = signature(data)
    if signed is not None:
        write_atomic(path.with_name(path.name + ".sig"), signed)


def trusted_file(path: Path) -> bool:
    """Whether ``path`` is an entry this user wrote with :func:`store_file` (and is unchanged)."""
    try:
        data = path.read_bytes()
        signed = path.with_name(path.name + ".sig").read_bytes()
    except OSError:
        return False
    expected = signature(data)
    return expected is not None and hmac.compare_digest(signed, expected)


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
