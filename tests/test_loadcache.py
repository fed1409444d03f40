"""The cache of parsed contributions (``build/.cache``): faster, and never a different result."""

from __future__ import annotations

import dataclasses
import hashlib
import hmac
import json
import os
import pickle
import shutil
from pathlib import Path

import pytest

from projects import contribution, copy_demo, make_project
from redaktion.source import load as load_module
from redaktion.source import cache as loadcache
from redaktion.check.corpus import check
from redaktion.cli.main import main
from redaktion.source.load import load
from redaktion.model import ChartSpec, Contribution, Corpus, DataSpec, Diagnostic

PAPER_DIR = "contributions/testpapier"
USER_KEY = bytes(range(32))  # the HMAC key of this test's user (see the fixture below)

BROKEN = {
    f"{PAPER_DIR}/stuttgart--kaputt.md": "---\npaper: testpapier\ntitle: [unclosed\n---\nText\n",
    f"{PAPER_DIR}/stuttgart--fremdfeld.md": contribution(titel="Tippfehler"),
    f"{PAPER_DIR}/stuttgart--bom.md": b"\xef\xbb\xbf" + contribution(title="Mit BOM").replace("\n", "\r\n").encode(),
    f"{PAPER_DIR}/muenchen--windows.md": contribution(members="[muenchen]", body="Grüße.\n").encode("cp1252"),
    f"{PAPER_DIR}/muenchen--ohne-kopf.md": "Nur Text ohne Kopfbereich.\n",
    f"{PAPER_DIR}/muenchen--datum.md": contribution(members="[muenchen]", submitted="24.11.2009"),
}


@pytest.fixture(autouse=True)
def user_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A per-user cache folder of the test's own, holding a known key for signing cache files."""
    folder = tmp_path / "benutzer-cache"
    folder.mkdir()
    (folder / "cache-key").write_bytes(USER_KEY)
    monkeypatch.setenv("REDAKTION_CACHE_DIR", str(folder))
    return folder


def sign(payload: bytes, key: bytes = USER_KEY) -> bytes:
    """A cache file as redaktion writes it: header line with format and HMAC, then the JSON."""
    return b"redaktion-beitraege 2 " + hmac.new(key, payload, hashlib.sha256).hexdigest().encode() + b"\n" + payload


def cached_json(root: Path) -> dict:
    return json.loads((root / loadcache.CACHE_FILE).read_bytes().partition(b"\n")[2])


