import html
import re

import pytest
from sqlalchemy import select

from concertation.commitments.models import Commitment, CommitmentChange
from concertation.extensions import db
from tests.commitments.scenes import make_commitment, published_synthesis
from tests.factories import make_territory, make_user


def text(response) -> str:
    return re.sub(r"\s+", " ", html.unescape(response.get_data(as_text=True)))


FORM = {
    "title": "Former tous les agents à l’IA",
    "description": "Un plan de formation.",
    "responsible_service": "Ressources humaines",
    "status": "committed",
    "status_reason": "",
    "progress": "15",
}


def test_the_public_page_shows_status_progress_milestones_links_and_history(client):
    scene = published_synthesis()
    commitment = make_commitment(scene)
    page = text(client.get(f"/engagements/{commitment.id}"))
    assert commitment.title in page and "Engagé" in page
    assert '<progress id="avancement-' in page and 'value="10"' in page
    assert f'href="/propositions/{scene.retained.id}"' in page
    assert f"/consultations/{scene.consultation.id}/synthese/versions/1" in page
    assert '<ol class="commitment-history" reversed>' in page and "Engagement créé." in page
    assert "Mettre à jour" not in page  # a visitor sees no organiser's button


def test_lists_per_territory_and_platform_filter_by_status_and_count_per_status(client):
    scene = published_synthesis()
    make_commitment(scene, title="Former les agents à l’IA")
    make_commitment(scene, title="Étudier un assistant d’accueil", proposal_ids=[], status="under_study")
    elsewhere = make_commitment(published_synthesis(), title="Un engagement d’ailleurs")
    page = text(client.get(f"/territoires/{scene.territory.slug}/engagements"))
    assert "Former les agents" in page and "Étudier un assistant" in page and elsewhere.title not in page
    assert "<svg" in page and '<title id="statuts-titre">' in page
    assert re.search(r"<th scope=\"row\">Engagé</th><td>1</td>", page)
    assert re.search(r"<th scope=\"row\">Total</th><td>2</td>", page)
    everywhere = text(client.get("/engagements"))
    assert elsewhere.title in everywhere and "Former les agents" in everywhere
    only_studied = text(client.get("/engagements?statut=under_study"))
    assert "Étudier un assistant" in only_studied and "Former les agents" not in only_studied
    one_territory = text(client.get(f"/engagements?territoire={elsewhere.territory.slug}"))
    assert elsewhere.title in one_territory and "Former les agents" not in one_territory
    # Unknown filters are ignored, never an error.
    assert client.get("/engagements?statut=inconnu&territoire=nulle-part&page=999999999999").status_code == 200


def test_an_organiser_creates_a_commitment_from_the_territory_page(client, auth):
    scene = published_synthesis()
    auth.login(scene.organiser)
    territory_page = text(client.get(f"/territoires/{scene.territory.slug}"))
    assert f"/territoires/{scene.territory.slug}/engagements/nouveau" in territory_page
    form = text(client.get(f"/territoires/{scene.territory.slug}/engagements/nouveau"))
    assert scene.retained.title in form and scene.refused.title not in form
    response = client.post(
        f"/territoires/{scene.territory.slug}/engagements/nouveau",
        data={**FORM, "proposals": [str(scene.retained.id)], "synthesis": str(scene.version.id)},
    )
    assert response.status_code == 302
    commitment = db.session.scalar(select(Commitment))
    assert response.headers["Location"].endswith(f"/engagements/{commitment.id}")
    assert [link.proposal_id for link in commitment.proposal_links] == [scene.retained.id]
    assert commitment.progress == 15 and commitment.responsible_service == "Ressources humaines"


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"title": "IA"}, "Le titre doit faire entre 5 et 200 caractères."),
        ({"progress": "beaucoup"}, "L’avancement est un nombre entier entre 0 et 100."),
        ({"progress": "150"}, "L’avancement est un nombre entier entre 0 et 100."),
        ({"status": "abandoned"}, "le motif est obligatoire"),
        ({"status": "bientôt"}, "Choisissez un statut"),
        ({"proposals": "abc"}, "Un choix coché n’est pas valide."),
        ({"synthesis": "999999"}, "Cette synthèse n’est pas une synthèse publiée de ce territoire."),
    ],
)
def test_bad_input_is_refused_in_french_and_the_form_comes_back_filled(client, auth, changes, message):
    scene = published_synthesis()
    auth.login(scene.organiser)
    response = client.post(f"/territoires/{scene.territory.slug}/engagements/nouveau", data={**FORM, **changes})
    assert response.status_code == 422
    page = text(response)
    assert message in page and "Un plan de formation." in page
    assert db.session.scalar(select(Commitment)) is None


