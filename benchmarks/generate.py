"""Generate synthetic redaktion projects of any size for benchmarks and tests.

The projects look like real circle work: German text varied from a sentence pool,
footnotes that collide across contributions (every file starts at ``[^1]``), pipe tables,
small PNG images with alternative text, joint contributions, mostly accepted texts and
published papers with a released version. Same arguments, same seed → same bytes.

``--largest-share 0.333`` gives the first paper one third of all contributions (a paper of
several hundred pages, the worst realistic case for a rebuild after one edit); the others
are spread over the remaining papers as before.

Usage::

    .venv/bin/python benchmarks/generate.py OUT --contributions 1000 [--members 40] [--papers 13]
        [--largest-share 0.333]
"""

from __future__ import annotations

import argparse
import math
import random
import struct
import sys
import zlib
from dataclasses import dataclass
from pathlib import Path

PER_PAPER = 80  # contributions per paper when --papers is not given
IMAGES_PER_PAPER = 3

CITIES = [
    ("stuttgart", "Landeshauptstadt Stuttgart", "stadt", "Baden-Württemberg"),
    ("muenchen", "Landeshauptstadt München", "stadt", "Bayern"),
    ("hamburg", "Freie und Hansestadt Hamburg", "stadt", "Hamburg"),
    ("hannover", "Landeshauptstadt Hannover", "stadt", "Niedersachsen"),
    ("wuppertal", "Stadt Wuppertal", "stadt", "Nordrhein-Westfalen"),
    ("saarbruecken", "Landeshauptstadt Saarbrücken", "stadt", "Saarland"),
    ("tuebingen", "Universitätsstadt Tübingen", "stadt", "Baden-Württemberg"),
    ("arnsberg", "Stadt Arnsberg", "stadt", "Nordrhein-Westfalen"),
    ("schwaebisch-gmuend", "Stadt Schwäbisch Gmünd", "stadt", "Baden-Württemberg"),
    ("nuernberg", "Stadt Nürnberg", "stadt", "Bayern"),
    ("frankfurt", "Stadt Frankfurt am Main", "stadt", "Hessen"),
    ("essen", "Stadt Essen", "stadt", "Nordrhein-Westfalen"),
    ("dortmund", "Stadt Dortmund", "stadt", "Nordrhein-Westfalen"),
    ("mannheim", "Stadt Mannheim", "stadt", "Baden-Württemberg"),
    ("kiel", "Landeshauptstadt Kiel", "stadt", "Schleswig-Holstein"),
    ("leipzig", "Stadt Leipzig", "stadt", "Sachsen"),
    ("kreis-dueren", "Kreis Düren", "landkreis", "Nordrhein-Westfalen"),
    ("kreis-gross-gerau", "Kreis Groß-Gerau", "landkreis", "Hessen"),
    ("landkreis-osnabrueck", "Landkreis Osnabrück", "landkreis", "Niedersachsen"),
    ("kreis-paderborn", "Kreis Paderborn", "landkreis", "Nordrhein-Westfalen"),
    ("bamf", "Bundesamt für Migration und Flüchtlinge", "bund", "Bund"),
    ("staedtetag", "Deutscher Städtetag", "verband", "Bund"),
    ("ib-bund", "Arbeitsstab der Integrationsbeauftragten", "bund", "Bund"),
    ("efms", "Europäisches Forum für Migrationsstudien", "wissenschaft", "Bayern"),
    ("bertelsmann-stiftung", "Bertelsmann Stiftung", "stiftung", "Nordrhein-Westfalen"),
]

PAPER_TOPICS = [
    ("bildung", "Integration durch Bildung"),
    ("engagement", "Bürgerschaftliches Engagement und politische Partizipation"),
    ("verwaltung", "Interkulturelle Ausrichtung der Verwaltung"),
    ("religion", "Religiöse Vielfalt in der Kommune"),
    ("foerderung", "Förderung nach der Pandemie"),
    ("migrantenorganisationen", "Zusammenarbeit mit Migrantenorganisationen"),
    ("monitoring", "Kommunales Integrationsmonitoring"),
    ("arbeitsmarkt", "Zugang zu Ausbildung und Arbeit"),
    ("wohnen", "Wohnen und Quartiersentwicklung"),
    ("gesundheit", "Interkulturelle Öffnung im Gesundheitswesen"),
]

