"""The rules of ``check`` for consultation rounds (``runden:`` in paper.yml) and their comments.

Every message is German and located: the round's entry in ``paper.yml`` or the comment file
and the field concerned. A comment's ``stelle`` is resolved against the round's paragraph
index (:mod:`redaktion.source.comments`); whether its paragraph has changed since the round is seen
on the same cached parse every other rule uses.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..source.comments import COMMENTS_DIR, WHOLE_PAPER, PlaceError, RoundIndex, comments_dir, load_index, resolve
from ..model import DECISION_LABELS, PROPOSAL_KINDS, Comment, Corpus, Diagnostic, Paper, anchor_for, paragraph_id
from ..model.errors import suggest
from ..source.parse import ast_cache, parse_texts
from ..source.parse.paragraphs import paragraph_blocks, paragraph_text

NEEDS_ANSWER = ("teilweise", "nicht-uebernommen", "erledigt")
CHANGES_TEXT = ("aenderung", "ergaenzung", "streichung")


def check_rounds(corpus: Corpus) -> Iterator[Diagnostic]:
    """Rules on every paper's rounds and on every comment."""
    for paper in corpus.papers.values():
        indexes = {r.id: load_index(corpus.root, paper.id, r.id) for r in paper.rounds}
        yield from _check_round_entries(corpus, paper, indexes)
        yield from _check_stray_folders(corpus, paper)
        comments = corpus.comments_of(paper.id)
        current = _current_texts(corpus, paper) if any(
            c.kind in CHANGES_TEXT and not c.is_decided for c in comments) else None
        for comment in comments:
            yield from check_comment(corpus, paper, comment, indexes.get(comment.round), current)


def _paper_rel(corpus: Corpus, paper: Paper) -> str:
    try:
        return paper.path.resolve().relative_to(corpus.root).as_posix()
    except ValueError:
        return paper.path.as_posix()


def _check_round_entries(corpus: Corpus, paper: Paper, indexes: dict[str, RoundIndex | None]) -> Iterator[Diagnostic]:
    rel = _paper_rel(corpus, paper)
    versions = [v.number for v in paper.versions]
    seen: set[str] = set()
    open_rounds = 0
    for number, current in enumerate(paper.rounds):
        pos = paper.positions.get(f"runden.{number}") or paper.positions.get("runden")
        line = pos.line if pos else 1

        def at(code: str, message: str, hint: str, severity: str = "error") -> Diagnostic:
            return Diagnostic(rel, line, 1, code, message, hint, severity)

        if current.id in seen:
            yield at("R209", f"Die Runde „{current.id}“ steht zweimal unter runden:.",
                     "Jede Runde hat einen eigenen Kurznamen (er ist der Ordner ihrer Kommentare).")
        seen.add(current.id)
        if current.version not in versions:
            yield at("R209", f"Die Runde „{current.id}“ bezieht sich auf Version {current.version}, die es nicht gibt.",
                     "Eine Runde kommentiert eine freigegebene Version (redaktion release), z. B. "
                     f"„{versions[-1] if versions else '0.9'}“.")
        if current.until and current.until < current.opened:
            yield at("R209", f"Die Frist der Runde „{current.id}“ ({current.until}) liegt vor ihrer Eröffnung "
                             f"({current.opened}).", "Prüfen Sie bis: und eroeffnet:.", "warning")
        if current.state == "geschlossen" and not current.closed:
            yield at("R209", f"Die Runde „{current.id}“ ist geschlossen, aber ohne Datum.",
                     "Ergänzen Sie „geschlossen: JJJJ-MM-TT“ (das trägt „redaktion runde … schliessen“ ein).",
                     "warning")
        if current.state == "offen":
            open_rounds += 1
            if current.closed:
                yield at("R209", f"Die Runde „{current.id}“ hat ein Schlussdatum, steht aber auf „offen“.",
                         "Setzen Sie status: geschlossen oder entfernen Sie geschlossen:.", "warning")
            if open_rounds == 2:
                yield at("R209", "Es ist mehr als eine Runde offen.",
                         "Schließen Sie die ältere Runde, bevor eine neue beginnt.", "warning")
        if indexes.get(current.id) is None:
            yield at("R212", f"Zur Runde „{current.id}“ fehlt das Absatzverzeichnis "
                             f"{COMMENTS_DIR}/{current.id}/runde.json.",
                     "Es entsteht beim Eröffnen der Runde mit „redaktion runde PAPIER eroeffnen“; ohne es lassen "
                     "sich Absatznummern und Zeilen nicht zuordnen.")
        elif current.state == "geschlossen":
            undecided = [c for c in corpus.comments_of(paper.id, current.id) if not c.is_decided]
            if undecided:
                yield at("R210", f"Die Runde „{current.id}“ ist geschlossen, aber über {len(undecided)} "
                                 f"Kommentar(e) ist noch nicht entschieden.",
                         "Tragen Sie in jedem Kommentar entscheidung:, antwort: und entschieden_am: ein; bis dahin "
                         "lässt sich keine neue Version freigeben.", "warning")


def _check_stray_folders(corpus: Corpus, paper: Paper) -> Iterator[Diagnostic]:
    folder = comments_dir(corpus.root, paper.id)
    if not folder.is_dir():
        return
    known = [r.id for r in paper.rounds]
    for sub in sorted(p for p in folder.iterdir() if p.is_dir()):
        if sub.name not in known and any(sub.glob("*.md")):
            yield Diagnostic(f"contributions/{paper.id}/{COMMENTS_DIR}/{sub.name}/", 1, 1, "R201",
                             f"Den Ordner „{sub.name}“ gibt es, aber keine Runde dieses Namens in paper.yml.",
                             suggest(sub.name, known) or "Kommentare liegen im Ordner ihrer Runde; die Runden "
                             "stehen unter runden: in paper.yml (redaktion runde … eroeffnen legt sie an).")


