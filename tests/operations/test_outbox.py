"""The outbox: an email leaves once, after the commit; never after a rollback; failures retry, then wait for an admin."""

import socket
from datetime import timedelta

from sqlalchemy import func, select

from concertation import jobs
from concertation.db import utcnow
from concertation.extensions import db
from tests.factories import make_user
from tests.operations.smtp_sink import Sink


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_a_rolled_back_transaction_sends_nothing(app, outbox):
    jobs.enqueue_email("ana@example.org", "Objet", "Corps")
    db.session.flush()
    db.session.rollback()
    db.session.commit()
    assert outbox == []
    assert db.session.scalar(select(func.count(jobs.OutboxMessage.id))) == 0


def test_a_committed_email_is_sent_once_with_a_stable_message_id(app, outbox):
    jobs.enqueue_email("ana@example.org", "Objet", "Corps")
    assert outbox == []  # nothing leaves before the commit
    db.session.commit()
    assert [m["To"] for m in outbox] == ["ana@example.org"]
    assert outbox[0]["Message-ID"].startswith("<outbox-")
    assert jobs.sweep(utcnow() + timedelta(hours=1)) == 0
    assert len(outbox) == 1
    assert db.session.scalar(select(jobs.OutboxMessage.status)) == jobs.SENT


def test_a_failing_smtp_server_is_retried_with_backoff_then_lands_in_the_dead_letters(app, outbox):
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=closed_port(), MAIL_USE_TLS=False, JOBS_MAX_ATTEMPTS=3)
    start = utcnow()
    jobs.enqueue_email("ana@example.org", "Objet", "Corps")
    db.session.commit()
    message = db.session.scalar(select(jobs.OutboxMessage))
    assert (message.status, message.attempts) == (jobs.PENDING, 1)
    assert "ConnectionRefused" in message.last_error
    first_wait = message.next_attempt_at - start
    assert timedelta(seconds=29) < first_wait < timedelta(seconds=40)
    db.session.commit()
    assert jobs.sweep(start + timedelta(seconds=5)) == 0  # not yet due: nothing tried
    jobs.sweep(start + timedelta(seconds=31))
    db.session.refresh(message)
    assert message.attempts == 2 and message.status == jobs.PENDING
    assert message.next_attempt_at - (start + timedelta(seconds=31)) == timedelta(seconds=60)  # doubled
    jobs.sweep(start + timedelta(seconds=100))
    db.session.refresh(message)
    assert (message.status, message.attempts) == (jobs.DEAD, 3)
    assert jobs.sweep(start + timedelta(days=1)) == 0  # the dead stay dead until an admin retries
    assert jobs.dead_letters() == [message]


def test_an_admin_sees_the_dead_letters_and_retries_one(app, client, auth, outbox):
    admin = make_user("admin")
    dead = jobs.OutboxMessage(
        recipient="ana@example.org",
        subject="Confirmez",
        body="Corps",
        status=jobs.DEAD,
        attempts=5,
        last_error="SMTPRecipientsRefused: boîte pleine",
    )
    db.session.add(dead)
    db.session.commit()
    auth.login(admin)
    page = client.get("/admin/envois").get_data(as_text=True)
    assert "ana@example.org" in page and "boîte pleine" in page and "Relancer" in page
    response = client.post("/admin/envois", data={"message_id": dead.id}, follow_redirects=True)
    assert "est relancé" in response.get_data(as_text=True)
    assert [m["To"] for m in outbox] == ["ana@example.org"]
    db.session.refresh(dead)
    assert dead.status == jobs.SENT
    # Retrying twice (a double click) sends nothing more.
    client.post("/admin/envois", data={"message_id": dead.id})
    assert len(outbox) == 1


def test_the_dead_letters_are_for_admins_only(app, client, auth):
    user = make_user(email="ana@example.org")
    auth.login(user)
    assert client.get("/admin/envois").status_code == 403


def test_a_request_that_commits_sends_its_email_once_through_real_smtp(app, client):
    sink = Sink()
    try:
        app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=sink.port, MAIL_USE_TLS=False)
        user = make_user(email="ana@example.org")
        client.post("/compte/mot-de-passe-oublie", data={"email": user.email})
        assert [m["To"] for m in sink.messages] == ["ana@example.org"]
        jobs.sweep(utcnow() + timedelta(hours=1))
        assert len(sink.messages) == 1
    finally:
        sink.stop()


def test_a_request_that_fails_after_writing_an_email_sends_nothing(app, client, outbox):
    from flask import abort

    def refuses_after_writing():
        jobs.enqueue_email("ana@example.org", "Objet", "Corps")
        db.session.flush()  # the row exists in the transaction…
        abort(409)  # …which the failing request never commits

    app.add_url_rule("/essai-annule", "essai_annule", refuses_after_writing, methods=["POST"])
    assert client.post("/essai-annule").status_code == 409
    jobs.sweep(utcnow() + timedelta(hours=1))
    assert outbox == []
    assert db.session.scalar(select(func.count(jobs.OutboxMessage.id))) == 0
