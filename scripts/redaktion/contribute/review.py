"""``redaktion import-review``: a member's reviewed copy of a round's DOCX becomes comment files.

The round's DOCX carries a bookmark around every numbered paragraph (``Absatz_B3_2``). Word
keeps bookmarks, tracked changes (``w:ins``/``w:del``) and comments (``w:commentRangeStart`` and
``word/comments.xml``) when a member reviews the copy. The import

1. marks each bookmarked paragraph with a token at its start (lxml, in a temporary copy:
   pandoc's reader drops bookmarks), then reads the copy with pandoc keeping changes and
   comments as spans;
2. turns every paragraph with tracked changes into one ``aenderung`` whose ``vorschlag`` is the
   paragraph's wording with the changes accepted (as Markdown), a paragraph that was deleted as
   a whole into a ``streichung``, and a paragraph typed in new into an ``ergaenzung`` after the
   paragraph before it;
3. turns every Word comment into an ``anmerkung`` on the paragraph where it starts;
4. keeps Word's author and date (``autor``, ``datum``) and names the file (``quelle``).

Paragraphs without a bookmark (a retyped or pasted copy) are matched by the similarity of their
text with the round's paragraphs; the report says so, with the similarity. Whatever cannot be
placed is reported in German and not written.
"""

from __future__ import annotations

import copy
import difflib
import re
import tempfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from ..source.comments import RoundIndex, comments_dir, load_index
from ..source.load import load
from ..model import Corpus
from ..model.errors import UnknownMember, UnknownPaper, UnknownRound
from ..source.parse.ast import stringify
from ..source.parse.pandoc import PandocError
from .word import read_document, write_markdown
from .common import ContributeError, write_new, yaml_scalar

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
BOOKMARK_PREFIX = "Absatz_"
TOKEN = "\u27e6absatz:{}\u27e7"  # ⟦absatz:B3_2⟧ – no member writes this
_TOKEN = re.compile("\u27e6absatz:([A-Za-z0-9_]+)\u27e7")
SIMILAR = 0.8  # a paragraph without bookmark is placed when its text is this similar …
MARGIN = 0.05  # … and clearly more similar than to any other paragraph


@dataclass(frozen=True)
class Imported:
    """One comment file written."""

    path: Path
    kind: str
    label: str
    how: str  # German: "Textmarke" or "Textähnlichkeit 87 %"


@dataclass
class ReviewResult:
    imported: list[Imported] = field(default_factory=list)
    not_placed: list[str] = field(default_factory=list)  # German sentences
    notes: list[str] = field(default_factory=list)  # German: what else the report should say


@dataclass
class _Change:
    """A paragraph of the reviewed copy with what the reviewer did to it."""

    label: str  # of the round's paragraph ("" if unknown)
    how: str
    old_text: str
    new_block: dict | None  # None: the paragraph was deleted as a whole
    authors: list[str]
    dates: list[str]
    comments: list[tuple[str, str, str]]  # (author, date, text)
    changed: bool


def import_review(root: Path, source: Path, paper_id: str, round_id: str, member: str) -> ReviewResult:
    """Import ``source`` (a reviewed DOCX of the round) as comments of ``member``."""
    root = root.resolve()
    corpus = load(root)
    index = _validate(corpus, source, paper_id, round_id, member)
    result = ReviewResult()
    with tempfile.TemporaryDirectory(prefix="redaktion-review-") as tmp:
        marked = Path(tmp) / "markiert.docx"
        format_changes = _mark_paragraphs(source, marked)
        try:
            ast = read_document(marked, Path(tmp) / "media")
        except PandocError as error:
            raise ContributeError(str(error), "Öffnen und speichern Sie die Datei erneut in Word.") from None
    if format_changes:
        result.notes.append(f"{format_changes} Formatierungsänderung(en) (fett, kursiv, Absatzformat) nicht "
                            "übernommen: Kommentare betreffen den Wortlaut.")
    changes = _paragraph_changes(ast["blocks"], index, result)
    folder = comments_dir(root, paper_id, round_id)
    used: set[str] = set()
    for change in changes:
        for kind, stelle, body, extra in _comments_of(change, ast, result):
            path = _free_path(folder, member, stelle, kind, used)
            text = _file_text(stelle, kind, extra, change, body, source.name)
            write_new(path, text)
            result.imported.append(Imported(path, kind, stelle, change.how))
    return result


