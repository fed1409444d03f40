"""Orchestrate a build: assemble every paper, render PDF/DOCX, build the site, swap in atomically.

Everything is first written into a staging folder inside ``build/``; only when every output
succeeded are the finished folders moved into place. A failed build therefore leaves the
previous build complete and untouched.

PDF/DOCX files come from the cache in ``outputs.py`` when nothing they are made of changed.
"""

from __future__ import annotations

import functools
import multiprocessing
import multiprocessing.pool
import os
import shutil
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from ..model import Corpus, Draft
from ..source.parse import ast_cache
from ..util.cachefiles import prune, read, store, store_file, trusted_file
from ..util.folders import folder_error, output_folder
from .outputs import (CACHE_DIR, OUTPUT_KINDS, cache_path, drafts_for, parse_published, render_output, session_pdfs,
                      write_draft)
from .siteinput import site_input

OUTPUT_DIRS = ("drafts", "pdf", "docx", "site")
SITE_INPUTS = "site-inputs.txt"  # in CACHE_DIR: the fingerprint of the site in OUT/site


@dataclass
class BuildResult:
    """What a build produced, for the summary line and for tests."""

    out: Path
    papers: list[str] = field(default_factory=list)
    rendered: list[str] = field(default_factory=list)  # "paper.kind" actually rendered (not from cache)
    site_reused: bool = False  # nothing the site is made of had changed: the previous site was kept
    unchanged: int = 0  # output files with the same bytes as in the previous build (kept as they were)
    files: list[Path] = field(default_factory=list)
    seconds: float = 0.0

    def summary(self) -> str:
        cached = len(self.papers) * len(OUTPUT_KINDS) - len(self.rendered)
        papers = "1 Papier" if len(self.papers) == 1 else f"{len(self.papers)} Papiere"
        unchanged = f"; {self.unchanged} Dateien unverändert" if self.unchanged else ""
        return (f"Fertig in {self.seconds:.1f} s: {papers}, {len(self.files)} Dateien in "
                f"{self.out}/ ({len(self.rendered)} neu erzeugt, {cached} aus dem Zwischenspeicher{unchanged}). "
                f"Website: {self.out}/site/index.html")


_Job = tuple[Draft, Path, Path, str]  # draft, project root, cache file to write, kind
Rendered = dict[str, dict[str, Path]]  # paper id → kind → rendered file in the staging folder

# Modules the render workers need; the fork server imports them once, so every fork starts ready.
# This module too: a worker finds _render_job by importing it, and its imports (the site's,
# mkdocs's configuration) cost a third of a second, paid once here instead of in every job.
_PRELOAD = [__name__, "redaktion.render.pdf", "redaktion.render.docx", "typst", "pypandoc"]
# Charts need matplotlib, the slowest import of all (0.4 s): preloaded only when there are charts.
_PRELOAD_CHARTS = ["redaktion.render.charts", "matplotlib.figure", "matplotlib.backends.backend_svg",
                   "matplotlib.backends.backend_agg"]


def _pool_context(charts: bool) -> multiprocessing.context.BaseContext:
    # One fresh process per output: the typst module memoises every compilation and never
    # frees it (about 100 MB per paper), so a long-lived worker would grow with the project.
    # "forkserver" forks from a clean single-threaded server (forking the caller itself
    # deadlocks when it runs threads: mkdocs serve, a test server, the site build beside us).
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(_PRELOAD + (_PRELOAD_CHARTS if charts else []))
    return context


def _render_job(job: _Job) -> tuple[str, str, float]:
    draft, root, path, kind = job
    started = time.perf_counter()
    store_file(path, render_output(draft, root, kind))
    return draft.paper.id, kind, time.perf_counter() - started


