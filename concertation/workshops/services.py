"""Workshops: announcing, registering (with a waiting list), cancelling, the outcome, retention.

Seats are given by one conditional statement, ``UPDATE workshop SET seats_taken = seats_taken + 1
WHERE id = … AND seats_taken < capacity``: the database lets one of two simultaneous requests for
the last seat through, the other gets a place on the waiting list. A seat given back goes to the
first person waiting by another conditional UPDATE (``… WHERE status = 'waiting'``), so two
cancellations at once never promote the same person twice.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import cast

from flask_babel import force_locale, gettext
from flask_babel import lazy_gettext as _l
from sqlalchemy import CursorResult, delete, func, select, update
from sqlalchemy.exc import IntegrityError

from concertation.accounts.models import User
from concertation.consultations.models import Consultation
from concertation.dates import long_datetime
from concertation.errors import ActionRefused
from concertation.extensions import db
from concertation.notifications.services import notify, path_for, rewrite_messages
from concertation.text import to_html
from concertation.workshops import notices
from concertation.workshops.models import CONFIRMED, MODES, WAITING, Workshop, WorkshopRegistration

TITLE_MAX = 150
DESCRIPTION_MAX = 10_000
MINUTES_MAX = 50_000
CAPACITY_MAX = 10_000


@dataclass
class WorkshopData:
    """What an organiser types to announce a workshop (times already in UTC)."""

    title: str
    starts_at: datetime
    ends_at: datetime
    capacity: int
    mode: str = "in_person"
    description: str = ""
    address: str = ""
    accessibility: str = ""
    online_url: str = ""


def _check(data: WorkshopData) -> None:
    title = (data.title or "").strip()
    if not 3 <= len(title) <= TITLE_MAX:
        raise ActionRefused(_l("Le titre doit faire entre 3 et 150 caractères."), field="title")
    if data.mode not in MODES:
        raise ActionRefused(_l("Choisissez en présentiel ou en ligne."), field="mode")
    if data.ends_at <= data.starts_at:
        raise ActionRefused(_l("L’atelier doit finir après son début."), field="end_time")
    if data.ends_at - data.starts_at > timedelta(hours=24):
        raise ActionRefused(_l("Un atelier dure au plus 24 heures."), field="end_time")
    if not 1 <= data.capacity <= CAPACITY_MAX:
        raise ActionRefused(_l("La capacité doit être comprise entre 1 et 10 000 places."), field="capacity")
    if len(data.description or "") > DESCRIPTION_MAX:
        raise ActionRefused(_l("La description doit faire au plus 10 000 caractères."), field="description")
    if data.mode == "in_person" and not (data.address or "").strip():
        raise ActionRefused(_l("Donnez l’adresse de l’atelier."), field="address")
    if data.mode == "online":
        url = (data.online_url or "").strip()
        if not url.startswith(("https://", "http://")) or any(c.isspace() for c in url) or len(url) > 500:
            raise ActionRefused(_l("Donnez le lien de l’atelier en ligne (une adresse https://…)."), field="online_url")


def _write(workshop: Workshop, data: WorkshopData) -> None:
    workshop.title = data.title.strip()
    workshop.description = (data.description or "").strip()
    workshop.description_html = to_html(workshop.description)
    workshop.starts_at, workshop.ends_at = data.starts_at, data.ends_at
    workshop.mode = data.mode
    online = data.mode == "online"
    workshop.address = "" if online else (data.address or "").strip()
    workshop.accessibility = (data.accessibility or "").strip()
    workshop.online_url = (data.online_url or "").strip() if online else ""


def announce_workshop(organiser: User, consultation: Consultation, data: WorkshopData, now: datetime) -> Workshop:
    """A new workshop of the consultation, open for registration until it starts; its followers are told.

    The same announcement posted twice (same title, same start) is the workshop announced the first time:
    the database keeps one, and its followers are told once.
    """
    _check(data)
    if data.starts_at <= now:
        raise ActionRefused(
            _l("Un atelier s’annonce avant qu’il ait lieu : choisissez une date à venir."), field="date"
        )
    workshop = Workshop(consultation=consultation, created_by_id=organiser.id, capacity=data.capacity, seats_taken=0)
    _write(workshop, data)
    try:
        with db.session.begin_nested():
            db.session.add(workshop)
            db.session.flush()
    except IntegrityError:
        existing = db.session.scalar(
            select(Workshop).where(
                Workshop.consultation_id == consultation.id,
                Workshop.starts_at == workshop.starts_at,
                Workshop.title == workshop.title,
            )
        )
        if existing is None:
            raise
        return existing
    notices.ask(workshop, notices.ANNOUNCED, now, organiser.id)
    return workshop


def _same_announcement_refused() -> ActionRefused:
    return ActionRefused(
        _l("Un autre atelier de la consultation porte déjà ce titre à cette heure : changez le titre ou l’horaire."),
        field="title",
    )


def update_workshop(workshop: Workshop, data: WorkshopData, now: datetime, editor: User | None = None) -> Workshop:
    """Correct the announcement; more seats go to the waiting list, fewer than those taken are refused.

    A new date, time or place is told to the people registered (a background task, after the commit).
    """
    if workshop.is_cancelled:
        raise ActionRefused(_l("Cet atelier est annulé : son annonce ne se modifie plus."), status=403)
    _check(data)
    db.session.refresh(workshop, ["seats_taken"])
    if data.capacity < workshop.seats_taken:
        raise ActionRefused(
            _l(
                "%(num)d personnes sont déjà inscrites : la capacité ne peut pas descendre en dessous.",
                num=workshop.seats_taken,
            ),
            field="capacity",
        )
    before = (workshop.starts_at, workshop.ends_at, workshop.mode, workshop.address, workshop.online_url)
    moved = data.starts_at != workshop.starts_at
    old_title = workshop.title
    _write(workshop, data)
    workshop.capacity = data.capacity
    try:
        with db.session.begin_nested():
            db.session.flush()
    except IntegrityError:
        raise _same_announcement_refused() from None
    if moved:  # a reminder sent for the old date says nothing of the new one
        db.session.execute(
            update(WorkshopRegistration)
            .where(WorkshopRegistration.workshop_id == workshop.id)
            .values(reminded_at=None)
            .execution_options(synchronize_session=False)
        )
    _promote(workshop, now)
    # The notifications already made about this workshop quote its new title (a derived copy follows its edits).
    rewrite_messages(old_title, workshop.title, [path_for("workshops.show", workshop_id=workshop.id)])
    after = (workshop.starts_at, workshop.ends_at, workshop.mode, workshop.address, workshop.online_url)
    if after != before and not workshop.has_started(now):
        notices.ask(workshop, notices.CHANGED, now, editor.id if editor is not None else None)
    return workshop


CANCELLATION_REASON_MAX = 200


def cancel_workshop(organiser: User, workshop: Workshop, reason: str, now: datetime) -> Workshop:
    """Cancel a coming workshop: registrations close, and the people registered are told why (after the commit)."""
    if workshop.has_started(now):
        raise ActionRefused(_l("Cet atelier a commencé : il ne peut plus être annulé."), status=403)
    reason = (reason or "").strip()
    if not 3 <= len(reason) <= CANCELLATION_REASON_MAX:
        raise ActionRefused(_l("Donnez le motif de l’annulation (entre 3 et 200 caractères)."), field="reason")
    # Conditional: two cancellations at once (a replayed request) cancel, and tell, once.
    cancelled = _rowcount(
        update(Workshop)
        .where(Workshop.id == workshop.id, Workshop.cancelled_at.is_(None))
        .values(cancelled_at=now, cancellation_reason=reason)
        .execution_options(synchronize_session=False)
    )
    if not cancelled:
        raise ActionRefused(_l("Cet atelier est déjà annulé."), status=409)
    db.session.refresh(workshop)
    notices.ask(workshop, notices.CANCELLED, now, organiser.id)
    return workshop


def workshops_of(consultation: Consultation) -> list[Workshop]:
    return list(
        db.session.scalars(
            select(Workshop)
            .where(Workshop.consultation_id == consultation.id)
            .order_by(Workshop.starts_at, Workshop.id)
        )
    )


# Registration ------------------------------------------------------------------------------


def registration_of(user: User, workshop: Workshop) -> WorkshopRegistration | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return db.session.scalar(
        select(WorkshopRegistration).where(
            WorkshopRegistration.workshop_id == workshop.id, WorkshopRegistration.user_id == user.id
        )
    )


def waiting_position(registration: WorkshopRegistration) -> int | None:
    """1 for the first person waiting; None for a confirmed registration."""
    if registration.status != WAITING:
        return None
    ahead = db.session.scalar(
        select(func.count()).where(
            WorkshopRegistration.workshop_id == registration.workshop_id,
            WorkshopRegistration.status == WAITING,
            (WorkshopRegistration.created_at < registration.created_at)
            | (
                (WorkshopRegistration.created_at == registration.created_at)
                & (WorkshopRegistration.id < registration.id)
            ),
        )
    )
    return int(ahead or 0) + 1


def _rowcount(statement) -> int:
    """The number of rows an UPDATE or DELETE changed."""
    return cast(CursorResult, db.session.execute(statement)).rowcount


def _take_seat(workshop: Workshop) -> bool:
    """One seat, if one is left: the conditional UPDATE lets one of two simultaneous requests through."""
    taken = _rowcount(
        update(Workshop)
        .where(Workshop.id == workshop.id, Workshop.seats_taken < Workshop.capacity)
        .values(seats_taken=Workshop.seats_taken + 1)
        .execution_options(synchronize_session=False)
    )
    return taken == 1


def register(user: User, workshop: Workshop, now: datetime) -> WorkshopRegistration:
    """Register `user`: a seat if one is left, otherwise a place on the waiting list."""
    if workshop.has_started(now):
        raise ActionRefused(_l("Cet atelier a commencé : les inscriptions sont closes."), status=403)
    if workshop.is_cancelled:
        raise ActionRefused(_l("Cet atelier est annulé : les inscriptions sont closes."), status=403)
    registration = WorkshopRegistration(workshop_id=workshop.id, user_id=user.id, status=WAITING, created_at=now)
    try:
        with db.session.begin_nested():
            db.session.add(registration)
            db.session.flush()
    except IntegrityError:
        raise ActionRefused(_l("Vous êtes déjà inscrit·e à cet atelier.")) from None
    # Nobody jumps the queue: free seats go to the people waiting in order, this person among them.
    _promote(workshop, now, quiet_for=registration.id)
    db.session.refresh(registration)
    return registration


def cancel(user: User, workshop: Workshop, now: datetime) -> list[WorkshopRegistration]:
    """Cancel `user`'s registration; a seat given back goes to the first person waiting. Returns who was promoted."""
    registration = registration_of(user, workshop)
    if registration is None:
        raise ActionRefused(_l("Vous n’êtes pas inscrit·e à cet atelier."), status=404)
    if workshop.has_started(now):
        raise ActionRefused(_l("Cet atelier a commencé : l’inscription ne peut plus être annulée."), status=403)
    return _drop(registration, workshop, now)


