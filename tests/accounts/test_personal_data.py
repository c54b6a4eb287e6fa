import json
from datetime import timedelta

from sqlalchemy import func, select

from concertation.accounts import personal_data
from concertation.accounts.models import User
from concertation.comments.models import Comment
from concertation.db import utcnow
from concertation.extensions import db
from concertation.notifications.models import Follow, Notification
from concertation.proposals.models import Proposal
from concertation.territories.services import create_invitation
from concertation.voting.models import Grade, Support
from tests.factories import PASSWORD, make_consultation, make_territory, make_user


def contributions(user):
    """A proposal, a comment, a support, a grade, a follow and a notification of `user`."""
    consultation = make_consultation("vote")
    proposal = Proposal(
        consultation=consultation,
        author=user,
        title="Former les agents avant tout",
        body="Des ateliers",
        body_html="<p>Des ateliers</p>",
        search_text="former",
    )
    db.session.add(proposal)
    db.session.flush()
    db.session.add_all(
        [
            Comment(
                consultation_id=consultation.id,
                proposal_id=proposal.id,
                author_id=user.id,
                body="Oui",
                body_html="<p>Oui</p>",
            ),
            Support(proposal_id=proposal.id, consultation_id=consultation.id, user_id=user.id),
            Grade(proposal_id=proposal.id, consultation_id=consultation.id, user_id=user.id, mention=5),
            Follow(user_id=user.id, proposal_id=proposal.id),
            Notification(user_id=user.id, kind="reply", message="Réponse", url="/"),
        ]
    )
    proposal.support_count = 1
    db.session.commit()
    return proposal


def test_export_contains_everything_about_the_person(app):
    user = make_user(name="Jeanne Dupont")
    contributions(user)
    data = personal_data.export_data(user)
    assert data["profile"]["email"] == user.email and data["profile"]["name"] == "Jeanne Dupont"
    assert [p["title"] for p in data["proposals"]] == ["Former les agents avant tout"]
    assert data["comments"][0]["body"] == "Oui"
    assert data["supports"][0]["proposal"] == "Former les agents avant tout"
    assert data["grades"][0]["mention"] == "Excellent"
    assert len(data["follows"]) == 1 and data["notifications"][0]["message"] == "Réponse"
    json.dumps(data)


def test_deletion_erases_the_person_keeps_contributions_and_counts(app):
    territory = make_territory()
    user = make_user("agent", territory, name="Jeanne Dupont")
    proposal = contributions(user)
    personal_data.delete_account(user, utcnow())
    db.session.commit()
    assert (user.email, user.name, user.password_hash) == (None, None, None)
    assert user.public_name == "Participant·e supprimé·e" and user.memberships == []
    assert db.session.get(Proposal, proposal.id).author.public_name == "Participant·e supprimé·e"
    assert db.session.scalar(select(func.count(Comment.id)).where(Comment.author_id == user.id)) == 1
    supports = db.session.scalars(select(Support).where(Support.proposal_id == proposal.id)).all()
    assert len(supports) == 1 and supports[0].user_id is None and proposal.support_count == 1
    assert db.session.scalar(select(Grade.user_id)) is None
    assert db.session.scalar(select(func.count(Follow.id))) == 0
    assert db.session.scalar(select(func.count(Notification.id))) == 0


def test_purge_applies_retention(app):
    old = make_user(confirmed=False, created_at=utcnow() - timedelta(days=30))
    recent = make_user(confirmed=False)
    confirmed_old = make_user(created_at=utcnow() - timedelta(days=30))
    _, token = create_invitation(confirmed_old, make_territory(), "x@exemple.org", utcnow() - timedelta(days=200))
    db.session.add(
        Notification(
            user_id=confirmed_old.id, kind="reply", message="Vieux", url="/", created_at=utcnow() - timedelta(days=400)
        )
    )
    db.session.commit()
    old_id = old.id
    counts = personal_data.purge(utcnow(), 7, 365, 90)
    db.session.commit()
    assert counts == {"unconfirmed_accounts": 1, "notifications": 1, "invitations": 1}
    db.session.expire_all()
    assert db.session.get(User, old_id) is None
    assert db.session.get(User, recent.id) is not None and db.session.get(User, confirmed_old.id) is not None


def test_purge_command(runner):
    make_user(confirmed=False, created_at=utcnow() - timedelta(days=30))
    result = runner.invoke(args=["purge"])
    assert result.exit_code == 0 and "Comptes non confirmés supprimés : 1" in result.output


def test_download_and_delete_through_the_pages(client, auth):
    user = make_user()
    contributions(user)
    auth.login(user)
    download = client.get("/compte/mes-donnees.json")
    assert download.status_code == 200 and "attachment" in download.headers["Content-Disposition"]
    assert json.loads(download.data)["profile"]["email"] == user.email

    wrong = client.post("/compte/supprimer", data={"password": "faux", "confirm": "y"})
    assert wrong.status_code == 422 and "incorrect" in wrong.get_data(as_text=True)
    unchecked = client.post("/compte/supprimer", data={"password": PASSWORD})
    assert unchecked.status_code == 422
    done = client.post("/compte/supprimer", data={"password": PASSWORD, "confirm": "y"})
    assert done.status_code == 302
    db.session.refresh(user)
    assert user.email is None and user.deleted_at is not None
    assert client.get("/compte/profil").status_code == 302


def test_personal_data_pages_need_sign_in(client):
    assert client.get("/compte/mes-donnees.json").status_code == 302
    assert client.post("/compte/supprimer", data={"password": "x", "confirm": "y"}).status_code == 302
