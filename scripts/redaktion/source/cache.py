"""A content-hash cache of parsed contribution files under ``build/.cache``.

Reading, decoding and strictly parsing a contribution is a pure function of the file's
bytes, its path and the loader's own code, yet a large part of ``redaktion check`` on
large projects. This cache keeps each file's result (the :class:`~redaktion.model.Contribution` or
None, plus the diagnostics found in it) keyed by path and content hash, so an unchanged
file is never parsed twice.

The cache file is data, never code: JSON of the plain dataclass fields, read with a validator
that accepts only exactly what :func:`_encode_contribution` writes. Its first line carries a
format version and an HMAC of the JSON under a random key kept in the user's cache folder
(:func:`~redaktion.util.cachefiles.user_cache_dir`): a file written by anyone else – committed in a
merge request, copied from another machine – is not trusted even if it is well-formed, because
it could claim another text or status for a contribution than its file holds.

The cache is only an accelerator: every problem with it (missing, corrupt, forged, written by
other code, unwritable folder) makes ``load`` silently parse everything itself and rewrite it.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from ..util.cachefiles import machine_key, write_atomic
from ..util.codehash import code_fingerprint
from ..model import Author, ChartSpec, Contribution, DataSpec, Diagnostic, Position

CACHE_FILE = Path("build") / ".cache" / "contributions.json"
_LEGACY_FILE = "contributions.pickle"  # written by earlier versions; removed, never read
_FORMAT = 2  # bump when the layout of the JSON changes
_MAGIC = b"redaktion-beitraege"
_KEY_BYTES = 32
_SEVERITIES = ("error", "warning")


class _Invalid(Exception):
    """A cached value that this code did not write: the entry is ignored."""


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
    fingerprint: str
    key: bytes  # HMAC key of this user's cache files
    old: dict[str, object] = field(default_factory=dict)  # entries as read (JSON), validated when used
    new: dict[str, object] = field(default_factory=dict)  # entries to write (JSON)
    changed: bool = False
    # Entries already turned into objects, for a cache kept in memory between loads (the live
    # preview): key → (its JSON, the entry). Decoding a thousand entries costs more than reading them.
    decoded: dict[str, tuple[object, Entry]] = field(default_factory=dict)
    # False: save() leaves the file alone. The live preview writes it only with its full rebuilds:
    # replacing the file after every save can stall for a moment on a busy disk.
    autosave: bool = True
    # key → (size, modification time, inode) of the file when its entry was last used, in memory
    # only: a process that loads again need not read a file whose status did not change.
    stats: dict[str, tuple[int, int, int]] = field(default_factory=dict)
    unsaved: bool = False  # entries changed since the file was last written

    @classmethod
    def open(cls, root: Path) -> ContributionCache | None:
        """The cache of the project at ``root``; None when the loader's code cannot be fingerprinted
        or this user has no cache key (and cannot make one)."""
        fingerprint = loader_fingerprint()
        key = machine_key()
        if fingerprint is None or key is None:
            return None
        path = root / CACHE_FILE
        old = _read_entries(path, fingerprint.hex(), key)
        # A missing or discarded cache file must be (re)written even if the project is empty.
        return cls(path, fingerprint.hex(), key, old if old is not None else {}, changed=old is None)

    def get(self, key: str, digest: bytes, rel: str, path: Path) -> Entry | None:
        """The cached entry for ``key`` if it was made from the same bytes at the same ``rel``.

        ``path`` is the file's absolute path today: the contribution's ``path`` and ``id`` are
        taken from it, not from the cache, so a moved project needs no new entries.
        """
        known = self.decoded.get(key)
        if known is not None and known[1].digest == digest and known[1].rel == rel \
                and known[1].contribution is not None and known[1].contribution.path == path:
            self.new[key] = known[0]
            return known[1]
        raw = self.old.get(key)
        if type(raw) is not list or len(raw) != 4 or raw[0] != digest.hex() or raw[1] != rel:
            return None
        try:
            entry = Entry(digest, rel, _decode_contribution(raw[2], path, rel), _decode_diagnostics(raw[3]))
        except (_Invalid, KeyError, TypeError, ValueError):
            return None
        self.new[key] = raw
        self.decoded[key] = (raw, entry)
        return entry

    def unchanged(self, key: str, rel: str, path: Path) -> Entry | None:
        """The entry of a file this process has read before and whose status is unchanged since."""
        known, seen = self.decoded.get(key), self.stats.get(key)
        if known is None or seen is None or known[1].rel != rel:
            return None
        try:
            stat = path.stat()
        except OSError:
            return None
        if (stat.st_size, stat.st_mtime_ns, stat.st_ino) != seen:
            return None
        self.new[key] = known[0]
        return known[1]

    def saw(self, key: str, stat: os.stat_result) -> None:
        """Note the status the file of ``key`` had before it was read (see :meth:`unchanged`)."""
        if key in self.decoded:
            self.stats[key] = (stat.st_size, stat.st_mtime_ns, stat.st_ino)

    def put(self, key: str, entry: Entry) -> None:
        """Remember a freshly parsed file for the next run."""
        self.new[key] = [entry.digest.hex(), entry.rel, _encode_contribution(entry.contribution),
                         [_encode_diagnostic(d) for d in entry.diagnostics]]
        self.decoded[key] = (self.new[key], entry)
        self.changed = True

    def save(self) -> None:
        """Write the entries of this run if anything was added, changed or removed; never raise.

        Afterwards the cache is ready for the next load in the same process. Without
        :attr:`autosave` the file is left alone and written by the next save with it.
        """
        unsaved = self.unsaved or self.changed or self.new.keys() != self.old.keys()
        if unsaved and self.autosave:
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                # ASCII with escapes: writes and reads about twice as fast as UTF-8 text in json.
                payload = json.dumps({"format": _FORMAT, "fingerprint": self.fingerprint, "entries": self.new},
                                     separators=(",", ":"), check_circular=False).encode("ascii")
                write_atomic(self.path, _header(self.key, payload) + payload)
                (self.path.parent / _LEGACY_FILE).unlink(missing_ok=True)
                unsaved = False
            except Exception:  # noqa: BLE001 - unwritable folder, full disk …: the cache is optional
                pass  # the next run parses again
        self.unsaved = unsaved
        self.decoded = {key: value for key, value in self.decoded.items() if key in self.new}
        self.stats = {key: value for key, value in self.stats.items() if key in self.new}
        self.old, self.new, self.changed = self.new, {}, False


def file_digest(data: bytes) -> bytes:
    """The content hash of one contribution file."""
    return hashlib.blake2b(data, digest_size=20).digest()


def loader_fingerprint() -> bytes | None:
    """A hash of the loader's code (every module it imports), Python and PyYAML; None if unreadable."""
    libyaml = getattr(yaml, "__with_libyaml__", False)
    here = Path(__file__).resolve().parent
    try:
        return code_fingerprint([here / "load.py", here / "cache.py"],
                                extra=f"{_FORMAT}|{sys.version}|{yaml.__version__}|{libyaml}")[:20]
    except OSError:
        return None