def _drop(registration: WorkshopRegistration, workshop: Workshop, now: datetime) -> list[WorkshopRegistration]:
    """Delete a registration; a confirmed one gives its seat to the first person waiting. Returns who was promoted."""
    return _delete(registration, workshop, now)[1]


def _delete(
    registration: WorkshopRegistration, workshop: Workshop, now: datetime
) -> tuple[bool, list[WorkshopRegistration]]:
    """Delete a registration: (whether this call deleted it, who was promoted to the seat it gave back).

    The status is read by the DELETE itself (a promotion may have confirmed it a moment ago), and
    leaving the waiting list touches no other row, so that it never waits on a promotion under way.
    """
    registration_id = registration.id
    db.session.expunge(registration)

    def gone(status: str) -> bool:
        return bool(
            _rowcount(
                delete(WorkshopRegistration)
                .where(WorkshopRegistration.id == registration_id, WorkshopRegistration.status == status)
                .execution_options(synchronize_session=False)
            )
        )

    # Waiting → confirmed is the only change a registration undergoes: two tries see its status.
    for _attempt in range(2):
        if gone(CONFIRMED):
            break
        if gone(WAITING):
            return True, []
    else:
        return False, []  # already deleted (the same request replayed, or two at once)
    db.session.execute(
        update(Workshop)
        .where(Workshop.id == workshop.id, Workshop.seats_taken > 0)
        .values(seats_taken=Workshop.seats_taken - 1)
        .execution_options(synchronize_session=False)
    )
    return True, _promote(workshop, now)


