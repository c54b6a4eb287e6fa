"""Times are stored in UTC and shown, or typed, in Europe/Paris."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

PARIS = ZoneInfo("Europe/Paris")


def paris_to_utc(naive: datetime | None) -> datetime | None:
    """A wall-clock time typed in Paris (a form's datetime-local) as an aware UTC datetime."""
    if naive is None:
        return None
    return naive.replace(tzinfo=PARIS).astimezone(UTC)


def utc_to_paris(value: datetime | None) -> datetime | None:
    if value is None:
        return None
    return value.astimezone(PARIS)