def check_comment(corpus: Corpus, paper: Paper, c: Comment, index: RoundIndex | None,
                  current: dict[str, tuple[str, set[str]]] | None = None) -> Iterator[Diagnostic]:
    """The rules on one comment file."""

    def at(field_name: str, code: str, message: str, hint: str = "", severity: str = "error") -> Diagnostic:
        pos = c.positions.get(field_name)
        return Diagnostic(c.rel, pos.line if pos else 1, pos.column if pos else 1, code, message, hint, severity)

    if paper.round(c.round) is None:
        return  # the folder itself is reported (R201)
    if not c.member:
        yield Diagnostic(c.rel, 1, 1, "R202", f"Der Dateiname „{c.path.name}“ hat nicht die Form "
                                              "mitglied--kurzname.md.",
                         "Der Dateiname beginnt mit dem Kurznamen Ihres Mitglieds, z. B. stuttgart--absatz-b3-2.md.")
    elif c.member not in corpus.members:
        yield Diagnostic(c.rel, 1, 1, "R202", f"Unbekanntes Mitglied „{c.member}“ im Dateinamen.",
                         suggest(c.member, list(corpus.members)) or "Die Kurznamen stehen in "
                         "contributions/members.yml.")
    place = None
    if index is not None:
        try:
            place = resolve(c.stelle, index)
        except PlaceError as problem:
            yield at("stelle", problem.code, problem.message, problem.hint)
    if c.kind in PROPOSAL_KINDS and not c.proposal:
        yield at("art", "R205", f"Bei „{c.kind}“ fehlt der vorgeschlagene Wortlaut.",
                 "Schreiben Sie ihn unter vorschlag: (den ganzen Absatz, bei einer Ergänzung den neuen Absatz).")
    elif c.proposal and c.kind not in PROPOSAL_KINDS:
        yield at("vorschlag", "R205", f"Ein Kommentar der Art „{c.kind}“ hat keinen Wortlaut; vorschlag: wird "
                                      "nicht berücksichtigt.",
                 "Setzen Sie art: aenderung (oder ergaenzung), wenn Sie einen Wortlaut vorschlagen.", "warning")
    if c.stelle.strip() == WHOLE_PAPER and c.kind in CHANGES_TEXT:
        yield at("stelle", "R211", f"Eine {c.kind.capitalize()} braucht einen Absatz, nicht „gesamt“.",
                 "Nennen Sie den Absatz, z. B. stelle: B3.2; für Anmerkungen zum ganzen Papier nehmen Sie "
                 "art: grundsaetzlich.")
    yield from _decision_rules(c, at)
    if place is not None and place.paragraph is not None and current is not None and not c.is_decided \
            and c.kind in CHANGES_TEXT:
        text, texts = current.get(place.paragraph.id, ("", set()))
        if text != place.paragraph.text and place.paragraph.text not in texts:
            yield at("stelle", "R208", f"Der Absatz {place.paragraph.label} wurde seit der Runde geändert.",
                     "Der Vorschlag bezieht sich auf den Wortlaut der Runde. Prüfen Sie vor der Entscheidung, ob er "
                     "noch passt; „redaktion apply“ übernimmt ihn nur in einen unveränderten Absatz.", "warning")


def _decision_rules(c: Comment, at) -> Iterator[Diagnostic]:  # noqa: ANN001 - the located-diagnostic helper
    label = DECISION_LABELS.get(c.decision, c.decision)
    if c.decision in NEEDS_ANSWER and not c.answer:
        yield at("entscheidung", "R206", f"Die Entscheidung „{label}“ hat keine Begründung.",
                 "Schreiben Sie unter antwort: die Antwort der Redaktion; nur bei „uebernommen“ darf sie fehlen.")
    if c.decision == "teilweise" and c.kind in PROPOSAL_KINDS and not c.wording:
        yield at("entscheidung", "R206", "Bei „teilweise“ fehlt der Wortlaut, den die Redaktion übernimmt.",
                 "Schreiben Sie ihn unter fassung:; „redaktion apply“ setzt ihn dann ein, sonst arbeiten Sie ihn "
                 "von Hand ein.", "warning")
    if c.is_decided and not c.decided:
        yield at("entscheidung", "R207", "Zur Entscheidung fehlt das Datum.",
                 "Ergänzen Sie entschieden_am: JJJJ-MM-TT.", "warning")
    if not c.is_decided and (c.decided or c.answer):
        yield at("entschieden_am" if c.decided else "antwort", "R207",
                 "Der Kommentar hat eine Antwort oder ein Entscheidungsdatum, steht aber noch auf „offen“.",
                 "Tragen Sie die Entscheidung unter entscheidung: ein.", "warning")


def _current_texts(corpus: Corpus, paper: Paper) -> dict[str, tuple[str, set[str]]]:
    """Stable paragraph id → (its text now, all paragraph texts of its contribution or introduction)."""
    owners: list[tuple[str, str]] = [(anchor_for(c), c.body) for c in corpus.contributions_of(paper.id)]
    owners += [(f"abschnitt-{s.id}", s.intro) for s in paper.outline]
    parsed = parse_texts([body for _, body in owners], ast_cache(corpus.root))
    result: dict[str, tuple[str, set[str]]] = {}
    for (anchor, _), body in zip(owners, parsed):
        texts = [paragraph_text(block) for block in paragraph_blocks(body.blocks)]
        for k, text in enumerate(texts, start=1):
            result[paragraph_id(anchor, k)] = (text, set(texts))
    return result