def test_an_update_joins_the_history_with_its_note(client, auth):
    scene = published_synthesis()
    commitment = make_commitment(scene)
    auth.login(scene.organiser)
    assert client.get(f"/engagements/{commitment.id}/modifier").status_code == 200
    response = client.post(
        f"/engagements/{commitment.id}/modifier",
        data={
            **FORM,
            "title": commitment.title,
            "status": "in_progress",
            "progress": "60",
            "note": "Deux sessions faites.",
        },
    )
    assert response.status_code == 302
    page = text(client.get(f"/engagements/{commitment.id}"))
    assert "Statut : Engagé → En cours" in page and "Avancement : 10 % → 60 %" in page
    assert "Deux sessions faites." in page
    nothing = client.post(
        f"/engagements/{commitment.id}/modifier",
        data={**FORM, "title": commitment.title, "status": "in_progress", "progress": "60", "note": ""},
    )
    assert nothing.status_code == 422 and "Rien n’a changé" in text(nothing)


def test_a_service_named_for_the_first_time_reads_as_a_plain_value_not_an_empty_quote(client, auth):
    scene = published_synthesis()
    commitment = make_commitment(scene, responsible_service="")
    auth.login(scene.organiser)
    status = commitment.status
    data = {**FORM, "title": commitment.title, "status": status, "progress": str(commitment.progress), "note": ""}
    named = client.post(f"/engagements/{commitment.id}/modifier", data={**data, "responsible_service": "Direction RH"})
    assert named.status_code == 302
    page = text(client.get(f"/engagements/{commitment.id}"))
    assert "Service responsable : « Direction RH »" in page
    assert "« »" not in page  # whitespace is collapsed by text()


def test_milestones_are_added_and_reached_from_the_edit_page(client, auth):
    scene = published_synthesis()
    commitment = make_commitment(scene)
    auth.login(scene.organiser)
    response = client.post(
        f"/engagements/{commitment.id}/jalons", data={"title": "Marché public lancé", "due_on": "2027-03-01"}
    )
    assert response.status_code == 302
    db.session.refresh(commitment)
    [milestone] = commitment.milestones
    bad = client.post(
        f"/engagements/{commitment.id}/jalons/{milestone.id}/atteint", data={f"m{milestone.id}-done_on": "hier"}
    )
    assert bad.status_code == 422 and "Indiquez une date valide" in text(bad)
    done = client.post(f"/engagements/{commitment.id}/jalons/{milestone.id}/atteint", data={})
    assert done.status_code == 302
    page = text(client.get(f"/engagements/{commitment.id}"))
    assert "Jalon ajouté : Marché public lancé" in page and "Jalon atteint : Marché public lancé" in page
    again = client.post(f"/engagements/{commitment.id}/jalons/{milestone.id}/atteint", data={})
    assert again.status_code == 422 and "déjà atteint" in text(again)
    other = make_commitment(scene, title="Un autre engagement", proposal_ids=[])
    assert client.post(f"/engagements/{other.id}/jalons/{milestone.id}/atteint", data={}).status_code == 404
    assert client.post(f"/engagements/{commitment.id}/jalons", data={"title": ""}).status_code == 422


def test_bulk_creation_is_offered_on_the_published_synthesis_and_skips_what_already_has_one(client, auth):
    scene = published_synthesis()
    auth.login(scene.organiser)
    url = f"/consultations/{scene.consultation.id}/synthese/versions/1/engagements"
    assert url in text(client.get(f"/consultations/{scene.consultation.id}/synthese"))
    first = scene.version.retained[0]
    response = client.post(url, data={"retained": [str(first.id)], "status": "committed"})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/territoires/{scene.territory.slug}/engagements")
    page = text(client.get(url))
    assert "1 proposition retenue a déjà son engagement." in page
    assert scene.version.retained[1].title in page
    assert client.post(url, data={"retained": [], "status": "committed"}).status_code == 422
    assert client.post(url, data={"retained": [str(first.id)], "status": "committed"}).status_code == 422
    assert db.session.scalar(select(db.func.count(Commitment.id))) == 1
    assert client.get(f"/consultations/{scene.consultation.id}/synthese/versions/9/engagements").status_code == 404


ROLES = ["visitor", "participant", "agent", "elu", "other_organiser", "organiser", "admin"]
ALLOWED = {"organiser", "admin"}


def person(role, territory):
    if role == "visitor":
        return None
    if role == "participant":
        return make_user()
    if role == "other_organiser":
        return make_user("organiser", make_territory())
    if role == "admin":
        return make_user("admin")
    return make_user(role, territory)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", ["create", "edit", "milestone", "bulk"])
def test_only_the_territory_organisers_reach_the_forms(client, auth, role, action):
    scene = published_synthesis()
    commitment = make_commitment(scene)
    user = person(role, scene.territory)
    if user is not None:
        auth.login(user)
    url = {
        "create": f"/territoires/{scene.territory.slug}/engagements/nouveau",
        "edit": f"/engagements/{commitment.id}/modifier",
        "milestone": f"/engagements/{commitment.id}/jalons",
        "bulk": f"/consultations/{scene.consultation.id}/synthese/versions/1/engagements",
    }[action]
    response = client.post(url, data={}) if action == "milestone" else client.get(url)
    if role in ALLOWED:
        assert response.status_code in (200, 422)
    elif role == "visitor":
        assert response.status_code == 302 and "/compte/connexion" in response.headers["Location"]
    else:
        assert response.status_code == 403
    changes = db.session.scalars(select(CommitmentChange)).all()
    assert len(changes) == 1  # nobody changed anything


