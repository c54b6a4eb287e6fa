"""Participatory text pages through the test client: reading, amending, supporting, answering, adopting."""

import re

import pytest

from sqlalchemy import select

from concertation.accounts.models import User
from concertation.db import utcnow
from concertation.extensions import db
from concertation.notifications.models import Notification
from concertation.texts import services
from concertation.texts.models import Amendment, DraftText
from tests.factories import make_consultation, make_territory, make_user
from tests.texts.scene import CHARTER, make_amendment, make_text, paragraph


def page(response) -> str:
    return response.get_data(as_text=True)


def test_the_text_page_shows_chapters_numbered_paragraphs_and_amendments_with_their_difference(client):
    text = make_text()
    make_amendment(text, 2, wording="L’IA aide vraiment les agents, elle les remplace pas.")
    html = page(client.get(f"/textes/{text.id}"))
    assert "<h2" in html and "Principes" in html and "Données" in html
    for n in range(1, 5):
        assert f'id="paragraphe-{n}"' in html
    assert '<ins><span class="visually-hidden">ajouté\u00a0: </span>vraiment</ins>' in html
    assert '<del><span class="visually-hidden">supprimé\u00a0: </span>ne</del>' in html


def test_a_draft_is_hidden_from_participants_and_from_other_territories_organisers(client, auth):
    text = make_text(status="draft")
    assert client.get(f"/textes/{text.id}").status_code == 403
    auth.login(make_user("organiser", make_territory()))
    assert client.get(f"/textes/{text.id}").status_code == 403
    assert client.get(f"/consultations/{text.consultation_id}/textes/nouveau").status_code == 403
    assert client.post(f"/textes/{text.id}/ouvrir").status_code == 403
    assert client.get(f"/textes/{text.id}/amendements").status_code == 403


def test_an_organiser_imports_opens_and_the_consultation_page_lists_the_text(client, auth):
    consultation = make_consultation("proposals")
    auth.login(make_user("organiser", consultation.territory))
    response = client.post(
        f"/consultations/{consultation.id}/textes/nouveau", data={"title": "Charte", "source": CHARTER}
    )
    assert response.status_code == 302
    text = db.session.scalar(select(DraftText))
    assert "Ouvrir aux amendements" in page(client.get(response.headers["Location"]))
    assert client.post(f"/textes/{text.id}/ouvrir").status_code == 302
    db.session.refresh(text)
    assert text.status == "open"
    assert f"/textes/{text.id}" in page(client.get(f"/consultations/{consultation.id}"))


def test_an_import_without_paragraphs_comes_back_filled_in_with_a_422(client, auth):
    consultation = make_consultation("proposals")
    auth.login(make_user("organiser", consultation.territory))
    response = client.post(
        f"/consultations/{consultation.id}/textes/nouveau", data={"title": "Ma charte", "source": "# Un titre seul"}
    )
    assert response.status_code == 422
    assert "Le texte ne contient aucun paragraphe." in page(response) and "Ma charte" in page(response)


def test_a_participant_amends_a_paragraph_from_its_page(client, auth):
    text = make_text()
    auth.login(make_user())
    p = paragraph(text, 3)
    form = page(client.get(f"/textes/paragraphes/{p.id}"))
    assert "Proposer un amendement" in form and p.body in form
    response = client.post(
        f"/textes/paragraphes/{p.id}",
        data={"kind": "replace", "wording": "Chaque outil est choisi avec les agents.", "justification": "Plus net."},
    )
    assert response.status_code == 302
    amendment = db.session.scalar(select(Amendment))
    assert response.headers["Location"].endswith(f"#amendement-{amendment.id}")
    refused = client.post(f"/textes/paragraphes/{p.id}", data={"kind": "replace", "wording": "", "justification": ""})
    assert refused.status_code == 422
    assert "Expliquez pourquoi vous proposez ce changement." in page(refused)


def test_amending_is_refused_to_visitors_and_outside_the_proposals_phase(client, auth):
    text = make_text(make_consultation("vote"))
    p = paragraph(text, 1)
    data = {"kind": "delete", "justification": "Inutile."}
    assert client.post(f"/textes/paragraphes/{p.id}", data=data).status_code == 302  # to the sign-in page
    auth.login(make_user())
    assert "Proposer un amendement" not in page(client.get(f"/textes/paragraphes/{p.id}"))
    assert client.post(f"/textes/paragraphes/{p.id}", data=data).status_code == 403
    assert db.session.scalar(select(Amendment)) is None


def test_supporting_then_taking_the_support_back(client, auth):
    text = make_text()
    amendment = make_amendment(text)
    auth.login(make_user())
    assert "Soutenir" in page(client.get(f"/textes/{text.id}"))
    assert client.post(f"/textes/amendements/{amendment.id}/soutien").status_code == 302
    db.session.refresh(amendment)
    assert amendment.support_count == 1
    assert "Retirer mon soutien" in page(client.get(f"/textes/paragraphes/{amendment.paragraph_id}"))
    client.post(f"/textes/amendements/{amendment.id}/soutien")
    db.session.refresh(amendment)
    assert amendment.support_count == 0


def test_the_author_cannot_support_their_own_amendment(client, auth):
    text = make_text()
    author = make_user()
    amendment = make_amendment(text, author=author)
    auth.login(author)
    assert client.post(f"/textes/amendements/{amendment.id}/soutien").status_code == 403


