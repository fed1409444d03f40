"""Data tables of ``daten`` contributions: read and check the CSV file, format it for the draft.

Pure Python (``csv`` from the standard library): ``check`` uses :func:`read_table` and
:func:`check_data`, ``assemble`` additionally :func:`dataset` (the table as Markdown plus the
chart description). Drawing the chart is the renderers' job (``render/charts.py``).

A CSV file has one row per member and year::

    Kommune;Jahr;mit Migrationshintergrund;ohne Migrationshintergrund
    stuttgart;2009;14,8;28,3

``Kommune`` holds member ids from ``members.yml``, ``Jahr`` a four-digit year (it may be left
out when the front matter gives ``jahr:``), every other column numbers with a decimal comma
and without a unit. Semicolon, tab and comma separate columns (German Excel writes ``;``).
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from ..model import (
    CHART_KIND_LABELS,
    DATA_LICENSE,
    LICENSE_LABELS,
    Chart,
    ChartSeries,
    Contribution,
    DataSpec,
    Dataset,
    Diagnostic,
    Member,
)
from ..model.errors import suggest

MEMBER_COLUMN = "Kommune"
YEAR_COLUMN = "Jahr"
MISSING_LABEL = "k. A."
MISSING_MARKERS = ("", "k. a.", "k.a.", "k. a", "ka", "–", "—", "-", ".", "x")
MAX_CSV_BYTES = 512 * 1024

_NUMBER = re.compile(r"^[-−]?\d+(,\d+)?$")
_POINT_DECIMAL = re.compile(r"^[-−]?\d+\.\d+$")
_THOUSANDS = re.compile(r"^[-−]?\d{1,3}([. ]\d{3})+(,\d+)?$")
_YEAR = re.compile(r"^(19|20)\d\d$")


class NumberProblem(ValueError):
    """A cell that is not a number; ``hint`` says what to write instead."""

    def __init__(self, message: str, hint: str):
        super().__init__(message)
        self.message = message
        self.hint = hint


@dataclass(frozen=True)
class DataRow:
    """One line of the CSV file."""

    member: str
    year: int | None
    values: tuple[float | None, ...]  # one per value column; None: missing („k. A.“)
    line: int


@dataclass(frozen=True)
class DataTable:
    """A checked CSV table."""

    columns: tuple[str, ...]  # the value columns' headings
    rows: tuple[DataRow, ...]
    decimals: int  # decimal places used in the file (at most)
    has_year_column: bool

    @property
    def years(self) -> tuple[int, ...]:
        return tuple(sorted({r.year for r in self.rows if r.year is not None}))

    @property
    def members(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(r.member for r in self.rows))


# --- numbers ------------------------------------------------------------------------------------


def parse_number(text: str, unit: str = "") -> tuple[float, int]:
    """A German number („12,5“, „-3“) as (value, decimal places); raise :class:`NumberProblem`."""
    cell = text.strip()
    if _NUMBER.fullmatch(cell):
        digits = cell.replace("−", "-")
        decimals = len(digits.split(",")[1]) if "," in digits else 0
        return float(digits.replace(",", ".")), decimals
    plain = re.sub(r"\s*(%|‰|€|EUR|Prozent)$", "", cell)
    unit_hint = f" ({unit})" if unit else ""
    if plain != cell and (_NUMBER.fullmatch(plain) or _POINT_DECIMAL.fullmatch(plain)):
        number = plain.replace(".", ",")
        raise NumberProblem(f"„{cell}“ ist keine Zahl: Die Einheit gehört nicht in die Zelle.",
                            f"Schreiben Sie nur {number}; die Einheit{unit_hint} steht im Kopfbereich "
                            "unter „daten: einheit“.")
    if _THOUSANDS.fullmatch(cell):
        raise NumberProblem(f"„{cell}“ enthält einen Tausenderpunkt oder ein Leerzeichen.",
                            f"Schreiben Sie Zahlen ohne Tausendertrennzeichen: {re.sub(r'[. ]', '', cell)}. "
                            "Falls eine Dezimalzahl gemeint ist, trennen Sie mit Komma.")
    if _POINT_DECIMAL.fullmatch(cell):
        raise NumberProblem(f"„{cell}“ ist mit Dezimalpunkt geschrieben.",
                            f"Schreiben Sie Dezimalzahlen mit Komma: {cell.replace('.', ',')}.")
    raise NumberProblem(f"„{cell}“ ist keine Zahl.",
                        "Die Wertespalten enthalten nur Zahlen mit Dezimalkomma, z. B. 12,5. Fehlende Werte "
                        "schreiben Sie als „k. A.“ und erklären sie im Kopfbereich unter „daten: fehlend“.")


def format_number(value: float, decimals: int) -> str:
    """German formatting: decimal comma, thousands point from 10 000 on („12.345,6“, „−3,2“)."""
    integer, _, fraction = f"{abs(value):,.{decimals}f}".partition(".")
    integer = integer.replace(",", "." if abs(value) >= 10_000 else "")
    text = integer + ("," + fraction if fraction else "")
    return ("−" if value < 0 and text.strip("0,.") else "") + text


def format_value(value: float | None, decimals: int, unit: str = "") -> str:
    """A cell or label: the number (with unit when given) or „k. A.“."""
    if value is None:
        return MISSING_LABEL
    number = format_number(value, decimals)
    return f"{number} {unit}".strip()


def is_missing(cell: str) -> bool:
    return cell.strip().casefold() in MISSING_MARKERS


# --- reading and checking -----------------------------------------------------------------------


def csv_path(c: Contribution) -> Path | None:
    """Where the contribution's CSV file is (None without ``daten``)."""
    return c.path.parent / c.data.file if c.data else None


