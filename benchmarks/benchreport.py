"""The benchmark's results and their German report (Markdown tables, targets, notes)."""

from __future__ import annotations

import os
import statistics
import sys
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import baseline

if TYPE_CHECKING:
    from serve_latency import Latency

DEMO = 0  # "size" of the repository's own demo project
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
    largest: str = ""  # the largest public paper: id, accepted contributions, pages
    check_cold: Run | None = None
    check: Run | None = None
    build: Run | None = None
    rebuilds: list[Run] = field(default_factory=list)  # one per edit in the largest paper
    rebuilt_outputs: str = "?"
    rebuild_steps: list[str] = field(default_factory=list)  # what the median rebuild reported doing
    unchanged: Run | None = None
    serve: Latency | None = None
    baseline: Run | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def rebuild(self) -> Run | None:
        """The median of the rebuilds after one edit."""
        if not self.rebuilds:
            return None
        return sorted(self.rebuilds, key=lambda run: run.seconds)[len(self.rebuilds) // 2]

    @property
    def peak_tree_mib(self) -> float | None:
        """Peak memory of all processes together over every build of this size."""
        runs = [run for run in (self.build, *self.rebuilds, self.unchanged) if run is not None]
        return max(run.tree_rss_mib for run in runs) if runs else None


def de(number: float, digits: int = 1) -> str:
    """A decimal number the German way (3,14)."""
    return f"{number:.{digits}f}".replace(".", ",")


def size_name(number: int) -> str:
    """A number with German thousands separators (5.000), or "Demo"."""
    if number == DEMO:
        return "Demo"
    return f"{number:,}".replace(",", ".")


def seconds(run: Run | None, digits: int = 1) -> str:
    """A run's wall time, marked when it failed or was stopped."""
    if run is None:
        return "–"
    if run.timed_out:
        return f"> {run.seconds:.0f} s (abgebrochen)"
    return f"{de(run.seconds, digits)} s" if run.ok else f"{de(run.seconds, digits)} s (Fehler)"


def ratio(ours: Run | None, reference: Run | None) -> str:
    """``ours`` divided by ``reference`` (an upper bound when the reference was stopped)."""
    if not ours or not reference or not ours.ok or not (reference.ok or reference.timed_out):
        return "–"
    value = ours.seconds / reference.seconds
    text = de(value, 2) if value >= 0.1 else de(value, 3)
    return f"≤ {text}" if reference.timed_out else text


def median(values: list[float | None]) -> float | None:
    """Median of the values that are not None (runs that finished); None when none did."""
    finished = [value for value in values if value is not None]
    return statistics.median(finished) if finished else None


def latency(values: list[float | None], note: str = "") -> str:
    """Median of a preview latency, or why there is none."""
    if (value := median(values)) is not None:
        return f"{de(value, 2)} s"
    if values:
        return "Zeitüberschreitung"
    return "nicht verfügbar" + (f" ({note})" if note else "")


def main_table(results: list[SizeResult]) -> str:
    """Cold build, rebuild after one edit, rebuild without change: seconds and ratios."""
    lines = [
        "| Beiträge | Papiere | größtes Papier | Baseline kalt | Build kalt | ÷ Baseline "
        "| Rebuild nach 1 Änderung im größten Papier (Median von 3) | ÷ Baseline | ÷ Build kalt "
        "| Build ohne Änderung | ÷ Baseline | ÷ Build kalt | Spitzenspeicher (alle Prozesse) |",
        "| ---: | ---: | :--- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in results:
        memory = f"{r.peak_tree_mib:.0f} MiB" if r.peak_tree_mib is not None else "–"
        lines.append(f"| {size_name(r.contributions)} | {r.papers} | {r.largest or '–'} | {seconds(r.baseline)} "
                     f"| {seconds(r.build)} | {ratio(r.build, r.baseline)} "
                     f"| {seconds(r.rebuild)} | {ratio(r.rebuild, r.baseline)} | {ratio(r.rebuild, r.build)} "
                     f"| {seconds(r.unchanged, 2)} | {ratio(r.unchanged, r.baseline)} | {ratio(r.unchanged, r.build)} "
                     f"| {memory} |")
    return "\n".join(lines)


def detail_table(results: list[SizeResult]) -> str:
    """Check times, what the rebuild redid, the largest single process and the preview's latency."""
    lines = [
        "| Beiträge | check kalt | check warm (beste von 3) | Rebuild: neu erzeugt | größter Einzelprozess (Build kalt) "
        "| Vorschau bereit (im Leerlauf) | Vorschau: Seite zeigt Änderung (Median) | Vorschau: PDF zeigt Änderung (Median) |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in results:
        largest_process = f"{r.build.maxrss_mib:.0f} MiB" if r.build else "–"
        serve = r.serve
        if serve is None or serve.note:
            ready, page, pdf = ("nicht gemessen" if serve is None else serve.note), "–", "–"
        else:
            ready = f"{de(serve.startup or 0)} s ({de(serve.idle or 0)} s)"
            page = latency(serve.html)
            pdf = latency(serve.pdf, serve.pdf_note)
        lines.append(f"| {size_name(r.contributions)} | {seconds(r.check_cold, 2)} | {seconds(r.check, 2)} "
                     f"| {r.rebuilt_outputs} | {largest_process} | {ready} | {page} | {pdf} |")
    return "\n".join(lines)


def slope(results: list[SizeResult]) -> float | None:
    """Least-squares slope of full build seconds per 1,000 contributions."""
    points = [(r.contributions / 1000, r.build.seconds) for r in results
              if r.build and r.build.ok and r.contributions != DEMO]
    if len(points) < 2:
        return None
    mean_x = sum(x for x, _ in points) / len(points)
    mean_y = sum(y for _, y in points) / len(points)
    var = sum((x - mean_x) ** 2 for x, _ in points)
    return sum((x - mean_x) * (y - mean_y) for x, y in points) / var if var else None


def targets(results: list[SizeResult]) -> list[str]:
    """The editing-loop targets, each marked as met or missed (ratios measured in the same run)."""
    by_size = {r.contributions: r for r in results}
    lines: list[str] = []

    def mark(ok: bool, text: str) -> None:
        lines.append(f"- {'✅' if ok else '❌'} {text}")

    r = by_size.get(1000)
    if r and r.serve and not r.serve.note:
        page, pdf = median(r.serve.html), median(r.serve.pdf)
        if page is not None:
            mark(page <= 0.5, f"Vorschau bei 1.000: Seite ≤ 0,5 s nach dem Speichern: {de(page, 2)} s")
        mark(pdf is not None and pdf <= 1.5, "Vorschau bei 1.000: PDF ≤ 1,5 s nach dem Speichern: "
             + (f"{de(pdf, 2)} s" if pdf is not None else r.serve.pdf_note or "nicht verfügbar"))
    if r and r.rebuild and r.build and r.build.ok and r.rebuild.ok:
        share = r.rebuild.seconds / r.build.seconds
        mark(share <= 0.35, f"Rebuild nach einer Änderung im größten Papier bei 1.000 ≤ 35 % des kalten Builds: "
             f"{100 * share:.0f} %")
    if r and r.unchanged and r.build and r.build.ok and r.unchanged.ok:
        share = r.unchanged.seconds / r.build.seconds
        mark(share <= 0.10, f"Build ohne Änderung bei 1.000 ≤ 10 % des kalten Builds: {100 * share:.0f} %")
    for size in (1000, 5000):
        r = by_size.get(size)
        finished = r and r.baseline and (r.baseline.ok or r.baseline.timed_out)
        if r and r.build and r.build.ok and finished:
            ratio = r.build.seconds / r.baseline.seconds
            bound = "höchstens " if r.baseline.timed_out else ""
            mark(ratio <= 0.6, f"Build (kalt) bei {size_name(size)} ≤ 0,6 × naiver Weg: {bound}{de(ratio, 2)}")
    r = by_size.get(5000)
    if r and r.build and r.peak_tree_mib is not None:
        mark(r.build.maxrss_mib < GIB, f"Speicher bei 5.000 < 1 GiB: größter Prozess {r.build.maxrss_mib:.0f} MiB "
             f"(alle Prozesse zusammen höchstens {r.peak_tree_mib:.0f} MiB)")
    return lines


def rebuild_details(results: list[SizeResult]) -> list[str]:
    """What each size's median rebuild reported doing (its step and timing lines)."""
    lines: list[str] = []
    for r in results:
        if r.rebuild_steps:
            lines += [f"**{size_name(r.contributions)}**", "", "```", *r.rebuild_steps, "```", ""]
    return lines


def report(results: list[SizeResult], total_seconds: float) -> str:
    """The complete Markdown report."""
    parts = ["# Leistungsmessung redaktion", "",
             f"Rechner: {os.cpu_count()} Kerne, Python {sys.version.split()[0]}. "
             f"Gesamtdauer {de(total_seconds / 60)} min.", "",
             "## Build, Rebuild, Speicher", "", main_table(results), "",
             "## Prüfung und Vorschau", "", detail_table(results), ""]
    rate = slope(results)
    if rate is not None:
        parts.append(f"Steigung des vollständigen Builds: {de(rate)} s je 1.000 Beiträge.")
    parts += ["", "## Ziele", "", *targets(results), ""]
    details = rebuild_details(results)
    if details:
        parts += ["## Rebuild nach einer Änderung im Einzelnen", "",
                  "Ausgabe von `redaktion build` beim mittleren der drei Rebuilds:", "", *details]
    parts += ["## Anmerkungen", "", *NOTES, f"- PDF-Weg der Baseline: {route_note()}"]
    for r in results:
        parts += [f"- {size_name(r.contributions)}: {note}" for note in r.notes]
    return "\n".join(parts) + "\n"


NOTES = [
    "- Zeiten sind Wanduhrzeit eines eigenen Prozesses je Befehl (benchmarks/measure.py); "
    "„÷“ ist das Verhältnis der Zeiten (0,10 heißt: ein Zehntel der Zeit).",
    "- Erzeugte Projekte: ein Drittel aller Beiträge gehört zu einem einzigen öffentlichen Papier "
    "(`generate.py --largest-share 0.333`), die übrigen verteilen sich zu je etwa 80 auf weitere Papiere.",
    "- Build = `redaktion build`: Prüfen, Zusammenführen, Website, alle PDF und DOCX. "
    "„Kalt“: ohne `build/` und mit leerem Vorlagen-Zwischenspeicher des Benutzers; "
    "„Rebuild“: nach Ergänzung eines Satzes in einem angenommenen Beitrag des größten öffentlichen Papiers "
    "(der ungünstigste übliche Fall: dessen PDF und DOCX entstehen neu); "
    "„ohne Änderung“: derselbe Befehl noch einmal.",
    "- Spitzenspeicher: größte Summe aller Prozesse eines Builds (alle 50 ms aus /proc abgetastet, PSS: "
    "mit dem Elternprozess geteilte Seiten zählen einmal), über alle Builds der Größe; größter Einzelprozess: "
    "ru_maxrss.",
    "- Vorschau = `redaktion serve`: je Änderung ein Satz mit eindeutiger Marke in einem Beitrag des größten "
    "Papiers; gemessen vom Speichern, bis die Seite `/papiere/<Papier>/` bzw. das dort verlinkte PDF des "
    "Papiers (Text mit `pdftotext`) die Marke enthält; Abfrage alle 20 ms (beim PDF nur die angekündigte Größe, die ganze Datei erst, wenn sie sich ändert, sonst zweimal je Sekunde: das ständige Lesen von 3 MB würde den gemessenen Satz bremsen), Median von drei Änderungen. Jede Änderung beginnt bei ruhender Vorschau (weniger als 5 % eines Kerns über eine Sekunde): „im Leerlauf“ nennt, wann die Arbeit nach dem Start (PDF der Papiere, Vorwärmen des zuletzt bearbeiteten, Suchindex) getan war.",
    "- Baseline = naiver Weg mit denselben Werkzeugen: `mkdocs build` über die angenommenen Beiträge "
    "als einfache Seiten (material, ohne Plugin), je Papier ein pandoc-Lauf zu PDF und einer zu DOCX, "
    "Papiere nacheinander; gemessen im selben Lauf. Bricht sie ab, sind die Verhältnisse Obergrenzen (≤).",
]


def route_note() -> str:
    if baseline.pdf_route() == "typst-cli":
        return "`pandoc --pdf-engine=typst` (typst-Programm vorhanden)."
    return ("kein typst-Programm installiert (das PyPI-Paket „typst“ enthält nur ein Python-Modul): "
            "pandoc Markdown → Typst, dann `typst.compile` in Python, je Papier.")