REMOVAL_REASON_MAX = 200


def remove_registration(
    organiser: User, workshop: Workshop, registration_id: int, reason: str, now: datetime
) -> list[WorkshopRegistration]:
    """An organiser takes a person off the workshop, with a reason the person is told; the seat goes to
    the first person waiting, as on a cancellation. Returns who was promoted.

    A replayed request finds the registration gone and changes nothing: nobody is promoted twice.
    """
    if workshop.has_started(now):
        raise ActionRefused(_l("Cet atelier a commencé : la liste des personnes inscrites ne change plus."), status=403)
    reason = (reason or "").strip()
    if not 3 <= len(reason) <= REMOVAL_REASON_MAX:
        raise ActionRefused(_l("Donnez le motif du retrait (entre 3 et 200 caractères)."), field="reason")
    registration = db.session.get(WorkshopRegistration, registration_id)
    gone = _l("Cette inscription n’existe plus : elle a peut-être déjà été retirée ou annulée.")
    if registration is None or registration.workshop_id != workshop.id:
        raise ActionRefused(gone, status=404)
    user_id = registration.user_id
    deleted, promoted = _delete(registration, workshop, now)
    if not deleted:
        raise ActionRefused(gone, status=404)
    # Stored in French, like every notification (notifications/services.py); emailed whatever the preference.
    notify(
        [user_id],
        notices.KIND,
        notices.say(
            "Votre inscription à l’atelier « {title} » du {when} a été retirée par l’équipe organisatrice. "
            "Motif : {reason}",
            title=workshop.title,
            when=long_datetime(workshop.starts_at),
            reason=reason,
        ),
        path_for("workshops.show", workshop_id=workshop.id),
        now,
        actor=organiser,
        always_email=True,
    )
    return promoted


