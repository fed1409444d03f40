"""Benchmark redaktion on generated projects and compare it with the naive route.

The generated projects hold one large public paper with a third of all contributions (the
worst realistic case for editing: its PDF has several hundred pages); the rest are spread over
papers of about 80 contributions. Per size it measures, each command in its own subprocess
under ``measure.py`` (so time and memory belong to that command alone):

* ``redaktion check``: cold (no ``build/``) and warm (best of three),
* ``redaktion build``: full public build (site + every PDF + DOCX) with cold caches,
* the same build after adding a sentence to an accepted contribution of the largest public
  paper (median of three edits), with the lines the build printed about what it redid,
* the same build again with nothing changed,
* peak memory of the builds (the sampled sum of the process tree),
* ``redaktion serve``: seconds from saving an edit in the largest paper until the served page,
  and the served PDF, show it (``serve_latency.py``; median of three edits),
* the baseline (``baseline.py``): mkdocs over plain pages plus pandoc/Typst per paper,

and reports each build in seconds and as a ratio to the baseline and to the cold build.
Results are printed and written as Markdown to ``build/benchmark.md``.

Usage::

    .venv/bin/python benchmarks/run.py --sizes demo,1000     # a few minutes
    .venv/bin/python benchmarks/run.py --sizes 5000          # the large case (about 40 minutes on 2 cores)
    .venv/bin/python benchmarks/run.py                       # demo, 1000 and 5000
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
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))

import baseline  # noqa: E402
from benchreport import DEMO, Run, SizeResult, report, seconds, size_name  # noqa: E402
from edits import Paper, add_sentence, largest_public_paper  # noqa: E402
from generate import Spec, generate  # noqa: E402
from serve_latency import describe, measure_serve  # noqa: E402

SITE_FILES = ("mkdocs.yml", "docs")  # copied from the repository into every project
DEFAULT_SIZES = "demo,1000,5000"
LARGEST_SHARE = 0.333
CHECK_RUNS = 3
REBUILD_RUNS = 3  # edits, each followed by a build; the median is reported
EDIT_TEXT = "Ergänzung für die Leistungsmessung: ein zusätzlicher Satz der Redaktion."
# Lines of `redaktion build` that say what it did: "• …", "[3/26] …", "  Website fertig (4.1 s)", "Fertig in …",
# and any list of what was rebuilt ("neu gebaut", "neu erzeugt").
STEP_LINE = re.compile(r"^(•|\[\d+/\d+\]|\s+\S.*\(\d+(?:[.,]\d+)? s\)\s*$|Fertig in)|neu (gebaut|erzeugt)")


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


def rebuilt(log: str) -> str:
    """"X von Y" from the build's summary line ("… (X neu erzeugt, Y aus dem Zwischenspeicher)")."""
    match = re.search(r"\((\d+) neu erzeugt, (\d+) aus dem Zwischenspeicher[;)]", log)
    return f"{match.group(1)} von {int(match.group(1)) + int(match.group(2))}" if match else "?"


def build_steps(log: str) -> list[str]:
    """The lines of a build's output that say what it redid and how long each step took (without paths)."""
    lines = [line.strip() for line in log.splitlines() if STEP_LINE.search(line)]
    return [re.sub(r" in /\S+ \(", " (", re.sub(r"\s*Website: /\S+$", "", line)) for line in lines]


def pdf_pages(path: Path) -> int | None:
    """Number of pages of a PDF (pdfinfo from poppler-utils), None when unknown."""
    if not path.is_file() or shutil.which("pdfinfo") is None:
        return None
    output = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True).stdout
    match = re.search(r"^Pages:\s+(\d+)", output, re.MULTILINE)
    return int(match.group(1)) if match else None


def describe_paper(project: Path, paper: Paper) -> str:
    """"id (N angenommene Beiträge, P Seiten)" for the report."""
    pages = pdf_pages(project / "build" / "pdf" / f"{paper.id}.pdf")
    return f"{paper.id} ({len(paper.accepted)} Beiträge, {pages if pages is not None else '?'} Seiten)"


def say(text: str) -> None:
    print(text, flush=True)


def measure_checks(redaktion: list[str], logs: Path, size: int, project: Path, result: SizeResult) -> None:
    """``redaktion check`` without ``build/`` and then warm (best of CHECK_RUNS)."""
    shutil.rmtree(project / "build", ignore_errors=True)
    result.check_cold = measure([*redaktion, "check"], logs / f"check-{size}-cold.log")
    say(f"  check kalt (jeder Beitrag durch pandoc): {seconds(result.check_cold, 2)}")
    checks = [measure([*redaktion, "check"], logs / f"check-{size}-{i}.log") for i in range(CHECK_RUNS)]
    result.check = min(checks, key=lambda r: r.seconds)
    if not result.check.ok:
        result.notes.append(f"check meldet Fehler (siehe {logs}/check-{size}-0.log)")
    say(f"  check warm: {seconds(result.check, 2)} (beste von {CHECK_RUNS})")


