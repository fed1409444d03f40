"""``redaktion runde PAPER eroeffnen|schliessen``: consultation rounds on a released version.

Opening a round

1. takes the content of the released version (its git tag ``PAPER/vX.Y``, or the working tree
   when its public draft still has the version's content hash),
2. assembles the round's draft (``review=True``: the public content, marked ENTWURF, with
   line and paragraph numbers) and renders its PDF and DOCX, dated on the release day,
3. records which lines of that PDF belong to which paragraph
   (:func:`redaktion.render.pdf.lines.line_map`) in the round's paragraph index
   ``contributions/PAPER/kommentare/RUNDE/runde.json`` (:mod:`redaktion.source.comments`),
4. appends the round to ``runden:`` in ``paper.yml`` (as text: comments stay), and
5. commits both files when the project is a git repository without other changes below
   ``contributions/``; the PDF and DOCX go to ``build/runden/PAPER/RUNDE/``.

The index is committed with the round: comments by number, id or line can be checked at any
time without rendering, and the frozen files can always be rebuilt from the version's tag.
Closing a round sets ``status: geschlossen`` and the date.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from ..assemble.draft import assemble
from ..util.cachefiles import write_atomic
from ..source.comments import IndexedParagraph, RoundIndex, dump_index, index_path
from ..source.load import CONTENT_DIR, load
from ..model import (VERSION_PATTERN, Corpus, Draft, Paper, Round, Version, german_date, is_iso_date, round_dir,
                     round_file_names)
from ..model.errors import RedaktionError, UnknownPaper, UnknownRound
from ..source import git as gitrepo
from ..build import versions
from .yamltext import YamlEditError, append_list_item, set_item_fields



class RoundRefused(RedaktionError):
    """The round cannot be opened or closed; ``message`` is German, ``exit_code`` 1 or 2."""


@dataclass
class RoundResult:
    """What opening or closing a round did, for the CLI's report."""

    paper_id: str
    round: Round
    paper_file: Path
    index_file: Path | None = None
    outputs: dict[str, Path] = field(default_factory=dict)
    commit: str = ""
    hints: list[str] = field(default_factory=list)


def open_round(root: Path, paper_id: str, version: str | None = None, until: str | None = None,
               round_id: str | None = None, today: str | None = None) -> RoundResult:
    """Open a round on ``version`` (default: the latest) of ``paper_id``; see the module docstring."""
    root = root.resolve()
    corpus = load(root)
    paper = _paper(corpus, paper_id)
    today = today or dt.date.today().isoformat()
    chosen = _version(paper, version)
    round_id = round_id or f"runde-{len(paper.rounds) + 1}"
    _refuse_unless_openable(paper, round_id, until, today)
    new = Round(round_id, chosen.number, "offen", today, until or "")
    use_git = gitrepo.is_repo(root) and gitrepo.has_commits(root)
    dirty = gitrepo.dirty_paths(root, CONTENT_DIR) if use_git else []

    with version_draft(root, corpus, paper_id, chosen) as (draft, content_root):
        from ..render.pdf.lines import line_map

        from ..build.outputs import render_outputs

        epoch = versions.release_epoch(chosen.date)
        outputs = render_outputs(draft, content_root, epoch=epoch)
        lines = line_map(draft, content_root)
    index = build_index(draft, round_id, chosen.number, lines)
    index_file = index_path(root, paper_id, round_id)
    original = paper.path.read_text(encoding="utf-8")
    fields = [("id", round_id), ("version", chosen.number), ("status", "offen"), ("eroeffnet", today)]
    if until:
        fields.append(("bis", until))
    try:
        text = append_list_item(original, "runden", fields, insert_before=("outline",))
    except YamlEditError as error:
        raise RoundRefused(f"paper.yml lässt sich nicht automatisch ergänzen: {error}") from None
    paper.path.write_text(text, encoding="utf-8")
    write_atomic(index_file, dump_index(index).encode("utf-8"))
    if load(root).papers[paper_id].round(round_id) != new:
        paper.path.write_text(original, encoding="utf-8")
        index_file.unlink(missing_ok=True)
        raise RoundRefused("Der Eintrag in paper.yml ließ sich nicht sicher schreiben; die Datei ist unverändert. "
                           "Tragen Sie die Runde bitte von Hand unter runden: ein.")
    result = RoundResult(paper_id, new, paper.path, index_file)
    result.outputs = store_outputs(root, paper_id, round_id, chosen.number, outputs)
    message = f"Kommentierungsrunde {round_id} zu {paper_id} {chosen.number} eröffnet"
    _commit(root, result, [paper.path, index_file], message, use_git, dirty)
    return result