@pytest.fixture()
def parsed(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Records the file of every contribution that is really parsed (not taken from the cache)."""
    calls: list[str] = []
    original = load_module.parse_contribution

    def counting(raw: bytes, rel: str, path: Path, diagnostics: list[Diagnostic]) -> Contribution | None:
        calls.append(rel)
        return original(raw, rel, path, diagnostics)

    monkeypatch.setattr(load_module, "parse_contribution", counting)
    return calls


def snapshot(corpus: Corpus) -> tuple[object, ...]:
    """Everything a caller can observe of a corpus, including what equality leaves out (positions)."""
    return (corpus,
            [(c.id, c.path, c.positions) for c in corpus.contributions],
            [d.format() for d in corpus.diagnostics],
            [d.format() for d in check(corpus)])


def cached_keys(root: Path) -> set[str]:
    cache = loadcache.ContributionCache.open(root)
    assert cache is not None
    return set(cache.old)


@pytest.mark.parametrize("kind", ["demo", "broken"])
def test_cached_load_equals_uncached_load(kind: str, tmp_path: Path, parsed: list[str]) -> None:
    root = copy_demo(tmp_path) if kind == "demo" else make_project(tmp_path, BROKEN)
    uncached = load(root, cache=False)
    assert not (root / "build").exists(), "cache=False must not write anything"
    expected = snapshot(uncached)

    first = load(root)  # fills the cache
    assert (root / loadcache.CACHE_FILE).is_file()
    count = len(parsed)
    contributions = [p for p in (root / "contributions").glob("*/*.md") if p.parent.name != "sitzungen"]
    assert count == len(contributions) * 2  # once uncached, once filling
    second = load(root)  # reads it
    assert len(parsed) == count, f"parsed again despite the cache: {parsed[count:]}"

    assert snapshot(first) == expected
    assert snapshot(second) == expected
    if kind == "broken":
        codes = {d.code for d in second.diagnostics}
        assert {"R002", "R021", "R011", "R010", "R001", "R027"} <= codes


def test_check_output_is_the_same_with_a_warm_cache(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = make_project(tmp_path, BROKEN)
    outputs = []
    for _ in range(2):
        assert main(["--root", str(root), "check"]) == 1
        captured = capsys.readouterr()
        outputs.append(captured.out + captured.err)
    assert outputs[0] == outputs[1]
    assert "Traceback" not in outputs[0] and "Fehler R002" in outputs[0] and "Warnung R011" in outputs[0]


def test_edit_reparses_only_the_edited_file(tmp_path: Path, parsed: list[str]) -> None:
    root = make_project(tmp_path, {
        f"{PAPER_DIR}/muenchen--zweiter.md": contribution(members="[muenchen]", title="Zweiter"),
    })
    load(root)
    edited = root / PAPER_DIR / "stuttgart--grundsatz.md"
    edited.write_text(contribution(status="in-pruefung"), encoding="utf-8")
    parsed.clear()

    corpus = load(root)
    assert parsed == [f"{PAPER_DIR}/stuttgart--grundsatz.md"]
    assert {c.id: c.status for c in corpus.contributions} == {"stuttgart--grundsatz": "in-pruefung",
                                                               "muenchen--zweiter": "angenommen"}
    assert snapshot(corpus) == snapshot(load(root, cache=False))


def test_a_file_turning_invalid_brings_its_error_back(tmp_path: Path) -> None:
    root = make_project(tmp_path)
    assert load(root).diagnostics == ()
    (root / PAPER_DIR / "stuttgart--grundsatz.md").write_text(contribution(titel="X"), encoding="utf-8")
    assert [d.code for d in load(root).diagnostics] == ["R021"]


def test_removed_files_leave_the_cache(tmp_path: Path) -> None:
    root = make_project(tmp_path, {f"{PAPER_DIR}/muenchen--weg.md": contribution(members="[muenchen]")})
    load(root)
    assert cached_keys(root) == {f"{PAPER_DIR}/stuttgart--grundsatz.md", f"{PAPER_DIR}/muenchen--weg.md"}
    (root / PAPER_DIR / "muenchen--weg.md").unlink()
    assert [c.id for c in load(root).contributions] == ["stuttgart--grundsatz"]
    assert cached_keys(root) == {f"{PAPER_DIR}/stuttgart--grundsatz.md"}


def test_cache_is_written_only_when_something_changed(tmp_path: Path) -> None:
    root = make_project(tmp_path)
    cache_file = root.resolve() / loadcache.CACHE_FILE

    def version() -> tuple[int, int]:
        # Every write replaces the file (a new inode), so an unchanged inode means no write.
        stat = cache_file.stat()
        return stat.st_ino, stat.st_mtime_ns

    load(root)
    first = version()
    load(root)
    load(root)
    assert version() == first
    (root / PAPER_DIR / "muenchen--neu.md").write_text(contribution(members="[muenchen]"), encoding="utf-8")
    load(root)
    second = version()
    assert second != first
    load(root)
    assert version() == second


@pytest.mark.parametrize("damage", [b"", b"kein Zwischenspeicher", b"\x80\x05\x95\xff\xff\xff", "truncated",
                                    "foreign", "pickle", "json without header"])
def test_damaged_cache_is_ignored_and_rewritten(damage: bytes | str, tmp_path: Path, parsed: list[str]) -> None:
    root = make_project(tmp_path, BROKEN)
    expected = snapshot(load(root, cache=False))
    cache_file = root / loadcache.CACHE_FILE
    load(root)
    if damage == "truncated":
        cache_file.write_bytes(cache_file.read_bytes()[:200])
    elif damage == "foreign":
        cache_file.write_bytes(sign(json.dumps({"andere": "Daten"}).encode()))
    elif damage == "pickle":
        cache_file.write_bytes(pickle.dumps({"andere": "Daten"}))
    elif damage == "json without header":
        cache_file.write_bytes(cache_file.read_bytes().partition(b"\n")[2])
    else:
        assert isinstance(damage, bytes)
        cache_file.write_bytes(damage)

    assert snapshot(load(root)) == expected
    parsed.clear()
    assert snapshot(load(root)) == expected  # rewritten: the next run reads it again
    assert parsed == []


class _RunsCode:
    """Unpickling this creates a folder: proof that a cache file could run code."""

    def __init__(self, marker: Path):
        self.marker = marker

    def __reduce__(self) -> tuple[object, ...]:
        return (os.mkdir, (str(self.marker),))


def test_a_crafted_cache_file_cannot_run_code(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # A merge request can commit files under build/.cache; check runs in CI and in pre-commit hooks.
    root = make_project(tmp_path / "projekt", BROKEN)
    expected = snapshot(load(root, cache=False))
    marker = tmp_path / "code-ausgefuehrt"
    crafted = pickle.dumps(_RunsCode(marker))
    for name in ("contributions.pickle", loadcache.CACHE_FILE.name):
        (root / "build" / ".cache").mkdir(parents=True, exist_ok=True)
        (root / "build" / ".cache" / name).write_bytes(crafted)
    assert main(["--root", str(root), "check"]) == 1
    output = "".join(capsys.readouterr())
    assert "Fehler R002" in output and "Traceback" not in output
    assert snapshot(load(root)) == expected
    assert not marker.exists(), "the cache file was unpickled"
    assert not (root / "build" / ".cache" / "contributions.pickle").exists()  # the old format is cleared away


def test_a_forged_entry_is_not_trusted(tmp_path: Path, parsed: list[str]) -> None:
    # Well-formed JSON with the right content hash, but claiming another status and text than the
    # file holds: written by someone without this user's key, so it is ignored.
    root = make_project(tmp_path, {f"{PAPER_DIR}/muenchen--offen.md": contribution(
        "Interner Entwurf.\n", members="[muenchen]", status="eingereicht")})
    load(root)
    document = cached_json(root)
    forged = document["entries"][f"{PAPER_DIR}/muenchen--offen.md"][2]
    forged.update(status="angenommen", body="Untergeschobener Text.\n")
    payload = json.dumps(document).encode()
    for key in (os.urandom(32), None):  # another user's key; the old header of the untouched file
        data = sign(payload, key) if key else (root / loadcache.CACHE_FILE).read_bytes().partition(b"\n")[0] + b"\n" + payload
        (root / loadcache.CACHE_FILE).write_bytes(data)
        parsed.clear()
        corpus = load(root)
        assert {c.id: (c.status, c.body) for c in corpus.contributions}["muenchen--offen"] == (
            "eingereicht", "\nInterner Entwurf.\n")
        assert f"{PAPER_DIR}/muenchen--offen.md" in parsed


@pytest.mark.parametrize("change", [
    lambda c: c.update(title=["keine", "Zeichenkette"]),
    lambda c: c.update(order="3"),
    lambda c: c.update(positions={"title": [1, "1"]}),
    lambda c: c.update(authors=[["Name"]]),
    lambda c: c.update(extra="Feld"),
    lambda c: c.pop("body"),
    lambda c: c.update(data={"file": "x.csv"}),
])
def test_a_signed_entry_of_the_wrong_shape_is_parsed_again(change, tmp_path: Path, parsed: list[str]) -> None:
    root = make_project(tmp_path)
    expected = snapshot(load(root, cache=False))
    load(root)
    document = cached_json(root)
    change(document["entries"][f"{PAPER_DIR}/stuttgart--grundsatz.md"][2])
    (root / loadcache.CACHE_FILE).write_bytes(sign(json.dumps(document).encode()))
    parsed.clear()
    assert snapshot(load(root)) == expected
    assert parsed == [f"{PAPER_DIR}/stuttgart--grundsatz.md"]
    parsed.clear()
    load(root)
    assert parsed == []  # and rewritten


def test_cache_format_covers_every_field(tmp_path: Path) -> None:
    # A field added to the model must be added to the cache format too (else the cache would
    # silently return the default): every field is stored or follows from the file's path.
    root = make_project(tmp_path)
    base = load(root, cache=False).contributions[0]
    full = dataclasses.replace(base, order=3, tags=("sprache",), summary="Kurz.", license="CC0-1.0", note="Intern.",
                               data=DataSpec("x.csv", "Quote", "%", "Amt", 2009, "k. A. erklärt",
                                             ChartSpec("balken", 2009, "Wert")))
    stored = loadcache._encode_contribution(full)
    assert stored is not None
    assert set(stored) | set(loadcache._FROM_PATH) == {f.name for f in dataclasses.fields(Contribution)}
    assert set(stored["data"]) == {f.name for f in dataclasses.fields(DataSpec)}
    assert len(stored["data"]["chart"]) == len(dataclasses.fields(ChartSpec))
    decoded = loadcache._decode_contribution(json.loads(json.dumps(stored)), full.path, full.rel)
    assert decoded == full and decoded.positions == full.positions


def test_without_a_user_key_nothing_is_cached(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocked = tmp_path / "kein-ordner"
    blocked.write_text("eine Datei, kein Ordner")
    monkeypatch.setenv("REDAKTION_CACHE_DIR", str(blocked))
    root = make_project(tmp_path / "projekt", BROKEN)
    assert snapshot(load(root)) == snapshot(load(root, cache=False))
    assert not (root / loadcache.CACHE_FILE).exists()


def test_a_new_user_gets_a_key_of_their_own(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                             parsed: list[str]) -> None:
    fresh = tmp_path / "neuer-benutzer"
    monkeypatch.setenv("REDAKTION_CACHE_DIR", str(fresh))
    root = make_project(tmp_path / "projekt")
    load(root)
    key = fresh / "cache-key"
    assert len(key.read_bytes()) == 32 and key.read_bytes() != USER_KEY
    assert key.stat().st_mode & 0o077 == 0  # readable by its owner only
    parsed.clear()
    load(root)
    assert parsed == []


def test_other_loader_code_discards_the_whole_cache(tmp_path: Path, parsed: list[str],
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    root = make_project(tmp_path)
    load(root)
    parsed.clear()
    monkeypatch.setattr(loadcache, "loader_fingerprint", lambda: b"eine andere Fassung des Ladecodes")
    load(root)
    assert parsed == [f"{PAPER_DIR}/stuttgart--grundsatz.md"]


@pytest.mark.parametrize("obstacle", ["build is a file", "cache file is a folder"])
def test_unusable_cache_location_is_silently_skipped(obstacle: str, tmp_path: Path,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    root = make_project(tmp_path, BROKEN)
    if obstacle == "build is a file":
        (root / "build").write_text("kein Ordner")
    else:
        (root / loadcache.CACHE_FILE).mkdir(parents=True)
    expected = snapshot(load(root, cache=False))
    assert snapshot(load(root)) == expected
    assert snapshot(load(root)) == expected
    assert main(["--root", str(root), "check"]) == 1
    captured = capsys.readouterr()
    assert "Traceback" not in captured.out + captured.err and "Fehler R002" in captured.out + captured.err


def test_moved_project_gets_its_own_paths(tmp_path: Path, parsed: list[str]) -> None:
    first = make_project(tmp_path / "alt")
    load(first)
    moved = tmp_path / "neu"
    shutil.copytree(first, moved)
    parsed.clear()
    corpus = load(moved)
    assert parsed == []
    assert [c.path for c in corpus.contributions] == [moved.resolve() / PAPER_DIR / "stuttgart--grundsatz.md"]
    assert snapshot(corpus) == snapshot(load(moved, cache=False))


def test_symlinked_contribution_keeps_its_own_id(tmp_path: Path) -> None:
    root = make_project(tmp_path)
    (root / PAPER_DIR / "stuttgart--verweis.md").symlink_to(root / PAPER_DIR / "stuttgart--grundsatz.md")
    expected = snapshot(load(root, cache=False))
    assert [c.id for c in expected[0].contributions] == ["stuttgart--grundsatz", "stuttgart--verweis"]
    load(root)
    assert snapshot(load(root)) == expected
