"""How long after saving a contribution does the preview (`redaktion serve`) show the change?

Starts ``redaktion serve`` on a free port, waits until the paper's page is served, then edits
contributions of that paper one after the other (a sentence with a unique marker each) and
measures, from the moment the file is written:

* until the served HTML page ``/papiere/<paper>/`` contains the marker,
* until the paper's PDF linked from that page contains the marker (text from ``pdftotext``).

Both are polled every 20 ms, each in its own thread. When the page links no PDF of the paper,
or the PDF never shows the change, the PDF figure is "nicht verfügbar" with the reason.

Usage (the project needs a public ``redaktion build`` first, to know its public papers)::

    .venv/bin/python benchmarks/serve_latency.py PROJECT [--edits 3] [--timeout 300]
"""

from __future__ import annotations

import argparse
import hashlib
import http.client
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from benchreport import de, median
from edits import add_sentence, largest_public_paper

POLL_SECONDS = 0.02
REQUEST_TIMEOUT = 30.0  # one request; the preview holds requests back while it rebuilds
PDF_REQUEST_TIMEOUT = 300.0  # a preview may render the PDF only when it is asked for
FULL_READ_SECONDS = 0.5  # a PDF of unchanged size is read in full this often
PDF_LINK_GRACE = 10.0  # after the page shows the change: how long a missing PDF link may stay missing
PAUSE_BETWEEN_EDITS = 1.0  # let the file watcher settle, so every edit starts from an idle preview
IDLE_SHARE = 0.05  # the preview counts as idle below this share of one core …
IDLE_WINDOW = 1.0  # … over this many seconds
IDLE_TIMEOUT = 600.0
PDF_LINK = re.compile(r'href="([^"#?]+\.pdf)"')


class Unavailable(Exception):
    """The PDF cannot be measured in this preview (no link, no pdftotext, never updated)."""


@dataclass
class Latency:
    """The preview's reaction times in seconds, one entry per edit (None: timed out)."""

    startup: float | None = None
    idle: float | None = None  # until the preview's start-up work in the background was done
    html: list[float | None] = field(default_factory=list)
    pdf: list[float | None] = field(default_factory=list)
    pdf_url: str = ""
    pdf_note: str = ""  # why the PDF figure is missing ("" when measured)
    note: str = ""  # why the whole measurement failed ("" when it ran)


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def fetch(url: str, timeout: float = REQUEST_TIMEOUT) -> bytes | None:
    """The body of ``url``, or None when it is not (yet) served."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.read()
    except (urllib.error.URLError, OSError, TimeoutError):
        return None


def wait_for(condition: Callable[[], bool], timeout: float, alive: Callable[[], bool] = lambda: True) -> bool:
    """Poll ``condition`` every POLL_SECONDS until it holds (True) or ``timeout`` passes (False)."""
    deadline = time.perf_counter() + timeout
    while time.perf_counter() < deadline and alive():
        if condition():
            return True
        time.sleep(POLL_SECONDS)
    return False


def pdf_links(page_url: str, html: str, paper_id: str) -> list[str]:
    """Links to the paper's own PDF on its page: downloads first, other PDFs named after the paper next."""
    urls = [urllib.parse.urljoin(page_url, href) for href in PDF_LINK.findall(html)]
    own = [url for url in urls if Path(urllib.parse.urlparse(url).path).name.startswith(paper_id)]
    return sorted(dict.fromkeys(own), key=lambda url: "/downloads/" not in url)


def pdf_text(data: bytes) -> str:
    """The text of a PDF, with all white space and soft hyphens removed (line breaks split words)."""
    with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
        handle.write(data)
        handle.flush()
        result = subprocess.run(["pdftotext", "-q", "-enc", "UTF-8", handle.name, "-"], capture_output=True)
    text = result.stdout.decode("utf-8", errors="replace")
    return re.sub(r"-\s*\n|\s|\u00ad", "", text)


def content_length(url: str) -> int | None:
    """The size the server announces for ``url``, without reading the body (None when not served).

    Reading a 300-page PDF fifty times a second would keep a core of this two-core machine busy
    and slow down the very compile that is measured; a browser asks for the file once.
    """
    parts = urllib.parse.urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname or "127.0.0.1", parts.port, timeout=REQUEST_TIMEOUT)
    try:
        connection.request("GET", parts.path)
        response = connection.getresponse()
        length = response.getheader("Content-Length")
        return int(length) if response.status == 200 and length and length.isdigit() else None
    except (OSError, http.client.HTTPException):
        return None
    finally:
        connection.close()


