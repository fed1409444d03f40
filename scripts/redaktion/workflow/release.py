"""``redaktion release PAPER VERSION``: freeze a version of a paper.

The sequence, designed so that the tag always points to a commit holding the release entry:

1. refuse (German message, exit 1) when ``check`` reports errors, the paper still has pending
   contributions (eingereicht, in Prüfung), a consultation round is open or has undecided
   comments, the version number is not new and higher, or the tag already exists;
2. assemble the public draft as it will look with the new version and take its content hash;
3. append ``- number/date/note/hash`` to ``versions:`` in ``paper.yml`` as text (comments and
   formatting stay), re-load and verify the entry and the hash;
4. render PDF and DOCX of that draft (dated on the release day); on failure ``paper.yml`` is
   restored and nothing else has happened;
5. if the project is a git repository and ``contributions/`` has no uncommitted changes:
   commit only ``paper.yml`` („Release PAPER VERSION“) and set the annotated tag
   ``PAPER/vVERSION`` on that commit; otherwise leave git alone and explain what to do;
6. write the files to ``build/versions/PAPER/VERSION/`` and the content-hash cache.

All or nothing: ``paper.yml`` is only ever replaced in one step (never half written), and
if anything fails before the tag is set – rendering, the commit, the tag, an interrupt – the
commit is taken back and ``paper.yml`` gets its exact previous bytes again.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from ..assemble.draft import assemble
from ..util.cachefiles import write_atomic
from ..check.corpus import PENDING_STATUSES, check, has_errors
from ..model.lifecycle import version_key
from ..source.load import CONTENT_DIR, load
from ..model import (PUBLIC_PAPER_STATUSES, VERSION_PATTERN, Corpus, Draft, Version, german_date, is_iso_date,
                     matches)
from ..model.errors import RedaktionError, UnknownPaper, UnknownSession
from ..source import git as gitrepo
from ..build import versions
from .runde import release_blockers
from .yamltext import YamlEditError, append_list_item


class ReleaseRefused(RedaktionError):
    """The release cannot be made; ``message`` is German, ``exit_code`` 1 (content) or 2 (usage).

    ``diagnostics`` are the errors ``check`` found, when that is the reason.
    """


@dataclass
class ReleaseResult:
    """What a release did, for the CLI's report."""

    paper_id: str
    version: Version
    paper_file: Path
    outputs: dict[str, Path] = field(default_factory=dict)
    commit: str = ""  # empty when git was left alone
    tag: str = ""
    hints: list[str] = field(default_factory=list)  # German advice: git steps, status


def release(root: Path, paper_id: str, number: str, note: str = "", date: str | None = None,
            session: str | None = None) -> ReleaseResult:
    """Release ``number`` of ``paper_id``; raise :class:`ReleaseRefused` when it must not happen.

    ``session`` names the session that adopted the version (``sitzung:`` in paper.yml); without
    it, the session whose minutes hold a decision adopting this version is named, if there is one.
    """
    root = root.resolve()
    corpus = load(root)
    _refuse_unless_releasable(corpus, paper_id, number, date)
    session = _adopting_session(corpus, paper_id, number, session)
    paper = corpus.papers[paper_id]
    version = Version(number, date or dt.date.today().isoformat(), " ".join(note.split()), session=session)
    _refuse_if_older(paper.versions, version)
    use_git = gitrepo.is_repo(root) and gitrepo.has_commits(root)
    tag = versions.tag_name(paper_id, number)
    if use_git and gitrepo.tag_exists(root, tag):
        raise ReleaseRefused(f"Das Git-Tag „{tag}“ gibt es schon. Wählen Sie eine neue Versionsnummer.")
    dirty = gitrepo.dirty_paths(root, CONTENT_DIR) if use_git else []

    version = dataclasses.replace(version, hash=_hash_with(corpus, paper_id, version))
    original = paper.path.read_bytes()
    draft = _write_entry(root, paper.path, original, paper_id, version)
    try:
        outputs = versions.render_version(draft, root, version)
    except BaseException:
        _restore(paper.path, original)
        raise
    result = ReleaseResult(paper_id, version, paper.path)
    if use_git and not dirty:
        _commit_and_tag(root, result, original, tag)
    else:
        result.hints.append(_git_hint(root, paper_id, number, tag, dirty, use_git))
    result.outputs = versions.store_outputs(root, paper_id, number, version.hash, outputs)
    if paper.status not in PUBLIC_PAPER_STATUSES:
        result.hints.append(
            f"Das Papier steht auf „{paper.status}“: Die Version ist zur Mitzeichnung freigegeben und erscheint erst "
            "öffentlich, wenn Sie in paper.yml status: veroeffentlicht setzen (mit Eintrag unter history:).")
    return result


