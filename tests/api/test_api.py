import re

from concertation.api.openapi import PATHS
from tests.factories import make_consultation, make_territory


def test_territories_are_paginated_with_licence_and_links(client):
    for n in range(3):
        make_territory(name=f"Commune {n}")
    body = client.get("/api/v1/territories?per_page=2").get_json()
    assert len(body["data"]) == 2 and body["meta"]["total"] == 3 and body["meta"]["pages"] == 2
    assert body["meta"]["licence"]["name"] == "Licence Ouverte / Open Licence 2.0"
    assert body["links"]["next"].endswith("page=2") and body["links"]["prev"] is None
    second = client.get(body["links"]["next"]).get_json()
    assert len(second["data"]) == 1 and second["links"]["next"] is None


def test_consultation_detail_has_phases_themes_and_no_personal_data(client):
    consultation = make_consultation("vote", themes=["Formation"])
    organiser_email = next(m.user.email for m in consultation.territory.memberships)
    response = client.get(f"/api/v1/consultations/{consultation.id}")
    body = response.get_json()["data"]
    assert body["current_phase"] == "vote" and [t["name"] for t in body["themes"]] == ["Formation"]
    assert [p["kind"] for p in body["phases"]] == ["information", "proposals", "vote", "synthesis", "closed"]
    assert organiser_email not in response.get_data(as_text=True)
    assert "@" not in response.get_data(as_text=True).replace("mailto:", "")


def test_agents_only_consultations_are_not_in_the_open_api(client):
    hidden = make_consultation(audience="agents")
    shown = make_consultation()
    ids = [c["id"] for c in client.get("/api/v1/consultations").get_json()["data"]]
    assert ids == [shown.id]
    assert client.get(f"/api/v1/consultations/{hidden.id}").status_code == 404


def test_filter_consultations_by_territory(client):
    first = make_consultation()
    make_consultation()
    body = client.get(f"/api/v1/consultations?territory={first.territory.slug}").get_json()
    assert [c["id"] for c in body["data"]] == [first.id]


def test_etag_answers_304_when_unchanged(client):
    make_territory()
    first = client.get("/api/v1/territories")
    etag = first.headers["ETag"]
    again = client.get("/api/v1/territories", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.data == b""
    make_territory()
    assert client.get("/api/v1/territories", headers={"If-None-Match": etag}).status_code == 200


def test_cors_is_open_for_reading(client):
    response = client.get("/api/v1/territories", headers={"Origin": "https://journal.example"})
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert client.post("/api/v1/territories").status_code == 405


def test_errors_are_problem_details_in_french(client):
    missing = client.get("/api/v1/consultations/999999")
    assert missing.status_code == 404 and missing.mimetype == "application/problem+json"
    assert missing.get_json() == {
        "type": "about:blank",
        "title": "Page introuvable",
        "status": 404,
        "detail": "Cette page n’existe pas ou n’existe plus.",
    }
    bad = client.get("/api/v1/territories?page=zero")
    assert bad.status_code == 400 and "entier positif" in bad.get_json()["detail"]
    too_many = client.get("/api/v1/territories?per_page=1000")
    assert too_many.status_code == 400 and "100" in too_many.get_json()["detail"]
    huge = client.get("/api/v1/consultations/99999999999999999999")
    assert huge.status_code == 404


def test_every_api_route_is_described_and_every_described_path_exists(app, client):
    routes = set()
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith("/api/v1/") and rule.endpoint != "api.openapi":
            routes.add(re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule.rule.removeprefix("/api/v1")))
    assert routes == set(PATHS)
    spec = client.get("/api/v1/openapi.json").get_json()
    assert spec["openapi"] == "3.1.0" and set(spec["paths"]) == routes


def test_rate_limited_per_client(limited_app):
    client = limited_app.test_client()
    statuses = [client.get("/api/v1/territories").status_code for _ in range(301)]
    assert statuses[:300] == [200] * 300 and statuses[300] == 429
    limited = client.get("/api/v1/territories")
    assert limited.mimetype == "application/problem+json" and "Trop de requêtes" in limited.get_json()["title"]
