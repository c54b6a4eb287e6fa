"""Follows and notifications, without HTTP."""

from datetime import timedelta

from sqlalchemy import func, select

from concertation.db import utcnow
from concertation.extensions import db
from concertation.notifications import services
from concertation.notifications.models import Follow, Notification
from tests.factories import make_comment, make_consultation, make_proposal, make_user


def _kinds(user) -> list[str]:
    return list(
        db.session.scalars(select(Notification.kind).where(Notification.user_id == user.id).order_by(Notification.id))
    )


def test_following_twice_changes_nothing_and_unfollowing_works(app):
    user, consultation = make_user(), make_consultation()
    services.follow(user, consultation=consultation)
    services.follow(user, consultation=consultation)
    db.session.commit()
    assert db.session.scalar(select(func.count(Follow.id))) == 1
    assert services.is_following(user, consultation=consultation)
    services.unfollow(user, consultation=consultation)
    assert not services.is_following(user, consultation=consultation)
    assert not services.is_following(None, consultation=consultation)


def test_a_comment_notifies_followers_and_the_replied_person_once_never_the_actor(app):
    author = make_user()
    proposal = make_proposal(author=author)  # the author follows it
    follower, commenter = make_user(), make_user()
    services.follow(follower, proposal=proposal)
    db.session.commit()
    first = make_comment(proposal, follower)
    assert _kinds(author) == ["comment_on_followed"] and _kinds(follower) == []
    make_comment(parent=first, author=commenter)
    assert _kinds(follower) == ["reply"], "told once, as the replied person"
    assert _kinds(author) == ["comment_on_followed", "comment_on_followed"]
    assert _kinds(commenter) == []
    message = db.session.scalar(select(Notification.message).where(Notification.kind == "reply"))
    assert commenter.public_name in message


def test_deleted_accounts_are_not_notified(app):
    author = make_user(deleted_at=utcnow())
    proposal = make_proposal(author=author)
    make_comment(proposal)
    assert _kinds(author) == []


def test_phase_openings_are_announced_once_to_followers(app):
    now = utcnow()
    consultation = make_consultation("proposals", now=now)
    follower, other = make_user(), make_user()
    services.follow(follower, consultation=consultation)
    db.session.commit()
    assert services.notify_phases(now) == 1  # the proposals phase; the information phase is over, not announced
    db.session.commit()
    assert services.notify_phases(now) == 0
    assert services.notify_phases(now + timedelta(days=31)) == 1  # the vote opens
    db.session.commit()
    assert _kinds(follower) == ["phase_opened", "phase_opened"] and _kinds(other) == []
    assert all(p.notified_at is not None for p in consultation.phases if p.starts_at <= now + timedelta(days=31))


def test_email_only_for_those_who_asked(app, outbox):
    quiet, loud = make_user(), make_user(notify_by_email=True)
    proposal_quiet, proposal_loud = make_proposal(author=quiet), make_proposal(author=loud)
    make_comment(proposal_quiet)
    make_comment(proposal_loud)
    assert [m["To"] for m in outbox] == [loud.email]
    assert "/propositions/" in outbox[0].get_content()
    assert db.session.scalar(select(Notification.emailed_at).where(Notification.user_id == loud.id))


def test_unread_count_and_marking_read(app):
    user = make_user()
    proposal = make_proposal(author=user)
    make_comment(proposal)
    make_comment(proposal)
    assert services.unread_count(user) == 2
    first = db.session.scalars(select(Notification).where(Notification.user_id == user.id)).first()
    services.mark_read(first, utcnow())
    assert services.unread_count(user) == 1
    assert services.mark_all_read(user, utcnow()) == 1
    db.session.commit()
    assert services.unread_count(user) == 0
    assert services.unread_count(None) == 0


def test_a_follow_made_meanwhile_by_another_request_is_found_not_duplicated(app):
    from unittest import mock

    proposal = make_proposal()
    reader = make_user()
    # Another request inserted the follow between this one's check and its insert.
    db.session.add(Follow(user_id=reader.id, proposal_id=proposal.id))
    db.session.commit()
    with mock.patch(
        "concertation.notifications.services._follow_query",
        side_effect=[select(Follow).where(Follow.id == -1), select(Follow).where(Follow.user_id == reader.id)],
    ):
        found = services.follow(reader, proposal=proposal)
    db.session.commit()
    assert found.user_id == reader.id
    assert db.session.scalar(select(func.count(Follow.id)).where(Follow.user_id == reader.id)) == 1


def test_email_links_come_from_the_configuration_never_from_the_requests_host(app, outbox):
    author = make_user(notify_by_email=True)
    proposal = make_proposal(author=author)
    with app.test_request_context("/", base_url="http://pirate.example"):
        make_comment(proposal)
    body = outbox[-1].get_content()
    assert "pirate.example" not in body
    assert f"http://localhost/propositions/{proposal.id}" in body