SECTION_TITLES = [
    ("grundlagen", "Grundlagen und Ausgangslage"),
    ("praxis", "Erfahrungen aus der kommunalen Praxis"),
    ("beteiligung", "Beteiligung und Partnerschaften"),
    ("steuerung", "Steuerung und Vernetzung"),
    ("daten", "Daten und Monitoring"),
    ("empfehlungen", "Empfehlungen des Qualitätszirkels"),
]

KINDS = ["praxisbeispiel"] * 4 + ["empfehlung"] * 2 + ["text"] * 3 + ["stellungnahme"]
STATUSES = ["angenommen"] * 17 + ["eingereicht", "in-pruefung", "abgelehnt"]

SUBJECTS = [
    "Die Stadt", "Das Integrationsbüro", "Der Landkreis", "Die Volkshochschule", "Das Bildungsbüro",
    "Die Ausländerbehörde", "Der Integrationsrat", "Das Jugendamt", "Die Arbeitsgruppe",
    "Die Koordinierungsstelle", "Das Quartiersmanagement", "Die Fachstelle für Migration",
]
VERBS = [
    "fördert", "begleitet", "vernetzt", "stärkt", "unterstützt", "berät", "koordiniert", "erreicht",
    "qualifiziert", "beteiligt",
]
OBJECTS = [
    "Eltern mit Migrationsgeschichte", "Migrantenorganisationen im Stadtteil", "junge Menschen am Übergang "
    "von der Schule in den Beruf", "neu zugewanderte Familien", "ehrenamtliche Sprachpatinnen und "
    "Sprachpaten", "Fachkräfte in Kindertageseinrichtungen", "Beschäftigte der Verwaltung",
    "Schulen und Jugendhilfe", "Ausbildungsbetriebe", "Seniorinnen und Senioren mit Zuwanderungsgeschichte",
]
CONTEXTS = [
    "seit mehreren Jahren", "in enger Abstimmung mit den Schulen", "mit Mitteln des Landes",
    "gemeinsam mit freien Trägern", "auf Grundlage des Integrationskonzepts", "in allen Stadtbezirken",
    "mit festen Ansprechpersonen", "nach einem Beschluss des Gemeinderats", "im Rahmen eines Modellprojekts",
]
CLAUSES = [
    "damit Angebote dort ankommen, wo sie gebraucht werden",
    "weil gemeinsame Ziele nur mit verlässlichen Daten überprüft werden können",
    "sodass Zuständigkeiten für alle Beteiligten sichtbar werden",
    "ohne neue Doppelstrukturen aufzubauen",
    "was die Zusammenarbeit zwischen Ämtern spürbar erleichtert hat",
    "obwohl die Finanzierung jedes Jahr neu beantragt werden muss",
    "und zwar in der Familiensprache ebenso wie auf Deutsch",
]
STATEMENTS = [
    "Entscheidend für den Erfolg sind verlässliche Strukturen über mehrere Jahre.",
    "Die Erfahrungen zeigen, dass Beteiligung früh beginnen muss.",
    "Kommunen tragen Verantwortung, auch wo ihnen die formale Zuständigkeit fehlt.",
    "Ohne Migrantenorganisationen als Partnerinnen auf Augenhöhe bleibt vieles Stückwerk.",
    "Die Evaluation belegt eine deutlich höhere Beteiligung als in den Vorjahren.",
    "Ein kommunales Bildungsmanagement braucht eine Stelle, die Akteure zusammenführt.",
    "Mehrsprachige Informationen haben sich als besonders wirksam erwiesen.",
    "Die Verstetigung der Angebote ist die größte Herausforderung.",
]
SUBHEADINGS = ["Ausgangslage", "Vorgehen", "Erfahrungen", "Ergebnisse", "Übertragbarkeit", "Ausblick"]
TITLE_HEADS = [
    "Elternbegleitung", "Sprachförderung", "Übergangsmanagement", "Bildungspatenschaften", "Einbürgerungskampagne",
    "Interkulturelle Fortbildung", "Integrationsmonitoring", "Quartiersarbeit", "Mentoringprogramm",
    "Willkommenskultur", "Beiratsarbeit", "Ausbildungsinitiative",
]
TITLE_TAILS = [
    "in Kindertageseinrichtungen", "an Grundschulen", "im ländlichen Raum", "mit Migrantenorganisationen",
    "in der Verwaltung", "für neu Zugewanderte", "im Stadtteil", "über Generationen hinweg",
]
FIRST_NAMES = ["Anna", "Mehmet", "Katrin", "Stefan", "Ayşe", "Jonas", "Olga", "Fatma", "Thomas", "Leyla",
               "Michael", "Sabine", "Dimitrios", "Claudia", "Jörg", "Elif"]
