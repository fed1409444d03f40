"""Facts every output states the same way: dates, version line, citation, licence text.

Shared by the PDF, DOCX and site renderers (which must not import each other), so a paper
is dated, cited and licensed identically in all of them.
"""

from __future__ import annotations

from ..model import LICENSE_LABELS, LICENSE_URLS, Draft, SessionRef, Version, german_date

PUBLIC_SESSIONS_PATH = "aus-den-sitzungen/"  # the public page listing sessions, below the site root


def paper_date(draft: Draft) -> str:
    """The ISO date a build of this draft is dated by: release, paper, or latest submission."""
    version = draft.paper.latest_version
    if version and version.date:
        return version.date
    if draft.paper.date:
        return draft.paper.date
    submitted = [b.submitted for b in draft.blocks if b.submitted]
    return max(submitted) if submitted else "2000-01-01"


def version_line(draft: Draft) -> str:
    """„Version 1.0 vom 10. Dezember 2009“ or „Stand: 25. November 2010 (nach Version 1.0)“.

    The draft of a consultation round is its version: „Version 0.9 vom 1. Februar 2010 zur Kommentierung“.
    """
    version = draft.paper.latest_version
    if version and draft.review:
        return f"Version {version.number} vom {german_date(version.date)} zur Kommentierung"
    if version and not draft.is_draft:
        return f"Version {version.number} vom {german_date(version.date)}"
    if version:
        return f"Stand: {german_date(paper_date(draft))} (nach Version {version.number})"
    return f"Stand: {german_date(paper_date(draft))}"


def citation(draft: Draft) -> str:
    """The suggested citation (Zitiervorschlag)."""
    paper = draft.paper
    year = paper_date(draft)[:4]
    title = paper.title + (f". {paper.subtitle}" if paper.subtitle else "")
    state = "Entwurf, " + version_line(draft) if draft.is_draft else version_line(draft)
    place = f" {draft.publisher.place}." if draft.publisher.place else ""
    return f"{draft.publisher.name} (Hrsg.) ({year}): {title}. {state}.{place}"


def license_text(license_id: str) -> str:
    """„Creative Commons Namensnennung 4.0 International (CC BY 4.0), https://…“."""
    name = LICENSE_LABELS.get(license_id, license_id)
    url = LICENSE_URLS.get(license_id)
    return f"{name}, {url}" if url else name


def history_note(version: Version) -> str:
    """The version's note as the version history shows it: before „– verabschiedet in …“ without its full stop."""
    return version.note.rstrip(".") if version.adopted_in else version.note


def version_entry(version: Version) -> str:
    """„10. Dezember 2009 – Erste veröffentlichte Fassung“: a version in the version history."""
    note = history_note(version)
    return german_date(version.date) + (f" – {note}" if note else "")


def adopted_phrase(ref: SessionRef) -> str:
    """„verabschiedet in der Sitzung am 10. Dezember 2009 in Stuttgart“."""
    return f"verabschiedet in der {ref.phrase}"


def session_url(draft: Draft, ref: SessionRef) -> str:
    """The public address of the session that adopted a version, or "" when there is none.

    PDF and DOCX link to the page „Aus den Sitzungen“ of the public site (``website`` in
    zirkel.yml); it lists the session only when the paper is published.
    """
    website = draft.publisher.website
    if not website or not ref.public:
        return ""
    return f"{website.rstrip('/')}/{PUBLIC_SESSIONS_PATH}#{ref.anchor}"
