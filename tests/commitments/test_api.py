"""The read-only API of commitments: public facts, milestones and public notes, never who changed what."""

from concertation.commitments import services
from concertation.db import utcnow
from concertation.extensions import db
from tests.commitments.scenes import make_commitment, published_synthesis


def test_the_list_filters_by_status_and_territory_and_refuses_unknown_values_in_french(client):
    scene = published_synthesis()
    kept = make_commitment(scene, status="in_progress", progress=40)
    make_commitment(scene, title="Un autre engagement", status="committed")
    body = client.get("/api/v1/commitments?status=in_progress").get_json()
    assert [c["id"] for c in body["data"]] == [kept.id]
    assert body["data"][0]["progress"] == 40 and body["data"][0]["territory"] == scene.territory.slug
    assert body["data"][0]["proposals"] == [scene.retained.id]
    mine = client.get(f"/api/v1/commitments?territory={scene.territory.slug}").get_json()
    assert mine["meta"]["total"] == 2
    refused = client.get("/api/v1/commitments?status=fini")
    assert refused.status_code == 400 and "status" in refused.get_data(as_text=True)
    # An unknown territory filters to nothing, as /api/v1/consultations does.
    unknown = client.get("/api/v1/commitments?territory=nulle-part")
    assert unknown.status_code == 200 and unknown.get_json()["data"] == []
    consultations = client.get("/api/v1/consultations?territory=nulle-part")
    assert consultations.status_code == 200 and consultations.get_json()["data"] == []


def test_one_commitment_has_its_milestones_and_public_history_without_who_made_the_changes(client):
    scene = published_synthesis()
    commitment = make_commitment(scene)
    services.add_milestone(scene.organiser, commitment, "Premier atelier", None, utcnow())
    db.session.commit()
    response = client.get(f"/api/v1/commitments/{commitment.id}")
    data = response.get_json()["data"]
    assert [m["title"] for m in data["milestones"]] == ["Premier atelier"]
    assert len(data["history"]) >= 2
    text = response.get_data(as_text=True)
    assert scene.organiser.email not in text and scene.organiser.public_name not in text
    assert client.get("/api/v1/commitments/999999").status_code == 404