# --- the file: "redaktion-beitraege FORMAT HMAC" line, then JSON --------------------------------


def _header(key: bytes, payload: bytes) -> bytes:
    mac = hmac.new(key, payload, hashlib.sha256).hexdigest()
    return b"%s %d %s\n" % (_MAGIC, _FORMAT, mac.encode("ascii"))


def _read_entries(path: Path, fingerprint: str, key: bytes) -> dict[str, object] | None:
    """The stored entries, or None if the file is missing, damaged, forged or from other code."""
    try:
        data = path.read_bytes()
    except OSError:
        return None
    header, _, payload = data.partition(b"\n")
    if not hmac.compare_digest(header + b"\n", _header(key, payload)):
        return None
    try:
        document = json.loads(payload)
    except ValueError:
        return None
    if (type(document) is not dict or document.get("format") != _FORMAT
            or document.get("fingerprint") != fingerprint or type(document.get("entries")) is not dict):
        return None
    return document["entries"]


# --- entries: plain fields of the dataclasses, checked field by field when read -----------------


def _encode_diagnostic(d: Diagnostic) -> list[object]:
    return [d.path, d.line, d.column, d.code, d.message, d.hint, d.severity]


def _decode_diagnostics(raw: object) -> tuple[Diagnostic, ...]:
    if type(raw) is not list:
        raise _Invalid
    result = []
    for item in raw:
        if type(item) is not list or len(item) != 7:
            raise _Invalid
        path, line, column, code, message, hint, severity = item
        _strings(path, code, message, hint)
        _ints(line, column)
        if severity not in _SEVERITIES:
            raise _Invalid
        result.append(Diagnostic(path, line, column, code, message, hint, severity))
    return tuple(result)


# Contribution fields the cache leaves out: they follow from where the file is today.
_FROM_PATH = ("id", "path", "rel")