def build(corpus: Corpus, intern: bool = False, out: Path | None = None,
          progress: Callable[[str], None] = lambda line: None, workers: int | None = None,
          verify: Callable[[], None] = lambda: None) -> BuildResult:
    """Build drafts, PDFs, DOCX files and the site into ``out`` (default ``ROOT/build``).

    PDF and DOCX files that are not cached are rendered in worker processes while this
    process builds the site; the site waits for them only at its very end.

    ``verify`` is called once the workers have their jobs: the CLI checks the corpus there,
    so checking and rendering overlap. If it raises, the build stops and ``out`` stays as it was.
    """
    from ..render.pdf import typst_cache
    from ..render.site import build_site, site_inputs
    from ..render.site.content import html_jobs
    from ..render.site.html import html_cache, start_paper_bodies

    started = time.perf_counter()
    out = output_folder((out or corpus.root / "build").resolve())
    cache = out / CACHE_DIR
    result = BuildResult(out)
    try:
        staging = Path(tempfile.mkdtemp(prefix=".staging-", dir=out))
    except OSError as error:  # e.g. a read-only file system: nothing has been written
        raise folder_error(out, error) from None
    lock = threading.Lock()

    def report(line: str) -> None:
        with lock:  # workers report from the pool's thread while the site reports from here
            progress(line)

    try:
        cache.mkdir(parents=True, exist_ok=True)
        paths: dict[tuple[str, str], Path] = {}
        with _Renderer(workers, result, report, charts=_has_charts(corpus)) as renderer:

            planning: list[BaseException] = []

            def plan(draft: Draft) -> None:
                # Each draft's jobs start as soon as it is assembled, the largest paper first.
                try:
                    for kind in OUTPUT_KINDS:
                        paths[(draft.paper.id, kind)] = cache_path(draft, corpus.root, cache, kind)
                except Exception as error:  # e.g. a malformed SOURCE_DATE_EPOCH: not the content's fault
                    planning.append(error)
                    raise
                renderer.add([(draft, corpus.root, paths[(draft.paper.id, kind)], kind) for kind in OUTPUT_KINDS
                              if not trusted_file(paths[(draft.paper.id, kind)])])

            try:
                parse_published(corpus, intern)
                drafts = drafts_for(corpus, intern, ready=plan)
            except Exception as error:
                if error not in planning:
                    verify()  # an unchecked corpus may fail to assemble: the check explains why, with lines
                raise
            jobs = renderer.jobs
            if len(jobs) < len(paths):
                report(f"• {len(paths) - len(jobs)} von {len(paths)} PDF/DOCX unverändert (Zwischenspeicher)")
            renderer.close()
            # Everything below runs while the workers render.
            for draft in drafts:
                write_draft(draft, staging, cache / "markdown")
            # Everything the site is made of; if it equals the last build's, that site is reused.
            inputs = site_inputs(corpus.root, intern, sorted(path.name for path in paths.values()))
            verify()

            def downloads() -> Rendered:
                renderer.wait()
                return _stage_outputs(drafts, paths, staging, renderer.failed)

            if not jobs and _reuse_site(out, staging, cache, inputs):
                report("• Website unverändert (Zwischenspeicher)")
                result.site_reused = True
            else:
                report("• Website …")
                site_started = time.perf_counter()
                # pandoc converts the papers' HTML while mkdocs is imported and configured.
                bodies = start_paper_bodies(html_jobs(drafts), html_cache(corpus.root))
                build_site(corpus.root, staging / "site",
                           site_input(corpus, drafts, intern, downloads=downloads, bodies=bodies))
                report(f"  Website fertig ({time.perf_counter() - site_started:.1f} s)")
            renderer.wait()
            renderer.raise_failure()
            _stage_outputs(drafts, paths, staging, set())
            if intern:
                _stage_session_documents(corpus, staging)
        result.papers = [d.paper.id for d in drafts]
        result.rendered.sort()
        for name in OUTPUT_DIRS:
            (staging / name).mkdir(exist_ok=True)
        result.unchanged = _keep_unchanged(out, staging)
        _swap_in(staging, out)
        store(cache / SITE_INPUTS, inputs.encode())
        prune(cache, keep=2)  # the current PDF/DOCX of each paper and the one before (undo)
        prune(typst_cache(corpus.root), keep=4)
        prune(ast_cache(corpus.root), keep=4)
        prune(cache / "markdown", keep=2)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    result.files = sorted(p for name in OUTPUT_DIRS for p in (out / name).rglob("*") if p.is_file())
    result.seconds = time.perf_counter() - started
    return result