def _validate(corpus: Corpus, source: Path, paper_id: str, round_id: str, member: str) -> RoundIndex:
    if source.suffix.lower() != ".docx":
        raise ContributeError(f"„{source.name}“ ist keine Word-Datei (.docx).",
                              "Importiert wird die geprüfte Kopie des DOCX der Runde.")
    if not source.is_file():
        raise ContributeError(f"Die Datei „{source}“ gibt es nicht.", "Prüfen Sie Pfad und Dateinamen.")
    paper = corpus.papers.get(paper_id)
    if paper is None:
        raise UnknownPaper(paper_id, corpus.papers)
    if paper.round(round_id) is None:
        raise UnknownRound(paper_id, round_id, [r.id for r in paper.rounds])
    if member not in corpus.members:
        raise UnknownMember(member, corpus.members)
    index = load_index(corpus.root, paper_id, round_id)
    if index is None:
        raise ContributeError(f"Zur Runde „{round_id}“ fehlt das Absatzverzeichnis (runde.json).",
                              "Es entsteht, wenn die Runde mit „redaktion runde … eroeffnen“ eröffnet wird.")
    return index


# --- step 1: mark bookmarked paragraphs -----------------------------------------------------


def _mark_paragraphs(source: Path, target: Path) -> int:
    """Copy ``source`` with a token at the start of each bookmarked paragraph; count format changes."""
    from lxml import etree

    with zipfile.ZipFile(source) as archive:
        parts = {info.filename: archive.read(info.filename) for info in archive.infolist()}
    try:
        tree = etree.fromstring(parts["word/document.xml"])
    except (KeyError, etree.XMLSyntaxError):
        raise ContributeError(f"„{source.name}“ ist beschädigt oder keine Word-Datei.",
                              "Öffnen Sie sie in Word und speichern Sie sie als .docx neu.") from None
    body = tree.find(f"{W}body")
    pending: list[str] = []
    marks: list[tuple[object, str]] = []
    for element in body.iter(f"{W}bookmarkStart", f"{W}p") if body is not None else ():
        if element.tag == f"{W}p":
            marks += [(element, name) for name in pending]
            pending = []
            continue
        name = element.get(f"{W}name") or ""
        if not name.startswith(BOOKMARK_PREFIX):
            continue
        paragraph = next((a for a in element.iterancestors(f"{W}p")), None)
        if paragraph is not None:
            marks.append((paragraph, name))
        else:
            pending.append(name)
    for paragraph, name in reversed(marks):
        run = etree.Element(f"{W}r")
        etree.SubElement(run, f"{W}t").text = TOKEN.format(name[len(BOOKMARK_PREFIX):])
        paragraph.insert(1 if paragraph.find(f"{W}pPr") is not None else 0, run)
    parts["word/document.xml"] = etree.tostring(tree, xml_declaration=True, encoding="UTF-8", standalone=True)
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return sum(1 for _ in tree.iter(f"{W}rPrChange", f"{W}pPrChange"))


# --- step 2: what happened to each paragraph ------------------------------------------------


def _paragraph_changes(blocks: list[dict], index: RoundIndex, result: ReviewResult) -> list[_Change]:
    changes: list[_Change] = []
    previous = ""  # label of the last paragraph of the round seen, for new paragraphs
    for block in _top_blocks(blocks):
        tokens = [m.group(1).replace("_", ".") for m in
                  (_TOKEN.search(s["c"]) for s in _strs(block)) if m]
        block = _without_tokens(block)
        authors, dates, comments = [], [], []
        changed = _scan(block, authors, dates, comments)
        if not changed and not comments:
            if tokens:
                previous = _known(tokens[0], index) or previous
            continue
        old, new = _side(block, "old"), _side(block, "new")
        old_text, new_text = stringify(old), stringify(new)
        label = _known(tokens[0], index) if tokens else ""
        how = "Textmarke" if label else ""
        if not label and old_text:
            label, how = _similar(old_text, index)
        if label:
            previous = label
        elif changed and not old_text and previous:
            label, how = previous, "neuer Absatz nach " + previous
        changes.append(_Change(label, how, old_text, new if new_text else None, authors, dates, comments,
                               changed))
        if not label:
            what = "Änderungen" if changed else "ein Kommentar"
            result.not_placed.append(f"Absatz „{_short(old_text or new_text)}“ ({what}) ließ sich keinem Absatz "
                                     "der Runde zuordnen: keine Textmarke und kein ähnlicher Absatz.")
    return changes