def close_round(root: Path, paper_id: str, round_id: str | None = None, today: str | None = None) -> RoundResult:
    """Close the open round (or ``round_id``): ``status: geschlossen`` and the date in paper.yml."""
    root = root.resolve()
    corpus = load(root)
    paper = _paper(corpus, paper_id)
    current = paper.round(round_id) if round_id else paper.open_round
    if current is None:
        if round_id:
            raise UnknownRound(paper_id, round_id, [r.id for r in paper.rounds])
        raise RoundRefused(f"In „{paper_id}“ ist keine Runde offen.", exit_code=2)
    if current.state == "geschlossen":
        raise RoundRefused(f"Die Runde „{current.id}“ ist schon seit dem {german_date(current.closed)} geschlossen."
                           if current.closed else f"Die Runde „{current.id}“ ist schon geschlossen.", exit_code=2)
    today = today or dt.date.today().isoformat()
    use_git = gitrepo.is_repo(root) and gitrepo.has_commits(root)
    dirty = gitrepo.dirty_paths(root, CONTENT_DIR) if use_git else []
    original = paper.path.read_text(encoding="utf-8")
    try:
        text = set_item_fields(original, "runden", ("id", current.id), [("status", "geschlossen"), ("geschlossen", today)])
    except YamlEditError as error:
        raise RoundRefused(f"paper.yml lässt sich nicht automatisch ändern: {error}") from None
    paper.path.write_text(text, encoding="utf-8")
    closed = load(root).papers[paper_id].round(current.id)
    if closed is None or closed.state != "geschlossen" or closed.closed != today:
        paper.path.write_text(original, encoding="utf-8")
        raise RoundRefused("Der Eintrag in paper.yml ließ sich nicht sicher ändern; die Datei ist unverändert. "
                           "Setzen Sie bei der Runde von Hand status: geschlossen und geschlossen: " + today + ".")
    result = RoundResult(paper_id, closed, paper.path)
    _commit(root, result, [paper.path], f"Kommentierungsrunde {current.id} zu {paper_id} geschlossen", use_git, dirty)
    undecided = [c for c in corpus.comments_of(paper_id, current.id) if not c.is_decided]
    if undecided:
        result.hints.append(f"Über {len(undecided)} Kommentar(e) ist noch nicht entschieden. Die nächste Version lässt "
                            "sich erst freigeben, wenn jeder Kommentar eine Entscheidung hat (redaktion status "
                            f"{paper_id} zeigt sie).")
    return result


def _paper(corpus: Corpus, paper_id: str) -> Paper:
    paper = corpus.papers.get(paper_id)
    if paper is None:
        raise UnknownPaper(paper_id, corpus.papers)
    return paper


def _version(paper: Paper, number: str | None) -> Version:
    if number is not None and not re.match(VERSION_PATTERN, number):
        raise RoundRefused(f"„{number}“ ist keine gültige Versionsnummer; schreiben Sie z. B. --version 0.9.",
                           exit_code=2)
    if not paper.versions:
        raise RoundRefused(f"Von „{paper.id}“ ist noch keine Version freigegeben. Eine Runde kommentiert eine "
                           f"freigegebene Version: geben Sie zuerst eine frei (redaktion release {paper.id} 0.9).")
    if number is None:
        return paper.versions[-1]
    found = next((v for v in paper.versions if v.number == number), None)
    if found is None:
        known = ", ".join(v.number for v in paper.versions)
        raise RoundRefused(f"Die Version {number} von „{paper.id}“ gibt es nicht (freigegeben: {known}).",
                           exit_code=2)
    return found


def _refuse_unless_openable(paper: Paper, round_id: str, until: str | None, today: str) -> None:
    if not re.match(r"^[a-z0-9]+(-[a-z0-9]+)*$", round_id):
        raise RoundRefused(f"„{round_id}“ ist kein gültiger Kurzname für eine Runde (nur a–z, 0–9, Bindestrich).",
                           exit_code=2)
    if paper.round(round_id) is not None:
        raise RoundRefused(f"Die Runde „{round_id}“ gibt es schon. Wählen Sie mit --id einen anderen Namen.",
                           exit_code=2)
    current = paper.open_round
    if current is not None:
        raise RoundRefused(f"Die Runde „{current.id}“ zu Version {current.version} ist noch offen. Schließen Sie sie "
                           f"zuerst: redaktion runde {paper.id} schliessen")
    if until is not None and (not is_iso_date(until) or until < today):
        raise RoundRefused(f"„{until}“ ist keine gültige Frist; schreiben Sie --bis JJJJ-MM-TT (frühestens heute).",
                           exit_code=2)


@contextmanager
def version_draft(root: Path, corpus: Corpus, paper_id: str, version: Version) -> Iterator[tuple[Draft, Path]]:
    """The round's draft of ``version`` and the folder its images resolve against.

    The content comes from the version's git tag; without a tag, from the working tree if it
    still is that version (same content hash), else the round cannot be made.
    """
    tag = versions.tag_name(paper_id, version.number)
    commit = gitrepo.commit_of(root, f"refs/tags/{tag}") if gitrepo.is_repo(root) else None
    if commit is not None:
        with versions.corpus_at(root, commit) as tagged:
            yield assemble(tagged, paper_id, review=True), tagged.root
        return
    if version.hash and assemble(corpus, paper_id).content_hash != version.hash:
        raise RoundRefused(f"Der Inhalt der Version {version.number} lässt sich nicht wiederherstellen: Es gibt kein "
                           f"Git-Tag „{tag}“, und der Arbeitsstand hat sich seit der Freigabe geändert.")
    yield assemble(corpus, paper_id, review=True), corpus.root


