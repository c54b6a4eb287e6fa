"""Many people registering at once for the last seats, and cancellations at once: never more people
seated than seats, nobody promoted twice, the counter equal to the confirmed registrations.

Each thread works as a request does, in its own application context and database session.
The full race needs PostgreSQL; on SQLite the writers queue one after the other.
"""

from datetime import timedelta

from sqlalchemy import func, select

from concertation.accounts.models import User
from concertation.db import utcnow
from concertation.extensions import db
from concertation.workshops import services as ws
from concertation.workshops.models import CONFIRMED, WAITING, Workshop, WorkshopRegistration
from tests.factories import make_user, make_workshop
from tests.voting.test_concurrency import needs_postgres, run_together


def _register(user_id, workshop_id):
    def job():
        ws.register(db.session.get(User, user_id), db.session.get(Workshop, workshop_id), utcnow())

    return job


def _cancel(user_id, workshop_id):
    def job():
        ws.cancel(db.session.get(User, user_id), db.session.get(Workshop, workshop_id), utcnow())

    return job


def _counts(workshop_id) -> dict:
    db.session.expire_all()
    statuses = dict(
        db.session.execute(
            select(WorkshopRegistration.status, func.count())
            .where(WorkshopRegistration.workshop_id == workshop_id)
            .group_by(WorkshopRegistration.status)
        ).all()
    )
    return {
        "confirmed": statuses.get(CONFIRMED, 0),
        "waiting": statuses.get(WAITING, 0),
        "seats_taken": db.session.get(Workshop, workshop_id).seats_taken,
    }


def _race_for_the_last_seat(app, people: int):
    workshop = make_workshop(capacity=3, starts_in=timedelta(days=2))
    ws.register(make_user(), workshop, utcnow())
    ws.register(make_user(), workshop, utcnow())
    db.session.commit()
    racers = [make_user().id for _ in range(people)]
    outcomes = run_together(app, [_register(user_id, workshop.id) for user_id in racers])
    assert outcomes["ok"] == people, outcomes
    assert _counts(workshop.id) == {"confirmed": 3, "waiting": people - 1, "seats_taken": 3}


def test_two_people_at_once_for_the_last_seat_one_gets_it(app):
    _race_for_the_last_seat(app, 2)


@needs_postgres
def test_many_people_at_once_for_the_last_seat_one_gets_it(app):
    _race_for_the_last_seat(app, 8)


def test_the_same_person_registering_twice_at_once_is_registered_once(app):
    workshop = make_workshop(capacity=5)
    person = make_user()
    outcomes = run_together(app, [_register(person.id, workshop.id) for _ in range(2)])
    assert outcomes["ok"] == 1, outcomes
    assert _counts(workshop.id) == {"confirmed": 1, "waiting": 0, "seats_taken": 1}


@needs_postgres
def test_cancellations_at_once_promote_each_person_waiting_once(app):
    workshop = make_workshop(capacity=3)
    seated = [make_user() for _ in range(3)]
    waiting = [make_user() for _ in range(2)]
    for person in seated + waiting:
        ws.register(person, workshop, utcnow())
    db.session.commit()
    outcomes = run_together(app, [_cancel(person.id, workshop.id) for person in seated])
    assert outcomes["ok"] == 3, outcomes
    assert _counts(workshop.id) == {"confirmed": 2, "waiting": 0, "seats_taken": 2}


def _remove(organiser_id, workshop_id, registration_id):
    def job():
        ws.remove_registration(
            db.session.get(User, organiser_id),
            db.session.get(Workshop, workshop_id),
            registration_id,
            "Inscription en double.",
            utcnow(),
        )

    return job


def test_the_same_removal_sent_twice_at_once_promotes_one_person_waiting_once(app):
    from concertation.notifications.models import Notification

    workshop = make_workshop(capacity=1)
    organiser = make_user("organiser", workshop.consultation.territory)
    seated, first_waiting, second_waiting = make_user(), make_user(), make_user()
    for person in (seated, first_waiting, second_waiting):
        ws.register(person, workshop, utcnow())
    db.session.commit()
    registration_id = ws.registration_of(seated, workshop).id
    outcomes = run_together(app, [_remove(organiser.id, workshop.id, registration_id) for _ in range(2)])
    assert outcomes["ok"] == 1, outcomes
    assert _counts(workshop.id) == {"confirmed": 1, "waiting": 1, "seats_taken": 1}
    assert ws.registration_of(first_waiting, workshop).status == CONFIRMED
    told = db.session.scalar(select(func.count()).where(Notification.user_id == seated.id))
    assert told == 1
