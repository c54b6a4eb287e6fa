"""The profile page, the population pages and a consultation's comparison, over HTTP."""

import io

import pytest

from concertation.participation import services
from tests.factories import make_territory, make_user
from tests.participation.scene import area_named, populated_consultation, supporters

PROFILE = "/compte/profil-de-participation"


def test_a_visitor_is_sent_to_sign_in(client):
    assert client.get(PROFILE).status_code == 302


def test_a_participant_answers_changes_and_deletes_their_profile(client, auth):
    territory = make_territory(name="Saint-Aubin")
    services.set_population(territory, {}, [services.AreaFigure("Les Prés", 400)])
    user = make_user()
    auth.login(user)
    page = client.get(PROFILE).get_data(as_text=True)
    assert "Les Prés" in page and "Saint-Aubin" in page and "jamais montrées seules" in page
    area = area_named(territory, "Les Prés")
    response = client.post(
        PROFILE, data={"age_band": "15-29", "area": str(area.id), "relation": "habitant", "pcs": "", "consent": "y"}
    )
    assert response.status_code == 302
    profile = services.profile_of(user)
    assert (profile.age_band, profile.area_id, profile.relation) == ("15-29", area.id, "habitant")
    page = client.get(PROFILE).get_data(as_text=True)
    assert 'selected value="15-29"' in page and "Supprimer mes réponses" in page
    assert client.post(f"{PROFILE}/supprimer").status_code == 302
    assert services.profile_of(user) is None


def test_without_the_agreement_nothing_is_kept_and_the_form_comes_back(client, auth):
    user = make_user()
    auth.login(user)
    response = client.post(PROFILE, data={"age_band": "30-44", "area": "", "relation": "", "pcs": ""})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Cochez l’accord" in page and 'selected value="30-44"' in page
    assert services.profile_of(user) is None


def test_a_forged_area_is_refused(client, auth):
    user = make_user()
    auth.login(user)
    response = client.post(PROFILE, data={"area": "987654", "consent": "y"})
    assert response.status_code == 422 and "de la liste" in response.get_data(as_text=True)


def test_a_profile_without_csrf_is_refused(client, auth):
    user = make_user()
    auth.login(user)
    assert client.post(PROFILE, data={"age_band": "30-44", "consent": "y"}, csrf=False).status_code in (400, 422)
    assert services.profile_of(user) is None


@pytest.mark.parametrize("role, status", [("participant", 403), ("elu", 403), ("agent", 403), ("other", 403)])
def test_only_the_territory_s_organisers_manage_its_population(client, auth, role, status):
    territory = make_territory()
    user = (
        make_user("organiser", make_territory())
        if role == "other"
        else make_user(None if role == "participant" else role, territory)
    )
    auth.login(user)
    assert client.get(f"/territoires/{territory.slug}/population").status_code == status
    assert client.post(f"/territoires/{territory.slug}/population", data={"age_15_29": "10"}).status_code == status


def test_an_organiser_types_the_population(client, auth):
    territory = make_territory()
    auth.login(make_user("organiser", territory))
    url = f"/territoires/{territory.slug}/population"
    assert client.get(url).status_code == 200
    response = client.post(
        url, data={"age_15_29": "2000", "age_75": "900", "areas": "Centre ; 6 000 ; 99101\nLes Prés;4400"}
    )
    assert response.status_code == 302
    population = services.population_of(territory)
    assert population.ages == {"15-29": 2000, "75+": 900}
    assert [(a.name, a.population) for a in population.areas] == [("Centre", 6000), ("Les Prés", 4400)]
    page = client.get(url).get_data(as_text=True)
    assert "Centre; 6000; 99101" in page


def test_a_bad_typed_line_is_named_and_the_text_kept(client, auth):
    territory = make_territory()
    auth.login(make_user("organiser", territory))
    response = client.post(
        f"/territoires/{territory.slug}/population", data={"age_15_29": "-5", "areas": "Centre;beaucoup"}
    )
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Centre;beaucoup" in page
    assert services.population_of(territory).is_empty


