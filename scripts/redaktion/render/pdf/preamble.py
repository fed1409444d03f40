"""The generated Typst preamble: everything the template needs to know, taken from the Draft.

Metadata never travels through pandoc: it is read from the model's dataclasses and written
as Typst *values* (strings, arrays, dictionaries), so that no title, name or note can be
interpreted as Typst markup or code.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence

from ...model import PAPER_KIND_LABELS, PAPER_STATUS_LABELS, Draft

CIRCLE = "Kommunaler Qualitätszirkel für Integrationspolitik"
CIRCLE_SHORT = "Qualitätszirkel Integrationspolitik"
COORDINATING_OFFICE = "Landeshauptstadt Stuttgart – Abteilung Integrationspolitik"
PLACE = "Stuttgart"

LICENSE_TEXTS = {
    "CC-BY-4.0": "Creative Commons Namensnennung 4.0 International (CC BY 4.0), "
                 "https://creativecommons.org/licenses/by/4.0/deed.de",
    "CC-BY-SA-4.0": "Creative Commons Namensnennung – Weitergabe unter gleichen Bedingungen 4.0 "
                    "International (CC BY-SA 4.0), https://creativecommons.org/licenses/by-sa/4.0/deed.de",
    "CC0-1.0": "Creative Commons CC0 1.0 Universell (gemeinfrei), "
               "https://creativecommons.org/publicdomain/zero/1.0/deed.de",
    "dl-de/by-2-0": "Datenlizenz Deutschland – Namensnennung – Version 2.0, https://www.govdata.de/dl-de/by-2-0",
    "dl-de/zero-2-0": "Datenlizenz Deutschland – Zero – Version 2.0, https://www.govdata.de/dl-de/zero-2-0",
}

MONTHS = ("Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September",
          "Oktober", "November", "Dezember")

TypstValue = str | bool | int | None | Sequence["TypstValue"] | Mapping[str, "TypstValue"]


def typst_string(text: str) -> str:
    """A Typst string literal that shows ``text`` literally."""
    escaped = (text.replace("\\", "\\\\").replace('"', '\\"')
               .replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t"))
    return f'"{escaped}"'


def typst_value(value: TypstValue) -> str:
    """Serialise plain Python data as a Typst value (dictionary keys must be identifiers)."""
    if value is None:
        return "none"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        return typst_string(value)
    if isinstance(value, Mapping):
        if not value:
            return "(:)"
        return "(" + ", ".join(f"{key}: {typst_value(item)}" for key, item in value.items()) + ")"
    items = [typst_value(item) for item in value]
    return "(" + ", ".join(items) + ("," if len(items) == 1 else "") + ")"


def german_date(iso: str) -> str:
    """„10. Dezember 2009“ from ``2009-12-10``."""
    day = dt.date.fromisoformat(iso)
    return f"{day.day}. {MONTHS[day.month - 1]} {day.year}"


def paper_date(draft: Draft) -> str:
    """The ISO date a build of this draft is dated by: release, paper, or latest submission."""
    version = draft.paper.latest_version
    if version and version.date:
        return version.date
    if draft.paper.date:
        return draft.paper.date
    submitted = [b.submitted for b in draft.blocks if b.submitted]
    return max(submitted) if submitted else "2000-01-01"


def version_line(draft: Draft) -> str:
    """„Version 1.0 vom 10. Dezember 2009“ or „Stand: 25. November 2010“."""
    version = draft.paper.latest_version
    if version and not draft.is_draft:
        return f"Version {version.number} vom {german_date(version.date)}"
    if version:
        return f"Stand: {german_date(paper_date(draft))} (nach Version {version.number})"
    return f"Stand: {german_date(paper_date(draft))}"


def has_sample_texts(draft: Draft) -> bool:
    """True when the paper says of itself that it consists of sample texts (the demo content)."""
    paper = draft.paper
    text = " ".join([paper.title, paper.subtitle, *(s.intro for s in paper.outline)]).lower()
    return "beispieltext" in text


def citation(draft: Draft) -> str:
    """The suggested citation (Zitiervorschlag)."""
    paper = draft.paper
    year = paper_date(draft)[:4]
    title = paper.title + (f". {paper.subtitle}" if paper.subtitle else "")
    state = "Entwurf, " + version_line(draft) if draft.is_draft else version_line(draft)
    return f"{CIRCLE} (Hrsg.) ({year}): {title}. {state}. {PLACE}."


def _sort_key(name: str) -> tuple[str, str]:
    return (name.split()[-1].casefold(), name.casefold())


def meta(draft: Draft) -> dict[str, TypstValue]:
    """Everything the template shows about the paper, as plain data."""
    paper = draft.paper
    authors = sorted({a for b in draft.blocks for a in b.authors}, key=_sort_key)
    return {
        "zirkel": CIRCLE,
        "zirkel-kurz": CIRCLE_SHORT,
        "herausgeber-stelle": COORDINATING_OFFICE,
        "art": PAPER_KIND_LABELS.get(paper.kind, paper.kind),
        "titel": paper.title,
        "untertitel": paper.subtitle,
        "kurztitel": paper.short_title or paper.title,
        "pdf-titel": f"{paper.title} (Entwurf)" if draft.is_draft else paper.title,
        "autoren-pdf": [CIRCLE],
        "schlagwoerter": list(paper.keywords),
        "versionszeile": version_line(draft),
        "status": PAPER_STATUS_LABELS.get(paper.status, paper.status),
        "entwurf": draft.is_draft,
        "beispieltexte": has_sample_texts(draft),
        "redaktion": ", ".join(paper.editors),
        "versionen": [{"nummer": v.number, "datum": german_date(v.date), "notiz": v.note}
                      for v in paper.versions],
        "lizenz": LICENSE_TEXTS.get(paper.license, paper.license),
        "zitiervorschlag": citation(draft),
        "verabschiedung": draft.adoption,
        "vorbehalte": [{"mitglied": name, "text": text} for name, text in draft.reservations],
        "empfehlungen": [{"nummer": str(b.number), "titel": b.title, "anker": b.anchor}
                         for b in draft.blocks if b.number is not None],
        "mitglieder": sorted((m.name for m in draft.contributors), key=str.casefold),
        "autorinnen": authors,
    }


def preamble(draft: Draft) -> str:
    """The Typst lines that precede the template: the paper's metadata as one dictionary."""
    return "// Generated by redaktion from the assembled draft; do not edit.\n" \
           f"#let meta = {typst_value(meta(draft))}\n"
