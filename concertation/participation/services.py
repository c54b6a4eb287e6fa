"""Participants' profiles and territories' population: plain values in, ``ActionRefused`` when a rule says no.

A profile is optional and every answer in it too; the person agrees to a consent text, kept with the
date, and may change or delete the profile at any time. A territory's population is entered by its
organisers (or imported, see ``insee_csv``): people aged 15 or more by age band and by commune or
quartier. Saving a new list of areas keeps the areas whose name stays (profiles keep pointing at them)
and drops the others (the profiles that named them lose that answer).
"""

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import cast

from flask_babel import lazy_gettext as _l
from sqlalchemy import CursorResult, delete, select

from concertation.errors import ActionRefused
from concertation.extensions import db
from concertation.participation.models import (
    AGE_BANDS,
    CONSENT_TEXT,
    PCS_GROUPS,
    RELATIONS,
    AgePopulation,
    ParticipationProfile,
    TerritoryArea,
)
from concertation.territories.models import Territory

ELSEWHERE = "ailleurs"
MAX_AREAS = 2000
MAX_POPULATION = 100_000_000
AREA_CODE = re.compile(r"^[0-9][0-9AB][0-9]{3}(?:[0-9]{4})?$")  # a commune (5) or an IRIS (9)


def profile_of(user) -> ParticipationProfile | None:
    return db.session.scalar(select(ParticipationProfile).where(ParticipationProfile.user_id == user.id))


def save_profile(
    user,
    age_band: str | None,
    area: str | None,
    relation: str | None,
    pcs: str | None,
    consent: bool,
    now: datetime,
) -> ParticipationProfile:
    """Create or change the person's profile; `area` is an area id, ``ELSEWHERE`` or empty."""
    if not consent:
        raise ActionRefused(_l("Cochez l’accord pour enregistrer ces réponses, ou laissez-les vides."), field="consent")
    if age_band and age_band not in AGE_BANDS:
        raise ActionRefused(_l("Choisissez une tranche d’âge de la liste."), field="age_band")
    if relation and relation not in RELATIONS:
        raise ActionRefused(_l("Choisissez une réponse de la liste."), field="relation")
    if pcs and pcs not in PCS_GROUPS:
        raise ActionRefused(_l("Choisissez une catégorie de la liste."), field="pcs")
    area_id, elsewhere = None, False
    if area == ELSEWHERE:
        elsewhere = True
    elif area:
        found = db.session.get(TerritoryArea, int(area)) if area.isdigit() and len(area) < 10 else None
        if found is None:
            raise ActionRefused(_l("Choisissez une commune ou un quartier de la liste."), field="area")
        area_id = found.id
    profile = profile_of(user)
    if profile is None:
        profile = ParticipationProfile(user_id=user.id)
        db.session.add(profile)
    profile.age_band = age_band or None
    profile.area_id = area_id
    profile.lives_elsewhere = elsewhere
    profile.relation = relation or None
    profile.pcs = pcs or None
    profile.consent_text = str(CONSENT_TEXT)
    profile.consented_at = now
    profile.updated_at = now
    db.session.flush()
    return profile


def delete_profile(user) -> bool:
    """Delete every answer of the person's profile; whether there was one."""
    return bool(
        cast(
            CursorResult,
            db.session.execute(delete(ParticipationProfile).where(ParticipationProfile.user_id == user.id)),
        ).rowcount
    )


def area_choices() -> list[tuple[Territory, list[TerritoryArea]]]:
    """Every territory that lists communes or quartiers, with them, by name."""
    rows = db.session.execute(
        select(Territory, TerritoryArea)
        .join(TerritoryArea, TerritoryArea.territory_id == Territory.id)
        .order_by(Territory.name, Territory.id, TerritoryArea.name)
    ).all()
    grouped: dict[int, tuple[Territory, list[TerritoryArea]]] = {}
    for territory, area in rows:
        grouped.setdefault(territory.id, (territory, []))[1].append(area)
    return list(grouped.values())


# Population -----------------------------------------------------------------------------------


@dataclass
class AreaFigure:
    name: str
    population: int | None
    code: str | None = None


@dataclass
class Population:
    ages: dict[str, int]  # band → people (the bands the territory knows)
    areas: list[AreaFigure]

    @property
    def is_empty(self) -> bool:
        return not self.ages and not self.areas


