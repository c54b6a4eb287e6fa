"""Workshops without HTTP: announcing, registering with a waiting list, cancelling, reminders, retention."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from concertation.db import utcnow
from concertation.errors import ActionRefused
from concertation.extensions import db
from concertation.jobs import OutboxMessage
from concertation.workshops import services as ws
from concertation.workshops.models import CONFIRMED, WAITING, Workshop, WorkshopRegistration
from tests.factories import make_consultation, make_user, make_workshop, workshop_data


def _outbox(subject_part: str) -> list[OutboxMessage]:
    return [m for m in db.session.scalars(select(OutboxMessage)) if subject_part in m.subject]


def test_an_organiser_announces_a_workshop_with_its_description_sanitised(app):
    consultation = make_consultation()
    organiser = make_user("organiser", consultation.territory)
    workshop = ws.announce_workshop(
        organiser, consultation, workshop_data(description="**Venez** <script>x</script>"), utcnow()
    )
    db.session.commit()
    assert workshop.description_html.startswith("<p><strong>Venez</strong>")
    assert "<script>" not in workshop.description_html
    assert ws.workshops_of(consultation) == [workshop]


@pytest.mark.parametrize(
    "changes, field",
    [
        ({"title": "A"}, "title"),
        ({"capacity": 0}, "capacity"),
        ({"address": ""}, "address"),
        ({"mode": "online", "online_url": "javascript:alert(1)"}, "online_url"),
        ({"starts_at": utcnow() - timedelta(days=1)}, "date"),
    ],
)
def test_an_announcement_that_breaks_a_rule_is_refused_next_to_its_field(app, changes, field):
    consultation = make_consultation()
    organiser = make_user("organiser", consultation.territory)
    with pytest.raises(ActionRefused) as refusal:
        ws.announce_workshop(organiser, consultation, workshop_data(**changes), utcnow())
    assert refusal.value.field == field


def test_an_online_workshop_keeps_its_link_and_no_address(app):
    consultation = make_consultation()
    organiser = make_user("organiser", consultation.territory)
    workshop = ws.announce_workshop(
        organiser, consultation, workshop_data(mode="online", online_url="https://visio.exemple.org/a"), utcnow()
    )
    assert workshop.online_url == "https://visio.exemple.org/a" and workshop.address == ""


def test_registrations_beyond_the_capacity_wait_in_order_and_move_up_on_cancellation(app):
    workshop = make_workshop(capacity=2)
    first, second, third, fourth = (make_user() for _ in range(4))
    now = utcnow()
    assert [ws.register(u, workshop, now).status for u in (first, second, third, fourth)] == [
        CONFIRMED,
        CONFIRMED,
        WAITING,
        WAITING,
    ]
    db.session.commit()
    assert ws.waiting_position(ws.registration_of(fourth, workshop)) == 2

    promoted = ws.cancel(first, workshop, now)
    db.session.commit()
    assert [r.user_id for r in promoted] == [third.id]
    assert ws.registration_of(first, workshop) is None
    assert ws.registration_of(third, workshop).status == CONFIRMED
    assert ws.waiting_position(ws.registration_of(fourth, workshop)) == 1
    assert db.session.get(Workshop, workshop.id).seats_taken == 2
    # The person promoted is told by email that a seat is theirs.
    [mail] = _outbox("place s’est libérée")
    assert mail.recipient == third.email and f"/ateliers/{workshop.id}" in mail.body


def test_one_registration_per_person(app):
    workshop = make_workshop()
    person = make_user()
    ws.register(person, workshop, utcnow())
    db.session.commit()
    with pytest.raises(ActionRefused):
        ws.register(person, workshop, utcnow())
    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(WorkshopRegistration)) == 1
    assert db.session.get(Workshop, workshop.id).seats_taken == 1


def test_cancelling_from_the_waiting_list_frees_no_seat(app):
    workshop = make_workshop(capacity=1)
    seated, waiting = make_user(), make_user()
    ws.register(seated, workshop, utcnow())
    ws.register(waiting, workshop, utcnow())
    assert ws.cancel(waiting, workshop, utcnow()) == []
    db.session.commit()
    assert db.session.get(Workshop, workshop.id).seats_taken == 1
    assert ws.registration_of(seated, workshop).status == CONFIRMED


def test_no_registration_nor_cancellation_once_the_workshop_started(app):
    workshop = make_workshop(starts_in=timedelta(days=3))
    person = make_user()
    ws.register(person, workshop, utcnow())
    later = workshop.starts_at + timedelta(minutes=1)
    with pytest.raises(ActionRefused):
        ws.register(make_user(), workshop, later)
    with pytest.raises(ActionRefused):
        ws.cancel(person, workshop, later)


def test_more_seats_go_to_the_waiting_list_and_fewer_than_taken_are_refused(app):
    workshop = make_workshop(capacity=1)
    people = [make_user() for _ in range(3)]
    for person in people:
        ws.register(person, workshop, utcnow())
    db.session.commit()
    data = workshop_data(capacity=2, starts_at=workshop.starts_at)
    ws.update_workshop(workshop, data, utcnow())
    db.session.commit()
    assert ws.registration_of(people[1], workshop).status == CONFIRMED
    assert ws.registration_of(people[2], workshop).status == WAITING
    with pytest.raises(ActionRefused) as refusal:
        ws.update_workshop(workshop, workshop_data(capacity=1, starts_at=workshop.starts_at), utcnow())
    assert refusal.value.field == "capacity"


def test_the_reminder_goes_once_to_confirmed_people_the_day_before(app):
    soon = make_workshop(capacity=1, starts_in=timedelta(hours=20))
    later = make_workshop(starts_in=timedelta(days=4))
    seated, waiting, other = make_user(), make_user(), make_user()
    ws.register(seated, soon, utcnow())
    ws.register(waiting, soon, utcnow())
    ws.register(other, later, utcnow())
    db.session.commit()
    assert ws.send_reminders(utcnow()) == 1
    db.session.commit()
    assert ws.send_reminders(utcnow()) == 0  # run again (every hour): nothing more
    db.session.commit()
    [mail] = _outbox("Rappel")
    assert mail.recipient == seated.email
    assert "Médiathèque" in mail.body and f"/ateliers/{soon.id}" in mail.body


def test_the_lists_of_registered_people_are_deleted_after_the_retention_period(app):
    old = make_workshop(starts_in=timedelta(days=1))
    recent = make_workshop(starts_in=timedelta(days=1))
    for workshop in (old, recent):
        ws.register(make_user(), workshop, utcnow())
    db.session.commit()
    old.starts_at, old.ends_at = utcnow() - timedelta(days=40), utcnow() - timedelta(days=40, hours=-2)
    recent.starts_at, recent.ends_at = utcnow() - timedelta(days=3), utcnow() - timedelta(days=3, hours=-2)
    db.session.commit()
    assert ws.purge_registrations(utcnow(), 30) == 1
    db.session.commit()
    assert ws.registrations(old) == [] and len(ws.registrations(recent)) == 1
    assert old.registrations_purged_at is not None and recent.registrations_purged_at is None
    assert old.seats_taken == 1  # the figure stays, the names go


def test_a_workshop_moved_to_another_day_is_reminded_again(app):
    workshop = make_workshop(starts_in=timedelta(hours=20))
    person = make_user()
    ws.register(person, workshop, utcnow())
    assert ws.send_reminders(utcnow()) == 1
    db.session.commit()
    later = workshop.starts_at + timedelta(days=2)
    ws.update_workshop(workshop, workshop_data(starts_at=later, capacity=10), utcnow())
    db.session.commit()
    assert ws.send_reminders(utcnow()) == 0  # not yet: the new date is in three days
    assert ws.send_reminders(later - timedelta(hours=5)) == 1
