"""Benchmark redaktion on generated projects and compare it with the naive route.

Per size (number of contributions) it measures, each command in its own subprocess under
``measure.py`` (so time and memory belong to that command alone):

* ``redaktion check``: cold (no ``build/``, so every body goes through pandoc's reader) and warm
  (parsed bodies from ``build/.cache``; wall time, best of three),
* ``redaktion build``: full public build (site + every PDF + DOCX) with cold caches (no
  ``build/``, and a fresh per-user template cache),
* the same build again after editing one contribution (median of three edits),
* the same build again with nothing changed,
* peak memory of the build (largest single process, and the sampled sum of the process tree),
* the baseline (``baseline.py``): mkdocs over plain pages plus pandoc/Typst per paper.

Results are printed and written as a Markdown table to ``build/benchmark.md``.

Usage::

    .venv/bin/python benchmarks/run.py [--sizes demo,100,1000,5000] [--no-baseline]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))

import baseline  # noqa: E402
from generate import Spec, generate  # noqa: E402

SITE_FILES = ("mkdocs.yml", "docs")  # copied from the repository into every project
CHECK_RUNS = 3
REBUILD_RUNS = 3  # edits, each followed by a build; the median is reported
EDIT_MARK = "\n---\n\n"
EDIT_TEXT = "Ergänzung für die Leistungsmessung: ein zusätzlicher Satz der Redaktion.\n\n"
GIB = 1024.0


@dataclass
class Run:
    """One measured command."""

    seconds: float
    maxrss_mib: float
    tree_rss_mib: float
    ok: bool
    timed_out: bool = False
    log: str = ""


@dataclass
class SizeResult:
    """All measurements of one project size."""

    contributions: int
    papers: int
    check_cold: Run | None = None
    check: Run | None = None
    build: Run | None = None
    rebuild: Run | None = None
    rebuilt_outputs: str = "?"
    unchanged: Run | None = None
    baseline: Run | None = None
    notes: list[str] = field(default_factory=list)


def bin_path(name: str) -> str:
    """An executable of the running virtual environment (redaktion, mkdocs)."""
    return str(Path(sys.executable).with_name(name))


def measure(command: list[str], log: Path, timeout: float | None = None, env: dict[str, str] | None = None) -> Run:
    """Run ``command`` under measure.py in its own process; return its numbers."""
    wrapper = [sys.executable, str(HERE / "measure.py"), "--log", str(log)]
    if timeout:
        wrapper += ["--timeout", str(timeout)]
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", **(env or {}))
    result = subprocess.run([*wrapper, "--", *command], capture_output=True, text=True, check=True, env=env)
    data = json.loads(result.stdout.strip().splitlines()[-1])
    return Run(data["seconds"], data["maxrss_mib"], data["tree_rss_mib"], data["returncode"] == 0,
               data["timed_out"], log.read_text(encoding="utf-8", errors="replace"))


DEMO = 0  # "size" of the repository's own demo project


def prepare_demo(work: Path) -> Path:
    """A copy of the repository's demo (contributions, docs, site configuration)."""
    project = work / "projekt-demo"
    shutil.rmtree(project, ignore_errors=True)
    project.mkdir(parents=True)
    copy_from_repository(project, ("contributions", *SITE_FILES))
    return project


def prepare(work: Path, spec: Spec) -> Path:
    """A fresh generated project with the repository's site configuration."""
    project = work / f"projekt-{spec.contributions}"
    shutil.rmtree(project, ignore_errors=True)
    generate(project, spec)
    copy_from_repository(project, SITE_FILES)
    return project


def copy_from_repository(project: Path, names: tuple[str, ...]) -> None:
    """Copy files and folders of the repository (site configuration, demo content) into ``project``."""
    for name in names:
        source = REPO / name
        if source.is_dir():
            shutil.copytree(source, project / name)
        elif source.is_file():
            shutil.copyfile(source, project / name)


def edit_one(project: Path, number: int = 0) -> Path:
    """Add a sentence to an accepted contribution of the first paper; return its path."""
    first_paper = sorted(p for p in (project / "contributions").iterdir() if p.is_dir())[0]
    for path in baseline.accepted_files(first_paper)[number:]:
        text = path.read_text(encoding="utf-8")
        path.write_text(text.replace(EDIT_MARK, EDIT_MARK + EDIT_TEXT, 1), encoding="utf-8")
        return path
    raise RuntimeError(f"kein angenommener Beitrag in {first_paper}")


