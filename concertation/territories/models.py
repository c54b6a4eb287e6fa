"""Territories (collectivités), their agents' email domains and people's roles in them."""

from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from concertation.db import TimestampMixin, utcnow
from concertation.extensions import db
from concertation.i18n import N_

if TYPE_CHECKING:  # for the annotations of relationships (the modules import each other at run time)
    from concertation.accounts.models import User

TERRITORY_KINDS = {
    "commune": N_("Commune"),
    "intercommunalite": N_("Intercommunalité"),
    "departement": N_("Département"),
    "region": N_("Région"),
    "autre": N_("Autre"),
}

# The article a territory's name takes in French (« Retirer la signature de la Communauté… »): none for
# most communes (« de Saint-Aubin »), « le » for « le Département du Nord » (« du Département… »)…
NAME_ARTICLES = {
    "": N_("Aucun (Saint-Aubin, Lyon)"),
    "le": N_("le (le Département du Nord)"),
    "la": N_("la (la Communauté d’agglomération du Val)"),
    "l’": N_("l’ (l’Eurométropole de Strasbourg)"),
    "les": N_("les (les Hauts-de-Seine)"),
}
DEFAULT_ARTICLES = {"commune": "", "intercommunalite": "la", "departement": "le", "region": "la", "autre": ""}
_VOWELS = tuple("AEÉÈÊIÎOÔUYHaeéèêiîoôuyh")


def with_article(name: str, article: str) -> str:
    if not article:
        return name
    return f"{article}{name}" if article == "l’" else f"{article} {name}"


def of_name(name: str, article: str) -> str:
    if article == "le":
        return f"du {name}"
    if article == "les":
        return f"des {name}"
    if article:
        return f"de {with_article(name, article)}"
    return f"d’{name}" if name.startswith(_VOWELS) else f"de {name}"


def at_name(name: str, article: str) -> str:
    if article == "le":
        return f"au {name}"
    if article == "les":
        return f"aux {name}"
    return f"à {with_article(name, article)}"


# Roles held in one territory; manifesto editor and admin are platform-wide flags on User.
TERRITORY_ROLES = {"agent": N_("Agent·e"), "organiser": N_("Organisateur·rice"), "elu": N_("Élu·e")}


class Territory(TimestampMixin, db.Model):
    __tablename__ = "territory"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(150))
    # The article the name takes in a sentence (NAME_ARTICLES): « la » Communauté d’agglomération…
    name_article: Mapped[str] = mapped_column(String(4), default="", server_default="")
    kind: Mapped[str] = mapped_column(String(20))
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    code: Mapped[str | None] = mapped_column(String(14))  # INSEE (5) or SIREN (9)
    # The SIREN of the collectivité itself: a ProConnect sign-in whose SIRET starts with it is one of its agents.
    siren: Mapped[str | None] = mapped_column(String(9), index=True)
    population: Mapped[int | None]
    description: Mapped[str] = mapped_column(default="")
    # Moderation: reports that hide a contribution until an organiser decides, and the charter.
    report_threshold: Mapped[int] = mapped_column(default=3)
    charter: Mapped[str] = mapped_column(Text, default="")
    charter_html: Mapped[str] = mapped_column(Text, default="")
    dpo_contact: Mapped[str | None] = mapped_column(String(254))
    # Identity: the logo organisers upload (a file in UPLOAD_DIR) and an accent colour (#rrggbb, AA on white).
    logo_key: Mapped[str | None] = mapped_column(String(80))
    accent_color: Mapped[str | None] = mapped_column(String(7))

    domains: Mapped[list["TerritoryDomain"]] = relationship(
        back_populates="territory",
        cascade="all, delete-orphan",
        # Loaded only where a page shows them (the territories' administration): a territory is read on
        # every signed-in page (memberships, consultation, moderation queues), its domains almost never.
        order_by="TerritoryDomain.domain",
    )
    memberships: Mapped[list["Membership"]] = relationship(back_populates="territory", cascade="all, delete-orphan")

    @property
    def kind_label(self) -> str:
        return TERRITORY_KINDS.get(self.kind, self.kind)

    @property
    def with_article(self) -> str:
        """« la Communauté d’agglomération du Val », « le Département du Nord », « Saint-Aubin »."""
        return with_article(self.name, self.name_article)

    @property
    def of_name(self) -> str:
        """After « de »: « de la Communauté… », « du Département… », « de l’Eurométropole… », « d’Angers »."""
        return of_name(self.name, self.name_article)

    @property
    def at_name(self) -> str:
        """After « à »: « à la Communauté… », « au Département… », « aux Hauts-de-Seine », « à Saint-Aubin »."""
        return at_name(self.name, self.name_article)

    def __repr__(self) -> str:
        return f"<Territory {self.slug}>"


