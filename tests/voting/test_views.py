"""Vote routes: redirects back with a message, JSON for the script, French 4xx refusals, never a 500."""

import re

import pytest
from flask import render_template_string
from flask_login import AnonymousUserMixin
from sqlalchemy import func, select

from concertation import demo
from concertation.accounts.models import User
from concertation.consultations.models import Consultation
from concertation.db import utcnow
from concertation.extensions import db
from concertation.proposals.models import Proposal
from concertation.voting import services
from concertation.voting.models import Grade, Support
from tests.factories import make_consultation, make_proposal, make_user

JSON = {"Accept": "application/json"}


def support_url(proposal, consultation_id=None, withdraw=False):
    url = f"/consultations/{consultation_id or proposal.consultation_id}/propositions/{proposal.id}/soutien"
    return url + ("/retrait" if withdraw else "")


def grade_url(proposal):
    return f"/consultations/{proposal.consultation_id}/propositions/{proposal.id}/mention"


def supports() -> int:
    return db.session.scalar(select(func.count(Support.id)))


@pytest.fixture
def voter(auth):
    user = make_user()
    auth.login(user)
    return user


def test_a_newcomer_can_give_a_support_in_the_demo_on_the_day_it_is_installed(runner, client, auth):
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    auth.login(db.session.scalar(select(User).filter_by(email="camille@habitants.example")), demo.DEMO_PASSWORD)
    consultation = db.session.scalar(select(Consultation).filter_by(title=demo.CONSULTATIONS[0]["title"]))
    proposal = db.session.scalars(select(Proposal).filter_by(consultation_id=consultation.id)).first()
    page = client.get(f"/propositions/{proposal.id}").get_data(as_text=True)
    assert f'action="{support_url(proposal)}"' in page
    response = client.post(support_url(proposal), data={"next": f"/propositions/{proposal.id}"})
    assert response.status_code == 302
    page = client.get(response.location).get_data(as_text=True)
    assert "Votre soutien est enregistré." in page and "Il vous reste 4 soutiens sur 5" in page


def test_support_redirects_back_to_the_local_page_with_a_message(client, voter):
    consultation = make_consultation("vote", support_limit=3)
    proposal = make_proposal(consultation)
    back = f"/consultations/{consultation.id}?page=2"
    response = client.post(support_url(proposal), data={"next": back})
    assert response.status_code == 302 and response.location == back
    page = client.get(back).get_data(as_text=True)
    assert "Votre soutien est enregistré." in page and "Il vous reste 2 soutiens sur 3" in page
    assert supports() == 1


@pytest.mark.parametrize(
    "target", ["https://evil.example/", "//evil.example/x", "/\\evil.example", "javascript:alert(1)"]
)
def test_only_local_paths_are_followed(client, voter, target):
    proposal = make_proposal(make_consultation("vote"))
    response = client.post(support_url(proposal), data={"next": target}, headers={"Referer": target})
    assert response.status_code == 302
    assert response.location == f"/consultations/{proposal.consultation_id}"


def test_the_referring_page_is_used_without_next(client, voter):
    proposal = make_proposal(make_consultation("vote"))
    response = client.post(support_url(proposal), headers={"Referer": "http://localhost/liste?tri=recent"})
    assert response.location == "/liste?tri=recent"


def test_json_answers_for_the_script(client, voter):
    consultation = make_consultation("vote", support_limit=2, results_live=True)
    proposal = make_proposal(consultation)
    answer = client.post(support_url(proposal), headers=JSON)
    assert answer.status_code == 200
    assert answer.json | {"message": None, "remaining_text": None, "count_text": None} == {
        "supported": True,
        "support_count": 1,
        "remaining": 1,
        "message": None,
        "remaining_text": None,
        "count_text": None,
    }
    assert answer.json["count_text"] == "1 soutien"
    answer = client.post(support_url(proposal, withdraw=True), headers=JSON)
    assert (answer.json["supported"], answer.json["support_count"], answer.json["remaining"]) == (False, 0, 2)


def test_a_support_post_is_three_statements_on_postgresql_five_on_sqlite_and_writes_no_session(client, voter):
    """The person with their roles and blocks, the proposal with its consultation and phases, then the
    conditional count UPDATE, the INSERT … ON CONFLICT and the conditional quota UPDATE that returns what
    is left, in one statement on PostgreSQL (three on SQLite): no re-read, no savepoint, no session cookie
    sent back when nothing in it changed."""
    from sqlalchemy import event

    consultation = make_consultation("vote", support_limit=3, results_live=True)
    first, second = make_proposal(consultation), make_proposal(consultation)
    client.post(support_url(first), headers=JSON)  # the first support starts the person's quota
    token, url = client.csrf_token(), support_url(second)
    seen: list[str] = []

    def record(_conn, _cursor, statement, *_args):
        seen.append(" ".join(statement.split()))

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        answer = client.post(url, data={"csrf_token": token}, headers=JSON)
    finally:
        event.remove(db.engine, "before_cursor_execute", record)
    assert answer.status_code == 200
    assert (answer.json["support_count"], answer.json["remaining"]) == (1, 1)
    assert answer.headers.getlist("Set-Cookie") == []
    assert len(seen) == (3 if db.engine.dialect.name == "postgresql" else 5), "\n".join(seen)
    assert not [s for s in seen if "SAVEPOINT" in s or s.startswith("SELECT support_quota")]
    assert supports() == 2


