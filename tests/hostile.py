"""Hypothesis strategies for hostile contribution bodies.

A grammar of what members (or an attacker with a member's account) can write: German and
multilingual text, every Markdown construct pandoc knows, and the constructs that used to
escape a contribution (open fences and divs, author-written attributes, script URLs, raw
HTML/Typst, headings and breaks the PDF cannot take).

Every generated :class:`Hostile` body starts with its own ordinary paragraph holding a marker
word; :meth:`Hostile.body` fills in that marker (and the contribution's own anchor), so the
caller can give each contribution a unique title and marker and look for both in the outputs.
"""

from __future__ import annotations

from dataclasses import dataclass

from hypothesis import strategies as st

SELF = "⟨SELF⟩"  # replaced by the contribution's own anchor (a link target check accepts)

TEXTS = {
    "de": ["Die Stadt fördert Sprachkurse für Eltern in Kitas und Grundschulen.",
           "Migrantinnen und Migranten bringen ihre Erfahrungen in den Integrationsbeirat ein.",
           "Der Qualitätszirkel empfiehlt, die Zusammenarbeit mit Migrantenorganisationen zu stärken.",
           "Straßenfeste, Bürgerbüros und Ämter öffnen sich – „interkulturell“ heißt: für alle.",
           "Übergänge von der Schule in den Beruf gelingen, wenn Lotsinnen früh beginnen."],
    "tr": ["Göçmen ailelerin çocukları için dil desteği çok önemlidir.", "Şehir meclisi ığdır ve çay."],
    "ar": ["تعزيز المشاركة السياسية للمهاجرين في البلديات.", "اللغة مفتاح الاندماج."],
    "fa": ["مشارکت مهاجران در شورای شهر اهمیت دارد.", "یادگیری زبان آلمانی"],
    "ru": ["Интеграция мигрантов начинается с языка.", "Городской совет поддерживает родителей."],
    "uk": ["Інтеграція починається з мови та освіти.", "Ґрунтовна підтримка їхніх сімей."],
    "pl": ["Integracja zaczyna się od języka; źródło, żółć, gęślą jaźń.", "Miasto wspiera rodziców."],
    "el": ["Η ένταξη των μεταναστών ξεκινά από τη γλώσσα.", "Δήμος και κοινωνία."],
    "zh": ["移民融合从语言开始。", "城市议会支持家长参与学校生活。"],
    "ti": ["ምዕባለ ማሕበረሰብ ብቋንቋ ይጅምር።"],
    "am": ["የስደተኞች ውህደት በቋንቋ ይጀምራል።"],
}
SYMBOLS = ["✓ erledigt", "☐ offen", "→ weiter", "❗ wichtig", "120 €", "5 € pro Kopf", "✓ ☐ → ❗ €"]
EMOJI = ["🙂", "👍🏽", "🇩🇪", "👩‍👩‍👧"]
SPECIALS = ["#", "*", "_", "[", "]", "<", ">", "&", "$", "%", "\\", "{", "}", "@", "„", "“", "–",
            "<b>", "{x}", "#set page(fill: red)", "#pagebreak()", "&#106;avascript:", "&lt;script&gt;"]

# Link and image targets: every scheme, the encodings that hide a scheme, paths leaving the project.
URLS = [
    "https://example.org/seite?a=1&b=2", "http://example.com", "mailto:buero@example.org",
    "javascript:alert(1)", "JaVaScRiPt:alert(document.cookie)", "javascript\\:alert(1)",
    "&#106;avascript:alert(1)", "java%73cript:alert(1)", "vbscript:msgbox(1)",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==", "file:///etc/passwd",
    "relativ/seite.html", "../../../mkdocs.yml", "../../etc/passwd", "#abschnitt-grundlagen", "#" + SELF,
    "#gibtsnicht", "", "//evil.example.com/x.js", "media/bild.png",
]
ABSOLUTE_URLS = [u for u in URLS if ":" in u and not u.startswith(("#", "&"))]
IMAGE_TARGETS = ["media/bild.png", "https://evil.example.com/pixel.png", "http://evil.example.com/p.gif",
                 "media/fehlt.png", "../../../etc/passwd", "data:image/png;base64,iVBORw0KGgo=",
                 "javascript:alert(1)", "//evil.example.com/p.png", "file:///etc/passwd"]