def _refuse_unless_releasable(corpus: Corpus, paper_id: str, number: str, date: str | None) -> None:
    if paper_id not in corpus.papers:
        raise UnknownPaper(paper_id, corpus.papers)
    if not matches(VERSION_PATTERN, number):
        raise ReleaseRefused(f"„{number}“ ist keine gültige Versionsnummer; schreiben Sie z. B. 1.1.", exit_code=2)
    if date is not None and not is_iso_date(date):
        raise ReleaseRefused(f"„{date}“ ist kein gültiges Datum; schreiben Sie --date JJJJ-MM-TT.", exit_code=2)
    diagnostics = check(corpus)
    if has_errors(diagnostics):
        errors = [d for d in diagnostics if d.severity == "error"]
        raise ReleaseRefused(
            f"Freigabe abgelehnt: „redaktion check“ meldet {len(errors)} Fehler. Beheben Sie sie und starten Sie "
            "die Freigabe erneut.", diagnostics=errors)
    pending = [c for c in corpus.contributions_of(paper_id) if c.status in PENDING_STATUSES]
    if pending:
        listing = "\n".join(f"  • {c.path.name} ({c.status})" for c in pending)
        count = "einen Beitrag" if len(pending) == 1 else f"{len(pending)} Beiträge"
        raise ReleaseRefused(
            f"Freigabe abgelehnt: Über {count} zu „{paper_id}“ ist noch nicht entschieden:\n"
            f"{listing}\nSetzen Sie status: angenommen oder abgelehnt (oder zurueckgezogen) und geben Sie die "
            "Version dann frei.")
    blockers = release_blockers(corpus, paper_id)
    if blockers:
        raise ReleaseRefused("Freigabe abgelehnt: " + "\n".join(blockers))


def _adopting_session(corpus: Corpus, paper_id: str, number: str, session: str | None) -> str:
    """The session to name for the version: the one given (it must exist) or the one in the minutes."""
    ids = [s.id for s in corpus.sessions]
    if session is not None:
        if session not in ids:
            raise UnknownSession(session, ids)
        return session
    adopting = [s.id for s in corpus.sessions
                if any(d.adopts and d.paper == paper_id and d.version == number for d in s.decisions)]
    return adopting[0] if len(adopting) == 1 else ""


def _refuse_if_older(existing: tuple[Version, ...], version: Version) -> None:
    if any(v.number == version.number for v in existing):
        raise ReleaseRefused(f"Die Version {version.number} ist schon freigegeben. Wählen Sie eine höhere "
                             "Versionsnummer.")
    latest = existing[-1] if existing else None
    if latest and version_key(version.number) < version_key(latest.number):
        raise ReleaseRefused(f"Die Version {version.number} ist niedriger als die letzte Version {latest.number}.")
    if latest and version.date < latest.date:
        raise ReleaseRefused(f"Das Datum {version.date} liegt vor der letzten Version {latest.number} "
                             f"({latest.date}).", exit_code=2)


def _hash_with(corpus: Corpus, paper_id: str, version: Version) -> str:
    """Content hash of the public draft as it will be with ``version`` as the latest version."""
    paper = corpus.papers[paper_id]
    future = dataclasses.replace(paper, versions=paper.versions + (version,))
    future_corpus = dataclasses.replace(corpus, papers={**corpus.papers, paper_id: future})
    return assemble(future_corpus, paper_id).content_hash


def _write_entry(root: Path, path: Path, original: bytes, paper_id: str, version: Version) -> Draft:
    """Append the entry to paper.yml, re-load and verify; restore the file on any mismatch."""
    fields = [("number", version.number), ("date", version.date)]
    if version.note:
        fields.append(("note", version.note))
    if version.session:
        fields.append(("sitzung", version.session))
    fields.append(("hash", version.hash))
    # Line ends as Python's text mode reads them; the file is rewritten with "\n".
    text = original.decode("utf-8").replace("\r\n", "\n").replace("\r", "\n")
    try:
        text = append_list_item(text, "versions", fields, insert_before=("editors", "license", "outline"))
    except YamlEditError as error:
        raise ReleaseRefused(f"paper.yml lässt sich nicht automatisch ergänzen: {error}") from None
    _replace(path, text.encode("utf-8"))
    try:
        reloaded = load(root)
        paper = reloaded.papers.get(paper_id)
        draft = assemble(reloaded, paper_id) if paper else None
    except BaseException:
        _restore(path, original)
        raise
    if paper is None or paper.latest_version != version or draft is None or draft.content_hash != version.hash:
        _restore(path, original)
        raise ReleaseRefused("Der Eintrag in paper.yml ließ sich nicht sicher schreiben; die Datei ist unverändert. "
                             "Tragen Sie die Version bitte von Hand unter versions: ein.")
    return draft


