"""Session documents: the invitation (Einladung) and the minutes (Protokoll) as tagged PDFs.

Both are PDF/A-2a + PDF/UA-1 in the papers' house style (``sitzung.typ`` next to this module).
The template reads the :class:`~redaktion.assemble.sessions.SessionSheet` as JSON; for the minutes,
the body is generated here: ``#top-kopf``, ``#beschluss`` and ``#aufgabe`` calls around the minutes
text, which pandoc converts to Typst (``render/minutes.py``).

:func:`session_documents` renders every document of a project into ``build/.cache/sitzungen``,
named by a key over everything that decides its bytes, so a rebuild renders only what changed.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json
import os
from pathlib import Path

from ...util.cachefiles import prune, store_file, trusted_file
from ...util.epoch import cache_key_part, document_epoch
from ...util.fonts import FAMILIES, font_dir
from ...model import ContentError, Corpus, Diagnostic
from ...assemble.sessions import SessionSheet, session_sheet
from ..minutes import convert_texts

HERE = Path(__file__).parent
TEMPLATE = HERE / "sitzung.typ"
PDF_STANDARDS = ["a-2a", "ua-1"]
KINDS = {"einladung": "Einladung", "protokoll": "Protokoll"}


def render_invitation(sheet: SessionSheet) -> bytes:
    """The invitation: date, time, place, agenda, material, invited members."""
    return _compile(sheet, "einladung", "#einladung()\n")


def render_minutes(sheet: SessionSheet) -> bytes:
    """The minutes: attendance, the agenda, per item text, decisions and tasks, and an overview."""
    return _compile(sheet, "protokoll", minutes_body(sheet))


def minutes_body(sheet: SessionSheet) -> str:
    """The Typst body of the minutes: template calls and pandoc's Typst of the minutes text."""
    texts = [sheet.preamble] if sheet.preamble else []
    texts += [part for top in sheet.tops for part in top.parts if isinstance(part, str)]
    converted = iter(convert_texts(texts, "typst"))
    lines = ["#tagesordnung()"]
    if sheet.preamble:
        lines.append(next(converted))
    decision = task = 0
    for index, top in enumerate(sheet.tops):
        lines.append(f"#top-kopf({index})")
        for part in top.parts:
            if isinstance(part, str):
                lines.append(next(converted))
            elif hasattr(part, "adopts"):
                lines.append(f"#beschluss({decision})")
                decision += 1
            else:
                lines.append(f"#aufgabe({task})")
                task += 1
    lines += ["#aufgabenuebersicht()", "#ergebnisse()", "#material()"]
    return "\n".join(lines) + "\n"


def document_data(sheet: SessionSheet, kind: str) -> dict:
    """What the template shows, as plain JSON data."""
    label = KINDS[kind]
    facts = [("Datum", sheet.weekday_date), ("Zeit", sheet.time_label),
             ("Ort", sheet.where)]
    if sheet.online and sheet.access:
        facts.append(("Zugang", sheet.access))
    facts.append(("Gastgeber", sheet.host))
    if kind == "protokoll":
        facts.append(("Anwesend", ", ".join(sheet.attending) or "–"))
        if sheet.absent:
            facts.append(("Nicht anwesend", ", ".join(sheet.absent)))
        facts.append(("Gäste", str(sheet.guests) if sheet.guests else "keine"))
        facts.append(("Protokoll", f"Geschäftsstelle ({sheet.publisher.office})" if sheet.publisher.office
                      else "Geschäftsstelle"))
    return {
        "art": label,
        "intern": kind == "protokoll",
        "pdf-titel": f"{label}: {sheet.heading}",
        "ueberschrift": sheet.heading,
        "untertitel": sheet.title,
        "herausgeber": sheet.publisher.name,
        "herausgeber-kurz": sheet.publisher.short,
        "geschaeftsstelle": sheet.publisher.office or sheet.publisher.name,
        "beispieltexte": sheet.publisher.sample,
        "fakten": [[name, value] for name, value in facts],
        "einladungstext": _invitation_text(sheet),
        "eingeladen": list(sheet.invited),
        "tagesordnung": [{"nummer": str(a.number), "titel": a.title, "verantwortlich": a.responsible,
                          "links": [{"label": link.label} for link in a.links]} for a in sheet.agenda],
        "tops": [{"nummer": str(t.number), "titel": t.title} for t in sheet.tops],
        "beschluesse": [{"nummer": str(d.number), "text": d.text, "zusammenfassung": d.summary}
                        for d in sheet.decisions],
        "aufgaben": [{"top": str(t.top), "text": t.text, "wer": t.member, "bis": t.due_label,
                      "stand": t.state_label + (", überfällig" if t.overdue else ""), "ueberfaellig": t.overdue}
                     for t in sheet.tasks],
        "ergebnisse": [" ".join(p.split()) for p in sheet.results.split("\n\n") if p.strip()]
        if kind == "protokoll" else [],
        "material": [{"titel": m.title, "typ": m.type_label, "quelle": m.source, "lizenz": m.license,
                      "oeffentlich": m.public, "link": m.link, "beschreibung": m.description}
                     for m in sheet.material],
    }


