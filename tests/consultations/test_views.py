import io

from concertation import phases
from concertation.consultations.models import Consultation, Resource
from concertation.dates import utc_to_paris
from concertation.db import utcnow
from concertation.extensions import db
from tests.factories import make_consultation, make_territory, make_user


def form_data(**kw):
    data = {"title": "Former les agents à l’IA", "summary": "Vos priorités de formation",
            "description": "Une **belle** description", "themes": "Formation\nAccueil",
            "audience": "both", "voting_method": "support", "support_limit": "3"}
    for d in phases.consecutive_phases("proposals", utcnow()):
        data[f"{d.kind}_start"] = utc_to_paris(d.starts_at).strftime("%Y-%m-%dT%H:%M")
        if d.ends_at:
            data[f"{d.kind}_end"] = utc_to_paris(d.ends_at).strftime("%Y-%m-%dT%H:%M")
    data.update(kw)
    return data


def test_organiser_creates_a_consultation(client, auth):
    territory = make_territory()
    auth.login(make_user("organiser", territory))
    response = client.post(f"/territoires/{territory.slug}/consultations/nouvelle", data=form_data())
    assert response.status_code == 302
    consultation = db.session.query(Consultation).one()
    assert consultation.support_limit == 3 and consultation.audience == "both"
    html = client.get(f"/consultations/{consultation.id}").get_data(as_text=True)
    assert "Former les agents à l’IA" in html and "<strong>belle</strong>" in html
    assert 'aria-current="step"' in html and "Phase\u00a0: Propositions" in html
    assert "Formation" in html and "Accueil" in html


def test_the_typed_paris_time_is_stored_in_utc(client, auth):
    territory = make_territory()
    auth.login(make_user("organiser", territory))
    data = form_data(information_start="2026-07-01T09:00")
    client.post(f"/territoires/{territory.slug}/consultations/nouvelle", data=data)
    consultation = db.session.query(Consultation).one()
    assert consultation.phase("information").starts_at.isoformat() == "2026-07-01T07:00:00+00:00"


def test_bad_dates_are_refused_next_to_the_field_and_nothing_is_lost(client, auth):
    territory = make_territory()
    auth.login(make_user("organiser", territory))
    data = form_data(vote_start=form_data()["proposals_start"])
    response = client.post(f"/territoires/{territory.slug}/consultations/nouvelle", data=data)
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "ne peuvent ni se chevaucher ni revenir en arrière" in html
    assert 'id="vote_start-error"' in html
    assert "Une **belle** description" in html and 'value="Former les agents à l’IA"' in html
    assert db.session.query(Consultation).count() == 0


def test_malformed_dates_are_a_422_not_a_500(client, auth):
    territory = make_territory()
    auth.login(make_user("organiser", territory))
    response = client.post(f"/territoires/{territory.slug}/consultations/nouvelle",
                           data=form_data(information_start="31/02/2026", support_limit="beaucoup"))
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "date/heure valide" in html and "entier valide" in html


def test_a_participant_may_not_create_or_edit(client, auth):
    consultation = make_consultation()
    auth.login(make_user())
    assert client.get(f"/territoires/{consultation.territory.slug}/consultations/nouvelle").status_code == 403
    assert client.post(f"/territoires/{consultation.territory.slug}/consultations/nouvelle",
                       data=form_data()).status_code == 403
    assert client.post(f"/consultations/{consultation.id}/modifier", data=form_data()).status_code == 403


def test_an_organiser_of_another_territory_may_not_edit(client, auth):
    consultation = make_consultation()
    auth.login(make_user("organiser", make_territory()))
    assert client.get(f"/consultations/{consultation.id}/modifier").status_code == 403
    assert client.get(f"/consultations/{consultation.id}/ressources").status_code == 403


def test_organiser_edits_a_consultation(client, auth):
    consultation = make_consultation("information")
    auth.login(consultation_organiser(consultation))
    page = client.get(f"/consultations/{consultation.id}/modifier").get_data(as_text=True)
    assert consultation.title in page and "Formation" in page
    response = client.post(f"/consultations/{consultation.id}/modifier", data=form_data(title="Nouveau titre"))
    assert response.status_code == 302
    db.session.refresh(consultation)
    assert consultation.title == "Nouveau titre"


def consultation_organiser(consultation):
    from concertation.territories.services import members
    return members(consultation.territory, "organiser")[0]


def test_agents_only_consultations_are_hidden_from_others(client, auth):
    consultation = make_consultation(audience="agents")
    assert client.get(f"/consultations/{consultation.id}").status_code == 403
    assert consultation.title not in client.get("/").get_data(as_text=True)
    auth.login(make_user("agent", make_territory()))
    assert client.get(f"/consultations/{consultation.id}").status_code == 403
    auth.logout()
    auth.login(make_user("agent", consultation.territory))
    assert client.get(f"/consultations/{consultation.id}").status_code == 200
    assert consultation.title in client.get("/").get_data(as_text=True)


def test_home_lists_open_consultations_with_territory_phase_and_dates(client):
    consultation = make_consultation("vote")
    html = client.get("/").get_data(as_text=True)
    assert consultation.title in html and consultation.territory.name in html
    assert "Phase\u00a0: Vote" in html and "Jusqu’au" in html


def test_unknown_consultation_is_404(client):
    assert client.get("/consultations/999999").status_code == 404


def test_resources_link_and_document(client, auth, app):
    consultation = make_consultation("information")
    auth.login(consultation_organiser(consultation))
    url = f"/consultations/{consultation.id}/ressources"
    assert client.post(url, data={"title": "Guide", "url": "https://www.cnil.fr/"}).status_code == 302
    pdf = (io.BytesIO(b"%PDF-1.4 test"), "fiche IA.pdf")
    assert client.post(url, data={"title": "Fiche", "file": pdf}, content_type="multipart/form-data"
                       ).status_code == 302
    exe = (io.BytesIO(b"MZ"), "virus.exe")
    refused = client.post(url, data={"title": "Mauvais", "file": exe}, content_type="multipart/form-data")
    assert refused.status_code == 422 and "pas accepté" in refused.get_data(as_text=True)

    auth.logout()
    page = client.get(f"/consultations/{consultation.id}").get_data(as_text=True)
    assert "Guide" in page and "Fiche" in page
    document = db.session.query(Resource).filter_by(kind="document").one()
    download = client.get(f"/ressources/{document.id}/document")
    assert download.status_code == 200 and download.data == b"%PDF-1.4 test"
    assert download.mimetype == "application/pdf"
    download.close()


def test_remove_resource_of_another_consultation_is_404(client, auth):
    consultation = make_consultation("information")
    other = make_consultation("information")
    from concertation.consultations.services import add_resource
    resource = add_resource(other, "Lien", "", "https://exemple.org")
    db.session.commit()
    auth.login(consultation_organiser(consultation))
    response = client.post(f"/consultations/{consultation.id}/ressources/{resource.id}/retirer")
    assert response.status_code == 404
    assert db.session.get(Resource, resource.id) is not None


def test_home_is_paginated(client):
    for _ in range(14):
        make_consultation("vote")
    first = client.get("/").get_data(as_text=True)
    assert first.count('class="card"') == 12 and "(14)" in first and 'rel="next"' in first
    second = client.get("/?page=2").get_data(as_text=True)
    assert second.count('class="card"') == 2
    assert client.get("/?page=999").status_code == 200
