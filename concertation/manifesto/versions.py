"""What changed from one published version of the manifesto to another, and the changelog."""

from dataclasses import dataclass, field

from concertation.manifesto.models import ManifestoPoint, ManifestoVersion
from concertation.manifesto.provenance import AmendmentLink, amendment_links, source_label
from concertation.synthesis.versions import text_diff


@dataclass
class PointChange:
    uid: int
    title: str
    status: str  # "added", "removed" or "changed"
    old_title: str | None = None
    chapter: tuple[str, str] | None = None  # (old, new) when the point moved to another chapter
    lines: list[tuple[str, str]] = field(default_factory=list)
    sources_added: list[str] = field(default_factory=list)
    sources_removed: list[str] = field(default_factory=list)
    # The territories' accepted amendments that made the change.
    amendments: list[AmendmentLink] = field(default_factory=list)


@dataclass
class Difference:
    old: ManifestoVersion
    new: ManifestoVersion
    introduction: list[tuple[str, str]]
    points: list[PointChange]

    def of(self, status: str) -> list[PointChange]:
        return [p for p in self.points if p.status == status]

    @property
    def is_empty(self) -> bool:
        return not (self.introduction or self.points)


def _sources(point: ManifestoPoint) -> dict[tuple, str]:
    return {(s.synthesis_version_id, s.retained_id, s.section): source_label(s) for s in point.sources}


def _changed(old: ManifestoPoint, new: ManifestoPoint) -> PointChange | None:
    old_sources, new_sources = _sources(old), _sources(new)
    change = PointChange(
        uid=new.uid,
        title=new.title,
        status="changed",
        old_title=old.title if old.title != new.title else None,
        chapter=(old.chapter, new.chapter) if old.chapter != new.chapter else None,
        lines=text_diff(old.body, new.body) if old.body != new.body else [],
        sources_added=[label for key, label in new_sources.items() if key not in old_sources],
        sources_removed=[label for key, label in old_sources.items() if key not in new_sources],
    )
    if change.old_title or change.chapter or change.lines or change.sources_added or change.sources_removed:
        return change
    return None


def compare(old: ManifestoVersion, new: ManifestoVersion) -> Difference:
    """Points are matched by their uid: added, changed (title, chapter, text, sources) or removed, each with the
    territories' amendments that made the change."""
    old_points = {p.uid: p for p in old.points}
    new_points = {p.uid: p for p in new.points}
    changes = []
    for uid, point in new_points.items():
        if uid not in old_points:
            changes.append(
                PointChange(
                    uid,
                    point.title,
                    "added",
                    lines=[("+", line) for line in point.body.splitlines()],
                    sources_added=list(_sources(point).values()),
                )
            )
        else:
            change = _changed(old_points[uid], point)
            if change is not None:
                changes.append(change)
    for uid, point in old_points.items():
        if uid not in new_points:
            changes.append(PointChange(uid, point.title, "removed"))
    links = amendment_links(new, after=old.number)
    for change in changes:
        change.amendments = links.get(change.uid, [])
    introduction = text_diff(old.introduction, new.introduction) if old.introduction != new.introduction else []
    return Difference(old, new, introduction, changes)