def check_data(c: Contribution, rel: str, members: Mapping[str, Member]) -> list[Diagnostic]:
    """Every problem of a contribution's ``daten`` block and its CSV file."""
    if c.data is None:
        return []
    if c.kind != "daten":
        return [_at(c, rel, "daten", "R090", "Eine Datentabelle („daten:“) gibt es nur bei Beiträgen der Art „daten“.",
                    "Schreiben Sie kind: daten oder entfernen Sie den Block „daten:“.")]
    _, diagnostics = read_table(c, rel, members)
    return diagnostics


def read_table(c: Contribution, rel: str, members: Mapping[str, Member]) -> tuple[DataTable | None, list[Diagnostic]]:
    """Read and check the CSV file of ``c``; ``rel`` is the contribution's project path."""
    spec = c.data
    assert spec is not None
    path = c.path.parent / spec.file
    csv_rel = rel.rsplit("/", 1)[0] + "/" + spec.file if "/" in rel else spec.file
    if not path.is_file():
        siblings = sorted(p.name for p in c.path.parent.glob("*.csv"))
        return None, [_at(c, rel, "daten.datei", "R091", f"Die CSV-Datei „{spec.file}“ gibt es nicht.",
                          suggest(spec.file, siblings) or "Legen Sie die Datei in denselben Ordner wie den Beitrag "
                          "und prüfen Sie Schreibweise und Groß-/Kleinschreibung.")]
    text, problem = _read_text(path, csv_rel)
    if problem:
        return None, [problem]
    reader = _Reader(text, csv_rel, spec, members)
    table = reader.read()
    if table is not None:
        reader.diagnostics += list(_check_chart(c, rel, spec, table))
        reader.diagnostics += list(_check_years(c, rel, spec, table, csv_rel))
    errors = [d for d in reader.diagnostics if d.severity == "error"]
    return (None if errors else table), reader.diagnostics


def _read_text(path: Path, rel: str) -> tuple[str, Diagnostic | None]:
    raw = path.read_bytes()
    if len(raw) > MAX_CSV_BYTES:
        return "", Diagnostic(rel, 1, 1, "R092", f"Die CSV-Datei ist mit {len(raw) // 1024} KB zu groß.",
                              f"Eine Datentabelle darf höchstens {MAX_CSV_BYTES // 1024} KB haben; teilen Sie sie "
                              "in mehrere Beiträge (ein Indikator je Datei).")
    raw = raw.removeprefix(b"\xef\xbb\xbf")  # Excel's "CSV UTF-8" writes a byte order mark
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        return "", Diagnostic(rel, line, 1, "R092", "Die CSV-Datei ist nicht in UTF-8 gespeichert.",
                              "Speichern Sie sie in Excel als „CSV UTF-8 (durch Trennzeichen getrennt)“ oder im "
                              "Editor mit der Codierung UTF-8.")
    return text.replace("\r\n", "\n").replace("\r", "\n"), None


