"""Signing in with FranceConnect and with ProConnect in the browser, against real OpenID Connect providers
started on loopback (tests/identity/provider.py): the button, the provider's page, the first visit's
pseudonym, the sign-out that ends the provider's session too, and an agent recognised by its SIREN."""

import pytest
from playwright.sync_api import expect

from concertation.extensions import db
from tests.browser.axe import audit
from tests.browser.steps import flash, heading, main_nav
from tests.conftest import make_config
from tests.factories import make_territory
from tests.identity.conftest import oidc_settings
from tests.identity.provider import Provider

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def providers():
    started = {"franceconnect": Provider("FranceConnect").start(), "proconnect": Provider("ProConnect").start()}
    for provider in started.values():
        provider.auto = False  # the provider shows its page, whose button the person clicks
    yield started
    for provider in started.values():
        provider.stop()


@pytest.fixture
def app_config(migrated_database, tmp_path, providers):
    return make_config(migrated_database, tmp_path, **oidc_settings(providers))


def test_a_citizen_signs_in_with_franceconnect_chooses_a_pseudonym_and_signs_out_at_franceconnect(
    page, live_server, providers
):
    providers["franceconnect"].next_claims = {"sub": "fc-navigateur", "email": "lou@exemple.org"}
    page.goto("/compte/connexion")
    expect(page.get_by_role("link", name="Qu’est-ce que FranceConnect\u00a0?")).to_have_attribute("target", "_blank")
    audit(page, "connexion-franceconnect-proconnect")
    page.get_by_role("button", name="S’identifier avec FranceConnect").click()

    expect(page.get_by_role("heading", name="FranceConnect (test)")).to_be_visible()
    page.get_by_role("button", name="Continuer").click()

    expect(heading(page)).to_have_text("Bienvenue")
    audit(page, "franceconnect-bienvenue")
    page.get_by_label("Pseudonyme public").fill("Lou des Tilleuls")
    page.get_by_role("checkbox").check()
    page.get_by_role("button", name="Créer mon compte").click()
    expect(flash(page)).to_contain_text("Votre compte est créé")
    expect(main_nav(page).get_by_role("link", name="Mon compte")).to_contain_text("Lou des Tilleuls")

    page.get_by_role("button", name="Se déconnecter", exact=True).click()
    expect(flash(page)).to_contain_text("de votre fournisseur d’identité")
    assert providers["franceconnect"].logouts, "la déconnexion n’est pas passée par FranceConnect"
    expect(main_nav(page).get_by_role("link", name="Se connecter")).to_be_visible()


def test_an_agent_signs_in_with_proconnect_and_is_recognised_by_the_territorys_siren(page, live_server, providers):
    territory = make_territory(name="Saint-Aubin")
    territory.siren = "213502388"
    db.session.commit()
    providers["proconnect"].next_claims = {
        "sub": "pc-navigateur",
        "email": "a@prestataire.fr",
        "siret": "21350238800019",
    }
    page.goto("/compte/connexion")
    page.get_by_role("button", name="S’identifier avec ProConnect").click()
    page.get_by_role("button", name="Continuer").click()
    page.get_by_label("Pseudonyme public").fill("Agent de Saint-Aubin")
    page.get_by_role("checkbox").check()
    page.get_by_role("button", name="Créer mon compte").click()
    expect(flash(page)).to_contain_text("Votre compte est créé")
    page.goto("/compte/profil")
    expect(page.get_by_text("vérifié par ProConnect\u00a0: SIREN du territoire")).to_be_visible()
    expect(page.get_by_role("button", name="Délier : ProConnect")).to_be_visible()
    audit(page, "proconnect-profil")


def test_cancelling_at_the_provider_says_so(page, live_server, providers):
    page.goto("/compte/connexion")
    page.get_by_role("button", name="S’identifier avec FranceConnect").click()
    page.get_by_role("button", name="Annuler").click()
    expect(heading(page)).to_have_text("Se connecter")
    expect(page.get_by_role("alert").or_(flash(page))).to_contain_text("Vous avez annulé la connexion")


def test_a_citizen_without_password_deletes_the_account_after_franceconnect_confirms(page, live_server, providers):
    providers["franceconnect"].next_claims = {"sub": "fc-depart", "email": "sam@exemple.org"}
    page.goto("/compte/connexion")
    page.get_by_role("button", name="S’identifier avec FranceConnect").click()
    page.get_by_role("button", name="Continuer").click()
    page.get_by_label("Pseudonyme public").fill("Sam du Port")
    page.get_by_role("checkbox").check()
    page.get_by_role("button", name="Créer mon compte").click()
    expect(flash(page)).to_contain_text("Votre compte est créé")

    page.goto("/compte/mes-donnees")
    expect(page.get_by_text("FranceConnect vous demandera de vous identifier de nouveau")).to_be_visible()
    expect(page.get_by_label("Votre mot de passe, pour confirmer")).to_have_count(0)
    audit(page, "suppression-sans-mot-de-passe")
    page.get_by_label("Je comprends que mon compte sera supprimé définitivement").check()
    page.get_by_role("button", name="Supprimer définitivement mon compte").click()

    expect(page.get_by_role("heading", name="FranceConnect (test)")).to_be_visible()
    page.get_by_role("button", name="Continuer").click()
    expect(flash(page)).to_contain_text("supprimé")
    expect(main_nav(page).get_by_role("link", name="Se connecter")).to_be_visible()
