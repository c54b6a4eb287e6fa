"""Comment routes through the test client."""

import re
from datetime import timedelta

from sqlalchemy import select

from concertation.comments.models import Comment
from concertation.extensions import db
from tests.factories import make_comment, make_consultation, make_proposal, make_user


def test_commenting_a_proposal_with_a_stance(client, auth):
    proposal = make_proposal()
    auth.login(make_user())
    response = client.post(
        f"/propositions/{proposal.id}/commentaires", data={"body": "Bonne idée, **vraiment**.", "stance": "for"}
    )
    assert response.status_code == 302
    comment = db.session.scalar(select(Comment))
    assert response.headers["Location"].endswith(f"/propositions/{proposal.id}#commentaire-{comment.id}")
    html = client.get(f"/propositions/{proposal.id}").get_data(as_text=True)
    assert "<strong>vraiment</strong>" in html and "Pour\u00a0: 1" in html and "1 commentaire" in html


def test_an_empty_comment_comes_back_with_a_french_message(client, auth):
    proposal = make_proposal()
    auth.login(make_user())
    response = client.post(f"/propositions/{proposal.id}/commentaires", data={"body": " ", "stance": "against"})
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and "Le commentaire est vide." in html
    assert re.search(r'<input checked[^>]*value="against"', html), "the chosen stance is kept"


def test_visitors_and_closed_phases_cannot_comment(client, auth):
    proposal = make_proposal(make_consultation("synthesis"))
    url = f"/propositions/{proposal.id}/commentaires"
    assert client.post(url, data={"body": "Bonjour"}).status_code == 302  # to the sign-in page
    auth.login(make_user())
    assert client.post(url, data={"body": "Bonjour"}).status_code == 403
    assert client.post("/propositions/999999/commentaires", data={"body": "Bonjour"}).status_code == 404


def test_replying_and_the_third_level_limit(client, auth):
    first = make_comment(make_proposal())
    auth.login(make_user())
    assert client.post(f"/commentaires/{first.id}/repondre", data={"body": "Je réponds"}).status_code == 302
    second = db.session.scalar(select(Comment).where(Comment.parent_id == first.id))
    third = make_comment(parent=second)
    assert client.post(f"/commentaires/{third.id}/repondre", data={"body": "Trop loin"}).status_code == 403
    bad = client.post(f"/commentaires/{first.id}/repondre", data={"body": ""})
    assert bad.status_code == 422 and "Le commentaire est vide." in bad.get_data(as_text=True)


def test_reply_notifies_the_parent_author(client, auth):
    first = make_comment(make_proposal())
    auth.login(make_user())
    client.post(f"/commentaires/{first.id}/repondre", data={"body": "Je réponds"})
    auth.logout()
    auth.login(first.author)
    assert "Notifications (1)" in client.get("/").get_data(as_text=True)


def test_editing_within_fifteen_minutes_marks_the_comment_edited(client, auth):
    comment = make_comment(make_proposal())
    auth.login(make_user())
    assert client.get(f"/commentaires/{comment.id}/modifier").status_code == 403
    auth.logout()
    auth.login(comment.author)
    assert client.get(f"/commentaires/{comment.id}/modifier").status_code == 200
    assert client.post(f"/commentaires/{comment.id}/modifier", data={"body": "Corrigé"}).status_code == 302
    assert "modifié" in client.get(f"/propositions/{comment.proposal_id}").get_data(as_text=True)
    comment.created_at = comment.created_at - timedelta(minutes=20)
    db.session.commit()
    assert client.post(f"/commentaires/{comment.id}/modifier", data={"body": "Trop tard"}).status_code == 403


def test_deleting_shows_a_placeholder_and_keeps_replies(client, auth):
    comment = make_comment(make_proposal(), body="Mon avis initial")
    reply = make_comment(parent=comment, body="Une réponse qui reste")
    auth.login(make_user())
    assert client.post(f"/commentaires/{comment.id}/supprimer").status_code == 403
    auth.logout()
    auth.login(comment.author)
    assert client.post(f"/commentaires/{comment.id}/supprimer", csrf=False).status_code == 400
    assert client.post(f"/commentaires/{comment.id}/supprimer").status_code == 302
    html = client.get(f"/propositions/{comment.proposal_id}").get_data(as_text=True)
    assert "Commentaire supprimé" in html and "Mon avis initial" not in html and reply.body in html


def test_the_consultation_debate(client, auth):
    consultation = make_consultation("vote")
    url = f"/consultations/{consultation.id}/debat"
    assert client.get(url).status_code == 200
    auth.login(make_user())
    assert client.post(url, data={"body": "Une question générale"}).status_code == 302
    assert "Une question générale" in client.get(url).get_data(as_text=True)
    closed = make_consultation("closed")
    assert client.post(f"/consultations/{closed.id}/debat", data={"body": "Trop tard"}).status_code == 403
    agents = make_consultation("proposals", audience="agents")
    assert client.get(f"/consultations/{agents.id}/debat").status_code == 403


def test_comment_pages(client):
    proposal = make_proposal()
    for i in range(25):
        make_comment(proposal, body=f"Avis numéro {i:02d}")
    first = client.get(f"/propositions/{proposal.id}").get_data(as_text=True)
    second = client.get(f"/propositions/{proposal.id}?page=2").get_data(as_text=True)
    assert "Avis numéro 24" in first and "Avis numéro 04" not in first
    assert "Avis numéro 04" in second and "Avis numéro 24" not in second
    assert 'aria-current="page"' in second
