"""Minimal textual edits of hand-written YAML: append one entry to a top-level list.

Editors keep comments, blank lines and their own formatting in ``paper.yml``; a dump of the
parsed data would destroy all of that. So the release entry is inserted as text, right after
the last line of the existing list, with the list's own indentation. The caller re-loads the
file to verify the result.
"""

from __future__ import annotations

import json
import re

from ..util.yamlsafe import YamlProblem, parse_yaml

_TOP_KEY = re.compile(r"^([A-Za-z_][\w-]*)\s*:(.*)$")


class YamlEditError(ValueError):
    """The list cannot be extended textually; the message is German."""


def scalar(value: str) -> str:
    """``value`` as a YAML scalar: plain when it reads back unchanged, else double-quoted."""
    try:
        plain_ok = "\n" not in value and value == value.strip() and parse_yaml(f"k: {value}") == {"k": value}
    except YamlProblem:
        plain_ok = False
    return value if plain_ok else json.dumps(value, ensure_ascii=False)


def append_list_item(text: str, key: str, fields: list[tuple[str, str]],
                     insert_before: tuple[str, ...] = ()) -> str:
    """Append ``- field: value …`` to the top-level list ``key``; create the key if missing.

    A new key is placed before the first existing key of ``insert_before``, else at the end.
    """
    lines = text.split("\n")
    start = _find_key(lines, key)
    if start is None:
        return _insert_new_key(lines, key, fields, insert_before)
    rest = _TOP_KEY.match(lines[start]).group(2).split(" #")[0].strip()  # type: ignore[union-attr]
    if rest not in ("", "[]", "null", "~"):
        raise YamlEditError(f"„{key}:“ ist in Kurzschreibweise ([…]) geschrieben; bitte als Liste mit „- “ "
                            "untereinander schreiben.")
    if rest:
        lines[start] = f"{key}:"
    indent, last = _list_extent(lines, start)
    entry = _entry(fields, indent if indent is not None else 2)
    return "\n".join(lines[: last + 1] + entry + lines[last + 1:])


def _find_key(lines: list[str], key: str) -> int | None:
    for index, line in enumerate(lines):
        match = _TOP_KEY.match(line)
        if match and match.group(1) == key:
            return index
    return None


def _list_extent(lines: list[str], start: int) -> tuple[int | None, int]:
    """Indentation of the list's ``-`` and index of its last content line."""
    indent: int | None = None
    last = start
    for index in range(start + 1, len(lines)):
        line = lines[index]
        stripped = line.lstrip(" ")
        if not stripped or stripped.startswith("#"):
            continue
        width = len(line) - len(stripped)
        if indent is None:
            if not stripped.startswith("- ") and stripped != "-":
                break
            indent = width
        if width > indent or (width == indent and (stripped.startswith("- ") or stripped == "-")):
            last = index
        else:
            break
    return indent, last


def _entry(fields: list[tuple[str, str]], indent: int) -> list[str]:
    pad = " " * indent
    out = []
    for number, (name, value) in enumerate(fields):
        prefix = f"{pad}- " if number == 0 else f"{pad}  "
        out.append(f"{prefix}{name}: {scalar(value)}")
    return out


def _insert_new_key(lines: list[str], key: str, fields: list[tuple[str, str]],
                    insert_before: tuple[str, ...]) -> str:
    block = [f"{key}:", *_entry(fields, 2)]
    for other in insert_before:
        index = _find_key(lines, other)
        if index is not None:
            while index > 0 and lines[index - 1].lstrip().startswith("#"):
                index -= 1  # keep a comment together with the key it describes
            return "\n".join(lines[:index] + block + lines[index:])
    while lines and not lines[-1].strip():
        lines.pop()
    return "\n".join(lines + block) + "\n"


def set_item_fields(text: str, key: str, match: tuple[str, str], fields: list[tuple[str, str]]) -> str:
    """In the top-level list ``key``, set ``fields`` of the entry whose ``match[0]`` is ``match[1]``.

    Existing field lines are replaced in place (their comments after ``#`` are dropped), missing
    ones appended at the end of the entry; everything else stays as written.
    """
    lines = text.split("\n")
    start = _find_key(lines, key)
    if start is None:
        raise YamlEditError(f"„{key}:“ fehlt.")
    indent, last = _list_extent(lines, start)
    if indent is None:
        raise YamlEditError(f"„{key}:“ ist keine Liste mit „- “-Einträgen.")
    entry = _entry_range(lines, start, last, indent, match)
    if entry is None:
        raise YamlEditError(f"Unter „{key}:“ gibt es keinen Eintrag mit {match[0]}: {match[1]}.")
    first, end = entry
    pad = " " * (indent + 2)
    for name, value in fields:
        pattern = re.compile(rf"^(\s*(?:- )?){re.escape(name)}\s*:")
        for index in range(first, end + 1):
            found = pattern.match(lines[index])
            if found and (index == first or lines[index].startswith(pad + name)):
                lines[index] = f"{found.group(1)}{name}: {scalar(value)}"
                break
        else:
            end += 1
            lines.insert(end, f"{pad}{name}: {scalar(value)}")
    return "\n".join(lines)


def _entry_range(lines: list[str], start: int, last: int, indent: int,
                 match: tuple[str, str]) -> tuple[int, int] | None:
    """First and last line of the list entry (between ``start`` and ``last``) holding ``match``."""
    starts = [i for i in range(start + 1, last + 1)
              if lines[i].startswith(" " * indent + "-") and len(lines[i]) - len(lines[i].lstrip(" ")) == indent]
    for number, first in enumerate(starts):
        end = (starts[number + 1] - 1) if number + 1 < len(starts) else last
        while end > first and not lines[end].strip():
            end -= 1
        wanted = re.compile(rf"^\s*(?:- )?{re.escape(match[0])}\s*:\s*[\"']?{re.escape(match[1])}[\"']?\s*(#.*)?$")
        if any(wanted.match(lines[i]) for i in range(first, end + 1)):
            return first, end
    return None
