"""Read a project's files into a :class:`~redaktion.model.Corpus`, with source positions.

Loading never stops at the first problem: every unreadable or invalid file becomes a
located :class:`~redaktion.model.Diagnostic`, and the file is left out of the corpus, so
``check`` can report all problems of a project in one run.

Parsing a contribution depends on nothing but the file itself, so its result is kept in a
content-hash cache (``loadcache.py``); members, papers and every cross-file rule are read or
checked afresh each time.
"""

from __future__ import annotations

from pathlib import Path

from . import fields
from .cache import ContributionCache, Entry, file_digest
from .material import material_list
from ..model.sessions import SESSIONS_DIR  # contributions/sitzungen/ holds the sessions, not a paper
from ..model import (
    CONTRIBUTION_FIELDS,
    MEMBER_FIELDS,
    PAPER_FIELDS,
    PUBLISHER_FIELDS,
    Author,
    ChartSpec,
    Contribution,
    Corpus,
    DataSpec,
    Diagnostic,
    Member,
    Paper,
    Position,
    Publisher,
    Round,
    Section,
    StatusChange,
    Version,
    Vote,
)
from .comments import load_comments
from .files import CONTENT_DIR, _decode, _FileProblem, _located, _parse, _read_bytes, _rel, read_text, split_front_matter
from .sessions import link_versions, load_sessions

MEMBERS_FILE = "members.yml"
PUBLISHER_FILE = "zirkel.yml"
PAPER_FILE = "paper.yml"
def load(root: Path, cache: bool | ContributionCache = True) -> Corpus:
    """Load members, papers and contributions below ``root/contributions``.

    With ``cache`` (the default), contribution files whose bytes are unchanged since the last
    load are taken from ``build/.cache`` instead of being parsed again; the result is the same.
    A process that loads the same project again and again (the live preview) passes the same
    :class:`ContributionCache` each time (``ContributionCache.open(root)``), which also keeps
    the entries in memory.
    """
    root = root.resolve()
    diagnostics: list[Diagnostic] = []
    content = root / CONTENT_DIR
    if not content.is_dir():
        diagnostics.append(Diagnostic(
            CONTENT_DIR, 1, 1, "R000", "Der Ordner „contributions“ fehlt.",
            "Starten Sie redaktion im Hauptordner des Projekts (dort, wo mkdocs.yml liegt)."))
        return Corpus(root, {}, {}, (), tuple(diagnostics))

    store = cache if isinstance(cache, ContributionCache) else ContributionCache.open(root) if cache else None
    members = _load_members(root, content / MEMBERS_FILE, diagnostics)
    publisher = _load_publisher(root, content / PUBLISHER_FILE, diagnostics)
    papers: dict[str, Paper] = {}
    contributions: list[Contribution] = []
    for folder in sorted(p for p in content.iterdir() if p.is_dir() and p.name != SESSIONS_DIR):
        paper_file = folder / PAPER_FILE
        if not paper_file.exists():
            if any(folder.glob("*.md")):
                diagnostics.append(Diagnostic(
                    _rel(root, folder) + "/", 1, 1, "R030",
                    f"Im Ordner „{folder.name}“ fehlt die Datei paper.yml.",
                    "Jeder Ordner unter contributions/ ist ein Papier und braucht eine paper.yml."))
            continue
        paper = _load_paper(root, paper_file, diagnostics)
        if paper is not None:
            papers[paper.id] = paper
        plain = not content.is_symlink() and not folder.is_symlink()
        for path in sorted(folder.glob("*.md")):
            lexical = f"{CONTENT_DIR}/{folder.name}/{path.name}"
            # resolve() costs several system calls per file and cannot change a path without symlinks.
            rel = lexical if plain and not path.is_symlink() else _rel(root, path)
            contribution = _load_contribution(path, diagnostics, store, rel, lexical)
            if contribution is not None:
                contributions.append(contribution)
    if store is not None:
        store.save()
    sessions = load_sessions(content, diagnostics)
    papers = link_versions(papers, sessions)
    comments = load_comments(root, papers, diagnostics)
    return Corpus(root, members, papers, tuple(contributions), tuple(diagnostics), publisher, tuple(sessions),
                  comments)


def load_contribution(root: Path, path: Path, diagnostics: list[Diagnostic]) -> Contribution | None:
    """Load one contribution file; append problems to ``diagnostics``; None if unusable."""
    rel = _rel(root, path)
    return _load_contribution(path, diagnostics, None, rel, rel)


