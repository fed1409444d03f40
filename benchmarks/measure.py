"""Run one command and report its wall time and peak memory as one JSON line.

Each measured command runs under its own copy of this wrapper, so the wrapper's
``RUSAGE_CHILDREN`` covers exactly that command and its descendants:

* ``maxrss_mib``: the largest resident set of any single process of the command
  (``ru_maxrss``; for a process pool, the biggest worker or the parent),
* ``tree_rss_mib``: the largest sum over the whole process tree, sampled every 50 ms
  from ``/proc`` (Linux only; 0 elsewhere), which is what the machine really had to hold;
  each process counts with its proportional set size (PSS), so pages a forked worker shares
  with its parent count once.

Usage::

    python benchmarks/measure.py --log LOG [--cwd DIR] [--timeout S] -- COMMAND ...
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import threading
import time
from pathlib import Path

SAMPLE_SECONDS = 0.05
PAGE_KIB = os.sysconf("SC_PAGE_SIZE") // 1024 if hasattr(os, "sysconf") else 4


def _children() -> dict[int, list[int]]:
    """Parent pid → child pids, from /proc (empty where /proc is missing)."""
    tree: dict[int, list[int]] = {}
    for entry in os.scandir("/proc") if os.path.isdir("/proc") else ():
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", "rb") as handle:
                stat = handle.read()
        except OSError:
            continue
        fields = stat[stat.rfind(b")") + 2:].split()
        tree.setdefault(int(fields[1]), []).append(int(entry.name))
    return tree


def tree_rss_kib(root: int) -> int:
    """Memory of ``root`` and all its descendants (PSS, else RSS), in KiB."""
    tree = _children()
    total, stack = 0, [root]
    while stack:
        pid = stack.pop()
        stack.extend(tree.get(pid, ()))
        total += _process_kib(pid)
    return total


def _process_kib(pid: int) -> int:
    """Proportional set size of one process (shared pages split among their users), else RSS.

    Forked workers share most pages with their parent; adding their RSS would count those
    pages several times.
    """
    try:
        with open(f"/proc/{pid}/smaps_rollup", "rb") as handle:
            for line in handle:
                if line.startswith(b"Pss:"):
                    return int(line.split()[1])
    except (OSError, IndexError, ValueError):
        pass
    try:
        with open(f"/proc/{pid}/statm", "rb") as handle:
            return int(handle.read().split()[1]) * PAGE_KIB
    except (OSError, IndexError, ValueError):
        return 0


class TreeSampler(threading.Thread):
    """Samples the process tree's memory in the background and keeps the peak."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid = pid
        self.peak_kib = 0
        self.stopped = threading.Event()

    def run(self) -> None:
        while not self.stopped.is_set():
            self.peak_kib = max(self.peak_kib, tree_rss_kib(self.pid))
            self.stopped.wait(SAMPLE_SECONDS)


def measure(command: list[str], log: Path, cwd: Path | None, timeout: float | None) -> dict[str, object]:
    """Run ``command`` with output to ``log``; return seconds, memory, exit code and timeout flag."""
    with log.open("wb") as output:
        started = time.perf_counter()
        process = subprocess.Popen(command, stdout=output, stderr=subprocess.STDOUT, cwd=cwd,
                                   start_new_session=True)
        sampler = TreeSampler(process.pid)
        sampler.start()
        timed_out = False
        try:
            returncode = process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            timed_out = True
            os.killpg(process.pid, 9)  # the command's own session: only what we started
            returncode = process.wait()
        seconds = time.perf_counter() - started
        sampler.stopped.set()
        sampler.join()
    maxrss_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return {"seconds": seconds, "maxrss_mib": maxrss_kib / 1024, "tree_rss_mib": sampler.peak_kib / 1024,
            "returncode": returncode, "timed_out": timed_out}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Einen Befehl messen (Zeit, Speicher).")
    parser.add_argument("--log", type=Path, required=True, help="Datei für die Ausgabe des Befehls")
    parser.add_argument("--cwd", type=Path, default=None)
    parser.add_argument("--timeout", type=float, default=None, help="Abbruch nach so vielen Sekunden")
    parser.add_argument("command", nargs=argparse.REMAINDER)
    args = parser.parse_args(argv)
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    if not command:
        parser.error("es fehlt der zu messende Befehl")
    print(json.dumps(measure(command, args.log, args.cwd, args.timeout)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
