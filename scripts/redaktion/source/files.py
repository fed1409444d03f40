"""Reading project files: size limit, UTF-8, front matter and YAML, each problem a located diagnostic.

Shared by the loaders of contributions, papers, sessions and comments.
"""

from __future__ import annotations

from pathlib import Path

from ..model import Diagnostic
from ..util.yamlsafe import YamlProblem, parse_yaml
from . import fields

CONTENT_DIR = "contributions"
MAX_FILE_BYTES = 512 * 1024  # far above any real contribution; protects the build from accidents


class _FileProblem(Exception):
    def __init__(self, diagnostic: Diagnostic):
        super().__init__(diagnostic.message)
        self.diagnostic = diagnostic


def read_text(root: Path, path: Path, rel: str = "") -> tuple[str, list[Diagnostic]]:
    """Read a UTF-8 text file; accept CRLF and a byte order mark, refuse other encodings.

    ``rel`` is the path relative to ``root`` when the caller already knows it (saves a resolve).
    """
    rel = rel or _rel(root, path)
    return _decode(_read_bytes(path, rel), rel)


def _read_bytes(path: Path, rel: str) -> bytes:
    """The bytes of a file, refusing oversized ones before reading them."""
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise _FileProblem(Diagnostic(
            rel, 1, 1, "R012", f"Die Datei ist mit {size / 1024 / 1024:.1f} MB zu groß.",
            f"Ein Beitrag darf höchstens {MAX_FILE_BYTES // 1024} KB haben. Große Tabellen gehören in "
            "eine CSV-Datei, Bilder in den Ordner media/."))
    return path.read_bytes()


def _decode(raw: bytes, rel: str) -> tuple[str, list[Diagnostic]]:
    """Decode UTF-8 (a BOM gives a warning), normalise line ends, refuse binary data."""
    warnings: list[Diagnostic] = []
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
        warnings.append(Diagnostic(
            rel, 1, 1, "R011", "Die Datei beginnt mit einer Byte-Order-Markierung (BOM).",
            "Sie wird ignoriert. Speichern Sie die Datei künftig als „UTF-8“ ohne BOM.", "warning"))
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        before = raw[: error.start]
        line = before.count(b"\n") + 1
        column = error.start - (before.rfind(b"\n") + 1) + 1
        raise _FileProblem(Diagnostic(
            rel, line, column, "R010",
            "Die Datei ist nicht in UTF-8 gespeichert (vermutlich Windows-1252 aus Word oder Editor).",
            "Öffnen Sie sie im Editor und speichern Sie sie mit der Codierung „UTF-8“, z. B. in VS Code "
            "unten rechts auf die Codierung klicken → „Mit Codierung speichern“ → UTF-8.")) from None
    if "\x00" in text:
        raise _FileProblem(Diagnostic(rel, 1, 1, "R010", "Die Datei enthält Binärdaten und ist kein Text.",
                                      "Beiträge sind Textdateien im Markdown-Format (.md)."))
    return text.replace("\r\n", "\n").replace("\r", "\n"), warnings


def split_front_matter(text: str, rel: str) -> tuple[str, str, int]:
    """Split ``---`` front matter from the body; return (yaml, body, first body line)."""
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        raise _FileProblem(Diagnostic(
            rel, 1, 1, "R001", "Der Beitrag beginnt nicht mit einem Kopfbereich („---“).",
            "Die erste Zeile muss „---“ lauten, danach folgen die Angaben (paper, section, …) und "
            "wieder eine Zeile „---“. Eine Vorlage erzeugt „redaktion new“."))
    for index in range(1, len(lines)):
        if lines[index].rstrip() in ("---", "..."):
            return "\n".join(lines[1:index]), "\n".join(lines[index + 1:]), index + 2
    raise _FileProblem(Diagnostic(
        rel, 1, 1, "R001", "Der Kopfbereich wird nicht mit „---“ abgeschlossen.",
        "Fügen Sie nach der letzten Angabe eine Zeile mit genau „---“ ein."))


def read_front_matter(root: Path, path: Path, diagnostics: list[Diagnostic]) -> tuple[object, str, int, str] | None:
    """Read a Markdown file with YAML front matter: (data, body, first body line, path below ``root``).

    A file that cannot be read or parsed gives a located diagnostic and None.
    """
    rel = _rel(root, path)
    try:
        text, warnings = read_text(root, path, rel)
        diagnostics.extend(warnings)
        front, body, body_line = split_front_matter(text, rel)
        return _parse(front, rel, first_line=2), body, body_line, rel
    except _FileProblem as problem:
        diagnostics.append(problem.diagnostic)
        return None


def _parse(text: str, rel: str, first_line: int = 1) -> object:
    try:
        return parse_yaml(text, first_line)
    except YamlProblem as problem:
        raise _FileProblem(Diagnostic(rel, problem.line, problem.column, problem.code,
                                      problem.message, problem.hint)) from None


def _located(rel: str, problems: list[fields.Problem]) -> list[Diagnostic]:
    return [Diagnostic(rel, pos.line, pos.column, code, message, hint)
            for message, hint, pos, code in problems]


def _rel(root: Path, path: Path) -> str:
    try:
        return path.resolve().relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()
