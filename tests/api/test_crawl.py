"""Crawl the whole open API over the demonstration: licence everywhere, no email, nothing reserved to agents."""

import json
import re
from urllib.parse import urlsplit

import jsonschema_rs
from sqlalchemy import select

from concertation import demo
from concertation.accounts.models import User
from concertation.api.openapi import PATHS, SCHEMAS
from concertation.consultations.models import Consultation
from concertation.db import utcnow
from concertation.extensions import db
from concertation.proposals.models import Proposal

ROOTS = [
    "/api/v1/territories",
    "/api/v1/consultations",
    "/api/v1/syntheses",
    "/api/v1/manifestos",
    "/api/v1/library",
    "/api/v1/commitments",
    "/api/v1/texts",
]


def _api_links(value):
    """Every address of the API named in a response, wherever it sits."""
    if isinstance(value, dict):
        for item in value.values():
            yield from _api_links(item)
    elif isinstance(value, list):
        for item in value:
            yield from _api_links(item)
    elif isinstance(value, str) and "/api/v1/" in value:
        parts = urlsplit(value)
        yield parts.path + (f"?{parts.query}" if parts.query else "")


def _derived(path: str, body: dict):
    """Addresses a reader builds from the ids of a collection (the details and sub-collections)."""
    items = body["data"] if isinstance(body["data"], list) else []
    if path.startswith("/api/v1/territories?") or path == "/api/v1/territories":
        yield from (f"/api/v1/territories/{t['slug']}" for t in items)
    if path.startswith("/api/v1/consultations") and path.count("/") == 3:
        for c in items:
            yield from (
                f"/api/v1/consultations/{c['id']}{suffix}"
                for suffix in ("", "/proposals", "/synthesis", "/questionnaires")
            )
    if path.endswith("/proposals") or "/proposals?" in path:
        for p in items:
            yield from (f"/api/v1/proposals/{p['id']}", f"/api/v1/proposals/{p['id']}/comments")


def response_schema(rule: str) -> dict:
    """The schema of a 200 answer of `rule` in the OpenAPI description, made self-contained."""
    path = re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule.removeprefix("/api/v1"))
    schema = PATHS[path]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", **schema, "components": {"schemas": SCHEMAS}}


def crawl(client) -> dict[str, tuple[int, str]]:
    seen: dict[str, tuple[int, str]] = {}
    queue = list(ROOTS)
    while queue:
        path = queue.pop()
        if path in seen:
            continue
        response = client.get(path)
        seen[path] = (response.status_code, response.get_data(as_text=True))
        if response.status_code != 200:
            continue
        body = response.get_json()
        assert body["meta"]["licence"]["name"] == "Licence Ouverte / Open Licence 2.0", path
        queue.extend(link for link in [*_api_links(body), *_derived(path, body)] if link not in seen)
    return seen


def test_the_whole_api_has_its_licence_and_no_personal_data(app, client):
    demo.load(utcnow())
    db.session.commit()
    emails = list(
        db.session.scalars(select(User.email).where(User.email.is_not(None)))
    )  # not the collected-contributions account
    agents_only = list(db.session.scalars(select(Consultation).where(Consultation.audience == "agents")))
    assert emails and agents_only

    seen = crawl(client)
    adapter = app.url_map.bind("localhost")
    endpoints = set()
    for path, (status, text) in seen.items():
        if status == 200:
            rule, _args = adapter.match(urlsplit(path).path, return_rule=True)
            endpoints.add(rule.endpoint)
            # Real data, not only fuzzed ids: every answer matches its description.
            jsonschema_rs.validator_for(response_schema(rule.rule)).validate(json.loads(text))
    described = {
        rule.endpoint
        for rule in app.url_map.iter_rules()
        if rule.rule.startswith("/api/v1/") and rule.endpoint != "api.openapi"
    }
    # Every kind of address was reached with data behind it (the demonstration has all of them).
    assert endpoints == described, described - endpoints
    assert len(seen) > 30
    assert {status for status, _ in seen.values()} <= {200, 404}
    everything = "\n".join(text for _, text in seen.values())
    assert "@" not in everything
    for email in emails:
        assert email not in everything and email.split("@")[0] + "@" not in everything
    for consultation in agents_only:
        assert consultation.title not in everything
        reserved = db.session.scalars(select(Proposal.title).where(Proposal.consultation_id == consultation.id))
        assert not [title for title in reserved if title in everything]
        assert (
            f"/api/v1/consultations/{consultation.id}" not in seen
            or seen[f"/api/v1/consultations/{consultation.id}"][0] == 404
        )