ATTRIBUTES = [
    '#id .c onclick="alert(1)"', 'onclick="alert(1)"', "onmouseover=alert(1)", ".unnumbered", "-",
    'style="position:fixed;top:0;left:0;width:100%;height:100%;background:url(https://evil.example.com/x.png)"',
    "kind='x\"><a href=javascript:alert(1)>'", '#beitrag-p00001', "#abschnitt-grundlagen", "#__config",
    "#titel", '.md-header data-md-component="header"', 'lang=ar dir=rtl', "hidden", ".redaktionsnotiz",
    'contribution="stuttgart--grundsatz" members="muenchen"', 'href="javascript:alert(1)"',
    'src="https://evil.example.com/x.js"', "#id-mit-ümlaut", ".python",
]
LABELS = ["quelle", "1", "a", "logo", "Quelle"]
HTML_INLINE = ["<b>fett</b>", '<img src="x" onerror="alert(1)">', "<script>alert(1)</script>",
               "<!-- Kommentar -->", '<span style="color:red">rot</span>', '<a href="javascript:alert(1)">klick</a>',
               "<svg/onload=alert(1)>", "<br>", "<!-- offen"]
HTML_BLOCKS = [
    '<div onmouseover="alert(1)">\nText im div\n</div>', "<script>alert(1)</script>",
    '<img src=x onerror="alert(1)">', "<!-- Kommentar -->", "<!-- Redaktion: interne Notiz -->",
    "<!-- unclosed comment", '<iframe src="https://evil.example.com"></iframe>',
    "<style>body{display:none}</style>", "<details><summary>Mehr</summary>Verborgen</details>",
    '<math><mi xlink:href="javascript:alert(1)">x</mi></math>',
    '<form action="javascript:alert(1)"><button formaction="javascript:alert(1)">x</button></form>',
    "</div></div></article><script>alert(1)</script>", '<base href="https://evil.example.com/">',
    '<meta http-equiv="refresh" content="0;url=https://evil.example.com">',
]
# Fenced-div openers that imitate the structure the assembler and the renderers' filters build.
DIV_OPENERS = [
    "::: {.beitrag kind='x\"><a href=javascript:alert(1)>'}", "::: {kind='x\"><a href=javascript:alert(1)>'}",
    '::: {.beitrag .praxisbeispiel contribution="stuttgart--grundsatz" kind="praxisbeispiel" '
    'member-names="Landeshauptstadt München" status="abgelehnt"}',
    "::: {.redaktionsnotiz}", '::: {.diagramm chart="../../../../evil" alt="x"}', "::: {.redaktion-teil}",
    '::: {.beitrag status=\'x" onmouseover="alert(1)\'}', "::::: {.beitrag}",
]
CODE_LINES = ["print('hallo')", "<script>alert(1)</script>", ":::", ":::::", "# kein Titel", "#pagebreak()",
              "$x$", "---", "Ümlaut und 中文"]
DATE_PARAGRAPHS = ["24. November 2009 tagte der Qualitätszirkel in Stuttgart.",
                   "1. Januar 2010 trat die neue Satzung in Kraft.", "3. Oktober ist ein Feiertag.",
                   "2009. Das Jahr der Gründung.", "12. Sept. 2011 begann die Kommentierungsrunde."]
TEX_AND_FRIENDS = ["@stadtrat hat beschlossen.", "Wie [@smith2009, S. 3] zeigt.", "\\textbf{fett} und \\emph{x}",
                   "$x^2$ und $$E = mc^2$$", "\\newpage", "\\begin{center}\nMitte\n\\end{center}",
                   "Preis: $5 und $10.", "Siehe @abb:karte."]


@dataclass(frozen=True)
class Hostile:
    """A generated body: blocks after the marker paragraph, and how the file ends."""

    blocks: tuple[str, ...]
    ending: str = "\n"

    def body(self, marker: str, anchor: str) -> str:
        """The body with ``marker`` in its own first paragraph and ``anchor`` as the own link target."""
        parts = (f"{marker} gehört zu diesem Beitrag.",) + self.blocks
        return ("\n\n".join(parts) + self.ending).replace(SELF, anchor)


