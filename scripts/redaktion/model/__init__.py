"""The domain model: members, papers, contributions, diagnostics and the assembled draft.

Plain data only. This module knows nothing of files, renderers or the terminal. The
``*_FIELDS`` tables declare every YAML field once; the JSON Schema (``schema.py``), the
checks (``check.py``) and the field reference in the contributor guide are derived from them.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import RedaktionError

if TYPE_CHECKING:  # the session model builds on this module; imported for annotations only
    from .sessions import Session

# --- vocabularies -------------------------------------------------------------------------

MEMBER_TYPES = ("stadt", "landkreis", "bund", "verband", "wissenschaft", "stiftung")
MEMBER_TYPE_LABELS = {
    "stadt": "Städte",
    "landkreis": "Landkreise",
    "bund": "Bundeseinrichtungen",
    "verband": "Verbände",
    "wissenschaft": "Wissenschaft",
    "stiftung": "Stiftungen",
}
LAENDER = (
    "Baden-Württemberg", "Bayern", "Berlin", "Brandenburg", "Bremen", "Hamburg", "Hessen",
    "Mecklenburg-Vorpommern", "Niedersachsen", "Nordrhein-Westfalen", "Rheinland-Pfalz",
    "Saarland", "Sachsen", "Sachsen-Anhalt", "Schleswig-Holstein", "Thüringen", "Bund",
)
PAPER_KINDS = ("positionspapier", "handlungsempfehlungen", "protokoll", "arbeitsmaterial")
PAPER_KIND_LABELS = {
    "positionspapier": "Positionspapier",
    "handlungsempfehlungen": "Handlungsempfehlungen",
    "protokoll": "Protokoll",
    "arbeitsmaterial": "Arbeitsmaterial",
}
PAPER_STATUSES = ("entwurf", "abstimmung", "final", "veroeffentlicht")
PAPER_STATUS_LABELS = {
    "entwurf": "Entwurf",
    "abstimmung": "In Abstimmung",
    "final": "Final",
    "veroeffentlicht": "Veröffentlicht",
}
PUBLIC_PAPER_STATUSES = ("final", "veroeffentlicht")
CONTRIBUTION_KINDS = ("text", "praxisbeispiel", "empfehlung", "stellungnahme", "daten")
CONTRIBUTION_KIND_LABELS = {
    "text": "Text",
    "praxisbeispiel": "Praxisbeispiel",
    "empfehlung": "Empfehlung",
    "stellungnahme": "Stellungnahme",
    "daten": "Daten",
}
CONTRIBUTION_STATUSES = ("eingereicht", "in-pruefung", "angenommen", "abgelehnt", "zurueckgezogen")
CONTRIBUTION_STATUS_LABELS = {
    "eingereicht": "Eingereicht",
    "in-pruefung": "In Prüfung",
    "angenommen": "Angenommen",
    "abgelehnt": "Abgelehnt",
    "zurueckgezogen": "Zurückgezogen",
}
# Consultation rounds (Kommentierungsrunden) and the comments members write in them.
ROUND_STATES = ("offen", "geschlossen")
ROUND_STATE_LABELS = {"offen": "Offen", "geschlossen": "Geschlossen"}
COMMENT_KINDS = ("aenderung", "ergaenzung", "streichung", "anmerkung", "grundsaetzlich")
COMMENT_KIND_LABELS = {
    "aenderung": "Änderung",
    "ergaenzung": "Ergänzung",
    "streichung": "Streichung",
    "anmerkung": "Anmerkung",
    "grundsaetzlich": "Grundsätzliche Anmerkung",
}
PROPOSAL_KINDS = ("aenderung", "ergaenzung")  # kinds that carry a proposed wording (vorschlag)
DECISIONS = ("offen", "uebernommen", "teilweise", "nicht-uebernommen", "erledigt")
DECISION_LABELS = {
    "offen": "Offen",
    "uebernommen": "Übernommen",
    "teilweise": "Teilweise übernommen",
    "nicht-uebernommen": "Nicht übernommen",
    "erledigt": "Erledigt",
}
VOTES = ("zustimmung", "enthaltung", "vorbehalt")
VOTE_LABELS = {"zustimmung": "Zustimmung", "enthaltung": "Enthaltung", "vorbehalt": "Vorbehalt"}
LICENSES = ("CC-BY-4.0", "CC-BY-SA-4.0", "CC0-1.0", "dl-de/by-2-0", "dl-de/zero-2-0")
LICENSE_LABELS = {
    "CC-BY-4.0": "Creative Commons Namensnennung 4.0 International (CC BY 4.0)",
    "CC-BY-SA-4.0": "Creative Commons Namensnennung – Weitergabe unter gleichen Bedingungen 4.0 "
                    "International (CC BY-SA 4.0)",
    "CC0-1.0": "Creative Commons CC0 1.0 Universell (gemeinfrei)",
    "dl-de/by-2-0": "Datenlizenz Deutschland – Namensnennung – Version 2.0",
    "dl-de/zero-2-0": "Datenlizenz Deutschland – Zero – Version 2.0",
}
LICENSE_URLS = {
    "CC-BY-4.0": "https://creativecommons.org/licenses/by/4.0/deed.de",
    "CC-BY-SA-4.0": "https://creativecommons.org/licenses/by-sa/4.0/deed.de",
    "CC0-1.0": "https://creativecommons.org/publicdomain/zero/1.0/deed.de",
    "dl-de/by-2-0": "https://www.govdata.de/dl-de/by-2-0",
    "dl-de/zero-2-0": "https://www.govdata.de/dl-de/zero-2-0",
}
# Prefixes of official names left out where space is short (chart labels, data tables).
NAME_PREFIXES = ("Freie und Hansestadt ", "Freie Hansestadt ", "Landeshauptstadt ", "Universitätsstadt ",
                 "Hansestadt ", "Große Kreisstadt ", "Stadt ")

# Patterns of ids and other values that end up in paths, tags and addresses. They are written
# for JSON Schema too (hence ^…$); in Python, test them only with :func:`matches`.
SLUG_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"
DATE_PATTERN = r"^\d{4}-\d{2}-\d{2}$"
VERSION_PATTERN = r"^\d+\.\d+$"
HASH_PATTERN = r"^[0-9a-f]{64}$"  # SHA-256 as `redaktion release` writes it (Draft.content_hash)


def matches(pattern: str, value: object) -> bool:
    """True when all of ``value`` has the form ``pattern``.

    ``re.match`` with ``$`` lets a trailing newline through (``"1.0\\n"``) and ``\\d`` would
    take any Unicode digit; both would reach file names and git tags.
    """
    return isinstance(value, str) and re.fullmatch(pattern, value, re.ASCII) is not None


# A session (Sitzung) is named by its file: date and place, e.g. "2009-12-10-stuttgart".
SESSION_ID_PATTERN = r"^\d{4}-\d{2}-\d{2}(-[a-z0-9]+)+$"
YES_NO = ("ja", "nein")
# Working material may be shared without an open licence (e.g. a member's slides).
MATERIAL_LICENSES = (*LICENSES, "alle-rechte-vorbehalten")
MATERIAL_LICENSE_LABELS = {**LICENSE_LABELS, "alle-rechte-vorbehalten": "Alle Rechte vorbehalten"}
# A relative path below the listing file's folder: no absolute paths, no "..", no hidden files.
MATERIAL_PATH_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._-]*(/[A-Za-z0-9][A-Za-z0-9._-]*)*$"


# --- field declarations -------------------------------------------------------------------


@dataclass(frozen=True)
class FieldSpec:
    """One YAML field: its type, constraints and German documentation.

    ``type`` is one of ``str``, ``int``, ``date``, ``time`` (a clock time ``HH:MM``),
    ``list[str]``, ``list[object]``, ``object`` (a nested mapping whose fields are ``items``),
    ``authors`` (names, optionally with an internal e-mail address).
    """

    name: str
    type: str
    doc: str
    required: bool = False
    enum: tuple[str, ...] = ()
    pattern: str = ""
    items: tuple["FieldSpec", ...] = ()  # fields of an ``object`` or of the objects in a ``list[object]``
    example: Any = None


MEMBER_FIELDS = (
    FieldSpec("id", "str", "Kurzname des Mitglieds (nur a–z, 0–9 und Bindestrich), z. B. `muenchen`.",
              required=True, pattern=SLUG_PATTERN, example="muenchen"),
    FieldSpec("name", "str", "Offizieller Name, z. B. „Landeshauptstadt München“.", required=True),
    FieldSpec("type", "str", "Art des Mitglieds.", required=True, enum=MEMBER_TYPES),
    FieldSpec("land", "str", "Bundesland (bei Bundeseinrichtungen „Bund“).", required=True, enum=LAENDER),
    FieldSpec("website", "str", "Öffentliche Website (https://…).", pattern=r"^https://\S+$"),
    FieldSpec("contact", "str", "Öffentlich genannte Stelle, z. B. „Stabsstelle Integration“ "
              "(keine persönliche E-Mail-Adresse)."),
)

TOPIC_FIELDS = (
    FieldSpec("id", "str", "Kurzname des Themas, wie Beiträge ihn unter `tags` nennen.", required=True,
              pattern=SLUG_PATTERN),
    FieldSpec("label", "str", "Anzeigename auf der Website, z. B. „Frühe Bildung“.", required=True),
)

FORGES = ("gitlab", "github")

REPOSITORY_FIELDS = (
    FieldSpec("url", "str", "Adresse des Repositorys im Browser, z. B. „https://gitlab.opencode.de/zirkel/papiere“.",
              required=True, pattern=r"^https://\S+$"),
    FieldSpec("branch", "str", "Branch, in den Kommentare eingereicht werden (ohne Angabe „main“)."),
    FieldSpec("art", "str", "„gitlab“ oder „github“ (ohne Angabe: „github“ für github.com, sonst „gitlab“).",
              enum=FORGES),
)

PUBLISHER_FIELDS = (
    FieldSpec("name", "str", "Name des Gremiums, das die Papiere herausgibt.", required=True,
              example="Kommunaler Qualitätszirkel für Integrationspolitik"),
    FieldSpec("short_name", "str", "Kurzform für Kopfzeilen, z. B. „Qualitätszirkel Integrationspolitik“."),
    FieldSpec("office", "str", "Koordinierende Stelle (Geschäftsstelle), z. B. „Landeshauptstadt Stuttgart – "
              "Abteilung Integrationspolitik“.", required=True),
    FieldSpec("place", "str", "Ort der Herausgabe für Zitiervorschläge, z. B. „Stuttgart“.", required=True),
    FieldSpec("sample", "bool", "`true`, solange die Texte Beispieltexte sind: Website und PDF weisen "
              "dann sichtbar darauf hin."),
    FieldSpec("topics", "list[object]", "Themen, nach denen Praxisbeispiele gefiltert werden; Beiträge "
              "verwenden ihre Kurznamen unter `tags`.", items=TOPIC_FIELDS),
    FieldSpec("website", "str", "Adresse der öffentlichen Website (https://…/). PDF und DOCX verlinken darauf, "
              "z. B. auf die Sitzung, in der eine Version verabschiedet wurde.", pattern=r"^https://\S+$",
              example="https://qualitaetszirkel.example.org/"),
    FieldSpec("repository", "object", "Das Repository der Inhalte: Die interne Website bietet dann zu jedem "
              "Absatz „Kommentar schreiben“ im Web-Editor an, solange eine Kommentierungsrunde offen ist.",
              items=REPOSITORY_FIELDS),
)

OUTLINE_FIELDS = (
    FieldSpec("id", "str", "Kurzname des Abschnitts, auf den sich Beiträge mit `section` beziehen.",
              required=True, pattern=SLUG_PATTERN),
    FieldSpec("title", "str", "Überschrift des Abschnitts.", required=True),
    FieldSpec("intro", "str", "Einleitender Text der Redaktion (Markdown)."),
)

VERSION_FIELDS = (
    FieldSpec("number", "str", "Versionsnummer, z. B. „1.0“.", required=True, pattern=VERSION_PATTERN),
    FieldSpec("date", "date", "Datum der Freigabe (JJJJ-MM-TT).", required=True),
    FieldSpec("note", "str", "Was sich in dieser Version geändert hat."),
    FieldSpec("hash", "str", "Prüfsumme des eingefrorenen Inhalts: 64 Zeichen aus 0–9 und a–f (trägt "
              "`redaktion release` ein; nicht von Hand ändern).", pattern=HASH_PATTERN),
    FieldSpec("sitzung", "str", "Sitzung, in der die Version verabschiedet wurde: der Name der Sitzungsdatei "
              "ohne „.md“, z. B. „2009-12-10-stuttgart“ (trägt `redaktion release --sitzung` ein).",
              pattern=SESSION_ID_PATTERN),
)

MATERIAL_FIELDS = (
    FieldSpec("titel", "str", "Titel des Materials, z. B. „Vortrag: Sprachförderung in der Kita“.",
              required=True),
    FieldSpec("datei", "str", "Datei neben der Sitzungsdatei bzw. der paper.yml, z. B. `material/vortrag.pdf`: "
              "PDF, ODP, PPTX, DOCX, ODT, XLSX, ODS oder CSV. Entweder `datei` oder `link`.",
              pattern=MATERIAL_PATH_PATTERN),
    FieldSpec("link", "str", "Statt einer Datei: Adresse einer Seite im Netz (https://…).", pattern=r"^https://\S+$"),
    FieldSpec("quelle", "str", "Mitglied, von dem das Material stammt (Kurzname aus `members.yml`).",
              required=True, pattern=SLUG_PATTERN),
    FieldSpec("lizenz", "str", "Lizenz des Materials; „alle-rechte-vorbehalten“, wenn keine freie Lizenz "
              "vereinbart ist.", required=True, enum=MATERIAL_LICENSES),
    FieldSpec("oeffentlich", "str", "„ja“: erscheint auch auf der öffentlichen Website; „nein“: nur intern.",
              required=True, enum=YES_NO),
    FieldSpec("beschreibung", "str", "Ein Satz zum Inhalt."),
)

HISTORY_FIELDS = (
    FieldSpec("date", "date", "Datum des Statuswechsels (JJJJ-MM-TT).", required=True),
    FieldSpec("status", "str", "Neuer Stand des Papiers.", required=True, enum=PAPER_STATUSES),
    FieldSpec("note", "str", "Begründung; Pflicht, wenn der Stand zurückgesetzt wird (z. B. von „final“ "
              "auf „abstimmung“)."),
)

MITZEICHNUNG_FIELDS = (
    FieldSpec("version", "str", "Version, über die abgestimmt wurde, z. B. „1.1“.", required=True,
              pattern=VERSION_PATTERN),
    FieldSpec("member", "str", "Kurzname des Mitglieds aus `members.yml`.", required=True, pattern=SLUG_PATTERN),
    FieldSpec("vote", "str", "Votum des Mitglieds.", required=True, enum=VOTES),
    FieldSpec("text", "str", "Wortlaut des Vorbehalts (Pflicht bei „vorbehalt“)."),
    FieldSpec("date", "date", "Datum des Votums (JJJJ-MM-TT).", required=True),
)

ROUND_FIELDS = (
    FieldSpec("id", "str", "Kurzname der Runde, zugleich der Ordner der Kommentare unter kommentare/, z. B. "
              "„runde-1“.", required=True, pattern=SLUG_PATTERN, example="runde-1"),
    FieldSpec("version", "str", "Freigegebene Version, die kommentiert wird, z. B. „0.9“.", required=True,
              pattern=VERSION_PATTERN),
    FieldSpec("status", "str", "Stand der Runde: „offen“, solange Mitglieder kommentieren, dann „geschlossen“.",
              required=True, enum=ROUND_STATES),
    FieldSpec("eroeffnet", "date", "Datum der Eröffnung (JJJJ-MM-TT).", required=True),
    FieldSpec("bis", "date", "Frist für Kommentare (JJJJ-MM-TT)."),
    FieldSpec("geschlossen", "date", "Datum, an dem die Runde geschlossen wurde (JJJJ-MM-TT)."),
)

PAPER_FIELDS = (
    FieldSpec("id", "str", "Kurzname des Papiers; muss dem Ordnernamen entsprechen.",
              required=True, pattern=SLUG_PATTERN),
    FieldSpec("title", "str", "Titel des Papiers.", required=True),
    FieldSpec("subtitle", "str", "Untertitel."),
    FieldSpec("short_title", "str", "Kurztitel für die Kopfzeile im PDF."),
    FieldSpec("kind", "str", "Art des Papiers.", required=True, enum=PAPER_KINDS),
    FieldSpec("status", "str", "Stand des Papiers; öffentlich erscheinen nur „final“ und "
              "„veroeffentlicht“.", required=True, enum=PAPER_STATUSES),
    FieldSpec("date", "date", "Datum des Papiers (JJJJ-MM-TT)."),
    FieldSpec("outline", "list[object]", "Gliederung: Abschnitte in der Reihenfolge des Papiers.",
              required=True, items=OUTLINE_FIELDS),
    FieldSpec("versions", "list[object]", "Freigegebene Versionen.", items=VERSION_FIELDS),
    FieldSpec("history", "list[object]", "Statuswechsel des Papiers in zeitlicher Folge; der letzte Eintrag "
              "entspricht „status“.", items=HISTORY_FIELDS),
    FieldSpec("mitzeichnung", "list[object]", "Voten der Mitglieder zu freigegebenen Versionen.",
              items=MITZEICHNUNG_FIELDS),
    FieldSpec("editors", "list[str]", "Redaktion (Namen)."),
    FieldSpec("license", "str", "Lizenz der Texte.", enum=LICENSES),
    FieldSpec("keywords", "list[str]", "Schlagwörter für die PDF-Metadaten und die Suche."),
    FieldSpec("material", "list[object]", "Arbeitsmaterialien zum Papier (Dateien oder Links); öffentliche "
              "erscheinen auf der Seite des Papiers, die anderen nur intern.", items=MATERIAL_FIELDS),
    FieldSpec("runden", "list[object]", "Kommentierungsrunden zu freigegebenen Versionen (legt "
              "„redaktion runde“ an).", items=ROUND_FIELDS),
)

AUTHOR_FIELDS = (
    FieldSpec("name", "str", "Name der Autorin oder des Autors.", required=True),
    FieldSpec("email", "str", "Interne E-Mail-Adresse (wird nie veröffentlicht).", pattern=r"^[^@\s]+@[^@\s]+$"),
)

CHART_KINDS = ("balken", "linie")
CHART_KIND_LABELS = {"balken": "Balkendiagramm", "linie": "Liniendiagramm"}
DATA_LICENSE = "dl-de/by-2-0"  # default licence of a data table (Datenlizenz Deutschland)

CHART_FIELDS = (
    FieldSpec("typ", "str", "Art des Diagramms: „balken“ vergleicht die Kommunen in einem Jahr, "
              "„linie“ zeigt die Entwicklung über die Jahre.", required=True, enum=CHART_KINDS),
    FieldSpec("jahr", "int", "Nur bei „balken“: das dargestellte Jahr (ohne Angabe das jüngste Jahr der Tabelle).",
              example=2009),
    FieldSpec("spalte", "str", "Nur bei „linie“: die dargestellte Wertespalte der CSV-Datei (ohne Angabe die "
              "erste); jede Kommune wird eine Linie."),
)

DATA_FIELDS = (
    FieldSpec("datei", "str", "CSV-Datei mit der Tabelle, im Ordner des Beitrags, z. B. "
              "`stuttgart--einbuergerungen.csv`. Spalten: „Kommune“ (Kurznamen aus `members.yml`), "
              "„Jahr“ und eine oder mehrere Spalten mit Zahlen (Dezimalkomma, ohne Einheit).",
              required=True, pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]*\.csv$", example="stuttgart--einbuergerungen.csv"),
    FieldSpec("indikator", "str", "Was gemessen wird, z. B. „Betreuungsquote unter Dreijähriger“.", required=True),
    FieldSpec("einheit", "str", "Einheit der Zahlen, z. B. „%“ oder „je 1.000 Ausländerinnen und Ausländer“.",
              required=True),
    FieldSpec("quelle", "str", "Herkunft der Zahlen, z. B. „Statistisches Landesamt, Kinder- und "
              "Jugendhilfestatistik“.", required=True),
    FieldSpec("jahr", "int", "Berichtsjahr, nur wenn die CSV-Datei keine Spalte „Jahr“ hat.", example=2009),
    FieldSpec("fehlend", "str", "Erklärung für fehlende Werte. Nur wenn sie angegeben ist, dürfen Zellen leer "
              "bleiben oder „k. A.“ enthalten, z. B. „Für 2007 liegen aus Wuppertal keine Zahlen vor.“"),
    FieldSpec("diagramm", "object", "Diagramm zur Tabelle (ohne Angabe nur die Tabelle).", items=CHART_FIELDS),
)

CONTRIBUTION_FIELDS = (
    FieldSpec("paper", "str", "Kurzname des Papiers, zu dem der Beitrag gehört.", required=True,
              pattern=SLUG_PATTERN),
    FieldSpec("section", "str", "Abschnitt der Gliederung, in den der Beitrag gehört.", required=True,
              pattern=SLUG_PATTERN),
    FieldSpec("kind", "str", "Art des Beitrags.", required=True, enum=CONTRIBUTION_KINDS),
    FieldSpec("title", "str", "Überschrift des Beitrags.", required=True),
    FieldSpec("members", "list[str]", "Beteiligte Mitglieder (Kurznamen aus `members.yml`).",
              required=True),
    FieldSpec("authors", "authors", "Autorinnen und Autoren: Name, optional mit interner E-Mail-Adresse "
              "(`- name: …` / `email: …`); E-Mail-Adressen werden nie veröffentlicht."),
    FieldSpec("submitted", "date", "Datum der Einreichung (JJJJ-MM-TT).", required=True),
    FieldSpec("status", "str", "Bearbeitungsstand; veröffentlicht werden nur angenommene Beiträge.",
              required=True, enum=CONTRIBUTION_STATUSES),
    FieldSpec("order", "int", "Position im Abschnitt (kleinere Zahlen zuerst)."),
    FieldSpec("tags", "list[str]", "Themen aus der Themenliste (`topics` in `zirkel.yml`), z. B. `elternarbeit`."),
    FieldSpec("summary", "str", "Kurzfassung in einem bis zwei Sätzen."),
    FieldSpec("license", "str", "Abweichende Lizenz dieses Beitrags; Beiträge mit Datentabelle (`daten`) "
              "stehen ohne Angabe unter der Datenlizenz Deutschland (`dl-de/by-2-0`).", enum=LICENSES),
    FieldSpec("daten", "object", "Nur bei `kind: daten`: die Datentabelle als CSV-Datei neben dem Beitrag, "
              "mit Indikator, Einheit, Quelle und optional einem Diagramm.", items=DATA_FIELDS),
    FieldSpec("note", "str", "Interne Notiz der Redaktion; erscheint nie öffentlich."),
)


# A place in a round's draft: a paragraph number as printed (B3.2, E1.1), a paragraph id
# (empfehlung-x--2), a line of the round's PDF (Z. 120, Zeile 120 or just 120), or „gesamt“.
STELLE_PATTERN = (r"^\s*(([BE]\d+\.\d+)|([a-z0-9]+(-[a-z0-9]+)*--\d+)|((Z\.?|Zeile)?\s*\d+)|gesamt)\s*$")
DATETIME_PATTERN = r"^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2})?(Z|[+-]\d{2}:?\d{2})?)?$"

COMMENT_FIELDS = (
    FieldSpec("stelle", "str", "Worauf sich der Kommentar bezieht: die Absatznummer aus dem PDF der Runde "
              "(z. B. „B3.2“), die Kennung eines Absatzes (z. B. „empfehlung-beiraete-staerken--2“), eine "
              "Zeile des PDFs der Runde (z. B. „Z. 120“) oder „gesamt“ für das ganze Papier.", required=True,
              pattern=STELLE_PATTERN, example="B3.2"),
    FieldSpec("art", "str", "Art des Kommentars.", required=True, enum=COMMENT_KINDS),
    FieldSpec("vorschlag", "str", "Vorgeschlagener Wortlaut des ganzen Absatzes (Pflicht bei „aenderung“), "
              "bei „ergaenzung“ der neue Absatz, der dahinter eingefügt werden soll (Markdown)."),
    FieldSpec("autor", "str", "Wer den Kommentar geschrieben hat (Name; aus Word übernommen)."),
    FieldSpec("datum", "str", "Wann der Kommentar geschrieben wurde (JJJJ-MM-TT, aus Word auch mit Uhrzeit).",
              pattern=DATETIME_PATTERN),
    FieldSpec("quelle", "str", "Herkunft, z. B. „Word-Datei geprüft.docx“ (trägt „redaktion import-review“ ein)."),
    FieldSpec("entscheidung", "str", "Entscheidung der Redaktion (ohne Angabe: „offen“).", enum=DECISIONS),
    FieldSpec("antwort", "str", "Antwort der Redaktion, Pflicht außer bei „uebernommen“."),
    FieldSpec("fassung", "str", "Bei „teilweise“: der Wortlaut, den die Redaktion übernimmt (für "
              "„redaktion apply“)."),
    FieldSpec("entschieden_am", "date", "Datum der Entscheidung (JJJJ-MM-TT)."),
)


def is_iso_date(value: object) -> bool:
    """True for a real calendar date written as YYYY-MM-DD."""
    # fromisoformat alone also takes "2009-W50-4" and "20091210\n ".
    if not matches(DATE_PATTERN, value):
        return False
    try:
        dt.date.fromisoformat(value)
    except ValueError:
        return False
    return True


GERMAN_MONTHS = ("Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September",
                 "Oktober", "November", "Dezember")


def german_date(iso: str) -> str:
    """``2009-12-10`` → „10. Dezember 2009“ (an empty date gives an empty string)."""
    if not iso:
        return ""
    day = dt.date.fromisoformat(iso)
    return f"{day.day}. {GERMAN_MONTHS[day.month - 1]} {day.year}"


def clock_time(value: object) -> str:
    """A clock time as ``HH:MM``, or an empty string if ``value`` is none.

    YAML 1.1 reads an unquoted ``10:30`` as the number 630 (base 60); that is accepted too.
    """
    if isinstance(value, int) and not isinstance(value, bool):
        hours, minutes = divmod(value, 60)
        return f"{hours:02d}:{minutes:02d}" if 0 <= value < 24 * 60 else ""
    match = re.fullmatch(r"([01]?\d|2[0-3]):([0-5]\d)", value.strip()) if isinstance(value, str) else None
    return f"{int(match.group(1)):02d}:{match.group(2)}" if match else ""


# --- diagnostics --------------------------------------------------------------------------


@dataclass(frozen=True)
class Diagnostic:
    """One problem found in the content, located in a file."""

    path: str
    line: int
    column: int
    code: str
    message: str
    hint: str = ""
    severity: str = "error"  # "error" or "warning"

    def format(self) -> str:
        label = "Fehler" if self.severity == "error" else "Warnung"
        text = f"{self.path}:{self.line}:{self.column}: {label} {self.code}: {self.message}"
        if self.hint:
            text += f"\n    Hinweis: {self.hint}"
        return text


class ContentError(RedaktionError):
    """Raised by a stage that cannot go on; carries the diagnostics that explain why (exit code 1).

    The command line prints the diagnostics themselves; the message is their text.
    """

    def __init__(self, diagnostics: list[Diagnostic]):
        super().__init__("\n".join(d.format() for d in diagnostics), diagnostics=diagnostics)


class RenderError(RedaktionError):
    """An output could not be produced; the message is German and names the paper and output."""


# --- content ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Position:
    """Where a value sits in its source file (1-based)."""

    line: int = 1
    column: int = 1


@dataclass(frozen=True)
class Publisher:
    """Who publishes the papers (``contributions/zirkel.yml``): shown on title pages and the site."""

    name: str = "Redaktion"
    office: str = ""
    place: str = ""
    short_name: str = ""
    sample: bool = False
    topics: tuple[tuple[str, str], ...] = ()  # (id, label) of the topics contributions may tag
    website: str = ""  # public site address, for links from PDF and DOCX (e.g. to a session)
    repository: str = ""  # web address of the content repository (for comment links), "" if unknown
    branch: str = "main"
    repository_kind: str = ""  # "gitlab", "github" or "" (guessed from the address)

    @property
    def short(self) -> str:
        return self.short_name or self.name

    @property
    def forge(self) -> str:
        """``github`` or ``gitlab``: whose web editor the comment links open."""
        if self.repository_kind:
            return self.repository_kind
        return "github" if self.repository.startswith("https://github.com/") else "gitlab"

    def topic_label(self, tag: str) -> str:
        """The display label of a tag; unknown tags are shown as written."""
        return dict(self.topics).get(tag, tag)


@dataclass(frozen=True)
class Member:
    id: str
    name: str
    type: str
    land: str
    website: str = ""
    contact: str = ""

    @property
    def short_name(self) -> str:
        """The name without its official prefix: „Stuttgart“, „Kreis Düren“."""
        for prefix in NAME_PREFIXES:
            if self.name.startswith(prefix):
                return self.name[len(prefix):]
        return self.name


@dataclass(frozen=True)
class Section:
    id: str
    title: str
    intro: str = ""


@dataclass(frozen=True)
class SessionRef:
    """The session (Sitzung) in which a paper version was adopted, as the version history names it."""

    id: str  # file name without .md, e.g. "2009-12-10-stuttgart"
    date: str
    place: str = ""  # city, e.g. "Stuttgart"; empty for an online session
    public: bool = False  # listed on the public page „Aus den Sitzungen“ (the paper is public)

    @property
    def phrase(self) -> str:
        """„Sitzung am 10. Dezember 2009 in Stuttgart“ or „Online-Sitzung am 17. Juni 2010“."""
        if self.place:
            return f"Sitzung am {german_date(self.date)} in {self.place}"
        return f"Online-Sitzung am {german_date(self.date)}"

    @property
    def anchor(self) -> str:
        """The id of the session's entry on the page „Aus den Sitzungen“."""
        return f"sitzung-{self.id}"