def test_a_person_blocked_in_the_territory_cannot_support_there(client, voter):
    from concertation.moderation import services as moderation

    consultation = make_consultation("vote")
    organiser = make_user("organiser", consultation.territory)
    elsewhere = make_proposal(make_consultation("vote"))
    proposal = make_proposal(consultation)
    assert client.post(support_url(proposal), headers=JSON).status_code == 200
    moderation.block(organiser, consultation.territory, voter, "Insultes répétées", utcnow())
    db.session.commit()
    assert client.post(support_url(proposal, withdraw=True), headers=JSON).status_code == 403
    assert client.post(support_url(make_proposal(consultation)), headers=JSON).status_code == 403
    assert client.post(support_url(elsewhere), headers=JSON).status_code == 200  # a block holds in one territory
    assert supports() == 2


def test_json_hides_the_count_while_results_are_not_published(client, voter):
    proposal = make_proposal(make_consultation("vote"))
    answer = client.post(support_url(proposal), headers=JSON).json
    assert answer["supported"] is True and answer["support_count"] is None and answer["remaining"] is None


def test_refusals_are_french_4xx_in_html_and_json(client, voter):
    consultation = make_consultation("vote", support_limit=1)
    first, second = make_proposal(consultation), make_proposal(consultation)
    client.post(support_url(first))
    again = client.post(support_url(first), data={"next": "/ailleurs"})
    assert again.status_code == 409
    html = again.get_data(as_text=True)
    assert "Vous soutenez déjà cette proposition." in html and 'href="/ailleurs"' in html
    over = client.post(support_url(second), headers=JSON)
    assert over.status_code == 409 and over.headers["Content-Type"] == "application/problem+json"
    assert over.json["detail"].startswith("Vous avez utilisé votre soutien dans cette consultation.")
    assert supports() == 1


def test_forged_and_foreign_ids_are_404(client, voter):
    consultation = make_consultation("vote")
    proposal = make_proposal(consultation)
    other = make_consultation("vote")
    assert client.post(f"/consultations/{consultation.id}/propositions/999999/soutien").status_code == 404
    assert client.post(support_url(proposal, consultation_id=other.id)).status_code == 404
    assert client.post(f"/consultations/999999/propositions/{proposal.id}/soutien").status_code == 404
    hidden = make_proposal(consultation, moderation="hidden")
    assert client.post(support_url(hidden)).status_code == 404
    assert supports() == 0


def test_withdrawn_proposals_and_closed_phases_are_refused(client, voter):
    withdrawn = make_proposal(make_consultation("vote"), withdrawn_at=utcnow())
    response = client.post(support_url(withdrawn))
    assert response.status_code == 409 and "retirée par son auteur" in response.get_data(as_text=True)
    closed = make_proposal(make_consultation("synthesis"))
    response = client.post(support_url(closed))
    assert response.status_code == 403 and "n’est pas ouvert" in response.get_data(as_text=True)
    assert client.post(support_url(closed, withdraw=True)).status_code == 403


def test_csrf_login_method_and_audience_are_checked(client, auth):
    proposal = make_proposal(make_consultation("vote"))
    assert client.post(support_url(proposal)).status_code == 302  # to the sign-in page
    assert "/compte/connexion" in client.post(support_url(proposal)).location
    auth.login(make_user())
    assert client.post(support_url(proposal), csrf=False).status_code == 400
    assert client.get(support_url(proposal)).status_code == 405
    agents_only = make_proposal(make_consultation("vote", audience="agents"))
    assert client.post(support_url(agents_only)).status_code == 403
    assert supports() == 0


# Majority judgment ---------------------------------------------------------------


def test_grade_one_proposal(client, voter):
    proposal = make_proposal(make_consultation("vote", voting_method="majority"))
    response = client.post(grade_url(proposal), data={"mention": "4", "next": "/retour"})
    assert response.status_code == 302 and response.location == "/retour"
    assert client.post(grade_url(proposal), data={"mention": "2"}, headers=JSON).json["mention"] == 2
    assert db.session.execute(select(Grade.mention)).scalars().all() == [2]
    for bad in ({"mention": "9"}, {"mention": "excellent"}, {}):
        response = client.post(grade_url(proposal), data=bad)
        assert response.status_code == 422 and "mention" in response.get_data(as_text=True)
    assert client.post(grade_url(proposal), data={"mention": "1"}, csrf=False).status_code == 400


