"""What readers find: the reading room's published syntheses (filtered) and the élus' dashboard rows."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import func, select

from concertation import query_args
from concertation import phases
from concertation.consultations.models import Consultation, Theme
from concertation.consultations.services import visible_to
from concertation.dates import paris_to_utc
from concertation.extensions import db
from concertation.proposals.models import Proposal
from concertation.synthesis import figures
from concertation.synthesis.models import SynthesisVersion
from concertation.synthesis.services import latest_version
from concertation.territories.models import Territory


@dataclass
class ReadingFilters:
    """The reading room's filters, each optional: a territory's slug, a word of a theme, Paris dates."""

    territory: str | None = None
    theme: str | None = None
    since: date | None = None
    until: date | None = None


def territory_choices() -> list[tuple[str, str]]:
    return [
        (slug, name)
        for slug, name in db.session.execute(select(Territory.slug, Territory.name).order_by(Territory.name))
    ]


def _midnight(day: date, plus_days: int = 0) -> datetime:
    """Midnight of a day in Paris, in UTC."""
    midnight = paris_to_utc(datetime.combine(day, datetime.min.time()) + timedelta(days=plus_days))
    assert midnight is not None
    return midnight


def latest_versions(viewer, filters: ReadingFilters, page: int, per_page: int):
    """The latest published version of each synthesis the viewer may read, newest first: one page (a Pagination)."""
    latest = (
        select(SynthesisVersion.synthesis_id, func.max(SynthesisVersion.number).label("number"))
        .group_by(SynthesisVersion.synthesis_id)
        .subquery()
    )
    query = (
        select(SynthesisVersion)
        .join(
            latest,
            (latest.c.synthesis_id == SynthesisVersion.synthesis_id) & (latest.c.number == SynthesisVersion.number),
        )
        .join(Consultation, Consultation.id == SynthesisVersion.consultation_id)
        .join(Territory, Territory.id == Consultation.territory_id)
    )
    query = visible_to(viewer, query)
    if filters.territory:
        query = query.where(Territory.slug == filters.territory)
    if filters.theme:
        query = query.where(
            select(Theme.id)
            .where(Theme.consultation_id == Consultation.id, Theme.name.ilike(f"%{filters.theme}%"))
            .exists()
        )
    # Days typed far out of the calendar ("since 0001-01-01") are brought within it, not overflowed.
    since, until = query_args.bounded_day(filters.since), query_args.bounded_day(filters.until)
    if since:
        query = query.where(SynthesisVersion.published_at >= _midnight(since))
    if until:
        query = query.where(SynthesisVersion.published_at < _midnight(until, 1))
    return query_args.paginate(
        query.order_by(SynthesisVersion.published_at.desc(), SynthesisVersion.id.desc()), per_page, page=page
    )


def dashboard_rows(territory: Territory, now: datetime) -> list[dict]:
    """For the élus' dashboard: each consultation of the territory with its phase, figures and what awaits."""
    consultations = (
        db.session.scalars(
            select(Consultation)
            .where(Consultation.territory_id == territory.id)
            .order_by(Consultation.created_at.desc())
        )
        .unique()
        .all()
    )
    ids = [c.id for c in consultations]
    pending = (
        {
            consultation_id: count
            for consultation_id, count in db.session.execute(
                select(Proposal.consultation_id, func.count())
                .where(Proposal.consultation_id.in_(ids), figures.proposal_is_visible(), Proposal.answer.is_(None))
                .group_by(Proposal.consultation_id)
            )
        }
        if ids
        else {}
    )
    return [
        {
            "consultation": c,
            "phase": phases.current_phase(c.phases, now),
            "figures": figures.consultation_figures(c),
            "pending": pending.get(c.id, 0),
            "awaiting": figures.awaiting_answer(c, now),
            "synthesis": latest_version(c),
        }
        for c in consultations
    ]