def measure_builds(redaktion: list[str], logs: Path, size: int, project: Path, work: Path,
                   result: SizeResult, timeout: float) -> bool:
    """Cold build, rebuilds after one edit in the largest public paper, build without change.

    Returns whether the cold build succeeded (the later measurements need it).
    """
    shutil.rmtree(project / "build", ignore_errors=True)
    # A fresh per-user cache too: "cold" is the very first build on this machine.
    user_cache = {"REDAKTION_CACHE_DIR": str(work / f"user-cache-{size}")}
    shutil.rmtree(user_cache["REDAKTION_CACHE_DIR"], ignore_errors=True)
    say("  Build (kalter Zwischenspeicher) …")
    result.build = measure([*redaktion, "build"], logs / f"build-{size}.log", timeout, user_cache)
    say(f"  Build kalt: {seconds(result.build)}, Speicher aller Prozesse {result.build.tree_rss_mib:.0f} MiB "
        f"(größter Prozess {result.build.maxrss_mib:.0f} MiB)")
    if not result.build.ok:
        result.notes.append(f"Build fehlgeschlagen (siehe {logs}/build-{size}.log)")
        return False
    paper = largest_public_paper(project)
    result.largest = describe_paper(project, paper)
    say(f"  größtes öffentliches Papier: {result.largest}")
    for number in range(REBUILD_RUNS):
        edited = paper.accepted[number % len(paper.accepted)]
        add_sentence(edited, EDIT_TEXT)
        run = measure([*redaktion, "build"], logs / f"rebuild-{size}-{number}.log", timeout, user_cache)
        result.rebuilds.append(run)
        say(f"  Rebuild nach Änderung an {edited.name}: {seconds(run)}, neu erzeugt: {rebuilt(run.log)}")
    median = result.rebuild
    result.rebuilt_outputs = rebuilt(median.log)
    result.rebuild_steps = build_steps(median.log)
    say("  Was der mittlere Rebuild neu gemacht hat:")
    for line in result.rebuild_steps or ["(keine Angaben in der Ausgabe von redaktion build)"]:
        say(f"    {line}")
    result.unchanged = measure([*redaktion, "build"], logs / f"unchanged-{size}.log", timeout, user_cache)
    say(f"  Build ohne Änderung: {seconds(result.unchanged, 2)}")
    return True


def bench_size(work: Path, size: int, args: argparse.Namespace) -> SizeResult:
    """Generate one project and run every measurement on it."""
    if size == DEMO:
        project = prepare_demo(work)
        papers = [p for p in (project / "contributions").iterdir() if (p / "paper.yml").is_file()]
        result = SizeResult(size, len(papers))
        say("\n== Demo des Repositorys ==")
    else:
        spec = Spec(size, largest_share=args.largest_share)
        result = SizeResult(size, spec.paper_count)
        say(f"\n== {size_name(size)} Beiträge, {spec.paper_count} Papiere, "
            f"{spec.largest_count or 'keines'} davon im größten ==")
        project = prepare(work, spec)
    logs = work / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    redaktion = [bin_path("redaktion"), "--root", str(project)]

    measure_checks(redaktion, logs, size, project, result)
    built = measure_builds(redaktion, logs, size, project, work, result, args.timeout)
    if built and not args.no_serve:
        say("  Vorschau (redaktion serve) …")
        result.serve = measure_serve(bin_path("redaktion"), project, logs / f"serve-{size}.log", REBUILD_RUNS,
                                     args.serve_timeout, args.serve_timeout)
        for line in describe(result.serve):
            say(f"  {line}")
    if not args.no_baseline:
        say(f"  Baseline ({baseline.pdf_route()}) …")
        result.baseline = measure([sys.executable, str(HERE / "baseline.py"), str(project),
                                   str(work / f"baseline-{size}")], logs / f"baseline-{size}.log",
                                  args.baseline_timeout)
        say(f"  Baseline: {seconds(result.baseline)}")
    if not args.keep:
        shutil.rmtree(project, ignore_errors=True)
        shutil.rmtree(work / f"baseline-{size}", ignore_errors=True)
    return result


def parse_args(argv: list[str] | None) -> tuple[argparse.Namespace, list[int]]:
    """The command line, and the sizes as numbers (DEMO for "demo")."""
    parser = argparse.ArgumentParser(description="Leistungsmessung: check, Build, Rebuild, Speicher, Vorschau, "
                                                 "Baseline.")
    parser.add_argument("--sizes", default=DEFAULT_SIZES,
                        help=f"Anzahl der Beiträge, kommagetrennt; „demo“ misst die Demo des Repositorys "
                             f"(Standard: {DEFAULT_SIZES})")
    parser.add_argument("--largest-share", type=float, default=LARGEST_SHARE,
                        help=f"Anteil der Beiträge im größten Papier (Standard: {LARGEST_SHARE}; 0: gleichmäßig)")
    parser.add_argument("--work", type=Path, default=REPO / "build" / "benchmark-work",
                        help="Arbeitsordner für die erzeugten Projekte")
    parser.add_argument("--out", type=Path, default=REPO / "build" / "benchmark.md", help="Bericht (Markdown)")
    parser.add_argument("--no-baseline", action="store_true", help="Baseline nicht messen")
    parser.add_argument("--no-serve", action="store_true", help="Vorschau (redaktion serve) nicht messen")
    parser.add_argument("--timeout", type=float, default=1800, help="Abbruch eines Builds nach so vielen Sekunden")
    parser.add_argument("--serve-timeout", type=float, default=600,
                        help="Höchstdauer je Warten auf die Vorschau (Start, Seite, PDF) in Sekunden")
    parser.add_argument("--baseline-timeout", type=float, default=1800,
                        help="Abbruch der Baseline nach so vielen Sekunden (die Verhältnisse sind dann Obergrenzen)")
    parser.add_argument("--keep", action="store_true", help="erzeugte Projekte behalten")
    args = parser.parse_args(argv)
    if not 0 <= args.largest_share <= 1:
        parser.error("--largest-share erwartet einen Anteil zwischen 0 und 1, z. B. 0.333")
    try:
        sizes = [DEMO if s.strip() == "demo" else int(s) for s in args.sizes.split(",") if s.strip()]
    except ValueError:
        parser.error("--sizes erwartet Zahlen oder „demo“, z. B. --sizes demo,1000")
    return args, sizes


def main(argv: list[str] | None = None) -> int:
    args, sizes = parse_args(argv)
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