def build_index(draft: Draft, round_id: str, version: str, lines=None) -> RoundIndex:  # noqa: ANN001 - LineMap
    """The paragraph index of a round's draft, with the lines of its PDF when ``lines`` is given."""
    where = {p.label: p for p in lines.paragraphs} if lines is not None else {}
    paper_file = f"{CONTENT_DIR}/{draft.paper.id}/paper.yml"
    entries = []
    for section in draft.sections:
        owners = [("", paper_file, section.paragraphs)]
        owners += [(b.contribution_id, b.source, b.paragraphs) for b in section.blocks]
        for contribution, source, paragraphs in owners:
            for p in paragraphs:
                placed = where.get(p.label)
                entries.append(IndexedParagraph(
                    p.id, p.label, section.id, section.number, section.title, contribution, source, p.text,
                    placed.first if placed else 0, placed.last if placed else 0, placed.page if placed else 0))
    return RoundIndex(draft.paper.id, round_id, version, draft.content_hash, lines.lines if lines else 0,
                      lines.pages if lines else 0, tuple(entries))


def store_outputs(root: Path, paper_id: str, round_id: str, version: str, outputs: dict[str, bytes]) -> dict[str, Path]:
    """Write the round's PDF and DOCX to ``build/runden/PAPER/RUNDE/``."""
    folder = round_dir(root, paper_id, round_id)
    paths = {}
    for kind, name in round_file_names(paper_id, round_id, version).items():
        write_atomic(folder / name, outputs[kind])
        paths[kind] = folder / name
    return paths


def round_files(root: Path, paper_id: str, round_id: str) -> dict[str, Path]:
    """The round's frozen PDF and DOCX; rebuilt (from the version's tag) when missing."""
    root = root.resolve()
    corpus = load(root)
    paper = _paper(corpus, paper_id)
    current = paper.round(round_id)
    if current is None:
        raise UnknownRound(paper_id, round_id, [r.id for r in paper.rounds])
    folder = round_dir(root, paper_id, round_id)
    names = round_file_names(paper_id, round_id, current.version)
    if all((folder / name).is_file() for name in names.values()):
        return {kind: folder / name for kind, name in names.items()}
    chosen = _version(paper, current.version)
    with version_draft(root, corpus, paper_id, chosen) as (draft, content_root):
        from ..build.outputs import render_outputs

        outputs = render_outputs(draft, content_root, epoch=versions.release_epoch(chosen.date))
    return store_outputs(root, paper_id, round_id, current.version, outputs)


def _commit(root: Path, result: RoundResult, paths: list[Path], message: str, use_git: bool, dirty: list[str]) -> None:
    files = ", ".join(p.relative_to(root).as_posix() for p in paths)
    if use_git and not dirty:
        try:
            result.commit = gitrepo.commit_paths(root, paths, message)
        except gitrepo.GitError as error:
            result.hints.append(f"Der Commit ist fehlgeschlagen ({error}); committen Sie {files} von Hand.")
        return
    if use_git:
        shown = ", ".join(dirty[:5]) + (" …" if len(dirty) > 5 else "")
        result.hints.append(f"Kein Commit: Im Ordner contributions/ gibt es nicht eingecheckte Änderungen ({shown}). "
                            f"Committen Sie {files} zusammen mit „git commit -m \"{message}\"“.")
    else:
        result.hints.append(f"Das Projekt ist kein Git-Repository; bewahren Sie {files} mit dem Papier auf.")


def release_blockers(corpus: Corpus, paper_id: str) -> list[str]:
    """Why the next version of ``paper_id`` must not be released yet (German sentences, or none).

    A round still open, and comments of a closed round without a decision, hold the release.
    """
    paper = corpus.papers[paper_id]
    reasons = []
    for current in paper.rounds:
        undecided = [c for c in corpus.comments_of(paper_id, current.id) if not c.is_decided]
        if current.is_open:
            reasons.append(f"Die Kommentierungsrunde „{current.id}“ zu Version {current.version} ist noch offen. "
                           f"Schließen Sie sie (redaktion runde {paper_id} schliessen) und entscheiden Sie über "
                           "ihre Kommentare.")
        elif undecided:
            listing = "\n".join(f"  • {c.rel}" for c in undecided)
            reasons.append(f"Über {len(undecided)} Kommentar(e) der Runde „{current.id}“ ist noch nicht entschieden:\n"
                           f"{listing}\nTragen Sie entscheidung:, antwort: und entschieden_am: ein.")
    return reasons
