"""An account's identities at OpenID Connect providers (FranceConnect, ProConnect)."""

from datetime import datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from concertation.accounts.models import User
from concertation.db import utcnow
from concertation.extensions import db


class LinkedIdentity(db.Model):
    """One person's identity at one provider: the provider's subject (`sub`) opens this account.

    Only what the platform needs is kept: the subject, the assurance level (`acr`) of the last
    sign-in (FranceConnect's « eidas1 »…) and, for ProConnect, the SIRET of the organisation that
    made the person an agent. Names, birth dates and the tokens are never stored.
    """

    __tablename__ = "linked_identity"
    __table_args__ = (UniqueConstraint("provider", "subject"), UniqueConstraint("user_id", "provider"))

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    provider: Mapped[str] = mapped_column(String(20))
    subject: Mapped[str] = mapped_column(String(255))
    acr: Mapped[str | None] = mapped_column(String(100))
    siret: Mapped[str | None] = mapped_column(String(14))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_login_at: Mapped[datetime | None]

    user: Mapped[User] = relationship()

    def __repr__(self) -> str:
        return f"<LinkedIdentity {self.provider} user={self.user_id}>"
