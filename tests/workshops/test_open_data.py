"""The consultation's open data says which contributions were collected at a workshop (column ``workshop_id``),
like the API, and its documentation page describes that column."""

import csv
import html
import io
import re
from datetime import timedelta

from concertation.api.openapi import spec
from concertation.db import utcnow
from concertation.extensions import db
from concertation.workshops import outcome
from tests.factories import make_consultation, make_proposal, make_workshop


def rows(response) -> list[dict]:
    assert response.status_code == 200
    return list(csv.DictReader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))


def scene():
    consultation = make_consultation("proposals")
    online = make_proposal(consultation, title="Déposée en ligne")
    workshop = make_workshop(consultation, starts_in=timedelta(days=-1))
    spoken = outcome.collect_proposal(
        workshop, "Dite à l’oral en atelier", "Sur une fiche.", consultation.themes[0].id, utcnow()
    )
    comment = outcome.collect_comment(workshop, online, "Remarque orale.", None, utcnow())
    db.session.commit()
    return consultation, workshop, online, spoken, comment


def test_the_proposals_and_comments_files_give_the_workshop_of_collected_contributions(client):
    consultation, workshop, online, spoken, comment = scene()
    base = f"/consultations/{consultation.id}/donnees"
    proposals = {int(r["id"]): r for r in rows(client.get(f"{base}/propositions.csv"))}
    assert proposals[spoken.id]["workshop_id"] == str(workshop.id)
    assert proposals[online.id]["workshop_id"] == ""
    comments = {int(r["id"]): r for r in rows(client.get(f"{base}/commentaires.csv"))}
    assert comments[comment.id]["workshop_id"] == str(workshop.id)
    document = client.get(f"{base}/propositions.json").get_json()
    by_id = {r["id"]: r for r in document["data"]}
    assert by_id[spoken.id]["workshop_id"] == workshop.id and by_id[online.id]["workshop_id"] == ""
    assert "workshop_id" in [c["name"] for c in document["metadata"]["columns"]]
    assert client.get(f"{base}/commentaires.json").get_json()["data"][0]["workshop_id"] == workshop.id


def test_the_files_the_api_and_the_documentation_name_the_column_alike(client):
    consultation, workshop, online, spoken, _comment = scene()
    text = re.sub(
        r"\s+", " ", html.unescape(client.get(f"/consultations/{consultation.id}/donnees").get_data(as_text=True))
    )
    assert text.count("workshop_id") == 2  # in the proposals' table and in the comments'
    assert "Identifiant public de l’atelier où la proposition a été recueillie" in text
    schemas = spec()["components"]["schemas"]
    assert "workshop_id" in schemas["Proposal"]["properties"]
    assert all("workshop_id" in kind["properties"] for kind in schemas["Comment"]["oneOf"][:1])
    listed = {p["id"]: p for p in client.get(f"/api/v1/consultations/{consultation.id}/proposals").get_json()["data"]}
    published = {
        int(r["id"]): r for r in rows(client.get(f"/consultations/{consultation.id}/donnees/propositions.csv"))
    }
    for proposal_id in (spoken.id, online.id):
        assert published[proposal_id]["workshop_id"] == str(listed[proposal_id]["workshop_id"] or "")
