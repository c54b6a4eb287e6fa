"""Who is told what about a workshop, without HTTP: its announcement to the consultation's followers,
a move or a cancellation to the people registered, an organiser taking someone off the list."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from concertation import tasks
from concertation.db import utcnow
from concertation.errors import ActionRefused
from concertation.extensions import db
from concertation.jobs import OutboxMessage
from concertation.notifications.models import Notification
from concertation.notifications.services import follow
from concertation.workshops import notices
from concertation.workshops import services as ws
from concertation.workshops.models import CONFIRMED, WAITING, Workshop, WorkshopRegistration
from tests.factories import make_consultation, make_user, make_workshop, workshop_data


def messages_of(user) -> list[str]:
    return list(
        db.session.scalars(
            select(Notification.message).where(Notification.user_id == user.id).order_by(Notification.id)
        )
    )


def emails_to(user) -> list[OutboxMessage]:
    return list(db.session.scalars(select(OutboxMessage).where(OutboxMessage.recipient == user.email)))


def scene():
    consultation = make_consultation()
    organiser = make_user("organiser", consultation.territory)
    by_email = make_user(notify_by_email=True)
    in_app = make_user()
    for person in (organiser, by_email, in_app):
        follow(person, consultation=consultation)
    db.session.commit()
    return consultation, organiser, by_email, in_app


def test_announcing_tells_the_followers_after_the_commit_in_the_app_and_by_email_as_they_chose(app):
    consultation, organiser, by_email, in_app = scene()
    stranger = make_user(notify_by_email=True)
    workshop = ws.announce_workshop(organiser, consultation, workshop_data(), utcnow())
    assert messages_of(by_email) == []  # nothing is told inside the request
    db.session.commit()
    db.session.expire_all()
    for person in (by_email, in_app):
        [message] = messages_of(person)
        assert (
            "«\u00a0Atelier numérique\u00a0»" in message
            and consultation.title in message
            and "Salle des fêtes" in message
        )
    assert messages_of(organiser) == [] and messages_of(stranger) == []
    [email] = emails_to(by_email)
    assert f"/ateliers/{workshop.id}" in email.body
    assert emails_to(in_app) == [] and emails_to(organiser) == []
    assert db.session.get(Workshop, workshop.id).followers_notified_at is not None


def test_an_announcement_posted_twice_is_one_workshop_told_once(app):
    consultation, organiser, by_email, in_app = scene()
    starts = utcnow() + timedelta(days=5)
    first = ws.announce_workshop(organiser, consultation, workshop_data(starts_at=starts), utcnow())
    db.session.commit()
    second = ws.announce_workshop(organiser, consultation, workshop_data(starts_at=starts), utcnow())
    db.session.commit()
    assert second.id == first.id
    assert db.session.scalar(select(func.count()).select_from(Workshop)) == 1
    # The task asked again (a retry, a replay) finds the announcement told and tells no one twice.
    notices.ask(first, notices.ANNOUNCED, utcnow(), organiser.id)
    db.session.commit()
    db.session.expire_all()
    assert len(messages_of(by_email)) == 1 and len(messages_of(in_app)) == 1
    assert len(emails_to(by_email)) == 1


def test_a_rolled_back_announcement_tells_no_one(app):
    consultation, organiser, by_email, _in_app = scene()
    ws.announce_workshop(organiser, consultation, workshop_data(), utcnow())
    db.session.rollback()
    assert messages_of(by_email) == [] and emails_to(by_email) == []
    assert db.session.scalar(select(func.count()).select_from(tasks.Task)) == 0


def _registered(capacity=1):
    workshop = make_workshop(capacity=capacity)
    organiser = make_user("organiser", workshop.consultation.territory)
    confirmed, waiting = make_user(), make_user()
    ws.register(confirmed, workshop, utcnow())
    ws.register(waiting, workshop, utcnow() + timedelta(seconds=1))
    db.session.commit()
    return workshop, organiser, confirmed, waiting


def test_moving_a_workshop_tells_everyone_registered_by_email_whatever_their_preference(app):
    workshop, organiser, confirmed, waiting = _registered()
    later = workshop.starts_at + timedelta(days=2)
    data = workshop_data(title=workshop.title, starts_at=later, capacity=1, address="Mairie, salle du conseil")
    ws.update_workshop(workshop, data, utcnow(), organiser)
    db.session.commit()
    db.session.expire_all()
    for person in (confirmed, waiting):
        [message] = messages_of(person)
        assert "change de date ou de lieu" in message and "Mairie, salle du conseil" in message
        [email] = emails_to(person)
        assert "Mairie, salle du conseil" in email.body
    assert messages_of(organiser) == []


def test_correcting_only_the_description_or_the_seats_tells_no_one(app):
    workshop, organiser, confirmed, waiting = _registered()
    data = workshop_data(
        title=workshop.title,
        starts_at=workshop.starts_at,
        ends_at=workshop.ends_at,
        capacity=3,
        address=workshop.address,
        description="Un programme plus précis.",
    )
    ws.update_workshop(workshop, data, utcnow(), organiser)
    db.session.commit()
    assert messages_of(confirmed) == [] and messages_of(waiting) == []


def test_cancelling_tells_the_registered_people_why_and_closes_registrations(app):
    workshop, organiser, confirmed, waiting = _registered()
    ws.cancel_workshop(organiser, workshop, "La salle est inondée.", utcnow())
    db.session.commit()
    db.session.expire_all()
    for person in (confirmed, waiting):
        [message] = messages_of(person)
        assert "est annulé" in message and "La salle est inondée." in message
        assert len(emails_to(person)) == 1
    with pytest.raises(ActionRefused):
        ws.register(make_user(), workshop, utcnow())
    db.session.rollback()
    with pytest.raises(ActionRefused) as again:
        ws.cancel_workshop(organiser, workshop, "Encore", utcnow())
    assert again.value.status == 409
    db.session.rollback()
    # No reminder for a cancelled workshop.
    assert ws.send_reminders(utcnow(), ahead=timedelta(days=30)) == 0


def test_a_cancellation_needs_a_reason_and_a_coming_workshop(app):
    workshop, organiser, _confirmed, _waiting = _registered()
    with pytest.raises(ActionRefused) as refusal:
        ws.cancel_workshop(organiser, workshop, "  ", utcnow())
    assert refusal.value.field == "reason"
    past = make_workshop(starts_in=timedelta(days=-1))
    with pytest.raises(ActionRefused) as refusal:
        ws.cancel_workshop(organiser, past, "Trop tard", utcnow())
    assert refusal.value.status == 403


def test_removing_a_registrant_tells_them_why_and_promotes_the_first_person_waiting(app):
    workshop, organiser, confirmed, waiting = _registered()
    third = make_user()
    ws.register(third, workshop, utcnow() + timedelta(seconds=2))
    db.session.commit()
    registration = ws.registration_of(confirmed, workshop)
    promoted = ws.remove_registration(organiser, workshop, registration.id, "Inscrit deux fois.", utcnow())
    db.session.commit()
    assert [r.user_id for r in promoted] == [waiting.id]
    assert ws.registration_of(confirmed, workshop) is None
    assert ws.registration_of(waiting, workshop).status == CONFIRMED
    assert ws.registration_of(third, workshop).status == WAITING
    [message] = messages_of(confirmed)
    assert "retirée" in message and "Inscrit deux fois." in message
    assert any("Inscrit deux fois." in e.body for e in emails_to(confirmed))  # whatever their preference
    assert any("Une place s’est libérée" in e.subject for e in emails_to(waiting))
    # The same request replayed: nothing changes, nobody else is promoted, nobody is told twice.
    with pytest.raises(ActionRefused) as replay:
        ws.remove_registration(organiser, workshop, registration.id, "Inscrit deux fois.", utcnow())
    assert replay.value.status == 404
    db.session.rollback()
    assert ws.registration_of(third, workshop).status == WAITING
    assert db.session.get(Workshop, workshop.id).seats_taken == 1
    assert len(messages_of(confirmed)) == 1


def test_removing_someone_from_the_waiting_list_frees_no_seat(app):
    workshop, organiser, confirmed, waiting = _registered()
    registration = ws.registration_of(waiting, workshop)
    assert ws.remove_registration(organiser, workshop, registration.id, "Hors du territoire.", utcnow()) == []
    db.session.commit()
    assert ws.registration_of(confirmed, workshop).status == CONFIRMED
    assert db.session.scalar(select(func.count()).select_from(WorkshopRegistration)) == 1


def test_a_removal_needs_a_reason_a_coming_workshop_and_a_registration_of_that_workshop(app):
    workshop, organiser, confirmed, _waiting = _registered()
    registration = ws.registration_of(confirmed, workshop)
    with pytest.raises(ActionRefused) as refusal:
        ws.remove_registration(organiser, workshop, registration.id, "", utcnow())
    assert refusal.value.field == "reason"
    other = make_workshop()
    with pytest.raises(ActionRefused) as refusal:
        ws.remove_registration(organiser, other, registration.id, "Mauvais atelier", utcnow())
    assert refusal.value.status == 404
    with pytest.raises(ActionRefused) as refusal:
        ws.remove_registration(
            organiser, workshop, registration.id, "Trop tard", workshop.starts_at + timedelta(minutes=1)
        )
    assert refusal.value.status == 403
    db.session.rollback()
    assert ws.registration_of(confirmed, workshop) is not None


def test_a_corrected_title_is_corrected_in_the_notifications_already_made(app):
    consultation, organiser, by_email, _in_app = scene()
    workshop = ws.announce_workshop(organiser, consultation, workshop_data(title="Atelier numérque"), utcnow())
    db.session.commit()
    data = workshop_data(title="Atelier numérique", starts_at=workshop.starts_at, ends_at=workshop.ends_at)
    ws.update_workshop(workshop, data, utcnow(), organiser)
    db.session.commit()
    [message] = messages_of(by_email)
    assert "«\u00a0Atelier numérique\u00a0»" in message and "numérque" not in message


def test_a_savepoint_in_the_same_transaction_does_not_start_the_notice_before_the_commit(app):
    consultation, organiser, by_email, _in_app = scene()
    person = make_user()
    starts = utcnow() + timedelta(days=5)
    workshop = ws.announce_workshop(organiser, consultation, workshop_data(starts_at=starts), utcnow())
    # Registering uses a SAVEPOINT (begin_nested); its release is no commit: nobody is told yet.
    ws.register(person, workshop, utcnow())
    # The same announcement again: a SAVEPOINT rolled back, the first workshop returned.
    assert ws.announce_workshop(organiser, consultation, workshop_data(starts_at=starts), utcnow()).id == workshop.id
    assert messages_of(by_email) == []
    db.session.commit()
    db.session.expire_all()
    assert len(messages_of(by_email)) == 1
