"""One hostile contribution at a time: refused by check at the right line, or built harmless.

Each case is a small project with one hostile accepted contribution and an ordinary one after
it, run through the real check and the real build (public and ``--intern``). Two outcomes are
acceptable, and the test says which one happened:

1. ``check`` refuses the hostile text with a German error located in its file, at the line of
   the construct (and blames nothing else); or
2. check accepts it, both builds succeed, and the outputs are clean: no live script or script URL
   on the site or in PDF/DOCX links, nothing from another host, no id twice, both titles are
   headings and both marker words are text in PDF, DOCX and site (so a contribution after an
   open fence or div is intact), and the case's own words are not lost.
"""

from __future__ import annotations

import re
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

from sealing import (Entry, build_outputs, check_errors, docx_plain, inspect, lines_of, pdf_plain, read_page,
                     write_project)
from textcheck import main_html_text

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils fehlt")

FOLLOWING = "Dieser Beitrag steht nach dem feindlichen und muss vollständig erscheinen.\n"
# The contribution after the hostile one has fences of its own: an open fence before it would
# pair with them and swallow its heading.
FOLLOWER = Entry(2, "Siegelwort00002 steht hier.\n\n```\nCode danach\n```\n\n~~~\nnoch Code\n~~~\n\n" + FOLLOWING,
                 "danach")


@dataclass(frozen=True)
class Case:
    """A hostile body; ``at`` are snippets on whose lines a refusing check may point."""

    name: str
    body: str
    at: tuple[str, ...]
    keep: tuple[str, ...] = ()  # words of the hostile text every output must still show

    def entry(self) -> Entry:
        return Entry(1, "Siegelwort00001 gehört zu diesem Beitrag.\n\n" + self.body, self.name)