def _top_blocks(blocks: list[dict]) -> list[dict]:
    """Top-level blocks, with Word's style containers (divs) opened."""
    out = []
    for block in blocks:
        if block.get("t") == "Div":
            out += _top_blocks(block["c"][1])
        else:
            out.append(block)
    return out


def _strs(node: object) -> list[dict]:
    found = []
    if isinstance(node, list):
        for item in node:
            found += _strs(item)
    elif isinstance(node, dict):
        if node.get("t") == "Str":
            found.append(node)
        elif "c" in node:
            found += _strs(node["c"])
    return found


def _without_tokens(block: dict) -> dict:
    block = copy.deepcopy(block)
    for s in _strs(block):
        s["c"] = _TOKEN.sub("", s["c"])
    return _drop(block, lambda node: node.get("t") == "Str" and node["c"] == "")


def _classes(node: dict) -> list[str]:
    return node["c"][0][1] if node.get("t") == "Span" else []


def _attrs(node: dict) -> dict[str, str]:
    return dict(node["c"][0][2]) if node.get("t") == "Span" else {}


def _scan(node: object, authors: list[str], dates: list[str], comments: list[tuple[str, str, str]]) -> bool:
    """Collect authors, dates and comments of the changes in ``node``; True if text was changed."""
    changed = False
    if isinstance(node, list):
        for item in node:
            changed = _scan(item, authors, dates, comments) or changed
    elif isinstance(node, dict):
        classes = _classes(node)
        if "insertion" in classes or "deletion" in classes:
            attrs = _attrs(node)
            authors.append(attrs.get("author", ""))
            dates.append(attrs.get("date", ""))
            changed = True
        if "comment-start" in classes:
            attrs = _attrs(node)
            comments.append((attrs.get("author", ""), attrs.get("date", ""), stringify(node["c"][1])))
            return changed
        if "c" in node:
            changed = _scan(node["c"], authors, dates, comments) or changed
    return changed


def _side(block: dict, side: str) -> dict:
    """The block as it was (``old``: insertions dropped) or as proposed (``new``: deletions dropped)."""
    gone = "insertion" if side == "old" else "deletion"

    def transform(node: object) -> object:
        if isinstance(node, list):
            out = []
            for item in node:
                if isinstance(item, dict) and item.get("t") == "Span":
                    classes = _classes(item)
                    if gone in classes or "comment-start" in classes or "comment-end" in classes \
                            or any(c.startswith("paragraph-") for c in classes):
                        continue
                    if "insertion" in classes or "deletion" in classes:
                        out += transform(item["c"][1])  # type: ignore[operator]
                        continue
                out.append(transform(item))
            return _joined(out)
        if isinstance(node, dict) and "c" in node:
            return {**node, "c": transform(node["c"])}
        return node

    return transform(copy.deepcopy(block))  # type: ignore[return-value]


def _joined(inlines: list) -> list:
    """Merge neighbouring Str nodes (a word split by a change) and collapse doubled spaces."""
    out: list = []
    for item in inlines:
        if isinstance(item, dict) and out and isinstance(out[-1], dict):
            if item.get("t") == "Str" and out[-1].get("t") == "Str":
                out[-1] = {"t": "Str", "c": out[-1]["c"] + item["c"]}
                continue
            if item.get("t") == "Space" and out[-1].get("t") == "Space":
                continue
        out.append(item)
    while out and isinstance(out[-1], dict) and out[-1].get("t") == "Space":
        out.pop()
    while out and isinstance(out[0], dict) and out[0].get("t") == "Space":
        out.pop(0)
    return out


