"""Cross-reference checks and the rules on each contribution's parse.

``check`` sees what every output sees: the body as pandoc parsed and the sanitiser cleaned
it (:mod:`redaktion.source.parse`, shared with the renderers and cached by content hash). Whatever
would make a render fail or lose text is a rule here, so check and build never disagree.
A few rules still read the text itself, where the parse no longer shows what the member
wrote (HTML shown as text, footnotes pandoc would drop, a date read as a list).
``check`` never imports a renderer, Typst or mkdocs.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from ..util import fonts
from .comments import check_rounds
from ..source.data import check_data
from ..model.lifecycle import check_lifecycle
from ..model import Contribution, Corpus, Diagnostic, Paper, anchor_for
from ..model.errors import suggest
from ..source.parse import LONG_PARAGRAPH_WORDS, ParsedBody, ast_cache, contribution_name, heading_anchors, parse_texts
from ..source.parse.sanitise import Finding
from .sessions import check_sessions

PENDING_STATUSES = ("eingereicht", "in-pruefung")
MAX_PARAGRAPH_WORDS = LONG_PARAGRAPH_WORDS

_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
_EVENT_IN_ATTRIBUTE = re.compile(r"\bon[a-z]+=", re.IGNORECASE)
_SCHEME = re.compile(r"^\s*[a-zA-Z][a-zA-Z0-9+.-]*:")
_WEB = re.compile(r"^\s*https?:", re.IGNORECASE)


@dataclass
class Remembered:
    """The results of earlier checks in this process, kept by the live preview between saves.

    A contribution's findings depend on the contribution, its parse, the link targets of its
    paper, the members and papers and the project's files; they are reused while all of these
    are unchanged (files: while only contribution texts changed, see :func:`check`).
    """

    context: tuple = ()  # root, members, papers of the last check
    anchors: dict[str, tuple[set[str], set[str]]] = field(default_factory=dict)  # paper → link targets
    anchor_inputs: dict[str, tuple] = field(default_factory=dict)  # paper → what its link targets came from
    findings: dict[str, tuple[Contribution, ParsedBody, list[Diagnostic]]] = field(default_factory=dict)


def check(corpus: Corpus, remembered: Remembered | None = None) -> list[Diagnostic]:
    """Return every problem of the corpus: loading problems first, then cross references and lint.

    ``remembered`` (kept by the caller between checks of the same project, emptied when a file
    other than a contribution text may have changed) spares checking unchanged contributions again.
    """
    diagnostics = list(corpus.diagnostics)
    for folder_paper in corpus.papers.values():
        diagnostics.extend(_check_paper(corpus, folder_paper))
    diagnostics.extend(_check_unique(corpus))
    diagnostics.extend(check_lifecycle(corpus))
    diagnostics.extend(check_sessions(corpus))
    diagnostics.extend(check_rounds(corpus))
    parsed = parse_contributions(corpus)
    memo = remembered if remembered is not None else Remembered()
    anchor_inputs = {paper_id: (paper, tuple((c, parsed[c.rel]) for c in corpus.contributions_of(paper_id)))
                     for paper_id, paper in corpus.papers.items()}
    anchors = {paper_id: memo.anchors[paper_id] if memo.anchor_inputs.get(paper_id) == made_of
               else _paper_anchor_sets(corpus, paper_id, parsed) for paper_id, made_of in anchor_inputs.items()}
    if memo.context != (corpus.root, corpus.members, corpus.papers):
        memo.context, memo.findings = (corpus.root, corpus.members, corpus.papers), {}
    kept_anchors = {paper_id for paper_id, sets in anchors.items() if memo.anchors.get(paper_id) == sets}
    findings = {}
    for contribution in corpus.contributions:
        public, everything = anchors.get(contribution.paper, (set(), set()))
        body, known = parsed[contribution.rel], memo.findings.get(contribution.rel)
        if known is not None and known[0] is contribution and known[1] is body and contribution.paper in kept_anchors:
            found = known[2]
        else:
            found = list(check_contribution(corpus, contribution, body,
                                            public if contribution.is_accepted else everything))
        findings[contribution.rel] = (contribution, body, found)
        diagnostics.extend(found)
    memo.anchors, memo.anchor_inputs, memo.findings = anchors, anchor_inputs, findings
    diagnostics.extend(check_site_pages(corpus.root))
    return sorted(diagnostics, key=lambda d: (d.path, d.line, d.column, d.code))


_PLACEHOLDER = re.compile(r"\*\*(Platzhalter|Muster)\*\*")


def check_site_pages(root: Path) -> Iterator[Diagnostic]:
    """Warn about hand-written site pages (docs/) that still hold placeholder or sample wording.

    Leichte Sprache, Gebärdensprache and the legal pages ship as marked placeholders; a public
    body must not publish them like that (BITV 2.0 § 4, § 5 DDG).
    """
    docs = root / "docs"
    if not docs.is_dir():
        return
    for page in sorted(docs.glob("*.md")):
        for number, line in enumerate(page.read_text(encoding="utf-8", errors="replace").split("\n"), start=1):
            match = _PLACEHOLDER.search(line)
            if match:
                yield Diagnostic(f"docs/{page.name}", number, match.start() + 1, "R034",
                                 f"Die Seite enthält noch {match.group(1)}text.",
                                 "Ersetzen Sie den markierten Text durch die echten Angaben Ihrer Stelle und "
                                 "entfernen Sie den Hinweis, bevor die Website veröffentlicht wird.", "warning")
                break


def has_errors(diagnostics: list[Diagnostic]) -> bool:
    return any(d.severity == "error" for d in diagnostics)


def _rel(corpus: Corpus, path: Path) -> str:
    try:
        return path.resolve().relative_to(corpus.root).as_posix()
    except ValueError:
        return path.as_posix()


def _check_paper(corpus: Corpus, paper: Paper) -> Iterator[Diagnostic]:
    rel = _rel(corpus, paper.path)
    pos = paper.positions.get("id")
    line = pos.line if pos else 1
    if paper.id != paper.path.parent.name:
        yield Diagnostic(rel, line, 1, "R040",
                         f"Die id „{paper.id}“ passt nicht zum Ordnernamen „{paper.path.parent.name}“.",
                         f"Schreiben Sie id: {paper.path.parent.name} oder benennen Sie den Ordner um.")
    section_ids = [s.id for s in paper.outline]
    for section_id in {s for s in section_ids if section_ids.count(s) > 1}:
        yield Diagnostic(rel, paper.positions["outline"].line if "outline" in paper.positions else 1, 1, "R039",
                         f"Der Abschnitt „{section_id}“ steht mehrfach in der Gliederung.",
                         "Jede Abschnitts-id darf nur einmal vorkommen.")
    status_line = paper.positions["status"].line if "status" in paper.positions else 1
    if paper.status == "veroeffentlicht" and not paper.versions:
        yield Diagnostic(rel, status_line, 1, "R070",
                         "Ein veröffentlichtes Papier braucht mindestens eine freigegebene Version.",
                         "Tragen Sie unter versions: eine Version ein (oder nutzen Sie redaktion release).")
    # A published paper may already collect contributions for its next version; a final one may not.
    if paper.status == "final":
        for c in corpus.contributions_of(paper.id):
            if c.status in PENDING_STATUSES:
                yield Diagnostic(rel, status_line, 1, "R071",
                                 f"Das Papier ist „{paper.status}“, aber der Beitrag {c.path.name} ist noch "
                                 f"„{c.status}“.",
                                 "Entscheiden Sie über den Beitrag (angenommen/abgelehnt) oder setzen Sie das "
                                 "Papier zurück auf „abstimmung“.")


def _check_unique(corpus: Corpus) -> Iterator[Diagnostic]:
    by_slug: dict[tuple[str, str], list[Contribution]] = defaultdict(list)
    by_title: dict[tuple[str, str], list[Contribution]] = defaultdict(list)
    for c in corpus.contributions:
        by_slug[(c.paper, c.slug)].append(c)
        by_title[(c.paper, c.title.casefold())].append(c)
    for (paper, slug), group in by_slug.items():
        for c in group[1:]:
            yield Diagnostic(c.rel, 1, 1, "R044",
                             f"Der Kurzname „{slug}“ wird im Papier „{paper}“ schon von {group[0].path.name} "
                             "verwendet.",
                             "Benennen Sie die Datei um (der Teil nach „--“ muss im Papier eindeutig sein), "
                             "damit Links auf den Beitrag eindeutig bleiben.")
    for (paper, _), group in by_title.items():
        for c in group[1:]:
            pos = c.positions.get("title")
            yield Diagnostic(c.rel, pos.line if pos else 1, pos.column if pos else 1, "R045",
                             f"Der Titel „{c.title}“ gibt es im Papier „{paper}“ schon ({group[0].path.name}).",
                             "Wählen Sie einen unterscheidbaren Titel.")


def parse_contributions(corpus: Corpus) -> dict[str, ParsedBody]:
    """The parse of every contribution body, by the contribution's path (``rel``)."""
    parsed = parse_texts([c.body for c in corpus.contributions], ast_cache(corpus.root), content=False,
                         names=[contribution_name(c.rel) for c in corpus.contributions])
    return {c.rel: p for c, p in zip(corpus.contributions, parsed)}


