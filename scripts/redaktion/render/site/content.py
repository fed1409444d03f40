"""What the generated pages show, computed from the corpus and the assembled drafts.

Plain data for the templates: no mkdocs, no pandoc. URLs are site-relative (``papiere/x/``);
the plugin makes them relative to the page that shows them.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass, field
from pathlib import Path

from ...model import (
    CONTRIBUTION_KIND_LABELS,
    LICENSE_LABELS,
    LICENSE_URLS,
    CONTRIBUTION_STATUS_LABELS,
    MEMBER_TYPE_LABELS,
    MEMBER_TYPES,
    PAPER_KIND_LABELS,
    PAPER_STATUS_LABELS,
    Block,
    Corpus,
    Dataset,
    Draft,
    Member,
    Paper,
    Version,
)



def license_link(license_id: str) -> tuple[str, str]:
    """(German name, URL) of a licence; unknown ids are shown as written, without a link."""
    return LICENSE_LABELS.get(license_id, license_id), LICENSE_URLS.get(license_id, "")


_MEDIA = re.compile(r"contributions/([a-z0-9-]+)/media/([^)\s\"'>]+)")


def paper_page_uri(paper_id: str) -> str:
    """Source path (in the docs tree) of a paper's generated page."""
    return f"papiere/{paper_id}.md"


def paper_page_url(paper_id: str) -> str:
    """Address of a paper's page below the site root."""
    return f"papiere/{paper_id}/"


def html_jobs(drafts: list[Draft]) -> list[tuple[Draft, str]]:
    """(draft, relative path from its page to the site root) for converting papers to HTML."""
    return [(draft, "../" * paper_page_url(draft.paper.id).count("/")) for draft in drafts]


@dataclass(frozen=True)
class Download:
    kind: str  # "pdf" or "docx"
    label: str  # "PDF" or "Word (DOCX)"
    uri: str  # site-relative path of the file
    size: str  # "245 KB"


@dataclass(frozen=True)
class PaperView:
    """One paper as the site shows it."""

    draft: Draft
    uri: str  # site-relative URL of its page
    downloads: tuple[Download, ...] = ()
    archive: tuple[tuple[str, tuple[Download, ...]], ...] = ()  # frozen files of earlier versions

    def archived(self, number: str) -> tuple[Download, ...]:
        """The frozen PDF/DOCX of released version ``number`` (empty if none could be built)."""
        return dict(self.archive).get(number, ())

    @property
    def paper(self) -> Paper:
        return self.draft.paper

    @property
    def status_label(self) -> str:
        return PAPER_STATUS_LABELS.get(self.paper.status, self.paper.status)

    @property
    def kind_label(self) -> str:
        return PAPER_KIND_LABELS.get(self.paper.kind, self.paper.kind)

    @property
    def version(self) -> Version | None:
        return self.paper.latest_version

    @property
    def versions(self) -> list[Version]:
        """Released versions, newest first."""
        return list(reversed(self.paper.versions))

    @property
    def date(self) -> str:
        return (self.version.date if self.version else self.paper.date) or ""

    @property
    def license(self) -> tuple[str, str]:
        return license_link(self.paper.license)

    @property
    def contributors(self) -> list[Member]:
        return self.draft.contributors

    @property
    def counts(self) -> list[str]:
        """How many contributions of each kind, e.g. ``["6 Empfehlungen", "1 Stellungnahme"]``."""
        labels = {"praxisbeispiel": ("Praxisbeispiel", "Praxisbeispiele"), "empfehlung": ("Empfehlung", "Empfehlungen"),
                  "stellungnahme": ("Stellungnahme", "Stellungnahmen"), "text": ("Textbeitrag", "Textbeiträge"),
                  "daten": ("Datenbeitrag", "Datenbeiträge")}
        counts: dict[str, int] = {}
        for block in self.draft.blocks:
            counts[block.kind] = counts.get(block.kind, 0) + 1
        return [f"{n} {labels[kind][n != 1]}" for kind, n in sorted(counts.items(), key=lambda item: -item[1])]


