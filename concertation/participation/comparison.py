"""Who took part in a consultation, compared with the territory's population.

Definitions, as the page says them:

- **Participant**: a distinct person who made a visible proposal or comment in the consultation,
  voted on a visible proposal (a support or a grade), or sent one of its questionnaires. Deleted
  accounts, and contributions collected offline without an account, name nobody: they are not counted.
- Each participant is counted in the age band and the commune or quartier of their profile, in
  « non renseigné » without a profile or without that answer, and in « hors du territoire » when their
  commune or quartier is not one of the territory's (the same INSEE code in two territories counts in both).
- **Share among participants**: among those who answered (and live in the territory, for places),
  when every « non renseigné » and « hors du territoire » figure can be shown; otherwise among all
  participants (the page says which), since the gap between the two would tell a hidden figure.
- **Share of the population**: among the people aged 15 or more the territory entered.
- **Gap**: share among participants minus share of the population, in points.

Counted in SQL (one aggregate per breakdown). Every breakdown passes through the platform's one
small-group rule (``small_groups.suppress_line``): no figure under 10, and no hidden figure found
again by subtraction. The result is a JSON-ready dict: the page shows it, the synthesis freezes it.
"""

from collections.abc import Sequence

from sqlalchemy import Row, func, select, union

from concertation.comments.models import Comment
from concertation.db import utcnow
from concertation.extensions import db
from concertation.i18n import N_
from concertation.participation.models import AGE_BANDS, RELATIONS, AgePopulation, ParticipationProfile, TerritoryArea
from concertation.proposals.models import Proposal
from concertation.questionnaires.models import Questionnaire, Respondent
from concertation.small_groups import FLOOR, suppress_line
from concertation.synthesis.figures import visible_comment, visible_proposal, vote_table

# The limits of these figures, said wherever they are shown: the pages, the synthesis, its PDF and ODT, the API.
CAUTION_TITLE = N_("Les limites de ces chiffres")
CAUTIONS = (
    N_(
        "Les personnes qui participent ne sont pas tirées au sort : un écart dit qui s’est exprimé, "
        "pas ce que pense la population."
    ),
    N_(
        "Les réponses au profil sont facultatives et déclarées, sans vérification ; les personnes qui "
        "n’ont pas répondu sont comptées à part (« non renseigné »)."
    ),
    N_(
        "La population compte les habitant·es de 15 ans ou plus, telle que le territoire l’a saisie ; "
        "les agent·es de la collectivité peuvent habiter ailleurs."
    ),
    N_(
        "Aucun chiffre ne porte sur moins de 10 personnes : un groupe plus petit est masqué, et un autre "
        "chiffre peut l’être avec lui pour qu’on ne puisse pas le retrouver par soustraction."
    ),
    N_("Les contributions recueillies hors ligne, sans compte, ne sont pas comptées ici."),
)
# What the participants' shares are taken among (a dimension's "shares_among").
SHARES_AMONG = {
    "answered": N_(
        "Les parts des participant·es sont calculées parmi celles et ceux qui ont répondu (et qui habitent "
        "le territoire, pour les lieux)."
    ),
    "all": N_(
        "Un chiffre « non renseigné » ou « hors du territoire » est masqué : les parts sont donc calculées "
        "parmi l’ensemble des participant·es, ce qui sous-estime chaque groupe."
    ),
}

DIMENSION_TITLES = {
    "age": N_("Tranche d’âge"),
    "area": N_("Commune ou quartier de résidence"),
    "relation": N_("Habitant·e ou agent·e"),
}


def participants(consultation):
    """The distinct user ids of the consultation's participants (see the module's definition), as a subquery."""
    vote = vote_table(consultation)
    # A contribution collected at a workshop names nobody (its author is the platform's account).
    return union(
        select(Proposal.author_id.label("user_id")).where(
            visible_proposal(consultation.id), Proposal.workshop_id.is_(None)
        ),
        select(Comment.author_id).where(visible_comment(consultation.id), Comment.workshop_id.is_(None)),
        select(vote.user_id)
        .join(Proposal, Proposal.id == vote.proposal_id)
        .where(visible_proposal(consultation.id), vote.user_id.is_not(None)),
        select(Respondent.user_id)
        .join(Questionnaire, Questionnaire.id == Respondent.questionnaire_id)
        .where(Questionnaire.consultation_id == consultation.id, Respondent.submitted.is_(True)),
    ).subquery("participants")


def _counts(people, *columns) -> Sequence[Row]:
    """Participants grouped by profile columns (None where there is no profile)."""
    return db.session.execute(
        select(*columns, func.count())
        .select_from(people)
        .outerjoin(ParticipationProfile, ParticipationProfile.user_id == people.c.user_id)
        .where(people.c.user_id.is_not(None))
        .group_by(*columns)
    ).all()


def _percent(part: int | None, whole: int | None) -> float | None:
    if part is None or not whole:
        return None
    return round(100 * part / whole, 1)