# How a membership was verified, shown beside it (the role's own page keeps `source` as it is).
MEMBERSHIP_SOURCES = {
    "domain": N_("vérifié par l’adresse électronique du territoire"),
    "invitation": N_("sur invitation"),
    "proconnect-siren": N_("vérifié par ProConnect : SIREN du territoire"),
    "proconnect-domain": N_("vérifié par ProConnect : domaine du territoire"),
}


class TerritoryDomain(db.Model):
    """An email domain whose confirmed addresses belong to the territory's agents."""

    __tablename__ = "territory_domain"
    __table_args__ = (UniqueConstraint("territory_id", "domain"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    territory_id: Mapped[int] = mapped_column(ForeignKey("territory.id", ondelete="CASCADE"), index=True)
    domain: Mapped[str] = mapped_column(String(253), index=True)

    territory: Mapped[Territory] = relationship(back_populates="domains")


class Membership(db.Model):
    __tablename__ = "membership"
    __table_args__ = (UniqueConstraint("user_id", "territory_id", "role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    territory_id: Mapped[int] = mapped_column(ForeignKey("territory.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(20))
    # How the role was obtained: "domain", "invitation", "admin", or through ProConnect:
    # "proconnect-siren" (the organisation's SIRET) or "proconnect-domain" (the email's domain).
    source: Mapped[str] = mapped_column(String(20), default="admin")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    user: Mapped["User"] = relationship(back_populates="memberships")
    territory: Mapped[Territory] = relationship(back_populates="memberships", lazy="joined")

    @property
    def role_label(self) -> str:
        return TERRITORY_ROLES.get(self.role, self.role)

    @property
    def source_label(self) -> str | None:
        """How the role was verified, as the person reads it (None for a role given by an admin)."""
        return MEMBERSHIP_SOURCES.get(self.source)


class Invitation(db.Model):
    """An organiser's invitation for one person to become an agent of the territory."""

    __tablename__ = "invitation"

    id: Mapped[int] = mapped_column(primary_key=True)
    territory_id: Mapped[int] = mapped_column(ForeignKey("territory.id", ondelete="CASCADE"), index=True)
    email: Mapped[str] = mapped_column(String(254))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    accepted_at: Mapped[datetime | None]
    accepted_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))

    territory: Mapped[Territory] = relationship(lazy="joined")


ACCESSIBILITY_STATUSES = {
    "non": N_("non conforme"),
    "partiellement": N_("partiellement conforme"),
    "totalement": N_("totalement conforme"),
}


class AccessibilityAudit(TimestampMixin, db.Model):
    """The result of an accessibility audit (RGAA) a territory publishes for its own pages."""

    __tablename__ = "accessibility_audit"

    id: Mapped[int] = mapped_column(primary_key=True)
    territory_id: Mapped[int] = mapped_column(ForeignKey("territory.id", ondelete="CASCADE"), unique=True)
    status: Mapped[str] = mapped_column(String(20))
    audited_on: Mapped[date]
    auditor: Mapped[str] = mapped_column(String(200))
    rate: Mapped[float | None]  # percentage of RGAA criteria met
    report_url: Mapped[str] = mapped_column(String(500), default="")
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))

    territory: Mapped[Territory] = relationship()

    @property
    def status_label(self) -> str:
        return ACCESSIBILITY_STATUSES.get(self.status, self.status)