CASES = [
    # Structure: what swallows the contributions after it.
    Case("offener-codeblock", "Vorher.\n\n```\nnie geschlossen\n", ("```",)),
    Case("offener-tilde-codeblock", "~~~\nnie geschlossen\n", ("~~~",)),
    Case("codeblock-eingerueckt-geschlossen", "```\ncode\n    ```\n", ("```\ncode",)),
    Case("codeblock-im-zitat", "> ```\n> offen im Zitat\n\nNach dem Zitat.\n", ("> ```",)),
    Case("offener-div", "::: {.hinweis}\nOffen geblieben.\n", (":::",)),
    Case("div-schliesser", "Text.\n\n:::::\n\nNoch Text.\n", (":::::",)),
    Case("div-schliesser-im-zitat", "> :::::\n\nNoch Text.\n", ("> :::::",)),
    Case("div-im-zitat-mit-attribut", "> ::: {.beitrag kind='x\"><a href=javascript:alert(1)>'}\n> Zitat\n> :::\n",
         ("> ::: {.beitrag",)),
    Case("div-im-zitat-status-attribut", "> ::: {.beitrag status='x\" onmouseover=\"alert(1)'}\n> Zitat\n> :::\n",
         ("> ::: {.beitrag",)),
    Case("div-im-zitat-redaktionsnotiz", "> ::: {.redaktionsnotiz}\n> Sichtbarer Satz im Zitat.\n> :::\n",
         ("> ::: {.redaktionsnotiz",), keep=("Sichtbarer Satz im Zitat",)),
    Case("div-im-zitat-diagramm", '> ::: {.diagramm chart="../../../../evil" alt="x"}\n> Bildunterschrift\n> :::\n',
         ("> ::: {.diagramm",), keep=("Bildunterschrift",)),
    Case("offener-html-kommentar", "<!-- offen\n\nText danach.\n", ("<!--",)),
    Case("id-eines-anderen-beitrags", "## Übernahme {#beitrag-p00002}\n\nText.\n", ("## Übernahme",)),
    Case("id-der-theme-konfiguration", "## Konfiguration {#__config}\n\nText.\n", ("## Konfiguration",)),
    # Script: what would reach the site as live code.
    Case("span-onclick", 'Ein [Wort]{onclick="alert(1)"} im Satz.\n', ("[Wort]{onclick",)),
    Case("ueberschrift-onclick", '## Titel {onclick="alert(1)"}\n\nText.\n', ("## Titel",)),
    Case("codeblock-onclick", '```{.python onclick="alert(1)"}\nprint(1)\n```\n', ("```{.python",)),
    Case("autolink-javascript", "Klick <javascript:alert(1)> hier.\n", ("<javascript:",)),
    Case("referenzlink-javascript", "Siehe [hier][ziel].\n\n[ziel]: javascript:alert(1)\n",
         ("[ziel]: javascript", "[hier][ziel]")),
    Case("link-javascript-als-entity", "Ein [Link](&#106;avascript:alert(1)).\n", ("[Link](",)),
    Case("link-javascript-mit-backslash", "Ein [Link](javascript\\:alert(1)).\n", ("[Link](",)),
    Case("link-vbscript-gross", "Ein [Link](VBScript:msgbox(1)).\n", ("[Link](",)),
    Case("link-data-url", "Ein [Link](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==).\n",
         ("[Link](",)),
    Case("kommentar-verdeckt-link", "<!-- Notiz --> Ein [Link](javascript:alert(1)).\n", ("[Link](",)),
    Case("script-tag", "<script>alert(1)</script>\n", ("<script>",)),
    Case("img-onerror", '<img src="x" onerror="alert(1)">\n', ("<img",)),
    Case("roh-html-block", "```{=html}\n<script>alert(1)</script>\n```\n", ("```{=html}",)),
    Case("roh-typst-inline", "Text `#set page(fill: red)`{=typst} weiter.\n", ("`#set",)),
    Case("bild-von-fremdem-server-als-referenz", "![Pixel][p]\n\n[p]: https://evil.example.com/p.png\n",
         ("![Pixel][p]", "[p]: https")),
    Case("stil-attribut-mit-url",
         '[x]{style="background:url(https://evil.example.com/p.png)"}\n', ("[x]{style",)),
    # PDF: what Typst or PDF/UA cannot take.
    Case("trennlinien", "Absatz.\n\n---\n\nZwei.\n\n***\n\nDrei.\n\n___\n\nWeiter.\n",
         ("---\n\nZwei", "***", "___"), keep=("Zwei", "Drei", "Weiter")),
    Case("setext-ebene-1", "Großer Titel\n============\n\nText.\n", ("Großer Titel\n====",), keep=("Großer Titel",)),
    Case("ueberschrift-1-im-zitat", "> # Zitierter Titel\n>\n> Text.\n", ("> # Zitierter",), keep=("Zitierter Titel",)),
    Case("ueberschrift-2-im-zitat", "> ## Zitierter Titel\n>\n> Text.\n", ("> ## Zitierter",),
         keep=("Zitierter Titel",)),
    Case("ueberschrift-1-in-liste", "- # Titel im Punkt\n\n  Text.\n", ("- # Titel",), keep=("Titel im Punkt",)),
    Case("ueberschrift-2-in-liste", "- Punkt\n\n  ## Titel im Punkt\n\n  Text.\n", ("## Titel im Punkt",),
         keep=("Titel im Punkt",)),
    Case("uebersprungene-ebene", "## Zwei\n\nText.\n\n##### Fünf\n\nText.\n", ("##### Fünf",), keep=("Fünf",)),
    Case("referenzbild", "![Karte][karte]\n\n[karte]: media/bild.png\n", ("![Karte][karte]", "[karte]: media")),
    Case("referenzbild-auf-anker", "![Karte][karte]\n\n[karte]: #abschnitt-grundlagen\n",
         ("![Karte][karte]", "[karte]: #")),
    Case("referenzbild-ausserhalb-des-projekts", "![Passwörter][p]\n\n[p]: ../../../etc/passwd\n",
         ("![Passwörter][p]", "[p]: ../")),
    Case("leere-ueberschrift-ebene-1", "#\n\nText.\n", ("#\n\nText",)),
    Case("gitter-tabelle-zu-breit", "+------+------+\n| A    | B und mehr Text als Platz |\n+======+======+\n| C    | D    |\n"
         "+------+------+\n", ("+------+------+\n| A",), keep=("mehr Text",)),
    Case("leerer-link", "Mehr dazu [hier]().\n", ("[hier]()",), keep=("Mehr dazu hier",)),
    Case("zeichen-chinesisch", "移民融合从语言开始。\n", ("移民",), keep=("移民融合从语言开始",)),
    Case("zeichen-tigrinya-amharisch", "ምዕባለ ማሕበረሰብ ብቋንቋ ይጅምር። የስደተኞች ውህደት በቋንቋ ይጀምራል።\n", ("ምዕባለ",),
         keep=("ምዕባለ", "የስደተኞች")),
    Case("zeichen-emoji", "Gut gemacht 👍🏽 🙂\n", ("Gut gemacht",), keep=("Gut gemacht",)),
    Case("zeichen-symbole", "✓ erledigt ☐ offen → weiter ❗ wichtig 120 €\n", ("✓ erledigt",),
         keep=("erledigt", "wichtig", "120")),
    Case("zeichen-arabisch-persisch", "تعزيز المشاركة السياسية. مشارکت مهاجران\n", ("تعزيز",), keep=("المشاركة",)),
    # Text pandoc would misread.
    Case("datum-am-absatzanfang", "24. November 2009 tagte der Qualitätszirkel.\n", ("24. November",),
         keep=("24. November 2009",)),
    Case("zitation", "@stadtrat hat beschlossen.\n", ("@stadtrat",), keep=("@stadtrat",)),
    Case("latex-befehl", "Das ist \\textbf{fett}.\n", ("\\textbf",), keep=("textbf",)),
    Case("dollar-mathematik", "Es kostet $5 und $x^2$ ist Mathematik.\n", ("$5",), keep=("$5", "x^2")),
]


