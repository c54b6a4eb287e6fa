"""The shared manifesto: versions of points that cite published syntheses, suggestions, endorsements.

A manifesto has numbered versions. At most one of them is the draft (not yet
published) the editors work on; publishing stamps it and it never changes
again: its points and their sources are rows of that version alone, and the
next draft is a copy of them. A point keeps the same ``uid`` from one version
to the next, which is how two versions are compared.

Sources reference ``synthesis_version`` and ``retained_proposal_snapshot``
rows: those exist only once a synthesis is published and are frozen, so a
point cannot cite a draft synthesis, and what it cites cannot move under it.
"""

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, ForeignKey, String, Text, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from concertation.db import TimestampMixin, utcnow
from concertation.extensions import db
from concertation.i18n import N_

if TYPE_CHECKING:  # for the annotations of relationships (the modules import each other at run time)
    from concertation.synthesis.models import RetainedProposalSnapshot, SynthesisVersion
    from concertation.territories.models import Territory

SUGGESTION_STATES = {"pending": N_("En attente"), "accepted": N_("Acceptée"), "declined": N_("Déclinée")}

# The same kinds and answers as a participatory text's amendments (texts/models.py), for a manifesto point.
AMENDMENT_KINDS = {
    "replace": N_("Nouvelle rédaction"),
    "delete": N_("Suppression"),
    "add_after": N_("Nouveau point après celui-ci"),
}
AMENDMENT_STATUSES = {
    "pending": N_("En attente de réponse"),
    "accepted": N_("Accepté"),
    "accepted_changed": N_("Accepté avec modifications"),
    "rejected": N_("Rejeté"),
}
ACCEPTED = ("accepted", "accepted_changed")


class Manifesto(TimestampMixin, db.Model):
    __tablename__ = "manifesto"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(100), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))