@dataclass(frozen=True)
class Version:
    number: str
    date: str
    note: str = ""
    hash: str = ""
    session: str = ""  # "sitzung" in paper.yml: id of the session that adopted this version
    # Resolved by the loader from ``session`` or from a decision in the minutes; not part of paper.yml.
    adopted_in: SessionRef | None = field(default=None, compare=False)


@dataclass(frozen=True)
class Material:
    """A piece of working material (Arbeitsmaterial) of a paper or a session: a file or a link."""

    title: str
    source: str  # member id
    license: str  # one of MATERIAL_LICENSES
    public: bool
    file: str = ""  # relative to ``folder``
    link: str = ""
    description: str = ""
    folder: str = ""  # folder of the listing file below the project root, e.g. "contributions/sitzungen"
    position: Position = field(default=Position(), compare=False)  # of the entry ("- titel: …")
    positions: dict[str, Position] = field(default_factory=dict, compare=False, repr=False)  # of its keys

    @property
    def path(self) -> str:
        """The file below the project root (empty for a link)."""
        return f"{self.folder}/{self.file}" if self.file else ""


@dataclass(frozen=True)
class StatusChange:
    """One entry of a paper's ``history``: the paper moved to ``status`` on ``date``."""

    date: str
    status: str
    note: str = ""