def paper_anchors(corpus: Corpus, paper_id: str, accepted_only: bool = False) -> set[str]:
    """Every link target (#…) inside a paper: sections, contributions and their headings.

    An accepted contribution may only link to accepted ones: the others are missing from
    the public outputs, and a link to a missing label stops the PDF.
    """
    return _paper_anchor_sets(corpus, paper_id, parse_contributions(corpus))[0 if accepted_only else 1]


def _paper_anchor_sets(corpus: Corpus, paper_id: str, parsed: dict[str, ParsedBody]) -> tuple[set[str], set[str]]:
    # (targets among accepted contributions, targets among all)
    paper = corpus.papers.get(paper_id)
    accepted = {f"abschnitt-{s.id}" for s in paper.outline} if paper else set()
    everything = set(accepted)
    for c in corpus.contributions_of(paper_id):
        anchor = anchor_for(c)
        own = {anchor, *heading_anchors(parsed[c.rel].facts.headings, anchor)}
        everything |= own
        if c.is_accepted:
            accepted |= own
    return accepted, everything


def check_contribution(corpus: Corpus, c: Contribution, parsed: ParsedBody,
                       anchors: set[str]) -> Iterator[Diagnostic]:
    """Cross references and the body rules of one contribution."""
    rel = c.rel

    def at(field_name: str, code: str, message: str, hint: str = "", severity: str = "error") -> Diagnostic:
        pos = c.positions.get(field_name)
        return Diagnostic(rel, pos.line if pos else 1, pos.column if pos else 1, code, message, hint, severity)

    folder = c.path.parent.name
    paper = corpus.papers.get(c.paper)
    if c.paper != folder:
        hint = f"Der Beitrag liegt im Ordner „{folder}“; schreiben Sie paper: {folder}."
        yield at("paper", "R042", f"Unbekanntes oder falsches Papier „{c.paper}“.",
                 suggest(c.paper, list(corpus.papers)) or hint)
    elif paper is not None and paper.section(c.section) is None:
        choices = [s.id for s in paper.outline]
        yield at("section", "R043", f"Den Abschnitt „{c.section}“ gibt es in der Gliederung von „{paper.id}“ nicht.",
                 suggest(c.section, choices) or "Mögliche Abschnitte: " + ", ".join(choices) + ".")
    for member in c.members:
        if member not in corpus.members:
            yield at("members", "R041", f"Unbekanntes Mitglied „{member}“.",
                     suggest(member, list(corpus.members)) or "Die Kurznamen stehen in contributions/members.yml.")
    if "--" not in c.id:
        yield Diagnostic(rel, 1, 1, "R047", f"Der Dateiname „{c.path.name}“ hat nicht die Form mitglied--kurzname.md.",
                         f"Benennen Sie die Datei z. B. in {c.members[0]}--{c.id}.md um.")
    elif c.id.split("--", 1)[0] not in c.members:
        yield Diagnostic(rel, 1, 1, "R047",
                         f"Der Dateiname beginnt mit „{c.id.split('--', 1)[0]}“, das steht aber nicht unter members.",
                         "Der Dateiname beginnt mit dem Kurznamen des (ersten) beteiligten Mitglieds.")
    yield from check_data(c, rel, corpus.members)
    topics = [topic for topic, _ in corpus.publisher.topics]
    for tag in c.tags if topics else ():
        if tag not in topics:
            yield at("tags", "R048", f"Das Thema „{tag}“ steht nicht in der Themenliste (zirkel.yml, topics).",
                     suggest(tag, topics) or "Wählen Sie ein vorhandenes Thema oder bitten Sie die Redaktion, "
                     "es in contributions/zirkel.yml aufzunehmen.", "warning")
    yield from lint_body(corpus, c, parsed, anchors)