# --- inlines ----------------------------------------------------------------------------------

def sentence() -> st.SearchStrategy[str]:
    """A sentence, mostly German, sometimes in another language, a symbol or an emoji."""
    german = st.sampled_from(TEXTS["de"])
    other = st.sampled_from([s for lang, texts in TEXTS.items() if lang != "de" for s in texts])
    return st.one_of(german, german, german, other, other, st.sampled_from(SYMBOLS), st.sampled_from(EMOJI))


@st.composite
def link(draw: st.DrawFn) -> str:
    label = draw(st.sampled_from(["hier", "Quelle", "Stadt Stuttgart", "klick", "mehr →"]))
    url = draw(st.sampled_from(URLS))
    title = draw(st.sampled_from(["", ' "Titel"', " 'x\" onclick=\"alert(1)'"]))
    return f"[{label}]({url}{title})"


@st.composite
def inline(draw: st.DrawFn) -> str:
    """One inline element: text, emphasis, or something that tries to escape."""
    kind = draw(st.sampled_from(["text", "text", "text", "emphasis", "link", "autolink", "span", "image", "reflink",
                                 "refimage", "code", "html", "special", "math", "note", "bare"]))
    word = draw(st.sampled_from(["Integration", "Teilhabe", "Bildung", "مشارکت", "融合", "Ὀδυσσεύς", "ጥዕና"]))
    if kind == "text":
        return draw(sentence())
    if kind == "emphasis":
        return draw(st.sampled_from([f"*{word}*", f"**{word}**", f"~~{word}~~", f"^{word}^", f"`{word}`"]))
    if kind == "link":
        return draw(link())
    if kind == "autolink":
        return f"<{draw(st.sampled_from(ABSOLUTE_URLS))}>"
    if kind == "span":
        return f"[{word}]{{{draw(st.sampled_from(ATTRIBUTES))}}}"
    if kind == "image":
        attrs = draw(st.sampled_from(["", '{onload="alert(1)" width=50%}', "{#bild .gross}"]))
        alt = draw(st.sampled_from(["Ein Bild", "", "Karte der Stadt"]))
        return f"![{alt}]({draw(st.sampled_from(IMAGE_TARGETS))}){attrs}"
    if kind == "reflink":
        label = draw(st.sampled_from(LABELS))
        return draw(st.sampled_from([f"[{word}][{label}]", f"[{label}]", f"[{label}][]"]))
    if kind == "refimage":
        return f"![{word}][{draw(st.sampled_from(LABELS))}]"
    if kind == "code":
        return draw(st.sampled_from(["`x`{=typst}", "`<b>x</b>`{=html}", "`#pagebreak()`{=typst}",
                                     '`x`{.python onclick="alert(1)"}', "`<script>`", "``a ` b``"]))
    if kind == "html":
        return draw(st.sampled_from(HTML_INLINE))
    if kind == "special":
        return draw(st.sampled_from(SPECIALS))
    if kind == "math":
        return draw(st.sampled_from(["$x^2$", "$$E = mc^2$$", "\\textbf{x}", "@stadtrat", "[@smith2009]"]))
    if kind == "note":
        return "^[Eine Fußnote im Text.]"
    return draw(st.sampled_from(["https://example.org/seite", "www.example.org", "buero@example.org"]))


@st.composite
def paragraph(draw: st.DrawFn) -> str:
    parts = draw(st.lists(inline(), min_size=1, max_size=5))
    return " ".join(parts)


# --- blocks -----------------------------------------------------------------------------------

