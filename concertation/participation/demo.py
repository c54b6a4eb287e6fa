"""The demonstration's population figures and participants' profiles, so that « Qui a participé ? » shows figures.

Each demo territory gets its population aged 15 or more by age band (and its quartiers or communes);
150 residents of Saint-Aubin-des-Prés judge the proposals of its consultation in vote, and they, the
agents who answered the questionnaire and some of the named participants fill in a profile, drawn
from a fixed seed (some leave it empty, as in life).
"""

import random
from datetime import datetime, timedelta

from sqlalchemy import select

from concertation.accounts.models import User
from concertation.extensions import db
from concertation.participation import services
from concertation.participation.models import TerritoryArea
from concertation.participation.services import AreaFigure
from concertation.proposals.models import Proposal
from concertation.questionnaires.models import Questionnaire, Respondent
from concertation.synthesis.figures import visible_proposal
from concertation.voting.services import grade_many

POPULATION = {
    "saint-aubin-des-pres": (
        {"15-29": 1650, "30-44": 1980, "45-59": 2310, "60-74": 2540, "75+": 1120},
        [
            AreaFigure("Centre-bourg", 3400),
            AreaFigure("Les Prés", 2600),
            AreaFigure("La Gare", 2100),
            AreaFigure("Le Moulin", 1500),
        ],
    ),
    "trois-rivieres": (
        {"15-29": 13200, "30-44": 14100, "45-59": 15300, "60-74": 14600, "75+": 7400},
        [
            AreaFigure("Rivière-Haute", 28400, "99201"),
            AreaFigure("Saint-Aubin-des-Prés", 9600, "99101"),
            AreaFigure("Pont-sur-Lys", 17900, "99202"),
            AreaFigure("Les Trois-Moulins", 8600, "99203"),
            AreaFigure("Valbonne-le-Bas", 100, "99204"),
        ],
    ),
    "haute-vallee": ({"15-29": 62000, "30-44": 66000, "45-59": 72000, "60-74": 69000, "75+": 37000}, []),
}

RESIDENTS = 150
# Who answers, weighted as online consultations often are: fewer of the youngest and the oldest.
AGE_WEIGHTS = {"15-29": 3, "30-44": 5, "45-59": 5, "60-74": 4, "75+": 2}
QUARTER_WEIGHTS = {"Centre-bourg": 5, "Les Prés": 4, "La Gare": 3, "Le Moulin": 2}
NAMED = {
    "camille@habitants.example": ("30-44", "Les Prés", "habitant", "3"),
    "karim@habitants.example": ("15-29", "La Gare", "habitant", "8"),
    "jeanne@habitants.example": ("60-74", "Centre-bourg", "habitant", "7"),
}


def _draw(draw: random.Random, weights: dict[str, int]) -> str:
    return draw.choices(list(weights), weights=list(weights.values()))[0]


def load(territories: dict, consultations: list, password_hash: str, now: datetime) -> None:
    """Population figures for the demo territories, residents who judge, profiles for most participants."""
    for slug, (ages, areas) in POPULATION.items():
        services.set_population(territories[slug], dict(ages), list(areas))
    saint_aubin = territories["saint-aubin-des-pres"]
    quarters = {
        a.name: str(a.id)
        for a in db.session.scalars(select(TerritoryArea).where(TerritoryArea.territory_id == saint_aubin.id))
    }
    draw = random.Random(20)
    consented = now - timedelta(days=6)

    def profile(user, age, area, relation, pcs=None):
        services.save_profile(user, age, area, relation, pcs, True, consented)

    for email, (age, quarter, relation, pcs) in NAMED.items():
        user = db.session.scalar(select(User).where(User.email == email))
        if user is not None:
            profile(user, age, quarters[quarter], relation, pcs)
    # The agents who sent the questionnaire of the first consultation: most say who they are.
    agents = db.session.scalars(
        select(User)
        .join(Respondent, Respondent.user_id == User.id)
        .join(Questionnaire, Questionnaire.id == Respondent.questionnaire_id)
        .where(Questionnaire.consultation_id == consultations[0].id, Respondent.submitted.is_(True))
        .order_by(User.id)
    ).all()
    for agent in agents:
        if draw.random() < 0.8:
            lives_here = draw.random() < 0.5
            area = quarters[_draw(draw, QUARTER_WEIGHTS)] if lives_here else services.ELSEWHERE
            profile(
                agent,
                _draw(draw, {"15-29": 1, "30-44": 4, "45-59": 4, "60-74": 1}),
                area,
                "both" if lives_here else "agent",
            )
    # Residents of Saint-Aubin who judge the proposals of its consultation in vote.
    vote = consultations[1]
    proposals = db.session.scalars(select(Proposal).where(visible_proposal(vote.id)).order_by(Proposal.id)).all()
    start = vote.phase("vote").starts_at
    for n in range(1, RESIDENTS + 1):
        resident = User(
            email=f"habitant{n:02d}@habitants.example",
            pseudonym=f"Habitant·e {n:02d}",
            password_hash=password_hash,
            confirmed_at=now,
            terms_accepted_at=now,
        )
        db.session.add(resident)
        db.session.flush()
        if proposals:
            mentions = {p.id: draw.choices(range(6), weights=(1, 1, 2, 3, 3, 2))[0] for p in proposals}
            grade_many(resident, vote, mentions, min(now, start + timedelta(hours=n)))
        if draw.random() < 0.85:
            band = _draw(draw, AGE_WEIGHTS) if draw.random() < 0.95 else None
            profile(
                resident,
                band,
                quarters[_draw(draw, QUARTER_WEIGHTS)],
                "habitant",
                draw.choice([None, "3", "4", "5", "7"]),
            )
    db.session.flush()
