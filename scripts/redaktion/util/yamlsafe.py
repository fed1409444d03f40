"""A strict YAML reader that remembers where every key was written.

PyYAML's safe loader accepts duplicate keys (the last one silently wins) and expands
aliases, which lets a few lines of YAML grow into gigabytes ("billion laughs"). Member
files are written by hand, so both are refused with a located error instead.
"""

from __future__ import annotations

import re

import yaml
from yaml.nodes import MappingNode

from ..model import Position


class YamlProblem(Exception):
    """A YAML text that cannot be read; line and column are 1-based."""

    def __init__(self, message: str, line: int, column: int, hint: str = "", code: str = "R002"):
        super().__init__(message)
        self.message = message
        self.line = line
        self.column = column
        self.hint = hint
        self.code = code

    def shifted(self, lines: int) -> "YamlProblem":
        self.line += lines
        return self


class LocatedDict(dict):
    """A mapping that knows the position of each of its keys."""

    positions: dict[str, Position]
    position: Position


class _Loader(yaml.SafeLoader):
    line_offset = 0  # file line of the YAML text's first line, minus one


def _no_alias(self: _Loader, *args: object, **kwargs: object) -> None:
    event = self.peek_event()
    if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
        mark = event.start_mark
        raise YamlProblem(
            "YAML-Anker und -Verweise (& und *) sind nicht erlaubt.",
            mark.line + 1, mark.column + 1,
            "Schreiben Sie den Wert direkt aus, statt ihn mit & und * zu wiederholen.",
            code="R004",
        ).shifted(self.line_offset)
    return _compose_node(self, *args, **kwargs)


_compose_node = yaml.composer.Composer.compose_node
_Loader.compose_node = _no_alias  # type: ignore[assignment]


def _construct_mapping(loader: _Loader, node: MappingNode) -> LocatedDict:
    result = LocatedDict()
    result.positions = {}
    offset = loader.line_offset
    result.position = Position(node.start_mark.line + 1 + offset, node.start_mark.column + 1)
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if not isinstance(key, str):
            key = str(key)
        if key in result:
            raise YamlProblem(
                f"Das Feld „{key}“ steht doppelt.",
                key_node.start_mark.line + 1 + loader.line_offset, key_node.start_mark.column + 1,
                "Löschen Sie eine der beiden Zeilen; sonst gilt unbemerkt nur die letzte.",
                code="R003",
            )
        result[key] = loader.construct_object(value_node, deep=True)
        result.positions[key] = Position(key_node.start_mark.line + 1 + offset, key_node.start_mark.column + 1)
    return result


def _construct_timestamp(loader: _Loader, node: yaml.Node) -> str:
    # Dates stay the ISO text the member wrote; a datetime object would lose the "as written"
    # form and differ between files with and without quotes.
    value = loader.construct_scalar(node)
    return str(value)


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_Loader.add_constructor("tag:yaml.org,2002:timestamp", _construct_timestamp)


class _FastLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """The same constructors on libyaml's C parser: about ten times faster on front matter.

    It only handles texts without anchors, aliases or unprintable characters, and only its
    successful results are used; every problem is reported by the pure-Python ``_Loader``, so
    messages and positions stay exactly those of the strict loader.
    """

    line_offset = 0


_FastLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_FastLoader.add_constructor("tag:yaml.org,2002:timestamp", _construct_timestamp)
_HAS_FAST_LOADER = bool(getattr(yaml, "__with_libyaml__", False))
_NON_PRINTABLE = yaml.reader.Reader.NON_PRINTABLE
# Anchors and aliases (refused with R004), tags and tabs (libyaml and PyYAML differ on some).
_FAST_UNSAFE = re.compile(r"[&*!\t]")


def _parse_fast(text: str, first_line: int) -> tuple[bool, object]:
    """Try libyaml; return (True, data) on success, (False, None) when the strict loader must decide."""
    if not _HAS_FAST_LOADER or _FAST_UNSAFE.search(text) or _NON_PRINTABLE.search(text):
        return False, None
    loader = _FastLoader(text)
    loader.line_offset = first_line - 1
    try:
        return True, loader.get_single_data()
    except Exception:  # noqa: BLE001 - any problem is re-read (and explained) by the strict loader
        return False, None
    finally:
        loader.dispose()


def parse_yaml(text: str, first_line: int = 1) -> object:
    """Parse YAML text; raise :class:`YamlProblem` with a position relative to the file.

    ``first_line`` is the file line where ``text`` starts (front matter starts on line 2).
    """
    for number, line in enumerate(text.split("\n")):
        stripped = line.lstrip(" ")
        if stripped.startswith("\t"):
            raise YamlProblem(
                "Tabulatorzeichen zum Einrücken sind in YAML nicht erlaubt.",
                number + first_line, len(line) - len(stripped) + 1,
                "Rücken Sie mit Leerzeichen ein (zwei pro Ebene).",
                code="R005",
            )
    parsed, data = _parse_fast(text, first_line)
    if parsed:
        return data
    loader = _Loader(text)
    loader.line_offset = first_line - 1
    try:
        return loader.get_single_data()
    except YamlProblem:
        raise
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = (mark.line + first_line) if mark else first_line
        column = (mark.column + 1) if mark else 1
        raise YamlProblem(
            f"Die YAML-Angaben sind fehlerhaft: {_german_yaml_problem(error)}.",
            line, column,
            "Prüfen Sie Einrückung, Doppelpunkte und Anführungszeichen in dieser und der Zeile davor. "
            "Werte mit Doppelpunkt setzen Sie in Anführungszeichen.",
        ) from None
    except yaml.YAMLError as error:  # pragma: no cover - PyYAML marks nearly everything
        raise YamlProblem(f"Die YAML-Angaben sind fehlerhaft ({error}).", first_line, 1) from None


def _german_yaml_problem(error: yaml.MarkedYAMLError) -> str:
    problem = (error.problem or "").strip()
    translations = {
        "mapping values are not allowed here": "hier ist kein Doppelpunkt erlaubt",
        "could not find expected ':'": "ein Doppelpunkt fehlt",
        "found character that cannot start any token": "ein Zeichen, mit dem kein Wert beginnen darf",
        "did not find expected key": "ein Feld ist falsch eingerückt",
        "found unexpected end of stream": "der Text endet mitten in einem Wert",
        "found undefined alias": "unbekannter Verweis",
        "did not find expected '-' indicator": "ein Listeneintrag („- “) ist falsch eingerückt",
        "found unexpected ':'": "unerwarteter Doppelpunkt",
        "expected <block end>, but found '-'": "ein Listeneintrag („- “) ist falsch eingerückt",
    }
    for english, german in translations.items():
        if problem.startswith(english):
            return german
    if "found unknown escape character" in problem:
        return "ein Rückstrich (\\) in doppelten Anführungszeichen"
    if "while parsing a flow sequence" in (error.context or ""):
        return "eine eckige Klammer „[“ wird nicht geschlossen"
    if "while parsing a flow mapping" in (error.context or ""):
        return "eine geschweifte Klammer „{“ wird nicht geschlossen"
    if "while scanning a quoted scalar" in (error.context or ""):
        return "ein Anführungszeichen wird nicht geschlossen"
    return "die Struktur ist nicht lesbar"
