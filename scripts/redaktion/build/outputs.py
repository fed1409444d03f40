"""The outputs of one paper: its drafts, its PDF and DOCX, and the cache that keeps them.

Rendered PDF/DOCX files are cached under ``build/.cache`` by a key over everything that
determines their bytes (the draft's content, the images it uses, all code the renderer runs),
so a rebuild after one edit renders only the papers that changed.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Callable
from pathlib import Path

from ..assemble.draft import assemble, parse_ahead
from ..model import Corpus, Draft
from ..util.folders import output_folder
from ..util.cachefiles import store_file, trusted_file, write_atomic
from ..util.codehash import PACKAGE_DIR, code_fingerprint
from ..util.epoch import cache_key_part

OUTPUT_KINDS = ("pdf", "docx")
CACHE_DIR = ".cache"


def published(corpus: Corpus, intern: bool) -> list[str]:
    """The papers a build publishes: public papers only, or every paper for an internal build."""
    return [paper.id for paper in sorted(corpus.papers.values(), key=lambda p: p.id) if intern or paper.is_public]


def parse_published(corpus: Corpus, intern: bool) -> None:
    """Parse every body and every text of the published drafts in one go, on every core.

    For a cold build: assembling paper by paper would start one pandoc process per paper,
    one after the other; ``check`` needs every body too. (Warm, it only costs hashing them.)
    """
    parse_ahead(corpus, published(corpus, intern), intern)


def drafts_for(corpus: Corpus, intern: bool, ready: Callable[[Draft], None] = lambda draft: None) -> list[Draft]:
    """The drafts a build publishes (see :func:`published`), in the order of the papers' ids.

    They are assembled the largest first; ``ready`` gets each one as soon as it is (the build
    starts rendering it while the others are assembled).
    """
    ids = published(corpus, intern)
    drafts: dict[str, Draft] = {}
    for paper_id in sorted(ids, key=lambda paper_id: -_text_size(corpus, paper_id, intern)):
        drafts[paper_id] = assemble(corpus, paper_id, intern)
        ready(drafts[paper_id])
    return [drafts[paper_id] for paper_id in ids]


def _text_size(corpus: Corpus, paper_id: str, intern: bool) -> int:
    """How much text the draft of ``paper_id`` holds: a measure of how long its PDF takes."""
    return sum(len(c.body) for c in corpus.contributions_of(paper_id) if intern or c.is_accepted)


def write_draft(draft: Draft, build_dir: Path, cache: Path | None = None) -> Path:
    """Write the canonical merged Markdown to ``build_dir/drafts/PAPER.md`` and its JSON manifest beside it.

    ``cache`` keeps the Markdown of unchanged drafts between builds (pandoc writes it).
    """
    from ..render.manifest import render_manifest
    from ..render.markdown import render_markdown

    path = output_folder(build_dir / "drafts") / f"{draft.paper.id}.md"
    write_atomic(path, render_markdown(draft, cache).encode("utf-8"))
    write_atomic(path.with_suffix(".json"), render_manifest(draft))
    return path


def render_output(draft: Draft, root: Path, kind: str, epoch: int | None = None) -> bytes:
    """The PDF or DOCX of one draft (imported lazily: the check path never loads them).

    ``epoch`` dates the document (seconds since 1970); None takes ``SOURCE_DATE_EPOCH`` or the
    paper's date. It is passed down, never set in ``os.environ``: other threads render too.
    """
    if kind == "pdf":
        from ..render.pdf import render_pdf

        return render_pdf(draft, root, epoch)
    from ..render.docx import render_docx

    return render_docx(draft, root, epoch)


def render_outputs(draft: Draft, root: Path, epoch: int | None = None) -> dict[str, bytes]:
    """PDF and DOCX of one draft (``epoch`` as in :func:`render_output`)."""
    return {kind: render_output(draft, root, kind, epoch) for kind in OUTPUT_KINDS}


def cache_key(draft: Draft, root: Path, kind: str) -> str:
    """A key that changes whenever the bytes of ``kind`` for ``draft`` could change."""
    digest = hashlib.sha256()
    digest.update(kind.encode())
    digest.update(draft.content_hash.encode("utf-8"))
    digest.update(cache_key_part().encode())  # SOURCE_DATE_EPOCH dates the document
    # The version history links the adopting sessions (not part of the draft's content).
    digest.update(repr([(v.adopted_in, draft.publisher.website) for v in draft.paper.versions]).encode())
    for rel in draft.media:
        path = root / rel
        digest.update(rel.encode())
        digest.update(path.read_bytes() if path.is_file() else b"-")
    digest.update(_renderer_fingerprint(kind))
    return digest.hexdigest()


@functools.lru_cache(maxsize=None)
def _renderer_fingerprint(kind: str) -> bytes:
    """Everything besides the draft that decides the bytes of ``kind``.

    The renderer's folder (code, templates, Lua filter, reference.docx), every module of the
    package it imports at any depth (publication.py, data.py, charts.py, pandoc.py, …: found by
    following the imports, so a new import cannot be forgotten here), the package's version and
    the engines' versions: a new Typst or pandoc may lay out the same text differently.
    """
    from importlib.metadata import PackageNotFoundError, version

    folder = PACKAGE_DIR / "render" / kind
    versions = []
    for package in ("redaktion", "typst", "pypandoc-binary", "matplotlib"):
        try:
            versions.append(f"{package} {version(package)}")
        except PackageNotFoundError:  # running from a source tree without installing
            versions.append(f"{package} -")
    if kind == "pdf":  # which fonts are installed decides which font draws a character
        from ..util import fonts

        versions.append(f"fonts {fonts.fingerprint()}")
    return code_fingerprint(sorted(folder.rglob("*.py")), [folder], extra="\n".join(versions))


def cache_path(draft: Draft, root: Path, cache: Path, kind: str) -> Path:
    """Where the rendered ``kind`` of ``draft`` is kept in ``cache``."""
    return cache / f"{draft.paper.id}-{cache_key(draft, root, kind)[:20]}.{kind}"


def cached_outputs(draft: Draft, root: Path, cache: Path) -> tuple[dict[str, Path], list[str]]:
    """Rendered files of ``draft`` from the cache, rendering what is missing.

    Returns (kind → cached file, kinds that had to be rendered). Used by the mkdocs plugin
    when it runs without ``redaktion build`` (plain ``mkdocs build``).
    """
    paths = {kind: cache_path(draft, root, cache, kind) for kind in OUTPUT_KINDS}
    missing = [kind for kind, path in paths.items() if not trusted_file(path)]
    for kind in missing:
        paths[kind].parent.mkdir(parents=True, exist_ok=True)
        store_file(paths[kind], render_output(draft, root, kind))
    return paths, missing


def session_pdfs(corpus: Corpus) -> dict[str, Path]:
    """Invitation and minutes PDFs of every session (file name → file in ``build/.cache/sitzungen``).

    Rendered only when missing from the cache; used by internal builds and the site plugin.
    """
    if not corpus.sessions:
        return {}
    from ..render.sitzung import session_documents, sessions_cache

    return session_documents(corpus, sessions_cache(corpus.root))