def _replace(path: Path, data: bytes) -> None:
    """Replace ``path`` in one step, keeping its permissions: never a half-written paper.yml."""
    mode = path.stat().st_mode & 0o7777
    write_atomic(path, data)
    path.chmod(mode)


def _restore(path: Path, original: bytes) -> None:
    """Put back the exact bytes ``path`` had before the release (if they are not there anyway)."""
    if path.read_bytes() != original:
        _replace(path, original)


def _commit_and_tag(root: Path, result: ReleaseResult, original: bytes, tag: str) -> None:
    """Commit paper.yml and tag the commit, or – if either fails – leave repository and file as they were."""
    previous = gitrepo.commit_of(root, "HEAD")
    message = f"Release {result.paper_id} {result.version.number}"
    lines = [f"{result.paper_id} – Version {result.version.number} vom {german_date(result.version.date)}"]
    if result.version.note:
        lines += ["", result.version.note]
    lines += ["", f"Inhalts-Prüfsumme (SHA-256): {result.version.hash}"]
    step = "Der Commit"
    try:
        result.commit = gitrepo.commit_file(root, result.paper_file, message)
        step = "Das Setzen des Git-Tags"
        gitrepo.annotated_tag(root, tag, "\n".join(lines), result.commit)
    except BaseException as error:
        undone = _roll_back(root, result, previous, original, tag, message)
        if not isinstance(error, gitrepo.GitError):
            raise
        if undone:
            raise ReleaseRefused(f"{step} der Freigabe ist fehlgeschlagen; die Freigabe wurde vollständig "
                                 f"zurückgenommen (paper.yml und Repository sind wie vorher). {error}") from None
        raise ReleaseRefused(f"{step} der Freigabe ist fehlgeschlagen, und sie ließ sich nicht ganz zurücknehmen: "
                             f"{error}\nPrüfen Sie mit „git log“, „git tag“ und „git status“, ob ein Commit "
                             f"„{message}“ oder das Tag „{tag}“ übrig ist, und entfernen Sie sie.") from None
    result.tag = tag


def _roll_back(root: Path, result: ReleaseResult, previous: str | None, original: bytes, tag: str,
               message: str) -> bool:
    """Take back what :func:`_commit_and_tag` did so far; False if something could not be taken back."""
    undone = True
    try:
        made = gitrepo.commit_of(root, "HEAD")
        if made and previous and made != previous:
            # Ours: the id commit_file returned, or (interrupted before it returned) parent and subject match.
            parent_and_subject = gitrepo.output(root, "log", "-1", "--format=%P %s", made)
            if made == result.commit or parent_and_subject == f"{previous} {message}":
                if gitrepo.commit_of(root, f"refs/tags/{tag}") == made:
                    gitrepo.delete_tag(root, tag)  # interrupted right after tagging
                gitrepo.undo_commit(root, made, previous, result.paper_file)
    except gitrepo.GitError:
        undone = False
    result.commit = ""
    try:
        _restore(result.paper_file, original)
    except OSError:
        undone = False
    return undone


def _git_hint(root: Path, paper_id: str, number: str, tag: str, dirty: list[str], use_git: bool) -> str:
    if not use_git:
        return ("Das Projekt ist kein Git-Repository (oder hat noch keinen Commit); die Version ist nur in paper.yml "
                "eingetragen. Ohne Git-Tag lässt sich diese Version später nicht aus dem Verlauf neu bauen – "
                "bewahren Sie die Dateien unter build/versions/ auf.")
    shown = ", ".join(dirty[:5]) + (" …" if len(dirty) > 5 else "")
    return (f"Kein Commit und kein Tag: Im Ordner contributions/ gibt es nicht eingecheckte Änderungen ({shown}). "
            "Das Tag muss auf einen Commit zeigen, der genau den freigegebenen Stand samt Eintrag in paper.yml "
            "enthält. Prüfen Sie die Änderungen und führen Sie dann aus:\n"
            f"    git add contributions\n"
            f"    git commit -m \"Release {paper_id} {number}\"\n"
            f"    git tag -a {tag} -m \"{paper_id} – Version {number}\"\n"
            "    git push --follow-tags")
