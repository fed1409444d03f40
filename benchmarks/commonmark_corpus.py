"""Every CommonMark spec example as an accepted contribution: check never crashes, what it accepts builds.

Each of the 655 Markdown inputs of the CommonMark spec (``/work/shared/corpora/commonmark/
examples.json``, not part of this repository) becomes one accepted contribution of a public
paper, with its own title and marker word in a first paragraph of its own. For each one
``redaktion check`` runs in process (a crash is counted, errors are counted by code); the
accepted ones are built together in batches, public and ``--intern``, with the real pandoc,
Typst and mkdocs (tests/isolate.py: failing batches are split until the example that breaks
them is named). Every build is read back (tests/sealing.py): each title a heading in PDF, DOCX
and site, each marker word in their text, no live script, no foreign host, no id twice.

Prints a table per spec section and the list of failures with example numbers.

Usage::

    .venv/bin/python benchmarks/commonmark_corpus.py [--corpus PATH] [--examples 1-100,200]
        [--seconds 1800] [--batch 100] [--shrink 5] [--out build/commonmark.md]
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(REPO / "tests"))

from isolate import Prover, Report  # noqa: E402
from sealing import Entry, check_errors, write_project  # noqa: E402

DEFAULT_CORPUS = Path(os.environ.get("COMMONMARK_CORPUS", REPO.parent / "shared" / "corpora" / "commonmark" / "examples.json"))


@dataclass
class Outcome:
    """What happened to one example."""

    example: int
    section: str
    crash: str = ""
    errors: list[str] = field(default_factory=list)  # check error codes
    build: list[str] = field(default_factory=list)  # "öffentlich"/"intern" builds it broke
    findings: list[str] = field(default_factory=list)  # property kinds broken in its part of the outputs
    together: list[str] = field(default_factory=list)  # modes in which it fails only with others
    unknown: list[str] = field(default_factory=list)  # modes of a failing batch not split further (time)

    @property
    def accepted(self) -> bool:
        return not self.crash and not self.errors


def load_examples(corpus: Path, selection: str) -> list[dict]:
    examples = json.loads(corpus.read_text(encoding="utf-8"))["examples"]
    if not selection:
        return examples
    wanted: set[int] = set()
    for part in selection.split(","):
        first, _, last = part.partition("-")
        wanted |= set(range(int(first), int(last or first) + 1))
    return [e for e in examples if e["example"] in wanted]


def entry_of(example: dict) -> Entry:
    serial = example["example"]
    marker = Entry(serial, "").marker
    body = f"{marker} gehört zu diesem Beitrag.\n\n{example['markdown']}"
    return Entry(serial, body, f"CommonMark-Beispiel {serial}, {example['section']}")


def check_all(examples: list[dict], root: Path) -> tuple[dict[int, Outcome], list[Entry]]:
    """Check each example alone; return the outcomes and the accepted entries."""
    write_project(root, [], site=False)
    outcomes: dict[int, Outcome] = {}
    accepted: list[Entry] = []
    for example in examples:
        entry = entry_of(example)
        outcome = outcomes[entry.serial] = Outcome(entry.serial, example["section"])
        path = root / entry.rel
        path.write_text(entry.file_text(), encoding="utf-8")
        try:
            outcome.errors = sorted({d.code for d in check_errors(root)})
        except Exception as error:  # noqa: BLE001 - a crash of check is what is counted here
            outcome.crash = f"{type(error).__name__}: {error}"
        finally:
            path.unlink()
        if outcome.accepted:
            accepted.append(entry)
    return outcomes, accepted


def attribute(report: Report, outcomes: dict[int, Outcome]) -> None:
    for failure in report.failures:
        for entry in failure.entries:
            outcome = outcomes[entry.serial]
            if len(failure.entries) == 1:
                outcome.build.append(failure.mode)
            elif failure.error.startswith("(nur zusammen)"):
                outcome.together.append(failure.mode)
            else:
                outcome.unknown.append(failure.mode)
    for finding in report.findings:
        if finding.serial in outcomes and finding.kind not in outcomes[finding.serial].findings:
            outcomes[finding.serial].findings.append(finding.kind)


def table(outcomes: dict[int, Outcome]) -> str:
    rows = ["| Abschnitt | Beispiele | Absturz | abgelehnt | angenommen | Build scheitert | nur zusammen | Befunde "
            "| ungeklärt |", "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
    by_section: dict[str, list[Outcome]] = collections.defaultdict(list)
    for outcome in outcomes.values():
        by_section[outcome.section].append(outcome)
    groups = sorted(by_section.items()) + [("**zusammen**", list(outcomes.values()))]
    for section, group in groups:
        rows.append(f"| {section} | {len(group)} | {sum(bool(o.crash) for o in group)} | "
                    f"{sum(bool(o.errors) for o in group)} | {sum(o.accepted for o in group)} | "
                    f"{sum(bool(o.build) for o in group)} | {sum(bool(o.together) for o in group)} | "
                    f"{sum(bool(o.findings) for o in group)} | {sum(bool(o.unknown) for o in group)} |")
    return "\n".join(rows)


def failures(outcomes: dict[int, Outcome]) -> str:
    lines = []
    crashes = [o for o in outcomes.values() if o.crash]
    if crashes:
        lines.append("## Abstürze von check\n")
        lines += [f"- Beispiel {o.example} ({o.section}): {o.crash}" for o in crashes]
    by_kind: dict[str, list[int]] = collections.defaultdict(list)
    for o in outcomes.values():
        for mode in o.build:
            by_kind[f"Build {mode} scheitert"].append(o.example)
        for kind in o.findings:
            by_kind[kind].append(o.example)
        for mode in o.together:
            by_kind[f"Build {mode} scheitert nur zusammen mit anderen"].append(o.example)
        for mode in o.unknown:
            by_kind[f"ungeklärt {mode} (Stapel scheiterte, Zeitbudget erschöpft)"].append(o.example)
    if by_kind:
        lines.append("\n## Angenommen, aber nicht heil veröffentlicht\n")
        lines += [f"- {kind}: Beispiele {', '.join(map(str, numbers))}" for kind, numbers in sorted(by_kind.items())]
    codes = collections.Counter(code for o in outcomes.values() for code in o.errors)
    if codes:
        lines.append("\n## Fehler von check (Beispiele je Code)\n")
        lines += [f"- {code}: {count}" for code, count in sorted(codes.items())]
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--examples", default="", help="Auswahl, z. B. 1-100,200")
    parser.add_argument("--seconds", type=float, default=1800, help="Zeitbudget zum Eingrenzen und Schrumpfen")
    parser.add_argument("--batch", type=int, default=100)
    parser.add_argument("--shrink", type=int, default=5, help="so viele Fehlschläge je Modus schrumpfen")
    parser.add_argument("--out", type=Path, help="Bericht zusätzlich als Markdown-Datei schreiben")
    parser.add_argument("--verbose", action="store_true")
    args = parser.parse_args()
    if not args.corpus.is_file():
        print(f"CommonMark-Korpus nicht gefunden ({args.corpus}): übersprungen.")
        return 0
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    started = time.perf_counter()
    examples = load_examples(args.corpus, args.examples)
    with tempfile.TemporaryDirectory(prefix="commonmark-") as folder:
        outcomes, accepted = check_all(examples, Path(folder) / "pruefung")
        checked = time.perf_counter() - started
        print(f"{len(examples)} Beispiele geprüft in {checked:.1f} s, {len(accepted)} angenommen.", flush=True)
        prover = Prover(Path(folder) / "builds", seconds=args.seconds, minimise=args.shrink,
                        progress=(lambda line: print(line, flush=True)) if args.verbose else (lambda line: None))
        report = prover.run(accepted, batch=args.batch)
    attribute(report, outcomes)
    text = "\n\n".join([
        f"# CommonMark-Beispiele als Beiträge\n\n{len(examples)} Beispiele; check {checked:.1f} s, "
        f"{report.builds} Builds in {report.seconds:.0f} s.",
        table(outcomes), failures(outcomes), "## Einzelheiten\n\n```\n" + report.text(bodies=20) + "\n```"])
    print(text)
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(text + "\n", encoding="utf-8")
    crashed = any(o.crash for o in outcomes.values())
    return 1 if crashed or not report.ok else 0


if __name__ == "__main__":
    sys.exit(main())
