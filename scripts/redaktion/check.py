"""Cross-reference checks and Markdown lint over a loaded corpus.

``check`` never imports pandoc, Typst or mkdocs: it must stay instant. Its Markdown rules
are deliberately line based; they look for what would be lost or dangerous in an output.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path

from .data import check_data
from .lifecycle import check_lifecycle
from .model import Contribution, Corpus, Diagnostic, Paper, anchor_for, heading_id, suggest
from .sessions.check import check_sessions

PENDING_STATUSES = ("eingereicht", "in-pruefung")
MAX_PARAGRAPH_WORDS = 300

_FENCE = re.compile(r"^\s{0,3}(`{3,}|~{3,})")
_HEADING = re.compile(r"^(#{1,6})\s+\S")
_IMAGE = re.compile(r"!\[([^\]]*)\]\(\s*<?([^)\s>]*)>?(?:\s+\"[^\"]*\")?\s*\)")
_LINK = re.compile(r"(?<!!)\[[^\]]*\]\(\s*<?([^)\s>]*)")
_DANGEROUS_TAG = re.compile(r"<\s*/?\s*(script|iframe|style|object|embed|form|input|link|meta|base|svg|math)\b",
                            re.IGNORECASE)
_EVENT_ATTR = re.compile(r"<[a-zA-Z][^>]*\son[a-z]+\s*=", re.IGNORECASE)
_HTML_TAG = re.compile(r"</?[a-zA-Z][a-zA-Z0-9]*(\s[^<>]*)?/?>")
_RAW_ATTRIBUTE = re.compile(r"\{\s*=\s*[a-zA-Z0-9_+-]+\s*\}")
_BAD_SCHEME = re.compile(r"^\s*(javascript|data|vbscript|file):", re.IGNORECASE)
_FOOTNOTE_REF = re.compile(r"\[\^([^\]\s]+)\](?!:)")
_FOOTNOTE_DEF = re.compile(r"^\[\^([^\]\s]+)\]:")
_DATE_PARAGRAPH = re.compile(r"^(\d{1,2})\.\s+(Januar|Februar|März|April|Mai|Juni|Juli|August|September|"
                             r"Oktober|November|Dezember|Jan\.|Feb\.|Aug\.|Sept?\.|Okt\.|Nov\.|Dez\.)\b")
_COMMENT_START = "<!--"
_HEADING_TEXT = re.compile(r"^#{2,6}\s+(.*?)\s*(\{[^}]*\})?\s*$")


def check(corpus: Corpus) -> list[Diagnostic]:
    """Return every problem of the corpus: loading problems first, then cross references and lint."""
    diagnostics = list(corpus.diagnostics)
    for folder_paper in corpus.papers.values():
        diagnostics.extend(_check_paper(corpus, folder_paper))
    diagnostics.extend(_check_unique(corpus))
    diagnostics.extend(check_lifecycle(corpus))
    diagnostics.extend(check_sessions(corpus))
    anchors = {paper_id: _paper_anchor_sets(corpus, paper_id) for paper_id in corpus.papers}
    for contribution in corpus.contributions:
        public, everything = anchors.get(contribution.paper, (set(), set()))
        diagnostics.extend(check_contribution(corpus, contribution, public if contribution.is_accepted else everything))
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


def paper_anchors(corpus: Corpus, paper_id: str, accepted_only: bool = False) -> set[str]:
    """Every link target (#…) inside a paper: sections, contributions and their headings.

    An accepted contribution may only link to accepted ones: the others are missing from
    the public outputs, and a link to a missing label stops the PDF.
    """
    return _paper_anchor_sets(corpus, paper_id)[0 if accepted_only else 1]


def _paper_anchor_sets(corpus: Corpus, paper_id: str) -> tuple[set[str], set[str]]:
    # (targets among accepted contributions, targets among all), reading each body once.
    paper = corpus.papers.get(paper_id)
    accepted = {f"abschnitt-{s.id}" for s in paper.outline} if paper else set()
    everything = set(accepted)
    for c in corpus.contributions_of(paper_id):
        own = _contribution_anchors(c)
        everything |= own
        if c.is_accepted:
            accepted |= own
    return accepted, everything


def _contribution_anchors(c: Contribution) -> set[str]:
    anchor = anchor_for(c)
    anchors = {anchor}
    for _, line in iter_text_lines(c.body):
        heading = _HEADING_TEXT.match(line)
        if heading:
            explicit = re.search(r"\{#([^\s}]+)", heading.group(2) or "")
            anchors.add(explicit.group(1) if explicit else heading_id(anchor, heading.group(1)))
    return anchors


def check_contribution(corpus: Corpus, c: Contribution, anchors: set[str] | None = None) -> Iterator[Diagnostic]:
    """Cross references and Markdown lint of one contribution."""
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
    if anchors is None:
        anchors = paper_anchors(corpus, c.paper, accepted_only=c.is_accepted)
    yield from lint_body(corpus, c, rel, anchors)


def lint_body(corpus: Corpus, c: Contribution, rel: str, anchors: set[str] = frozenset()) -> Iterator[Diagnostic]:
    """Markdown rules on a contribution's body, located at file lines."""
    if not c.body.strip():
        yield Diagnostic(rel, c.body_line, 1, "R050", "Der Beitrag hat keinen Text.",
                         "Schreiben Sie den Text unter die zweite Zeile „---“.")
        return
    refs: dict[str, int] = {}
    defs: dict[str, int] = {}
    last_level = 1
    paragraph_words = 0
    paragraph_start = 0
    in_comment = False
    for number, line in iter_text_lines(c.body):
        lineno = c.body_line + number
        if _COMMENT_START in line or in_comment:
            in_comment = "-->" not in line.split(_COMMENT_START)[-1]
            continue
        heading = _HEADING.match(line)
        if heading:
            level = len(heading.group(1))
            if level == 1:
                yield Diagnostic(rel, lineno, 1, "R051", "Überschriften der ersten Ebene („# …“) sind im Beitrag "
                                 "nicht erlaubt.",
                                 "Der Titel steht im Kopfbereich (title:). Beginnen Sie Zwischenüberschriften mit „## “.")
            elif level > last_level + 1:
                yield Diagnostic(rel, lineno, 1, "R059", f"Die Überschrift springt von Ebene {last_level} auf {level}.",
                                 "Lassen Sie keine Ebene aus (nach „##“ folgt „###“); Screenreader nutzen die Ebenen.",
                                 "warning")
            last_level = max(level, 2)
        for match in _IMAGE.finditer(line):
            alt, target = match.group(1).strip(), match.group(2)
            column = match.start() + 1
            if not alt:
                yield Diagnostic(rel, lineno, column, "R053", "Dem Bild fehlt ein Alternativtext.",
                                 "Beschreiben Sie in den eckigen Klammern, was das Bild zeigt: ![Beschreibung](media/bild.png). "
                                 "Ohne ihn ist das PDF nicht barrierefrei.")
            yield from _check_target(corpus, c, rel, lineno, column, target, image=True)
        for match in _LINK.finditer(line):
            target = match.group(1)
            if target.startswith("#") and target[1:] not in anchors:
                yield Diagnostic(rel, lineno, match.start() + 1, "R064",
                                 f"Der Link „{target}“ führt ins Leere: Dieses Ziel gibt es im Papier nicht"
                                 + (" (oder es ist noch nicht angenommen)." if c.is_accepted else "."),
                                 suggest(target[1:], sorted(anchors)) or
                                 "Verlinken Sie einen Abschnitt (#abschnitt-…) oder einen angenommenen Beitrag "
                                 "(#empfehlung-…, #praxisbeispiel-…, #beitrag-…).")
            yield from _check_target(corpus, c, rel, lineno, match.start() + 1, target, image=False)
        tag = _DANGEROUS_TAG.search(line) or _EVENT_ATTR.search(line)
        if tag:
            yield Diagnostic(rel, lineno, tag.start() + 1, "R054",
                             "Der Beitrag enthält HTML, das Programmcode ausführen oder die Seite verändern kann.",
                             "Skripte, eingebettete Seiten (iframe), Stile und Ereignis-Attribute (onclick=…) sind "
                             "nicht erlaubt. Entfernen Sie das HTML; für Formatierungen genügt Markdown.")
        elif (html := _HTML_TAG.search(line)) and not line.lstrip().startswith("<http"):
            yield Diagnostic(rel, lineno, html.start() + 1, "R057",
                             f"HTML („{html.group(0)[:30]}“) wird nicht ausgewertet und erscheint als Text.",
                             "Verwenden Sie Markdown statt HTML (z. B. **fett**, Leerzeile für Absätze).",
                             "warning")
        raw = _RAW_ATTRIBUTE.search(line)
        if raw:
            yield Diagnostic(rel, lineno, raw.start() + 1, "R056",
                             f"Roh-Formatblöcke wie „{raw.group(0)}“ sind nicht erlaubt.",
                             "Sie würden Code direkt in Website, PDF oder DOCX einschleusen. Schreiben Sie den "
                             "Inhalt als normales Markdown.")
        date = _DATE_PARAGRAPH.match(line)
        if date and paragraph_words == 0:
            yield Diagnostic(rel, lineno, 1, "R058",
                             f"Der Absatz beginnt mit einem Datum („{date.group(0)}“), das wie eine nummerierte "
                             "Liste aussieht.",
                             "redaktion behandelt es als Datum und gibt es unverändert aus. Falls eine Liste gemeint "
                             "ist, beginnen Sie sie mit „1.“.", "warning")
        for match in _FOOTNOTE_DEF.finditer(line):
            defs.setdefault(match.group(1), lineno)
        for match in _FOOTNOTE_REF.finditer(line):
            if not (match.start() == 0 and line[match.end():].startswith(":")):
                refs.setdefault(match.group(1), lineno)
        words = len(line.split())
        if words:
            if paragraph_words == 0:
                paragraph_start = lineno
            paragraph_words += words
        else:
            if paragraph_words > MAX_PARAGRAPH_WORDS:
                yield _long_paragraph(rel, paragraph_start, paragraph_words)
            paragraph_words = 0
    if paragraph_words > MAX_PARAGRAPH_WORDS:
        yield _long_paragraph(rel, paragraph_start, paragraph_words)
    for number, line in enumerate(c.body.split("\n")):
        fence = _FENCE.match(line)
        if fence and _RAW_ATTRIBUTE.search(line):
            yield Diagnostic(rel, c.body_line + number, 1, "R056",
                             "Roh-Formatblöcke wie „```{=typst}“ sind nicht erlaubt.",
                             "Sie würden Code direkt in Website, PDF oder DOCX einschleusen. Schreiben Sie den "
                             "Inhalt als normales Markdown.")
    for name, lineno in refs.items():
        if name not in defs:
            yield Diagnostic(rel, lineno, 1, "R060", f"Die Fußnote [^{name}] wird verwendet, aber nirgends erklärt.",
                             f"Ergänzen Sie am Ende eine Zeile „[^{name}]: Text der Fußnote“.")
    for name, lineno in defs.items():
        if name not in refs:
            yield Diagnostic(rel, lineno, 1, "R061", f"Die Fußnote [^{name}] wird erklärt, aber im Text nie verwendet.",
                             f"Setzen Sie [^{name}] an die passende Stelle im Text – sonst fehlt die Fußnote "
                             "in allen Ausgaben.")


def _long_paragraph(rel: str, line: int, words: int) -> Diagnostic:
    return Diagnostic(rel, line, 1, "R062", f"Der Absatz ist mit {words} Wörtern sehr lang.",
                      f"Teilen Sie ihn in kürzere Absätze (höchstens {MAX_PARAGRAPH_WORDS} Wörter); das liest sich "
                      "online und im PDF leichter.", "warning")


def _check_target(corpus: Corpus, c: Contribution, rel: str, line: int, column: int,
                  target: str, image: bool) -> Iterator[Diagnostic]:
    if _BAD_SCHEME.match(target):
        yield Diagnostic(rel, line, column, "R055", f"Die Adresse „{target[:40]}“ ist nicht erlaubt.",
                         "Links und Bilder dürfen keine javascript:-, data:- oder file:-Adressen haben. "
                         "Verlinken Sie eine https://-Seite oder legen Sie Bilder in den Ordner media/.")
        return
    if re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:", target) or target.startswith("#") or not target:
        if image and re.match(r"^https?:", target):
            yield Diagnostic(rel, line, column, "R052", "Bilder von fremden Servern sind nicht erlaubt.",
                             "Laden Sie das Bild herunter, legen Sie es in den Ordner media/ und verweisen Sie "
                             "mit media/name.png darauf (die Website lädt nichts von fremden Servern).")
        return
    if not image:
        return
    path_part = target.split("#", 1)[0].split("?", 1)[0]
    paper_dir = c.path.parent.resolve()
    resolved = (paper_dir / path_part).resolve()
    if path_part.startswith("/") or not resolved.is_relative_to(corpus.root / "contributions"):
        yield Diagnostic(rel, line, column, "R052", f"Der Bildpfad „{target}“ zeigt aus dem Projekt heraus.",
                         "Bilder liegen im Ordner media/ neben dem Beitrag: ![Beschreibung](media/bild.png).")
    elif not resolved.is_file():
        yield Diagnostic(rel, line, column, "R052", f"Das Bild „{target}“ gibt es nicht.",
                         "Prüfen Sie Dateinamen und Groß-/Kleinschreibung; Bilder liegen im Ordner media/ neben "
                         "dem Beitrag.")
    elif problem := image_problem(resolved):
        yield Diagnostic(rel, line, column, "R063", f"Die Datei „{target}“ {problem}.",
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


def iter_text_lines(body: str) -> Iterator[tuple[int, str]]:
    """Yield (0-based line number, line) of the body outside fenced code blocks."""
    fence = ""
    for number, line in enumerate(body.split("\n")):
        match = _FENCE.match(line)
        if fence:
            if match and match.group(1)[0] == fence[0] and len(match.group(1)) >= len(fence):
                fence = ""
            continue
        if match:
            fence = match.group(1)
            continue
        yield number, line