def digest(data: bytes | None) -> str:
    return hashlib.sha256(data or b"").hexdigest()


class Preview:
    """A running ``redaktion serve`` on one project (started in its own session, stopped by its id)."""

    def __init__(self, redaktion: str, project: Path, paper_id: str, log: Path) -> None:
        self.port = free_port()
        self.page_url = f"http://127.0.0.1:{self.port}/papiere/{paper_id}/"
        self.paper_id = paper_id
        self.log = log
        env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
        with log.open("wb") as output:
            self.process = subprocess.Popen([redaktion, "--root", str(project), "serve", "--port", str(self.port)],
                                            stdout=output, stderr=subprocess.STDOUT, env=env,
                                            start_new_session=True)

    def alive(self) -> bool:
        return self.process.poll() is None

    def cpu_seconds(self) -> float:
        """Processor time the preview process (all its threads) has used so far."""
        fields = Path(f"/proc/{self.process.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def wait_idle(self, timeout: float = IDLE_TIMEOUT) -> None:
        """Wait until the preview's background work (PDF compiles, search index) is done.

        Each edit is measured from an idle preview, as someone who opens it and starts to write.
        """
        deadline = time.perf_counter() + timeout
        used = self.cpu_seconds()
        while time.perf_counter() < deadline and self.alive():
            time.sleep(IDLE_WINDOW)
            now = self.cpu_seconds()
            if now - used < IDLE_SHARE * IDLE_WINDOW:
                return
            used = now

    def page(self) -> str | None:
        data = fetch(self.page_url)
        return data.decode("utf-8", errors="replace") if data is not None else None

    def stop(self) -> None:
        """Interrupt the preview (mkdocs removes its temporary site), kill it if it lingers."""
        if not self.alive():
            return
        os.killpg(self.process.pid, signal.SIGINT)
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()


def wait_for_html(preview: Preview, marker: str, saved: float, timeout: float) -> float | None:
    """Seconds from ``saved`` until the served page contains ``marker`` (None: timed out)."""
    found: list[float] = []

    def shows() -> bool:
        html = preview.page()
        if html is not None and marker in html:
            found.append(time.perf_counter() - saved)
        return bool(found)

    wait_for(shows, timeout, preview.alive)
    return found[0] if found else None


def current_pdf(preview: Preview, known: str = "") -> tuple[str, bytes | None]:
    """URL and bytes of the paper's PDF as the preview serves it now ("" when the page links none).

    ``known`` is the URL found before; the page is read again only when it no longer serves a PDF.
    """
    if known:
        data = fetch(known, PDF_REQUEST_TIMEOUT)
        if data is not None and data.startswith(b"%PDF"):
            return known, data
    for url in pdf_links(preview.page_url, preview.page() or "", preview.paper_id):
        data = fetch(url, PDF_REQUEST_TIMEOUT)
        if data is not None and data.startswith(b"%PDF"):
            return url, data
    return "", None


def wait_for_pdf(preview: Preview, marker: str, saved: float, timeout: float,
                 before: tuple[str, str, int]) -> float:
    """Seconds from ``saved`` until the paper's PDF contains ``marker``; raises Unavailable if it never does.

    ``before`` is URL, digest and size of the PDF served before the edit: only a new PDF goes
    through pdftotext. Between full reads only the announced size is polled (see :func:`content_length`).
    """
    state: dict[str, object] = {"url": before[0], "digest": before[1], "no_link_since": None,
                                "length": before[2], "read": 0.0}
    found: list[float] = []

    def shows() -> bool:
        # The whole file only when its size changed (or, in case a new PDF has the old size, twice a second).
        if state["url"] and time.perf_counter() - float(state["read"]) < FULL_READ_SECONDS:
            if content_length(str(state["url"])) == state["length"]:
                return False
        state["read"] = time.perf_counter()
        url, data = current_pdf(preview, str(state["url"]))
        now = time.perf_counter()
        state["url"] = url
        if not url:
            if state["no_link_since"] is None and marker in (preview.page() or ""):
                state["no_link_since"] = now
            if state["no_link_since"] is not None and now - float(state["no_link_since"]) > PDF_LINK_GRACE:
                raise Unavailable("die Seite des Papiers in der Vorschau verlinkt kein PDF des Papiers")
            return False
        if digest(data) == state["digest"]:
            return False
        state["digest"], state["length"] = digest(data), len(data or b"")
        if marker in pdf_text(data):
            found.append(now - saved)
        return bool(found)

    if not wait_for(shows, timeout, preview.alive):
        raise Unavailable(f"das PDF der Vorschau zeigt die Änderung nach {timeout:.0f} s noch nicht")
    return found[0]


def one_edit(preview: Preview, path: Path, number: int, timeout: float, measure_pdf: bool,
             result: Latency) -> None:
    """Edit ``path`` once and record how long page and PDF take to show it."""
    marker = f"QZ{secrets.randbelow(10**6):06d}N{number}"  # capitals and digits: no ligature, no hyphenation
    url, data = current_pdf(preview) if measure_pdf else ("", None)
    before = (url, digest(data), len(data or b""))
    result.pdf_url = url or result.pdf_url
    add_sentence(path, f"Messpunkt {marker} der Vorschau.")
    saved = time.perf_counter()
    with ThreadPoolExecutor(max_workers=2) as pool:
        html = pool.submit(wait_for_html, preview, marker, saved, timeout)
        pdf = pool.submit(wait_for_pdf, preview, marker, saved, timeout, before) if measure_pdf else None
        result.html.append(html.result())
        if pdf is not None:
            try:
                result.pdf.append(pdf.result())
            except Unavailable as reason:
                result.pdf_note = str(reason)


def measure_serve(redaktion: str, project: Path, log: Path, edits: int = 3, startup_timeout: float = 900,
                  timeout: float = 300, same_file: bool = False) -> Latency:
    """Start the preview on ``project``, edit the largest public paper ``edits`` times, stop the preview.

    Each edit goes to another contribution, or with ``same_file`` all to one (someone revising a text).
    """
    result = Latency()
    paper = largest_public_paper(project)
    files = [paper.accepted[0 if same_file else number % len(paper.accepted)] for number in range(edits)]
    if shutil.which("pdftotext") is None:
        result.pdf_note = "pdftotext fehlt (Debian-Paket poppler-utils)"
    preview = Preview(redaktion, project, paper.id, log)
    try:
        started = time.perf_counter()
        if not wait_for(lambda: preview.page() is not None, startup_timeout, preview.alive):
            result.note = (f"Vorschau nicht erreichbar nach {time.perf_counter() - started:.0f} s "
                           f"(siehe {log})")
            return result
        result.startup = time.perf_counter() - started
        preview.wait_idle()
        result.idle = time.perf_counter() - started
        for number, path in enumerate(files, start=1):
            one_edit(preview, path, number, timeout, not result.pdf_note, result)
            time.sleep(PAUSE_BETWEEN_EDITS)
            preview.wait_idle()
    finally:
        preview.stop()
    return result


def describe(result: Latency) -> list[str]:
    """The result as German lines for the console."""
    if result.note:
        return [f"Vorschau: {result.note}"]
    html = median(result.html)
    lines = [f"Vorschau bereit nach {de(result.startup or 0)} s, im Leerlauf nach {de(result.idle or 0)} s",
             "Seite zeigt die Änderung: " + ", ".join(_seconds(value) for value in result.html)
             + (f" (Median {de(html, 2)} s)" if html is not None else "")]
    pdf = median(result.pdf)
    if pdf is None:
        lines.append(f"PDF zeigt die Änderung: nicht verfügbar ({result.pdf_note or 'keine Messung'})")
    else:
        lines.append("PDF zeigt die Änderung: " + ", ".join(_seconds(value) for value in result.pdf)
                     + f" (Median {de(pdf, 2)} s, {result.pdf_url})"
                     + (f"; danach nicht verfügbar: {result.pdf_note}" if result.pdf_note else ""))
    return lines


def _seconds(value: float | None) -> str:
    return "Zeitüberschreitung" if value is None else f"{de(value, 2)} s"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Latenz der Vorschau (redaktion serve): Speichern → Seite, → PDF.")
    parser.add_argument("project", type=Path)
    parser.add_argument("--edits", type=int, default=3, help="Anzahl der Änderungen (Median wird berichtet)")
    parser.add_argument("--timeout", type=float, default=300, help="Höchstdauer je Warten in Sekunden")
    parser.add_argument("--log", type=Path, default=None, help="Ausgabe der Vorschau (Standard: temporär)")
    parser.add_argument("--gleiche-datei", action="store_true",
                        help="jede Änderung im selben Beitrag (wer einen Text überarbeitet)")
    args = parser.parse_args(argv)
    redaktion = str(Path(sys.executable).with_name("redaktion"))
    log = args.log or Path(tempfile.mkdtemp(prefix="serve-latency-")) / "serve.log"
    result = measure_serve(redaktion, args.project.resolve(), log, args.edits, timeout=args.timeout,
                           same_file=args.gleiche_datei)
    print("\n".join(describe(result)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
