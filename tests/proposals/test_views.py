"""Proposal pages through the test client: status, redirects, refusals, forms kept on bad input."""

import re

from sqlalchemy import select

from concertation.db import utcnow
from concertation.extensions import db
from concertation.proposals.models import AnswerTemplate, Proposal
from tests.factories import make_consultation, make_proposal, make_proposal_row, make_user
from tests.html_checks import executable_markup


def _new(consultation):
    return f"/consultations/{consultation.id}/propositions/nouvelle"


def test_visitors_are_sent_to_sign_in_to_propose(client):
    consultation = make_consultation("proposals")
    response = client.get(_new(consultation))
    assert response.status_code == 302 and "/compte/connexion" in response.headers["Location"]


def test_proposing_outside_the_proposals_phase_is_forbidden(client, auth):
    consultation = make_consultation("vote")
    auth.login(make_user())
    assert client.get(_new(consultation)).status_code == 403
    assert (
        client.post(
            _new(consultation), data={"title": "Un titre assez long", "body": "x", "action": "publish"}
        ).status_code
        == 403
    )


def test_preview_lists_similar_proposals_then_publish_anyway(client, auth):
    consultation = make_consultation("proposals")
    existing = make_proposal(consultation, title="Former les agents à l’intelligence artificielle")
    auth.login(make_user())
    data = {
        "title": "Formation des agents à l’IA",
        "body": "Former *tous* les agents.",
        "theme": str(consultation.themes[0].id),
    }
    preview = client.post(_new(consultation), data=data)
    html = preview.get_data(as_text=True)
    assert preview.status_code == 200
    assert existing.title in html and "Publier quand même" in html and "<em>tous</em>" in html
    assert db.session.scalar(select(Proposal).where(Proposal.title == data["title"])) is None

    back = client.post(_new(consultation), data={**data, "action": "edit"})
    assert back.status_code == 200 and 'value="Formation des agents à l’IA"' in back.get_data(as_text=True)

    published = client.post(_new(consultation), data={**data, "action": "publish"})
    assert published.status_code == 302
    proposal = db.session.scalar(select(Proposal).where(Proposal.title == data["title"]))
    assert published.headers["Location"].endswith(f"/propositions/{proposal.id}")