@dataclass(frozen=True)
class Entry:
    """One contribution listed outside its paper (Praxisbeispiele index, Mitwirkende)."""

    block: Block
    paper: PaperView

    @property
    def uri(self) -> str:
        return f"{self.paper.uri}#{self.block.anchor}"

    @property
    def kind_label(self) -> str:
        return CONTRIBUTION_KIND_LABELS.get(self.block.kind, self.block.kind)

    @property
    def status_label(self) -> str:
        return CONTRIBUTION_STATUS_LABELS.get(self.block.status, self.block.status)

    @property
    def lands(self) -> list[str]:
        return sorted({m.land for m in self.block.members})

    @property
    def tags(self) -> list[tuple[str, str]]:
        return [(tag, self.paper.draft.publisher.topic_label(tag)) for tag in self.block.tags]


@dataclass(frozen=True)
class Indicator:
    """A data table of a published paper, as the Monitoring page shows it."""

    block: Block
    paper: PaperView

    @property
    def dataset(self) -> Dataset:
        assert self.block.dataset is not None
        return self.block.dataset

    @property
    def uri(self) -> str:
        return f"{self.paper.uri}#{self.block.anchor}"

    @property
    def anchor(self) -> str:
        return f"{self.paper.paper.id}-{self.block.anchor}"

    @property
    def csv_name(self) -> str:
        return Path(self.dataset.csv).name

    @property
    def csv_uri(self) -> str:
        return csv_uri(self.paper.paper.id, self.dataset)

    @property
    def license(self) -> tuple[str, str]:
        return license_link(self.dataset.license)

    @property
    def period(self) -> str:
        years = self.dataset.years
        if not years:
            return ""
        return str(years[0]) if len(years) == 1 else f"{years[0]} bis {years[-1]}"


def chart_uri(paper_id: str, chart_id: str) -> str:
    """Site path of a chart's SVG; the site's Lua filter builds the same path."""
    return f"diagramme/{paper_id}/{chart_id}.svg"


def csv_uri(paper_id: str, dataset: Dataset) -> str:
    """Site path of a data table's CSV download."""
    return f"downloads/daten/{paper_id}/{Path(dataset.csv).name}"


@dataclass(frozen=True)
class MemberView:
    member: Member
    entries: tuple[Entry, ...]

    @property
    def type_label(self) -> str:
        return MEMBER_TYPE_LABELS.get(self.member.type, self.member.type)


@dataclass(frozen=True)
class Change:
    date: str
    text: str
    uri: str