def test_forms_need_the_csrf_token(client, auth):
    scene = published_synthesis()
    commitment = make_commitment(scene)
    auth.login(scene.organiser)
    response = client.post(f"/engagements/{commitment.id}/modifier", data={**FORM, "note": "x"}, csrf=False)
    assert response.status_code == 400
    assert client.post(f"/engagements/{commitment.id}/jalons", data={"title": "Jalon"}, csrf=False).status_code == 400
    assert len(db.session.scalars(select(CommitmentChange)).all()) == 1


def test_forged_ids_are_404(client, auth):
    assert client.get("/engagements/999999").status_code == 404
    assert client.get("/engagements/99999999999999").status_code == 404
    assert client.get("/territoires/nulle-part/engagements").status_code == 404


@pytest.mark.parametrize(
    "method, path",
    [
        ("get", "/engagements/{c}/modifier"),
        ("post", "/engagements/{c}/modifier"),
        ("post", "/engagements/{c}/jalons"),
        ("post", "/engagements/{c}/jalons/1/atteint"),
        ("get", "/engagements/{c}/liens"),
        ("get", "/consultations/{s}/synthese/versions/1/engagements"),
    ],
)
def test_the_organisers_pages_answer_404_for_what_does_not_exist_and_403_to_others(client, auth, method, path):
    scene = published_synthesis()
    commitment = make_commitment(scene)
    auth.login(make_user("organiser", make_territory()))
    send = getattr(client, method)
    assert send(path.format(c=999999, s=999999), data={}).status_code == 404
    assert send(path.format(c=commitment.id, s=scene.consultation.id), data={}).status_code == 403


def test_open_data_has_the_commitments_and_no_personal_data(client):
    import csv
    import io
    import json

    scene = published_synthesis()
    commitment = make_commitment(scene, title="=Former les agents")
    other = make_commitment(published_synthesis(), title="Un engagement d’ailleurs", proposal_ids=[])
    response = client.get(f"/territoires/{scene.territory.slug}/engagements.csv")
    assert response.status_code == 200 and 'rel="license"' in response.headers["Link"]
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert [r["id"] for r in rows] == [str(commitment.id)]
    assert rows[0]["titre"] == "'=Former les agents"  # a spreadsheet does not run it
    assert rows[0]["statut"] == "engagé" and rows[0]["avancement"] == "10"
    assert rows[0]["propositions"] == str(scene.retained.id)
    body = client.get("/engagements/engagements.json").get_data(as_text=True)
    data = json.loads(body)
    assert data["metadata"]["licence"]["name"].startswith("Licence Ouverte")
    assert {d["id"] for d in data["data"]} == {commitment.id, other.id}
    assert scene.organiser.email not in body and scene.organiser.pseudonym not in body


def test_the_elus_dashboard_lists_the_territory_commitments(client, auth):
    scene = published_synthesis()
    commitment = make_commitment(scene)
    make_commitment(published_synthesis(), title="Un engagement d’ailleurs", proposal_ids=[])
    auth.login(make_user("elu", scene.territory))
    page = text(client.get(f"/territoires/{scene.territory.slug}/tableau-de-bord"))
    assert "Les engagements du territoire" in page
    assert f'href="/engagements/{commitment.id}"' in page and "Un engagement d’ailleurs" not in page


def test_a_link_to_a_proposal_reserved_to_agents_is_shown_only_to_them(client, auth):
    from concertation.commitments import services
    from concertation.db import utcnow
    from tests.factories import make_consultation, make_proposal_row

    consultation = make_consultation("synthesis", audience="agents")
    organiser = db.session.get(type(make_user()), consultation.created_by_id)
    internal = make_proposal_row(consultation, title="Un outil interne de tri du courrier", answer="retained")
    commitment = services.create_commitment(
        organiser,
        consultation.territory,
        services.CommitmentData(title="Trier le courrier avec l’aide d’un outil"),
        utcnow(),
        proposal_ids=[internal.id],
    )
    db.session.commit()
    assert "Un outil interne de tri" not in text(client.get(f"/engagements/{commitment.id}"))
    auth.login(make_user("agent", consultation.territory))
    assert "Un outil interne de tri" in text(client.get(f"/engagements/{commitment.id}"))


def test_the_pages_read_in_english(client, auth):
    scene = published_synthesis()
    commitment = make_commitment(scene)
    client.set_cookie("locale", "en")
    page = text(client.get(f"/engagements/{commitment.id}"))
    assert "Commitment of " in page and "History" in page and "Committed" in page and "Commitment created." in page
    listing = text(client.get("/engagements"))
    assert "The territories’ commitments" in listing and "Commitments by status" in listing
