"""Votes: supports, majority-judgment grades, and each person's count of supports in a consultation.

Votes are secret: who voted is kept only to hold one vote per person, and is
never shown. Deleting an account sets ``user_id`` to NULL: the vote stays counted.
"""

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, SmallInteger, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from concertation.db import utcnow
from concertation.extensions import db
from concertation.i18n import N_

# Mentions from worst to best: the stored value is the index (0 = À rejeter … 5 = Excellent),
# so that a higher number is a better grade.
MENTIONS = [N_("À rejeter"), N_("Passable"), N_("Assez bien"), N_("Bien"), N_("Très bien"), N_("Excellent")]


class Support(db.Model):
    __tablename__ = "support"
    # (user_id, consultation_id): what a person has given in a consultation, without scanning the table.
    __table_args__ = (
        UniqueConstraint("proposal_id", "user_id"),
        Index("ix_support_user_consultation", "user_id", "consultation_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int] = mapped_column(ForeignKey("proposal.id", ondelete="CASCADE"), index=True)
    consultation_id: Mapped[int] = mapped_column(ForeignKey("consultation.id", ondelete="CASCADE"))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class SupportQuota(db.Model):
    """How many supports a person has given in a consultation; the limit is checked in one UPDATE."""

    __tablename__ = "support_quota"
    __table_args__ = (
        UniqueConstraint("consultation_id", "user_id"),
        CheckConstraint("used >= 0", name="used_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(ForeignKey("consultation.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    used: Mapped[int] = mapped_column(default=0)


class Grade(db.Model):
    __tablename__ = "grade"
    __table_args__ = (
        UniqueConstraint("proposal_id", "user_id"),
        CheckConstraint("mention BETWEEN 0 AND 5", name="mention_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int] = mapped_column(ForeignKey("proposal.id", ondelete="CASCADE"), index=True)
    consultation_id: Mapped[int] = mapped_column(ForeignKey("consultation.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"), index=True)
    mention: Mapped[int] = mapped_column(SmallInteger)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
