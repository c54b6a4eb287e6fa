"""Territories (collectivités), their agents' email domains and people's roles in them."""

from datetime import datetime
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

# Roles held in one territory; manifesto editor and admin are platform-wide flags on User.
TERRITORY_ROLES = {"agent": N_("Agent·e"), "organiser": N_("Organisateur·rice"), "elu": N_("Élu·e")}


class Territory(TimestampMixin, db.Model):
    __tablename__ = "territory"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(150))
    kind: Mapped[str] = mapped_column(String(20))
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    code: Mapped[str | None] = mapped_column(String(14))  # INSEE (5) or SIREN (9)
    population: Mapped[int | None]
    description: Mapped[str] = mapped_column(default="")
    # Moderation: reports that hide a contribution until an organiser decides, and the charter.
    report_threshold: Mapped[int] = mapped_column(default=3)
    charter: Mapped[str] = mapped_column(Text, default="")
    charter_html: Mapped[str] = mapped_column(Text, default="")
    dpo_contact: Mapped[str | None] = mapped_column(String(254))

    domains: Mapped[list["TerritoryDomain"]] = relationship(
        back_populates="territory", cascade="all, delete-orphan", lazy="selectin",
        order_by="TerritoryDomain.domain",
    )
    memberships: Mapped[list["Membership"]] = relationship(
        back_populates="territory", cascade="all, delete-orphan"
    )

    @property
    def kind_label(self) -> str:
        return TERRITORY_KINDS.get(self.kind, self.kind)

    def __repr__(self) -> str:
        return f"<Territory {self.slug}>"


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
    # How the role was obtained: "domain", "invitation" or "admin".
    source: Mapped[str] = mapped_column(String(20), default="admin")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    user: Mapped["User"] = relationship(back_populates="memberships")
    territory: Mapped[Territory] = relationship(back_populates="memberships", lazy="joined")

    @property
    def role_label(self) -> str:
        return TERRITORY_ROLES.get(self.role, self.role)


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