def lint_body(corpus: Corpus, c: Contribution, parsed: ParsedBody,
              anchors: set[str] | frozenset[str] = frozenset()) -> Iterator[Diagnostic]:
    """The rules on a contribution's body, located at lines of its file."""
    rel = c.rel
    if not c.body.strip():
        yield Diagnostic(rel, c.body_line, 1, "R050", "Der Beitrag hat keinen Text.",
                         "Schreiben Sie den Text unter die zweite Zeile „---“.")
        return
    for finding in parsed.findings:
        yield _finding_diagnostic(c, finding)
    yield from _parse_rules(corpus, c, parsed, anchors)
    yield from _character_rules(c, parsed)


# What the sanitiser changed, as the member reads it: kind → (code, severity, message, hint).
# The message may use {detail}.
FINDING_RULES: dict[str, tuple[str, str, str, str]] = {
    "heading-level-1": (
        "R051", "error", "Überschriften der ersten Ebene („# …“ oder mit „===“ unterstrichen) sind im Beitrag "
        "nicht erlaubt.",
        "Der Titel steht im Kopfbereich (title:). Beginnen Sie Zwischenüberschriften mit „## “."),
    "heading-skip": (
        "R059", "warning", "Die Überschrift springt eine Ebene über ({detail}); sie wird eine Ebene höher gesetzt.",
        "Lassen Sie keine Ebene aus (nach „##“ folgt „###“); Screenreader nutzen die Ebenen."),
    "heading-deep": (
        "R069", "warning", "Überschriften tiefer als „####“ werden als „####“ gesetzt.",
        "Gliedern Sie den Beitrag mit höchstens drei Ebenen (##, ###, ####)."),
    "heading-nested": (
        "R065", "warning", "Die Überschrift „{detail}“ steht in einem Zitat, einer Liste, Tabelle oder Fußnote und "
        "wird als fett gesetzter Absatz ausgegeben.",
        "Überschriften gehören an den Zeilenanfang außerhalb von Zitaten (>) und Listen."),
    "attribute": (
        "R067", "warning", "Angaben in geschweiften Klammern ({detail}) werden nicht übernommen.",
        "Sprungmarken vergibt redaktion selbst, Klassen und Stile gibt es nicht. Entfernen Sie die Angabe; "
        "verlinken lässt sich jede Zwischenüberschrift über ihre automatische Sprungmarke."),
    "div": (
        "R068", "warning", "Eigene Blöcke mit „:::“ werden nicht übernommen; ihr Inhalt erscheint als normaler Text.",
        "Entfernen Sie die Zeilen mit „:::“. Hervorhebungen gelingen mit **fett** oder einem Zitat (> …)."),
    "span": (
        "R068", "warning", "Die Auszeichnung von „{detail}“ mit […]{{…}} oder <span> wird nicht übernommen; "
        "der Text erscheint normal.",
        "Verwenden Sie **fett** oder *kursiv*."),
    "link-forbidden": (
        "R055", "error", "Die Adresse „{detail}“ ist nicht erlaubt.",
        "Links führen auf https://-, http://- oder mailto:-Adressen, auf Stellen im Papier (#…) oder auf Dateien "
        "im Ordner media/. javascript:-, data:-, file:-Adressen und Pfade aus dem Projekt heraus sind verboten."),
    "link-empty": (
        "R066", "warning", "Der Link „{detail}“ hat kein Ziel und erscheint als normaler Text.",
        "Tragen Sie die Adresse in die runden Klammern ein: [Text](https://…)."),
    "image-forbidden": (
        "R052", "error", "Das Bild „{detail}“ kann nicht eingebunden werden.",
        "Bilder liegen im Ordner media/ neben dem Beitrag: ![Beschreibung](media/bild.png). Bilder von fremden "
        "Servern sind nicht erlaubt (die Website lädt nichts von fremden Servern): laden Sie das Bild herunter "
        "und legen Sie es in media/."),
    "raw": (
        "R056", "error", "Roh-Formatblöcke oder Formeln („{detail}“) sind nicht erlaubt.",
        "Sie würden Code direkt in Website, PDF oder DOCX einschleusen. Schreiben Sie den Inhalt als normales "
        "Markdown."),
    "html-code": (
        "R054", "error", "Der Beitrag enthält HTML („{detail}“), das Programmcode ausführen oder die Seite "
        "verändern kann.",
        "Skripte, eingebettete Seiten (iframe), Stile und Ereignis-Attribute (onclick=…) sind nicht erlaubt. "
        "Entfernen Sie das HTML; für Formatierungen genügt Markdown."),
    "html-text": (
        "R057", "warning", "HTML („{detail}“) wird nicht ausgewertet und erscheint als Text.",
        "Verwenden Sie Markdown statt HTML (z. B. **fett**, Leerzeile für Absätze)."),
    "raw-format": (
        "R056", "error", "Roh-Formatblöcke wie „{detail}“ sind nicht erlaubt.",
        "Sie würden Code direkt in Website, PDF oder DOCX einschleusen. Schreiben Sie den Inhalt als normales "
        "Markdown."),
    "date-paragraph": (
        "R058", "warning", "Der Absatz beginnt mit einem Datum („{detail}“), das wie eine nummerierte Liste "
        "aussieht.",
        "redaktion behandelt es als Datum und gibt es unverändert aus. Falls eine Liste gemeint ist, beginnen Sie "
        "sie mit „1.“."),
    "footnote-undefined": (
        "R060", "error", "Die Fußnote [^{detail}] wird verwendet, aber nirgends erklärt.",
        "Ergänzen Sie am Ende eine Zeile „[^{detail}]: Text der Fußnote“."),
    "footnote-unused": (
        "R061", "error", "Die Fußnote [^{detail}] wird erklärt, aber im Text nie verwendet.",
        "Setzen Sie [^{detail}] an die passende Stelle im Text – sonst fehlt die Fußnote in allen Ausgaben."),
    "parse-error": (
        "R049", "error", "Der Text konnte nicht gelesen werden: {detail}",
        "Prüfen Sie die Stelle auf ungewöhnliche Zeichen oder Auszeichnungen."),
}


