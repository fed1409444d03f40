"""`redaktion serve`: the preview picks up a saved contribution and shows check errors in the page."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from projects import copy_demo

PAPER = "contributions/bildungsmanagement/wuppertal--elternbegleiterinnen.md"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _get(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 - local preview server
            return response.read().decode("utf-8")
    except OSError:
        return ""


def _wait_for(url: str, text: str, seconds: float) -> float:
    """Poll ``url`` until it contains ``text``; return the seconds it took."""
    started = time.monotonic()
    while time.monotonic() - started < seconds:
        if text in _get(url):
            return time.monotonic() - started
        time.sleep(0.1)
    raise AssertionError(f"„{text}“ erschien nicht innerhalb von {seconds} s auf {url}")


@pytest.fixture()
def server(tmp_path: Path):
    root = copy_demo(tmp_path / "demo")
    port = _free_port()
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    process = subprocess.Popen([sys.executable, "-m", "redaktion.cli.main", "--root", str(root), "serve",
                                "--port", str(port)], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}/"
    try:
        _wait_for(base, "Qualitätszirkel", 120)
        yield root, base
    finally:
        process.terminate()
        process.wait(timeout=20)


def test_preview_reloads_after_save_and_shows_errors_in_the_page(server) -> None:
    root, base = server
    page = base + "papiere/bildungsmanagement/"
    contribution = root / PAPER
    text = contribution.read_text(encoding="utf-8")
    contribution.write_text(text.replace("Getragen wird", "Frisch gespeichert. Getragen wird"), encoding="utf-8")
    seconds = _wait_for(page, "Frisch gespeichert.", 30)
    print(f"Vorschau aktualisiert nach {seconds:.2f} s")
    # The changed page is indexed for the search after the page is shown.
    _wait_for(base + "search/search_index.json", "Frisch gespeichert.", 30)

    contribution.write_text(text.replace("status: angenommen", "status: angenomen"), encoding="utf-8")
    _wait_for(base, "Fehler in den Beiträgen", 30)
    assert "R025" in _get(base) and "wuppertal--elternbegleiterinnen.md" in _get(base)

    contribution.write_text(text, encoding="utf-8")
    _wait_for(page, "Elternbegleiterinnen", 30)
    assert "Fehler in den Beiträgen" not in _get(base)

    # A hand-written page is not a contribution: the whole site is built again, and shows it.
    guide = root / "docs" / "mitmachen.md"
    guide.write_text(guide.read_text(encoding="utf-8") + "\nNeuer Absatz der Anleitung.\n", encoding="utf-8")
    _wait_for(base + "mitmachen/", "Neuer Absatz der Anleitung.", 60)


def _pdf_text(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 - local preview server
            data = response.read()
    except OSError:
        return ""
    if not data.startswith(b"%PDF"):
        return ""
    result = subprocess.run(["pdftotext", "-", "-"], input=data, capture_output=True, check=False)
    return result.stdout.decode("utf-8", "replace").replace("\u00ad", "").replace("-\n", "")


def test_preview_offers_the_paper_pdf_and_recompiles_it_after_a_save(server) -> None:
    import re

    root, base = server
    page = base + "papiere/bildungsmanagement/"
    _wait_for(page, "PDF herunterladen", 30)
    html = _get(page)
    assert "Word (DOCX)" not in html  # the preview offers only what it keeps current
    link = re.search(r'href="([^"]+\.pdf)"', html)
    assert link is not None
    pdf_url = urllib.request.urljoin(page, link.group(1))
    started = time.monotonic()
    while "Elternbegleiterinnen" not in _pdf_text(pdf_url):
        assert time.monotonic() - started < 120, "Die Vorschau bietet kein PDF an"
        time.sleep(0.2)
    contribution = root / PAPER
    text = contribution.read_text(encoding="utf-8")
    contribution.write_text(text.replace("Getragen wird", "Vorschaumarke im PDF. Getragen wird"), encoding="utf-8")
    started = time.monotonic()
    while "Vorschaumarke im PDF" not in " ".join(_pdf_text(pdf_url).split()):
        assert time.monotonic() - started < 60, "Das PDF der Vorschau folgt der Änderung nicht"
        time.sleep(0.2)
    print(f"PDF der Vorschau aktualisiert nach {time.monotonic() - started:.2f} s")
    # The preview's PDF went into the build's cache: the next build makes only the DOCX.
    build = subprocess.run([sys.executable, "-m", "redaktion.cli.main", "--root", str(root), "build"],
                           capture_output=True, text=True, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"}, check=False)
    assert build.returncode == 0, build.stderr
    assert "DOCX erzeugt" in build.stdout + build.stderr
    assert "PDF erzeugt" not in build.stdout + build.stderr


def test_a_port_in_use_is_refused_at_once_in_german(tmp_path: Path) -> None:
    root = copy_demo(tmp_path / "demo")
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = subprocess.run([sys.executable, "-m", "redaktion.cli.main", "--root", str(root), "serve",
                                 "--port", str(port)], capture_output=True, text=True, timeout=60,
                                env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    assert result.returncode == 2
    assert f"Der Port {port} ist schon belegt" in result.stderr + result.stdout
    assert "Traceback" not in result.stderr
