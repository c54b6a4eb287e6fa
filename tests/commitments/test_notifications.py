"""Who is told when a commitment is made from, or moves after, a proposal they care about."""

from dataclasses import replace

from sqlalchemy import select

from concertation.commitments import services
from concertation.db import utcnow
from concertation.extensions import db
from concertation.jobs import OutboxMessage
from concertation.notifications.models import Notification
from concertation.notifications.services import follow
from tests.commitments.scenes import make_commitment, published_synthesis
from tests.factories import make_support, make_user


def notified(kind="commitment"):
    return db.session.scalars(select(Notification).where(Notification.kind == kind).order_by(Notification.id)).all()


def test_authors_supporters_and_followers_are_told_when_status_or_progress_changes_once_each():
    scene = published_synthesis()
    supporter, follower, bystander = make_user(), make_user(notify_by_email=True), make_user()
    make_support(scene.retained, supporter)
    follow(supporter, proposal=scene.retained)  # supports and follows: told once
    follow(follower, proposal=scene.retained)
    db.session.commit()
    commitment = make_commitment(scene)
    made = {n.user_id for n in notified()}
    assert {scene.retained.author_id, supporter.id, follower.id} <= made and bystander.id not in made
    assert scene.organiser.id not in made  # never the one who acted
    before = len(notified())
    services.update_commitment(
        scene.organiser, commitment, replace(services.data_of(commitment), progress=50), "", utcnow()
    )
    db.session.commit()
    moved = notified()[before:]
    assert sorted(n.user_id for n in moved) == sorted(made)
    assert all(n.url == f"/engagements/{commitment.id}" for n in moved)
    assert "Engagé, 50 %" in moved[0].message and scene.retained.title in moved[0].message
    # The follower asked for emails: the email waits in the outbox, written in the same transaction.
    assert db.session.scalar(select(OutboxMessage).where(OutboxMessage.recipient == follower.email)) is not None


def test_a_change_of_wording_alone_tells_nobody():
    scene = published_synthesis()
    commitment = make_commitment(scene)
    before = len(notified())
    services.update_commitment(
        scene.organiser,
        commitment,
        replace(services.data_of(commitment), title="Former tous les agents à l’IA"),
        "Titre précisé.",
        utcnow(),
    )
    db.session.commit()
    assert len(notified()) == before


def test_the_proposal_page_shows_what_it_became(client):
    scene = published_synthesis()
    commitment = make_commitment(scene)
    page = client.get(f"/propositions/{scene.retained.id}").get_data(as_text=True)
    assert "Ce qu’elle est devenue" in page
    assert f'href="/engagements/{commitment.id}"' in page and "Engagé" in page
    assert "Ce qu’elle est devenue" not in client.get(f"/propositions/{scene.other.id}").get_data(as_text=True)
