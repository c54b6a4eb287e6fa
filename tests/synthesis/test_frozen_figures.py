"""Figures frozen at publication stay frozen in every output a reader sees, after new votes arrive.

Each output is read after the live counts have moved: the synthesis page, its PDF and ODT, the API,
and the manifesto's open data (JSON) that cites the synthesis. A test fails if any of them serves
live figures instead of the frozen ones.
"""

import json

import pytest


from concertation.extensions import db
from concertation.proposals.models import Proposal
from tests.factories import make_support
from tests.manifesto.scene import manifesto_with_point, published_synthesis
from tests.documents import odt_text, pdf_text

FROZEN, LIVE = 3, 11


def _scene():
    consultation, version, _organiser = published_synthesis(supports=FROZEN)
    proposal = db.session.get(Proposal, version.retained[0].proposal_id)
    for _ in range(LIVE - FROZEN):
        make_support(proposal)
    db.session.commit()
    assert db.session.get(Proposal, proposal.id).support_count == LIVE
    return consultation, version


def _flat(text: str) -> str:
    return " ".join(text.split())


def test_the_synthesis_page_keeps_the_frozen_counts(client):
    consultation, _version = _scene()
    page = _flat(client.get(f"/consultations/{consultation.id}/synthese").get_data(as_text=True))
    assert f"{FROZEN} soutiens" in page
    assert f"{LIVE} soutiens" not in page


@pytest.mark.parametrize("fmt, text_of", [("pdf", pdf_text), ("odt", odt_text)])
def test_the_printed_documents_keep_the_frozen_counts(client, fmt, text_of):
    consultation, _version = _scene()
    response = client.get(f"/consultations/{consultation.id}/synthese/versions/1/synthese.{fmt}")
    assert response.status_code == 200
    text = _flat(text_of(response.data))
    assert f"{FROZEN} soutiens" in text
    assert f"{LIVE} soutiens" not in text


def test_the_api_keeps_the_frozen_counts(client):
    consultation, _version = _scene()
    data = client.get(f"/api/v1/consultations/{consultation.id}/synthesis/versions/1").get_json()["data"]
    assert data["figures"]["votes"] == FROZEN
    assert [r["support_count"] for r in data["retained"]] == [FROZEN]


def test_the_manifestos_open_data_keeps_the_frozen_counts(client):
    _consultation, version = _scene()
    manifesto, _draft, _point, _editor = manifesto_with_point(version)
    response = client.get(f"/manifeste/{manifesto.slug}/versions/1/manifeste.json")
    assert response.status_code == 200
    data = json.loads(response.data)
    sources = [s for chapter in data["chapters"] for point in chapter["points"] for s in point["sources"]]
    assert [s["proposal"]["supports"] for s in sources] == [FROZEN]