def rebuilt(log: str) -> str:
    """"X neu" from the build's summary line ("… (X neu erzeugt, Y aus dem Zwischenspeicher)")."""
    match = re.search(r"\((\d+) neu erzeugt, (\d+) aus dem Zwischenspeicher\)", log)
    return f"{match.group(1)} von {int(match.group(1)) + int(match.group(2))}" if match else "?"


def say(text: str) -> None:
    print(text, flush=True)


def bench_size(work: Path, size: int, args: argparse.Namespace) -> SizeResult:
    """Generate one project and run every measurement on it."""
    if size == DEMO:
        project = prepare_demo(work)
        result = SizeResult(size, len([p for p in (project / "contributions").iterdir() if p.is_dir()]))
        say("\n== Demo des Repositorys ==")
    else:
        spec = Spec(size)
        result = SizeResult(size, spec.paper_count)
        say(f"\n== {size} Beiträge, {spec.paper_count} Papiere ==")
        project = prepare(work, spec)
    logs = work / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    redaktion = [bin_path("redaktion"), "--root", str(project)]

    shutil.rmtree(project / "build", ignore_errors=True)
    result.check_cold = measure([*redaktion, "check"], logs / f"check-{size}-cold.log")
    say(f"  check kalt (jeder Beitrag durch pandoc): {result.check_cold.seconds:.2f} s")
    checks = [measure([*redaktion, "check"], logs / f"check-{size}-{i}.log") for i in range(CHECK_RUNS)]
    result.check = min(checks, key=lambda r: r.seconds)
    if not result.check.ok:
        result.notes.append(f"check meldet Fehler (siehe {logs}/check-{size}-0.log)")
    say(f"  check: {result.check.seconds:.2f} s (beste von {CHECK_RUNS})")

    shutil.rmtree(project / "build", ignore_errors=True)
    # A fresh per-user cache too: "cold" is the very first build on this machine.
    user_cache = {"REDAKTION_CACHE_DIR": str(work / f"user-cache-{size}")}
    shutil.rmtree(user_cache["REDAKTION_CACHE_DIR"], ignore_errors=True)
    say("  Build (kalter Zwischenspeicher) …")
    result.build = measure([*redaktion, "build"], logs / f"build-{size}.log", args.timeout, user_cache)
    say(f"  Build: {_seconds(result.build)}, Speicher {result.build.maxrss_mib:.0f} MiB "
        f"(Summe aller Prozesse {result.build.tree_rss_mib:.0f} MiB)")
    if result.build.ok:
        runs = []
        for number in range(REBUILD_RUNS):
            edited = edit_one(project, number)
            runs.append(measure([*redaktion, "build"], logs / f"rebuild-{size}-{number}.log", args.timeout,
                                user_cache))
            say(f"  Rebuild nach Änderung an {edited.name}: {_seconds(runs[-1])}, "
                f"neu erzeugt: {rebuilt(runs[-1].log)}")
        result.rebuild = sorted(runs, key=lambda run: run.seconds)[len(runs) // 2]
        result.rebuilt_outputs = rebuilt(result.rebuild.log)
        result.unchanged = measure([*redaktion, "build"], logs / f"unchanged-{size}.log", args.timeout, user_cache)
        say(f"  Build ohne Änderung: {_seconds(result.unchanged)}")
    else:
        result.notes.append(f"Build fehlgeschlagen (siehe {logs}/build-{size}.log)")

    if not args.no_baseline:
        say(f"  Baseline ({baseline.pdf_route()}) …")
        result.baseline = measure([sys.executable, str(HERE / "baseline.py"), str(project),
                                   str(work / f"baseline-{size}")], logs / f"baseline-{size}.log",
                                  args.baseline_timeout)
        say(f"  Baseline: {_seconds(result.baseline)}")
    if not args.keep:
        shutil.rmtree(project, ignore_errors=True)
        shutil.rmtree(work / f"baseline-{size}", ignore_errors=True)
    return result


def _n(number: int) -> str:
    """A number with German thousands separators (5.000), or "Demo"."""
    if number == DEMO:
        return "Demo"
    return f"{number:,}".replace(",", ".")


def _seconds(run: Run | None, digits: int = 1) -> str:
    if run is None:
        return "–"
    if run.timed_out:
        return f"> {run.seconds:.0f} s (abgebrochen)"
    return f"{run.seconds:.{digits}f} s" if run.ok else f"{run.seconds:.{digits}f} s (Fehler)"


def _ratio(ours: Run | None, theirs: Run | None) -> str:
    if not ours or not theirs or not ours.ok:
        return "–"
    ratio = ours.seconds / theirs.seconds
    if theirs.timed_out:
        return f"≤ {ratio:.2f} (≥ {1 / ratio:.1f}× schneller)"
    return f"{ratio:.2f} ({1 / ratio:.1f}× schneller)" if ratio <= 1 else f"{ratio:.2f} ({ratio:.1f}× langsamer)"


def slope(results: list[SizeResult]) -> float | None:
    """Least-squares slope of full build seconds per 1,000 contributions."""
    points = [(r.contributions / 1000, r.build.seconds) for r in results if r.build and r.build.ok and r.contributions != DEMO]
    if len(points) < 2:
        return None
    mean_x = sum(x for x, _ in points) / len(points)
    mean_y = sum(y for _, y in points) / len(points)
    var = sum((x - mean_x) ** 2 for x, _ in points)
    return sum((x - mean_x) * (y - mean_y) for x, y in points) / var if var else None


def table(results: list[SizeResult]) -> str:
    """The results as a Markdown table."""
    lines = [
        "| Beiträge | Papiere | check kalt | check warm (beste von 3) | Build kalt | Rebuild nach 1 Änderung (Median von 3) "
        "| neu erzeugt | Rebuild/Build | Build ohne Änderung | Speicher Build (größter Prozess / alle) "
        "| Baseline | Build kalt/Baseline | ohne Änderung/Baseline |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in results:
        share = (f"{100 * r.rebuild.seconds / r.build.seconds:.0f} %"
                 if r.rebuild and r.build and r.build.ok and r.rebuild.ok else "–")
        memory = f"{r.build.maxrss_mib:.0f} / {r.build.tree_rss_mib:.0f} MiB" if r.build else "–"
        check = f"{r.check.seconds:.2f} s" if r.check else "–"
        cold = f"{r.check_cold.seconds:.2f} s" if r.check_cold else "–"
        lines.append(f"| {_n(r.contributions)} | {r.papers} | {cold} | {check} | {_seconds(r.build)} | {_seconds(r.rebuild)} "
                     f"| {r.rebuilt_outputs} | {share} | {_seconds(r.unchanged, 2)} | {memory} "
                     f"| {_seconds(r.baseline)} | {_ratio(r.build, r.baseline)} | {_ratio(r.unchanged, r.baseline)} |")
    return "\n".join(lines)


def targets(results: list[SizeResult]) -> list[str]:
    """The project's performance targets, each marked as met or missed."""
    by_size = {r.contributions: r for r in results}
    lines: list[str] = []

    def mark(ok: bool, text: str) -> None:
        lines.append(f"- {'✅' if ok else '❌'} {text}")

    for size, limit in ((1000, 0.5), (5000, 4.0)):
        r = by_size.get(size)
        if r and r.check:
            mark(r.check.seconds < limit, f"check (warm) bei {_n(size)} Beiträgen < {limit:g} s: "
                 f"{r.check.seconds:.2f} s")
        if r and r.check_cold:
            lines.append(f"- ℹ️ check kalt bei {_n(size)} Beiträgen (jeder Beitrag durch pandoc): "
                         f"{r.check_cold.seconds:.2f} s")
    r = by_size.get(1000)
    if r and r.rebuild and r.build and r.build.ok:
        share = r.rebuild.seconds / r.build.seconds
        mark(share < 0.10, f"Rebuild nach einer Änderung bei 1.000 < 10 % des Builds: {100 * share:.0f} %")
    rates = [(r.contributions, r.build.seconds / r.contributions * 1000) for r in results
             if r.build and r.build.ok and r.contributions >= 1000]
    if len(rates) >= 2:
        spread = max(rate for _, rate in rates) / min(rate for _, rate in rates)
        mark(spread < 1.3, "Build wächst linear (Sekunden je 1.000 Beiträge: "
             + ", ".join(f"{rate:.1f} s bei {_n(size)}" for size, rate in rates) + ")")
    for r in results:
        finished = r.baseline and (r.baseline.ok or r.baseline.timed_out)
        if r.build and r.build.ok and finished and (r.contributions >= 1000 or r.contributions == DEMO):
            speedup = r.baseline.seconds / r.build.seconds
            bound = "mindestens " if r.baseline.timed_out else ""
            mark(speedup >= 3, f"Build (kalt) bei {_n(r.contributions)} ≥ 3× schneller als die Baseline: "
                 f"{bound}{speedup:.1f}×")
            if r.unchanged and r.unchanged.ok:
                lines.append(f"- ℹ️ Build ohne Änderung bei {_n(r.contributions)}: {bound}"
                             f"{r.baseline.seconds / r.unchanged.seconds:.1f}× schneller als die Baseline "
                             "(die Baseline baut jedes Mal alles neu)")
    r = by_size.get(5000)
    if r and r.build:
        mark(r.build.tree_rss_mib < GIB, f"Speicher bei 5.000 < 1 GiB: größter Prozess {r.build.maxrss_mib:.0f} MiB, "
             f"alle Prozesse zusammen {r.build.tree_rss_mib:.0f} MiB")
    return lines


def report(results: list[SizeResult], seconds: float) -> str:
    """The complete Markdown report."""
    parts = ["# Leistungsmessung redaktion", "",
             f"Rechner: {os.cpu_count()} Kerne, Python {sys.version.split()[0]}. Gesamtdauer {seconds / 60:.1f} min.",
             "", table(results), ""]
    rate = slope(results)
    if rate is not None:
        parts.append(f"Steigung des vollständigen Builds: {rate:.1f} s je 1.000 Beiträge.")
    parts += ["", "## Ziele", "", *targets(results), "", "## Anmerkungen", "",
              "- Zeiten sind Wanduhrzeit eines eigenen Prozesses je Befehl (benchmarks/measure.py).",
              "- Speicher: größter Einzelprozess (ru_maxrss) / Summe aller Prozesse des Befehls "
              "(alle 50 ms aus /proc abgetastet, PSS: mit dem Elternprozess geteilte Seiten zählen einmal).",
              "- Build = `redaktion build`: Prüfen, Zusammenführen, Website, alle PDF und DOCX. "
              "„Kalt“: ohne `build/` und mit leerem Vorlagen-Zwischenspeicher des Benutzers; "
              "„Rebuild“: nach Ergänzung eines Satzes in einem angenommenen Beitrag; "
              "„ohne Änderung“: derselbe Befehl noch einmal.",
              "- Baseline = naiver Weg mit denselben Werkzeugen: `mkdocs build` über die angenommenen Beiträge "
              "als einfache Seiten (material, ohne Plugin), je Papier ein pandoc-Lauf zu PDF und einer zu DOCX, "
              "Papiere nacheinander.",
              f"- PDF-Weg der Baseline: {_route_note()}"]
    for r in results:
        parts += [f"- {r.contributions} Beiträge: {note}" for note in r.notes]
    return "\n".join(parts) + "\n"


def _route_note() -> str:
    if baseline.pdf_route() == "typst-cli":
        return "`pandoc --pdf-engine=typst` (typst-Programm vorhanden)."
    return ("kein typst-Programm installiert (das PyPI-Paket „typst“ enthält nur ein Python-Modul): "
            "pandoc Markdown → Typst, dann `typst.compile` in Python, je Papier.")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Leistungsmessung: check, Build, Rebuild, Speicher, Baseline.")
    parser.add_argument("--sizes", default="demo,100,1000,5000",
                        help="Anzahl der Beiträge, kommagetrennt; „demo“ misst die Demo des Repositorys")
    parser.add_argument("--work", type=Path, default=REPO / "build" / "benchmark-work",
                        help="Arbeitsordner für die erzeugten Projekte")
    parser.add_argument("--out", type=Path, default=REPO / "build" / "benchmark.md", help="Bericht (Markdown)")
    parser.add_argument("--no-baseline", action="store_true", help="Baseline nicht messen")
    parser.add_argument("--timeout", type=float, default=900, help="Abbruch eines Builds nach so vielen Sekunden")
    parser.add_argument("--baseline-timeout", type=float, default=420,
                        help="Abbruch der Baseline nach so vielen Sekunden (das Ergebnis gilt dann als Untergrenze)")
    parser.add_argument("--keep", action="store_true", help="erzeugte Projekte behalten")
    args = parser.parse_args(argv)
    try:
        sizes = [DEMO if s.strip() == "demo" else int(s) for s in args.sizes.split(",") if s.strip()]
    except ValueError:
        parser.error("--sizes erwartet Zahlen, z. B. --sizes 100,1000")
    started = time.perf_counter()
    results = [bench_size(args.work, size, args) for size in sizes]
    text = report(results, time.perf_counter() - started)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text, encoding="utf-8")
    say("\n" + text)
    say(f"Bericht geschrieben: {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
