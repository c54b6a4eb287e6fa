"""Participatory texts in the open API: paragraphs, amendments and answers, adopted versions, and no secret count."""

import json

import jsonschema_rs

from concertation.db import utcnow
from concertation.extensions import db
from concertation.texts import services
from tests.api.test_crawl import response_schema
from tests.factories import make_user
from tests.queries import statements_for
from tests.texts.scene import adopted_with_mentions, grades_change_later, make_amendment, make_text
from tests.texts.test_exports import adopted


def data(client, url):
    response = client.get(url)
    assert response.status_code == 200, response.get_data(as_text=True)
    body = response.get_json()
    assert body["meta"]["licence"]["name"] == "Licence Ouverte / Open Licence 2.0"
    return body


def test_a_text_has_its_paragraphs_amendments_answers_and_versions(client):
    version, rewriting, rejected, addition = adopted()
    text = version.text
    listing = data(client, "/api/v1/texts")["data"]
    assert [t["id"] for t in listing] == [text.id]
    assert listing[0]["status"] == "adopted" and listing[0]["adopted_versions"] == [1]
    assert listing[0]["paragraph_count"] == 4 and listing[0]["amendment_count"] == 3
    body = data(client, listing[0]["api_url"].removeprefix("http://localhost"))
    jsonschema_rs.validator_for(response_schema("/api/v1/texts/<int:text_id>")).validate(body)
    detail = body["data"]
    assert [p["number"] for p in detail["paragraphs"]] == [1, 2, 3, 4]
    assert detail["paragraphs"][1]["chapter"] == "Principes"
    amendments = {a["id"]: a for a in detail["amendments"]}
    assert amendments[rewriting.id]["author"] == "Alice Martin"
    assert amendments[rejected.id]["status"] == "rejected"
    assert "Le choix avec les agents reste essentiel." in amendments[rejected.id]["answer_html"]
    adopted_version = detail["versions"][0]
    assert adopted_version["pdf_url"].endswith(f"/textes/versions/{version.id}/texte-adopte.pdf")
    changed = next(p for p in adopted_version["paragraphs"] if p["change"] == "changed")
    assert changed["draft_number"] == 2 and "agents formés" in changed["body_html"]
    assert changed["sources"] == [
        {
            "amendment_id": rewriting.id,
            "hidden": False,
            "reason": None,
            "author": "Alice Martin",
            "support_count": None,
            "judges": None,
            "majority_mention": None,
            "majority_label": None,
        }
    ]
    added = next(p for p in adopted_version["paragraphs"] if p["change"] == "added")
    assert added["draft_number"] is None and added["sources"][0]["amendment_id"] == addition.id
    everything = json.dumps(body)
    assert "@" not in everything and "alice.secret" not in everything


def test_supports_leave_only_once_the_counts_may_be_shown(client):
    secret, *_ = adopted(live=False)
    public, rewriting, *_ = adopted(live=True, first="Bruno")
    hidden = data(client, f"/api/v1/texts/{secret.text_id}")["data"]
    assert hidden["supports_public"] is False
    assert {a["support_count"] for a in hidden["amendments"]} == {None}
    shown = data(client, f"/api/v1/texts/{public.text_id}")["data"]
    assert shown["supports_public"] is True
    assert {a["id"]: a["support_count"] for a in shown["amendments"]}[rewriting.id] == 3
    sources = [s for p in shown["versions"][0]["paragraphs"] for s in p["sources"]]
    assert {s["amendment_id"]: s["support_count"] for s in sources}[rewriting.id] == 3


def test_drafts_and_texts_reserved_to_agents_are_not_found(client):
    draft = make_text(status="draft")
    reserved = make_text(audience="agents")
    opened = make_text()
    assert [t["id"] for t in data(client, "/api/v1/texts")["data"]] == [opened.id]
    assert client.get(f"/api/v1/texts/{draft.id}").status_code == 404
    assert client.get(f"/api/v1/texts/{reserved.id}").status_code == 404
    assert client.get("/api/v1/texts/999999").status_code == 404
    by_consultation = data(client, f"/api/v1/texts?consultation={opened.consultation_id}")["data"]
    assert [t["id"] for t in by_consultation] == [opened.id]
    assert data(client, f"/api/v1/texts?consultation={draft.consultation_id}")["data"] == []
    bad = client.get("/api/v1/texts?consultation=abc")
    assert bad.status_code == 400 and bad.mimetype == "application/problem+json"


def test_the_list_costs_the_same_queries_for_two_texts_as_for_eight(client):
    counts = []
    for size in (2, 8):
        for _ in range(size):
            text = make_text()
            make_amendment(text, 2, author=make_user())
        counts.append(statements_for(client, "/api/v1/texts?per_page=100"))
    assert counts[0] == counts[1]


def test_an_amendment_author_who_deletes_their_account_shows_the_neutral_pseudonym(client):
    text = make_text()
    author = make_user(pseudonym="Alice Martin")
    make_amendment(text, 2, author=author)
    author.deleted_at = utcnow()
    db.session.commit()
    detail = data(client, f"/api/v1/texts/{text.id}")["data"]
    assert detail["amendments"][0]["author"] != "Alice Martin"
    assert services.text_amendments(text)[0].author.public_name == detail["amendments"][0]["author"]


def test_an_adopted_version_gives_the_majority_mentions_frozen_at_adoption_once_counts_may_be_shown(client, app):
    app.config["LIVE_RESULTS_MIN_JUDGES"] = 3
    text, amendment, version = adopted_with_mentions(results_live=True)
    grades_change_later(amendment)
    body = data(client, f"/api/v1/texts/{text.id}")
    jsonschema_rs.validator_for(response_schema("/api/v1/texts/<int:text_id>")).validate(body)
    [source] = [s for p in body["data"]["versions"][0]["paragraphs"] for s in p["sources"]]
    assert (source["judges"], source["majority_mention"], source["majority_label"]) == (5, 4, "Très bien")
    assert source["support_count"] is None  # no supports under majority judgment

    secret_text, _amendment, _version = adopted_with_mentions(results_live=False)
    body = data(client, f"/api/v1/texts/{secret_text.id}")
    [source] = [s for p in body["data"]["versions"][0]["paragraphs"] for s in p["sources"]]
    assert source["judges"] is None and source["majority_mention"] is None
