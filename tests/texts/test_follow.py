"""Following a participatory text: the followers hear of its adopted version (in the app, and by email if asked)."""

from sqlalchemy import func, select

from concertation.accounts.personal_data import delete_account, export_data
from concertation.db import utcnow
from concertation.extensions import db
from concertation.jobs import OutboxMessage
from concertation.notifications.models import Notification
from concertation.texts import services
from concertation.texts.models import TextFollow
from tests.factories import make_user
from tests.texts.scene import make_amendment, make_text


def page(response) -> str:
    return response.get_data(as_text=True)


def _adopt(text):
    organiser = make_user("organiser", text.consultation.territory)
    amendment = make_amendment(text, 2)
    services.answer_amendment(organiser, amendment, "accepted", "", utcnow())
    version = services.publish_version(organiser, text, utcnow())
    db.session.commit()
    return version, organiser


def test_followers_are_told_of_the_adopted_version_and_by_email_when_they_asked(app):
    text = make_text()
    follower, by_email, gone = make_user(), make_user(), make_user()
    by_email.notify_by_email = True
    for user in (follower, by_email, gone):
        assert services.follow(user, text, utcnow())
    assert not services.follow(follower, text, utcnow())  # twice changes nothing
    services.unfollow(gone, text)
    db.session.commit()

    version, _organiser = _adopt(text)
    told = db.session.execute(
        select(Notification.user_id, Notification.url, Notification.message).where(Notification.kind == "text_version")
    ).all()
    assert {row.user_id for row in told} == {follower.id, by_email.id}
    assert all(row.url == f"/textes/versions/{version.id}" for row in told)
    assert "version adoptée n° 1" in told[0].message
    emails = db.session.scalars(select(OutboxMessage.subject).where(OutboxMessage.recipient == by_email.email)).all()
    assert len(emails) == 1 and emails[0].endswith("Nouvelle version d’un texte")
    assert not db.session.scalar(select(func.count(OutboxMessage.id)).where(OutboxMessage.recipient == follower.email))


def test_the_follow_button_toggles_and_a_visitor_sees_none(client, auth):
    text = make_text()
    assert "Suivre ce texte" not in page(client.get(f"/textes/{text.id}"))
    user = make_user()
    auth.login(user)
    assert "Suivre ce texte" in page(client.get(f"/textes/{text.id}"))
    assert client.post(f"/textes/{text.id}/suivre").status_code == 302
    assert services.is_following(user, text)
    assert "Ne plus suivre ce texte" in page(client.get(f"/textes/{text.id}"))
    assert client.post(f"/textes/{text.id}/suivre").status_code == 302
    assert not services.is_following(user, text)
    assert client.post(f"/textes/{text.id}/suivre", csrf=False).status_code == 400


def test_a_draft_cannot_be_followed_by_a_participant(client, auth):
    text = make_text(status="draft")
    auth.login(make_user())
    assert client.post(f"/textes/{text.id}/suivre").status_code == 403
    assert client.post("/textes/999999/suivre").status_code == 404


def test_follows_are_in_the_data_download_and_go_with_the_account(app):
    text = make_text()
    user = make_user()
    services.follow(user, text, utcnow())
    db.session.commit()
    assert [f["text_id"] for f in export_data(user)["text_follows"]] == [text.id]
    delete_account(user, utcnow())
    db.session.commit()
    assert db.session.scalar(select(func.count(TextFollow.id))) == 0