def _invitation_text(sheet: SessionSheet) -> str:
    text = (f"Die Geschäftsstelle lädt die Mitglieder des Qualitätszirkels herzlich zur {sheet.title} ein"
            if sheet.title != "Sitzung des Qualitätszirkels" else
            "Die Geschäftsstelle lädt die Mitglieder herzlich zur Sitzung des Qualitätszirkels ein")
    text += f" – am {sheet.weekday_date}, {sheet.time_label}."
    if sheet.online:
        text += " Die Sitzung findet online statt" + ("; den Zugang finden Sie oben." if sheet.access else ".")
    else:
        text += f" Gastgeber ist {_with_article(sheet.host)}."
    return text


def _with_article(name: str) -> str:
    # „die Landeshauptstadt Stuttgart“, „der Deutsche Städtetag“, „das efms“: good enough for hosts.
    if name.startswith(("Deutscher ", "Kreis ", "Landkreis ")):
        return "der " + name.replace("Deutscher ", "Deutsche ", 1)
    if name.startswith(("Stadt", "Landeshauptstadt", "Freie", "Hansestadt", "Universitätsstadt", "Große Kreisstadt",
                        "Bertelsmann Stiftung")):
        return "die " + name
    return name


def _compile(sheet: SessionSheet, kind: str, body: str) -> bytes:
    import typst

    source = TEMPLATE.read_text(encoding="utf-8") + "\n#show: sitzungsdokument\n" + body
    data = json.dumps(document_data(sheet, kind), ensure_ascii=False)
    try:
        pdf = typst.compile(source.encode("utf-8"), root=str(HERE), ignore_system_fonts=True,
                            font_paths=[str(font_dir())],
                            sys_inputs={"sitzung": data, "schriften": json.dumps(FAMILIES)},
                            pdf_standards=PDF_STANDARDS,
                            timestamp=document_epoch(sheet.date))
    except typst.TypstError as error:
        message = str(getattr(error, "message", "") or error).strip()
        raise ContentError([Diagnostic(f"contributions/sitzungen/{sheet.id}.md", 1, 1, "R804",
                                       f"Das PDF „{KINDS[kind]}“ der Sitzung konnte nicht erzeugt werden: "
                                       f"{message}",
                                       "Prüfen Sie das Protokoll mit „redaktion check“; meist hilft es, "
                                       "ungewöhnliche Formatierungen im Text zu vereinfachen.")]) from None
    assert isinstance(pdf, bytes)
    return pdf


# --- all documents of a project, cached -----------------------------------------------------------


def document_name(session_id: str, kind: str) -> str:
    """``2009-12-10-stuttgart-einladung.pdf``."""
    return f"{session_id}-{kind}.pdf"


def session_documents(corpus: Corpus, cache: Path, today: dt.date | None = None) -> dict[str, Path]:
    """Invitation and (once written) minutes of every session: file name → PDF in ``cache``.

    ``today`` marks overdue tasks in the minutes; it is part of the sheet and so of the key:
    the minutes are rendered again when a task becomes overdue.
    """
    today = today or dt.date.today()
    documents: dict[str, Path] = {}
    for session in corpus.sessions:
        sheet = session_sheet(corpus, session, today)
        for kind in ("einladung", "protokoll") if sheet.has_minutes else ("einladung",):
            path = cache / f"{session.id}-{kind}-{_key(sheet, kind)}.pdf"
            if trusted_file(path):  # written by this user (a file from elsewhere is made anew)
                _touch(path)  # recently used: kept by prune()
            else:
                store_file(path, render_minutes(sheet) if kind == "protokoll" else render_invitation(sheet))
            documents[document_name(session.id, kind)] = path
    prune(cache, keep=2)
    return documents


def _key(sheet: SessionSheet, kind: str) -> str:
    """A key over everything the document's bytes depend on (the sheet's repr is deterministic)."""
    digest = hashlib.sha256()
    for part in (kind, repr(sheet), cache_key_part()):
        digest.update(part.encode("utf-8"))
    digest.update(_fingerprint())
    return digest.hexdigest()[:20]


def _touch(path: Path) -> None:
    try:
        os.utime(path)
    except OSError:
        pass


@functools.lru_cache(maxsize=1)
def _fingerprint() -> bytes:
    from importlib.metadata import version

    digest = hashlib.sha256(TEMPLATE.read_bytes())
    digest.update(Path(__file__).read_bytes())
    digest.update((HERE.parent / "minutes.lua").read_bytes())
    digest.update(f"typst {version('typst')} pypandoc-binary {version('pypandoc-binary')}".encode())
    return digest.digest()


def sessions_cache(root: Path) -> Path:
    """Where the session PDFs of the project in ``root`` are kept."""
    return Path(root) / "build" / ".cache" / "sitzungen"


__all__ = ["render_invitation", "render_minutes", "session_documents", "sessions_cache"]