class _Reader:
    """Walks a CSV text once and collects located diagnostics."""

    def __init__(self, text: str, rel: str, spec: DataSpec, members: Mapping[str, Member]):
        self.text = text
        self.lines = text.split("\n")
        self.rel = rel
        self.spec = spec
        self.members = members
        self.diagnostics: list[Diagnostic] = []
        self.delimiter = _delimiter(text)

    def error(self, line: int, column: int, code: str, message: str, hint: str) -> None:
        self.diagnostics.append(Diagnostic(self.rel, line, column, code, message, hint))

    def read(self) -> DataTable | None:
        records = [(line, row) for line, row in self._records() if any(cell.strip() for cell in row)]
        if not records:
            self.error(1, 1, "R092", "Die CSV-Datei enthält keine Tabelle.",
                       f"Die erste Zeile nennt die Spalten, z. B. {MEMBER_COLUMN};{YEAR_COLUMN};Wert, darunter "
                       "folgt je Kommune und Jahr eine Zeile.")
            return None
        (header_line, header), body = records[0], records[1:]
        layout = self._header(header_line, header)
        if layout is None:
            return None
        member_index, year_index, value_indexes = layout
        rows: list[DataRow] = []
        decimals = 0
        seen: dict[tuple[str, int | None], int] = {}
        for line, cells in body:
            if len(cells) != len(header):
                self.error(line, 1, "R092", f"Die Zeile hat {len(cells)} statt {len(header)} Spalten.",
                           self._width_hint())
                continue
            member = self._member(line, cells, member_index)
            year = self._year(line, cells, year_index) if year_index is not None else self.spec.year
            values: list[float | None] = []
            for index in value_indexes:
                value, places = self._value(line, cells, index, header[index].strip())
                values.append(value)
                decimals = max(decimals, places)
            if member is None or (year_index is not None and year is None):
                continue
            key = (member, year)
            if key in seen:
                when = f" für {year}" if year is not None else ""
                self.error(line, 1, "R099", f"Für „{member}“{when} gibt es schon eine Zeile (Zeile {seen[key]}).",
                           "Jede Kommune steht je Jahr nur einmal in der Tabelle.")
                continue
            seen[key] = line
            rows.append(DataRow(member, year, tuple(values), line))
        if not body:
            self.error(header_line, 1, "R092", "Die CSV-Datei enthält nur die Kopfzeile.",
                       "Ergänzen Sie darunter je Kommune und Jahr eine Zeile mit Werten.")
        columns = tuple(header[i].strip() for i in value_indexes)
        return DataTable(columns, tuple(rows), decimals, year_index is not None)

    def _records(self) -> Iterator[tuple[int, list[str]]]:
        reader = csv.reader(self.text.split("\n"), delimiter=self.delimiter)
        try:
            for row in reader:
                yield reader.line_num, row
        except csv.Error as error:
            self.error(reader.line_num, 1, "R092", f"Die CSV-Datei ist fehlerhaft: {error}.",
                       "Prüfen Sie die Anführungszeichen in dieser Zeile.")

    def _header(self, line: int, header: list[str]) -> tuple[int, int | None, list[int]] | None:
        names = [cell.strip() for cell in header]
        folded = [name.casefold() for name in names]
        ok = True
        for index, name in enumerate(names):
            if not name:
                self.error(line, self._column(line, index), "R093", f"Die {index + 1}. Spalte hat keine Überschrift.",
                           "Jede Spalte braucht in der ersten Zeile eine Überschrift.")
                ok = False
            elif folded.index(name.casefold()) != index:
                self.error(line, self._column(line, index), "R093", f"Die Spalte „{name}“ gibt es doppelt.",
                           "Geben Sie jeder Spalte eine eigene Überschrift.")
                ok = False
        if MEMBER_COLUMN.casefold() not in folded:
            close = suggest(names[0], [MEMBER_COLUMN]) if names else ""
            self.error(line, 1, "R093", f"Die Spalte „{MEMBER_COLUMN}“ fehlt.",
                       close or f"Die erste Zeile nennt die Spalten, z. B. {MEMBER_COLUMN};{YEAR_COLUMN};Wert; "
                       f"unter „{MEMBER_COLUMN}“ stehen die Kurznamen aus members.yml.")
            return None
        member_index = folded.index(MEMBER_COLUMN.casefold())
        year_index = folded.index(YEAR_COLUMN.casefold()) if YEAR_COLUMN.casefold() in folded else None
        values = [i for i in range(len(names)) if i not in (member_index, year_index)]
        if not values:
            self.error(line, 1, "R093", "Die CSV-Datei hat keine Spalte mit Werten.",
                       f"Neben „{MEMBER_COLUMN}“ und „{YEAR_COLUMN}“ braucht die Tabelle mindestens eine "
                       "Spalte mit Zahlen.")
            return None
        return (member_index, year_index, values) if ok else None

    def _member(self, line: int, cells: list[str], index: int) -> str | None:
        value = cells[index].strip()
        if value in self.members:
            return value
        by_name = {m.name.casefold(): m.id for m in self.members.values()}
        by_name |= {m.short_name.casefold(): m.id for m in self.members.values()}
        if value.casefold() in by_name:
            hint = f"Schreiben Sie den Kurznamen aus members.yml: {by_name[value.casefold()]}"
        else:
            hint = suggest(value.lower(), list(self.members)) or "Die Kurznamen stehen in contributions/members.yml."
        self.error(line, self._column(line, index), "R095", f"Unbekannte Kommune „{value}“.", hint)
        return None

    def _year(self, line: int, cells: list[str], index: int) -> int | None:
        value = cells[index].strip()
        if _YEAR.fullmatch(value):
            return int(value)
        self.error(line, self._column(line, index), "R097", f"„{value}“ ist keine Jahreszahl.",
                   "Die Spalte „Jahr“ enthält vierstellige Jahreszahlen, z. B. 2009.")
        return None

    def _value(self, line: int, cells: list[str], index: int, column: str) -> tuple[float | None, int]:
        cell = cells[index].strip()
        if is_missing(cell):
            if not self.spec.missing:
                what = "ist leer" if not cell else f"enthält „{cell}“ statt einer Zahl"
                self.error(line, self._column(line, index), "R096", f"Die Zelle in Spalte „{column}“ {what}.",
                           "Fehlende Werte sind nur mit Erklärung erlaubt: Schreiben Sie „k. A.“ in die Zelle und "
                           "im Kopfbereich unter „daten:“ z. B. fehlend: \"Für 2007 liegen keine Zahlen vor.\"")
            return None, 0
        try:
            return parse_number(cell, self.spec.unit)
        except NumberProblem as problem:
            self.error(line, self._column(line, index), "R094",
                       f"Spalte „{column}“: {problem.message}", problem.hint)
            return None, 0

    def _column(self, line: int, index: int) -> int:
        """1-based character column of cell ``index`` in ``line`` (1 for quoted lines)."""
        text = self.lines[line - 1] if 0 < line <= len(self.lines) else ""
        if '"' in text:
            return 1
        return sum(len(cell) + 1 for cell in text.split(self.delimiter)[:index]) + 1

    def _width_hint(self) -> str:
        if self.delimiter == ",":
            return ("Trennen Sie die Spalten mit Semikolon (;), wenn Zahlen ein Dezimalkomma enthalten – so "
                    "speichert Excel in deutscher Einstellung („CSV (Trennzeichen-getrennt)“).")
        return "Jede Zeile braucht so viele Zellen, wie die erste Zeile Spalten nennt."


