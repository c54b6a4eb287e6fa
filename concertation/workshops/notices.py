"""Telling people about a workshop: its announcement to the consultation's followers, a change of
date or place and a cancellation to the people registered.

The request that announces, moves or cancels a workshop only asks for a background task
(``concertation/tasks.py``, key ``workshop:<id>:<event>``) in its own transaction; the task makes
the notifications (and their emails, through the outbox) after the commit, in a worker or, without
a queue, in this process. A rolled-back request tells no one, and a long list of followers does not
slow the organiser's page down.

The announcement is told once: the task first claims ``Workshop.followers_notified_at`` with a
conditional UPDATE, so that a task run twice (a retry, a replayed request) makes no second
notification. Notifications are stored in French, like the others (notifications/services.py).
"""

from datetime import datetime
from typing import cast

from flask_babel import lazy_gettext as _l
from sqlalchemy import CursorResult, select, update

from concertation import tasks
from concertation.accounts.models import User
from concertation.dates import long_datetime
from concertation.errors import ActionRefused
from concertation.extensions import db
from concertation.i18n import french_typography
from concertation.notifications.models import Follow
from concertation.notifications.services import notify, path_for
from concertation.workshops.models import Workshop, WorkshopRegistration

NOTICE = "workshop_notice"
ANNOUNCED, CHANGED, CANCELLED = "announced", "changed", "cancelled"
KIND = "workshop"


def notice_key(workshop_id: int, event: str) -> str:
    return f"workshop:{workshop_id}:{event}"


def ask(workshop: Workshop, event: str, now: datetime, user_id: int | None) -> None:
    """Ask for the people concerned to be told of `event` once the current transaction commits."""
    params = {"workshop_id": workshop.id, "event": event}
    tasks.request_task(NOTICE, notice_key(workshop.id, event), workshop.consultation_id, now, params, user_id)


def say(template: str, **values) -> str:
    """A notification's French text: typography on the sentence, the values (titles, reasons) as typed."""
    return french_typography(template).format(**values)


def _where(workshop: Workshop) -> str:
    return "en ligne" if workshop.is_online else workshop.address


def _registered(workshop: Workshop):
    """Everyone registered, confirmed or waiting (a purged list tells no one)."""
    return db.session.scalars(
        select(WorkshopRegistration.user_id).where(WorkshopRegistration.workshop_id == workshop.id)
    )


def _announce(workshop: Workshop, now: datetime, actor) -> int:
    claimed = cast(
        CursorResult,
        db.session.execute(
            update(Workshop)
            .where(
                Workshop.id == workshop.id,
                Workshop.followers_notified_at.is_(None),
                Workshop.cancelled_at.is_(None),
            )
            .values(followers_notified_at=now)
            .execution_options(synchronize_session=False)
        ),
    ).rowcount
    if not claimed or workshop.has_started(now):
        return 0
    consultation = workshop.consultation
    followers = db.session.scalars(select(Follow.user_id).where(Follow.consultation_id == consultation.id))
    return notify(
        followers,
        KIND,
        say(
            "Un atelier est annoncé dans la consultation « {consultation} » : « {title} », le {when} ({where}).",
            consultation=consultation.title,
            title=workshop.title,
            when=long_datetime(workshop.starts_at),
            where=_where(workshop),
        ),
        path_for("workshops.show", workshop_id=workshop.id),
        now,
        actor=actor,
    )


def _changed(workshop: Workshop, now: datetime, actor) -> int:
    if workshop.is_cancelled or workshop.has_started(now):
        return 0
    return notify(
        _registered(workshop),
        KIND,
        say(
            "Votre atelier « {title} » change de date ou de lieu : il a lieu le {when} ({where}).",
            title=workshop.title,
            when=long_datetime(workshop.starts_at),
            where=_where(workshop),
        ),
        path_for("workshops.show", workshop_id=workshop.id),
        now,
        actor=actor,
        always_email=True,
    )


def _cancelled(workshop: Workshop, now: datetime, actor) -> int:
    if not workshop.is_cancelled:
        return 0
    return notify(
        _registered(workshop),
        KIND,
        say(
            "L’atelier « {title} » du {when} est annulé. Motif : {reason}",
            title=workshop.title,
            when=long_datetime(workshop.starts_at),
            reason=workshop.cancellation_reason,
        ),
        path_for("workshops.show", workshop_id=workshop.id),
        now,
        actor=actor,
        always_email=True,
    )


EVENTS = {ANNOUNCED: _announce, CHANGED: _changed, CANCELLED: _cancelled}


@tasks.handler(NOTICE)
def tell(task, now: datetime):
    """The task: make the notifications of one event of one workshop."""
    workshop = db.session.get(Workshop, task.params.get("workshop_id"))
    event = task.params.get("event")
    if workshop is None or event not in EVENTS:
        raise ActionRefused(_l("Cet atelier n’existe plus."), status=404)
    actor = db.session.get(User, task.requested_by_id) if task.requested_by_id else None
    made = EVENTS[event](workshop, now, actor)
    return {"notifications": made}, None
