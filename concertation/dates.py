"""Times are stored in UTC and shown, or typed, in Europe/Paris."""

from datetime import UTC, date, datetime
from typing import overload
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_datetime

PARIS = ZoneInfo("Europe/Paris")


@overload
def paris_to_utc(naive: datetime) -> datetime: ...
@overload
def paris_to_utc(naive: None) -> None: ...
@overload
def paris_to_utc(naive: datetime | None) -> datetime | None: ...
def paris_to_utc(naive: datetime | None) -> datetime | None:
    """A wall-clock time typed in Paris (a form's datetime-local) as an aware UTC datetime."""
    if naive is None:
        return None
    return naive.replace(tzinfo=PARIS).astimezone(UTC)


@overload
def utc_to_paris(value: datetime) -> datetime: ...
@overload
def utc_to_paris(value: None) -> None: ...
@overload
def utc_to_paris(value: datetime | None) -> datetime | None: ...
def utc_to_paris(value: datetime | None) -> datetime | None:
    if value is None:
        return None
    return value.astimezone(PARIS)


def _in_paris(value: date | datetime) -> date | datetime:
    if isinstance(value, datetime):
        return (value if value.tzinfo else value.replace(tzinfo=UTC)).astimezone(PARIS)
    return value


def long_date(value: date | datetime | None, locale: str = "fr") -> str:
    """The day in Paris, written out: « 1er décembre 2026 », « 2 décembre 2026 »; "December 1, 2026" in English.

    The one date format of the pages, the PDF and the ODT: French writes the first of the month as an
    ordinal (« le 1er décembre »), which no CLDR pattern does.
    """
    if value is None:
        return ""
    day = _in_paris(value)
    if not locale.startswith("fr"):
        return format_date(day, "MMMM d, y", locale="en")
    return format_date(day, "'1er' MMMM y" if day.day == 1 else "d MMMM y", locale="fr")


def long_datetime(value: datetime | None, locale: str = "fr") -> str:
    """« 1er décembre 2026 à 9h05 » in Paris time; "December 1, 2026, 9:05 AM" in English."""
    if value is None:
        return ""
    moment = _in_paris(value)
    if not locale.startswith("fr"):
        return format_datetime(moment, "MMMM d, y, h:mm a", tzinfo=PARIS, locale="en")
    time = format_datetime(moment, "H'h'mm", tzinfo=PARIS, locale="fr")
    return f"{long_date(moment)} à {time}"