def _load_contribution(path: Path, diagnostics: list[Diagnostic], store: ContributionCache | None,
                       rel: str, key: str) -> Contribution | None:
    """Read one contribution file and parse it, or take the result from ``store`` if unchanged.

    ``rel`` names the file in diagnostics; ``key`` is its path below the project root as found
    (the two differ only for symlinks).
    """
    seen = store.unchanged(key, rel, path) if store is not None else None
    if seen is not None:
        diagnostics.extend(seen.diagnostics)
        return seen.contribution
    try:
        stat = path.stat()  # before reading: a file changed meanwhile then looks changed next time
        raw = _read_bytes(path, rel)
    except _FileProblem as problem:
        diagnostics.append(problem.diagnostic)
        return None
    if store is None:
        return parse_contribution(raw, rel, path, diagnostics)
    contribution = _cached_contribution(raw, rel, key, path, diagnostics, store)
    store.saw(key, stat)
    return contribution


def _cached_contribution(raw: bytes, rel: str, key: str, path: Path, diagnostics: list[Diagnostic],
                         store: ContributionCache) -> Contribution | None:
    """:func:`parse_contribution` through the cache: same result and diagnostics, parsed only once."""
    digest = file_digest(raw)
    entry = store.get(key, digest, rel, path)
    if entry is None:
        found: list[Diagnostic] = []
        contribution = parse_contribution(raw, rel, path, found)
        entry = Entry(digest, rel, contribution, tuple(found))
        store.put(key, entry)
    diagnostics.extend(entry.diagnostics)
    return entry.contribution


def parse_contribution(raw: bytes, rel: str, path: Path, diagnostics: list[Diagnostic]) -> Contribution | None:
    """Parse the bytes of one contribution file; append problems to ``diagnostics``; None if unusable.

    A pure function of its arguments (``rel`` names the file in diagnostics, ``path`` gives
    the id and is stored in the result): that is what makes its result cacheable.
    """
    try:
        text, warnings = _decode(raw, rel)
        diagnostics.extend(warnings)
        front, body, body_line = split_front_matter(text, rel)
        data = _parse(front, rel, first_line=2)
    except _FileProblem as problem:
        diagnostics.append(problem.diagnostic)
        return None
    problems = list(fields.validate(data, CONTRIBUTION_FIELDS, Position(1, 1), "dem Kopfbereich"))
    diagnostics.extend(_located(rel, problems))
    if problems:
        return None
    assert isinstance(data, dict)
    positions = _nested_positions(data)
    return Contribution(
        id=path.stem,
        path=path,
        paper=data["paper"],
        section=data["section"],
        kind=data["kind"],
        title=data["title"].strip(),
        members=tuple(data["members"]),
        submitted=data["submitted"],
        status=data["status"],
        body=body,
        body_line=body_line,
        authors=tuple(_author(a) for a in data.get("authors") or ()),
        order=data.get("order"),
        tags=tuple(data.get("tags") or ()),
        summary=(data.get("summary") or "").strip(),
        license=data.get("license") or "",
        note=data.get("note") or "",
        data=_data_spec(data.get("daten")),
        positions=positions,
        rel=rel,
    )


def _data_spec(value: object) -> DataSpec | None:
    """The validated ``daten`` mapping as a :class:`DataSpec` (None when absent)."""
    if not isinstance(value, dict):
        return None
    chart = value.get("diagramm")
    return DataSpec(
        file=value["datei"],
        indicator=value["indikator"].strip(),
        unit=value["einheit"].strip(),
        source=value["quelle"].strip(),
        year=value.get("jahr"),
        missing=(value.get("fehlend") or "").strip(),
        chart=ChartSpec(chart["typ"], chart.get("jahr"), (chart.get("spalte") or "").strip())
        if isinstance(chart, dict) else None,
    )


def _nested_positions(data: dict, prefix: str = "") -> dict[str, Position]:
    """Positions of all keys, nested mappings as ``parent.child`` (e.g. ``daten.datei``)."""
    positions = {prefix + key: pos for key, pos in getattr(data, "positions", {}).items()}
    for key, value in data.items():
        if isinstance(value, dict):
            positions.update(_nested_positions(value, f"{prefix}{key}."))
    return positions


def _load_publisher(root: Path, path: Path, diagnostics: list[Diagnostic]) -> Publisher:
    rel = _rel(root, path)
    if not path.exists():
        diagnostics.append(Diagnostic(rel, 1, 1, "R032", "Die Datei zirkel.yml mit dem Herausgeber fehlt.",
                                      "Legen Sie contributions/zirkel.yml an (name, office, place); bis dahin "
                                      "steht „Redaktion“ als Herausgeber in den Ausgaben.", "warning"))
        return Publisher()
    data = _read_yaml(root, path, rel, diagnostics)
    if data is _UNREADABLE:
        return Publisher()
    problems = list(fields.validate(data, PUBLISHER_FIELDS, Position(1, 1), "zirkel.yml"))
    diagnostics.extend(_located(rel, problems))
    if problems:
        return Publisher()
    assert isinstance(data, dict)
    repository = data.get("repository") or {}
    return Publisher(name=data["name"].strip(), office=data["office"].strip(), place=data["place"].strip(),
                     short_name=(data.get("short_name") or "").strip(), sample=bool(data.get("sample")),
                     topics=tuple((t["id"], t["label"].strip()) for t in data.get("topics") or ()),
                     website=data.get("website") or "",
                     repository=(repository.get("url") or "").strip(),
                     branch=(repository.get("branch") or "main").strip(),
                     repository_kind=repository.get("art") or "")


