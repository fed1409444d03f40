"""Property: a member's contribution is sealed, and what ``redaktion check`` accepts builds.

Hypothesis generates hostile contribution bodies (tests/hostile.py). Each one is checked in
process: ``check`` must never crash, and its errors must point into the contribution. The
accepted ones (no check errors) are then built together, public and ``--intern``, in a few
batches with the real pandoc, Typst and mkdocs (tests/isolate.py); a batch that fails is split
until the contribution that breaks it is named, and its text shrunk. Every build is read back
(tests/sealing.py): each contribution's title is a heading in PDF outline, DOCX and site, its
marker word is in all three, the site holds no live script, no script URL, nothing from another
host and no id twice, and contributions after a hostile one are intact.

Runs are reproducible (derandomised, no example database). ``SEALED_EXAMPLES`` changes the
number of examples (default 250), ``SEALED_SECONDS`` the time budget for isolating and
shrinking build failures (default 150; a passing run needs four builds).
"""

from __future__ import annotations

import itertools
import os
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, given, note, settings

from hostile import Hostile, hostile_bodies
from isolate import Prover, Report
from sealing import Entry, check_errors, write_project

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils fehlt")

EXAMPLES = int(os.environ.get("SEALED_EXAMPLES", "250"))
SECONDS = float(os.environ.get("SEALED_SECONDS", "150"))
SETTINGS = settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None, print_blob=False,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                           HealthCheck.filter_too_much])


def entry_for(serial: int, hostile: Hostile) -> Entry:
    """The generated body as contribution number ``serial`` (its own title, marker and anchor)."""
    provisional = Entry(serial, "")
    return Entry(serial, hostile.body(provisional.marker, provisional.anchor), "erzeugt")


def check_entry(root: Path, entry: Entry) -> list:
    """``check`` over a project holding only ``entry`` (plus the reference paper); its errors."""
    path = root / entry.rel
    for old in path.parent.glob("stuttgart--p*.md"):
        old.unlink()
    path.write_text(entry.file_text(), encoding="utf-8")
    return check_errors(root)


def test_check_never_crashes_and_locates_its_errors(tmp_path: Path) -> None:
    root = write_project(tmp_path / "projekt", [], site=False)
    serials = itertools.count(1)

    @SETTINGS
    @given(hostile=hostile_bodies())
    def check_one(hostile: Hostile) -> None:
        entry = entry_for(next(serials), hostile)
        note(entry.file_text())
        errors = check_entry(root, entry)  # an exception here is the failure: hypothesis shrinks it
        lines = entry.file_text().count("\n") + 1
        for error in errors:
            assert error.path == entry.rel, error.format()
            assert 1 <= error.line <= lines, error.format()
            assert error.message and error.hint, error.format()

    check_one()


@pytest.fixture(scope="module")
def accepted(tmp_path_factory: pytest.TempPathFactory) -> list[Entry]:
    """The generated contributions check accepts (a crash is skipped here: the test above reports it)."""
    root = write_project(tmp_path_factory.mktemp("pruefung") / "projekt", [], site=False)
    serials = itertools.count(1)
    found: list[Entry] = []

    @settings(SETTINGS, phases=[Phase.explicit, Phase.generate])
    @given(hostile=hostile_bodies())
    def collect(hostile: Hostile) -> None:
        entry = entry_for(next(serials), hostile)
        try:
            errors = check_entry(root, entry)
        except Exception:  # noqa: BLE001 - reported by test_check_never_crashes_and_locates_its_errors
            return
        if not errors:
            found.append(entry)

    collect()
    return found


@pytest.fixture(scope="module")
def batch_report(accepted: list[Entry], tmp_path_factory: pytest.TempPathFactory) -> Report:
    """All accepted contributions built in batches, public and internal, failures isolated."""
    prover = Prover(tmp_path_factory.mktemp("builds"), seconds=SECONDS, minimise=2)
    return prover.run(accepted, batch=120)


def test_enough_generated_contributions_are_accepted(accepted: list[Entry]) -> None:
    # A grammar that check refuses entirely would prove nothing about the builds.
    assert len(accepted) >= EXAMPLES // 5, f"nur {len(accepted)} von {EXAMPLES} Beiträgen angenommen"


def test_what_check_accepts_builds_public_and_intern(batch_report: Report) -> None:
    assert not batch_report.failures, batch_report.text()


def test_built_outputs_keep_every_contribution_sealed(batch_report: Report, accepted: list[Entry]) -> None:
    assert not batch_report.findings, batch_report.text()
    # A contribution whose batch never built (and was not isolated in time) was never inspected.
    failed_alone = {f.entries[0].serial for f in batch_report.failures if len(f.entries) == 1}
    unseen = [e.serial for e in accepted if e.serial not in batch_report.built | failed_alone]
    assert not unseen, (f"{len(unseen)} von {len(accepted)} angenommenen Beiträgen wurden nie gebaut und "
                        f"geprüft (ihr Stapel scheiterte): {unseen[:20]}\n" + batch_report.text(bodies=0))