def _delimiter(text: str) -> str:
    first = next((line for line in text.split("\n") if line.strip()), "")
    for candidate in (";", "\t"):
        if candidate in first:
            return candidate
    return ","


def _at(c: Contribution, rel: str, key: str, code: str, message: str, hint: str,
        severity: str = "error") -> Diagnostic:
    pos = c.positions.get(key) or c.positions.get("daten")
    return Diagnostic(rel, pos.line if pos else 1, pos.column if pos else 1, code, message, hint, severity)


def _check_years(c: Contribution, rel: str, spec: DataSpec, table: DataTable, csv_rel: str) -> Iterator[Diagnostic]:
    if table.has_year_column and spec.year is not None:
        yield _at(c, rel, "daten.jahr", "R097", f"Die CSV-Datei hat eine Spalte „{YEAR_COLUMN}“; „jahr“ ist doppelt.",
                  f"Entfernen Sie „jahr: {spec.year}“ aus dem Kopfbereich – die Jahre stehen in der Tabelle.")
    elif not table.has_year_column and spec.year is None:
        yield _at(c, rel, "daten.datei", "R097", "Das Berichtsjahr fehlt.",
                  f"Ergänzen Sie in {csv_rel} eine Spalte „{YEAR_COLUMN}“ oder im Kopfbereich unter „daten:“ "
                  "z. B. jahr: 2009.")


