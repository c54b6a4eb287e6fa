"""Judging entries against the manifesto: its current version's points are the evaluation grid.

The entry's territory says, point by point, whether the tool respects it (respecte, en partie, ne
respecte pas, sans objet) and why. An assessment names the version it was made against: once a
newer version is published, it is shown as made against the older one until it is made again.
"""

from dataclasses import dataclass
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from concertation.errors import ActionRefused
from concertation.extensions import db
from concertation.library.models import VERDICTS, LibraryAssessment, LibraryEntry
from concertation.manifesto.models import Manifesto, ManifestoPoint, ManifestoVersion
from concertation.text import to_html

JUSTIFICATION_MAX = 2000


@dataclass
class Verdict:
    """What the form says of one point: a verdict ("" when not assessed) and its justification."""

    verdict: str = ""
    justification: str = ""


@dataclass
class Line:
    """One point of the grid with the entry's assessment of it, if any."""

    point: ManifestoPoint
    assessment: LibraryAssessment | None

    @property
    def outdated(self) -> bool:
        """Made against an older version of the manifesto than the current one."""
        return self.assessment is not None and self.assessment.version_id != self.point.version_id


def grid_manifestos() -> list[tuple[Manifesto, ManifestoVersion]]:
    """Each manifesto with a published version, and that current version (the grid), oldest manifesto first."""
    latest = (
        select(ManifestoVersion.manifesto_id, db.func.max(ManifestoVersion.number).label("number"))
        .where(ManifestoVersion.published_at.is_not(None))
        .group_by(ManifestoVersion.manifesto_id)
        .subquery()
    )
    rows = db.session.execute(
        select(Manifesto, ManifestoVersion)
        .join(ManifestoVersion, ManifestoVersion.manifesto_id == Manifesto.id)
        .join(latest, (latest.c.manifesto_id == Manifesto.id) & (latest.c.number == ManifestoVersion.number))
        .order_by(Manifesto.created_at, Manifesto.id)
    ).all()
    return [(m, v) for m, v in rows]


def current_grid(slug: str | None = None) -> tuple[Manifesto, ManifestoVersion] | None:
    """The manifesto named by `slug` (the first one by default) and its current version; None if none is published."""
    found = grid_manifestos()
    if slug:
        found = [(m, v) for m, v in found if m.slug == slug]
    return found[0] if found else None


def assessments_of(entry: LibraryEntry, manifesto: Manifesto) -> dict[int, LibraryAssessment]:
    """The entry's assessments against the manifesto, by point uid."""
    rows = db.session.scalars(
        select(LibraryAssessment).where(
            LibraryAssessment.entry_id == entry.id, LibraryAssessment.manifesto_id == manifesto.id
        )
    )
    return {a.point_uid: a for a in rows}


def profile(entry: LibraryEntry, version: ManifestoVersion) -> list[Line]:
    """The grid of the version, point by point, with the entry's assessment of each."""
    found = assessments_of(entry, version.manifesto)
    return [Line(point, found.get(point.uid)) for point in version.points]


def counts(lines: list[Line]) -> dict[str, int]:
    """How many points get each verdict, and how many are not assessed ("none"); outdated ones count."""
    result = {key: 0 for key in VERDICTS} | {"none": 0}
    for line in lines:
        result[line.assessment.verdict if line.assessment else "none"] += 1
    return result


def assess(actor, entry: LibraryEntry, version: ManifestoVersion, verdicts: dict[int, Verdict], now: datetime) -> int:
    """Record the verdicts of the entry's territory against the current version's points (by uid).

    A point left without verdict loses its former assessment. Returns how many points are assessed.
    """
    from concertation.manifesto.services import latest_published

    latest = latest_published(version.manifesto) if version.published_at is not None else None
    if latest is None or latest.id != version.id:
        raise ActionRefused(_l("Une fiche s’évalue sur la version en vigueur du manifeste."), status=409)
    points = {point.uid: point for point in version.points}
    if not set(verdicts) <= set(points):
        raise ActionRefused(_l("Ce point n’est pas dans la version en vigueur du manifeste."))
    cleaned = {}
    for uid, given in verdicts.items():
        verdict, justification = given.verdict or "", (given.justification or "").strip()
        if verdict and verdict not in VERDICTS:
            raise ActionRefused(_l("Choisissez une appréciation dans la liste."), field=f"v{uid}")
        if len(justification) > JUSTIFICATION_MAX:
            raise ActionRefused(_l("La justification doit faire au plus 2 000 caractères."), field=f"j{uid}")
        if verdict in ("respects", "partly", "breaks") and not justification:
            raise ActionRefused(
                _l("Justifiez cette appréciation : c’est elle qui permet aux autres d’en juger."), field=f"j{uid}"
            )
        if not verdict and justification:
            raise ActionRefused(
                _l("Choisissez une appréciation pour ce point, ou effacez la justification."), field=f"v{uid}"
            )
        cleaned[uid] = (verdict, justification)

    existing = assessments_of(entry, version.manifesto)
    for uid, (verdict, justification) in cleaned.items():
        assessment = existing.get(uid)
        if not verdict:
            if assessment is not None:
                db.session.delete(assessment)
            continue
        if assessment is None:
            assessment = LibraryAssessment(entry_id=entry.id, manifesto_id=version.manifesto_id, point_uid=uid)
            db.session.add(assessment)
        assessment.version_id = version.id
        assessment.verdict = verdict
        assessment.justification = justification
        assessment.justification_html = to_html(justification)
        assessment.assessed_by_id = actor.id
        assessment.assessed_at = now
    db.session.flush()
    return sum(1 for verdict, _j in cleaned.values() if verdict)
