"""A content-hash cache of parsed contribution files under ``build/.cache``.

Reading, decoding and strictly parsing a contribution is a pure function of the file's
bytes, its path and the loader's own code, yet a large part of ``redaktion check`` on
large projects. This cache keeps each file's result (the :class:`~redaktion.model.Contribution` or
None, plus the diagnostics found in it) keyed by path and content hash, so an unchanged
file is never parsed twice.

The cache is only an accelerator: every problem with it (missing, corrupt, written by other
code, unwritable folder) makes ``load`` silently parse everything itself.
"""

from __future__ import annotations

import hashlib
import pickle
import sys
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .cachefiles import write_atomic
from .model import Contribution, Diagnostic

CACHE_FILE = Path("build") / ".cache" / "contributions.pickle"
# The files whose code decides what a contribution parses to; a change to any of them
# (or to Python or PyYAML) discards the whole cache.
_LOADER_SOURCES = ("load.py", "yamlsafe.py", "fields.py", "model.py", "loadcache.py")
_FORMAT = 1  # bump when the layout of the pickled data changes


@dataclass(frozen=True)
class Entry:
    """The cached result of one contribution file."""

    digest: bytes  # hash of the file's bytes
    rel: str  # the path used in diagnostics (differs from the key only for symlinks)
    contribution: Contribution | None
    diagnostics: tuple[Diagnostic, ...]


@dataclass
class ContributionCache:
    """Cached parse results of one project; ``get``/``put`` during a load, then ``save``."""

    path: Path
    fingerprint: bytes
    old: dict[str, Entry] = field(default_factory=dict)
    new: dict[str, Entry] = field(default_factory=dict)
    changed: bool = False

    @classmethod
    def open(cls, root: Path) -> ContributionCache | None:
        """The cache of the project at ``root``; None when the loader's code cannot be fingerprinted."""
        fingerprint = loader_fingerprint()
        if fingerprint is None:
            return None
        path = root / CACHE_FILE
        old = _read_entries(path, fingerprint)
        # A missing or discarded cache file must be (re)written even if the project is empty.
        return cls(path, fingerprint, old if old is not None else {}, changed=old is None)

    def get(self, key: str, digest: bytes, rel: str) -> Entry | None:
        """The cached entry for ``key`` if it was made from the same bytes at the same ``rel``."""
        entry = self.old.get(key)
        if type(entry) is not Entry or entry.digest != digest or entry.rel != rel or not _well_formed(entry):
            return None
        self.new[key] = entry
        return entry

    def put(self, key: str, entry: Entry) -> None:
        """Remember a freshly parsed file for the next run."""
        self.new[key] = entry
        self.changed = True

    def save(self) -> None:
        """Write the entries of this run if anything was added, changed or removed; never raise."""
        if not self.changed and self.new.keys() == self.old.keys():
            return
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)  # first: no pickling when it cannot be written
            data = pickle.dumps((_FORMAT, self.fingerprint, self.new), protocol=pickle.HIGHEST_PROTOCOL)
            write_atomic(self.path, data)
        except Exception:  # noqa: BLE001 - unwritable folder, full disk …: the cache is optional
            pass  # the next run parses again


def file_digest(data: bytes) -> bytes:
    """The content hash of one contribution file."""
    return hashlib.blake2b(data, digest_size=20).digest()


def loader_fingerprint() -> bytes | None:
    """A hash of the loader's source files, Python and PyYAML; None if the sources cannot be read."""
    digest = hashlib.blake2b(digest_size=20)
    libyaml = getattr(yaml, "__with_libyaml__", False)
    digest.update(f"{_FORMAT}|{sys.version}|{yaml.__version__}|{libyaml}".encode())
    here = Path(__file__).parent
    try:
        for name in _LOADER_SOURCES:
            digest.update(name.encode())
            digest.update((here / name).read_bytes())
    except OSError:
        return None
    return digest.digest()


def _read_entries(path: Path, fingerprint: bytes) -> dict[str, Entry] | None:
    """The stored entries, or None if the file is missing, unreadable or from other code."""
    try:
        data = pickle.loads(path.read_bytes())
    except Exception:  # noqa: BLE001 - a damaged pickle can raise almost anything; treat all as "no cache"
        return None
    if not (isinstance(data, tuple) and len(data) == 3 and data[0] == _FORMAT and data[1] == fingerprint
            and isinstance(data[2], dict)):
        return None
    return data[2]


def _well_formed(entry: Entry) -> bool:
    """Guard against a cache file that unpickles but was not written by this code."""
    return ((entry.contribution is None or type(entry.contribution) is Contribution)
            and type(entry.diagnostics) is tuple
            and all(type(d) is Diagnostic for d in entry.diagnostics))