def _check_chart(c: Contribution, rel: str, spec: DataSpec, table: DataTable) -> Iterator[Diagnostic]:
    chart = spec.chart
    if chart is None:
        return
    years = table.years
    if chart.kind == "balken" and chart.year is not None and chart.year not in years:
        shown = ", ".join(map(str, years)) or "keine"
        yield _at(c, rel, "daten.diagramm.jahr", "R098", f"Das Jahr {chart.year} steht nicht in der Tabelle.",
                  f"Die Tabelle enthält die Jahre: {shown}.")
    if chart.kind == "linie" and len(years) < 2:
        yield _at(c, rel, "daten.diagramm.typ", "R098", "Ein Liniendiagramm braucht Werte aus mindestens zwei Jahren.",
                  "Wählen Sie typ: balken, um die Kommunen in einem Jahr zu vergleichen.")
    if chart.column and chart.column not in table.columns:
        yield _at(c, rel, "daten.diagramm.spalte", "R098", f"Die Spalte „{chart.column}“ gibt es in der Tabelle nicht.",
                  suggest(chart.column, table.columns) or "Spalten mit Werten: " + ", ".join(table.columns) + ".")


# --- the published form: table Markdown and chart description ------------------------------------


def dataset(c: Contribution, table: DataTable, members: Mapping[str, Member], csv_rel: str,
            chart_id: str) -> Dataset:
    """The data table as it appears in the draft, plus the chart to draw."""
    spec = c.data
    assert spec is not None
    names = {m: (members[m].short_name if m in members else m) for m in table.members}
    chart = build_chart(spec, table, names, chart_id) if spec.chart else None
    return Dataset(
        indicator=spec.indicator, unit=spec.unit, source=spec.source, license=c.license or DATA_LICENSE,
        csv=csv_rel, years=table.years, members=table.members, table=markdown_table(spec, table, names),
        chart=chart, missing=spec.missing,
    )


def period(years: tuple[int, ...]) -> str:
    """„2009“, „2007 bis 2009“ or an empty string."""
    if not years:
        return ""
    return str(years[0]) if len(years) == 1 else f"{years[0]} bis {years[-1]}"


def markdown_table(spec: DataSpec, table: DataTable, names: Mapping[str, str]) -> str:
    """A pipe table with German numbers; one value column over several years becomes Kommune × Jahr."""
    rows = sorted(table.rows, key=lambda r: (names[r.member].casefold(), r.year or 0))
    years = table.years
    if table.has_year_column and len(table.columns) == 1 and len(years) > 1:
        header = [MEMBER_COLUMN, *map(str, years)]
        by_member: dict[str, dict[int | None, float | None]] = {}
        for row in rows:
            by_member.setdefault(row.member, {})[row.year] = row.values[0]
        body = [[names[m], *(format_value(values.get(y), table.decimals) for y in years)]
                for m, values in by_member.items()]
    else:
        header = [MEMBER_COLUMN, *([YEAR_COLUMN] if table.has_year_column else []), *table.columns]
        body = [[names[r.member], *([str(r.year)] if table.has_year_column else []),
                 *(format_value(v, table.decimals) for v in r.values)] for r in rows]
    lines = ["| " + " | ".join(md_escape(h) for h in header) + " |",
             "| " + " | ".join(["---"] + ["---:"] * (len(header) - 1)) + " |"]
    lines += ["| " + " | ".join(md_escape(cell) for cell in row) + " |" for row in body]
    caption = f"{spec.indicator} ({spec.unit})"
    if spec.year is not None or years:
        caption += ", " + period(years or (spec.year,))  # type: ignore[arg-type]
    return "\n".join(lines) + "\n\n: " + md_escape(caption) + "\n"


def source_line(ds: Dataset) -> str:
    """„Quelle: …. Lizenz: …. k. A.: …“ as Markdown."""
    parts = [f"Quelle: {md_escape(ds.source.rstrip('.'))}.",
             f"Lizenz: {md_escape(LICENSE_LABELS.get(ds.license, ds.license))}."]
    if ds.missing:
        parts.append(f"{MISSING_LABEL} = keine Angabe: {md_escape(ds.missing)}")
    return " ".join(parts) + "\n"