def _promote(workshop: Workshop, now: datetime, quiet_for: int | None = None) -> list[WorkshopRegistration]:
    """Give free seats to the people waiting, first come first served; tell each of them by email
    (except the person registering at this moment, `quiet_for`, who sees it on the page)."""
    promoted: list[WorkshopRegistration] = []
    while True:
        waiting = list(
            db.session.scalars(
                select(WorkshopRegistration.id)
                .where(WorkshopRegistration.workshop_id == workshop.id, WorkshopRegistration.status == WAITING)
                .order_by(WorkshopRegistration.created_at, WorkshopRegistration.id)
                .limit(5)
            )
        )
        if not waiting:
            break
        for registration_id in waiting:
            if not _take_seat(workshop):
                db.session.expire(workshop, ["seats_taken"])
                return promoted
            moved = _rowcount(
                update(WorkshopRegistration)
                .where(WorkshopRegistration.id == registration_id, WorkshopRegistration.status == WAITING)
                .values(status=CONFIRMED)
                .execution_options(synchronize_session=False)
            )
            if not moved:  # someone else promoted (or the person cancelled) meanwhile: the seat goes back
                db.session.execute(
                    update(Workshop)
                    .where(Workshop.id == workshop.id)
                    .values(seats_taken=Workshop.seats_taken - 1)
                    .execution_options(synchronize_session=False)
                )
                continue
            registration = db.session.get(WorkshopRegistration, registration_id, populate_existing=True)
            assert registration is not None  # this transaction has just updated (and locked) its row
            if registration_id != quiet_for:
                registration.promoted_at = now
                promoted.append(registration)
                _tell_promoted(registration, workshop)
    db.session.expire(workshop, ["seats_taken"])
    return promoted


def _tell_promoted(registration: WorkshopRegistration, workshop: Workshop) -> None:
    from concertation.jobs import enqueue_email
    from concertation.security import public_url

    user = registration.user
    if not user.email or user.deleted_at is not None:
        return
    with force_locale(user.locale or "fr"):
        enqueue_email(
            user.email,
            gettext("Une place s’est libérée : « %(title)s »", title=workshop.title),
            gettext(
                "Bonjour %(name)s,\n\nUne place s’est libérée à l’atelier « %(title)s » du %(when)s : "
                "vous êtes inscrit·e. Si vous ne pouvez plus venir, annulez votre inscription pour "
                "laisser la place à la personne suivante :\n%(link)s\n",
                name=user.pseudonym,
                title=workshop.title,
                when=long_datetime(workshop.starts_at, user.locale or "fr"),
                link=public_url("workshops.show", workshop_id=workshop.id),
            ),
        )


def registrations(workshop: Workshop) -> list[WorkshopRegistration]:
    """The list of registered people (organisers only): confirmed first, then the waiting list in order."""
    return list(
        db.session.scalars(
            select(WorkshopRegistration)
            .join(User, User.id == WorkshopRegistration.user_id)
            .where(WorkshopRegistration.workshop_id == workshop.id)
            .order_by(
                (WorkshopRegistration.status == WAITING), WorkshopRegistration.created_at, WorkshopRegistration.id
            )
        )
    )


def waiting_count(workshop: Workshop) -> int:
    return int(
        db.session.scalar(
            select(func.count()).where(
                WorkshopRegistration.workshop_id == workshop.id, WorkshopRegistration.status == WAITING
            )
        )
        or 0
    )


