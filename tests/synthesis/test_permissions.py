"""Who may do what with syntheses: role × action through the views, and forged ids (403/404, never 500)."""

import pytest

from concertation import permissions
from concertation.db import utcnow
from concertation.extensions import db
from concertation.synthesis import services
from tests.factories import make_consultation, make_proposal_row, make_territory, make_user

ROLES = ["visitor", "participant", "agent", "organiser", "other_organiser", "elu", "admin"]
# action: (method, path template, roles allowed)
ACTIONS = {
    "read draft": ("GET", "/consultations/{c}/synthese/rediger", {"organiser", "admin"}),
    "start": ("POST", "/consultations/{c}/synthese/commencer", {"organiser", "admin"}),
    "aid": ("GET", "/consultations/{c}/synthese/aide", {"organiser", "admin"}),
    "full export": ("GET", "/consultations/{c}/donnees/completes/propositions.csv", {"organiser", "admin"}),
    "merge log": ("GET", "/consultations/{c}/donnees/completes/journal-des-fusions.csv", {"organiser", "admin"}),
    "dashboard": ("GET", "/territoires/{t}/tableau-de-bord", {"organiser", "elu", "admin"}),
    "open data": ("GET", "/consultations/{c}/donnees/propositions.json", set(ROLES)),
    "reading room": ("GET", "/syntheses", set(ROLES)),
}


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
@pytest.mark.parametrize("action", list(ACTIONS))
def test_role_by_action(client, auth, role, action):
    territory = make_territory()
    consultation = make_consultation("synthesis", territory=territory)
    user = person(role, territory)
    if user is not None:
        auth.login(user)
    method, path, allowed = ACTIONS[action]
    url = path.format(c=consultation.id, t=territory.slug)
    response = client.get(url) if method == "GET" else client.post(url)
    if role in allowed:
        assert response.status_code in (200, 302), response.status_code
        if response.status_code == 302:
            assert "/compte/connexion" not in response.headers["Location"]
    elif role == "visitor":
        assert response.status_code == 302 and "/compte/connexion" in response.headers["Location"]
    else:
        assert response.status_code == 403


@pytest.mark.parametrize("phase", ["proposals", "vote", "closed"])
def test_writing_is_only_in_the_synthesis_phase(client, auth, phase):
    territory = make_territory()
    organiser = make_user("organiser", territory)
    consultation = make_consultation(phase, territory=territory)
    assert permissions.can(organiser, "synthesis.prepare", consultation)
    assert not permissions.can(organiser, "synthesis.write", consultation)
    auth.login(organiser)
    assert client.post(f"/consultations/{consultation.id}/synthese/commencer").status_code == 403
    assert client.get(f"/consultations/{consultation.id}/synthese/rediger").status_code == 200


def test_agents_only_consultation_hides_its_synthesis_and_data_from_outsiders(client, auth):
    territory = make_territory()
    organiser = make_user("organiser", territory)
    consultation = make_consultation("synthesis", territory=territory, audience="agents", author=organiser)
    proposal = make_proposal_row(consultation, answer="retained")
    synthesis = services.start_synthesis(organiser, consultation)
    services.update_synthesis(synthesis, "Synthèse interne", "Texte.", {})
    services.set_retained(synthesis, [proposal.id])
    services.publish(organiser, synthesis, utcnow())
    db.session.commit()
    assert client.get(f"/consultations/{consultation.id}/synthese").status_code == 403
    assert client.get(f"/consultations/{consultation.id}/donnees/propositions.csv").status_code == 403
    assert "Synthèse interne" not in client.get("/syntheses").get_data(as_text=True)
    auth.login(make_user("agent", territory))
    assert client.get(f"/consultations/{consultation.id}/synthese").status_code == 200


def test_forged_ids_are_404_never_500(client, auth):
    territory = make_territory()
    organiser = make_user("organiser", territory)
    consultation = make_consultation("synthesis", territory=territory, author=organiser)
    services.start_synthesis(organiser, consultation)
    other = make_consultation("synthesis")
    other_synthesis = services.start_synthesis(make_user(), other)
    foreign = make_proposal_row(other)
    mine = make_proposal_row(consultation)
    db.session.commit()
    other_section = other_synthesis.sections[0].id
    auth.login(organiser)
    c = consultation.id
    for url in (
        "/consultations/999999/synthese",
        f"/consultations/{c}/synthese",
        f"/consultations/{c}/synthese/versions/0",
        f"/consultations/{c}/synthese/versions/1/synthese.pdf",
        f"/consultations/{c}/donnees/votes.csv",
        f"/consultations/{c}/donnees/propositions.xml",
        "/territoires/inconnu/tableau-de-bord",
        "/consultations/999999/synthese/rediger",
    ):
        assert client.get(url).status_code == 404, url
    for url, data in (
        (f"/consultations/{c}/synthese/sections/{other_section}/citations", {}),
        (f"/consultations/{c}/synthese/citations/999999/retirer", {}),
        (f"/consultations/{c}/synthese/fusionner", {"duplicate_id": foreign.id, "target_id": mine.id}),
        (f"/consultations/{c}/synthese/fusionner", {"duplicate_id": 999999, "target_id": mine.id}),
    ):
        assert client.post(url, data=data).status_code == 404, url
    # Merging into a proposal of another consultation is refused in French, not a crash.
    response = client.post(
        f"/consultations/{c}/synthese/fusionner", data={"duplicate_id": mine.id, "target_id": foreign.id}
    )
    assert response.status_code == 422 and "même consultation" in response.get_data(as_text=True)
    # Another territory's organiser cannot write into this synthesis with a forged section id.
    auth.logout()
    auth.login(make_user("organiser", make_territory()))
    assert client.post(f"/consultations/{other.id}/synthese/sections/{other_section}/citations").status_code == 403


def test_the_citation_search_is_for_the_consultations_organisers_and_finds_only_its_contributions(client, auth):
    territory = make_territory()
    organiser = make_user("organiser", territory)
    consultation = make_consultation("synthesis", territory=territory, author=organiser)
    section = services.start_synthesis(organiser, consultation).sections[0].id
    make_proposal_row(consultation, title="Former les agents du guichet")
    other = make_consultation("synthesis")
    other_section = services.start_synthesis(make_user(), other).sections[0].id
    make_proposal_row(other, title="Former les agents d’ailleurs")
    db.session.commit()
    url = f"/consultations/{consultation.id}/synthese/sections/{section}/contributions?q=former"
    auth.login(make_user())
    assert client.get(url).status_code == 403
    auth.logout()
    auth.login(make_user("organiser", make_territory()))
    assert client.get(url).status_code == 403
    auth.logout()
    auth.login(organiser)
    found = client.get(url).get_data(as_text=True)
    assert "Former les agents du guichet" in found and "ailleurs" not in found
    assert (
        client.get(f"/consultations/{consultation.id}/synthese/sections/{other_section}/contributions?q=x").status_code
        == 404
    )
    assert client.get(url + "x" * 5000).status_code == 200
