"""Proposals made in a consultation, and the organisers' answers to them."""

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from concertation.db import ModerationMixin, RichTextMixin, TimestampMixin, utcnow
from concertation.extensions import db
from concertation.i18n import N_

if TYPE_CHECKING:  # for the annotations of relationships (the modules import each other at run time)
    from concertation.accounts.models import User
    from concertation.consultations.models import Consultation, Theme
    from concertation.workshops.models import Workshop

ANSWERS = {
    "retained": N_("Retenue"),
    "under_study": N_("À l’étude"),
    "not_retained": N_("Non retenue"),
}


class Proposal(TimestampMixin, RichTextMixin, ModerationMixin, db.Model):
    __tablename__ = "proposal"
    __table_args__ = (
        CheckConstraint("support_count >= 0", name="support_count_positive"),
        CheckConstraint("comment_count >= 0", name="comment_count_positive"),
        Index("ix_proposal_consultation_created", "consultation_id", "created_at"),
        Index("ix_proposal_consultation_supports", "consultation_id", "support_count"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(ForeignKey("consultation.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    theme_id: Mapped[int | None] = mapped_column(ForeignKey("theme.id", ondelete="SET NULL"), index=True)
    title: Mapped[str] = mapped_column(String(150))
    # Title and body lower-cased with accents folded, for full-text search on every database.
    search_text: Mapped[str] = mapped_column(Text, default="")
    withdrawn_at: Mapped[datetime | None]
    edited_at: Mapped[datetime | None]
    # Counts kept exact by single UPDATE … SET n = n ± 1 statements (see voting and comments).
    support_count: Mapped[int] = mapped_column(default=0)
    comment_count: Mapped[int] = mapped_column(default=0)

    answer: Mapped[str | None] = mapped_column(String(20), index=True)
    answer_text: Mapped[str] = mapped_column(Text, default="")
    answer_html: Mapped[str] = mapped_column(Text, default="")
    answered_at: Mapped[datetime | None]
    answered_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    # A duplicate merged by an organiser into another proposal: kept, but no longer counted (see synthesis).
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("proposal.id", ondelete="SET NULL"))
    # Collected on paper or orally at a workshop and entered by an organiser (no author account:
    # its author is the platform's collected-contributions account, see workshops.services).
    workshop_id: Mapped[int | None] = mapped_column(ForeignKey("workshop.id"), index=True)

    consultation: Mapped["Consultation"] = relationship(lazy="joined")
    author: Mapped["User"] = relationship(foreign_keys=[author_id], lazy="joined")
    theme: Mapped["Theme | None"] = relationship(lazy="joined")
    # Read only for a collected proposal (one statement per workshop, kept in the session's identity map).
    workshop: Mapped["Workshop | None"] = relationship()

    @property
    def is_withdrawn(self) -> bool:
        return self.withdrawn_at is not None

    @property
    def is_collected(self) -> bool:
        """Collected at a workshop (« recueillie en atelier »), entered by an organiser."""
        return self.workshop_id is not None

    @property
    def answer_label(self) -> str | None:
        return ANSWERS.get(self.answer) if self.answer else None

    def __repr__(self) -> str:
        return f"<Proposal {self.id} {self.title[:30]!r}>"


class AnswerTemplate(db.Model):
    """A reusable answer an organiser prepared for a consultation, for answering many proposals."""

    __tablename__ = "answer_template"

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(ForeignKey("consultation.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    answer: Mapped[str] = mapped_column(String(20))
    text: Mapped[str] = mapped_column(Text, default="")

    @property
    def answer_label(self) -> str:
        return ANSWERS.get(self.answer, self.answer)


class ProposalMerge(db.Model):
    """Append-only log of duplicates merged into another proposal: who, when, what moved."""

    __tablename__ = "proposal_merge"

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(ForeignKey("consultation.id", ondelete="CASCADE"), index=True)
    duplicate_id: Mapped[int] = mapped_column(ForeignKey("proposal.id", ondelete="CASCADE"))
    target_id: Mapped[int] = mapped_column(ForeignKey("proposal.id", ondelete="CASCADE"))
    merged_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    merged_at: Mapped[datetime] = mapped_column(default=utcnow)
    supports_moved: Mapped[int] = mapped_column(default=0)
    grades_moved: Mapped[int] = mapped_column(default=0)
    # Copied so that the log still reads right if titles are edited later.
    duplicate_title: Mapped[str] = mapped_column(String(150))
    target_title: Mapped[str] = mapped_column(String(150))