def population_of(territory: Territory) -> Population:
    ages: dict[str, int] = {
        band: population
        for band, population in db.session.execute(
            select(AgePopulation.band, AgePopulation.population).where(AgePopulation.territory_id == territory.id)
        ).all()
    }
    areas = db.session.scalars(
        select(TerritoryArea).where(TerritoryArea.territory_id == territory.id).order_by(TerritoryArea.name)
    )
    return Population(
        {band: ages[band] for band in AGE_BANDS if band in ages},
        [AreaFigure(a.name, a.population, a.code) for a in areas],
    )


def _check_count(value: int | None, field: str) -> None:
    if value is not None and not 0 <= value <= MAX_POPULATION:
        raise ActionRefused(_l("Un effectif est un nombre entier entre 0 et 100 millions."), field=field)


def parse_areas(raw: str) -> list[AreaFigure]:
    """Areas typed one per line: « nom ; population » or « nom ; population ; code INSEE » (population may be empty)."""
    areas: list[AreaFigure] = []
    for number, line in enumerate((raw or "").splitlines(), start=1):
        if not line.strip():
            continue
        parts = [p.strip() for p in line.split(";")]
        name = parts[0]
        population = parts[1].replace("\u00a0", "").replace(" ", "") if len(parts) > 1 else ""
        code = parts[2].upper() if len(parts) > 2 and parts[2] else None
        if not name or len(parts) > 3 or (population and not population.isdigit()) or len(population) > 9:
            raise ActionRefused(
                _l(
                    "Ligne %(n)d : écrivez « nom ; population », avec un nombre entier "
                    "(et, si vous le connaissez, « ; code INSEE »).",
                    n=number,
                ),
                field="areas",
            )
        if len(name) > 120:
            raise ActionRefused(_l("Ligne %(n)d : 120 caractères au plus pour le nom.", n=number), field="areas")
        if code and not AREA_CODE.match(code):
            raise ActionRefused(
                _l("Ligne %(n)d : un code INSEE de commune a 5 caractères, celui d’un IRIS 9.", n=number),
                field="areas",
            )
        areas.append(AreaFigure(name, int(population) if population else None, code))
    return areas


def set_population(territory: Territory, ages: Mapping[str, int | None], areas: list[AreaFigure]) -> Population:
    """Replace the territory's population by age band (empty bands dropped) and its list of areas."""
    for band, value in ages.items():
        if band not in AGE_BANDS:
            raise ActionRefused(_l("Tranche d’âge inconnue."))
        _check_count(value, f"age_{band}")
    if len(areas) > MAX_AREAS:
        raise ActionRefused(_l("2 000 communes ou quartiers au plus."), field="areas")
    seen: set[str] = set()
    for figure in areas:
        _check_count(figure.population, "areas")
        key = figure.name.casefold()
        if key in seen:
            raise ActionRefused(_l("« %(name)s » figure deux fois dans la liste.", name=figure.name), field="areas")
        seen.add(key)
    # Each band's row is updated in place, added or removed: nothing is deleted when nothing was there
    # (the demo's reset runs no DELETE at all, see tests/moderation/test_log_integrity.py).
    bands = {
        row.band: row
        for row in db.session.scalars(select(AgePopulation).where(AgePopulation.territory_id == territory.id))
    }
    for band in AGE_BANDS:
        value, row = ages.get(band), bands.get(band)
        if value is None:
            if row is not None:
                db.session.delete(row)
        elif row is None:
            db.session.add(AgePopulation(territory_id=territory.id, band=band, population=value))
        else:
            row.population = value
    # Areas are kept by name, so that the profiles naming them keep their answer.
    existing = {
        a.name.casefold(): a
        for a in db.session.scalars(select(TerritoryArea).where(TerritoryArea.territory_id == territory.id))
    }
    for key, stale in existing.items():
        if key not in seen:
            db.session.delete(stale)
    db.session.flush()
    for figure in areas:
        area = existing.get(figure.name.casefold())
        if area is None:
            area = TerritoryArea(territory_id=territory.id, name=figure.name)
            db.session.add(area)
        area.name, area.population, area.code = figure.name, figure.population, figure.code
    db.session.flush()
    return population_of(territory)
