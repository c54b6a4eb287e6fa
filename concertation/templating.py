"""Template filters and globals: permissions, dates in Paris time, phases, user HTML."""

from datetime import datetime

from flask import Flask, g
from flask_babel import format_decimal, get_locale
from flask_login import current_user

from concertation import permissions, phases, query_args
from concertation.dates import long_date, long_datetime
from concertation.db import utcnow
from concertation.moderation.services import queues_for
from concertation.notifications.services import is_following, unread_count
from concertation.territories.names import territory_name
from concertation.text import user_html


def _format_datetime(value: datetime | None) -> str:
    return long_datetime(value, str(get_locale() or "fr"))


def _format_date(value: datetime | None) -> str:
    return long_date(value, str(get_locale() or "fr"))


def _can(action: str, target=None) -> bool:
    return permissions.can(current_user, action, target)


def _current_phase(consultation) -> str:
    return phases.current_phase(consultation.phases, utcnow())


def _moderation_queues() -> list:
    """For the navigation: an organiser's queues and their sizes, one query, made once per request."""
    if "moderation_queues" not in g:
        g.moderation_queues = queues_for(current_user)
    return g.moderation_queues


def _unread_notifications() -> int:
    """For the navigation: one COUNT, made only when a page shows it."""
    return unread_count(current_user)


def _following(proposal=None, consultation=None) -> bool:
    return is_following(current_user, proposal=proposal, consultation=consultation)


def register(app: Flask) -> None:
    app.jinja_env.filters.update(
        user_html=user_html,
        datetime=_format_datetime,
        date=_format_date,
        number=lambda n: format_decimal(n or 0),
        iso=lambda d: d.isoformat() if d else "",
        territory_name=territory_name,
    )
    app.jinja_env.globals.update(
        can=_can,
        current_phase=_current_phase,
        PHASE_ORDER=phases.PHASE_ORDER,
        PHASE_LABELS=phases.PHASE_LABELS,
        now=utcnow,
        get_locale=get_locale,
        moderation_queues=_moderation_queues,
        unread_notifications=_unread_notifications,
        following=_following,
        page_url=query_args.page_url,
        link_args=query_args.link_args,
    )
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
