"""People and their sign-in data."""

from datetime import datetime
from functools import cache
from typing import TYPE_CHECKING

from flask_login import UserMixin
from sqlalchemy import ForeignKey, String, bindparam, false, select
from sqlalchemy.orm import Mapped, joinedload, mapped_column, relationship, validates

from concertation.db import TimestampMixin
from concertation.extensions import db, login_manager

if TYPE_CHECKING:  # for the annotations of relationships (the modules import each other at run time)
    from concertation.moderation.models import Block
    from concertation.territories.models import Membership

DELETED_PSEUDONYM = "Participant·e supprimé·e"


class User(UserMixin, TimestampMixin, db.Model):
    __tablename__ = "user"

    id: Mapped[int] = mapped_column(primary_key=True)
    # Emails are stored lower-cased; None once the account is deleted.
    email: Mapped[str | None] = mapped_column(String(254), unique=True)
    pseudonym: Mapped[str] = mapped_column(String(40))
    name: Mapped[str | None] = mapped_column(String(120))
    password_hash: Mapped[str | None] = mapped_column(String(255))
    confirmed_at: Mapped[datetime | None]
    terms_accepted_at: Mapped[datetime | None]
    last_login_at: Mapped[datetime | None]
    deleted_at: Mapped[datetime | None]
    is_admin: Mapped[bool] = mapped_column(default=False)
    is_editor: Mapped[bool] = mapped_column(default=False)
    # The platform's own account that carries contributions collected at workshops (no email, no
    # password: nobody signs in with it). See workshops.services.collected_author.
    is_system: Mapped[bool] = mapped_column(default=False, server_default=false())
    locale: Mapped[str | None] = mapped_column(String(5))
    # Also receive each notification by email (off unless the person asks).
    notify_by_email: Mapped[bool] = mapped_column(default=False, server_default=false())
    # Part of the id kept in session and remember-me cookies: raising it (sign-out everywhere, new
    # password) ends every session opened before, and kills the links sent by email.
    session_version: Mapped[int] = mapped_column(default=0, server_default="0")
    # The pseudonym's confusable skeleton, hashed; kept after deletion so nobody else takes the name.
    pseudonym_key: Mapped[str | None] = mapped_column(String(64), index=True)
    # The territory the person declares living in (profile): some votes are open to its residents.
    residence_territory_id: Mapped[int | None] = mapped_column(ForeignKey("territory.id", ondelete="SET NULL"))

    # Read with the signed-in person (load_user), not with every author a page shows.
    memberships: Mapped[list["Membership"]] = relationship(back_populates="user", cascade="all, delete-orphan")
    # The territories' blocks in force against the person, read with them too (load_user): every page that
    # offers to take part asks it (permissions.blocked_in), and it is almost always empty.
    active_blocks: Mapped[list["Block"]] = relationship(
        primaryjoin="and_(Block.user_id == User.id, Block.lifted_at.is_(None))",
        foreign_keys="Block.user_id",
        viewonly=True,
    )

    @property
    def is_confirmed(self) -> bool:
        return self.confirmed_at is not None and self.deleted_at is None

    @property
    def is_active(self) -> bool:  # flask-login: deleted accounts cannot sign in
        return self.deleted_at is None

    @property
    def public_name(self) -> str:
        return DELETED_PSEUDONYM if self.deleted_at else self.pseudonym

    @validates("pseudonym")
    def _keep_pseudonym_key(self, _name: str, value: str) -> str:
        # Every way of naming someone (sign-up, profile, CLI, demo) keeps the key; deletion keeps the
        # old key, so that the deleted person's name stays reserved.
        if value != DELETED_PSEUDONYM:
            from concertation.accounts.pseudonyms import key

            self.pseudonym_key = key(value)
        return value

    def get_id(self) -> str:  # flask-login: what the session and the remember-me cookie hold
        return f"{self.id}-{self.session_version}"

    def roles_in(self, territory_id: int) -> set[str]:
        return {m.role for m in self.memberships if m.territory_id == territory_id}

    def __repr__(self) -> str:
        return f"<User {self.id} {self.pseudonym!r}>"


@cache
def _person_statement():
    """The person, their roles (with the roles' territories) and the blocks in force against them, in one statement.

    Built once, at first use (the models import each other), so that no request builds it again.
    """
    from concertation.moderation.models import Block

    return (
        select(User)
        .where(User.id == bindparam("person"))
        .options(joinedload(User.memberships), joinedload(User.active_blocks).lazyload(Block.user))
    )


@login_manager.user_loader
def load_user(session_id: str) -> User | None:
    """The person a session names, only while its version is the account's current one."""
    user_id, _, version = (session_id or "").partition("-")
    if not (user_id.isdigit() and version.isdigit()) or int(user_id) > 2**31 - 1:
        return None
    # Once per request: Flask-Login keeps the user on g.
    user = db.session.execute(_person_statement(), {"person": int(user_id)}).unique().scalar_one_or_none()
    if user is None or user.deleted_at is not None or user.session_version != int(version):
        return None
    return user