# Reminders and retention --------------------------------------------------------------------


def send_reminders(now: datetime, ahead: timedelta = timedelta(hours=24)) -> int:
    """Email every confirmed person of a workshop starting within `ahead`, once (idempotent, safe to run twice at once)."""
    from concertation.jobs import enqueue_email
    from concertation.security import public_url

    due = db.session.execute(
        select(WorkshopRegistration.id, Workshop.id)
        .join(Workshop, Workshop.id == WorkshopRegistration.workshop_id)
        .where(
            WorkshopRegistration.status == CONFIRMED,
            WorkshopRegistration.reminded_at.is_(None),
            Workshop.starts_at > now,
            Workshop.starts_at <= now + ahead,
            Workshop.cancelled_at.is_(None),
        )
        .order_by(WorkshopRegistration.id)
    ).all()
    sent = 0
    for registration_id, workshop_id in due:
        claimed = _rowcount(
            update(WorkshopRegistration)
            .where(WorkshopRegistration.id == registration_id, WorkshopRegistration.reminded_at.is_(None))
            .values(reminded_at=now)
            .execution_options(synchronize_session=False)
        )
        if not claimed:
            continue
        registration = db.session.get(WorkshopRegistration, registration_id)
        workshop = db.session.get(Workshop, workshop_id)
        # This transaction has just updated (and locked) the registration's row, which holds its workshop.
        assert registration is not None and workshop is not None
        user = registration.user
        if not user.email or user.deleted_at is not None:
            continue
        locale = user.locale or "fr"
        with force_locale(locale):
            where = workshop.online_url if workshop.is_online else workshop.address
            enqueue_email(
                user.email,
                gettext("Rappel : atelier « %(title)s » demain", title=workshop.title),
                gettext(
                    "Bonjour %(name)s,\n\nVous êtes inscrit·e à l’atelier « %(title)s », le %(when)s.\n"
                    "Lieu : %(where)s\n\nLe détail de l’atelier et son fichier d’agenda :\n%(link)s\n\n"
                    "Si vous ne pouvez plus venir, annulez votre inscription depuis cette page : "
                    "la place ira à la personne suivante.\n",
                    name=user.pseudonym,
                    title=workshop.title,
                    when=long_datetime(workshop.starts_at, locale),
                    where=where,
                    link=public_url("workshops.show", workshop_id=workshop.id),
                ),
            )
        sent += 1
    return sent


def purge_registrations(now: datetime, retention_days: int) -> int:
    """Delete the lists of registered people `retention_days` after their workshop; the counts stay."""
    limit = now - timedelta(days=retention_days)
    ended = select(Workshop.id).where(Workshop.ends_at < limit)
    removed = _rowcount(
        delete(WorkshopRegistration)
        .where(WorkshopRegistration.workshop_id.in_(ended))
        .execution_options(synchronize_session=False)
    )
    db.session.execute(
        update(Workshop)
        .where(Workshop.ends_at < limit, Workshop.registrations_purged_at.is_(None))
        .values(registrations_purged_at=now)
        .execution_options(synchronize_session=False)
    )
    return int(removed or 0)


def forget_person(user: User, now: datetime) -> None:
    """A deleted account: its registrations are deleted; the seats of coming workshops go to the people waiting."""
    for registration in list(
        db.session.scalars(select(WorkshopRegistration).where(WorkshopRegistration.user_id == user.id))
    ):
        workshop = registration.workshop
        if workshop.has_started(now):
            # A past workshop's count of registered people stays as it was.
            db.session.delete(registration)
            db.session.flush()
        else:
            _drop(registration, workshop, now)


def registrations_of_person(user: User) -> list[dict]:
    """The person's registrations, for the download of their data."""
    rows = db.session.execute(
        select(
            Workshop.id,
            Workshop.title,
            Workshop.starts_at,
            WorkshopRegistration.status,
            WorkshopRegistration.created_at,
        )
        .join(Workshop, Workshop.id == WorkshopRegistration.workshop_id)
        .where(WorkshopRegistration.user_id == user.id)
        .order_by(WorkshopRegistration.id)
    ).all()
    return [
        {
            "workshop_id": wid,
            "workshop": title,
            "starts_at": starts.isoformat(),
            "status": status,
            "registered_at": registered.isoformat(),
        }
        for wid, title, starts, status, registered in rows
    ]
