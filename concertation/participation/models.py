"""Participants' optional profiles and the population of territories they are compared with."""

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from concertation.db import utcnow
from concertation.extensions import db
from concertation.i18n import N_

# The age bands of INSEE's population tables (people aged 15 or more): the same bands on both sides.
AGE_BANDS = {
    "15-29": N_("15 à 29 ans"),
    "30-44": N_("30 à 44 ans"),
    "45-59": N_("45 à 59 ans"),
    "60-74": N_("60 à 74 ans"),
    "75+": N_("75 ans ou plus"),
}

RELATIONS = {
    "habitant": N_("Habitant·e"),
    "agent": N_("Agent·e d’une collectivité"),
    "both": N_("Les deux"),
}

# The groups of INSEE's professions and socio-professional categories (PCS 2020), and those without work.
PCS_GROUPS = {
    "1": N_("Agriculteur·rices exploitant·es"),
    "2": N_("Artisan·es, commerçant·es, chef·fes d’entreprise"),
    "3": N_("Cadres et professions intellectuelles supérieures"),
    "4": N_("Professions intermédiaires"),
    "5": N_("Employé·es"),
    "6": N_("Ouvrier·ères"),
    "7": N_("Retraité·es"),
    "8": N_("Autres personnes sans activité professionnelle (élèves, étudiant·es…)"),
}

# What the person agrees to, kept as they read it with the date they agreed.
CONSENT_TEXT = N_(
    "J’accepte que ces réponses servent uniquement à comparer, en chiffres globaux, les personnes qui "
    "participent aux consultations avec la population des territoires. Elles ne sont jamais publiées "
    "seules ni liées à mes contributions, aucun chiffre ne porte sur moins de 10 personnes, et je peux "
    "les modifier ou les supprimer à tout moment."
)


class TerritoryArea(db.Model):
    """A commune (of an intercommunality, a département…) or a quartier (of a commune), with its population."""

    __tablename__ = "territory_area"
    __table_args__ = (UniqueConstraint("territory_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    territory_id: Mapped[int] = mapped_column(ForeignKey("territory.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    # The INSEE code (commune or IRIS): the same place named in two territories is counted in both.
    code: Mapped[str | None] = mapped_column(String(12), index=True)
    # People aged 15 or more living there (None when the territory does not know it).
    population: Mapped[int | None]


class AgePopulation(db.Model):
    """How many people of the territory, aged 15 or more, are in an age band."""

    __tablename__ = "age_population"
    __table_args__ = (UniqueConstraint("territory_id", "band"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    territory_id: Mapped[int] = mapped_column(ForeignKey("territory.id", ondelete="CASCADE"), index=True)
    band: Mapped[str] = mapped_column(String(5))
    population: Mapped[int]


class ParticipationProfile(db.Model):
    """A person's optional answers about themselves; every answer may stay empty."""

    __tablename__ = "participation_profile"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), unique=True)
    age_band: Mapped[str | None] = mapped_column(String(5))
    area_id: Mapped[int | None] = mapped_column(ForeignKey("territory_area.id", ondelete="SET NULL"), index=True)
    # Living outside every commune or quartier the platform lists (counted apart from « not answered »).
    lives_elsewhere: Mapped[bool] = mapped_column(default=False)
    relation: Mapped[str | None] = mapped_column(String(10))
    pcs: Mapped[str | None] = mapped_column(String(2))
    consent_text: Mapped[str] = mapped_column(Text)
    consented_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    area: Mapped[TerritoryArea | None] = relationship()