@dataclass(frozen=True)
class Vote:
    """One member's vote (Mitzeichnung) on a released version."""

    version: str
    member: str
    vote: str
    date: str
    text: str = ""


@dataclass(frozen=True)
class Round:
    """A consultation round (Kommentierungsrunde) on a released version of a paper."""

    id: str
    version: str
    state: str  # one of ROUND_STATES
    opened: str
    until: str = ""
    closed: str = ""

    @property
    def is_open(self) -> bool:
        return self.state == "offen"


ROUNDS_DIR = Path("build") / "runden"


def round_dir(root: Path, paper_id: str, round_id: str) -> Path:
    """``build/runden/PAPER/RUNDE``: the round's frozen PDF and DOCX and its Abwägungstabelle."""
    return Path(root) / ROUNDS_DIR / paper_id / round_id


def round_file_names(paper_id: str, round_id: str, version: str) -> dict[str, str]:
    """The file names of a round's frozen PDF and DOCX, by kind."""
    return {kind: f"{paper_id}-{version}-{round_id}.{kind}" for kind in ("pdf", "docx")}


@dataclass(frozen=True)
class Comment:
    """One member's comment in a round: ``contributions/<paper>/kommentare/<round>/<member>--<slug>.md``.

    ``reason`` is the body (the Begründung); ``stelle`` is resolved against the round's
    paragraph index (``runde.json``), not here.
    """

    id: str  # file name without .md
    path: Path
    rel: str
    paper: str
    round: str
    member: str  # from the file name
    stelle: str
    kind: str  # one of COMMENT_KINDS
    reason: str
    reason_line: int
    proposal: str = ""
    author: str = ""
    date: str = ""
    source: str = ""
    decision: str = "offen"
    answer: str = ""
    wording: str = ""  # the Redaktion's wording for a partial acceptance (fassung)
    decided: str = ""
    positions: dict[str, Position] = field(default_factory=dict, compare=False, repr=False)

    @property
    def is_decided(self) -> bool:
        return self.decision != "offen"