def _encode_contribution(c: Contribution | None) -> dict[str, object] | None:
    if c is None:
        return None
    data = c.data
    return {
        "paper": c.paper, "section": c.section, "kind": c.kind, "title": c.title, "members": list(c.members),
        "submitted": c.submitted, "status": c.status, "body": c.body, "body_line": c.body_line,
        "authors": [[a.name, a.email] for a in c.authors], "order": c.order, "tags": list(c.tags),
        "summary": c.summary, "license": c.license, "note": c.note,
        "data": None if data is None else {
            "file": data.file, "indicator": data.indicator, "unit": data.unit, "source": data.source,
            "year": data.year, "missing": data.missing,
            "chart": None if data.chart is None else [data.chart.kind, data.chart.year, data.chart.column]},
        "positions": {name: [p.line, p.column] for name, p in c.positions.items()},
    }


_CONTRIBUTION_KEYS = frozenset((
    "paper", "section", "kind", "title", "members", "submitted", "status", "body", "body_line", "authors", "order",
    "tags", "summary", "license", "note", "data", "positions"))
_DATA_KEYS = frozenset(("file", "indicator", "unit", "source", "year", "missing", "chart"))


_STRING_FIELDS = ("paper", "section", "kind", "title", "submitted", "status", "body", "summary", "license", "note")


def _decode_contribution(raw: object, path: Path, rel: str) -> Contribution | None:
    if raw is None:
        return None
    if type(raw) is not dict or raw.keys() != _CONTRIBUTION_KEYS:
        raise _Invalid
    for name in _STRING_FIELDS:
        if type(raw[name]) is not str:
            raise _Invalid
    _ints(raw["body_line"])
    _optional_ints(raw["order"])
    authors = raw["authors"]
    if type(authors) is not list or any(type(a) is not list or len(a) != 2 for a in authors):
        raise _Invalid
    for name, email in authors:
        _strings(name, email)
    return Contribution(
        id=path.stem, path=path, paper=raw["paper"], section=raw["section"], kind=raw["kind"],
        title=raw["title"], members=_string_tuple(raw["members"]), submitted=raw["submitted"],
        status=raw["status"], body=raw["body"], body_line=raw["body_line"],
        authors=tuple(Author(name, email) for name, email in authors), order=raw["order"],
        tags=_string_tuple(raw["tags"]), summary=raw["summary"], license=raw["license"], note=raw["note"],
        data=_decode_data(raw["data"]), positions=_decode_positions(raw["positions"]), rel=rel)


def _decode_data(raw: object) -> DataSpec | None:
    if raw is None:
        return None
    if type(raw) is not dict or raw.keys() != _DATA_KEYS:
        raise _Invalid
    _strings(raw["file"], raw["indicator"], raw["unit"], raw["source"], raw["missing"])
    _optional_ints(raw["year"])
    chart = raw["chart"]
    if chart is not None:
        if type(chart) is not list or len(chart) != 3:
            raise _Invalid
        _strings(chart[0], chart[2])
        _optional_ints(chart[1])
        chart = ChartSpec(chart[0], chart[1], chart[2])
    return DataSpec(raw["file"], raw["indicator"], raw["unit"], raw["source"], raw["year"], raw["missing"], chart)


def _decode_positions(raw: object) -> dict[str, Position]:
    if type(raw) is not dict:
        raise _Invalid
    positions = {}
    for name, value in raw.items():
        if type(value) is not list or len(value) != 2:
            raise _Invalid
        line, column = value
        if type(line) is not int or type(column) is not int:
            raise _Invalid
        # Positions repeat across files (the fields stand in the same lines); they are immutable,
        # so equal ones are shared: this halves the time of reading the cache.
        position = _POSITIONS.get((line, column))
        if position is None:
            position = _POSITIONS.setdefault((line, column), Position(line, column))
        positions[name] = position
    return positions


_POSITIONS: dict[tuple[int, int], Position] = {}


def _string_tuple(raw: object) -> tuple[str, ...]:
    if type(raw) is not list:
        raise _Invalid
    _strings(*raw)
    return tuple(raw)


def _strings(*values: object) -> None:
    for value in values:
        if type(value) is not str:
            raise _Invalid


def _ints(*values: object) -> None:
    for value in values:
        if type(value) is not int:
            raise _Invalid


def _optional_ints(*values: object) -> None:
    for value in values:
        if value is not None and type(value) is not int:
            raise _Invalid
