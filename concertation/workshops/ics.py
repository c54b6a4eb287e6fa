"""A workshop as an iCalendar file (RFC 5545), written by hand: one VEVENT, times in UTC.

Lines end with CRLF and are folded at 75 octets (a continuation line starts with a space, never
inside a UTF-8 character); text values escape backslash, semicolon, comma and newlines (§3.3.11).
"""

from datetime import datetime
from urllib.parse import urlsplit

from concertation.workshops.models import Workshop

PRODID = "-//Concertation//Ateliers//FR"


def escape_text(value: str) -> str:
    return (
        (value or "")
        .replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
        .replace("\r", "\\n")
    )


def fold(line: str) -> str:
    """Fold a content line into pieces of at most 75 octets, never cutting a UTF-8 character."""
    pieces, current, size, limit = [], "", 0, 75
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > limit:
            pieces.append(current)
            current, size, limit = "", 0, 74  # the continuation's leading space counts
        current += char
        size += width
    pieces.append(current)
    return "\r\n ".join(pieces)


def _utc(moment: datetime) -> str:
    return moment.strftime("%Y%m%dT%H%M%SZ")


def workshop_ics(workshop: Workshop, page_url: str, now: datetime) -> str:
    """The calendar file of `workshop` (`page_url`: its public page, from the configured address)."""
    domain = urlsplit(page_url).hostname or "concertation.localhost"
    where = workshop.online_url if workshop.is_online else workshop.address
    description = "\n\n".join(
        part
        for part in (
            workshop.consultation.title,
            workshop.description,
            ("Accessibilité : " + workshop.accessibility) if workshop.accessibility else "",
            page_url,
        )
        if part
    )
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "BEGIN:VEVENT",
        f"UID:workshop-{workshop.id}@{domain}",
        f"DTSTAMP:{_utc(now)}",
        f"DTSTART:{_utc(workshop.starts_at)}",
        f"DTEND:{_utc(workshop.ends_at)}",
        f"LAST-MODIFIED:{_utc(workshop.updated_at)}",
        f"SUMMARY:{escape_text(workshop.title)}",
        f"DESCRIPTION:{escape_text(description)}",
        f"LOCATION:{escape_text(where)}",
        f"URL:{page_url}",
        "STATUS:CANCELLED" if workshop.is_cancelled else "STATUS:CONFIRMED",
        "END:VEVENT",
        "END:VCALENDAR",
    ]
    return "".join(fold(line) + "\r\n" for line in lines)
