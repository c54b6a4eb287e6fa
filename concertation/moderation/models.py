"""Reports, the append-only moderation log, and blocks of participants in a territory."""

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint, event
from sqlalchemy.orm import Mapped, mapped_column, relationship

from concertation.db import utcnow
from concertation.extensions import db
from concertation.i18n import N_

if TYPE_CHECKING:  # for the annotations of relationships (the modules import each other at run time)
    from concertation.accounts.models import User

REPORT_REASONS = {
    "spam": N_("Spam ou publicité"),
    "abuse": N_("Propos injurieux ou haineux"),
    "off_topic": N_("Hors sujet"),
    "personal_data": N_("Données personnelles"),
    "other": N_("Autre"),
}

ACTIONS = {
    "auto_hide": N_("Masquage automatique après signalements"),
    "hide": N_("Masquage"),
    "restore": N_("Rétablissement"),
    "dismiss": N_("Signalements classés"),
    "redact": N_("Données personnelles retirées"),
    "approve": N_("Publication après modération"),
    "reject": N_("Refus après modération"),
    "block": N_("Blocage d’un·e participant·e"),
    "unblock": N_("Fin de blocage"),
}


# A report concerns exactly one contribution: a proposal, a comment or an amendment of a text.
ONE_TARGET = (
    "(CASE WHEN proposal_id IS NULL THEN 0 ELSE 1 END) + (CASE WHEN comment_id IS NULL THEN 0 ELSE 1 END)"
    " + (CASE WHEN amendment_id IS NULL THEN 0 ELSE 1 END) = 1"
)


class Report(db.Model):
    __tablename__ = "report"
    __table_args__ = (
        UniqueConstraint("reporter_id", "proposal_id", name="uq_report_reporter_proposal"),
        UniqueConstraint("reporter_id", "comment_id", name="uq_report_reporter_comment"),
        UniqueConstraint("reporter_id", "amendment_id", name="uq_report_reporter_amendment"),
        CheckConstraint(ONE_TARGET, name="one_target"),
        Index("ix_report_territory_open", "territory_id", "resolved_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    territory_id: Mapped[int] = mapped_column(ForeignKey("territory.id", ondelete="CASCADE"))
    proposal_id: Mapped[int | None] = mapped_column(ForeignKey("proposal.id", ondelete="CASCADE"), index=True)
    comment_id: Mapped[int | None] = mapped_column(ForeignKey("comment.id", ondelete="CASCADE"), index=True)
    amendment_id: Mapped[int | None] = mapped_column(ForeignKey("amendment.id", ondelete="CASCADE"), index=True)
    reporter_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    reason: Mapped[str] = mapped_column(String(20))
    detail: Mapped[str] = mapped_column(String(1000), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Set when an organiser decides (hide, restore or dismiss); open reports have none.
    resolved_at: Mapped[datetime | None]

    @property
    def reason_label(self) -> str:
        return REPORT_REASONS.get(self.reason, self.reason)


class ModerationAction(db.Model):
    """One line of the audit log: who did what, when, why, with the text before and after.

    Append-only: the ORM refuses updates and deletes, and database triggers too (migration 0004).
    """

    __tablename__ = "moderation_action"
    __table_args__ = (Index("ix_moderation_action_territory_created", "territory_id", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    territory_id: Mapped[int] = mapped_column(ForeignKey("territory.id"))
    # None when the platform acted by itself (automatic hiding after K reports).
    moderator_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    action: Mapped[str] = mapped_column(String(20))
    target_type: Mapped[str] = mapped_column(String(20))  # proposal | comment | amendment | user
    target_id: Mapped[int]
    reason: Mapped[str] = mapped_column(String(500), default="")
    before: Mapped[str | None] = mapped_column(Text)
    after: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    moderator: Mapped["User | None"] = relationship(lazy="joined")

    @property
    def action_label(self) -> str:
        return ACTIONS.get(self.action, self.action)


@event.listens_for(ModerationAction, "before_update")
@event.listens_for(ModerationAction, "before_delete")
def _append_only(mapper, connection, target) -> None:
    raise ValueError("the moderation log is append-only")


class Block(db.Model):
    """A participant blocked in a territory: no new contributions, votes already cast are kept."""

    __tablename__ = "block"
    __table_args__ = (Index("ix_block_user_territory", "user_id", "territory_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    territory_id: Mapped[int] = mapped_column(ForeignKey("territory.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    reason: Mapped[str] = mapped_column(String(500))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    lifted_at: Mapped[datetime | None]

    user: Mapped["User"] = relationship(foreign_keys=[user_id], lazy="joined")