def _has_charts(corpus: Corpus) -> bool:
    """Whether a draft may hold charts (then the workers need matplotlib)."""
    return any(c.kind == "daten" and c.data for c in corpus.contributions)


def _reuse_site(out: Path, staging: Path, cache: Path, inputs: str) -> bool:
    """Link the previous site into ``staging`` if it was made from the same ``inputs``."""
    previous = out / "site"
    if read(cache / SITE_INPUTS) != inputs.encode() or not previous.is_dir():
        return False
    try:
        # Hard links: the files are never changed in place, only replaced by a later build.
        shutil.copytree(previous, staging / "site", copy_function=os.link)
    except OSError:
        shutil.rmtree(staging / "site", ignore_errors=True)
        return False
    return True


def _stage_outputs(drafts: list[Draft], paths: dict[tuple[str, str], Path], staging: Path,
                   failed: set[tuple[str, str]]) -> Rendered:
    """Copy the rendered files from the cache into ``staging/pdf`` and ``staging/docx`` (once)."""
    downloads: Rendered = {}
    for draft in drafts:
        paper_id = draft.paper.id
        downloads[paper_id] = {}
        for kind in OUTPUT_KINDS:
            if (paper_id, kind) in failed:
                continue
            target = staging / kind / f"{paper_id}.{kind}"
            if not target.exists():
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(paths[(paper_id, kind)], target)
            downloads[paper_id][kind] = target
    return downloads


def _stage_session_documents(corpus: Corpus, staging: Path) -> None:
    """Invitation and minutes PDFs of every session into ``staging/pdf/sitzungen`` (internal builds)."""
    for name, path in session_pdfs(corpus).items():
        target = staging / "pdf" / "sitzungen" / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, target)


