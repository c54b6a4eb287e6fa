"""Calls to action: what the phase allows is offered; a visitor signs in (or up) and comes back."""

import re
from urllib.parse import quote, unquote

from tests.factories import PASSWORD, make_consultation, make_proposal, make_territory, make_user

LINK = re.compile(r"http://localhost(/\S+)")


def sign_in_links(html: str) -> list[str]:
    """Where each link to the sign-in page of `html` promises to come back to."""
    return [unquote(m) for m in re.findall(r'href="/compte/(?:connexion|inscription)\?next=([^"&]+)"', html)]


def test_visitor_is_offered_to_propose_and_sent_to_sign_in_with_the_way_back(client):
    consultation = make_consultation("proposals")
    html = client.get(f"/consultations/{consultation.id}").get_data(as_text=True)
    target = f"/consultations/{consultation.id}/propositions/nouvelle"
    assert "Déposer une proposition" in html
    assert target in sign_in_links(html)
    assert "Évaluer les propositions" not in html and ">Voter<" not in html


def test_participant_gets_the_direct_link_and_the_vote_calls_follow_the_phase(client, auth):
    proposing = make_consultation("proposals")
    grading = make_consultation("vote", voting_method="majority")
    supporting = make_consultation("vote")
    informing = make_consultation("information")
    auth.login(make_user())
    html = client.get(f"/consultations/{proposing.id}").get_data(as_text=True)
    assert f'href="/consultations/{proposing.id}/propositions/nouvelle"' in html
    html = client.get(f"/consultations/{grading.id}").get_data(as_text=True)
    assert "Déposer une proposition" not in html
    assert f'href="/consultations/{grading.id}/evaluer">Évaluer les propositions' in html
    listing = client.get(f"/consultations/{grading.id}/propositions").get_data(as_text=True)
    assert f'href="/consultations/{grading.id}/evaluer">Évaluer les propositions' in listing
    html = client.get(f"/consultations/{supporting.id}").get_data(as_text=True)
    assert f'href="/consultations/{supporting.id}/propositions">Voter' in html
    html = client.get(f"/consultations/{informing.id}").get_data(as_text=True)
    assert "Déposer une proposition" not in html and "Évaluer les propositions" not in html
    assert "Informez-vous dès maintenant" in html


def test_agents_only_consultation_tells_other_staff_why_they_cannot_take_part(client, auth):
    consultation = make_consultation("proposals", audience="agents")
    auth.login(make_user("elu", consultation.territory))
    html = client.get(f"/consultations/{consultation.id}").get_data(as_text=True)
    assert "réservée aux agents" in html and "/propositions/nouvelle" not in html


def test_sign_in_from_a_call_to_action_comes_back_to_it(client):
    consultation = make_consultation("proposals")
    user = make_user()
    target = f"/consultations/{consultation.id}/propositions/nouvelle"
    page = client.get(f"/compte/connexion?next={quote(target)}").get_data(as_text=True)
    assert "vous reviendrez ensuite" in page
    assert sign_in_links(page) == [target]
    response = client.post(f"/compte/connexion?next={quote(target)}", data={"email": user.email, "password": PASSWORD})
    assert response.status_code == 302 and response.headers["Location"] == target


def test_sign_up_from_a_call_to_action_comes_back_after_confirmation(client, outbox):
    make_territory()
    proposal = make_proposal(make_consultation("vote"))
    target = f"/propositions/{proposal.id}"
    response = client.post(
        f"/compte/inscription?next={quote(target)}",
        data={
            "email": "nouvelle@exemple.fr",
            "pseudonym": "Camille",
            "password": "une phrase de passe",
            "accept_terms": "y",
        },
    )
    assert response.status_code == 302
    link = LINK.search(outbox[-1].get_content()).group(1)
    confirmed = client.get(link)
    assert confirmed.status_code == 302 and confirmed.headers["Location"] == target
    # Only a path of this site is carried in the link.
    client.post("/compte/deconnexion")
    client.post(
        "/compte/inscription?next=https://ailleurs.example/",
        data={
            "email": "autre@exemple.fr",
            "pseudonym": "Sacha",
            "password": "une phrase de passe",
            "accept_terms": "y",
        },
    )
    assert "ailleurs" not in outbox[-1].get_content()


def test_visitor_on_a_proposal_sees_the_vote_button_that_asks_to_sign_in(client):
    proposal = make_proposal(make_consultation("vote"))
    html = client.get(f"/propositions/{proposal.id}").get_data(as_text=True)
    assert f"/propositions/{proposal.id}" in sign_in_links(html)
    assert html.index("proposal-text") < html.index("vote-panel") < html.index("commentaires")


def test_consultation_page_shows_the_stepper_then_what_to_do_before_the_calendar(client):
    consultation = make_consultation("proposals")
    html = client.get(f"/consultations/{consultation.id}").get_data(as_text=True)
    steps = re.search(r'<ol class="steps">(.*?)</ol>', html, re.S).group(1)
    assert steps.count("<li") == 5
    current = re.findall(r'<li class="step step-current" aria-current="step">(.*?)</li>', steps, re.S)
    assert len(current) == 1 and "Propositions" in current[0] and "(en cours)" in current[0]
    assert "(terminée)" in steps and "(à venir)" in steps  # readable without colour
    assert "Étape 2 sur 5\u00a0: Propositions" in html
    assert html.index('class="steps"') < html.index("Déposer une proposition") < html.index('id="timeline-title"')


def test_upcoming_consultation_says_when_it_opens(client):
    consultation = make_consultation("upcoming")
    html = client.get(f"/consultations/{consultation.id}").get_data(as_text=True)
    assert "La consultation n’a pas encore commencé" in html and 'aria-current="step"' not in html
    assert "Étape suivante\u00a0: Information" in html


def test_proposal_page_puts_the_vote_after_the_text_and_report_as_a_small_link(client, auth):
    proposal = make_proposal(make_consultation("vote"))
    auth.login(make_user())
    html = client.get(f"/propositions/{proposal.id}").get_data(as_text=True)
    assert html.index("proposal-text") < html.index("vote-panel") < html.index("Suivre cette proposition")
    report = re.search(r'<p class="report-link"><a href="[^"]+">Signaler', html)
    assert report is not None and 'class="button button-secondary" href="/signaler' not in html
    follow = re.search(r'<button type="submit" class="([^"]+)">Suivre cette proposition', html)
    assert follow is not None and "button-secondary" in follow.group(1)


def test_header_menu_is_a_disclosure_with_the_language_switch(client):
    html = client.get("/").get_data(as_text=True)
    menu = re.search(r'<details class="nav-menu">\s*<summary[^>]*>Menu</summary>(.*?)</details>', html, re.S)
    assert menu is not None and "Se connecter" in menu.group(1)
    assert 'name="locale" value="en"' in menu.group(1) and 'lang="en">English</button>' in menu.group(1)