def _dimension(
    key: str, rows: Sequence[tuple[str, str, int, int | None]], unanswered: int, outside: int | None
) -> dict:
    """One breakdown: rows of (key, label, participants, population), then « non renseigné » (and « hors »)."""
    cells = [n for _k, _l, n, _p in rows] + [unanswered] + ([outside] if outside is not None else [])
    shown = suppress_line(cells)
    excluded_shown = all(v is not None for v in shown[len(rows) :])
    answered = sum(n for _k, _l, n, _p in rows)
    total = sum(cells)
    base = answered if excluded_shown else total
    known = [p for _k, _l, _n, p in rows if p is not None]
    population_total = sum(known) if known and len(known) == len(rows) else None
    lines = []
    for (row_key, label, _n, population), count in zip(rows, shown):
        share = _percent(count, base)
        population_share = _percent(population, population_total)
        gap = round(share - population_share, 1) if share is not None and population_share is not None else None
        lines.append(
            {
                "key": row_key,
                "label": label,
                "count": count,
                "share": share,
                "population": population,
                "population_share": population_share,
                "gap": gap,
            }
        )
    return {
        "key": key,
        "title": DIMENSION_TITLES[key],
        "rows": lines,
        "unanswered": shown[len(rows)],
        "unanswered_share": _percent(shown[len(rows)], total),
        "outside": shown[len(rows) + 1] if outside is not None else None,
        "outside_share": _percent(shown[len(rows) + 1], total) if outside is not None else None,
        "with_outside": outside is not None,
        "shares_among": "answered" if excluded_shown else "all",
        "population_known": population_total is not None,
    }


def _area_rows(consultation, people) -> tuple[list[tuple[str, str, int, int | None]], int, int]:
    areas = list(
        db.session.scalars(
            select(TerritoryArea)
            .where(TerritoryArea.territory_id == consultation.territory_id)
            .order_by(TerritoryArea.name)
        )
    )
    by_code = {a.code: a.id for a in areas if a.code}
    found = _counts(people, ParticipationProfile.area_id, ParticipationProfile.lives_elsewhere)
    others = {area_id for area_id, _e, _n in found if area_id is not None} - {a.id for a in areas}
    # A place of another territory with the same INSEE code is the same place.
    same_place = {
        area_id: by_code[code]
        for area_id, code in db.session.execute(
            select(TerritoryArea.id, TerritoryArea.code).where(TerritoryArea.id.in_(others))
        ).all()
        if code in by_code
    }
    counts = dict.fromkeys((a.id for a in areas), 0)
    unanswered = outside = 0
    for area_id, elsewhere, n in found:
        area_id = same_place.get(area_id, area_id)
        if area_id in counts:
            counts[area_id] += n
        elif area_id is not None or elsewhere:
            outside += n
        else:
            unanswered += n
    return [(str(a.id), a.name, counts[a.id], a.population) for a in areas], unanswered, outside


def compare(consultation) -> dict:
    """The consultation's participants against its territory's population, thresholded (JSON-ready)."""
    people = participants(consultation)
    total = db.session.scalar(select(func.count()).select_from(people).where(people.c.user_id.is_not(None))) or 0
    result: dict = {"computed_at": utcnow().isoformat(), "floor": FLOOR, "participants": None, "dimensions": []}
    if total < FLOOR:
        return result
    result["participants"] = total
    population: dict[str, int] = {
        band: people_count
        for band, people_count in db.session.execute(
            select(AgePopulation.band, AgePopulation.population).where(
                AgePopulation.territory_id == consultation.territory_id
            )
        ).all()
    }
    ages: dict[str | None, int] = {band: n for band, n in _counts(people, ParticipationProfile.age_band)}
    age_rows = [(band, label, int(ages.get(band, 0)), population.get(band)) for band, label in AGE_BANDS.items()]
    result["dimensions"].append(_dimension("age", age_rows, int(ages.get(None, 0)), None))
    area_rows, unanswered, outside = _area_rows(consultation, people)
    if area_rows:
        result["dimensions"].append(_dimension("area", area_rows, unanswered, outside))
    relations: dict[str | None, int] = {key: n for key, n in _counts(people, ParticipationProfile.relation)}
    relation_rows = [(key, label, int(relations.get(key, 0)), None) for key, label in RELATIONS.items()]
    result["dimensions"].append(_dimension("relation", relation_rows, int(relations.get(None, 0)), None))
    return result


def chart(dimension: dict, width: int = 640, row_height: int = 44, label_width: int = 200) -> dict:
    """Paired horizontal bars per row (participants filled, population outlined), as plain geometry."""
    values = [v for row in dimension["rows"] for v in (row["share"], row["population_share"]) if v is not None]
    maximum = max(values, default=0) or 1
    plot = width - label_width - 70
    bars = []
    for i, row in enumerate(dimension["rows"]):
        top = i * row_height + 4
        half = (row_height - 12) / 2
        bars.append(
            {
                "label": row["label"],
                "y": top,
                "participants": round(plot * row["share"] / maximum, 1) if row["share"] is not None else None,
                "participants_value": row["share"],
                "population": round(plot * row["population_share"] / maximum, 1)
                if row["population_share"] is not None
                else None,
                "population_value": row["population_share"],
                "height": half,
            }
        )
    return {"width": width, "height": max(len(bars), 1) * row_height, "label_width": label_width, "bars": bars}
