"""Consultations, their phases, themes and information resources."""

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.ext.hybrid import hybrid_property
from sqlalchemy.orm import Mapped, mapped_column, relationship

from concertation.db import TimestampMixin
from concertation.extensions import db
from concertation.i18n import N_

if TYPE_CHECKING:  # for the annotations of relationships (the modules import each other at run time)
    from concertation.territories.models import Territory

AUDIENCES = {
    "public": N_("Tout le monde"),
    "agents": N_("Agents de la collectivité uniquement"),
    "both": N_("Habitant·es et agents (contributions des agents distinguées)"),
}
# Consultations anyone may read; the others are reserved to the territory's own people.
PUBLIC_AUDIENCES = ("public", "both")
VOTING_METHODS = {"support": N_("Soutiens"), "majority": N_("Jugement majoritaire")}
VOTE_ASSURANCES = {
    "": N_("Toute personne inscrite et confirmée"),
    "franceconnect": N_("Seulement les identités vérifiées par FranceConnect"),
    "residence": N_("Identités vérifiées par FranceConnect ou résidence déclarée dans le territoire"),
}


class Consultation(TimestampMixin, db.Model):
    __tablename__ = "consultation"
    __table_args__ = (
        UniqueConstraint("territory_id", "slug"),
        CheckConstraint("support_limit IS NULL OR support_limit > 0", name="support_limit_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    territory_id: Mapped[int] = mapped_column(ForeignKey("territory.id", ondelete="CASCADE"), index=True)
    slug: Mapped[str] = mapped_column(String(100))
    title: Mapped[str] = mapped_column(String(150))
    summary: Mapped[str] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text, default="")
    description_html: Mapped[str] = mapped_column(Text, default="")
    audience: Mapped[str] = mapped_column(String(10), default="public")
    voting_method: Mapped[str] = mapped_column(String(10), default="support")
    support_limit: Mapped[int | None]
    supports_during_proposals: Mapped[bool] = mapped_column(default=False)
    results_live: Mapped[bool] = mapped_column(default=False)
    # Who may vote: "" any participant; "franceconnect" an identity verified by FranceConnect;
    # "residence" that, or residence in the territory declared on the profile (VOTE_ASSURANCES).
    vote_assurance: Mapped[str] = mapped_column(String(20), default="", server_default="")
    # Pre-moderation: new proposals and comments wait for an organiser before they are published.
    premoderation: Mapped[bool] = mapped_column(default=False)
    # A cover image (a file in UPLOAD_DIR) and its text alternative, shown on the consultation's page.
    cover_key: Mapped[str | None] = mapped_column(String(80))
    cover_alt: Mapped[str] = mapped_column(String(250), default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))

    territory: Mapped["Territory"] = relationship(lazy="joined")
    phases: Mapped[list["Phase"]] = relationship(
        back_populates="consultation",
        cascade="all, delete-orphan",
        lazy="selectin",
        order_by="Phase.starts_at",
    )
    themes: Mapped[list["Theme"]] = relationship(
        back_populates="consultation",
        cascade="all, delete-orphan",
        lazy="selectin",
        order_by="Theme.position",
    )
    resources: Mapped[list["Resource"]] = relationship(
        back_populates="consultation",
        cascade="all, delete-orphan",
        order_by="Resource.position",
    )

    @hybrid_property
    def is_public(self) -> bool:
        """Open to everyone (the one definition, in Python and in SQL: `select(...).where(Consultation.is_public)`)."""
        return self.audience in PUBLIC_AUDIENCES

    @is_public.inplace.expression
    @classmethod
    def _is_public_expression(cls):
        return cls.audience.in_(PUBLIC_AUDIENCES)

    @property
    def audience_label(self) -> str:
        return AUDIENCES.get(self.audience, self.audience)

    @property
    def voting_label(self) -> str:
        return VOTING_METHODS.get(self.voting_method, self.voting_method)

    def phase(self, kind: str) -> "Phase | None":
        return next((p for p in self.phases if p.kind == kind), None)

    def __repr__(self) -> str:
        return f"<Consultation {self.id} {self.slug}>"


class Phase(db.Model):
    """One of the five phases of a consultation, with its dates (the closed phase has no end)."""

    __tablename__ = "phase"
    __table_args__ = (
        UniqueConstraint("consultation_id", "kind"),
        CheckConstraint("ends_at IS NULL OR ends_at > starts_at", name="ends_after_start"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(ForeignKey("consultation.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    starts_at: Mapped[datetime]
    ends_at: Mapped[datetime | None]
    # When the followers were told that this phase opened (`flask notify-phases`), so they are told once.
    notified_at: Mapped[datetime | None]

    consultation: Mapped[Consultation] = relationship(back_populates="phases")


class Theme(db.Model):
    __tablename__ = "theme"
    __table_args__ = (UniqueConstraint("consultation_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(ForeignKey("consultation.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(80))
    position: Mapped[int] = mapped_column(default=0)

    consultation: Mapped[Consultation] = relationship(back_populates="themes")


class Resource(TimestampMixin, db.Model):
    """A document or link of the information phase: what to read before debating."""

    __tablename__ = "resource"

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(ForeignKey("consultation.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(10), default="link")
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(String(500), default="")
    url: Mapped[str | None] = mapped_column(String(2000))
    # For an uploaded document: the stored file's name and the name it was sent with.
    file_key: Mapped[str | None] = mapped_column(String(80))
    file_name: Mapped[str | None] = mapped_column(String(200))
    file_size: Mapped[int | None]
    position: Mapped[int] = mapped_column(default=0)

    consultation: Mapped[Consultation] = relationship(back_populates="resources")
