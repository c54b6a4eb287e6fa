"""An entry linked to the commitments and proposals that led to it; a commitment carried out by a tool."""

import html
import re

import pytest
from sqlalchemy import select

from concertation.db import utcnow
from concertation.errors import ActionRefused
from concertation.extensions import db
from concertation.library import services
from concertation.library.models import EntryCommitment, EntryProposal
from concertation.notifications.models import Notification
from tests.commitments.scenes import make_commitment, published_synthesis
from tests.factories import make_proposal_row, make_user
from tests.library.factories import make_entry


@pytest.fixture(autouse=True)
def _app(app):
    return app


def page(response) -> str:
    """The page's text, without its tags, spaces collapsed."""
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", response.get_data(as_text=True))))


def test_a_tool_that_carries_out_a_commitment_makes_it_realised_and_tells_its_followers():
    scene = published_synthesis()
    commitment = make_commitment(scene, status="in_progress", progress=40)
    entry = make_entry(scene.territory, title="Assistant d’accueil en mairie")
    before = db.session.scalar(select(db.func.count()).select_from(Notification))
    services.set_links(scene.organiser, entry, [], [commitment.id], [scene.retained.id], utcnow())
    db.session.commit()
    assert (commitment.status, commitment.progress) == ("done", 100)
    last = commitment.changes[-1].changes
    assert last["realised_by"] == [None, "Assistant d’accueil en mairie"]
    assert last["status"] == ["in_progress", "done"]
    assert db.session.scalar(select(db.func.count()).select_from(Notification)) > before
    assert [link.proposal_id for link in services.proposal_links(entry)] == [scene.retained.id]
    # Undone, the history says so; the status stays as it is.
    services.set_links(scene.organiser, entry, [commitment.id], [], [], utcnow())
    db.session.commit()
    assert commitment.changes[-1].changes == {"realised_by": ["Assistant d’accueil en mairie", None]}
    assert commitment.status == "done"
    assert [(link.commitment_id, link.realises) for link in services.commitment_links(entry)] == [
        (commitment.id, False)
    ]
    assert services.proposal_links(entry) == []


def test_links_to_another_territory_are_refused():
    scene = published_synthesis()
    elsewhere = published_synthesis()
    foreign = make_commitment(elsewhere)
    entry = make_entry(scene.territory)
    with pytest.raises(ActionRefused) as refused:
        services.set_links(scene.organiser, entry, [foreign.id], [], [], utcnow())
    assert refused.value.field == "commitments"
    with pytest.raises(ActionRefused):
        services.set_links(scene.organiser, entry, [], [], [elsewhere.retained.id], utcnow())
    with pytest.raises(ActionRefused):
        services.set_links(scene.organiser, entry, [987654], [], [], utcnow())


def test_the_organiser_links_an_entry_and_both_pages_show_it(client, auth):
    scene = published_synthesis()
    commitment = make_commitment(scene, title="Un accueil augmenté, un humain toujours joignable")
    entry = make_entry(scene.territory, title="Chatbot d’accueil du soir")
    auth.login(scene.organiser)
    form = page(client.get(f"/bibliotheque/{entry.id}/liens"))
    assert "Un accueil augmenté" in form and "Former tous les agents avant tout outil" in form
    assert "Un robot à l’accueil" not in form  # not retained: not offered
    response = client.post(
        f"/bibliotheque/{entry.id}/liens",
        data={
            "commitments": [str(commitment.id)],
            "realised": [str(commitment.id)],
            "proposal_ids": [str(scene.other.id)],
        },
    )
    assert response.status_code == 302
    shown = page(client.get(f"/bibliotheque/{entry.id}"))
    assert "Ce qui a mené à l’outil" in shown and "réalisé par cet outil" in shown
    assert "Un assistant pour l’accueil en mairie" in shown
    followed = page(client.get(f"/engagements/{commitment.id}"))
    assert "Réalisé par « Chatbot d’accueil du soir »" in followed
    assert "Réalisé par l’outil « Chatbot d’accueil du soir » de la bibliothèque." in followed


def test_a_forged_commitment_of_another_territory_is_refused_in_french(client, auth):
    scene = published_synthesis()
    foreign = make_commitment(published_synthesis())
    entry = make_entry(scene.territory)
    auth.login(scene.organiser)
    response = client.post(f"/bibliotheque/{entry.id}/liens", data={"commitments": [str(foreign.id)]})
    assert response.status_code == 422
    assert "Un outil ne se lie qu’aux engagements de sa propre collectivité." in page(response)
    assert db.session.scalar(select(EntryCommitment)) is None
    bad = client.post(f"/bibliotheque/{entry.id}/liens", data={"proposal_ids": ["x"]})
    assert bad.status_code == 422 and db.session.scalar(select(EntryProposal)) is None


def test_only_the_territorys_organisers_link(client, auth):
    scene = published_synthesis()
    entry = make_entry(scene.territory)
    assert client.get(f"/bibliotheque/{entry.id}/liens").status_code == 302  # to sign in
    auth.login(make_user("agent", scene.territory))
    assert client.get(f"/bibliotheque/{entry.id}/liens").status_code == 403
    assert "Relier aux engagements" not in page(client.get(f"/bibliotheque/{entry.id}"))
    auth.logout()
    auth.login(make_user("organiser", published_synthesis().territory))
    assert client.post(f"/bibliotheque/{entry.id}/liens", data={}).status_code == 403
    assert client.get("/bibliotheque/999999/liens").status_code in (403, 404)


def test_a_hidden_proposal_is_not_shown_on_the_entry(client):
    scene = published_synthesis()
    entry = make_entry(scene.territory)
    pending = make_proposal_row(scene.consultation, title="Une proposition en attente", answer="retained")
    services.set_links(scene.organiser, entry, [], [], [pending.id], utcnow())
    pending.moderation = "pending"
    db.session.commit()
    assert "Une proposition en attente" not in page(client.get(f"/bibliotheque/{entry.id}"))


def test_the_proposal_page_shows_the_tool_it_led_to_through_its_commitment(client):
    scene = published_synthesis()
    commitment = make_commitment(scene)  # born of scene.retained
    entry = make_entry(scene.territory, title="Parcours de formation en ligne")
    services.set_links(scene.organiser, entry, [], [commitment.id], [], utcnow())
    db.session.commit()
    text = page(client.get(f"/propositions/{scene.retained.id}"))
    assert "Ce qu’elle est devenue" in text and "Outil de la bibliothèque : Parcours de formation en ligne" in text
    assert "Parcours de formation en ligne" not in page(client.get(f"/propositions/{scene.other.id}"))
