"""Check sessions, the traceability of released versions, and working material.

Called from :func:`redaktion.check.corpus.check`. The minutes' syntax is checked while loading
(:mod:`redaktion.source.minutes`); here every reference is followed: members, papers,
contributions, versions, the session a version names, and the material files on disk.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from ..model.lifecycle import version_key
from ..model import SESSION_ID_PATTERN, Contribution, Corpus, Diagnostic, Material, Paper, Position, matches, slugify
from ..model.errors import UnknownPaper, suggest
from ..source.material import MATERIAL_TYPES, MAX_MATERIAL_BYTES, SIGNATURES
from ..model.sessions import Decision, Session

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")


def check_sessions(corpus: Corpus) -> Iterator[Diagnostic]:
    """Every session and traceability problem of the corpus (material of papers included)."""
    for session in corpus.sessions:
        yield from _SessionCheck(corpus, session).run()
    for paper in corpus.papers.values():
        rel = _paper_rel(corpus, paper)
        yield from _check_versions(corpus, paper, rel)
        for material in paper.material:
            yield from check_material(corpus, material, rel)


class _SessionCheck:
    """The rules for one session file."""

    def __init__(self, corpus: Corpus, session: Session):
        self.corpus = corpus
        self.session = session
        self.rel = session.rel

    def at(self, where: Position | None, code: str, message: str, hint: str = "",
           severity: str = "error") -> Diagnostic:
        where = where or Position()
        return Diagnostic(self.rel, where.line, where.column, code, message, hint, severity)

    def field(self, name: str) -> Position | None:
        return self.session.positions.get(name)

    def run(self) -> Iterator[Diagnostic]:
        yield from self._name()
        yield from self._time_and_place()
        yield from self._members()
        yield from self._agenda()
        yield from self._minutes()
        for decision in self.session.decisions:
            yield from self._decision(decision)
        for task in self.session.tasks:
            yield from self._member(task.member, task.positions.get("Wer"), "die Aufgabe")
            yield from self._paper(task.paper, task.positions.get("Papier"))
            if task.due and task.due < self.session.date:
                yield self.at(task.positions.get("Bis"), "R322",
                              f"Die Aufgabe ist am {task.due} fällig, vor der Sitzung am {self.session.date}.",
                              "Das Datum unter „Bis:“ liegt nach der Sitzung, in der die Aufgabe vergeben wurde. "
                              "Prüfen Sie Jahr und Monat.")
        for material in self.session.material:
            yield from check_material(self.corpus, material, self.rel)
        if _EMAIL.search(self.session.results):
            yield self.at(self.field("ergebnisse"), "R330", "Die öffentliche Zusammenfassung (ergebnisse) enthält "
                          "eine E-Mail-Adresse.",
                          "Die Ergebnisse erscheinen auf der öffentlichen Website; nennen Sie dort keine "
                          "E-Mail-Adressen.")

    def _name(self) -> Iterator[Diagnostic]:
        session = self.session
        if not matches(SESSION_ID_PATTERN, session.id):
            yield self.at(Position(), "R301", f"Der Dateiname „{session.path.name}“ hat nicht die Form "
                          "JJJJ-MM-TT-ort.md.",
                          f"Benennen Sie die Datei z. B. in {session.date}-{slugify(session.place or 'online')}.md um.")
        elif not session.id.startswith(session.date):
            yield self.at(self.field("datum"), "R301", f"Das Datum {session.date} passt nicht zum Dateinamen "
                          f"„{session.path.name}“.",
                          "Der Dateiname beginnt mit dem Tag der Sitzung; korrigieren Sie das Datum oder den "
                          "Dateinamen.")

    def _time_and_place(self) -> Iterator[Diagnostic]:
        session = self.session
        if session.end <= session.start:
            yield self.at(self.field("ende"), "R304", f"Die Sitzung endet ({session.end} Uhr) nicht nach ihrem "
                          f"Beginn ({session.start} Uhr).", "Prüfen Sie „beginn“ und „ende“.")
        if session.online and session.place:
            yield self.at(self.field("ort"), "R303", "Eine Online-Sitzung hat keinen Ort.",
                          "Löschen Sie „ort“ oder „online: ja“.")
        elif not session.online and not session.place:
            yield self.at(Position(), "R303", "Die Sitzung hat weder einen Ort noch „online: ja“.",
                          "Ergänzen Sie „ort: Stadt“ oder „online: ja“.")
        if session.access and not session.online:
            yield self.at(self.field("zugang"), "R303", "Ein Zugangslink gehört nur zu einer Online-Sitzung.",
                          "Ergänzen Sie „online: ja“ oder löschen Sie „zugang“.", "warning")

    def _members(self) -> Iterator[Diagnostic]:
        session = self.session
        yield from self._member(session.host, self.field("gastgeber"), "„gastgeber“")
        for key, ids in (("eingeladen", session.invited), ("anwesend", session.attending)):
            for member in ids:
                yield from self._member(member, self.field(key), f"„{key}“")
        if session.invited:
            for member in session.attending:
                if member in self.corpus.members and member not in session.invited:
                    yield self.at(self.field("anwesend"), "R317",
                                  f"„{member}“ ist anwesend, steht aber nicht unter „eingeladen“.",
                                  "Ergänzen Sie das Mitglied unter „eingeladen“.", "warning")

    def _member(self, member: str, where: Position | None, what: str) -> Iterator[Diagnostic]:
        if member and member not in self.corpus.members:
            yield self.at(where, "R302", f"Unbekanntes Mitglied „{member}“ in {what}.",
                          suggest(member, list(self.corpus.members)) or
                          "Die Kurznamen stehen in contributions/members.yml.")

    def _paper(self, paper_id: str, where: Position | None) -> Iterator[Diagnostic]:
        if paper_id and paper_id not in self.corpus.papers:
            unknown = UnknownPaper(paper_id, self.corpus.papers)  # the command line's wording, as a diagnostic
            yield self.at(where, "R305", unknown.message, unknown.hint)

    def _agenda(self) -> Iterator[Diagnostic]:
        for item in self.session.agenda:
            where = item.positions
            yield from self._member(item.responsible, where.get("verantwortlich"), f"TOP {item.number}")
            for paper_id in item.papers:
                yield from self._paper(paper_id, where.get("papiere"))
            for reference in item.rounds:
                paper_id, _, round_id = reference.partition("/")
                if not round_id or not re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", round_id):
                    yield self.at(where.get("runden"), "R305", f"„{reference}“ ist keine Angabe der Form "
                                  "papier/runde.", "z. B. engagement-partizipation/runde-1")
                else:
                    yield from self._paper(paper_id, where.get("runden"))
            for reference in item.contributions:
                yield from self._contribution(reference, item.papers, where.get("beitraege"))

    def _contribution(self, reference: str, papers: tuple[str, ...], where: Position | None) -> Iterator[Diagnostic]:
        found = resolve_contribution(self.corpus, reference, papers)
        if len(found) == 1:
            return
        if found:
            names = ", ".join(f"{c.paper}/{c.id}" for c in found)
            yield self.at(where, "R306", f"Den Beitrag „{reference}“ gibt es in mehreren Papieren ({names}).",
                          "Schreiben Sie „papier/mitglied--kurzname“.")
            return
        ids = sorted({c.id for c in self.corpus.contributions})
        yield self.at(where, "R306", f"Den Beitrag „{reference}“ gibt es nicht.",
                      suggest(reference.rpartition("/")[2], ids) or
                      "Nennen Sie den Dateinamen des Beitrags ohne „.md“, z. B. stuttgart--bildungsbuero.")

    def _minutes(self) -> Iterator[Diagnostic]:
        session = self.session
        seen: set[int] = set()
        for section in session.minutes:
            where = Position(section.line, 1)
            if session.agenda_item(section.number) is None:
                yield self.at(where, "R318", f"TOP {section.number} steht nicht auf der Tagesordnung "
                              f"(sie hat {len(session.agenda)} Punkte).",
                              "Die Nummer eines TOP ist seine Position unter „tagesordnung“.")
            elif section.number in seen:
                yield self.at(where, "R318", f"Zu TOP {section.number} gibt es zwei Abschnitte im Protokoll.",
                              "Fassen Sie das Protokoll eines Punkts in einem Abschnitt zusammen.")
            seen.add(section.number)
        if session.minutes:
            for item in session.agenda:
                if item.number not in seen:
                    yield self.at(item.position, "R319", f"Zu TOP {item.number} („{item.title}“) fehlt das "
                                  "Protokoll.", f"Ergänzen Sie einen Abschnitt „## TOP {item.number}: …“, "
                                  "auch wenn er nur einen Satz enthält.", "warning")

    def _decision(self, decision: Decision) -> Iterator[Diagnostic]:
        where = decision.positions
        yield from self._paper(decision.paper, where.get("Papier"))
        votes, attending = decision.votes, self.session.attending
        if votes is not None and attending and votes.total > len(attending):
            yield self.at(where.get("Abstimmung"), "R321", f"Es wurden {votes.total} Stimmen gezählt, aber nur "
                          f"{len(attending)} Mitglieder sind anwesend.",
                          "Prüfen Sie das Abstimmungsergebnis und die Liste unter „anwesend“.")
        paper = self.corpus.papers.get(decision.paper)
        if paper is None or not decision.version:
            return
        version = next((v for v in paper.versions if v.number == decision.version), None)
        released = [v.number for v in paper.versions]
        if version is None:
            latest = paper.latest_version
            if latest is None or version_key(decision.version) > version_key(latest.number):
                yield self.at(where.get("Version"), "R320", f"Version {decision.version} von „{paper.id}“ ist noch "
                              "nicht freigegeben.",
                              f"Geben Sie sie frei mit „redaktion release {paper.id} {decision.version} --sitzung "
                              f"{self.session.id}“.", "warning")
            else:
                yield self.at(where.get("Version"), "R320", f"Die Version {decision.version} von „{paper.id}“ gibt "
                              "es nicht.", "Freigegebene Versionen: " + ", ".join(released) + ".")
        elif decision.adopts and version.session and version.session != self.session.id:
            yield self.at(where.get("Version"), "R325", f"Version {decision.version} von „{paper.id}“ nennt in "
                          f"paper.yml die Sitzung „{version.session}“, beschlossen wurde sie laut Protokoll hier.",
                          f"Schreiben Sie in paper.yml bei Version {decision.version} „sitzung: {self.session.id}“ "
                          "oder korrigieren Sie den Beschluss.")


def resolve_contribution(corpus: Corpus, reference: str, papers: tuple[str, ...] = ()) -> list[Contribution]:
    """The contributions a reference ``member--slug`` or ``paper/member--slug`` may mean.

    Without a paper, contributions of ``papers`` (the agenda item's) are preferred.
    """
    paper_id, _, contribution_id = reference.rpartition("/")
    found = [c for c in corpus.contributions if c.id == contribution_id and (not paper_id or c.paper == paper_id)]
    preferred = [c for c in found if c.paper in papers]
    return preferred if len(preferred) == 1 else found


# --- versions and the session that adopted them ----------------------------------------------


def _check_versions(corpus: Corpus, paper: Paper, rel: str) -> Iterator[Diagnostic]:
    sessions = {s.id: s for s in corpus.sessions}
    for index, version in enumerate(paper.versions):
        pos = paper.positions.get(f"versions.{index}") or Position()
        adopting = [s for s in corpus.sessions
                    if any(d.adopts and d.paper == paper.id and d.version == version.number for d in s.decisions)]
        # A version released as the draft of a consultation round is not adopted by a session.
        if not version.session and any(r.version == version.number for r in paper.rounds):
            continue
        if not version.session:
            hint = (f"Laut Protokoll wurde sie in der Sitzung „{adopting[0].id}“ verabschiedet: Ergänzen Sie "
                    f"„sitzung: {adopting[0].id}“." if adopting else
                    "Ergänzen Sie „sitzung: JJJJ-MM-TT-ort“ (die Sitzungsdatei unter contributions/sitzungen/), "
                    "damit nachvollziehbar ist, wo die Version verabschiedet wurde.")
            yield Diagnostic(rel, pos.line, pos.column, "R324",
                             f"Die Version {version.number} nennt keine Sitzung, in der sie verabschiedet wurde.",
                             hint, "warning")
        elif version.session not in sessions:
            yield Diagnostic(rel, pos.line, pos.column, "R323",
                             f"Die Version {version.number} nennt die Sitzung „{version.session}“, die es "
                             "nicht gibt.",
                             suggest(version.session, list(sessions)) or
                             "Sitzungen sind Dateien unter contributions/sitzungen/ (Name ohne „.md“).")
        elif sessions[version.session] not in adopting:
            yield Diagnostic(rel, pos.line, pos.column, "R326",
                             f"Im Protokoll der Sitzung „{version.session}“ steht kein Beschluss, der Version "
                             f"{version.number} verabschiedet.",
                             "Ergänzen Sie dort einen Beschluss mit „Art: verabschiedung“, "
                             f"„Papier: {paper.id}“ und „Version: {version.number}“.", "warning")


# --- working material -------------------------------------------------------------------------


def check_material(corpus: Corpus, material: Material, rel: str) -> Iterator[Diagnostic]:
    """Source member, file or link, type, size and public wording of one piece of material."""
    where = material.positions

    def at(key: str, code: str, message: str, hint: str) -> Diagnostic:
        pos = where.get(key) or material.position
        return Diagnostic(rel, pos.line, pos.column, code, message, hint)

    if material.source not in corpus.members:
        yield at("quelle", "R302", f"Unbekanntes Mitglied „{material.source}“ als Quelle des Materials.",
                 suggest(material.source, list(corpus.members)) or "Die Kurznamen stehen in contributions/members.yml.")
    if material.public and (_EMAIL.search(material.title) or _EMAIL.search(material.description)):
        yield at("titel", "R330", "Öffentliches Material nennt eine E-Mail-Adresse.",
                 "Titel und Beschreibung erscheinen auf der öffentlichen Website; lassen Sie die Adresse weg.")
    if bool(material.file) == bool(material.link):
        yield at("titel", "R327", f"Das Material „{material.title}“ braucht entweder „datei“ oder „link“.",
                 "Eine Datei liegt neben der Sitzungsdatei bzw. der paper.yml (z. B. material/vortrag.pdf); "
                 "alles andere wird mit „link: https://…“ verlinkt.")
        return
    if material.file:
        problem = material_file_problem(corpus.root, material)
        if problem:
            code, message, hint = problem
            yield at("datei", code, message, hint)


def material_file_problem(root: Path, material: Material) -> tuple[str, str, str] | None:
    """(code, message, hint) when the file of ``material`` cannot be published, else None."""
    folder = (root / material.folder).resolve()
    path = (folder / material.file).resolve()
    name = material.file
    if not path.is_relative_to(folder):
        return ("R327", f"Die Datei „{name}“ liegt außerhalb des Ordners.",
                "Legen Sie das Material in den Ordner material/ neben der Datei, die es nennt.")
    if not path.is_file():
        return ("R327", f"Die Datei „{name}“ gibt es nicht.",
                "Prüfen Sie Dateinamen und Groß-/Kleinschreibung; der Pfad gilt ab dem Ordner der Datei, die das "
                "Material nennt.")
    suffix = path.suffix.lower()
    if suffix not in MATERIAL_TYPES:
        allowed = ", ".join(sorted({label for label in MATERIAL_TYPES.values()}))
        return ("R328", f"Der Dateityp „{suffix or 'ohne Endung'}“ ist für Material nicht erlaubt.",
                f"Erlaubt sind {allowed}. Andere Inhalte verlinken Sie mit „link: https://…“.")
    size = path.stat().st_size
    if size > MAX_MATERIAL_BYTES:
        megabytes = f"{size / 1024 / 1024:.1f}".replace(".", ",")
        return ("R329", f"Die Datei „{name}“ ist mit {megabytes} MB zu groß.",
                f"Material darf höchstens {MAX_MATERIAL_BYTES // 1024 // 1024} MB groß sein. Verkleinern Sie die "
                "Datei (z. B. Bilder komprimieren) oder legen Sie sie auf einen Dateiserver und verlinken Sie sie.")
    with path.open("rb") as handle:
        head = handle.read(65536)
    signature = SIGNATURES.get(suffix)
    if signature and not head.startswith(signature):
        return ("R328", f"Die Datei „{name}“ ist keine gültige {MATERIAL_TYPES[suffix]}-Datei.",
                "Die Endung passt nicht zum Inhalt. Exportieren Sie die Datei neu aus dem Programm, das sie "
                "erstellt hat.")
    if suffix == ".csv":
        try:
            head.decode("utf-8")
        except UnicodeDecodeError as error:
            if error.start < len(head) - 4:  # not just a character cut off at the end of the sample
                return ("R328", f"Die Datei „{name}“ ist nicht in UTF-8 gespeichert.",
                        "Speichern Sie die Tabelle als „CSV UTF-8“.")
    return None


def _paper_rel(corpus: Corpus, paper: Paper) -> str:
    try:
        return paper.path.resolve().relative_to(corpus.root).as_posix()
    except ValueError:
        return paper.path.as_posix()
