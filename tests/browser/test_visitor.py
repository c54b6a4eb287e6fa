"""A visitor, not signed in, reads the home page, a territory and a consultation with its calendar and resources."""

import pytest
from playwright.sync_api import expect

from concertation import phases
from concertation.consultations.services import consultations_of, open_consultations
from tests.browser.axe import audit
from tests.browser.steps import heading

pytestmark = pytest.mark.browser


def test_a_visitor_reads_home_territory_and_consultation(page, demo_scene):
    listed = open_consultations(None, demo_scene.now)
    reserved = [c for c in demo_scene.all_consultations() if c.audience == "agents"]
    assert listed and reserved

    page.goto("/")
    expect(heading(page)).to_be_visible()
    for consultation in listed:
        expect(page.get_by_role("link", name=consultation.title, exact=True)).to_be_visible()
    for consultation in reserved:
        expect(page.get_by_text(consultation.title)).to_have_count(0)
    audit(page, "visiteur-accueil")

    consultation = demo_scene.consultation("proposals")
    territory = consultation.territory
    card = page.get_by_role("listitem").filter(has=page.get_by_role("link", name=consultation.title, exact=True))
    card.get_by_role("link", name=territory.name).click()
    expect(heading(page)).to_have_text(territory.name)
    for other in consultations_of(territory, None, demo_scene.now):
        expect(page.get_by_role("link", name=other.title, exact=True)).to_be_visible()
    expect(page.get_by_role("link", name="Créer une consultation")).to_have_count(0)
    audit(page, "visiteur-territoire")

    page.get_by_role("link", name=consultation.title, exact=True).click()
    expect(heading(page)).to_have_text(consultation.title)
    expect(page.get_by_text(consultation.summary)).to_be_visible()
    breadcrumb = page.get_by_role("navigation", name="Fil d’Ariane")
    expect(breadcrumb.get_by_role("link", name=territory.name)).to_be_visible()

    # The calendar: the five phases in order, the current one marked as such.
    calendar = page.get_by_role("region", name="Calendrier").get_by_role("listitem")
    expect(calendar).to_have_count(len(phases.PHASE_ORDER))
    for step, kind in zip(calendar.all(), phases.PHASE_ORDER):
        expect(step).to_contain_text(phases.PHASE_LABELS[kind])
    now = phases.current_phase(consultation.phases, demo_scene.now)
    current = page.locator('.steps [aria-current="step"]')
    expect(current).to_have_count(1)
    expect(current).to_contain_text(phases.PHASE_LABELS[now])
    expect(current).to_contain_text("en cours")

    for theme in consultation.themes:
        expect(page.get_by_role("region", name="Thèmes").get_by_text(theme.name)).to_be_visible()
    resources = page.get_by_role("region", name="S’informer avant de débattre")
    assert consultation.resources
    for resource in consultation.resources:
        link = resources.get_by_role("link", name=resource.title)
        expect(link).to_have_attribute("href", resource.url)
        expect(resources.get_by_text(resource.description)).to_be_visible()
    expect(page.get_by_role("link", name="Modifier la consultation")).to_have_count(0)
    audit(page, "visiteur-consultation")

    breadcrumb.get_by_role("link", name=territory.name).click()
    expect(heading(page)).to_have_text(territory.name)


def test_a_visitor_who_wants_to_propose_signs_in_and_lands_on_the_form(page, demo_scene):
    consultation = demo_scene.consultation("proposals")
    page.goto(f"/consultations/{consultation.id}")
    stepper = page.locator(".stepper")
    expect(stepper.get_by_role("heading")).to_have_text("Étape 2 sur 5 : Propositions")
    page.get_by_role("region", name="Participer maintenant").get_by_role("link", name="Déposer une proposition").click()
    expect(heading(page)).to_have_text("Se connecter")
    expect(page.get_by_text("vous reviendrez ensuite")).to_be_visible()
    page.get_by_label("Adresse électronique").fill(demo_scene.account("participant").email)
    page.get_by_label("Mot de passe", exact=True).fill(demo_scene.password)
    page.get_by_role("button", name="Se connecter").click()
    expect(heading(page)).to_have_text("Faire une proposition")
    assert page.url.endswith(f"/consultations/{consultation.id}/propositions/nouvelle")


def test_on_a_phone_the_header_is_one_line_and_the_menu_opens_without_javascript(browsing, demo_scene):
    page = browsing.new_page(javascript=False)
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto("/")
    header = page.get_by_role("banner")
    assert header.bounding_box()["height"] < 80
    menu = page.locator("details.nav-menu > summary")
    expect(menu).to_be_visible()
    expect(page.get_by_role("link", name="Se connecter")).to_have_count(0)
    menu.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("link", name="Se connecter")).to_be_visible()
    expect(page.get_by_role("button", name="English")).to_be_visible()
    page.get_by_role("button", name="English").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Artificial intelligence")
