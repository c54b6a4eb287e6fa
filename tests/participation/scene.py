"""A consultation with supporters whose profiles are known, and its territory's population."""

from concertation.db import utcnow
from concertation.extensions import db
from concertation.participation import services
from concertation.participation.services import AreaFigure
from tests.factories import make_consultation, make_proposal_row, make_support, make_user

AGES = {"15-29": 2000, "30-44": 2500, "45-59": 2600, "60-74": 2200, "75+": 1100}
AREAS = [AreaFigure("Centre", 6000, "99101"), AreaFigure("Les Prés", 4400, None)]


def populated_consultation(phase: str = "vote"):
    consultation = make_consultation(phase)
    services.set_population(consultation.territory, dict(AGES), list(AREAS))
    db.session.commit()
    return consultation


def area_named(territory, name):
    from sqlalchemy import select
    from concertation.participation.models import TerritoryArea

    return db.session.scalar(
        select(TerritoryArea).where(TerritoryArea.territory_id == territory.id, TerritoryArea.name == name)
    )


def supporters(consultation, profiles: list[tuple[str | None, str | None]], proposal=None):
    """One supporter per (age band, area name or "ailleurs" or None) pair; None age and area: no profile."""
    people = [make_user() for _ in profiles]
    # The first supporter wrote the proposal: nobody else takes part.
    proposal = proposal or make_proposal_row(consultation, author=people[0])
    for user, (age, area) in zip(people, profiles):
        make_support(proposal, user)
        if age or area:
            area_value = area
            if area and area != services.ELSEWHERE:
                area_value = str(area_named(consultation.territory, area).id)
            services.save_profile(user, age, area_value, None, None, True, utcnow())
        people.append(user)
    db.session.commit()
    return people
