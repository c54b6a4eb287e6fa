"""The declarative base, shared column types and mixins."""

import time
import weakref
from datetime import UTC, datetime

from sqlalchemy import DateTime, MetaData, String, Text, event, exc
from sqlalchemy.engine import Dialect, Engine
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, registry
from sqlalchemy.types import TypeDecorator

# Stable constraint names, so that Alembic migrations name things the same on every database.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    """The current time, timezone-aware, in UTC."""
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator):
    """A timezone-aware UTC datetime on every database (SQLite forgets the zone)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime stored; use timezone-aware UTC datetimes")
        value = value.astimezone(UTC)
        if dialect.name == "sqlite":
            return value.replace(tzinfo=None)
        return value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


class Base(DeclarativeBase):
    registry = registry(
        metadata=MetaData(naming_convention=NAMING_CONVENTION),
        type_annotation_map={datetime: UTCDateTime(), str: String(255)},
    )


class TimestampMixin:
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class RichTextMixin:
    """Text as typed, and its sanitised HTML made once when it is written (see text.py)."""

    body: Mapped[str] = mapped_column(Text, default="")
    body_html: Mapped[str] = mapped_column(Text, default="")


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, connection_record) -> None:
    """SQLite as the embedded default: write-ahead log, foreign keys enforced, patient locks."""
    if type(dbapi_connection).__module__.startswith("sqlite3"):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=5000")
        cursor.close()


_PING_AFTER: weakref.WeakKeyDictionary[Engine, float] = weakref.WeakKeyDictionary()


def ping_when_idle(engine: Engine, seconds: float) -> None:
    """Check a pooled connection before a request uses it, but only if it has waited more than `seconds`.

    A connection used a moment ago is handed over as it is (no round trip per request, unlike
    ``pool_pre_ping``); one that waited longer (the database may have restarted meanwhile, or closed it)
    is pinged first and, if dead, replaced before the request sees it. A connection that dies between two
    close requests fails that request with the French 503 page (errors.py), and SQLAlchemy then replaces
    every connection of the pool opened before the failure.

    Apps that share an engine (the tests' apps do) listen once, with the wait of the last one.
    """
    listening = engine in _PING_AFTER
    _PING_AFTER[engine] = seconds
    if listening:
        return

    @event.listens_for(engine, "checkin")
    def _idle_from(dbapi_connection, record) -> None:
        record.info["idle_since"] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _ping_if_idle(dbapi_connection, record, proxy) -> None:
        since = record.info.get("idle_since")
        if since is None or time.monotonic() - since <= _PING_AFTER[engine]:
            return  # a new connection, or one used a moment ago
        try:
            engine.dialect.do_ping(dbapi_connection)
        except engine.dialect.loaded_dbapi.Error as error:
            # The pool discards this connection and checks out another (a fresh one if need be).
            raise exc.DisconnectionError(str(error)) from error


class ModerationMixin:
    """Moderation hides, it never deletes: content stays with the state and reason of its moderation.

    ``moderation`` is "visible", "pending" (pre-moderation: waits for an organiser) or "hidden".
    """

    moderation: Mapped[str] = mapped_column(String(10), default="visible", index=True)
    moderation_reason: Mapped[str | None] = mapped_column(String(500))
    moderated_at: Mapped[datetime | None]

    @property
    def is_visible(self) -> bool:
        return self.moderation == "visible"
