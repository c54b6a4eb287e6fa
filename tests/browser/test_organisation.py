"""Organising, in the browser: an admin creates a territory and names an organiser, who creates a
consultation (bad dates first) and adds a resource; an agent accepts an organiser's invitation."""

from datetime import timedelta

import pytest
from playwright.sync_api import expect

from concertation import phases
from concertation.db import utcnow
from tests.browser.axe import audit
from tests.browser.steps import error_of, flash, heading, last_email_to, link_in, main_nav, sign_in, sign_out
from tests.factories import make_user

pytestmark = pytest.mark.browser

TERRITORY = "Ville de Beaulieu-sur-Loire"
TITLE = "Des agents formés avant tout outil d’IA"


def phase_dates(start):
    """The days five back-to-back phases of a week each begin from `start`, as the form wants them typed."""
    return {f"{kind}_start": f"{start + timedelta(weeks=i):%Y-%m-%d}" for i, kind in enumerate(phases.PHASE_ORDER)}


def test_an_admin_names_an_organiser_who_creates_a_consultation(browsing, demo_scene):
    organiser = make_user(pseudonym="Nadia, cheffe de projet")

    admin = browsing.new_page()
    sign_in(admin, demo_scene.account("admin").email, demo_scene.password)
    main_nav(admin).get_by_role("link", name="Administration").click()
    expect(heading(admin)).to_have_text("Administration des territoires")
    admin.get_by_label("Nom", exact=True).fill(TERRITORY)
    admin.get_by_label("Type de collectivité").select_option(label="Commune")
    admin.get_by_label("Identifiant d’adresse").fill("beaulieu-sur-loire")
    admin.get_by_label("Domaines de courriel des agents (facultatif)").fill("mairie-beaulieu.example")
    admin.get_by_role("button", name="Créer le territoire").click()
    expect(flash(admin)).to_contain_text(TERRITORY)
    expect(heading(admin)).to_contain_text(TERRITORY)

    admin.get_by_label("Adresse électronique de la personne").fill(organiser.email)
    admin.get_by_label("Rôle").select_option(label="Organisateur·rice")
    admin.get_by_role("button", name="Nommer").click()
    expect(flash(admin)).to_contain_text(organiser.pseudonym)
    expect(admin.get_by_role("region", name="Organisateur·rices").get_by_role("listitem")).to_contain_text(
        organiser.pseudonym
    )
    expect(admin.get_by_role("button", name=f"Retirer le rôle : {organiser.pseudonym}")).to_be_visible()
    audit(admin, "admin-roles-nomme")
    sign_out(admin)

    page = browsing.new_page()
    sign_in(page, organiser.email)
    main_nav(page).get_by_role("link", name="Territoires").click()
    page.get_by_role("link", name=TERRITORY).click()
    expect(heading(page)).to_have_text(TERRITORY)
    page.get_by_role("link", name="Créer une consultation").click()
    expect(heading(page)).to_contain_text(TERRITORY)

    page.get_by_label("Titre").fill(TITLE)
    page.get_by_label("Résumé en une phrase").fill("Quelles formations avant d’utiliser l’IA au quotidien ?")
    page.get_by_label("Description").fill("La commune veut **former avant d’équiper**.")
    page.get_by_label("Thèmes").fill("Formation des agents\nMédiation numérique")
    page.get_by_label("Habitant·es et agents", exact=False).check()
    page.get_by_label("Nombre maximal de soutiens par personne (facultatif)").fill("3")
    start = (utcnow() + timedelta(days=7)).replace(hour=9, minute=0, second=0, microsecond=0, tzinfo=None)
    dates = phase_dates(start)
    # The proposals begin before the information: refused, next to the field.
    dates["proposals_start"] = f"{start - timedelta(days=3):%Y-%m-%d}"
    for name, value in dates.items():
        page.locator(f"#{name}").fill(value)
    page.get_by_role("button", name="Créer la consultation").click()

    expect(page.get_by_role("alert")).to_be_visible()
    proposals_start = page.get_by_label("Début des propositions")
    expect(error_of(page, proposals_start)).to_contain_text("doit commencer après")
    # Nothing typed is lost.
    expect(page.get_by_label("Titre")).to_have_value(TITLE)
    expect(page.get_by_label("Thèmes")).to_have_value("Formation des agents\nMédiation numérique")
    expect(page.get_by_label("Habitant·es et agents", exact=False)).to_be_checked()
    expect(page.get_by_label("Nombre maximal de soutiens par personne (facultatif)")).to_have_value("3")
    expect(proposals_start).to_have_value(dates["proposals_start"])
    expect(page.locator("#vote_start")).to_have_value(dates["vote_start"])
    audit(page, "organisateur-consultation-erreur")

    proposals_start.fill(phase_dates(start)["proposals_start"])
    page.get_by_role("button", name="Créer la consultation").click()
    expect(flash(page)).to_contain_text("La consultation est créée")
    expect(heading(page)).to_contain_text(TITLE)
    audit(page, "organisateur-ressources")

    page.get_by_label("Titre", exact=True).fill("La CNIL et l’intelligence artificielle")
    page.get_by_label("Description (facultatif)").fill("Les recommandations de la CNIL.")
    page.get_by_label("Lien (adresse web)").fill("https://www.cnil.fr/fr/intelligence-artificielle")
    page.get_by_role("button", name="Ajouter").click()
    expect(flash(page)).to_contain_text("La ressource est ajoutée.")
    expect(page.get_by_role("listitem").filter(has_text="La CNIL et l’intelligence artificielle")).to_be_visible()
    expect(page.get_by_role("button", name="Retirer : La CNIL et l’intelligence artificielle")).to_be_visible()

    page.get_by_role("link", name="Voir la consultation").click()
    expect(heading(page)).to_have_text(TITLE)
    expect(page.get_by_text("La consultation n’a pas encore commencé")).to_be_visible()
    expect(page.get_by_role("region", name="Calendrier").get_by_role("listitem")).to_have_count(len(phases.PHASE_ORDER))
    expect(page.get_by_role("region", name="Présentation").locator("strong")).to_have_text("former avant d’équiper")
    resource = page.get_by_role("link", name="La CNIL et l’intelligence artificielle")
    expect(resource).to_have_attribute("href", "https://www.cnil.fr/fr/intelligence-artificielle")
    audit(page, "organisateur-consultation-creee")


