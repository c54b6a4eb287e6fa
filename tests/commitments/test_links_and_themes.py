"""Commitments: the links to what motivated them edited after creation, and the list filtered by theme."""

import html
import re

import pytest

from concertation.commitments import services
from concertation.db import utcnow
from concertation.errors import ActionRefused
from concertation.extensions import db
from tests.commitments.scenes import make_commitment, published_synthesis
from tests.factories import make_proposal_row, make_user


def page(response) -> str:
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", response.get_data(as_text=True))))


def test_links_are_replaced_and_the_history_names_what_changed():
    scene = published_synthesis()
    commitment = make_commitment(scene)  # linked to scene.retained and the version
    change = services.update_links(scene.organiser, commitment, [scene.other.id], [scene.version.id], [], utcnow())
    db.session.commit()
    assert [link.proposal_id for link in commitment.proposal_links] == [scene.other.id]
    assert commitment.proposal_links[0].retained_id is not None  # the version retained it: its snapshot is kept
    assert change.changes == {
        "links_proposals": [["Former tous les agents avant tout outil"], ["Un assistant pour l’accueil en mairie"]]
    }
    assert (
        services.update_links(scene.organiser, commitment, [scene.other.id], [scene.version.id], [], utcnow()) is None
    )


def test_links_to_another_territory_are_refused():
    scene = published_synthesis()
    commitment = make_commitment(scene)
    foreign = published_synthesis()
    with pytest.raises(ActionRefused):
        services.update_links(scene.organiser, commitment, [foreign.retained.id], [], [], utcnow())
    with pytest.raises(ActionRefused):
        services.update_links(scene.organiser, commitment, [], [foreign.version.id], [], utcnow())
    with pytest.raises(ActionRefused):
        services.update_links(scene.organiser, commitment, [], [], [424242], utcnow())


def test_the_organiser_edits_the_links_and_the_page_shows_them(client, auth):
    scene = published_synthesis()
    commitment = make_commitment(scene)
    auth.login(scene.organiser)
    assert "Modifier ce qui a motivé l’engagement" in page(client.get(f"/engagements/{commitment.id}/modifier"))
    form = page(client.get(f"/engagements/{commitment.id}/liens"))
    assert "Un assistant pour l’accueil en mairie" in form and "Un robot à l’accueil" not in form
    response = client.post(
        f"/engagements/{commitment.id}/liens",
        data={"proposals": [str(scene.retained.id), str(scene.other.id)], "syntheses": [str(scene.version.id)]},
    )
    assert response.status_code == 302
    shown = page(client.get(f"/engagements/{commitment.id}"))
    assert "« Un assistant pour l’accueil en mairie »" in shown
    assert "Propositions liées : « Un assistant pour l’accueil en mairie »" in shown
    forged = client.post(
        f"/engagements/{commitment.id}/liens", data={"proposals": [str(published_synthesis().retained.id)]}
    )
    assert forged.status_code == 422 and "n’appartiennent pas à ce territoire" in page(forged)


def test_only_organisers_edit_links(client, auth):
    scene = published_synthesis()
    commitment = make_commitment(scene)
    auth.login(make_user("agent", scene.territory))
    assert client.get(f"/engagements/{commitment.id}/liens").status_code == 403
    assert client.post(f"/engagements/{commitment.id}/liens", data={}).status_code == 403


def test_the_list_is_filtered_by_the_theme_of_the_linked_proposals(client):
    scene = published_synthesis()
    training, welcome = scene.consultation.themes[0], scene.consultation.themes[1]
    trained = make_proposal_row(scene.consultation, title="Former les élus aussi", answer="retained", theme=training)
    greeted = make_proposal_row(scene.consultation, title="Un accueil humain", answer="retained", theme=welcome)
    make_commitment(scene, title="Un plan de formation pour tous", proposal_ids=[trained.id])
    make_commitment(scene, title="Garder un accueil humain", proposal_ids=[greeted.id])
    url = f"/territoires/{scene.territory.slug}/engagements"
    everything = page(client.get(url))
    assert "Un plan de formation pour tous" in everything and "Garder un accueil humain" in everything
    assert training.name in everything  # offered in the filter
    chosen = page(client.get(url, query_string={"theme": training.name}))
    assert "Un plan de formation pour tous" in chosen and "Garder un accueil humain" not in chosen
    assert client.get(url, query_string={"theme": "inconnu"}).status_code == 200
    assert "Garder un accueil humain" in page(client.get("/engagements", query_string={"theme": welcome.name}))