@dataclass
class SiteContent:
    """Everything the generated pages need, computed once per build."""

    corpus: Corpus
    intern: bool
    papers: list[PaperView] = field(default_factory=list)

    @property
    def entries(self) -> list[Entry]:
        return [Entry(block, view) for view in self.papers for block in view.draft.blocks]

    @property
    def indicators(self) -> list[Indicator]:
        """Every data table with a CSV file, in the order of papers and contributions."""
        return [Indicator(block, view) for view in self.papers for block in view.draft.blocks if block.dataset]

    @property
    def praxisbeispiele(self) -> list[Entry]:
        entries = [e for e in self.entries if e.block.kind == "praxisbeispiel"]
        return sorted(entries, key=lambda e: (e.lands[0] if e.lands else "", e.block.member_names, e.block.title))

    def praxisbeispiele_by_land(self) -> list[tuple[str, list[Entry]]]:
        """Praxisbeispiele grouped by the Bundesland of their (first) member, in alphabetical order."""
        groups: dict[str, list[Entry]] = {}
        for entry in self.praxisbeispiele:
            groups.setdefault(entry.lands[0] if entry.lands else "Ohne Angabe", []).append(entry)
        return sorted(groups.items())

    def filter_options(self) -> dict[str, list[tuple[str, str]]]:
        """Values of the filter form on the Praxisbeispiele page: (value, label) pairs."""
        entries = self.praxisbeispiele
        members = {m.id: m.name for e in entries for m in e.block.members}
        lands = {land for e in entries for land in e.lands}
        tags = {tag for e in entries for tag in e.block.tags}
        return {
            "mitglied": sorted(members.items(), key=lambda item: item[1]),
            "land": [(land, land) for land in sorted(lands)],
            "thema": sorted(((t, self.corpus.publisher.topic_label(t)) for t in tags), key=lambda item: item[1]),
        }

    def members_by_type(self) -> list[tuple[str, str, list[tuple[str, list[MemberView]]]]]:
        """(type id, type label, [(Bundesland, members)]) in the registry's type order."""
        views = self.member_views()
        result = []
        for member_type in MEMBER_TYPES:
            of_type = [v for v in views if v.member.type == member_type]
            if not of_type:
                continue
            by_land: dict[str, list[MemberView]] = {}
            for view in of_type:
                by_land.setdefault(view.member.land, []).append(view)
            result.append((member_type, MEMBER_TYPE_LABELS[member_type], sorted(by_land.items())))
        return result

    def member_views(self) -> list[MemberView]:
        """Every member of the registry with the contributions shown on this site."""
        entries = self.entries
        views = []
        for member in sorted(self.corpus.members.values(), key=lambda m: m.name):
            mine = tuple(e for e in entries if any(m.id == member.id for m in e.block.members))
            views.append(MemberView(member, mine))
        return views

    def changes(self, limit: int = 6) -> list[Change]:
        """Latest releases and contributions, newest first."""
        changes = []
        for view in self.papers:
            for version in view.paper.versions:
                text = f"Version {version.number} von „{view.paper.title}“ freigegeben"
                if version.note:
                    text += f": {version.note}"
                changes.append(Change(version.date, text, view.uri))
        for entry in self.entries:
            if entry.block.submitted:
                text = (f"{entry.kind_label} „{entry.block.title}“ ({entry.block.member_names}) "
                        f"in „{entry.paper.paper.short_title or entry.paper.paper.title}“")
                changes.append(Change(entry.block.submitted, text, entry.uri))
        return sorted(changes, key=lambda c: c.date, reverse=True)[:limit]


def media_files(draft: Draft, root: Path) -> dict[str, Path]:
    """Images the draft uses: site path (``medien/PAPER/x.png``) → file in the project.

    Only files inside the paper's own ``media`` folder, after resolving ``..`` and symbolic
    links: this decides which files of the project are copied onto a public site, so it does
    not rely on ``check`` (nor on what mkdocs happens to exclude).
    """
    found = {}
    for paper_id, rest in (m.groups() for m in map(_MEDIA.fullmatch, draft.media) if m):
        media = _media_file(draft, root, paper_id, rest)
        if media is not None:
            found[media[0]] = media[1]
    return found


def refused_media(draft: Draft, root: Path) -> list[str]:
    """Image paths of the draft that lead out of the paper's ``media`` folder (not published)."""
    return sorted({f"contributions/{paper_id}/media/{rest}"
                   for paper_id, rest in (m.groups() for m in map(_MEDIA.fullmatch, draft.media) if m)
                   if _media_file(draft, root, paper_id, rest) is None and _exists(root, paper_id, rest)})


def _media_file(draft: Draft, root: Path, paper_id: str, rest: str) -> tuple[str, Path] | None:
    """(site path, file) of ``contributions/PAPER/media/REST``, or None if it leaves the media folder."""
    name = posixpath.normpath(rest)
    if paper_id != draft.paper.id or name in (".", "..") or name.startswith(("../", "/")):
        return None
    folder = (Path(root) / "contributions" / paper_id / "media").resolve()
    source = (folder / name).resolve()
    if not source.is_relative_to(folder) or not source.is_file():
        return None
    return f"medien/{paper_id}/{name}", source


def _exists(root: Path, paper_id: str, rest: str) -> bool:
    try:
        return (Path(root) / "contributions" / paper_id / "media" / rest).is_file()
    except (OSError, ValueError):
        return False


def human_size(size: int) -> str:
    """File size in German notation: ``245 KB``, ``1,2 MB``."""
    if size < 1024 * 1024:
        return f"{max(1, round(size / 1024))} KB"
    return f"{size / 1024 / 1024:.1f} MB".replace(".", ",")