@dataclass(frozen=True)
class Paper:
    id: str
    title: str
    kind: str
    status: str
    outline: tuple[Section, ...]
    subtitle: str = ""
    short_title: str = ""
    date: str = ""
    versions: tuple[Version, ...] = ()
    editors: tuple[str, ...] = ()
    license: str = "CC-BY-4.0"
    keywords: tuple[str, ...] = ()
    history: tuple[StatusChange, ...] = ()
    mitzeichnung: tuple[Vote, ...] = ()
    material: tuple[Material, ...] = ()
    rounds: tuple[Round, ...] = ()
    path: Path = Path()
    # keys are field names, plus "history.N" / "mitzeichnung.N" for the N-th list entry
    positions: dict[str, Position] = field(default_factory=dict, compare=False, repr=False)

    @property
    def is_public(self) -> bool:
        return self.status in PUBLIC_PAPER_STATUSES

    @property
    def latest_version(self) -> Version | None:
        return self.versions[-1] if self.versions else None

    def section(self, section_id: str) -> Section | None:
        return next((s for s in self.outline if s.id == section_id), None)

    def round(self, round_id: str) -> Round | None:
        return next((r for r in self.rounds if r.id == round_id), None)

    @property
    def open_round(self) -> Round | None:
        """The round members are commenting in now (the last open one), if any."""
        return next((r for r in reversed(self.rounds) if r.state == "offen"), None)