@st.composite
def heading(draw: st.DrawFn) -> str:
    text = draw(st.sampled_from(["Ausgangslage", "Ziele und Maßnahmen", "Ergebnisse 2009", "خلاصه",
                                 "Итоги", "总结", "Wichtig ❗", "Ausblick → 2030", "#pagebreak()"]))
    if draw(st.integers(0, 4)) == 0:  # setext
        return text + "\n" + draw(st.sampled_from(["=====", "-----", "="]))
    level = draw(st.integers(1, 6))
    attrs = draw(st.sampled_from(["", "", ""] + [" {" + a + "}" for a in ATTRIBUTES]))
    closing = draw(st.sampled_from(["", "", " " + "#" * level]))
    return "#" * level + " " + text + closing + attrs


@st.composite
def fenced_code(draw: st.DrawFn) -> str:
    code = "\n".join(draw(st.lists(st.sampled_from(CODE_LINES), min_size=1, max_size=3)))
    template = draw(st.sampled_from([
        "```\n{c}\n```", "```python\n{c}\n```", '```{{.python onclick="alert(1)"}}\n{c}\n```',
        "~~~ {{#code-id .x data-x=1}}\n{c}\n~~~", "```\n{c}", "````\n{c}\n```", "```\n{c}\n    ```",
        "```\n{c}\n   ```", "~~~\n{c}\n```", "```{{=html}}\n<script>alert(1)</script>\n```",
        "```{{=typst}}\n#set page(fill: red)\n```", "```{{=openxml}}\n<w:p><w:r><w:t>x</w:t></w:r></w:p>\n```",
        "```{{=latex}}\n\\newpage\n```", "    eingerückter Code\n    {c}",
    ]))
    return template.format(c=code)


@st.composite
def fenced_div(draw: st.DrawFn, depth: int) -> str:
    inner = draw(blocks(depth - 1)) if depth > 0 else draw(paragraph())
    template = draw(st.sampled_from([
        "::: {{.hinweis}}\n{i}\n:::", "::: warnung\n{i}\n:::", "::: {{.x}}\n{i}",
        "::: {{kind='x\"><a href=javascript:alert(1)>'}}\n{i}\n:::",
        '::: {{onclick="alert(1)" style="position:fixed"}}\n{i}\n:::',
        '::: {{.beitrag contribution="stuttgart--grundsatz" members="muenchen"}}\n{i}\n:::',
        "::: {{.redaktionsnotiz}}\nGeheime Notiz\n:::", ":::::\n\n{i}", "{i}\n:::", "{o}\n{i}\n:::",
    ]))
    return template.format(i=inner, o=draw(st.sampled_from(DIV_OPENERS)))


@st.composite
def quote(draw: st.DrawFn, depth: int) -> str:
    special = draw(st.sampled_from(["", "", "", "fence", "div"]))
    if special == "fence":
        inner = "```\n" + draw(st.sampled_from(CODE_LINES))  # opened inside the quote, never closed
    elif special == "div":  # at the start of a line the assembler escapes ":::", inside a quote not
        inner = draw(st.sampled_from(DIV_OPENERS)) + "\n" + draw(paragraph()) + "\n:::"
    else:
        inner = draw(blocks(depth - 1))
    return "\n".join("> " + line if line else ">" for line in inner.split("\n"))


@st.composite
def list_block(draw: st.DrawFn, depth: int) -> str:
    marker = draw(st.sampled_from(["- ", "* ", "+ ", "1. ", "1) ", "(@) ", "(@gut) ", "a. ", "i. "]))
    items = []
    for _ in range(draw(st.integers(1, 3))):
        content = draw(blocks(depth - 1)) if depth > 0 and draw(st.booleans()) else draw(paragraph())
        indent = " " * len(marker)
        lines = content.split("\n")
        items.append(marker + lines[0] + "".join("\n" + (indent + line if line else "") for line in lines[1:]))
    return draw(st.sampled_from(["\n", "\n\n"])).join(items)


