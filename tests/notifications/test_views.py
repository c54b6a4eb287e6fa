"""Notification pages, follow buttons and the CLI through the test client."""

from sqlalchemy import select

from concertation.extensions import db
from concertation.notifications.models import Follow, Notification
from tests.factories import make_comment, make_consultation, make_proposal, make_user


def test_the_navigation_shows_the_unread_count(client, auth):
    user = make_user()
    make_comment(make_proposal(author=user))
    assert "Notifications" not in client.get("/").get_data(as_text=True)
    auth.login(user)
    assert "Notifications (1)" in client.get("/").get_data(as_text=True)


def test_opening_a_notification_marks_it_read_and_goes_there(client, auth):
    user = make_user()
    proposal = make_proposal(author=user)
    make_comment(proposal)
    notification = db.session.scalar(select(Notification))
    auth.login(make_user())
    assert client.post(f"/notifications/{notification.id}/ouvrir").status_code == 404
    auth.logout()
    auth.login(user)
    page = client.get("/notifications")
    assert page.status_code == 200 and "1 notification non lue" in page.get_data(as_text=True)
    response = client.post(f"/notifications/{notification.id}/ouvrir")
    assert response.status_code == 302 and f"/propositions/{proposal.id}#commentaire-" in response.headers["Location"]
    db.session.refresh(notification)
    assert notification.read_at is not None


def test_mark_all_read_and_preferences(client, auth):
    user = make_user()
    proposal = make_proposal(author=user)
    make_comment(proposal)
    make_comment(proposal)
    auth.login(user)
    assert client.post("/notifications/tout-marquer-comme-lu").status_code == 302
    assert "Notifications (0)" in client.get("/").get_data(as_text=True)
    assert client.post("/notifications/preferences", data={"notify_by_email": "y"}).status_code == 302
    db.session.refresh(user)
    assert user.notify_by_email
    client.post("/notifications/preferences", data={})
    db.session.refresh(user)
    assert not user.notify_by_email


def test_notifications_need_an_account(client):
    response = client.get("/notifications")
    assert response.status_code == 302 and "/compte/connexion" in response.headers["Location"]


def test_following_and_unfollowing(client, auth):
    proposal = make_proposal()
    consultation = proposal.consultation
    user = make_user()
    assert client.post(f"/propositions/{proposal.id}/suivre").status_code == 302  # to sign in
    auth.login(user)
    assert client.post(f"/propositions/{proposal.id}/suivre").status_code == 302
    assert client.post(f"/consultations/{consultation.id}/suivre").status_code == 302
    assert "Ne plus suivre" in client.get(f"/propositions/{proposal.id}").get_data(as_text=True)
    assert "Ne plus suivre la consultation" in client.get(f"/consultations/{consultation.id}").get_data(as_text=True)
    assert len(db.session.scalars(select(Follow).where(Follow.user_id == user.id)).all()) == 2
    client.post(f"/propositions/{proposal.id}/ne-plus-suivre")
    client.post(f"/consultations/{consultation.id}/ne-plus-suivre")
    assert db.session.scalars(select(Follow).where(Follow.user_id == user.id)).all() == []
    agents = make_consultation(audience="agents")
    assert client.post(f"/consultations/{agents.id}/suivre").status_code == 403
    assert client.post("/propositions/999999/suivre").status_code == 404


def test_notify_phases_command_is_idempotent(runner):
    consultation = make_consultation("vote")
    user = make_user()
    db.session.add(Follow(user_id=user.id, consultation_id=consultation.id))
    db.session.commit()
    first = runner.invoke(args=["notify-phases"])
    assert first.exit_code == 0 and ": 1" in first.output
    again = runner.invoke(args=["notify-phases"])
    assert again.exit_code == 0 and ": 0" in again.output