@dataclass(frozen=True)
class Author:
    name: str
    email: str = ""  # internal only, never rendered


@dataclass(frozen=True)
class ChartSpec:
    """The ``daten.diagramm`` front matter: which chart to draw from the data table."""

    kind: str  # one of CHART_KINDS
    year: int | None = None  # bar chart: the year shown (None: the latest)
    column: str = ""  # line chart: the value column shown ("" : the first)


@dataclass(frozen=True)
class DataSpec:
    """The ``daten`` front matter of a data contribution: a CSV table and what it measures."""

    file: str  # CSV file name, relative to the contribution's folder
    indicator: str
    unit: str
    source: str
    year: int | None = None  # reporting year when the CSV has no "Jahr" column
    missing: str = ""  # explanation of missing values ("k. A.")
    chart: ChartSpec | None = None


@dataclass(frozen=True)
class Contribution:
    """One member file: front matter plus Markdown body.

    ``id`` is the file name without ``.md`` (``<member>--<slug>``); ``body_line`` is the
    line of the first body line in the file, so body diagnostics can point into the file.
    """

    id: str
    path: Path
    paper: str
    section: str
    kind: str
    title: str
    members: tuple[str, ...]
    submitted: str
    status: str
    body: str
    body_line: int
    authors: tuple[Author, ...] = ()
    order: int | None = None
    tags: tuple[str, ...] = ()
    summary: str = ""
    license: str = ""
    note: str = ""
    data: DataSpec | None = None
    # keys are field names; nested fields as "daten.datei", "daten.diagramm.typ"
    positions: dict[str, Position] = field(default_factory=dict, compare=False, repr=False)
    rel: str = ""  # path below the project root, as messages and provenance name the file

    @property
    def slug(self) -> str:
        return self.id.split("--", 1)[-1]

    @property
    def is_accepted(self) -> bool:
        return self.status == "angenommen"