def _finding_diagnostic(c: Contribution, finding: Finding) -> Diagnostic:
    kind = finding.kind
    if kind == "image-forbidden" and _SCHEME.match(finding.detail) and not _WEB.match(finding.detail):
        kind = "link-forbidden"  # a javascript:, data: or file: image is a forbidden address first
    code, severity, message, hint = FINDING_RULES[kind]
    if finding.kind == "attribute" and _EVENT_IN_ATTRIBUTE.search(finding.detail):
        code, severity = "R054", "error"
        hint = ("Ereignis-Attribute wie onclick=… würden Programmcode auf der Website ausführen. Entfernen Sie "
                "die Angabe in geschweiften Klammern.")
    return Diagnostic(c.rel, c.body_line + finding.line, finding.column, code,
                      message.format(detail=finding.detail), hint.format(detail=finding.detail), severity)


def _parse_rules(corpus: Corpus, c: Contribution, parsed: ParsedBody,
                 anchors: set[str] | frozenset[str]) -> Iterator[Diagnostic]:
    """Rules on the sanitised parse: images, link targets, paragraph length."""
    lines = c.body.split("\n")
    facts = parsed.facts

    def where(*needles: str) -> tuple[int, int]:
        for needle in needles:
            for number, line in enumerate(lines):
                column = line.find(needle) if needle else -1
                if column >= 0:
                    return c.body_line + number, column + 1
        return c.body_line, 1

    for alt, target in facts.images:
        line, column = where(f"![{alt}]", target)
        if not alt:
            yield Diagnostic(c.rel, line, column, "R053", "Dem Bild fehlt ein Alternativtext.",
                             "Beschreiben Sie in den eckigen Klammern, was das Bild zeigt: "
                             "![Beschreibung](media/bild.png). Ohne ihn ist das PDF nicht barrierefrei.")
        yield from _check_file(corpus, c, line, column, target, image=True)
    for target, text in facts.links:
        if target.startswith("#") and target[1:] not in anchors:
            line, column = where(target, text)
            yield Diagnostic(c.rel, line, column, "R064",
                             f"Der Link „{target}“ führt ins Leere: Dieses Ziel gibt es im Papier nicht"
                             + (" (oder es ist noch nicht angenommen)." if c.is_accepted else "."),
                             suggest(target[1:], sorted(anchors)) or
                             "Verlinken Sie einen Abschnitt (#abschnitt-…) oder einen angenommenen Beitrag "
                             "(#empfehlung-…, #praxisbeispiel-…, #beitrag-…).")
        elif target.startswith("media/"):
            line, column = where(target, text)
            yield from _check_file(corpus, c, line, column, target, image=False)
    for words, first in facts.long_paragraphs:
        line, _ = where(first, first.split(" ", 1)[0])
        yield Diagnostic(c.rel, line, 1, "R062", f"Der Absatz ist mit {words} Wörtern sehr lang.",
                         f"Teilen Sie ihn in kürzere Absätze (höchstens {MAX_PARAGRAPH_WORDS} Wörter); das "
                         "liest sich online und im PDF leichter.", "warning")