LAST_NAMES = ["Beispiel", "Yılmaz", "Albrecht", "Reinhardt", "Demir", "Schäfer", "Kowalski", "Obermaier",
              "Papadopoulos", "Weiß", "Özdemir", "Becker", "Nowak", "Hoffmann"]
TAGS = ["elternarbeit", "kita", "schule", "ausbildung", "sprachfoerderung", "einbuergerung", "ehrenamt",
        "verwaltung", "monitoring", "migrantenorganisationen", "quartier", "gesundheit"]
SOURCES = [
    "Vgl. Bericht der Stadtverwaltung an den Gemeinderat, 2009, S. 12.",
    "Auswertung der Koordinierungsstelle, unveröffentlicht.",
    "KGSt-Bericht „Management kommunaler Integrationspolitik“, 2005.",
    "Angaben des Statistischen Landesamts zum Stichtag 31. Dezember.",
    "Ergebnisse der Elternbefragung im Herbst, n = 412.",
]
ALT_TEXTS = [
    "Balkendiagramm: Teilnehmende nach Stadtbezirk",
    "Foto: Eltern und Fachkräfte bei einem Vorleseabend",
    "Liniendiagramm: Entwicklung der Einbürgerungen seit 2005",
]


@dataclass(frozen=True)
class Spec:
    """Size of a generated project."""

    contributions: int
    members: int = 40
    papers: int = 0  # 0: one paper per PER_PAPER contributions
    seed: int = 2009
    largest_share: float = 0.0  # > 0: the first paper holds this share of all contributions

    @property
    def largest_count(self) -> int:
        """Contributions of the first (largest) paper when ``largest_share`` is set, else 0."""
        return min(self.contributions, round(self.contributions * self.largest_share))

    @property
    def paper_count(self) -> int:
        if self.papers:
            return self.papers
        if self.largest_count:
            return 1 + math.ceil((self.contributions - self.largest_count) / PER_PAPER)
        return max(1, math.ceil(self.contributions / PER_PAPER))

    def paper_index(self, contribution: int) -> int:
        """The paper (index) that contribution number ``contribution`` belongs to."""
        count = self.paper_count
        if not self.largest_count or count == 1:
            return contribution % count
        if contribution < self.largest_count:
            return 0
        return 1 + (contribution - self.largest_count) % (count - 1)