def _drop(node: object, unwanted) -> object:  # noqa: ANN001 - predicate
    if isinstance(node, list):
        return [_drop(item, unwanted) for item in node if not (isinstance(item, dict) and unwanted(item))]
    if isinstance(node, dict) and "c" in node:
        return {**node, "c": _drop(node["c"], unwanted)}
    return node


def _known(label: str, index: RoundIndex) -> str:
    return label if index.by_label(label) else ""


def _similar(text: str, index: RoundIndex) -> tuple[str, str]:
    """The round's paragraph ``text`` most resembles, if clearly so: (label, German how)."""
    scored = sorted(((difflib.SequenceMatcher(None, _norm(text), _norm(p.text), autojunk=False).ratio(), p.label)
                     for p in index.paragraphs), reverse=True)
    if not scored or scored[0][0] < SIMILAR or (len(scored) > 1 and scored[0][0] - scored[1][0] < MARGIN):
        return "", ""
    return scored[0][1], f"Textähnlichkeit {round(scored[0][0] * 100)} %"


def _norm(text: str) -> str:
    return " ".join(text.casefold().split())


def _short(text: str, limit: int = 70) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


# --- step 3: comment files ---------------------------------------------------------------


def _comments_of(change: _Change, ast: dict, result: ReviewResult) -> list[tuple[str, str, str, dict[str, str]]]:
    """(kind, stelle, body, extra front matter) of the comments one paragraph gives."""
    if not change.label:
        return []
    out: list[tuple[str, str, str, dict[str, str]]] = []
    if change.changed:
        author, date = _first(change.authors), _last(change.dates)
        if change.new_block is None:
            out.append(("streichung", change.label, "Streichung im Word-Dokument (nachverfolgte Änderung).",
                        {"autor": author, "datum": date}))
        else:
            wording = write_markdown({**ast, "meta": {}, "blocks": [change.new_block]}).strip()
            kind = "ergaenzung" if not change.old_text else "aenderung"
            what = "Neuer Absatz" if kind == "ergaenzung" else "Änderung"
            out.append((kind, change.label, f"{what} im Word-Dokument (nachverfolgte Änderungen).",
                        {"vorschlag": wording, "autor": author, "datum": date}))
    for author, date, text in change.comments:
        if not text.strip():
            result.not_placed.append(f"Ein leerer Kommentar von {author or 'unbekannt'} wurde übergangen.")
            continue
        out.append(("anmerkung", change.label, text, {"autor": author, "datum": date}))
    return out


def _first(values: list[str]) -> str:
    return next((v for v in values if v), "")


def _last(values: list[str]) -> str:
    return max((v for v in values if v), default="")


def _free_path(folder: Path, member: str, label: str, kind: str, used: set[str]) -> Path:
    stem = f"{member}--word-{label.lower().replace('.', '-')}-{kind}"
    name, number = stem, 1
    while name in used or (folder / f"{name}.md").exists():
        number += 1
        name = f"{stem}-{number}"
    used.add(name)
    return folder / f"{name}.md"


def _file_text(stelle: str, kind: str, extra: dict[str, str], change: _Change, body: str, source: str) -> str:
    lines = ["---", f"stelle: {stelle}", f"art: {kind}"]
    if extra.get("vorschlag"):
        lines.append("vorschlag: |-")
        lines += ["  " + line if line else "" for line in extra["vorschlag"].split("\n")]
    if extra.get("autor"):
        lines.append(f"autor: {yaml_scalar(extra['autor'])}")
    if extra.get("datum"):
        lines.append(f"datum: {yaml_scalar(extra['datum'])}")
    origin = f"Word-Datei {source}" + (f", zugeordnet per {change.how}" if change.how != "Textmarke" else "")
    lines.append(f"quelle: {yaml_scalar(origin)}")
    lines += ["entscheidung: offen", "---", "", body.strip(), ""]
    return "\n".join(lines)