def slugify(text: str) -> str:
    """An ASCII anchor from German text (ä → ae, ß → ss)."""
    text = text.lower()
    for umlaut, plain in (("ä", "ae"), ("ö", "oe"), ("ü", "ue"), ("ß", "ss")):
        text = text.replace(umlaut, plain)
    text = re.sub(r"[^a-z0-9]+", "-", text).strip("-")
    return text or "abschnitt"


def anchor_for(contribution: Contribution) -> str:
    """The stable anchor of a contribution: kind plus the slug of its file name."""
    prefix = {"empfehlung": "empfehlung", "praxisbeispiel": "praxisbeispiel"}.get(contribution.kind, "beitrag")
    slug = contribution.slug
    # "empfehlung-elternbeteiligung.md" gives "#empfehlung-elternbeteiligung", not a doubled prefix.
    return slug if slug.startswith(prefix + "-") else f"{prefix}-{slug}"


def heading_id(anchor: str, text: str) -> str:
    """The id of a heading inside a contribution: unique in the paper, stable across reordering."""
    return f"{anchor}-{slugify(text)}"


@dataclass(frozen=True)
class Corpus:
    """Everything loaded from a project: the input of ``check`` and ``assemble``."""

    root: Path
    members: dict[str, Member]
    papers: dict[str, Paper]
    contributions: tuple[Contribution, ...]
    diagnostics: tuple[Diagnostic, ...] = ()  # problems found while loading
    publisher: Publisher = Publisher()
    sessions: tuple[Session, ...] = ()  # Sitzungen, oldest first (contributions/sitzungen/)
    comments: tuple[Comment, ...] = ()  # comments of every round, in file order

    def contributions_of(self, paper_id: str) -> list[Contribution]:
        return [c for c in self.contributions if c.paper == paper_id]

    def comments_of(self, paper_id: str, round_id: str | None = None) -> list[Comment]:
        return [c for c in self.comments if c.paper == paper_id and (round_id is None or c.round == round_id)]