def test_a_bad_proposal_comes_back_in_french_with_what_was_typed(client, auth):
    consultation = make_consultation("proposals")
    auth.login(make_user())
    response = client.post(
        _new(consultation),
        data={
            "title": "Court",
            "body": "Mon texte soigné",
            "theme": str(consultation.themes[0].id),
            "action": "publish",
        },
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "entre 10 et 150 caractères" in html and "Mon texte soigné" in html
    forged = client.post(
        _new(consultation), data={"title": "Un titre assez long", "body": "x", "theme": "999999", "action": "publish"}
    )
    assert forged.status_code == 422 and "thème" in forged.get_data(as_text=True)
    assert db.session.scalar(select(Proposal)) is None


def test_similar_endpoint_answers_json(client):
    consultation = make_consultation("proposals")
    proposal = make_proposal(consultation, title="Protéger les données des usagers")
    response = client.get(f"/consultations/{consultation.id}/propositions/similaires?titre=donnees+usagers")
    assert response.status_code == 200
    assert [p["id"] for p in response.get_json()["proposals"]] == [proposal.id]
    agents = make_consultation("proposals", audience="agents")
    assert client.get(f"/consultations/{agents.id}/propositions/similaires?titre=x").status_code == 403


def test_the_list_counts_filters_and_hides_moderated_proposals(client, auth):
    consultation = make_consultation("proposals")
    author = make_user()
    make_proposal(consultation, title="Ateliers numériques en médiathèque")
    make_proposal(consultation, title="Former les agents d’accueil", answer="retained")
    make_proposal(consultation, author, title="Ma proposition en attente", moderation="pending")
    make_proposal(consultation, title="Proposition masquée par la modération", moderation="hidden")
    url = f"/consultations/{consultation.id}/propositions"
    html = client.get(url).get_data(as_text=True)
    assert "2 propositions" in html and "masquée par la modération" not in html and "en attente" not in html
    html = client.get(url + "?answer=retained").get_data(as_text=True)
    assert "1 proposition" in html and "Former les agents" in html and "Ateliers" not in html
    html = client.get(url + "?q=mediatheque").get_data(as_text=True)
    assert "Ateliers numériques" in html and "Former les agents" not in html
    assert client.get(url + "?theme=abc&answer=zzz&sort=nope&page=99").status_code == 200
    auth.login(author)
    html = client.get(url + "?mine=y").get_data(as_text=True)
    assert "Ma proposition en attente" in html and "en attente de modération" in html


def test_the_proposal_page_shows_body_author_theme_and_slot_for_votes(client):
    proposal = make_proposal(body="Un **texte** <script>alert(1)</script>")
    response = client.get(f"/propositions/{proposal.id}")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<strong>texte</strong>" in html and proposal.author.public_name in html and proposal.theme.name in html
    assert executable_markup(proposal.body_html) == [] and "<script>alert" not in html
    assert "vote_panel" not in html


def test_unknown_or_hidden_proposals(client, auth):
    assert client.get("/propositions/999999").status_code == 404
    proposal = make_proposal(moderation="hidden", moderation_reason="Propos injurieux")
    public = client.get(f"/propositions/{proposal.id}").get_data(as_text=True)
    assert "Masquée par la modération — Propos injurieux" in public
    assert proposal.title not in public and proposal.body_html not in public
    pending = make_proposal(moderation="pending")
    assert client.get(f"/propositions/{pending.id}").status_code == 403
    auth.login(proposal.author)
    assert proposal.body_html in client.get(f"/propositions/{proposal.id}").get_data(as_text=True)
    auth.logout()
    auth.login(pending.author)
    assert client.get(f"/propositions/{pending.id}").status_code == 200


def test_the_author_edits_until_the_first_support(client, auth):
    proposal = make_proposal()
    auth.login(make_user())
    assert client.get(f"/propositions/{proposal.id}/modifier").status_code == 403
    auth.logout()
    auth.login(proposal.author)
    data = {"title": "Un titre corrigé par l’auteur", "body": "Corrigé", "theme": str(proposal.theme_id)}
    response = client.post(f"/propositions/{proposal.id}/modifier", data=data)
    assert response.status_code == 302
    db.session.refresh(proposal)
    assert proposal.title == data["title"] and proposal.edited_at is not None
    bad = client.post(f"/propositions/{proposal.id}/modifier", data={**data, "body": ""})
    assert bad.status_code == 422 and "Décrivez votre proposition" in bad.get_data(as_text=True)
    proposal.support_count = 1
    db.session.commit()
    assert client.post(f"/propositions/{proposal.id}/modifier", data=data).status_code == 403


def test_withdrawing_needs_a_post_with_csrf(client, auth):
    proposal = make_proposal()
    auth.login(proposal.author)
    assert client.get(f"/propositions/{proposal.id}/retirer").status_code == 405
    assert client.post(f"/propositions/{proposal.id}/retirer", csrf=False).status_code == 400
    response = client.post(f"/propositions/{proposal.id}/retirer")
    assert response.status_code == 302
    db.session.refresh(proposal)
    assert proposal.is_withdrawn
    assert "retirée" in client.get(f"/propositions/{proposal.id}").get_data(as_text=True)


def test_organisers_answer_one_proposal(client, auth):
    proposal = make_proposal()
    auth.login(make_user("organiser", make_consultation().territory))  # another territory
    assert client.get(f"/propositions/{proposal.id}/reponse").status_code == 403
    auth.logout()
    auth.login(make_user("organiser", proposal.consultation.territory))
    bad = client.post(f"/propositions/{proposal.id}/reponse", data={"answer": "not_retained", "text": ""})
    assert bad.status_code == 422 and "justification est obligatoire" in bad.get_data(as_text=True)
    ok = client.post(f"/propositions/{proposal.id}/reponse", data={"answer": "retained", "text": "Bonne idée."})
    assert ok.status_code == 302
    html = client.get(f"/propositions/{proposal.id}").get_data(as_text=True)
    assert "Réponse de la collectivité" in html and "Bonne idée." in html


def test_bulk_answer_from_the_list(client, auth):
    consultation = make_consultation("vote")
    proposals = [make_proposal(consultation) for _ in range(3)]
    url = f"/consultations/{consultation.id}/propositions/reponses"
    auth.login(make_user())
    assert client.post(url, data={"bulk-proposal_ids": [proposals[0].id], "bulk-answer": "retained"}).status_code == 403
    auth.logout()
    auth.login(make_user("organiser", consultation.territory))
    listing = client.get(f"/consultations/{consultation.id}/propositions").get_data(as_text=True)
    assert "3 propositions attendent encore votre réponse" in listing and 'name="bulk-proposal_ids"' in listing
    empty = client.post(url, data={"bulk-answer": "retained"})
    assert empty.status_code == 422 and "Cochez au moins une proposition" in empty.get_data(as_text=True)
    foreign = make_proposal(make_consultation("vote"))
    forged = client.post(url, data={"bulk-proposal_ids": [proposals[0].id, foreign.id], "bulk-answer": "retained"})
    assert forged.status_code == 422
    done = client.post(
        url + "?sort=recent", data={"bulk-proposal_ids": [p.id for p in proposals[:2]], "bulk-answer": "under_study"}
    )
    assert done.status_code == 302 and "sort=recent" in done.headers["Location"]
    for p in proposals:
        db.session.refresh(p)
    assert [p.answer for p in proposals] == ["under_study", "under_study", None]
    listing = client.get(f"/consultations/{consultation.id}/propositions").get_data(as_text=True)
    assert "1 proposition attend encore votre réponse" in listing


def test_answer_templates_crud_and_their_use_in_bulk(client, auth):
    consultation = make_consultation("vote")
    proposal = make_proposal(consultation)
    auth.login(make_user("organiser", consultation.territory))
    base = f"/consultations/{consultation.id}/modeles-de-reponse"
    assert client.post(base, data={"name": "", "answer": "retained"}).status_code == 422
    assert (
        client.post(
            base, data={"name": "Hors compétence", "answer": "not_retained", "text": "Relève de l’État."}
        ).status_code
        == 302
    )
    template = db.session.scalar(select(AnswerTemplate))
    assert client.get(f"{base}/{template.id}").status_code == 200
    assert (
        client.post(
            f"{base}/{template.id}",
            data={"name": "Hors compétence communale", "answer": "not_retained", "text": "Relève de l’État."},
        ).status_code
        == 302
    )
    response = client.post(
        f"/consultations/{consultation.id}/propositions/reponses",
        data={"bulk-proposal_ids": [proposal.id], "bulk-template": str(template.id)},
    )
    assert response.status_code == 302
    db.session.refresh(proposal)
    assert proposal.answer == "not_retained" and proposal.answer_text == "Relève de l’État."
    other = make_consultation("vote", territory=consultation.territory)
    assert client.get(f"/consultations/{other.id}/modeles-de-reponse/{template.id}").status_code == 404
    assert client.post(f"{base}/{template.id}/supprimer").status_code == 302
    assert db.session.scalar(select(AnswerTemplate)) is None


def test_the_consultation_page_links_to_proposals(client):
    consultation = make_consultation("proposals")
    html = client.get(f"/consultations/{consultation.id}").get_data(as_text=True)
    assert f"/consultations/{consultation.id}/propositions" in html


def test_the_list_page_costs_the_same_queries_for_3_or_40_proposals(client):
    from tests.comments.test_services import StatementCounter

    counts = []
    for n in (3, 40):
        consultation = make_consultation("proposals")
        for _ in range(n):
            make_proposal(consultation, answer="retained")
        url = f"/consultations/{consultation.id}/propositions?sort=supports&q=former&answer=retained"
        client.get(url)
        with StatementCounter(db.engine) as counter:
            html = client.get(url).get_data(as_text=True)
        counts.append(counter.count)
        assert f"{n} propositions" in html
    assert counts[0] == counts[1] and counts[1] <= 10, counts


def test_support_counts_stay_secret_until_results_are_public(client, auth):
    from concertation.voting.services import support

    secret = make_consultation("vote")
    live = make_consultation("vote", results_live=True)
    for consultation in (secret, live):
        proposal = make_proposal(consultation, title="Former les agents d’accueil")
        supporter = make_user()
        support(supporter, proposal, utcnow())
        db.session.commit()
    auth.login(supporter)
    secret_page = client.get(f"/consultations/{secret.id}/propositions?sort=supports").get_data(as_text=True)
    assert "1 soutien" not in secret_page and "Les plus soutenues" not in secret_page
    live_page = client.get(f"/consultations/{live.id}/propositions").get_data(as_text=True)
    assert "1 soutien" in live_page and "Les plus soutenues" in live_page and "Vous la soutenez" in live_page


def test_organisers_list_newest_first_with_the_bulk_form_at_the_top_and_select_all(client, auth):
    from datetime import timedelta

    consultation = make_consultation("vote")
    proposals = [
        make_proposal_row(consultation, title=f"Idée n° {i:02d} à trier", created_at=utcnow() - timedelta(days=30 - i))
        for i in range(25)
    ]
    auth.login(make_user("organiser", consultation.territory))
    listing = client.get(f"/consultations/{consultation.id}/propositions?theme=").get_data(as_text=True)
    titles = [p.title for p in reversed(proposals)]
    positions = [listing.index(t) for t in titles[:20]]
    assert positions == sorted(positions) and titles[20] not in listing  # newest first, 20 a page
    assert listing.index('id="bulk-answer-form"') < listing.index('class="cards proposal-list"')
    assert "Tout sélectionner sur cette page (les 20 propositions affichées)" in listing

    # Without JavaScript: "select all" answers every proposal of the page shown, and the list stays as it was.
    page_ids = [int(i) for i in re.findall(r'name="bulk-page_ids" value="(\d+)"', listing)]
    url = f"/consultations/{consultation.id}/propositions/reponses?answer=none&page=2"
    done = client.post(url, data={"bulk-all_on_page": "y", "bulk-page_ids": page_ids, "bulk-answer": "under_study"})
    assert done.status_code == 302
    assert done.headers["Location"].endswith(f"/consultations/{consultation.id}/propositions?answer=none&page=2#liste")
    db.session.expire_all()
    answered = {p.id for p in db.session.scalars(select(Proposal).where(Proposal.answer == "under_study"))}
    assert answered == set(page_ids) and len(answered) == 20
    # Page 2 of what still awaits an answer is now beyond the end: the last page is shown, not an empty list.
    after = client.get(done.headers["Location"]).get_data(as_text=True)
    assert "5 propositions" in after and proposals[0].title in after


def test_participants_keep_a_random_order(client, auth):
    consultation = make_consultation("vote")
    for _ in range(3):
        make_proposal(consultation)
    auth.login(make_user())
    listing = client.get(f"/consultations/{consultation.id}/propositions").get_data(as_text=True)
    assert re.search(r'<option selected value="random">|<option value="random" selected>', listing)
