"""Follows (of proposals and consultations) and in-app notifications."""

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from concertation.db import utcnow
from concertation.extensions import db


class Follow(db.Model):
    __tablename__ = "follow"
    __table_args__ = (
        # NULLs are distinct in a unique constraint: each pair only binds the follows of its kind.
        UniqueConstraint("user_id", "proposal_id", name="uq_follow_user_proposal"),
        UniqueConstraint("user_id", "consultation_id", name="uq_follow_user_consultation"),
        CheckConstraint("(proposal_id IS NULL) <> (consultation_id IS NULL)", name="one_target"),
        Index("ix_follow_proposal", "proposal_id"),
        Index("ix_follow_consultation", "consultation_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    proposal_id: Mapped[int | None] = mapped_column(ForeignKey("proposal.id", ondelete="CASCADE"))
    consultation_id: Mapped[int | None] = mapped_column(ForeignKey("consultation.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Notification(db.Model):
    __tablename__ = "notification"
    __table_args__ = (Index("ix_notification_user_unread", "user_id", "read_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    # "reply", "comment_on_followed", "answer", "phase_opened", and the moderation kinds.
    kind: Mapped[str] = mapped_column(String(30))
    message: Mapped[str] = mapped_column(String(500))
    url: Mapped[str] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    read_at: Mapped[datetime | None]
    emailed_at: Mapped[datetime | None]