# --- the assembled draft ------------------------------------------------------------------


@dataclass(frozen=True)
class ChartSeries:
    """One labelled row of values of a chart (a bar group's colour or one line)."""

    label: str
    values: tuple[float | None, ...]  # one per category; None where the value is missing


@dataclass(frozen=True)
class Chart:
    """Everything a renderer needs to draw one chart; built by ``assemble`` from the CSV."""

    id: str  # unique in the paper; file stem of the rendered image
    kind: str  # one of CHART_KINDS
    title: str  # e.g. "Betreuungsquote unter Dreijähriger 2009"
    unit: str
    categories: tuple[str, ...]  # bar chart: member names; line chart: years
    series: tuple[ChartSeries, ...]
    decimals: int  # decimal places of the value labels
    alt: str  # German text alternative: what is compared, highest and lowest value


@dataclass(frozen=True)
class Dataset:
    """A published data table: indicator, source, licence, CSV file and optional chart."""

    indicator: str
    unit: str
    source: str
    license: str
    csv: str  # path of the CSV file relative to the project root
    years: tuple[int, ...]
    members: tuple[str, ...]  # member ids in the table
    table: str  # the table as Markdown (pipe table with German number formatting)
    chart: Chart | None = None
    missing: str = ""
    content: str = ""  # chart, table and source line as pandoc JSON blocks (filled by assemble)