def tiny_png(width: int, height: int, rgb: tuple[int, int, int]) -> bytes:
    """A valid, uncompressed-looking RGB PNG of one colour, built with zlib and struct only."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body) & 0xFFFFFFFF)

    row = b"\x00" + bytes(rgb) * width  # filter type 0 per row
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(row * height, 9)) + chunk(b"IEND", b""))


def members(spec: Spec) -> list[tuple[str, str, str, str]]:
    """Member entries (id, name, type, land): the realistic list, then numbered extra cities."""
    result = list(CITIES[: spec.members])
    for number in range(len(result), spec.members):
        base = CITIES[number % len(CITIES)]
        result.append((f"{base[0]}-{number}", f"{base[1]} (Beispiel {number})", base[2], base[3]))
    return result


def members_yaml(entries: list[tuple[str, str, str, str]]) -> str:
    """The text of members.yml."""
    parts = ["# Synthetische Mitgliederliste für Benchmarks (Beispieldaten).\n"]
    for member_id, name, kind, land in entries:
        parts.append(f"- id: {member_id}\n  name: {name}\n  type: {kind}\n  land: {land}\n"
                     f"  contact: Stabsstelle Integration\n")
    return "\n".join(parts)


def paper_id(index: int) -> str:
    topic = PAPER_TOPICS[index % len(PAPER_TOPICS)][0]
    return f"{topic}-{index + 1:03d}"


def paper_yaml(index: int, rng: random.Random) -> str:
    """The text of one paper.yml: published, with one released version."""
    topic = PAPER_TOPICS[index % len(PAPER_TOPICS)][1]
    year = 2009 + index % 15
    kind = "handlungsempfehlungen" if index % 3 == 1 else "positionspapier"
    outline = "".join(
        f"  - id: {sid}\n    title: {title}\n    intro: >-\n      {_sentence(rng)} {_sentence(rng)}\n"
        for sid, title in SECTION_TITLES)
    return (f"id: {paper_id(index)}\n"
            f"title: \"{topic} ({index + 1})\"\n"
            f"subtitle: Synthetisches Papier für Leistungsmessungen\n"
            f"kind: {kind}\n"
            f"status: veroeffentlicht\n"
            f"date: {year}-12-10\n"
            f"versions:\n  - number: \"1.0\"\n    date: {year}-12-10\n"
            f"    note: Verabschiedet in der Sitzung des Qualitätszirkels.\n"
            f"editors:\n  - Dr. Katrin Albrecht\n"
            f"license: CC-BY-4.0\n"
            f"keywords: [Integration, Benchmark]\n"
            f"outline:\n{outline}")


def _sentence(rng: random.Random) -> str:
    if rng.random() < 0.25:
        return rng.choice(STATEMENTS)
    sentence = f"{rng.choice(SUBJECTS)} {rng.choice(VERBS)} {rng.choice(OBJECTS)} {rng.choice(CONTEXTS)}"
    if rng.random() < 0.5:
        sentence += ", " + rng.choice(CLAUSES)
    return sentence + "."


def _paragraph(rng: random.Random, footnote: int | None = None) -> str:
    sentences = [_sentence(rng) for _ in range(rng.randint(3, 7))]
    if footnote is not None:
        sentences[-1] = sentences[-1][:-1] + f".[^{footnote}]"
    return " ".join(sentences)


def _table(rng: random.Random) -> str:
    rows = ["| Stadtbezirk | Teilnehmende | davon Frauen |", "| --- | ---: | ---: |"]
    for district in rng.sample(["Mitte", "Nord", "Süd", "Ost", "West", "Bad Cannstatt", "Vaihingen"], 4):
        total = rng.randint(40, 900)
        rows.append(f"| {district} | {total} | {rng.randint(10, total)} |")
    return "\n".join(rows) + "\n\nTabelle: Teilnahme im Berichtsjahr (Beispieldaten)"


def body(rng: random.Random) -> str:
    """A contribution body: paragraphs, subheadings, footnotes from [^1], maybe a table and an image."""
    blocks = [_paragraph(rng)]
    footnotes: list[str] = []
    for heading in rng.sample(SUBHEADINGS, rng.randint(1, 3)):
        blocks.append(f"## {heading}")
        for _ in range(rng.randint(1, 2)):
            note = None
            if rng.random() < 0.5:
                footnotes.append(rng.choice(SOURCES))
                note = len(footnotes)
            blocks.append(_paragraph(rng, note))
    if rng.random() < 0.3:
        blocks.insert(2, _table(rng))
    if rng.random() < 0.2:
        image = rng.randrange(IMAGES_PER_PAPER)
        blocks.insert(1, f"![{ALT_TEXTS[image]}](media/abbildung-{image + 1}.png)")
    blocks += [f"[^{number}]: {text}" for number, text in enumerate(footnotes, start=1)]
    return "\n\n".join(blocks) + "\n"


def _slug(text: str) -> str:
    text = text.lower()
    for umlaut, plain in (("ä", "ae"), ("ö", "oe"), ("ü", "ue"), ("ß", "ss"), (" ", "-")):
        text = text.replace(umlaut, plain)
    return text


def contribution(index: int, paper: str, member_ids: list[str], rng: random.Random) -> tuple[str, str]:
    """(file name, file text) of one contribution; slug and title are unique within the paper."""
    kind = rng.choice(KINDS)
    joint = rng.sample(member_ids, 2 if rng.random() < 0.15 else 1)
    slug = f"{_slug(rng.choice(TITLE_HEADS))}-{index + 1}"
    title = f"{rng.choice(TITLE_HEADS)} {rng.choice(TITLE_TAILS)} ({index + 1})"
    author = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
    authors = (f"  - name: {author}\n    email: autorin-{index}@example.org\n" if rng.random() < 0.3
               else f"  - {author}\n")
    section = "empfehlungen" if kind == "empfehlung" else rng.choice(SECTION_TITLES[:-1])[0]
    year = 2009 + index % 15
    text = (f"---\npaper: {paper}\nsection: {section}\nkind: {kind}\ntitle: \"{title}\"\n"
            f"members: [{', '.join(joint)}]\nauthors:\n{authors}"
            f"submitted: {year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}\n"
            f"status: {rng.choice(STATUSES)}\ntags: [{', '.join(rng.sample(TAGS, 2))}]\n"
            f"summary: {_sentence(rng)}\n---\n\n{body(rng)}")
    return f"{joint[0]}--{slug}.md", text


def generate(out: Path, spec: Spec) -> Path:
    """Write a complete project (``contributions/`` only) for ``spec`` into ``out``; return ``out``."""
    rng = random.Random(spec.seed)
    content = out / "contributions"
    content.mkdir(parents=True, exist_ok=True)
    entries = members(spec)
    (content / "members.yml").write_text(members_yaml(entries), encoding="utf-8")
    member_ids = [entry[0] for entry in entries]
    papers = [paper_id(i) for i in range(spec.paper_count)]
    for index, paper in enumerate(papers):
        folder = content / paper
        (folder / "media").mkdir(parents=True, exist_ok=True)
        (folder / "paper.yml").write_text(paper_yaml(index, rng), encoding="utf-8")
        for image in range(IMAGES_PER_PAPER):
            colour = (40 + 60 * image, 90, 160 - 40 * image)
            (folder / "media" / f"abbildung-{image + 1}.png").write_bytes(tiny_png(24, 16, colour))
    for index in range(spec.contributions):
        paper = papers[spec.paper_index(index)]
        name, text = contribution(index, paper, member_ids, rng)
        (content / paper / name).write_text(text, encoding="utf-8")
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Synthetisches redaktion-Projekt erzeugen.")
    parser.add_argument("out", type=Path, help="Zielordner (wird angelegt)")
    parser.add_argument("--contributions", type=int, default=100, help="Anzahl der Beiträge")
    parser.add_argument("--members", type=int, default=40, help="Anzahl der Mitglieder")
    parser.add_argument("--papers", type=int, default=0, help=f"Anzahl der Papiere (Standard: je {PER_PAPER} Beiträge)")
    parser.add_argument("--seed", type=int, default=2009, help="Startwert des Zufallsgenerators")
    parser.add_argument("--largest-share", type=float, default=0.0,
                        help="Anteil der Beiträge im ersten, größten Papier (z. B. 0.333; Standard: gleichmäßig)")
    args = parser.parse_args(argv)
    if not 0 <= args.largest_share <= 1:
        parser.error("--largest-share erwartet einen Anteil zwischen 0 und 1, z. B. 0.333")
    spec = Spec(args.contributions, args.members, args.papers, args.seed, args.largest_share)
    generate(args.out, spec)
    largest = f", davon {spec.largest_count} im größten" if spec.largest_count else ""
    print(f"{spec.contributions} Beiträge in {spec.paper_count} Papieren{largest}, {spec.members} Mitglieder: "
          f"{args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
