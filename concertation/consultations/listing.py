"""The home page's consultations: running, upcoming and finished, searched and filtered in SQL."""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, exists, func, or_, select
from sqlalchemy.orm import aliased

from concertation import phases
from concertation.consultations.models import Consultation, Phase, Theme
from concertation.consultations.services import visible_to
from concertation.extensions import db
from concertation.synthesis.models import SynthesisVersion
from concertation.territories.models import Territory

SECTIONS = ("current", "upcoming", "finished")
# The phases a visitor may filter on: the five phases, and "upcoming" (before the first).
PHASE_FILTERS = (phases.UPCOMING, *phases.PHASE_ORDER)


@dataclass(frozen=True)
class HomeFilters:
    q: str = ""
    territory: str = ""  # a territory's slug
    theme: str = ""  # a theme's name (consultations name their own themes)
    phase: str = ""  # one of PHASE_FILTERS

    @property
    def active(self) -> bool:
        return bool(self.q or self.territory or self.theme or self.phase)


def _phase_open(kind: str, now: datetime):
    """SQL: the consultation's phase `kind` is open at `now` (the same rule as phases.current_phase)."""
    return exists().where(
        Phase.consultation_id == Consultation.id,
        Phase.kind == kind,
        Phase.starts_at <= now,
        or_(Phase.ends_at.is_(None), Phase.ends_at > now),
    )


def _section_query(user, now: datetime, section: str, filters: HomeFilters):
    opening = aliased(Phase)
    closing = aliased(Phase)
    query = (
        select(Consultation)
        .join(opening, and_(opening.consultation_id == Consultation.id, opening.kind == "information"))
        .join(closing, and_(closing.consultation_id == Consultation.id, closing.kind == "closed"))
    )
    if section == "upcoming":
        query = query.where(opening.starts_at > now).order_by(opening.starts_at, Consultation.id)
    elif section == "finished":
        query = query.where(closing.starts_at <= now).order_by(closing.starts_at.desc(), Consultation.id.desc())
    else:
        # Running: soonest-closing first, so that what ends soon is seen.
        query = query.where(opening.starts_at <= now, closing.starts_at > now).order_by(
            closing.starts_at, Consultation.id
        )
    if filters.q:
        pattern = "%" + filters.q.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        query = query.where(
            or_(
                func.lower(Consultation.title).like(pattern, escape="\\"),
                func.lower(Consultation.summary).like(pattern, escape="\\"),
            )
        )
    if filters.territory:
        query = query.where(Consultation.territory.has(Territory.slug == filters.territory))
    if filters.theme:
        query = query.where(
            exists().where(Theme.consultation_id == Consultation.id, func.lower(Theme.name) == filters.theme.lower())
        )
    if filters.phase == phases.UPCOMING:
        query = query.where(opening.starts_at > now)
    elif filters.phase in phases.PHASE_ORDER:
        query = query.where(_phase_open(filters.phase, now))
    return visible_to(user, query)


def browse(user, now: datetime, section: str, filters: HomeFilters, page: int = 1, per_page: int = 6):
    """One page of one section of the home page (a Flask-SQLAlchemy Pagination), counted and cut in SQL."""
    return db.paginate(_section_query(user, now, section, filters), page=page, per_page=per_page, error_out=False)


def latest_syntheses(consultations) -> dict[int, SynthesisVersion]:
    """The latest published synthesis of each of these consultations, in one query."""
    ids = [c.id for c in consultations]
    if not ids:
        return {}
    newest = (
        select(SynthesisVersion.consultation_id, func.max(SynthesisVersion.number).label("number"))
        .where(SynthesisVersion.consultation_id.in_(ids))
        .group_by(SynthesisVersion.consultation_id)
        .subquery()
    )
    versions = db.session.scalars(
        select(SynthesisVersion).join(
            newest,
            and_(
                SynthesisVersion.consultation_id == newest.c.consultation_id, SynthesisVersion.number == newest.c.number
            ),
        )
    )
    return {v.consultation_id: v for v in versions}


def filter_choices(user) -> tuple[list[tuple[str, str]], list[str]]:
    """The territories (slug, name) and theme names of the consultations this person may see."""
    visible = visible_to(user, select(Consultation.id)).subquery()
    territories = db.session.execute(
        select(Territory.slug, Territory.name)
        .join(Consultation, Consultation.territory_id == Territory.id)
        .where(Consultation.id.in_(select(visible.c.id)))
        .distinct()
        .order_by(Territory.name)
    ).all()
    themes = db.session.scalars(
        select(Theme.name)
        .where(Theme.consultation_id.in_(select(visible.c.id)))
        .distinct()
        .order_by(Theme.name)
        .limit(200)
    ).all()
    return [(slug, name) for slug, name in territories], list(dict.fromkeys(themes))