def _upload(client, slug, data: bytes, name="population.csv"):
    return client.post(
        f"/territoires/{slug}/population/import",
        data={"import-file": (io.BytesIO(data), name)},
        content_type="multipart/form-data",
    )


def test_an_organiser_imports_an_insee_file(client, auth):
    territory = make_territory()
    auth.login(make_user("organiser", territory))
    data = (
        "CODGEO;LIBGEO;P21_POP1529;P21_POP3044;P21_POP4559;P21_POP6074;P21_POP75P\n99101;Saint-Aubin;10;20;30;40;50\n"
    )
    response = _upload(client, territory.slug, data.encode())
    assert response.status_code == 302
    assert services.population_of(territory).ages["75+"] == 50
    page = client.get(f"/territoires/{territory.slug}/population").get_data(as_text=True)
    assert "LIBGEO" in page and "POP1529" in page  # the accepted columns are documented on the page


@pytest.mark.parametrize(
    "data, message",
    [
        (b"LIBGEO;P21_POP1529\nA;1\n", "POP3044"),
        (b"LIBGEO;POP1529;POP3044;POP4559;POP6074;POP75P\nA;1;2;3;x;5\n", "Ligne 2"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "CSV"),
        (b"nom;pop1529;pop3044;pop4559;pop6074;pop75p\nA;1;2;3;4;5\na;1;2;3;4;5\n", "deux fois"),
    ],
)
def test_a_bad_file_is_refused_in_french_without_changing_anything(client, auth, data, message):
    territory = make_territory()
    auth.login(make_user("organiser", territory))
    response = _upload(client, territory.slug, data)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert services.population_of(territory).is_empty


def test_an_import_without_a_file_is_refused(client, auth):
    territory = make_territory()
    auth.login(make_user("organiser", territory))
    response = client.post(f"/territoires/{territory.slug}/population/import", data={})
    assert response.status_code == 422 and "Choisissez un fichier" in response.get_data(as_text=True)


def test_another_territory_s_organiser_cannot_import(client, auth):
    territory = make_territory()
    auth.login(make_user("organiser", make_territory()))
    assert _upload(client, territory.slug, b"nom;pop1529\n").status_code == 403


def test_the_comparison_is_read_by_organisers_and_elus_only(client, auth):
    consultation = populated_consultation()
    supporters(consultation, [("30-44", "Centre")] * 12 + [("45-59", "Les Prés")] * 3)
    url = f"/consultations/{consultation.id}/qui-a-participe"
    for user, status in [
        (make_user(), 403),
        (make_user("agent", consultation.territory), 403),
        (make_user("organiser", make_territory()), 403),
        (make_user("elu", consultation.territory), 200),
        (make_user("organiser", consultation.territory), 200),
    ]:
        auth.login(user)
        assert client.get(url).status_code == status
        auth.logout()
    auth.login(make_user("elu", consultation.territory))
    page = client.get(url).get_data(as_text=True)
    assert "Les limites de ces chiffres" in page and "<svg" in page
    assert "<td>12</td>" in page  # the 12 of 30–44 living in the Centre
    assert "<td>3</td>" not in page and "masqué" in page
    assert client.get("/consultations/999999/qui-a-participe").status_code == 404


def test_the_consultation_page_links_the_comparison_for_its_elus(client, auth):
    consultation = populated_consultation()
    auth.login(make_user("elu", consultation.territory))
    page = client.get(f"/consultations/{consultation.id}").get_data(as_text=True)
    assert f"/consultations/{consultation.id}/qui-a-participe" in page


def test_the_profile_page_reads_in_english(client, auth):
    auth.login(make_user(locale="en"))
    page = client.get(PROFILE).get_data(as_text=True)
    assert "I agree that these answers" in page and "Your age band" in page
