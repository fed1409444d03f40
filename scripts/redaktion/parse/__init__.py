"""One parse per member text, shared by ``check`` and every output.

Each contribution body is read by pandoc on its own (:mod:`prepare` first, then pandoc's
Markdown reader, then the allowlist in :mod:`sanitise`), so nothing in one body can open or
close anything around another. The result — the sanitised pandoc AST, the sanitiser's
findings and the editorial notes — is cached under ``build/.cache/ast`` by a hash of the text
and of the parser itself: a warm ``check`` reads small JSON files and starts no pandoc.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import subprocess
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from ..cachefiles import read, store
from ..model import heading_id
from .ast import dumps, stringify
from .pandoc import READER, PandocError, pandoc_path, pandoc_version
from .prepare import prepare
from .sanitise import Finding, sanitise

HERE = Path(__file__).parent
READ_SCRIPT = HERE / "read.lua"
_BATCH = 200  # texts per pandoc process: large enough to amortise its start, small enough to spread


@dataclass(frozen=True)
class ParsedBody:
    """A member text after the parse: safe to put into any output."""

    content: str  # JSON array of the sanitised blocks
    findings: tuple[Finding, ...] = ()
    notes: tuple[str, ...] = ()  # "<!-- Redaktion: … -->" comments, for internal drafts

    @property
    def blocks(self) -> list:
        return json.loads(self.content)


def heading_anchors(blocks: list, anchor: str) -> list[str]:
    """The ids the assembler gives the headings of a sanitised body, in order (unique in it)."""
    ids: list[str] = []
    for block in blocks:  # the sanitiser leaves headings only at the top level
        if block.get("t") == "Header":
            base = heading_id(anchor, stringify(block["c"][2]))
            candidate, count = base, 1
            while candidate in ids:
                count += 1
                candidate = f"{base}-{count}"
            ids.append(candidate)
    return ids


def ast_cache(root: Path) -> Path:
    """Where parsed texts of the project in ``root`` are kept."""
    return Path(root) / "build" / ".cache" / "ast"


def parse_texts(texts: Sequence[str], cache: Path | None = None) -> list[ParsedBody]:
    """Parse each text on its own; cached texts are not read again."""
    key = _parser_key()
    digests = [hashlib.sha256(key + text.encode("utf-8")).hexdigest()[:32] for text in texts]
    results: list[ParsedBody | None] = [_load(cache / f"{d}.json") if cache else None for d in digests]
    missing = [i for i, result in enumerate(results) if result is None]
    if missing:
        prepared = [prepare(texts[i]) for i in missing]
        asts = _read_all([body for body, _ in prepared])
        for i, (body, notes), ast in zip(missing, prepared, asts):
            blocks, findings = sanitise(ast.get("blocks", []), body)
            if "error" in ast:
                findings.append(Finding("parse-error", str(ast["error"])[:200]))
            result = ParsedBody(dumps(blocks), tuple(findings), tuple(notes))
            results[i] = result
            if cache is not None:
                store(cache / f"{digests[i]}.json", _encode(result))
    return [r for r in results if r is not None]


def _read_all(texts: list[str]) -> list[dict]:
    """pandoc's AST of each text; a few pandoc processes side by side for many texts."""
    batches = [texts[i:i + _BATCH] for i in range(0, len(texts), _BATCH)]
    if len(batches) == 1:
        return _read_batch(batches[0])
    with ThreadPoolExecutor(max_workers=min(len(batches), os.cpu_count() or 1)) as pool:
        return [ast for batch in pool.map(_read_batch, batches) for ast in batch]


def _read_batch(texts: list[str]) -> list[dict]:
    result = subprocess.run([pandoc_path(), "lua", str(READ_SCRIPT), READER],
                            input=json.dumps(texts).encode("utf-8"), capture_output=True, check=False)
    lines = result.stdout.decode("utf-8").splitlines()
    if result.returncode != 0 or len(lines) != len(texts):
        raise PandocError("pandoc konnte die Beiträge nicht lesen: "
                          + result.stderr.decode("utf-8", "replace").strip()[:500])
    return [json.loads(line) for line in lines]


@functools.lru_cache(maxsize=1)
def _parser_key() -> bytes:
    digest = hashlib.sha256(pandoc_version().encode() + READER.encode())
    for name in ("read.lua", "prepare.py", "sanitise.py", "__init__.py"):
        digest.update((HERE / name).read_bytes())
    return digest.digest()


def _encode(result: ParsedBody) -> bytes:
    data = {"content": result.content, "notes": list(result.notes),
            "findings": [[f.kind, f.detail, f.line, f.column] for f in result.findings]}
    return json.dumps(data, ensure_ascii=False).encode("utf-8")


def _load(path: Path) -> ParsedBody | None:
    """A cached parse, or None when the file is missing or not what this module writes."""
    raw = read(path)
    if raw is None:
        return None
    try:
        data = json.loads(raw)
        findings = tuple(Finding(str(k), str(d), int(line), int(col)) for k, d, line, col in data["findings"])
        content = data["content"]
        # The cache lies in the project folder and could come from anyone: only a parse that
        # the sanitiser would leave unchanged is taken.
        blocks = json.loads(content)
        if not isinstance(blocks, list) or dumps(sanitise(blocks, "")[0]) != content:
            return None
        return ParsedBody(content, findings, tuple(str(n) for n in data["notes"]))
    except (ValueError, KeyError, TypeError):
        return None
