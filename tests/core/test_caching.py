"""Anonymous pages shared between visitors and cacheable; results computed once per change."""

from concertation.db import utcnow
from concertation.extensions import db
from concertation.voting import results as vote_results, services as voting
from tests.factories import make_consultation, make_proposal, make_user, when_open
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