def _character_rules(c: Contribution, parsed: ParsedBody) -> Iterator[Diagnostic]:
    """Characters no font of the PDF has: Typst's PDF/A export would refuse the whole paper.

    Each character is reported once per contribution, at its first place; text in HTML
    comments is never printed and is not looked at. A character that only the parse shows
    (written as an entity such as ``&#xD06;``) is reported at the first entity of the body.
    """
    seen: set[str] = set()
    comments = [(m.start(), m.end()) for m in _COMMENT.finditer(c.body)] if "<!--" in c.body else []
    for offset, char in fonts.uncovered(c.body):
        if char in seen or any(start <= offset < end for start, end in comments):
            continue
        seen.add(char)
        line, column = _line_column(c.body, offset)
        yield _character_diagnostic(c.rel, c.body_line + line, column, char)
    for _, char in fonts.uncovered(parsed.facts.characters):
        if char not in seen:
            seen.add(char)
            line, column = _line_column(c.body, max(c.body.find("&#"), 0))
            yield _character_diagnostic(c.rel, c.body_line + line, column, char)
    for field_name, values in (("title", (c.title,)), ("authors", tuple(a.name for a in c.authors))):
        in_field: set[str] = set()
        for value in values:
            for _, char in fonts.uncovered(value):
                if char not in in_field:
                    in_field.add(char)
                    pos = c.positions.get(field_name)
                    yield _character_diagnostic(c.rel, pos.line if pos else 1, pos.column if pos else 1, char)


