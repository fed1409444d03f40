"""JSON manifest of an assembled draft: which member wrote which block, for other tools.

A city's CMS, a search portal or a statistics script can read who contributed what without
parsing Markdown. It carries only what the draft publishes: no e-mail addresses, no notes.
Each section and contribution lists its numbered paragraphs: the stable id (the anchor of the
paragraph on internal pages, what comments refer to) and the number drafts print (``B3.2``).
"""

from __future__ import annotations

import json

from ..model import Draft, Paragraph

FORMAT_VERSION = 1


def render_manifest(draft: Draft) -> bytes:
    """The draft's structure and provenance as UTF-8 JSON (stable key order, final newline)."""
    paper = draft.paper
    version = paper.latest_version
    data = {
        "format": FORMAT_VERSION,
        "paper": {
            "id": paper.id, "title": paper.title, "subtitle": paper.subtitle, "kind": paper.kind,
            "status": paper.status, "license": paper.license,
            "version": version.number if version else None, "date": (version.date if version else paper.date) or None,
        },
        "publisher": {"name": draft.publisher.name, "office": draft.publisher.office},
        "intern": draft.intern,
        "content_hash": draft.content_hash,
        "adoption": draft.adoption or None,
        "sections": [{
            "id": section.id,
            "number": section.number,
            "title": section.title,
            "anchor": f"abschnitt-{section.id}",
            "paragraphs": _paragraphs(section.paragraphs),
            "contributions": [{
                "id": block.contribution_id,
                "kind": block.kind,
                "title": block.title,
                "number": block.number,
                "anchor": block.anchor,
                "members": [{"id": m.id, "name": m.name, "land": m.land} for m in block.members],
                "authors": list(block.authors),
                "tags": list(block.tags),
                "summary": block.summary or None,
                "submitted": block.submitted,
                "source": block.source,
                "paragraphs": _paragraphs(block.paragraphs),
                **({"status": block.status} if draft.intern else {}),
            } for block in section.blocks],
        } for section in draft.sections],
    }
    return (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def _paragraphs(paragraphs: tuple[Paragraph, ...]) -> list[dict[str, str]]:
    return [{"id": p.id, "label": p.label} for p in paragraphs]