def paragraph_id(anchor: str, ordinal: int) -> str:
    """The stable id of the ``ordinal``-th paragraph (1-based) of a contribution or introduction.

    ``--`` never occurs in an anchor or heading id (``slugify`` collapses dashes), so the id
    cannot collide with them; it stays the same when other contributions are added, removed
    or moved, or when the paragraph itself or paragraphs after it are edited.
    """
    return f"{anchor}--{ordinal}"


@dataclass(frozen=True)
class Paragraph:
    """One numbered top-level block (paragraph, list, quote, table …) of a draft."""

    id: str  # stable: "<anchor>--<k>"
    label: str  # as printed in draft outputs: "B<n>.<k>" (contribution n) or "E<s>.<k>" (introduction of section s)
    text: str  # its visible text


@dataclass(frozen=True)
class Block:
    """One contribution inside the draft: its provenance and its sealed body."""

    contribution_id: str
    kind: str
    title: str
    heading: str  # displayed heading, e.g. "Empfehlung 7: Eltern beteiligen"
    anchor: str  # stable id derived from the file name, e.g. "empfehlung-elternbeteiligung"
    members: tuple[Member, ...]
    authors: tuple[str, ...]  # names only
    status: str
    content: str  # the parsed, sanitised body as pandoc JSON blocks: headings demoted, ids set, paths rebased
    text: str  # the body's visible text, one paragraph per line pair (Synopse, tests)
    source: str  # path relative to the project root
    number: int | None = None  # running number of recommendations
    tags: tuple[str, ...] = ()
    summary: str = ""
    submitted: str = ""
    notes: tuple[str, ...] = ()  # editorial comments; only filled in internal drafts
    dataset: Dataset | None = None  # data contributions with a CSV table
    paragraphs: tuple[Paragraph, ...] = ()  # the body's numbered blocks, in order

    @property
    def member_names(self) -> str:
        return ", ".join(m.name for m in self.members)


@dataclass(frozen=True)
class DraftSection:
    id: str
    title: str
    intro: str
    number: int
    blocks: tuple[Block, ...]
    paragraphs: tuple[Paragraph, ...] = ()  # numbered blocks of the introduction


@dataclass(frozen=True)
class Draft:
    """One paper, assembled: the single input of every renderer."""

    paper: Paper
    sections: tuple[DraftSection, ...]
    intern: bool
    header: str  # the paper's metadata as YAML (head of build/drafts/PAPER.md)
    # The body in named pieces (a section's heading and introduction, each contribution with
    # its wrapper) as pandoc JSON block lists; renderers convert and cache them piece by piece.
    pieces: tuple[tuple[str, str], ...]
    content_hash: str
    publisher: Publisher = Publisher()
    adoption: str = ""  # "Version 1.0 verabschiedet am … von …" from the Mitzeichnung, if any
    reservations: tuple[tuple[str, str], ...] = ()  # (member name, wording of the Vorbehalt)
    media: tuple[str, ...] = ()  # image and file paths (below the project root) the body uses
    review: bool = False  # the draft of a consultation round: marked and numbered like an internal draft

    @property
    def blocks(self) -> list[Block]:
        return [b for s in self.sections for b in s.blocks]

    @property
    def paragraphs(self) -> list[Paragraph]:
        """Every numbered paragraph in reading order (introductions before their contributions)."""
        return [p for s in self.sections for p in (*s.paragraphs, *(p for b in s.blocks for p in b.paragraphs))]

    @property
    def charts(self) -> list[Chart]:
        """Every chart of the draft, in reading order."""
        return [b.dataset.chart for b in self.blocks if b.dataset and b.dataset.chart]

    @property
    def is_draft(self) -> bool:
        """True when outputs must carry the ENTWURF marking (and line and paragraph numbers)."""
        return self.intern or self.review or not self.paper.is_public

    @property
    def contributors(self) -> list[Member]:
        seen: dict[str, Member] = {}
        for block in self.blocks:
            for m in block.members:
                seen.setdefault(m.id, m)
        return sorted(seen.values(), key=lambda m: m.name)
