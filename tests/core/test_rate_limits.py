"""Rate limits on contributions: per person, with a French 429 page, and nothing already saved is lost."""

from sqlalchemy import func, select

from concertation.comments.models import Comment
from concertation.extensions import db
from tests.factories import make_comment, make_consultation, make_proposal, make_user


def login(client, user):
    from tests.factories import PASSWORD

    assert client.post("/compte/connexion", data={"email": user.email, "password": PASSWORD}).status_code == 302


def test_commenting_is_limited_per_person(limited_app):
    client = limited_app.test_client()
    proposal = make_proposal(make_consultation("proposals"))
    login(client, make_user())
    statuses = [
        client.post(f"/propositions/{proposal.id}/commentaires", data={"body": f"Avis numéro {n}"}).status_code
        for n in range(3)
    ]
    assert statuses == [302, 302, 429]
    assert db.session.scalar(select(func.count(Comment.id))) == 2
    refused = client.post(f"/propositions/{proposal.id}/commentaires", data={"body": "Encore"})
    assert "Trop de requêtes" in refused.get_data(as_text=True)
    # Someone else is not slowed down by that person.
    other = limited_app.test_client()
    login(other, make_user())
    assert other.post(f"/propositions/{proposal.id}/commentaires", data={"body": "Mon avis"}).status_code == 302


def test_voting_is_limited_and_answers_json_when_asked(limited_app):
    client = limited_app.test_client()
    consultation = make_consultation("vote")
    proposals = [make_proposal(consultation) for _ in range(3)]
    login(client, make_user())
    answers = [
        client.post(
            f"/consultations/{consultation.id}/propositions/{p.id}/soutien", headers={"Accept": "application/json"}
        )
        for p in proposals
    ]
    assert [a.status_code for a in answers] == [200, 200, 429]
    assert answers[2].mimetype == "application/problem+json"


def test_reporting_and_proposing_are_limited(limited_app):
    client = limited_app.test_client()
    consultation = make_consultation("proposals")
    comments = [make_comment(make_proposal(consultation)) for _ in range(3)]
    login(client, make_user())
    statuses = [client.post(f"/signaler/commentaire/{c.id}", data={"reason": "spam"}).status_code for c in comments]
    assert statuses == [302, 302, 429]
    # Previews do not use up the limit on proposals: only publishing does.
    form = {
        "title": "Former les agents d’accueil à l’IA",
        "body": "Des ateliers.",
        "theme": str(consultation.themes[0].id),
    }
    drafts = [
        client.post(
            f"/consultations/{consultation.id}/propositions/nouvelle", data={**form, "action": "preview"}
        ).status_code
        for _ in range(4)
    ]
    assert drafts == [200, 200, 200, 200]
    published = [
        client.post(
            f"/consultations/{consultation.id}/propositions/nouvelle", data={**form, "action": "publish"}
        ).status_code
        for _ in range(3)
    ]
    assert published == [302, 302, 429]


def _database_away(*args, **kwargs):
    from sqlalchemy.exc import OperationalError

    raise OperationalError("SELECT 1", {}, Exception("server closed the connection unexpectedly"))


def test_requests_refused_during_a_database_outage_do_not_use_up_the_limits(limited_app, monkeypatch):
    from concertation.accounts import services as accounts
    from concertation.comments import services as comments
    from tests.factories import PASSWORD

    client = limited_app.test_client()
    user = make_user()
    proposal = make_proposal(make_consultation("proposals"))
    real_authenticate, real_add_comment = accounts.authenticate, comments.add_comment

    # The sign-in limit counts failures (3 per hour here): outages are not failures.
    monkeypatch.setattr(accounts, "authenticate", _database_away)
    assert [
        client.post("/compte/connexion", data={"email": user.email, "password": PASSWORD}).status_code for _ in range(4)
    ] == [503] * 4
    monkeypatch.setattr(accounts, "authenticate", real_authenticate)
    assert client.post("/compte/connexion", data={"email": user.email, "password": PASSWORD}).status_code == 302

    # Commenting (2 per hour here): three 503s, then both comments the person is allowed.
    monkeypatch.setattr(comments, "add_comment", _database_away)
    assert [
        client.post(f"/propositions/{proposal.id}/commentaires", data={"body": f"Avis {n}"}).status_code
        for n in range(3)
    ] == [503] * 3
    monkeypatch.setattr(comments, "add_comment", real_add_comment)
    assert [
        client.post(f"/propositions/{proposal.id}/commentaires", data={"body": f"Avis {n}"}).status_code
        for n in range(2)
    ] == [302, 302]
