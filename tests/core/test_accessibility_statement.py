"""The accessibility statement (RGAA model) and a territory's own published audit."""

import html
import re
from datetime import date

import pytest

from concertation.extensions import db
from concertation.territories.models import AccessibilityAudit
from tests.factories import make_territory, make_user


def text(response) -> str:
    return re.sub(r"\s+", " ", html.unescape(response.get_data(as_text=True)))


def test_the_statement_follows_the_rgaa_model(client, app):
    page = text(client.get("/accessibilite"))
    assert "non conforme" in page and "partiellement conforme" not in page
    assert "aucun audit" in page
    assert "1er décembre 2026" in page  # the date it was established
    assert "axe-core" in page and "1 280 et 320 pixels" in page and "clavier seul" in page
    assert "lecteur d’écran" in page  # says what was not done
    assert f'href="mailto:{app.config["CONTACT_EMAIL"]}"' in client.get("/accessibilite").get_data(as_text=True)
    assert "Défenseur des droits" in page and "Libre réponse 71120" in page and "75342 Paris CEDEX 07" in page
    assert "formulaire.defenseurdesdroits.fr" in page and "délégué du Défenseur des droits" in page
    assert "Accessibilité : non conforme" in text(client.get("/"))


def test_a_territory_without_audit_takes_the_platform_status(client):
    territory = make_territory(name="Département du Nord", kind="departement")
    page = text(client.get(f"/territoires/{territory.slug}/accessibilite"))
    assert "Aucun audit n’a été publié par le Département du Nord" in page and "non conforme" in page
    assert "Publier le résultat" not in page


AUDIT = {
    "status": "partiellement",
    "audited_on": "2026-10-15",
    "auditor": "Cabinet Accès",
    "rate": "72,5",
    "report_url": "https://exemple.fr/rapport-rgaa.pdf",
}


def test_an_organiser_publishes_the_territory_audit(client, auth):
    territory = make_territory(name="Communauté d’agglomération du Val", kind="intercommunalite")
    auth.login(make_user("organiser", territory))
    form = client.get(f"/territoires/{territory.slug}/accessibilite/audit")
    assert form.status_code == 200
    response = client.post(f"/territoires/{territory.slug}/accessibilite/audit", data=AUDIT)
    assert response.status_code == 302
    page = text(client.get(f"/territoires/{territory.slug}/accessibilite"))
    assert "Selon l’audit publié par la Communauté d’agglomération du Val" in page
    assert "partiellement conforme" in page and "15 octobre 2026" in page and "Cabinet Accès" in page
    assert "72,5 % des critères" in page
    assert 'href="https://exemple.fr/rapport-rgaa.pdf"' in client.get(
        f"/territoires/{territory.slug}/accessibilite"
    ).get_data(as_text=True)


@pytest.mark.parametrize(
    "change, field_error",
    [
        ({"rate": "30"}, "« non conforme »"),  # a status the rate does not allow
        ({"audited_on": "2099-01-01"}, "La date de l’audit doit être passée."),
        ({"report_url": "javascript:alert(1)"}, "http:// ou https://"),
        ({"rate": "120"}, "entre 0 et 100"),
        ({"auditor": ""}, "Indiquez qui a réalisé l’audit."),
    ],
)
def test_bad_audits_are_refused_and_keep_what_was_typed(client, auth, change, field_error):
    territory = make_territory()
    auth.login(make_user("organiser", territory))
    response = client.post(f"/territoires/{territory.slug}/accessibilite/audit", data={**AUDIT, **change})
    assert response.status_code == 422
    page = text(response)
    assert field_error in page
    if "auditor" not in change:
        assert 'value="Cabinet Accès"' in page
    assert db.session.query(AccessibilityAudit).count() == 0


@pytest.mark.parametrize("role", [None, "participant", "agent", "elu", "other-organiser"])
def test_only_the_territory_organisers_and_admins_publish_an_audit(client, auth, role):
    territory = make_territory()
    if role == "other-organiser":
        auth.login(make_user("organiser", make_territory()))
    elif role == "participant":
        auth.login(make_user())
    elif role:
        auth.login(make_user(role, territory))
    url = f"/territoires/{territory.slug}/accessibilite/audit"
    assert client.get(url).status_code in ((302,) if role is None else (403,))
    assert client.post(url, data=AUDIT).status_code in ((302,) if role is None else (403,))
    assert db.session.query(AccessibilityAudit).count() == 0


def test_an_admin_publishes_and_replaces_an_audit(client, auth):
    territory = make_territory()
    auth.login(make_user("admin"))
    url = f"/territoires/{territory.slug}/accessibilite/audit"
    assert client.post(url, data=AUDIT).status_code == 302
    assert client.post(url, data={**AUDIT, "status": "totalement", "rate": "100"}).status_code == 302
    [audit] = db.session.query(AccessibilityAudit).all()
    assert audit.status == "totalement" and audit.rate == 100 and audit.audited_on == date(2026, 10, 15)
