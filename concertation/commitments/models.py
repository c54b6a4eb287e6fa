"""A territory's commitments, their milestones, their links to what motivated them, and their history.

Every change of a commitment is kept as a ``CommitmentChange`` row (who, when, which
fields went from what to what, a public note): the history is append-only, and the
commitment's page shows it as a timeline.
"""

from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import JSON, CheckConstraint, Date, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from concertation.db import TimestampMixin, utcnow
from concertation.extensions import db
from concertation.i18n import N_

if TYPE_CHECKING:  # for the annotations of relationships (the modules import each other at run time)
    from concertation.accounts.models import User
    from concertation.manifesto.models import ManifestoPoint
    from concertation.proposals.models import Proposal
    from concertation.synthesis.models import SynthesisVersion
    from concertation.territories.models import Territory

# In the order a commitment usually moves; "abandoned" asks for a reason.
STATUSES = {
    "under_study": N_("À l’étude"),
    "committed": N_("Engagé"),
    "in_progress": N_("En cours"),
    "done": N_("Réalisé"),
    "abandoned": N_("Abandonné"),
}


class Commitment(TimestampMixin, db.Model):
    __tablename__ = "commitment"
    __table_args__ = (
        CheckConstraint("progress >= 0 AND progress <= 100", name="progress_percent"),
        CheckConstraint(
            "status IN ('under_study', 'committed', 'in_progress', 'done', 'abandoned')", name="known_status"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    territory_id: Mapped[int] = mapped_column(ForeignKey("territory.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    description_html: Mapped[str] = mapped_column(Text, default="")
    responsible_service: Mapped[str] = mapped_column(String(150), default="")
    status: Mapped[str] = mapped_column(String(20), default="under_study", index=True)
    # Why it was abandoned (required then), or any word on the current status.
    status_reason: Mapped[str] = mapped_column(Text, default="")
    progress: Mapped[int] = mapped_column(default=0)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))

    territory: Mapped["Territory"] = relationship(lazy="joined")
    milestones: Mapped[list["Milestone"]] = relationship(
        back_populates="commitment",
        cascade="all, delete-orphan",
        lazy="selectin",
        order_by="(Milestone.due_on, Milestone.id)",
    )
    changes: Mapped[list["CommitmentChange"]] = relationship(
        back_populates="commitment",
        cascade="all, delete-orphan",
        order_by="(CommitmentChange.changed_at, CommitmentChange.id)",
    )
    proposal_links: Mapped[list["CommitmentProposal"]] = relationship(
        cascade="all, delete-orphan", lazy="selectin", order_by="CommitmentProposal.id"
    )
    synthesis_links: Mapped[list["CommitmentSynthesis"]] = relationship(
        cascade="all, delete-orphan", lazy="selectin", order_by="CommitmentSynthesis.id"
    )
    point_links: Mapped[list["CommitmentPoint"]] = relationship(
        cascade="all, delete-orphan", lazy="selectin", order_by="CommitmentPoint.id"
    )

    @property
    def status_label(self) -> str:
        return STATUSES.get(self.status, self.status)

    def __repr__(self) -> str:
        return f"<Commitment {self.id} {self.title[:30]!r}>"


class Milestone(db.Model):
    """A step of a commitment, with the date it is due and the date it was done."""

    __tablename__ = "milestone"

    id: Mapped[int] = mapped_column(primary_key=True)
    commitment_id: Mapped[int] = mapped_column(ForeignKey("commitment.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    due_on: Mapped[date | None] = mapped_column(Date)
    done_on: Mapped[date | None] = mapped_column(Date)

    commitment: Mapped[Commitment] = relationship(back_populates="milestones")


class CommitmentChange(db.Model):
    """One change of a commitment: ``changes`` is {field: [old, new]}; never edited afterwards."""

    __tablename__ = "commitment_change"

    id: Mapped[int] = mapped_column(primary_key=True)
    commitment_id: Mapped[int] = mapped_column(ForeignKey("commitment.id", ondelete="CASCADE"), index=True)
    changed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    changed_at: Mapped[datetime] = mapped_column(default=utcnow)
    changes: Mapped[dict] = mapped_column(JSON, default=dict)
    note: Mapped[str] = mapped_column(Text, default="")
    note_html: Mapped[str] = mapped_column(Text, default="")

    commitment: Mapped[Commitment] = relationship(back_populates="changes")
    changed_by: Mapped["User | None"] = relationship(lazy="joined")


class CommitmentProposal(db.Model):
    """A proposal that motivated the commitment (and the frozen snapshot it was retained as, if any)."""

    __tablename__ = "commitment_proposal"
    __table_args__ = (UniqueConstraint("commitment_id", "proposal_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    commitment_id: Mapped[int] = mapped_column(ForeignKey("commitment.id", ondelete="CASCADE"), index=True)
    proposal_id: Mapped[int] = mapped_column(ForeignKey("proposal.id", ondelete="CASCADE"), index=True)
    retained_id: Mapped[int | None] = mapped_column(
        ForeignKey("retained_proposal_snapshot.id", ondelete="SET NULL"), index=True
    )

    proposal: Mapped["Proposal"] = relationship(lazy="joined")


class CommitmentSynthesis(db.Model):
    """A published synthesis version the commitment answers."""

    __tablename__ = "commitment_synthesis"
    __table_args__ = (UniqueConstraint("commitment_id", "synthesis_version_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    commitment_id: Mapped[int] = mapped_column(ForeignKey("commitment.id", ondelete="CASCADE"), index=True)
    synthesis_version_id: Mapped[int] = mapped_column(
        ForeignKey("synthesis_version.id", ondelete="CASCADE"), index=True
    )

    synthesis_version: Mapped["SynthesisVersion"] = relationship(lazy="joined")


class CommitmentPoint(db.Model):
    """A point of a published manifesto version the commitment carries out."""

    __tablename__ = "commitment_point"
    __table_args__ = (UniqueConstraint("commitment_id", "point_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    commitment_id: Mapped[int] = mapped_column(ForeignKey("commitment.id", ondelete="CASCADE"), index=True)
    point_id: Mapped[int] = mapped_column(ForeignKey("manifesto_point.id", ondelete="CASCADE"), index=True)

    point: Mapped["ManifestoPoint"] = relationship(lazy="joined")
