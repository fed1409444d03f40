"""The cache of parsed contributions (``build/.cache``): faster, and never a different result."""

from __future__ import annotations

import pickle
import shutil
from pathlib import Path

import pytest

from projects import contribution, copy_demo, make_project
from redaktion import load as load_module
from redaktion import loadcache
from redaktion.check import check
from redaktion.cli import main
from redaktion.load import load
from redaktion.model import Contribution, Corpus, Diagnostic

PAPER_DIR = "contributions/testpapier"

BROKEN = {
    f"{PAPER_DIR}/stuttgart--kaputt.md": "---\npaper: testpapier\ntitle: [unclosed\n---\nText\n",
    f"{PAPER_DIR}/stuttgart--fremdfeld.md": contribution(titel="Tippfehler"),
    f"{PAPER_DIR}/stuttgart--bom.md": b"\xef\xbb\xbf" + contribution(title="Mit BOM").replace("\n", "\r\n").encode(),
    f"{PAPER_DIR}/muenchen--windows.md": contribution(members="[muenchen]", body="Grüße.\n").encode("cp1252"),
    f"{PAPER_DIR}/muenchen--ohne-kopf.md": "Nur Text ohne Kopfbereich.\n",
    f"{PAPER_DIR}/muenchen--datum.md": contribution(members="[muenchen]", submitted="24.11.2009"),
}


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
    expected = snapshot(load(root, cache=False))
    assert not (root / "build").exists(), "cache=False must not write anything"

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


@pytest.mark.parametrize("damage", [b"", b"kein pickle", b"\x80\x05\x95\xff\xff\xff", "truncated", "foreign"])
def test_damaged_cache_is_ignored_and_rewritten(damage: bytes | str, tmp_path: Path, parsed: list[str]) -> None:
    root = make_project(tmp_path, BROKEN)
    expected = snapshot(load(root, cache=False))
    cache_file = root / loadcache.CACHE_FILE
    load(root)
    if damage == "truncated":
        cache_file.write_bytes(cache_file.read_bytes()[:200])
    elif damage == "foreign":
        cache_file.write_bytes(pickle.dumps({"andere": "Daten"}))
    else:
        assert isinstance(damage, bytes)
        cache_file.write_bytes(damage)

    assert snapshot(load(root)) == expected
    parsed.clear()
    assert snapshot(load(root)) == expected  # rewritten: the next run reads it again
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