def _squash(text: str) -> str:
    return re.sub(r"[\s\-\u00ad]+", "", text)


def _refused(case: Case, hostile: Entry, errors: list) -> None:
    lines = {line for snippet in case.at for line in lines_of(hostile, snippet)}
    report = "\n".join(d.format() for d in errors)
    assert all(d.path == hostile.rel for d in errors), f"Fehler außerhalb des feindlichen Beitrags:\n{report}"
    assert any(d.line in lines for d in errors), f"kein Fehler in Zeile {sorted(lines)}:\n{report}"
    for d in errors:
        assert re.fullmatch(r"R\d{3}", d.code) and d.message and d.hint, d.format()
        assert not re.search(r"\b(the|is|not|error|found)\b", d.message + " " + d.hint), f"nicht deutsch: {d.format()}"


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_hostile_contribution_is_refused_at_its_line_or_built_harmless(case: Case, tmp_path: Path) -> None:
    hostile, follower = case.entry(), FOLLOWER
    root = write_project(tmp_path / "projekt", [hostile, follower])
    errors = check_errors(root)
    if errors:
        _refused(case, hostile, errors)
        return
    for intern in (False, True):
        outputs = build_outputs(root, intern)  # BuildFailed: accepted by check, but it does not build
        findings = inspect(outputs, [hostile, follower], tmp_path)
        assert not findings, f"[{outputs.mode}] " + "\n".join(f.message for f in findings)
        page = (outputs.site / "papiere" / "testpapier" / "index.html").read_text(encoding="utf-8")
        texts = {"PDF": pdf_plain(outputs.pdf), "DOCX": docx_plain(outputs.docx, tmp_path),
                 "Website": _squash(main_html_text(page))}
        for words in case.keep + (FOLLOWING.strip(),):
            for output, text in texts.items():
                assert _squash(words) in text, f"[{outputs.mode}] {output}: „{words}“ fehlt"
        assert "beitrag-p00002" in [identifier for identifier, _ in read_page(page).ids]