_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]<>|^~$@])")


def md_escape(text: str) -> str:
    """Text that pandoc's Markdown reader shows literally."""
    return _MD_SPECIAL.sub(r"\\\1", " ".join(text.split()))


def build_chart(spec: DataSpec, table: DataTable, names: Mapping[str, str], chart_id: str) -> Chart:
    """The chart of ``spec.chart`` as categories and series, with its German text alternative."""
    assert spec.chart is not None
    if spec.chart.kind == "balken":
        return _bar_chart(spec, table, names, chart_id)
    return _line_chart(spec, table, names, chart_id)


def _bar_chart(spec: DataSpec, table: DataTable, names: Mapping[str, str], chart_id: str) -> Chart:
    assert spec.chart is not None
    year = spec.chart.year or (table.years[-1] if table.years else spec.year)
    rows = [r for r in table.rows if r.year == year or not table.has_year_column]
    rows.sort(key=lambda r: (r.values[0] is None, -(r.values[0] or 0), names[r.member].casefold()))
    categories = tuple(names[r.member] for r in rows)
    series = tuple(ChartSeries(label, tuple(r.values[i] for r in rows)) for i, label in enumerate(table.columns))
    title = f"{spec.indicator} {year}" if year else spec.indicator
    alt = _alt("balken", title, spec.unit, categories, series, table.decimals, len(categories), None)
    return Chart(chart_id, "balken", title, spec.unit, categories, series, table.decimals, alt)


def _line_chart(spec: DataSpec, table: DataTable, names: Mapping[str, str], chart_id: str) -> Chart:
    assert spec.chart is not None
    years = table.years
    members = sorted(table.members, key=lambda m: names[m].casefold())
    lookup = {(r.member, r.year): r.values for r in table.rows}
    if len(members) == 1 and len(table.columns) > 1 and not spec.chart.column:
        series = tuple(ChartSeries(col, tuple((lookup.get((members[0], y)) or (None,) * len(table.columns))[i]
                                              for y in years)) for i, col in enumerate(table.columns))
    else:
        index = table.columns.index(spec.chart.column) if spec.chart.column in table.columns else 0
        series = tuple(ChartSeries(names[m], tuple((lookup.get((m, y)) or (None,) * len(table.columns))[index]
                                                   for y in years)) for m in members)
    categories = tuple(str(y) for y in years)
    title = f"{spec.indicator} {period(years)}"
    alt = _alt("linie", title, spec.unit, categories, series, table.decimals, len(members), years)
    return Chart(chart_id, "linie", title, spec.unit, categories, series, table.decimals, alt)


def _alt(kind: str, title: str, unit: str, categories: tuple[str, ...], series: tuple[ChartSeries, ...],
         decimals: int, count: int, years: tuple[int, ...] | None) -> str:
    """„Balkendiagramm: … in 8 Kommunen; höchster Wert Stuttgart 24,1 %, niedrigster Wert …“."""
    what = f"{CHART_KIND_LABELS[kind]}: {title} in {count} {'Kommune' if count == 1 else 'Kommunen'}"
    parts = []
    if kind == "balken":
        for s in series:
            points = [(v, c) for c, v in zip(categories, s.values) if v is not None]
            parts.append(_extremes(s.label if len(series) > 1 else "", points, decimals, unit))
    else:
        points = [(v, f"{s.label} ({year})") for s in series for year, v in zip(years or (), s.values) if v is not None]
        parts.append(_extremes("", points, decimals, unit))
    return what + "; " + "; ".join(p for p in parts if p) + ". Die Werte stehen in der Tabelle unter dem Diagramm."


def _extremes(label: str, points: list[tuple[float, str]], decimals: int, unit: str) -> str:
    if not points:
        return f"{label}: keine Werte" if label else "keine Werte"
    high = max(points, key=lambda p: p[0])
    low = min(points, key=lambda p: p[0])
    text = (f"höchster Wert {high[1]} {format_value(high[0], decimals, unit)}, "
            f"niedrigster Wert {low[1]} {format_value(low[0], decimals, unit)}")
    return f"{label}: {text}" if label else text