def _line_column(text: str, offset: int) -> tuple[int, int]:
    """0-based line and 1-based column of ``offset`` in ``text``."""
    return text.count("\n", 0, offset), offset - (text.rfind("\n", 0, offset) + 1) + 1


def _character_diagnostic(rel: str, line: int, column: int, char: str) -> Diagnostic:
    return Diagnostic(rel, line, column, "R046",
                      f"Das Zeichen {fonts.character_name(char)} kann im PDF nicht dargestellt werden.",
                      fonts.hint(char))


def _check_file(corpus: Corpus, c: Contribution, line: int, column: int, target: str,
                image: bool) -> Iterator[Diagnostic]:
    """A file in the paper's media folder (the sanitiser let nothing else through) must exist and fit."""
    resolved = (c.path.parent / target.split("#", 1)[0]).resolve()
    # Symbolic links are resolved too: a link in media/ may not lead into another paper's files.
    if not resolved.is_relative_to((c.path.parent / "media").resolve()):
        yield Diagnostic(c.rel, line, column, "R052", f"Der Pfad „{target}“ führt aus dem Ordner media/ heraus.",
                         "Dateien liegen im Ordner media/ neben dem Beitrag: ![Beschreibung](media/bild.png). "
                         "Verknüpfungen (Symlinks) auf Dateien anderswo im Projekt sind nicht erlaubt.")
    elif not resolved.is_file():
        what = "Das Bild" if image else "Die Datei"
        yield Diagnostic(c.rel, line, column, "R052", f"{what} „{target}“ gibt es nicht.",
                         "Prüfen Sie Dateinamen und Groß-/Kleinschreibung; Dateien liegen im Ordner media/ neben "
                         "dem Beitrag.")
    elif image and (problem := image_problem(resolved)):
        yield Diagnostic(c.rel, line, column, "R063", f"Die Datei „{target}“ {problem}.",
                         "Erlaubt sind PNG-, JPEG- und SVG-Bilder (SVG ohne Skripte). Exportieren Sie das Bild "
                         "neu, z. B. als PNG.")


_IMAGE_SIGNATURES = {".png": (b"\x89PNG\r\n\x1a\n",), ".jpg": (b"\xff\xd8\xff",), ".jpeg": (b"\xff\xd8\xff",)}


def image_problem(path: Path) -> str:
    """Why an image file cannot be published, or an empty string."""
    suffix = path.suffix.lower()
    if suffix == ".svg":
        head = path.read_bytes()[:200_000].decode("utf-8", "replace").lower()
        if "<svg" not in head:
            return "ist kein SVG-Bild"
        if "<script" in head or re.search(r"\son[a-z]+\s*=", head) or "javascript:" in head:
            return "enthält Skripte"
        return ""
    signatures = _IMAGE_SIGNATURES.get(suffix)
    if signatures is None:
        return f"hat ein nicht unterstütztes Format ({suffix or 'ohne Endung'})"
    with path.open("rb") as handle:
        head = handle.read(8)
    return "" if head.startswith(signatures) else f"ist kein gültiges {suffix[1:].upper()}-Bild"