@st.composite
def table(draw: st.DrawFn) -> str:
    cells = draw(st.lists(st.one_of(st.sampled_from(["A", "Stadt", "2009", "中文", "✓"]), inline()),
                          min_size=4, max_size=4))
    kind = draw(st.sampled_from(["pipe", "grid", "simple"]))
    if kind == "pipe":
        return f"| Spalte | Wert |\n|---|---|\n| {cells[0]} | {cells[1]} |\n| {cells[2]} | {cells[3]} |"
    if kind == "simple":
        return "Spalte   Wert\n-------  -------\nA        B\nC        D"
    width = max(len(c) for c in cells) + 2
    rule, head = "+" + "-" * width + "+" + "-" * width + "+", "+" + "=" * width + "+" + "=" * width + "+"
    row = lambda a, b: f"| {a.ljust(width - 2)} | {b.ljust(width - 2)} |"  # noqa: E731
    return "\n".join([rule, row(cells[0], cells[1]), head, row(cells[2], cells[3]), rule])


@st.composite
def footnotes(draw: st.DrawFn) -> str:
    label = draw(st.sampled_from(LABELS[:3]))
    kind = draw(st.sampled_from(["defined", "defined", "undefined", "unused", "nested", "long"]))
    text = draw(sentence())
    if kind == "defined":
        return f"{text}[^{label}]\n\n[^{label}]: {draw(sentence())}"
    if kind == "undefined":
        return f"{text}[^fehlt{label}]"
    if kind == "unused":
        return f"[^{label}]: Nie verwendet."
    if kind == "nested":
        return f"{text}[^{label}]\n\n[^{label}]: Außen[^innen{label}].\n\n[^innen{label}]: Innen."
    return f"{text}[^{label}]\n\n[^{label}]: Erster Absatz.\n\n    Zweiter Absatz der Fußnote.\n\n    ```\n    code\n    ```"


@st.composite
def references(draw: st.DrawFn) -> str:
    label = draw(st.sampled_from(LABELS))
    target = draw(st.sampled_from(URLS + IMAGE_TARGETS))
    usage = draw(st.sampled_from([f"Siehe [die Quelle][{label}] und [{label}].", f"![Logo][{label}]",
                                  f"![{label}]", ""]))
    definition = f"[{label}]: {target}" + draw(st.sampled_from(["", ' "Titel"']))
    return (usage + "\n\n" + definition).strip()


@st.composite
def block(draw: st.DrawFn, depth: int = 2) -> str:
    """One block; containers (quotes, lists, divs) nest up to ``depth``."""
    kinds = ["paragraph", "paragraph", "paragraph", "heading", "heading", "code", "break", "deflist",
             "lineblock", "table", "html", "date", "tex", "footnote", "reference"]
    if depth > 0:
        kinds += ["quote", "list", "list", "div"]
    kind = draw(st.sampled_from(kinds))
    if kind == "paragraph":
        return draw(paragraph())
    if kind == "heading":
        return draw(heading())
    if kind == "code":
        return draw(fenced_code())
    if kind == "break":
        return draw(st.sampled_from(["---", "***", "___", "- - -", "* * *"]))
    if kind == "deflist":
        return f"Begriff\n:   {draw(paragraph())}" + draw(st.sampled_from(["", "\n\n    ```\n    code\n    ```"]))
    if kind == "lineblock":
        return "| Zeile eins\n| Zeile zwei\n|    eingerückt " + draw(sentence())
    if kind == "table":
        return draw(table())
    if kind == "html":
        return draw(st.sampled_from(HTML_BLOCKS))
    if kind == "date":
        return draw(st.sampled_from(DATE_PARAGRAPHS))
    if kind == "tex":
        return draw(st.sampled_from(TEX_AND_FRIENDS))
    if kind == "footnote":
        return draw(footnotes())
    if kind == "reference":
        return draw(references())
    if kind == "quote":
        return draw(quote(depth))
    if kind == "list":
        return draw(list_block(depth))
    return draw(fenced_div(depth))


@st.composite
def blocks(draw: st.DrawFn, depth: int = 2) -> str:
    """One to three blocks separated by blank lines (the content of a container)."""
    return "\n\n".join(draw(st.lists(block(depth), min_size=1, max_size=3)))


@st.composite
def hostile_bodies(draw: st.DrawFn) -> Hostile:
    """A contribution body: one to six blocks of the grammar, ending with or without a newline."""
    parts = draw(st.lists(block(2), min_size=1, max_size=6))
    return Hostile(tuple(parts), draw(st.sampled_from(["\n", "\n", "", "\n\n\n"])))
