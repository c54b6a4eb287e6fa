"""A citizen's account, in the browser: sign up, confirm from the email, sign in, edit the profile, sign out."""

import pytest
from playwright.sync_api import expect

from tests.browser.axe import audit
from tests.browser.steps import error_of, flash, heading, last_email_to, link_in, main_nav, sign_out

pytestmark = pytest.mark.browser

EMAIL = "nouvelle.habitante@exemple.org"
PASSWORD = "une phrase de passe assez longue"


def test_a_citizen_signs_up_confirms_signs_in_edits_profile_and_signs_out(page, outbox):
    page.goto("/")
    main_nav(page).get_by_role("link", name="Créer un compte").click()
    expect(heading(page)).to_have_text("Créer un compte")
    audit(page, "citoyen-inscription")

    # Sent empty: every field says what is missing, next to it, and the summary links to them.
    page.get_by_role("button", name="Créer mon compte").click()
    expect(page.get_by_role("alert")).to_be_visible()
    for label in ("Adresse électronique", "Pseudonyme public", "Mot de passe"):
        expect(error_of(page, page.get_by_label(label, exact=True))).to_be_visible()
        expect(page.get_by_role("alert").get_by_role("link", name=label)).to_be_visible()
    expect(error_of(page, page.get_by_role("checkbox"))).to_be_visible()
    audit(page, "citoyen-inscription-erreurs")

    page.get_by_label("Adresse électronique").fill(EMAIL)
    page.get_by_label("Pseudonyme public").fill("Habitante du bourg")
    page.get_by_label("Mot de passe", exact=True).fill(PASSWORD)
    page.get_by_role("checkbox").check()
    page.get_by_role("button", name="Créer mon compte").click()
    expect(heading(page)).to_have_text("Vérifiez vos courriels")
    audit(page, "citoyen-verifiez-vos-courriels")

    # Not confirmed yet: signing in is refused, with the way out.
    page.goto("/compte/connexion")
    page.get_by_label("Adresse électronique").fill(EMAIL)
    page.get_by_label("Mot de passe", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("alert")).to_contain_text("pas encore confirmée")
    expect(page.get_by_role("link", name="Recevoir un nouveau lien de confirmation")).to_be_visible()

    # The link of the email confirms the account and signs the person in.
    page.goto(link_in(last_email_to(outbox, EMAIL)))
    expect(flash(page)).to_contain_text("Votre adresse est confirmée")
    expect(main_nav(page).get_by_role("link", name="Mon compte")).to_contain_text("Habitante du bourg")
    sign_out(page)

    # A wrong password is refused; what was typed in the address stays.
    main_nav(page).get_by_role("link", name="Se connecter").click()
    page.get_by_label("Adresse électronique").fill(EMAIL)
    page.get_by_label("Mot de passe", exact=True).fill("pas le bon mot de passe")
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("alert")).to_contain_text("incorrect")
    expect(page.get_by_label("Adresse électronique")).to_have_value(EMAIL)
    audit(page, "citoyen-connexion-refusee")
    page.get_by_label("Mot de passe", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    expect(flash(page)).to_contain_text("Vous êtes connecté·e.")

    main_nav(page).get_by_role("link", name="Mon compte").click()
    expect(heading(page)).to_have_text("Mon compte")
    expect(main_nav(page).get_by_role("link", name="Mon compte")).to_have_attribute("aria-current", "page")
    expect(page.get_by_text(EMAIL)).to_be_visible()
    expect(page.get_by_label("Pseudonyme public")).to_have_value("Habitante du bourg")
    audit(page, "citoyen-profil")
    page.get_by_label("Pseudonyme public").fill("Habitante du Vieux Bourg")
    page.get_by_label("Nom (facultatif, jamais publié)").fill("Jeanne Martin")
    page.get_by_role("button", name="Enregistrer mon profil").click()
    expect(flash(page)).to_contain_text("Votre profil est enregistré.")
    expect(page.get_by_label("Pseudonyme public")).to_have_value("Habitante du Vieux Bourg")
    expect(page.get_by_label("Nom (facultatif, jamais publié)")).to_have_value("Jeanne Martin")
    expect(main_nav(page).get_by_role("link", name="Mon compte")).to_contain_text("Habitante du Vieux Bourg")
    audit(page, "citoyen-profil-enregistre")

    sign_out(page)
    page.goto("/compte/profil")
    expect(heading(page)).to_have_text("Se connecter")
    expect(flash(page)).to_contain_text("Connectez-vous")