def test_an_agent_accepts_an_organisers_invitation(browsing, demo_scene, outbox):
    reserved = demo_scene.consultation("information", audience="agents")
    territory = reserved.territory
    organiser = demo_scene.member(territory, "organiser")
    citizen = demo_scene.account("participant")

    person = browsing.new_page()
    sign_in(person, citizen.email, demo_scene.password)
    person.goto(f"/territoires/{territory.slug}")
    expect(heading(person)).to_have_text(territory.name)
    expect(person.get_by_role("link", name=reserved.title)).to_have_count(0)

    page = browsing.new_page()
    sign_in(page, organiser.email, demo_scene.password)
    page.goto(f"/territoires/{territory.slug}")
    page.get_by_role("link", name="Inviter des agents").click()
    page.get_by_label("Adresse électronique de l’agent").fill(citizen.email)
    page.get_by_role("button", name="Envoyer l’invitation").click()
    expect(flash(page)).to_contain_text(citizen.email)
    expect(page.get_by_role("listitem").filter(has_text=citizen.email)).to_be_visible()
    audit(page, "organisateur-invitation-envoyee")

    person.goto(link_in(last_email_to(outbox, citizen.email)))
    expect(heading(person)).to_contain_text(territory.name)
    audit(person, "agent-invitation")
    person.get_by_role("button", name="Accepter l’invitation").click()
    expect(flash(person)).to_contain_text(territory.name)
    expect(heading(person)).to_have_text(territory.name)
    person.get_by_role("link", name=reserved.title).click()
    expect(heading(person)).to_have_text(reserved.title)
    audit(person, "agent-consultation-reservee")

    main_nav(person).get_by_role("link", name="Mon compte").click()
    expect(person.get_by_role("region", name="Mes rôles")).to_contain_text(territory.name)