class ManifestoVersion(db.Model):
    """A version of the manifesto: the draft while ``published_at`` is empty, frozen once it is set."""

    __tablename__ = "manifesto_version"
    __table_args__ = (UniqueConstraint("manifesto_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    manifesto_id: Mapped[int] = mapped_column(ForeignKey("manifesto.id", ondelete="CASCADE"), index=True)
    number: Mapped[int]
    title: Mapped[str] = mapped_column(String(200))
    introduction: Mapped[str] = mapped_column(Text, default="")
    introduction_html: Mapped[str] = mapped_column(Text, default="")
    change_note: Mapped[str] = mapped_column(String(500), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    published_at: Mapped[datetime | None] = mapped_column(index=True)
    published_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    # A draft opened by the editors to the territories' amendments (its organisers propose in the territory's name).
    amendments_open: Mapped[bool] = mapped_column(default=False, server_default=false())

    manifesto: Mapped[Manifesto] = relationship(lazy="joined")
    points: Mapped[list["ManifestoPoint"]] = relationship(
        back_populates="version",
        cascade="all, delete-orphan",
        lazy="selectin",
        order_by=lambda: [ManifestoPoint.chapter_position, ManifestoPoint.position, ManifestoPoint.id],
    )

    @property
    def is_published(self) -> bool:
        return self.published_at is not None


class ManifestoPoint(db.Model):
    """A point of one version, in a chapter; ``uid`` names the same point across versions."""

    __tablename__ = "manifesto_point"
    __table_args__ = (UniqueConstraint("version_id", "uid"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("manifesto_version.id", ondelete="CASCADE"), index=True)
    uid: Mapped[int]
    chapter: Mapped[str] = mapped_column(String(150))
    chapter_position: Mapped[int] = mapped_column(default=0)
    position: Mapped[int] = mapped_column(default=0)
    title: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text, default="")
    body_html: Mapped[str] = mapped_column(Text, default="")

    version: Mapped[ManifestoVersion] = relationship(back_populates="points")
    sources: Mapped[list["ManifestoSource"]] = relationship(
        back_populates="point",
        cascade="all, delete-orphan",
        lazy="selectin",
        order_by="ManifestoSource.id",
    )


class ManifestoSource(db.Model):
    """A published synthesis version a point draws on: the whole synthesis, one of its sections, or a retained proposal."""

    __tablename__ = "manifesto_source"
    __table_args__ = (UniqueConstraint("point_id", "synthesis_version_id", "retained_id", "section"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    point_id: Mapped[int] = mapped_column(ForeignKey("manifesto_point.id", ondelete="CASCADE"), index=True)
    # No cascade: a frozen manifesto keeps what it cites (the database refuses to delete it underneath).
    synthesis_version_id: Mapped[int] = mapped_column(ForeignKey("synthesis_version.id"), index=True)
    retained_id: Mapped[int | None] = mapped_column(ForeignKey("retained_proposal_snapshot.id"), index=True)
    # The title of a section of the synthesis version, when the point draws on a section.
    section: Mapped[str | None] = mapped_column(String(150))

    point: Mapped[ManifestoPoint] = relationship(back_populates="sources")
    synthesis_version: Mapped["SynthesisVersion"] = relationship(lazy="joined")
    retained: Mapped["RetainedProposalSnapshot | None"] = relationship(lazy="joined")


class ManifestoSuggestion(db.Model):
    """An organiser's suggestion, from their published synthesis, of an item for the manifesto."""

    __tablename__ = "manifesto_suggestion"

    id: Mapped[int] = mapped_column(primary_key=True)
    manifesto_id: Mapped[int] = mapped_column(ForeignKey("manifesto.id", ondelete="CASCADE"), index=True)
    territory_id: Mapped[int] = mapped_column(ForeignKey("territory.id", ondelete="CASCADE"), index=True)
    synthesis_version_id: Mapped[int] = mapped_column(ForeignKey("synthesis_version.id", ondelete="CASCADE"))
    retained_id: Mapped[int | None] = mapped_column(ForeignKey("retained_proposal_snapshot.id", ondelete="CASCADE"))
    section: Mapped[str | None] = mapped_column(String(150))
    theme: Mapped[str] = mapped_column(String(80))
    justification: Mapped[str] = mapped_column(String(1000))
    suggested_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    state: Mapped[str] = mapped_column(String(10), default="pending", index=True)
    decided_at: Mapped[datetime | None]
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    decision_reason: Mapped[str] = mapped_column(String(1000), default="")
    # The point (by uid) the suggestion joined, when accepted.
    point_uid: Mapped[int | None]

    manifesto: Mapped[Manifesto] = relationship(lazy="joined")
    territory: Mapped["Territory"] = relationship(lazy="joined")
    synthesis_version: Mapped["SynthesisVersion"] = relationship(lazy="joined")
    retained: Mapped["RetainedProposalSnapshot | None"] = relationship(lazy="joined")

    @property
    def state_label(self) -> str:
        return SUGGESTION_STATES.get(self.state, self.state)


class Endorsement(db.Model):
    """A territory's signature of one published version, given by one of its élus (once per territory per version)."""

    __tablename__ = "endorsement"
    __table_args__ = (UniqueConstraint("version_id", "territory_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("manifesto_version.id", ondelete="CASCADE"), index=True)
    territory_id: Mapped[int] = mapped_column(ForeignKey("territory.id", ondelete="CASCADE"), index=True)
    signed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    statement: Mapped[str] = mapped_column(Text, default="")
    statement_html: Mapped[str] = mapped_column(Text, default="")
    signed_at: Mapped[datetime] = mapped_column(default=utcnow)
    # A withdrawn signature is kept (with its date) and can be given again: the row is reused.
    withdrawn_at: Mapped[datetime | None]

    version: Mapped[ManifestoVersion] = relationship(lazy="joined")
    territory: Mapped["Territory"] = relationship(lazy="joined")


class ManifestoAmendment(db.Model):
    """A territory's amendment to a point of the draft: a new wording, its deletion, or a new point after it.

    Proposed by one of the territory's organisers in the territory's name; the person is kept for the
    notifications only and never shown nor exported: the amendment is the territory's. Numbered per version
    (« amendement n° 3 »); ``point_uid`` names the point across versions, as a point's ``uid`` does.
    """

    __tablename__ = "manifesto_amendment"
    __table_args__ = (
        UniqueConstraint("version_id", "number"),
        CheckConstraint("kind IN ('replace', 'delete', 'add_after')", name="kind_known"),
        CheckConstraint("status IN ('pending', 'accepted', 'accepted_changed', 'rejected')", name="status_known"),
        CheckConstraint("status <> 'rejected' OR answer_text <> ''", name="rejection_has_reason"),
        CheckConstraint("status <> 'accepted_changed' OR final_wording <> ''", name="changes_written"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("manifesto_version.id", ondelete="CASCADE"), index=True)
    number: Mapped[int]
    point_uid: Mapped[int]
    # The point the amendment's text went into once accepted: the same point, or the new one after it.
    result_uid: Mapped[int | None]
    territory_id: Mapped[int] = mapped_column(ForeignKey("territory.id", ondelete="CASCADE"), index=True)
    proposed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    kind: Mapped[str] = mapped_column(String(10))
    # The point's text as it stood when the amendment was proposed, for the word-level difference.
    original: Mapped[str] = mapped_column(Text, default="")
    # The proposed text ("" for a deletion); a new point's title for an addition.
    wording: Mapped[str] = mapped_column(Text, default="")
    title: Mapped[str] = mapped_column(String(200), default="")
    justification: Mapped[str] = mapped_column(Text)
    justification_html: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    status: Mapped[str] = mapped_column(String(20), default="pending", index=True)
    # The editors' wording when they accepted with changes.
    final_wording: Mapped[str] = mapped_column(Text, default="")
    answer_text: Mapped[str] = mapped_column(Text, default="")
    answer_html: Mapped[str] = mapped_column(Text, default="")
    answered_at: Mapped[datetime | None]
    answered_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))

    version: Mapped[ManifestoVersion] = relationship(lazy="joined")
    territory: Mapped["Territory"] = relationship(lazy="joined")
    cosignatures: Mapped[list["AmendmentCosignature"]] = relationship(
        back_populates="amendment",
        cascade="all, delete-orphan",
        lazy="selectin",
        order_by="AmendmentCosignature.id",
    )

    @property
    def kind_label(self) -> str:
        return AMENDMENT_KINDS[self.kind]

    @property
    def status_label(self) -> str:
        return AMENDMENT_STATUSES[self.status]

    @property
    def is_accepted(self) -> bool:
        return self.status in ACCEPTED

    @property
    def adopted_wording(self) -> str:
        """The wording that enters the draft when the amendment is accepted."""
        return self.final_wording if self.status == "accepted_changed" else self.wording


class AmendmentCosignature(db.Model):
    """Another territory's support of an amendment, given in its name by one of its organisers (once per territory)."""

    __tablename__ = "manifesto_cosignature"
    __table_args__ = (UniqueConstraint("amendment_id", "territory_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    amendment_id: Mapped[int] = mapped_column(ForeignKey("manifesto_amendment.id", ondelete="CASCADE"), index=True)
    territory_id: Mapped[int] = mapped_column(ForeignKey("territory.id", ondelete="CASCADE"), index=True)
    signed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    signed_at: Mapped[datetime] = mapped_column(default=utcnow)

    amendment: Mapped[ManifestoAmendment] = relationship(back_populates="cosignatures")
    territory: Mapped["Territory"] = relationship(lazy="joined")
