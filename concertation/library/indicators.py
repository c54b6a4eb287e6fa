"""Indicators the territories agreed on, computed from the library's entries, with their definitions.

Each is a share: how many entries (or agents) meet the criterion among those it is measured on. The
same query gives the platform's figures and each territory's; a share of nothing is no figure.
"""

from dataclasses import dataclass

from sqlalchemy import ColumnElement, case, func, select

from concertation.extensions import db
from concertation.i18n import N_
from concertation.library.models import LibraryEntry
from concertation.territories.models import Territory

IN_SERVICE = ("experimentation", "deploye")
EU_HOSTINGS = ("internal", "public", "france", "eu")


@dataclass(frozen=True)
class Indicator:
    key: str
    label: str
    definition: str
    unit: str  # what is counted: "agents" or "outils"


INDICATORS = [
    Indicator(
        "agents_trained",
        N_("Part des agents formés"),
        N_(
            "Parmi les agents qui utilisent un outil en service (expérimentation ou déployé), la part de ceux "
            "qui ont été formés à son usage. Seules les fiches qui donnent ces deux nombres comptent."
        ),
        "agents",
    ),
    Indicator(
        "human_reachable",
        N_("Outils avec un humain toujours joignable"),
        N_(
            "Parmi les outils en service (expérimentation ou déployé), la part de ceux avec lesquels une "
            "personne peut toujours joindre un humain."
        ),
        "outils",
    ),
    Indicator(
        "hosted_in_eu",
        N_("Outils hébergés dans l’Union européenne"),
        N_(
            "Parmi les outils en service (expérimentation ou déployé), la part de ceux hébergés dans l’Union "
            "européenne : par la collectivité, un hébergeur public ou mutualisé, un prestataire en France ou "
            "dans l’Union. Un hébergement non renseigné ne compte pas comme tel."
        ),
        "outils",
    ),
    Indicator(
        "open_source",
        N_("Outils libres"),
        N_("Parmi les outils en service (expérimentation ou déployé), la part de logiciels libres."),
        "outils",
    ),
    Indicator(
        "dpia_done",
        N_("Analyses d’impact faites"),
        N_(
            "Parmi les outils en service qui traitent des données personnelles, la part de ceux pour lesquels "
            "une analyse d’impact relative à la protection des données (AIPD) a été faite."
        ),
        "outils",
    ),
]


@dataclass
class Figure:
    """One indicator's value: `count` among `total` (None when there is nothing to measure)."""

    indicator: Indicator
    count: int
    total: int

    @property
    def share(self) -> int | None:
        """The share in whole percent, rounded; None when nothing is measured."""
        return round(100 * self.count / self.total) if self.total else None


def _count(condition) -> ColumnElement[int]:
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


def _columns() -> list[ColumnElement[int]]:
    """(count, total) of each indicator, in the order of INDICATORS, over the entries in service."""
    counted_agents = LibraryEntry.agents_concerned.is_not(None) & LibraryEntry.agents_trained.is_not(None)
    return [
        func.coalesce(func.sum(case((counted_agents, LibraryEntry.agents_trained), else_=0)), 0),
        func.coalesce(func.sum(case((counted_agents, LibraryEntry.agents_concerned), else_=0)), 0),
        _count(LibraryEntry.human_reachable.is_(True)),
        func.count(LibraryEntry.id),
        _count(LibraryEntry.hosting.in_(EU_HOSTINGS)),
        func.count(LibraryEntry.id),
        _count(LibraryEntry.open_source.is_(True)),
        func.count(LibraryEntry.id),
        _count(LibraryEntry.personal_data.is_(True) & LibraryEntry.dpia_done.is_(True)),
        _count(LibraryEntry.personal_data.is_(True)),
    ]


def _figures(values) -> list[Figure]:
    values = [int(v or 0) for v in values]
    return [Figure(indicator, values[2 * i], values[2 * i + 1]) for i, indicator in enumerate(INDICATORS)]


def platform() -> tuple[int, list[Figure]]:
    """The number of tools in service on the platform, and its indicators."""
    row = db.session.execute(
        select(func.count(LibraryEntry.id), *_columns()).where(LibraryEntry.status.in_(IN_SERVICE))
    ).one()
    return int(row[0]), _figures(row[1:])


def per_territory() -> list[tuple[Territory, int, list[Figure]]]:
    """Each territory with tools in service: their number and its indicators, by territory name."""
    rows = db.session.execute(
        select(LibraryEntry.territory_id, func.count(LibraryEntry.id), *_columns())
        .where(LibraryEntry.status.in_(IN_SERVICE))
        .group_by(LibraryEntry.territory_id)
    ).all()
    territories = {t.id: t for t in db.session.scalars(select(Territory).where(Territory.id.in_([r[0] for r in rows])))}
    found = [(territories[r[0]], int(r[1]), _figures(r[2:])) for r in rows]
    return sorted(found, key=lambda item: (item[0].name, item[0].id))


def of_territory(territory: Territory) -> tuple[int, list[Figure]]:
    row = db.session.execute(
        select(func.count(LibraryEntry.id), *_columns()).where(
            LibraryEntry.status.in_(IN_SERVICE), LibraryEntry.territory_id == territory.id
        )
    ).one()
    return int(row[0]), _figures(row[1:])
