"""Validate a parsed YAML mapping against a table of :class:`~redaktion.model.FieldSpec`.

The same tables generate the JSON Schema, so editors and ``redaktion check`` agree.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..model import AUTHOR_FIELDS, FieldSpec, Position, clock_time, is_iso_date, matches
from ..model.errors import suggest

# (message, hint, column-relative position, code)
Problem = tuple[str, str, Position, str]

_GERMAN_DATE = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$")


def validate(data: object, specs: tuple[FieldSpec, ...], where: Position, what: str) -> Iterator[Problem]:
    """Yield every problem of ``data`` (a mapping) against ``specs``; ``what`` names it in German."""
    if not isinstance(data, dict):
        yield (f"{what} muss aus Feldern der Form „name: wert“ bestehen.",
               "Vergleichen Sie mit einer Vorlage (redaktion new).", where, "R020")
        return
    positions: dict[str, Position] = getattr(data, "positions", {})
    known = {spec.name: spec for spec in specs}
    for key in data:
        if key not in known:
            hint = suggest(key, list(known)) or "Erlaubt sind: " + ", ".join(known) + "."
            yield (f"Unbekanntes Feld „{key}“ in {what}.", hint, positions.get(key, where), "R021")
    for spec in specs:
        if spec.name not in data or data[spec.name] is None:
            if spec.required:
                yield (f"Pflichtfeld „{spec.name}“ fehlt in {what}.", f"{spec.name}: {spec.doc}", where, "R022")
            continue
        yield from _validate_value(data[spec.name], spec, positions.get(spec.name, where))


def _validate_value(value: object, spec: FieldSpec, pos: Position) -> Iterator[Problem]:
    name = spec.name
    if spec.type == "str":
        if isinstance(value, (int, float)) and not isinstance(value, bool) and spec.pattern:
            value = str(value)  # e.g. version: 1.0 written without quotes
        if not isinstance(value, str):
            yield (f"„{name}“ muss ein Text sein.", f"Schreiben Sie den Wert in Anführungszeichen: {name}: \"…\"",
                   pos, "R023")
            return
        if not value.strip():
            yield (f"„{name}“ ist leer.", spec.doc, pos, "R024")
            return
        if spec.enum and value not in spec.enum:
            hint = suggest(value, spec.enum) or "Erlaubt sind: " + ", ".join(spec.enum) + "."
            yield (f"„{value}“ ist kein gültiger Wert für „{name}“.", hint, pos, "R025")
        elif spec.pattern and not matches(spec.pattern, value):
            if matches(spec.pattern, value.strip()):  # e.g. a trailing newline from "|" or "\n"
                yield (f"„{value.strip()}“ steht in „{name}“ mit Leerzeichen oder Zeilenumbruch davor oder dahinter.",
                       f"Schreiben Sie den Wert ohne sie in eine Zeile: {name}: \"{value.strip()}\"", pos, "R026")
            else:
                yield (f"„{value}“ hat nicht die erwartete Form für „{name}“.", spec.doc, pos, "R026")
    elif spec.type == "bool":
        if not isinstance(value, bool):
            yield (f"„{name}“ muss „true“ oder „false“ sein.", f"z. B. {name}: true", pos, "R023")
    elif spec.type == "int":
        if isinstance(value, bool) or not isinstance(value, int):
            yield (f"„{name}“ muss eine ganze Zahl sein.", f"z. B. {name}: 10", pos, "R023")
    elif spec.type == "date":
        if not is_iso_date(value):
            german = _GERMAN_DATE.fullmatch(str(value))
            if german:
                day, month, year = german.groups()
                hint = f"Schreiben Sie das Datum in der Form JJJJ-MM-TT: {name}: {year}-{int(month):02d}-{int(day):02d}"
            else:
                hint = f"Schreiben Sie das Datum in der Form JJJJ-MM-TT, z. B. {name}: 2009-12-10"
            yield (f"„{value}“ ist kein gültiges Datum für „{name}“.", hint, pos, "R027")
    elif spec.type == "time":
        if not clock_time(value):
            yield (f"„{value}“ ist keine gültige Uhrzeit für „{name}“.",
                   f"Schreiben Sie die Uhrzeit in der Form SS:MM, z. B. {name}: \"10:00\"", pos, "R029")
    elif spec.type == "list[str]":
        if isinstance(value, str):
            yield (f"„{name}“ muss eine Liste sein.", f"Schreiben Sie {name}: [{value}]", pos, "R023")
        elif not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            yield (f"„{name}“ muss eine Liste von Texten sein.", f"z. B. {name}: [eins, zwei]", pos, "R023")
        elif spec.required and not value:
            yield (f"„{name}“ darf nicht leer sein.", spec.doc, pos, "R024")
    elif spec.type == "authors":
        if not isinstance(value, list):
            yield (f"„{name}“ muss eine Liste sein.", "z. B. authors: [Dr. Anna Beispiel]", pos, "R023")
            return
        for item in value:
            if isinstance(item, str) and item.strip():
                if "@" in item:
                    yield ("E-Mail-Adressen gehören nicht in den Namen.",
                           "Schreiben Sie „- name: …“ und darunter „email: …“; die Adresse bleibt intern.",
                           pos, "R028")
                continue
            if isinstance(item, dict):
                item_pos = getattr(item, "position", pos)
                yield from validate(item, AUTHOR_FIELDS, item_pos, "einer Autorenangabe")
                continue
            yield (f"Ungültiger Eintrag in „{name}“.", "Jeder Eintrag ist ein Name oder „name:“/„email:“.",
                   pos, "R023")
    elif spec.type == "object":
        if not isinstance(value, dict):
            fields = ", ".join(item.name for item in spec.items)
            yield (f"„{name}“ muss aus eingerückten Angaben bestehen ({fields}).", spec.doc, pos, "R023")
            return
        yield from validate(value, spec.items, getattr(value, "position", pos), f"„{name}“")
    elif spec.type == "list[object]":
        if not isinstance(value, list):
            yield (f"„{name}“ muss eine Liste sein.", spec.doc, pos, "R023")
            return
        for item in value:
            item_pos = getattr(item, "position", pos)
            yield from validate(item, spec.items, item_pos, f"einem Eintrag von „{name}“")

