"""Read the minutes in the body of a session file: sections per agenda item, decisions, tasks.

The syntax (documented in ``docs/sitzungen-anleitung.md``)::

    ## TOP 2: Positionspapier Kommunales Bildungsmanagement

    Freier Text in Markdown …

    Beschluss: Der Qualitätszirkel verabschiedet das Positionspapier in der Fassung 1.0.
      Art: verabschiedung
      Papier: bildungsmanagement
      Version: 1.0
      Abstimmung: 9 dafür, 0 dagegen, 1 Enthaltung

    Aufgabe: Fassung 1.0 an alle Mitglieder versenden.
      Wer: stuttgart
      Bis: 2009-12-18
      Stand: erledigt

A ``Beschluss:`` or ``Aufgabe:`` line starts at the beginning of a line; the indented
``Feld: Wert`` lines below it belong to it, other indented lines continue its text; a blank
line ends it. Everything else is free text. This module checks the syntax (fields, dates,
states, votes) and reports problems at file line and column; references to members, papers
and versions are checked in :mod:`redaktion.check.sessions`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..model import VERSION_PATTERN, Diagnostic, Position, is_iso_date
from ..model.errors import suggest
from ..model.sessions import (
    DECISION_KEYS,
    DECISION_KINDS,
    TASK_KEYS,
    TASK_STATES,
    Decision,
    MinutesPart,
    MinutesSection,
    Task,
    TextPart,
    Votes,
)

_TOP = re.compile(r"^##[ \t]+TOP[ \t]+(\d+)[ \t]*(?:[:.–—-][ \t]*(.*?))?[ \t]*$")
_HEADING = re.compile(r"^(#{1,6})[ \t]+\S")
_BLOCK = re.compile(r"^(Beschluss|Aufgabe):[ \t]*(.*?)[ \t]*$")
_FIELD = re.compile(r"^[ \t]+([A-Za-zÄÖÜäöüß]+):[ \t]*(.*?)[ \t]*$")
# Lines meant as a decision or task that the syntax does not recognise ("**Beschluss:**", "- Aufgabe:").
_LOOKALIKE = re.compile(r"^[ \t>*_+-]*(Beschluss|Aufgabe)([ \t]*\d+)?[ \t*_]*:", re.IGNORECASE)
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
_UNANIMOUS = re.compile(r"^einstimmig(?:\s+bei\s+(\d+)\s+Enthaltung(?:en)?)?$", re.IGNORECASE)
_COUNT = re.compile(r"(\d+)\s+(dafür|ja|dagegen|nein|Enthaltung(?:en)?)", re.IGNORECASE)


@dataclass(frozen=True)
class Minutes:
    """What the body holds: text before the first agenda item and the sections."""

    preamble: str
    sections: tuple[MinutesSection, ...]


@dataclass
class _Block:
    """A decision or task while its lines are read."""

    kind: str  # "Beschluss" or "Aufgabe"
    line: int
    text: list[str]
    fields: dict[str, str] = field(default_factory=dict)
    positions: dict[str, Position] = field(default_factory=dict)


class _Reader:
    """Line by line through the body; collects sections and diagnostics."""

    def __init__(self, rel: str, body_line: int):
        self.rel = rel
        self.body_line = body_line
        self.diagnostics: list[Diagnostic] = []
        self.preamble: list[str] = []
        self.sections: list[MinutesSection] = []
        self.top: tuple[int, str, int] | None = None  # number, title, line of the current section
        self.parts: list[MinutesPart] = []
        self.text: list[str] = []
        self.text_line = 0
        self.block: _Block | None = None
        self.decisions = 0

    # --- diagnostics ----------------------------------------------------------------------

    def error(self, line: int, column: int, code: str, message: str, hint: str, severity: str = "error") -> None:
        self.diagnostics.append(Diagnostic(self.rel, line, column, code, message, hint, severity))

    # --- reading --------------------------------------------------------------------------

    def read(self, body: str) -> Minutes:
        fence = ""
        # Comments (e.g. the guide that `redaktion new --sitzung` writes) are blanked line by line,
        # so that line numbers stay right; pandoc would otherwise print them as text.
        body = _COMMENT.sub(lambda m: "\n" * m.group(0).count("\n"), body)
        for index, line in enumerate(body.split("\n")):
            lineno = self.body_line + index
            match = _FENCE.match(line)
            if fence or match:
                self._close_block()
                if fence and match and match.group(1)[0] == fence[0] and len(match.group(1)) >= len(fence):
                    fence = ""
                elif not fence:
                    fence = match.group(1)
                self._text(line, lineno)
                continue
            if self.block is not None and line[:1] in (" ", "\t") and line.strip():
                self._block_line(line, lineno)
                continue
            self._close_block()
            self._line(line, lineno)
        self._close_block()
        self._close_section()
        return Minutes("\n".join(self.preamble).strip(), tuple(self.sections))

    def _line(self, line: str, lineno: int) -> None:
        top = _TOP.match(line)
        if top:
            self._close_section()
            self.top = (int(top.group(1)), (top.group(2) or "").strip(), lineno)
            return
        heading = _HEADING.match(line)
        if heading and len(heading.group(1)) <= 2:
            self.error(lineno, 1, "R308", "Überschriften der ersten und zweiten Ebene sind im Protokoll den "
                       "Tagesordnungspunkten vorbehalten.",
                       "Beginnen Sie das Protokoll eines Punkts mit „## TOP 2: Titel“ (die Nummer aus der "
                       "Tagesordnung); Zwischenüberschriften darin schreiben Sie mit „### “.")
        block = _BLOCK.match(line)
        if block:
            self._flush_text()
            self.block = _Block(block.group(1), lineno, [block.group(2)] if block.group(2) else [])
            if self.top is None:
                self.error(lineno, 1, "R309", f"Der {block.group(1)} steht vor dem ersten Tagesordnungspunkt.",
                           "Beschlüsse und Aufgaben gehören zu einem Tagesordnungspunkt: Setzen Sie darüber eine "
                           "Zeile „## TOP 1: …“.")
            return
        lookalike = _LOOKALIKE.match(line)
        if lookalike:
            word = lookalike.group(1).capitalize()
            self.error(lineno, 1, "R307", f"Diese Zeile sieht wie ein {word} aus, wird aber nicht als solcher "
                       "erkannt und erscheint nur als Text.",
                       f"Schreiben Sie „{word}: …“ am Anfang der Zeile, ohne Aufzählungszeichen, Fettdruck oder "
                       "Nummer; die Angaben dazu eingerückt darunter.", "warning")
        self._text(line, lineno)

    def _text(self, line: str, lineno: int) -> None:
        if self.top is None:
            self.preamble.append(line)
            return
        if not self.text:
            if not line.strip():
                return
            self.text_line = lineno
        self.text.append(line)

    def _flush_text(self) -> None:
        markdown = "\n".join(self.text).strip()
        if markdown:
            self.parts.append(TextPart(markdown + "\n", self.text_line))
        self.text = []

    def _close_section(self) -> None:
        self._flush_text()
        if self.top is not None:
            number, title, line = self.top
            self.sections.append(MinutesSection(number, title, tuple(self.parts), line))
        self.parts = []

    # --- decisions and tasks --------------------------------------------------------------

    def _block_line(self, line: str, lineno: int) -> None:
        assert self.block is not None
        keys = DECISION_KEYS if self.block.kind == "Beschluss" else TASK_KEYS
        match = _FIELD.match(line)
        canonical = {k.casefold(): k for k in keys}
        if match is None or (match.group(1).casefold() not in canonical and not match.group(1)[0].isupper()):
            self.block.text.append(line.strip())  # a continuation of the text
            return
        key, value = canonical.get(match.group(1).casefold(), match.group(1)), match.group(2)
        column = match.start(2) + 1
        if key not in keys:
            self.error(lineno, match.start(1) + 1, "R310", f"Unbekannte Angabe „{key}“ beim {self.block.kind}.",
                       suggest(key, keys) or "Möglich sind: " + ", ".join(keys) + ".")
        elif key in self.block.fields:
            self.error(lineno, match.start(1) + 1, "R310", f"Die Angabe „{key}“ steht doppelt.",
                       "Jede Angabe gehört einmal zu einem Beschluss oder einer Aufgabe.")
        else:
            self.block.fields[key] = value
            self.block.positions[key] = Position(lineno, column)

    def _close_block(self) -> None:
        block, self.block = self.block, None
        if block is None or self.top is None:
            return
        text = " ".join(part.strip() for part in block.text).strip()
        if not text:
            what = "beschlossen wurde" if block.kind == "Beschluss" else "zu tun ist"
            self.error(block.line, 1, "R311", f"Der {block.kind} hat keinen Text.",
                       f"Schreiben Sie in dieselbe Zeile, was {what}: „{block.kind}: …“.")
        if block.kind == "Beschluss":
            self.parts.append(self._decision(block, text))
        else:
            self.parts.append(self._task(block, text))

    def _decision(self, block: _Block, text: str) -> Decision:
        values, at = block.fields, block.positions
        kind = values.get("Art", "beschluss") or "beschluss"
        if kind not in DECISION_KINDS:
            self._bad(at["Art"], "R312", f"„{kind}“ ist keine Art von Beschluss.",
                      suggest(kind, DECISION_KINDS) or "Möglich sind: " + ", ".join(DECISION_KINDS) + ".")
            kind = "beschluss"
        version = values.get("Version", "")
        if version and not re.fullmatch(VERSION_PATTERN.strip("^$"), version):
            self._bad(at["Version"], "R312", f"„{version}“ ist keine Versionsnummer.", "z. B. Version: 1.0")
            version = ""
        if version and not values.get("Papier"):
            self._bad(at["Version"], "R313", "Der Beschluss nennt eine Version, aber kein Papier.",
                      "Ergänzen Sie eine Zeile „Papier: …“ mit dem Kurznamen des Papiers.")
        if kind == "verabschiedung" and not (values.get("Papier") and version):
            self.error(block.line, 1, "R313", "Eine Verabschiedung braucht ein Papier und eine Version.",
                       "Ergänzen Sie eingerückt „Papier: …“ und „Version: 1.0“.")
        votes = None
        if values.get("Abstimmung"):
            votes = parse_votes(values["Abstimmung"])
            if votes is None:
                self._bad(at["Abstimmung"], "R314", f"Das Abstimmungsergebnis „{values['Abstimmung']}“ ist nicht "
                          "lesbar.", "Schreiben Sie „einstimmig“, „einstimmig bei 1 Enthaltung“ oder "
                          "„9 dafür, 0 dagegen, 1 Enthaltung“.")
        self.decisions += 1
        return Decision(self.decisions, self.top[0] if self.top else 0, text, kind, values.get("Papier", ""),
                        version, values.get("Runde", ""), votes, block.line, dict(at))

    def _task(self, block: _Block, text: str) -> Task:
        values, at = block.fields, block.positions
        if not values.get("Wer"):
            self.error(block.line, 1, "R311", "Die Aufgabe nennt niemanden, der sie erledigt.",
                       "Ergänzen Sie eingerückt „Wer: …“ mit dem Kurznamen des Mitglieds aus members.yml.")
        due = values.get("Bis", "")
        if due and not is_iso_date(due):
            self._bad(at["Bis"], "R315", f"„{due}“ ist kein gültiges Datum.",
                      "Schreiben Sie das Datum in der Form JJJJ-MM-TT, z. B. Bis: 2010-03-31.")
            due = ""
        state = values.get("Stand", "offen") or "offen"
        if state not in TASK_STATES:
            self._bad(at["Stand"], "R316", f"„{state}“ ist kein Stand einer Aufgabe.",
                      suggest(state, TASK_STATES) or "Möglich sind: " + ", ".join(TASK_STATES) + ".")
            state = "offen"
        return Task(self.top[0] if self.top else 0, text, values.get("Wer", ""), due, state,
                    values.get("Papier", ""), block.line, dict(at))

    def _bad(self, where: Position, code: str, message: str, hint: str) -> None:
        self.error(where.line, where.column, code, message, hint)


def parse_votes(text: str) -> Votes | None:
    """„einstimmig“, „einstimmig bei 2 Enthaltungen“ or counts like „9 dafür, 0 dagegen, 1 Enthaltung“."""
    text = " ".join(text.split())
    unanimous = _UNANIMOUS.match(text)
    if unanimous:
        return Votes(None, 0, int(unanimous.group(1) or 0))
    counts = {"yes": 0, "no": 0, "abstain": 0}
    rest = _COUNT.sub("", text)
    if re.sub(r"[\s,;]", "", rest):
        return None
    found = _COUNT.findall(text)
    if not found:
        return None
    for number, label in found:
        key = {"dafür": "yes", "ja": "yes", "dagegen": "no", "nein": "no"}.get(label.casefold(), "abstain")
        counts[key] += int(number)
    return Votes(counts["yes"], counts["no"], counts["abstain"])


def read_minutes(body: str, rel: str, body_line: int) -> tuple[Minutes, list[Diagnostic]]:
    """The minutes in ``body`` (starting at file line ``body_line``) and the syntax problems found."""
    reader = _Reader(rel, body_line)
    minutes = reader.read(body)
    return minutes, reader.diagnostics