def _load_members(root: Path, path: Path, diagnostics: list[Diagnostic]) -> dict[str, Member]:
    rel = _rel(root, path)
    if not path.exists():
        diagnostics.append(Diagnostic(rel, 1, 1, "R030", "Die Mitgliederliste members.yml fehlt.",
                                      "Legen Sie contributions/members.yml an (eine Liste der Mitglieder)."))
        return {}
    data = _read_yaml(root, path, rel, diagnostics)
    if data is _UNREADABLE:
        return {}
    if not isinstance(data, list):
        diagnostics.append(Diagnostic(rel, 1, 1, "R020", "members.yml muss eine Liste von Mitgliedern sein.",
                                      "Jeder Eintrag beginnt mit „- id: …“."))
        return {}
    members: dict[str, Member] = {}
    for entry in data:
        where = getattr(entry, "position", Position())
        problems = list(fields.validate(entry, MEMBER_FIELDS, where, "einem Mitgliedseintrag"))
        diagnostics.extend(_located(rel, problems))
        if problems:
            continue
        if entry["id"] in members:
            diagnostics.append(Diagnostic(rel, where.line, where.column, "R031",
                                          f"Das Mitglied „{entry['id']}“ steht doppelt in der Liste.",
                                          "Jede id darf nur einmal vorkommen."))
            continue
        members[entry["id"]] = Member(**{k: entry[k] for k in entry})
    return members


def _load_paper(root: Path, path: Path, diagnostics: list[Diagnostic]) -> Paper | None:
    rel = _rel(root, path)
    data = _read_yaml(root, path, rel, diagnostics)
    if data is _UNREADABLE:
        return None
    problems = list(fields.validate(data, PAPER_FIELDS, Position(1, 1), "paper.yml"))
    diagnostics.extend(_located(rel, problems))
    if problems:
        return None
    assert isinstance(data, dict)
    return Paper(
        id=data["id"],
        title=data["title"].strip(),
        kind=data["kind"],
        status=data["status"],
        outline=tuple(Section(s["id"], s["title"].strip(), (s.get("intro") or "").strip())
                      for s in data["outline"]),
        subtitle=(data.get("subtitle") or "").strip(),
        short_title=(data.get("short_title") or "").strip(),
        date=data.get("date") or "",
        versions=tuple(Version(str(v["number"]), v["date"], (v.get("note") or "").strip(), v.get("hash") or "",
                               v.get("sitzung") or "")
                       for v in data.get("versions") or ()),
        editors=tuple(data.get("editors") or ()),
        license=data.get("license") or "CC-BY-4.0",
        keywords=tuple(data.get("keywords") or ()),
        history=tuple(StatusChange(h["date"], h["status"], (h.get("note") or "").strip())
                      for h in data.get("history") or ()),
        mitzeichnung=tuple(Vote(str(v["version"]), v["member"], v["vote"], v["date"], (v.get("text") or "").strip())
                           for v in data.get("mitzeichnung") or ()),
        material=material_list(data.get("material"), rel.rsplit("/", 1)[0]),
        rounds=tuple(Round(r["id"], str(r["version"]), r["status"], r["eroeffnet"], r.get("bis") or "",
                           r.get("geschlossen") or "") for r in data.get("runden") or ()),
        path=path,
        positions=_paper_positions(data),
    )


def _paper_positions(data: dict) -> dict[str, Position]:
    """Positions of the top-level keys plus ``history.N`` / ``mitzeichnung.N`` for list entries."""
    positions = dict(getattr(data, "positions", {}))
    for name in ("history", "mitzeichnung", "versions", "material", "runden"):
        for index, item in enumerate(data.get(name) or ()):
            if hasattr(item, "position"):
                positions[f"{name}.{index}"] = item.position
    return positions


_UNREADABLE = object()  # marks a YAML file whose problem is already in the diagnostics


def _read_yaml(root: Path, path: Path, rel: str, diagnostics: list[Diagnostic]) -> object:
    """Read and parse a whole YAML file; on a problem, record it and return ``_UNREADABLE``."""
    try:
        text, warnings = read_text(root, path, rel)
        diagnostics.extend(warnings)
        return _parse(text, rel)
    except _FileProblem as problem:
        diagnostics.append(problem.diagnostic)
        return _UNREADABLE


def _author(value: object) -> Author:
    if isinstance(value, dict):
        return Author(value["name"].strip(), value.get("email") or "")
    return Author(str(value).strip())