def test_grade_refused_in_a_support_consultation(client, voter):
    proposal = make_proposal(make_consultation("vote"))
    assert client.post(grade_url(proposal), data={"mention": "4"}).status_code == 409


def test_grading_page_has_a_fieldset_per_proposal_and_saves_a_page_at_once(client, voter):
    consultation = make_consultation("vote", voting_method="majority")
    proposals = [make_proposal(consultation, title=f"Proposition numéro {n}") for n in range(3)]
    make_proposal(consultation, title="Proposition retirée", withdrawn_at=utcnow())
    url = f"/consultations/{consultation.id}/evaluer"
    html = client.get(url).get_data(as_text=True)
    assert html.count("<fieldset") == 3 and "<legend>Proposition numéro 0</legend>" in html
    assert "Proposition retirée" not in html
    assert len(re.findall(r'type="radio"', html)) == 18
    data = {f"mention_{proposals[0].id}": "5", f"mention_{proposals[2].id}": "0"}
    response = client.post(url, data=data)
    assert response.status_code == 302
    assert services.mentions_given(voter, [p.id for p in proposals]) == {proposals[0].id: 5, proposals[2].id: 0}
    page = client.get(response.location).get_data(as_text=True)
    assert "(2 modifiées)" in page and re.search(rf'id="mention_{proposals[0].id}-5"[^>]*checked', page)
    bad = client.post(url, data={f"mention_{proposals[1].id}": "7"})
    assert bad.status_code == 422
    assert client.get(f"/consultations/{make_consultation('vote').id}/evaluer").status_code == 404


# Results ---------------------------------------------------------------------------


def test_results_page_waits_for_the_end_of_the_vote(client):
    consultation = make_consultation("vote")
    make_proposal(consultation)
    html = client.get(f"/consultations/{consultation.id}/resultats").get_data(as_text=True)
    assert "Les résultats seront publiés à la fin de la phase de vote" in html and "<table" not in html


def test_results_page_of_majority_judgment(client):
    consultation = make_consultation("synthesis", voting_method="majority")
    graded, _ungraded = make_proposal(consultation, title="Évaluée"), make_proposal(consultation, title="Oubliée")
    voter = make_user(pseudonym="Camille Secret")
    db.session.add(Grade(proposal_id=graded.id, consultation_id=consultation.id, user_id=voter.id, mention=3))
    db.session.commit()
    response = client.get(f"/consultations/{consultation.id}/resultats")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Classement au jugement majoritaire" in html and "pas encore évaluée" in html
    assert "<svg" in html and 'aria-hidden="true"' in html and "Bien 100&nbsp;%" in html
    assert "Camille Secret" not in html
    assert "style=" not in html and not re.search(r"<script(?![^>]*src=)", html)


def test_results_page_of_supports(client):
    consultation = make_consultation("synthesis")
    proposal = make_proposal(consultation, title="Soutenue")
    db.session.add(Support(proposal_id=proposal.id, consultation_id=consultation.id, user_id=make_user().id))
    proposal.support_count = 1
    db.session.commit()
    html = client.get(f"/consultations/{consultation.id}/resultats").get_data(as_text=True)
    assert "Classement par nombre de soutiens" in html and "Soutenue" in html


def test_results_of_an_agents_only_consultation_are_not_public(client):
    consultation = make_consultation("synthesis", audience="agents")
    assert client.get(f"/consultations/{consultation.id}/resultats").status_code == 403


# The partial, as the proposal page will include it ------------------------------------


def render_panel(app, user, proposal):
    with app.test_request_context("/consultations/1/propositions/1"):
        return render_template_string(
            '{% include "voting/_panel.html" %}', proposal=proposal, vote_panel=services.panel(user, proposal, utcnow())
        )


def test_panel_partial_for_a_participant_and_a_visitor(app):
    consultation = make_consultation("vote", support_limit=3)
    proposal = make_proposal(consultation)
    html = render_panel(app, make_user(), proposal)
    assert f'action="/consultations/{consultation.id}/propositions/{proposal.id}/soutien"' in html
    assert 'name="csrf_token"' in html and "Il vous reste 3 soutiens sur 3" in html
    assert "Le nombre de soutiens sera publié à la fin du vote." in html
    visitor = render_panel(app, AnonymousUserMixin(), proposal)
    assert "<form" not in visitor and "Connectez-vous pour voter." in visitor


def test_panel_partial_for_majority_judgment(app):
    proposal = make_proposal(make_consultation("vote", voting_method="majority"))
    html = render_panel(app, make_user(), proposal)
    assert "<legend>Quelle mention donnez-vous à cette proposition\u00a0?</legend>" in html
    assert html.count('type="radio"') == 6 and "Excellent" in html and "À rejeter" in html
