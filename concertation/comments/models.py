"""Threaded comments on proposals, on consultations and on the paragraphs of participatory texts."""

from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from concertation.db import ModerationMixin, RichTextMixin, TimestampMixin
from concertation.extensions import db
from concertation.i18n import N_

if TYPE_CHECKING:  # for the annotations of relationships (the modules import each other at run time)
    from concertation.accounts.models import User
    from concertation.consultations.models import Consultation
    from concertation.proposals.models import Proposal
    from concertation.texts.models import Paragraph

STANCES = {"for": N_("Pour"), "against": N_("Contre"), "neutral": N_("Neutre")}
MAX_DEPTH = 3
# How long the author may still correct a comment after writing it.
EDIT_WINDOW = timedelta(minutes=15)


class Comment(TimestampMixin, RichTextMixin, ModerationMixin, db.Model):
    __tablename__ = "comment"
    __table_args__ = (
        CheckConstraint("depth BETWEEN 1 AND 3", name="depth_range"),
        # Top-level comments of a proposal, newest first, paginated.
        Index("ix_comment_proposal_root_created", "proposal_id", "root_id", "created_at"),
        Index("ix_comment_consultation_root_created", "consultation_id", "root_id", "created_at"),
        Index("ix_comment_paragraph_root_created", "paragraph_id", "root_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(ForeignKey("consultation.id", ondelete="CASCADE"))
    # None for a comment on the consultation itself.
    proposal_id: Mapped[int | None] = mapped_column(ForeignKey("proposal.id", ondelete="CASCADE"))
    # Set (and proposal_id None) for a comment on a paragraph of a participatory text.
    paragraph_id: Mapped[int | None] = mapped_column(ForeignKey("text_paragraph.id", ondelete="CASCADE"))
    author_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("comment.id", ondelete="CASCADE"), index=True)
    # The top-level comment of the thread (None for a top-level comment): replies load in one query.
    root_id: Mapped[int | None] = mapped_column(ForeignKey("comment.id", ondelete="CASCADE"))
    depth: Mapped[int] = mapped_column(default=1)
    stance: Mapped[str | None] = mapped_column(String(10))
    edited_at: Mapped[datetime | None]
    deleted_at: Mapped[datetime | None]
    # Collected on paper or orally at a workshop and entered by an organiser (see workshops.services).
    workshop_id: Mapped[int | None] = mapped_column(ForeignKey("workshop.id"), index=True)

    author: Mapped["User"] = relationship(lazy="joined")
    # Many-to-one: once the consultation or proposal is in the session, no query is made.
    consultation: Mapped["Consultation"] = relationship()
    proposal: Mapped["Proposal | None"] = relationship()
    paragraph: Mapped["Paragraph | None"] = relationship()

    @property
    def stance_label(self) -> str | None:
        return STANCES.get(self.stance) if self.stance else None

    @property
    def is_collected(self) -> bool:
        return self.workshop_id is not None

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None
