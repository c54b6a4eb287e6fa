"""Workshops announced in a consultation, and the people registered for them.

A workshop keeps its seats taken in a counter (``seats_taken``) moved only by conditional
UPDATE statements, so that two people registering at once for the last seat cannot both get it
(see services.register). Registrations are personal data: they are deleted
``WORKSHOP_RETENTION_DAYS`` after the workshop by ``flask purge``; the figures stay.
"""

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from concertation.db import TimestampMixin, utcnow
from concertation.extensions import db
from concertation.i18n import N_

if TYPE_CHECKING:
    from concertation.accounts.models import User
    from concertation.consultations.models import Consultation

MODES = {"in_person": N_("En présentiel"), "online": N_("En ligne")}
CONFIRMED, WAITING = "confirmed", "waiting"


class Workshop(TimestampMixin, db.Model):
    __tablename__ = "workshop"
    __table_args__ = (
        CheckConstraint("capacity >= 1", name="capacity_positive"),
        CheckConstraint("seats_taken >= 0 AND seats_taken <= capacity", name="seats_within_capacity"),
        CheckConstraint("ends_at > starts_at", name="ends_after_start"),
        CheckConstraint("attendees IS NULL OR attendees >= 0", name="attendees_positive"),
        Index("ix_workshop_consultation_starts", "consultation_id", "starts_at"),
        # The same announcement posted twice (a double click, a replayed request) is one workshop.
        UniqueConstraint("consultation_id", "starts_at", "title"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(ForeignKey("consultation.id", ondelete="CASCADE"))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    title: Mapped[str] = mapped_column(String(150))
    description: Mapped[str] = mapped_column(Text, default="")
    description_html: Mapped[str] = mapped_column(Text, default="")
    starts_at: Mapped[datetime]
    ends_at: Mapped[datetime]
    mode: Mapped[str] = mapped_column(String(10), default="in_person")
    address: Mapped[str] = mapped_column(String(300), default="")
    accessibility: Mapped[str] = mapped_column(Text, default="")
    online_url: Mapped[str] = mapped_column(String(500), default="")
    capacity: Mapped[int]
    # Confirmed registrations, kept exact by conditional UPDATEs (never counted in Python).
    seats_taken: Mapped[int] = mapped_column(default=0)
    # After the workshop: its minutes (Markdown, sanitised once by text.py) and how many came.
    minutes: Mapped[str] = mapped_column(Text, default="")
    minutes_html: Mapped[str] = mapped_column(Text, default="")
    attendees: Mapped[int | None]
    # When the list of registered people was deleted (retention); the counts stay.
    registrations_purged_at: Mapped[datetime | None]
    # When the consultation's followers were told of the announcement (once, by a background task).
    followers_notified_at: Mapped[datetime | None]
    # Cancelled by an organiser: registrations close, the registered people are told why.
    cancelled_at: Mapped[datetime | None]
    cancellation_reason: Mapped[str] = mapped_column(Text, default="")

    consultation: Mapped["Consultation"] = relationship(lazy="joined")

    @property
    def mode_label(self) -> str:
        return MODES.get(self.mode, self.mode)

    @property
    def is_online(self) -> bool:
        return self.mode == "online"

    @property
    def is_cancelled(self) -> bool:
        return self.cancelled_at is not None

    def has_started(self, now: datetime | None = None) -> bool:
        return self.starts_at <= (now or utcnow())

    def __repr__(self) -> str:
        return f"<Workshop {self.id} {self.title[:30]!r}>"


class WorkshopRegistration(db.Model):
    """One person registered for one workshop (unique in the database): confirmed or waiting."""

    __tablename__ = "workshop_registration"
    __table_args__ = (
        UniqueConstraint("workshop_id", "user_id"),
        # The waiting list, in the order people joined it.
        Index("ix_workshop_registration_waiting", "workshop_id", "status", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(ForeignKey("workshop.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    status: Mapped[str] = mapped_column(String(10), default=WAITING)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    promoted_at: Mapped[datetime | None]
    # The reminder of the day before, sent once (claimed by a conditional UPDATE).
    reminded_at: Mapped[datetime | None]

    workshop: Mapped[Workshop] = relationship()
    user: Mapped["User"] = relationship()
