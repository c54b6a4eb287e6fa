"""Anonymous pages shared between visitors and cacheable; results computed once per change."""

from concertation import caching, permissions
from concertation.db import utcnow
from concertation.extensions import db
from concertation.territories.models import Membership
from concertation.voting import results as vote_results, services as voting
from tests.factories import make_consultation, make_proposal, make_territory, make_user, when_open
from tests.voting.test_services import counted_queries


def list_url(consultation) -> str:
    return f"/consultations/{consultation.id}/propositions"


def test_a_visitor_gets_no_session_and_a_page_proxies_and_browsers_may_keep(client):
    consultation = make_consultation("proposals")
    proposal = make_proposal(consultation, title="Former les agents publics")
    for url in ("/", f"/consultations/{consultation.id}", list_url(consultation), f"/propositions/{proposal.id}"):
        response = client.get(url)
        assert response.status_code == 200
        assert "Set-Cookie" not in response.headers, url
        assert response.headers["Cache-Control"].startswith("public, max-age=")
        assert response.headers["ETag"] and response.headers["Last-Modified"]
        again = client.get(url, headers={"If-None-Match": response.headers["ETag"]})
        assert again.status_code == 304


def test_a_cached_list_shows_a_new_proposal_at_once(client):
    consultation = make_consultation("proposals")
    make_proposal(consultation, title="Première proposition publiée")
    url = list_url(consultation)
    assert "Première proposition" in client.get(url).get_data(as_text=True)
    with counted_queries() as statements:
        second = client.get(url)
    assert second.headers.get("X-Cache") == "HIT" and statements == []
    make_proposal(consultation, title="Seconde proposition publiée")
    page = client.get(list_url(consultation)).get_data(as_text=True)
    assert "Seconde proposition" in page


def test_signed_in_pages_are_private_and_never_shared(client, auth):
    consultation = make_consultation("proposals")
    client.get(list_url(consultation))  # a visitor's copy is cached
    auth.login(make_user())
    response = client.get(list_url(consultation))
    assert response.headers.get("X-Cache") != "HIT"
    assert response.headers["Cache-Control"] == "private, no-cache"
    assert "Se déconnecter" in response.get_data(as_text=True)


def test_a_visitor_chooses_the_language_without_a_session(client):
    response = client.post("/langue", data={"locale": "en", "next": "/"}, csrf=False)
    assert response.status_code == 302
    cookies = response.headers.getlist("Set-Cookie")
    assert any(c.startswith("locale=en") for c in cookies) and not any(c.startswith("session=") for c in cookies)
    page = client.get("/")
    assert '<html lang="en">' in page.get_data(as_text=True) and "Set-Cookie" not in page.headers
    # The French copy cached for other visitors stays French.
    client.delete_cookie("locale", domain="localhost")
    assert '<html lang="fr">' in client.get("/").get_data(as_text=True)


def test_majority_results_are_ranked_once_then_again_after_a_vote(app):
    consultation = make_consultation("vote", voting_method="majority", results_live=True)
    proposal = make_proposal(consultation, title="Bonne proposition")
    voters = [make_user() for _ in range(2)]
    now = when_open(consultation, "grade")
    voting.grade(voters[0], proposal, 3, now)
    db.session.commit()
    first = vote_results.cached_compute(consultation)
    with counted_queries() as statements:
        assert vote_results.cached_compute(consultation) == first
    assert statements == []
    voting.grade(voters[1], proposal, 5, now)
    db.session.commit()
    assert vote_results.cached_compute(consultation).total_votes == 2


def test_results_are_not_invalidated_by_a_vote_rolled_back(app):
    consultation = make_consultation("vote", results_live=True)
    proposal = make_proposal(consultation, title="Proposition soutenue")
    assert vote_results.results(consultation, utcnow()).total_votes == 0
    voting.support(make_user(), proposal, when_open(consultation, "support"))
    db.session.rollback()
    assert vote_results.results(consultation, utcnow()).total_votes == 0
    voting.support(make_user(), proposal, when_open(consultation, "support"))
    db.session.commit()
    assert vote_results.results(consultation, utcnow()).total_votes == 1


# The home page's list of consultations, shared between the signed-in people who see the same ones ----------


def test_signed_in_people_who_see_the_same_consultations_share_the_home_list(client, auth):
    make_consultation("proposals", title="Consultation sur les chatbots")
    auth.login(make_user())
    assert "Consultation sur les chatbots" in client.get("/").get_data(as_text=True)
    auth.logout()
    auth.login(make_user())
    with counted_queries() as statements:
        page = client.get("/").get_data(as_text=True)
    # Only the person and the unread notifications: the list itself comes from the cache.
    assert "Consultation sur les chatbots" in page and "Se déconnecter" in page
    assert not any("consultation" in s.lower() and "from consultation" in s.lower() for s in statements)


def test_the_home_list_shows_a_change_of_a_consultation_at_once(client, auth):
    consultation = make_consultation("proposals", title="Titre d’origine")
    auth.login(make_user())
    assert "Titre d’origine" in client.get("/").get_data(as_text=True)
    consultation.title = "Titre corrigé par les organisateurs"
    db.session.commit()
    page = client.get("/").get_data(as_text=True)
    assert "Titre corrigé par les organisateurs" in page and "Titre d’origine" not in page


def test_a_vote_leaves_the_home_list_cached(app):
    consultation = make_consultation("vote", results_live=True)
    proposal = make_proposal(consultation, title="Proposition soutenue")
    before = caching.generation(caching.LISTING_GENERATION)
    voting.support(make_user(), proposal, when_open(consultation, "support"))
    db.session.commit()
    assert caching.generation(caching.LISTING_GENERATION) == before
    consultation.summary = "Un nouveau résumé"
    db.session.commit()
    assert caching.generation(caching.LISTING_GENERATION) == before + 1


def test_the_home_list_of_a_territory_s_agents_is_not_shown_to_a_citizen(client, auth):
    territory = make_territory()
    make_consultation("proposals", territory=territory, title="Ouverte à toutes et tous")
    make_consultation("proposals", territory=territory, title="Réservée aux agents", audience="agents")
    auth.login(make_user())
    assert "Réservée aux agents" not in client.get("/").get_data(as_text=True)
    auth.logout()
    auth.login(make_user("agent", territory))
    assert "Réservée aux agents" in client.get("/").get_data(as_text=True)
    auth.logout()
    auth.login(make_user())
    page = client.get("/").get_data(as_text=True)
    assert "Ouverte à toutes et tous" in page and "Réservée aux agents" not in page


def test_whom_a_person_sees_the_consultations_as(app):
    territory, other = make_territory(), make_territory()
    assert permissions.consultations_seen_as(None) == "public"
    assert permissions.consultations_seen_as(make_user()) == "public"
    assert permissions.consultations_seen_as(make_user("organiser", other)) == f"staff:{other.id}"
    agent = make_user("agent", territory)
    agent.memberships.append(Membership(territory_id=other.id, role="elu"))
    db.session.commit()
    assert permissions.consultations_seen_as(agent) == f"staff:{','.join(map(str, sorted((territory.id, other.id))))}"
