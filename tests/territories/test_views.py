import re

import pytest
from sqlalchemy import select

from concertation.extensions import db
from concertation.territories.models import Territory
from tests.factories import make_territory, make_user


def test_admin_creates_a_territory_and_names_an_organiser(client, auth):
    auth.login(make_user("admin"))
    future = make_user(email="orga@ville.fr")
    response = client.post(
        "/admin/territoires",
        data={
            "name": "Ville de Lyon",
            "kind": "commune",
            "slug": "lyon",
            "code": "69123",
            "population": "520000",
            "domains": "mairie-lyon.fr\nlyon.fr",
            "description": "",
        },
    )
    assert response.status_code == 302
    territory = db.session.scalar(select(Territory).where(Territory.slug == "lyon"))
    assert [d.domain for d in territory.domains] == ["lyon.fr", "mairie-lyon.fr"]

    response = client.post("/admin/territoires/lyon/roles", data={"email": "orga@ville.fr", "role": "organiser"})
    assert response.status_code == 302
    db.session.refresh(future)
    assert future.roles_in(territory.id) == {"organiser"}
    page = client.get("/admin/territoires/lyon/roles").get_data(as_text=True)
    assert future.pseudonym in page


def test_naming_an_unknown_email_says_so(client, auth):
    auth.login(make_user("admin"))
    territory = make_territory()
    response = client.post(f"/admin/territoires/{territory.slug}/roles", data={"email": "x@inconnu.fr", "role": "elu"})
    assert response.status_code == 422
    assert "doit d’abord s’inscrire" in response.get_data(as_text=True)


def test_invalid_territory_form_keeps_what_was_typed(client, auth):
    auth.login(make_user("admin"))
    response = client.post(
        "/admin/territoires", data={"name": "Ville", "kind": "commune", "slug": "Pas Bon", "domains": "ville.fr"}
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "minuscules" in html and 'value="Pas Bon"' in html and "ville.fr" in html


@pytest.mark.parametrize("role", [None, "participant", "organiser", "elu", "agent"])
def test_only_admins_manage_territories(client, auth, role):
    territory = make_territory()
    if role:
        auth.login(make_user(None if role == "participant" else role, territory))
    for url in (
        "/admin/territoires",
        f"/admin/territoires/{territory.slug}/modifier",
        f"/admin/territoires/{territory.slug}/roles",
    ):
        response = client.get(url)
        assert response.status_code == (302 if role is None else 403), url
    response = client.post("/admin/territoires", data={"name": "X", "kind": "commune", "slug": "x"})
    assert response.status_code == (302 if role is None else 403)


def test_admin_revokes_a_role(client, auth):
    territory = make_territory()
    organiser = make_user("organiser", territory)
    auth.login(make_user("admin"))
    response = client.post(f"/admin/territoires/{territory.slug}/roles/{organiser.id}/organiser/retirer")
    assert response.status_code == 302
    db.session.refresh(organiser)
    assert organiser.roles_in(territory.id) == set()


def test_organiser_invites_an_agent_who_accepts(client, auth, outbox):
    territory = make_territory()
    organiser = make_user("organiser", territory)
    auth.login(organiser)
    response = client.post(f"/territoires/{territory.slug}/invitations", data={"email": "agent@perso.fr"})
    assert response.status_code == 302 and response.headers["Location"].endswith(
        f"/territoires/{territory.slug}/invitations"
    )
    link = re.search(r"http://localhost(/invitation/\S+)", outbox[-1].get_content()).group(1)
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "agent@perso.fr" in page and link in page  # the link, shown once to the organiser
    assert link not in client.get(response.headers["Location"]).get_data(as_text=True)
    auth.logout()

    agent = make_user(email="agent@perso.fr")
    auth.login(agent)
    assert "Rejoindre les agents" in client.get(link).get_data(as_text=True)
    assert client.post(link).status_code == 302
    db.session.refresh(agent)
    assert agent.roles_in(territory.id) == {"agent"}
    assert client.get(link).status_code == 409


def test_organiser_of_another_territory_cannot_invite(client, auth):
    territory = make_territory()
    auth.login(make_user("organiser", make_territory()))
    assert client.get(f"/territoires/{territory.slug}/invitations").status_code == 403
    assert client.post(f"/territoires/{territory.slug}/invitations", data={"email": "x@exemple.org"}).status_code == 403


def test_public_pages(client):
    territory = make_territory(name="Saint-Exemple", population=12400)
    assert "Saint-Exemple" in client.get("/territoires").get_data(as_text=True)
    html = client.get(f"/territoires/{territory.slug}").get_data(as_text=True)
    assert "Saint-Exemple" in html and "12\u202f400" in html
    assert client.get("/territoires/inconnu").status_code == 404