def test_answering_one_amendment_notifies_its_author_with_a_link_that_works(client, auth):
    text = make_text()
    amendment = make_amendment(text)
    organiser = make_user("organiser", text.consultation.territory)
    auth.login(organiser)
    refused = client.post(f"/textes/amendements/{amendment.id}/reponse", data={"status": "rejected", "reason": ""})
    assert refused.status_code == 422 and "Donnez la raison du rejet." in page(refused)
    response = client.post(
        f"/textes/amendements/{amendment.id}/reponse", data={"status": "rejected", "reason": "Déjà prévu."}
    )
    assert response.status_code == 302
    notification = db.session.scalar(select(Notification).where(Notification.user_id == amendment.author_id))
    path, anchor = notification.url.split("#")
    shown = page(client.get(path))
    assert f'id="{anchor}"' in shown and "Déjà prévu." in shown


def test_bulk_answers_and_bad_input_get_a_4xx(client, auth):
    text = make_text()
    amendments = [make_amendment(text, 1, kind="add_after", wording=f"Ajout {n}.") for n in range(2)]
    auth.login(make_user("organiser", text.consultation.territory))
    assert client.post(f"/textes/{text.id}/amendements", data={"status": "rejected"}).status_code == 422
    bad = client.post(
        f"/textes/{text.id}/amendements", data={"amendments": ["x"], "status": "rejected", "reason": "Non."}
    )
    assert bad.status_code == 422
    response = client.post(
        f"/textes/{text.id}/amendements",
        data={"amendments": [str(a.id) for a in amendments], "status": "accepted", "reason": ""},
    )
    assert response.status_code == 302
    assert {a.status for a in db.session.scalars(select(Amendment))} == {"accepted"}


def test_the_adopted_version_shows_where_each_change_came_from(client, auth):
    text = make_text()
    alice = make_user(pseudonym="Alice Martin")
    amendment = make_amendment(text, 2, author=alice, wording="L’IA aide les agents formés.")
    organiser = make_user("organiser", text.consultation.territory)
    auth.login(organiser)
    assert client.post(f"/textes/{text.id}/publier").status_code == 409  # an amendment awaits its answer
    client.post(f"/textes/amendements/{amendment.id}/reponse", data={"status": "accepted", "reason": ""})
    response = client.post(f"/textes/{text.id}/publier")
    assert response.status_code == 302
    auth.logout()
    html = page(client.get(response.headers["Location"]))
    assert "Alice Martin" in html and f"Amendement n° {amendment.id}" in html
    assert f"/textes/paragraphes/{amendment.paragraph_id}#amendement-{amendment.id}" in html
    assert '<ins><span class="visually-hidden">ajouté\u00a0: </span>agents formés.</ins>' in html
    assert f'href="/textes/{text.id}"' in html
    assert re.search(r"version adoptée n° 1", page(client.get(f"/textes/{text.id}")), re.I)
    assert services.versions_of(text)[0].number == 1


def test_unknown_ids_are_404(client):
    assert client.get("/textes/999999").status_code == 404
    assert client.get("/textes/paragraphes/99999999999").status_code == 404
    assert client.get("/textes/versions/999").status_code == 404


def test_open_data_of_paragraphs_and_amendments_has_pseudonyms_only(client):
    text = make_text()
    author = make_user(pseudonym="Alice Martin", email="alice.secret@exemple.org")
    make_amendment(text, 2, author=author, wording='=HYPERLINK("http://x")', justification="-2+3")
    csv_text = client.get(f"/textes/{text.id}/amendements.csv").get_data(as_text=True)
    assert "Alice Martin" in csv_text and "alice.secret" not in csv_text
    assert "'=HYPERLINK" in csv_text and "'-2+3" in csv_text
    data = client.get(f"/textes/{text.id}/paragraphes.json").get_json()
    assert [row["numero"] for row in data["data"]] == [1, 2, 3, 4]
    assert data["metadata"]["licence"]["name"].startswith("Licence Ouverte")
    assert client.get(f"/textes/{text.id}/autre.csv").status_code == 404
    draft = make_text(status="draft")
    assert client.get(f"/textes/{draft.id}/paragraphes.csv").status_code == 403


@pytest.mark.parametrize("live", [False, True])
def test_support_counts_of_amendments_follow_the_one_rule_for_vote_counts(client, auth, live):
    """Supports are votes: while results are not public, no page, open data or order tells their counts."""
    text = make_text(results_live=live)
    first, second = make_amendment(text, 2), make_amendment(text, 2, wording="Une autre rédaction.")
    now = utcnow()
    for _ in range(3):
        services.support(make_user(), second, now)
    db.session.commit()
    shown = lambda body: "3 soutiens" in body  # noqa: E731
    assert shown(page(client.get(f"/textes/{text.id}"))) is live
    assert shown(page(client.get(f"/textes/paragraphes/{second.paragraph_id}"))) is live
    data = client.get(f"/textes/{text.id}/amendements.json").get_json()["data"]
    rows = {row["id"]: row["soutiens"] for row in data}
    assert rows[second.id] == (3 if live else None)
    # Listed in the order they were proposed, never the most supported first.
    body = page(client.get(f"/textes/paragraphes/{second.paragraph_id}"))
    assert body.index(f"Amendement n° {first.id}") < body.index(f"Amendement n° {second.id}")
    auth.login(db.session.get(User, text.created_by_id))
    assert shown(page(client.get(f"/textes/amendements/{second.id}/reponse"))) is live
