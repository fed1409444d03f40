"""One parse per member text, shared by ``check`` and every output.

Each contribution body is read by pandoc on its own (:mod:`prepare` first, then pandoc's
Markdown reader, then the allowlist in :mod:`sanitise`), so nothing in one body can open or
close anything around another. The result — the sanitised pandoc AST, the sanitiser's
findings, the editorial notes and the few facts ``check`` needs about the AST — is cached
under ``build/.cache/ast`` by a hash of the text and of the parser itself. A warm ``check``
reads only the small header of each entry and starts no pandoc.

Entries are signed with a key from the user's cache folder (:func:`machine_key`): the project
folder is shared through merge requests, and an entry placed there by someone else is parsed
again instead of being trusted.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import json
import os
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from ...util.cachefiles import machine_key, write_atomic
from ...model import heading_id
from .ast import dumps, find, stringify
from .pandoc import READER, PandocError, pandoc_version
from .pandoc import run as run_pandoc
from .prepare import prepare
from .sanitise import Finding, sanitise
from .textrules import text_findings

HERE = Path(__file__).parent
READ_SCRIPT = HERE / "read.lua"
_BATCH = 200  # texts per pandoc process: large enough to amortise its start, small enough to spread
LONG_PARAGRAPH_WORDS = 300


@dataclass(frozen=True)
class Facts:
    """What the rules of ``check`` need to know about a parsed body, computed once per parse."""

    headings: tuple[str, ...] = ()  # text of each heading, in order
    images: tuple[tuple[str, str], ...] = ()  # (alt text, target)
    links: tuple[tuple[str, str], ...] = ()  # (target, link text)
    long_paragraphs: tuple[tuple[int, str], ...] = ()  # (words, its first words)
    # Every character beyond ASCII in the parsed text, once: entities like "&#xD06;" become
    # characters only in the parse, and the PDF needs a font for each.
    characters: str = ""


@dataclass(frozen=True)
class ParsedBody:
    """A member text after the parse: safe to put into any output."""

    content: str  # JSON array of the sanitised blocks
    findings: tuple[Finding, ...] = ()
    notes: tuple[str, ...] = ()  # "<!-- Redaktion: … -->" comments, for internal drafts
    facts: Facts = Facts()

    @property
    def blocks(self) -> list:
        return json.loads(self.content)


_FACT_KINDS = frozenset(("Image", "Link", "Para"))


def facts_of(blocks: list) -> Facts:
    """Headings, images, links and over-long paragraphs of sanitised blocks."""
    headings = tuple(stringify(b["c"][2]) for b in blocks if b.get("t") == "Header")
    images, links, long = [], [], []
    for node in find(blocks, _FACT_KINDS, []):
        kind = node["t"]
        if kind == "Image":
            images.append((stringify(node["c"][1]), node["c"][2][0]))
        elif kind == "Link":
            links.append((node["c"][2][0], stringify(node["c"][1])))
        elif kind == "Para":
            words = stringify(node["c"]).split()
            if len(words) > LONG_PARAGRAPH_WORDS:
                long.append((len(words), " ".join(words[:3])))
    characters = "".join(sorted({ch for ch in stringify(blocks) if ord(ch) > 127}))
    return Facts(headings, tuple(images), tuple(links), tuple(long), characters)


def heading_anchors(headings: Sequence[str], anchor: str) -> list[str]:
    """The ids the assembler gives the headings (by their texts) of a body, unique within it."""
    ids: list[str] = []
    for text in headings:
        base = heading_id(anchor, text)
        candidate, count = base, 1
        while candidate in ids:
            count += 1
            candidate = f"{base}-{count}"
        ids.append(candidate)
    return ids


def ast_cache(root: Path) -> Path:
    """Where parsed texts of the project in ``root`` are kept."""
    return Path(root) / "build" / ".cache" / "ast"


def parse_texts(texts: Sequence[str], cache: Path | None = None, content: bool = True,
                names: Sequence[str] | None = None) -> list[ParsedBody]:
    """Parse each text on its own; cached texts are not read again.

    With ``content=False`` (what ``check`` needs) a cached parse is taken without its AST:
    ``content`` is then empty, findings, notes and facts are there. ``names`` (one per text,
    e.g. the contribution's file) name the cache entries, so that pruning keeps a few per name.
    """
    key = _parser_key()
    digests = [hashlib.sha256(key + text.encode("utf-8")).hexdigest()[:32] for text in texts]
    if names is not None:
        digests = [f"{_safe(name)}-{digest}" for name, digest in zip(names, digests)]
    signer = machine_key() if cache is not None else None
    if signer is None:
        cache = None  # nothing is cached without a key to sign it
    results: list[ParsedBody | None] = [_recall(cache / f"{d}.json", signer, content) if cache and signer else None
                                        for d in digests]
    missing = [i for i, result in enumerate(results) if result is None]
    if missing:
        prepared = [prepare(texts[i]) for i in missing]
        asts = _read_all([body for body, _ in prepared])
        for i, (body, notes), ast in zip(missing, prepared, asts):
            blocks, findings = sanitise(ast.get("blocks", []), body)
            findings += text_findings(texts[i])
            if "error" in ast:
                findings.append(Finding("parse-error", str(ast["error"])[:200]))
            result = ParsedBody(dumps(blocks), tuple(findings), tuple(notes), facts_of(blocks))
            results[i] = result
            if cache is not None and signer is not None:
                _REMEMBERED[str(cache / f"{digests[i]}.json")] = result
                try:
                    write_atomic(cache / f"{digests[i]}.json", _encode(result, signer))
                except OSError:
                    pass  # an unwritable cache only costs time
    return [r for r in results if r is not None]


@functools.lru_cache(maxsize=4096)
def _safe(name: str) -> str:
    return "".join(ch if ch.isascii() and (ch.isalnum() or ch in "-_") else "_" for ch in name)[:80]


def contribution_name(rel: str) -> str:
    """The cache name of a contribution's parse: its path without folders and suffix."""
    return rel.removeprefix("contributions/").removesuffix(".md").replace("/", "--")


def _read_all(texts: list[str]) -> Iterator[dict]:
    """pandoc's AST of each text, in order; a few pandoc processes side by side for many texts.

    Each batch is handed on as soon as it is read, so the caller sanitises one batch while
    pandoc still reads the next ones.
    """
    batches = [texts[i:i + _BATCH] for i in range(0, len(texts), _BATCH)]
    if len(batches) == 1:
        yield from _read_batch(batches[0])
        return
    with ThreadPoolExecutor(max_workers=min(len(batches), os.cpu_count() or 1)) as pool:
        for batch in pool.map(_read_batch, batches):
            yield from batch


def _read_batch(texts: list[str]) -> list[dict]:
    result = run_pandoc(["lua", str(READ_SCRIPT), READER], stdin=json.dumps(texts).encode("utf-8"))
    lines = result.stdout.decode("utf-8").splitlines()
    if result.returncode != 0 or len(lines) != len(texts):
        raise PandocError("pandoc konnte die Beiträge nicht lesen: "
                          + result.stderr.decode("utf-8", "replace").strip()[:500])
    return [json.loads(line) for line in lines]


@functools.lru_cache(maxsize=1)
def _parser_key() -> bytes:
    digest = hashlib.sha256(pandoc_version().encode() + READER.encode())
    for name in ("read.lua", "prepare.py", "sanitise.py", "textrules.py", "ast.py", "__init__.py"):
        digest.update((HERE / name).read_bytes())
    return digest.digest()


# A cache entry: the signature of the header line, the header line (everything but the AST,
# with the AST's hash), then the AST's JSON. ``check`` reads the first two lines only.

def _encode(result: ParsedBody, signer: bytes) -> bytes:
    facts = result.facts
    body = result.content.encode("utf-8")
    head = json.dumps({
        "notes": list(result.notes),
        "findings": [[f.kind, f.detail, f.line, f.column] for f in result.findings],
        "facts": [list(facts.headings), [list(i) for i in facts.images], [list(link) for link in facts.links],
                  [list(p) for p in facts.long_paragraphs], facts.characters],
        "content": hashlib.sha256(body).hexdigest(),
    }, ensure_ascii=False).encode("utf-8")
    return hmac.new(signer, head, hashlib.sha256).hexdigest().encode() + b"\n" + head + b"\n" + body


# Parses this process has read or made, by cache file. Entries are named by the hash of their
# text, so a remembered one never goes stale; the live preview assembles every paper on each
# save and would otherwise read a thousand files twice (check, assembly) every time.
_REMEMBERED: dict[str, ParsedBody] = {}
_REMEMBER_AT_MOST = 20_000


def _recall(path: Path, signer: bytes, with_content: bool) -> ParsedBody | None:
    """:func:`_load`, answered from memory when this process has seen the entry already."""
    known = _REMEMBERED.get(str(path))
    if known is not None and (known.content or not with_content):
        return known
    result = _load(path, signer, with_content)
    if result is not None:
        if len(_REMEMBERED) >= _REMEMBER_AT_MOST:
            _REMEMBERED.clear()
        _REMEMBERED[str(path)] = result
    return result


def _load(path: Path, signer: bytes, with_content: bool = True) -> ParsedBody | None:
    """A cached parse, or None when the file is missing, foreign or damaged."""
    try:
        with path.open("rb") as handle:
            signature = handle.readline().rstrip(b"\n")
            head = handle.readline().rstrip(b"\n")
            body = handle.read() if with_content else b""
        os.utime(path)  # marks the entry as used, for cachefiles.prune
    except OSError:
        return None
    if not hmac.compare_digest(signature, hmac.new(signer, head, hashlib.sha256).hexdigest().encode()):
        return None
    try:
        data = json.loads(head)
        if with_content and hashlib.sha256(body).hexdigest() != data["content"]:
            return None
        headings, images, links, long, characters = data["facts"]
        facts = Facts(tuple(headings), tuple((a, t) for a, t in images), tuple((t, x) for t, x in links),
                      tuple((int(n), w) for n, w in long), str(characters))
        findings = tuple(Finding(str(k), str(d), int(line), int(col)) for k, d, line, col in data["findings"])
        return ParsedBody(body.decode("utf-8"), findings, tuple(str(n) for n in data["notes"]), facts)
    except (ValueError, KeyError, TypeError, UnicodeDecodeError):
        return None
