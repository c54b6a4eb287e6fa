"""Signing up and signing in work with JavaScript turned off (the forms are plain HTML forms)."""

import pytest
from playwright.sync_api import expect

from tests.browser.steps import error_of, flash, heading, last_email_to, link_in, main_nav, sign_out

pytestmark = pytest.mark.browser

EMAIL = "sans.javascript@exemple.org"
PASSWORD = "une phrase de passe sans script"


def test_sign_up_confirm_and_sign_in_without_javascript(browsing, outbox):
    page = browsing.new_page(javascript=False)
    page.goto("/compte/inscription")
    expect(heading(page)).to_have_text("Créer un compte")
    page.get_by_label("Adresse électronique").fill("pas-une-adresse")
    page.get_by_label("Pseudonyme public").fill("Sans script")
    page.get_by_role("button", name="Créer mon compte").click()
    expect(error_of(page, page.get_by_label("Adresse électronique"))).to_be_visible()
    expect(page.get_by_label("Pseudonyme public")).to_have_value("Sans script")
    # JavaScript really is off: static/js/enhance.js would have moved the focus to the summary.
    expect(page.get_by_role("alert")).to_be_visible()
    expect(page.get_by_role("alert")).not_to_be_focused()

    page.get_by_label("Adresse électronique").fill(EMAIL)
    page.get_by_label("Mot de passe", exact=True).fill(PASSWORD)
    page.get_by_role("checkbox").check()
    page.get_by_role("button", name="Créer mon compte").click()
    expect(heading(page)).to_have_text("Vérifiez vos courriels")

    page.goto(link_in(last_email_to(outbox, EMAIL)))
    expect(flash(page)).to_contain_text("Votre adresse est confirmée")
    sign_out(page)

    main_nav(page).get_by_role("link", name="Se connecter").click()
    page.get_by_label("Adresse électronique").fill(EMAIL)
    page.get_by_role("button", name="Se connecter").click()
    expect(error_of(page, page.get_by_label("Mot de passe", exact=True))).to_be_visible()
    expect(page.get_by_label("Adresse électronique")).to_have_value(EMAIL)
    page.get_by_label("Mot de passe", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    expect(flash(page)).to_contain_text("Vous êtes connecté·e.")
    expect(main_nav(page).get_by_role("link", name="Mon compte")).to_contain_text("Sans script")