class _Renderer:
    """The PDF/DOCX jobs of one build, running in worker processes while the site is built.

    Jobs arrive with :meth:`add` as their drafts are assembled (the largest paper first, so
    its PDF, the longest job, starts first); :meth:`close` says that all have arrived. The
    worker pool is started with the first job, in a thread: the fork server's imports then
    overlap with assembling the other drafts. With one worker (or one core) the jobs run here
    and now, one after the other. (Threads would spare the fork server, but drawing charts
    holds the GIL and slowed the site build down.)
    """

    def __init__(self, workers: int | None, result: BuildResult, report: Callable[[str], None],
                 charts: bool = False):
        self.jobs: list[_Job] = []
        self.result = result
        self.report = report
        self.charts = charts
        self.failed: set[tuple[str, str]] = set()
        self.errors: list[BaseException] = []
        self.done = threading.Event()
        self.pool: multiprocessing.pool.Pool | None = None
        self.starter: threading.Thread | None = None
        self.lock = threading.Lock()
        self.closed = False
        self.early: list[tuple[str, str, float]] = []  # finished before close(): reported then, with the total
        self.reported = 0
        self.broken = False  # the pool could not be started: later jobs are not counted
        cores = os.cpu_count() or 1
        self.workers = workers or cores
        self.pending = 0

    def __enter__(self) -> _Renderer:
        return self

    def add(self, jobs: list[_Job]) -> None:
        """Start rendering ``jobs`` (in this order)."""
        if not jobs:
            return
        with self.lock:
            if self.broken:
                return
            self.jobs += jobs
            self.pending += len(jobs)
            pool = self.pool
            if pool is None and self.workers > 1 and self.starter is None:
                # Starting the pool waits for the fork server's imports; nothing else need wait.
                self.starter = threading.Thread(target=self._start_pool, daemon=True)
                self.starter.start()
        if self.workers <= 1:
            for job in jobs:
                self._finished(_render_job(job))
        elif pool is not None:
            self._submit(pool, jobs)
        # else: the starting thread submits them once the pool is there

    def close(self) -> None:
        """No more jobs will come: report those already finished; wait() returns once all are."""
        with self.lock:
            self.closed = True
            early, self.early = self.early, []
            if self.pending == 0:
                self.done.set()
        for outcome in early:
            self._report(outcome)

    def _start_pool(self) -> None:
        try:
            context = _pool_context(self.charts)
            pool = context.Pool(processes=self.workers, maxtasksperchild=1)
            with self.lock:
                self.pool = pool
                waiting = list(self.jobs)  # later jobs are submitted by add()
            self._submit(pool, waiting)
        except BaseException as error:  # noqa: BLE001 - reported by raise_failure()
            with self.lock:
                self.errors.append(error)
                self.broken = True
                self.pending = 0
                if self.closed:
                    self.done.set()

    def _submit(self, pool: multiprocessing.pool.Pool, jobs: list[_Job]) -> None:
        for job in jobs:
            pool.apply_async(_render_job, (job,), callback=self._finished,
                             error_callback=functools.partial(self._failed, job))

    def __exit__(self, *exc_info: object) -> None:
        if self.starter is not None:
            self.starter.join()
        if self.pool is not None:
            self.pool.terminate()
            self.pool.join()

    def wait(self) -> None:
        """Block until every job has finished (successfully or not); call close() first."""
        self.done.wait()

    def raise_failure(self) -> None:
        """Raise the first error of a failed job, if any."""
        if self.errors:
            raise self.errors[0]

    def _finished(self, outcome: tuple[str, str, float]) -> None:
        paper_id, kind, _ = outcome
        with self.lock:
            self.result.rendered.append(f"{paper_id}.{kind}")
            now = self.closed
            if not now:
                self.early.append(outcome)
        if now:
            self._report(outcome)
        self._count_down()

    def _report(self, outcome: tuple[str, str, float]) -> None:
        paper_id, kind, seconds = outcome
        with self.lock:
            self.reported += 1
            number = self.reported
        self.report(f"[{number}/{len(self.jobs)}] {paper_id}: {kind.upper()} erzeugt ({seconds:.1f} s)")

    def _failed(self, job: _Job, error: BaseException) -> None:
        with self.lock:
            self.failed.add((job[0].paper.id, job[3]))
            self.errors.append(error)
        self._count_down()

    def _count_down(self) -> None:
        with self.lock:
            self.pending -= 1
            if self.pending == 0 and self.closed:
                self.done.set()


def _keep_unchanged(out: Path, staging: Path) -> int:
    """Put the previous build's file in place of each new file with the same bytes; return how many.

    The output folders then change only where the content changed: a deployment that copies
    by modification time (rsync, a web server's caches, a backup) sees only the changed pages.
    """
    kept = 0
    for name in OUTPUT_DIRS:
        previous_dir = out / name
        if not previous_dir.is_dir() or (staging / name).is_symlink():
            continue
        for new in (staging / name).rglob("*"):
            old = previous_dir / new.relative_to(staging / name)
            try:
                if (new.is_symlink() or not new.is_file() or old.is_symlink() or not old.is_file()
                        or old.stat().st_size != new.stat().st_size or old.read_bytes() != new.read_bytes()):
                    continue
                if old.stat().st_ino != new.stat().st_ino:
                    new.unlink()
                    os.link(old, new)  # never changed in place: a later build replaces, never edits
                kept += 1
            except OSError:
                continue  # the new file stays: correct, only not shared
    return kept


def _swap_in(staging: Path, out: Path) -> None:
    # Each folder is replaced by two renames; between them only the old copy is missing,
    # never half of a new one.
    for name in OUTPUT_DIRS:
        target = out / name
        old = staging / f"{name}.old"
        if target.exists():
            os.replace(target, old)
        os.replace(staging / name, target)
