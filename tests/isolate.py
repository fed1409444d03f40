"""Build many accepted contributions at once; when something breaks, name the contribution and shrink it.

Builds are slow and checks are fast, so the harness builds all accepted contributions in a few
batches (public and ``--intern``). A batch that fails to build is split until the contribution
that breaks it is found (a Typst error that names a contribution file is tried first); a
batch that builds is inspected for the sealing properties (:func:`sealing.inspect`).
For the first few culprits the body is then shrunk block by block to the smallest text that
still breaks the same way, the way hypothesis shrinks an example.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from sealing import BuildFailed, Entry, Finding, build_outputs, inspect, write_project

FOLLOWER = Entry(99999, "Ein gewöhnlicher Absatz, der nach dem verdächtigen Beitrag steht.\n")
MODES = (False, True)  # public, intern


@dataclass
class Failure:
    """A group of accepted contributions that does not build (one contribution, once isolated)."""

    entries: tuple[Entry, ...]
    mode: str
    error: str
    minimal: str | None = None


@dataclass
class Report:
    """Everything the batch builds found."""

    failures: list[Failure] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    minimal: dict[tuple[str, str, int], str] = field(default_factory=dict)  # (kind, mode, serial) → body
    builds: int = 0
    seconds: float = 0.0
    built: set[int] = field(default_factory=set)  # serials that were part of a successful build

    @property
    def ok(self) -> bool:
        return not self.failures and not self.findings

    def text(self, bodies: int = 6) -> str:
        """A German report: failures with their (shrunk) text, findings grouped by kind."""
        lines: list[str] = [f"{self.builds} Builds in {self.seconds:.0f} s."]
        for failure in self.failures:
            first = failure.entries[0]
            who = first.describe() if len(failure.entries) == 1 else (
                f"{len(failure.entries)} Beiträge zusammen (ab {first.describe()})")
            lines.append(f"\nBUILD ({failure.mode}) SCHEITERT: {who}\n  " + _clip(failure.error, 6))
            if len(failure.entries) == 1 and bodies > 0:
                bodies -= 1
                lines.append(_show("Text", failure.minimal or first.body, shrunk=failure.minimal is not None))
        by_kind: dict[str, list[Finding]] = {}
        for finding in self.findings:
            by_kind.setdefault(finding.kind, []).append(finding)
        for kind, group in sorted(by_kind.items()):
            lines.append(f"\nEIGENSCHAFT VERLETZT: {kind} ({len(group)}×)")
            lines += [f"  [{f.mode}] {f.message}" + (f" (Teil von Prüfbeitrag {f.serial:05d})" if f.serial else "")
                      for f in group[:5]]
        for (kind, mode, serial), body in self.minimal.items():
            lines.append(_show(f"Kleinster Text für {kind} ({mode}), aus Prüfbeitrag {serial:05d}", body, shrunk=True))
        return "\n".join(lines)


def _clip(text: str, count: int) -> str:
    return "\n  ".join(text.strip().splitlines()[:count])


def _show(label: str, body: str, shrunk: bool) -> str:
    return f"  {label}{' (geschrumpft)' if shrunk else ''}:\n" + "\n".join("    | " + line for line in body.split("\n"))


class Prover:
    """Batch builds with bisection, within a time budget (a failing run must still end)."""

    def __init__(self, workdir: Path, seconds: float = 300, minimise: int = 2,
                 progress: Callable[[str], None] = lambda line: None):
        self.workdir = workdir
        self.seconds = seconds
        self.started = time.perf_counter()
        self.minimise_left = {mode: minimise for mode in ("öffentlich", "intern")}
        self.progress = progress
        self.report = Report()
        self._count = 0
        self._entries: dict[int, Entry] = {}

    def run(self, entries: list[Entry], batch: int = 100) -> Report:
        self.started = time.perf_counter()
        self._entries = {e.serial: e for e in entries}
        for intern in MODES:
            for start in range(0, len(entries), batch):
                self._isolate(entries[start:start + batch], intern)
        self._minimise_findings()
        self.report.seconds = time.perf_counter() - self.started
        return self.report

    def _exhausted(self) -> bool:
        return time.perf_counter() - self.started > self.seconds

    # --- building -----------------------------------------------------------------------------

    def _attempt(self, group: list[Entry], intern: bool, collect: bool = True) -> tuple[str | None, list[Finding]]:
        """Build ``group``; return (error or None, findings of the successful build)."""
        self._count += 1
        self.report.builds += 1
        root = self.workdir / f"b{self._count:04d}"
        write_project(root, group)
        try:
            outputs = build_outputs(root, intern)
        except BuildFailed as error:
            self.progress(f"build {self._count} ({len(group)} Beiträge, {_mode(intern)}): scheitert")
            return str(error), []
        findings = inspect(outputs, group, root)
        self.progress(f"build {self._count} ({len(group)} Beiträge, {_mode(intern)}): {len(findings)} Befunde")
        if collect:
            self.report.findings += findings
            self.report.built |= {e.serial for e in group}
        return None, findings

    def _isolate(self, group: list[Entry], intern: bool) -> None:
        error, _ = self._attempt(group, intern)
        if error is None:
            return
        if len(group) == 1:
            failure = Failure(tuple(group), _mode(intern), error)
            self.report.failures.append(failure)
            self._minimise_failure(failure, intern)
            return
        if self._exhausted():
            self.report.failures.append(Failure(tuple(group), _mode(intern), "(nicht weiter eingegrenzt: Zeitbudget "
                                                f"von {self.seconds:.0f} s erschöpft)\n" + error))
            return
        before = len(self.report.failures)
        blamed = next((e for e in group if e.rel in error), None)
        if blamed is not None:
            parts = [[blamed], [e for e in group if e is not blamed]]
        else:
            parts = [group[:len(group) // 2], group[len(group) // 2:]]
        for part in parts:
            if part:
                self._isolate(part, intern)
        if len(self.report.failures) == before:
            self.report.failures.append(Failure(tuple(group), _mode(intern), "(nur zusammen) " + error))

    # --- shrinking ----------------------------------------------------------------------------

    def _minimise_failure(self, failure: Failure, intern: bool) -> None:
        if self.minimise_left[failure.mode] <= 0 or self._exhausted():
            return
        self.minimise_left[failure.mode] -= 1
        entry = failure.entries[0]
        signature = _signature(failure.error)

        def still_fails(body: str) -> bool:
            error, _ = self._attempt([Entry(entry.serial, body, entry.origin)], intern, collect=False)
            return error is not None and _signature(error) == signature

        failure.minimal = self._shrink(entry.body, still_fails)

    def _minimise_findings(self) -> None:
        """Shrink the body behind the first finding of each kind (the one before a lost title)."""
        seen: set[tuple[str, str]] = set()
        for finding in list(self.report.findings):
            key = (finding.kind, finding.mode)
            if key in seen or finding.serial is None or self._exhausted():
                continue
            if self.minimise_left[finding.mode] <= 0:
                continue
            seen.add(key)
            intern = finding.mode == "intern"
            suspects = [s for s in (_previous_serial(finding), finding.serial) if s is not None]
            for serial in suspects:
                entry = self._entries.get(serial)
                if entry is None:
                    continue

                def reproduces(body: str, entry: Entry = entry) -> bool:
                    probe = [Entry(entry.serial, body, entry.origin), FOLLOWER]
                    error, findings = self._attempt(probe, intern, collect=False)
                    return error is None and any(f.kind == finding.kind for f in findings)

                if reproduces(entry.body):
                    self.minimise_left[finding.mode] -= 1
                    self.report.minimal[(finding.kind, finding.mode, serial)] = self._shrink(entry.body, reproduces)
                    break

    def _shrink(self, body: str, keeps_failing: Callable[[str], bool]) -> str:
        """Remove blocks, then lines, then words while the failure stays (the marker line is kept)."""
        for separator in ("\n\n", "\n"):
            body = separator.join(self._drop(body.split(separator), 1, lambda parts, sep=separator: sep.join(parts),
                                             keeps_failing))
        lines = body.split("\n")
        for number in range(1, len(lines)):
            def join(words: list[str], number: int = number) -> str:
                return "\n".join(lines[:number] + [" ".join(words)] + lines[number + 1:])
            lines[number] = " ".join(self._drop(lines[number].split(" "), 0, join, keeps_failing))
        return "\n".join(lines)

    def _drop(self, parts: list[str], first: int, join: Callable[[list[str]], str],
              keeps_failing: Callable[[str], bool]) -> list[str]:
        """Greedily leave out each of ``parts[first:]`` whose absence keeps the failure."""
        index = first
        while index < len(parts) and len(parts) > 1 and not self._exhausted():
            candidate = parts[:index] + parts[index + 1:]
            if keeps_failing(join(candidate)):
                parts = candidate
            else:
                index += 1
        return parts


def _mode(intern: bool) -> str:
    return "intern" if intern else "öffentlich"


def _signature(error: str) -> str:
    """What kind of failure: the message without file names, numbers and positions."""
    text = re.sub(r"(contributions/|/)\S+", "", error.split("\n    Hinweis:")[0])
    return re.sub(r"[\d\W]+", " ", text)


def _previous_serial(finding: Finding) -> int | None:
    match = re.search(r"davor steht Prüfbeitrag (\d{5})", finding.message)
    return int(match.group(1)) if match and finding.kind.startswith(("titel-", "marker-")) else None
