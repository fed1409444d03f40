"""Findings on the member's text itself, where the parse no longer shows what was written.

HTML and raw-format markers turn into plain text in the parse, a footnote without its
definition stays literal text and one without a reference disappears, and a paragraph that
opens with a date was escaped before pandoc read it. These rules see the text; they run with
the parse and are cached with it. Messages live in ``check``.
"""

from __future__ import annotations

import re

from .prepare import DATE_PARAGRAPH, iter_text_lines
from .sanitise import Finding

_DANGEROUS_TAG = re.compile(r"<\s*/?\s*(script|iframe|style|object|embed|form|input|link|meta|base|svg|math)\b",
                            re.IGNORECASE)
_EVENT_ATTR = re.compile(r"<[a-zA-Z][^>]*\son[a-z]+\s*=", re.IGNORECASE)
_HTML_TAG = re.compile(r"</?[a-zA-Z][a-zA-Z0-9]*(\s[^<>]*)?/?>")
_RAW_ATTRIBUTE = re.compile(r"\{\s*=\s*[a-zA-Z0-9_+-]+\s*\}")
_FOOTNOTE_REF = re.compile(r"\[\^([^\]\s]+)\](?!:)")
_FOOTNOTE_DEF = re.compile(r"^\s{0,3}\[\^([^\]\s]+)\]:")
_COMMENT_START = "<!--"


def text_findings(body: str) -> list[Finding]:
    """HTML, raw-format markers, dates that look like lists and unmatched footnotes, located."""
    findings: list[Finding] = []
    refs: dict[str, int] = {}
    defs: dict[str, int] = {}
    paragraph_words = 0
    in_comment = False
    for number, line in iter_text_lines(body):
        if _COMMENT_START in line or in_comment:
            in_comment = "-->" not in line.split(_COMMENT_START)[-1]
            continue
        tag = _DANGEROUS_TAG.search(line) or _EVENT_ATTR.search(line)
        if tag:
            findings.append(Finding("html-code", tag.group(0)[:30], number, tag.start() + 1))
        elif (html := _HTML_TAG.search(line)) and not line.lstrip().startswith("<http"):
            findings.append(Finding("html-text", html.group(0)[:30], number, html.start() + 1))
        raw = _RAW_ATTRIBUTE.search(line)
        if raw:
            findings.append(Finding("raw-format", raw.group(0), number, raw.start() + 1))
        date = DATE_PARAGRAPH.match(line)
        if date and paragraph_words == 0:
            findings.append(Finding("date-paragraph", line[:date.end()] + date.group(3), number, 1))
        for match in _FOOTNOTE_DEF.finditer(line):
            defs.setdefault(match.group(1), number)
        for match in _FOOTNOTE_REF.finditer(line):
            if not (match.start() <= 3 and line[match.end():].startswith(":")):
                refs.setdefault(match.group(1), number)
        paragraph_words = paragraph_words + len(line.split()) if line.strip() else 0
    for number, line in enumerate(body.split("\n")):
        if line.lstrip().startswith(("```", "~~~")) and _RAW_ATTRIBUTE.search(line):
            findings.append(Finding("raw-format", line.strip()[:30], number, 1))
    findings += [Finding("footnote-undefined", name, line, 1) for name, line in refs.items() if name not in defs]
    findings += [Finding("footnote-unused", name, line, 1) for name, line in defs.items() if name not in refs]
    return findings
