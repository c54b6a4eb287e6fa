"""With the keyboard only (Tab, Shift+Tab, Enter, Space): the skip link, signing in, creating a consultation,
proposing, supporting and grading.
Every element the focus lands on must show it."""

import re

import pytest
from playwright.sync_api import expect

from concertation import phases
from concertation.db import utcnow
from concertation.voting.models import MENTIONS
from tests.browser.axe import snapshot
from tests.browser.steps import assert_focus_visible, flash, focused, heading, main_nav, sign_in, tab_to, type_date
from tests.factories import make_consultation, make_proposal_row

pytestmark = pytest.mark.browser


def test_the_skip_link_is_first_visible_when_focused_and_leads_to_the_content(page):
    page.goto("/compte/connexion")
    skip = page.get_by_role("link", name="Aller au contenu")
    expect(skip).not_to_be_in_viewport()
    page.keyboard.press("Tab")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    assert_focus_visible(page)
    snapshot(page, "clavier-lien-d-evitement")
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()
    # The next Tab goes into the content, past the navigation.
    page.keyboard.press("Tab")
    expect(focused(page)).to_have_accessible_name("Adresse électronique")
    assert page.evaluate("() => document.querySelector('main').contains(document.activeElement)")


def test_signing_in_with_the_keyboard_only(page, demo_scene):
    person = demo_scene.account("participant")
    page.goto("/")
    tab_to(page, main_nav(page).get_by_role("link", name="Se connecter"))
    page.keyboard.press("Enter")
    expect(heading(page)).to_have_text("Se connecter")

    email = page.get_by_label("Adresse électronique")
    tab_to(page, email)
    page.keyboard.type(person.email)
    page.keyboard.press("Tab")
    expect(page.get_by_label("Mot de passe", exact=True)).to_be_focused()
    page.keyboard.type(demo_scene.password)
    page.keyboard.press("Tab")
    remember = page.get_by_label("Rester connecté·e sur cet appareil")
    expect(remember).to_be_focused()
    assert_focus_visible(page)
    page.keyboard.press("Space")
    expect(remember).to_be_checked()
    # Back with Shift+Tab to check what was typed, then on to the button.
    tab_to(page, email, backwards=True)
    expect(email).to_have_value(person.email)
    tab_to(page, page.get_by_role("button", name="Se connecter"))
    page.keyboard.press("Enter")
    expect(flash(page)).to_contain_text("Vous êtes connecté·e.")
    expect(main_nav(page).get_by_role("link", name="Mon compte")).to_contain_text(person.pseudonym)


def test_creating_a_consultation_with_the_keyboard_only(page, demo_scene):
    territory = demo_scene.territory_of("organiser")
    sign_in(page, demo_scene.account("organiser").email, demo_scene.password)
    page.goto(f"/territoires/{territory.slug}")
    tab_to(page, page.get_by_role("link", name="Créer une consultation"))
    page.keyboard.press("Enter")
    expect(heading(page)).to_contain_text(territory.name)

    tab_to(page, page.get_by_label("Titre"))
    page.keyboard.type("Consultation menée au clavier")
    page.keyboard.press("Tab")
    page.keyboard.type("Un résumé tapé sans souris.")
    page.keyboard.press("Tab")
    page.keyboard.type("Une description.")
    page.keyboard.press("Tab")
    page.keyboard.type("Formation\nAccueil")
    expect(page.get_by_label("Thèmes")).to_have_value("Formation\nAccueil")
    # Tab enters the radio group on its checked choice; Space keeps it.
    page.keyboard.press("Tab")
    expect(page.get_by_role("radio", name="Tout le monde")).to_be_focused()
    page.keyboard.press("Space")
    page.keyboard.press("Tab")
    expect(page.get_by_role("radio", name=re.compile("^Soutiens"))).to_be_focused()
    page.keyboard.press("Tab")
    page.keyboard.type("4")
    page.keyboard.press("Tab")
    page.keyboard.press("Space")
    expect(page.get_by_label("Autoriser les soutiens dès la phase de propositions")).to_be_checked()

    # Day equal to month: see type_date. A month between phases keeps them apart.
    year = utcnow().year + 1
    moments = [(f"{kind}_start", i + 1) for i, kind in enumerate(phases.PHASE_ORDER)]
    for name, month in moments:
        field = page.locator(f"#{name}")
        tab_to(page, field)
        type_date(
            page,
            field,
            utcnow().replace(
                year=year, month=month, day=month, hour=9, minute=30, second=0, microsecond=0, tzinfo=None
            ),
        )
        if name == "information_start":
            snapshot(page, "clavier-champ-date")

    tab_to(page, page.get_by_role("button", name="Créer la consultation"))
    page.keyboard.press("Enter")
    expect(flash(page)).to_contain_text("La consultation est créée")
    expect(heading(page)).to_contain_text("Consultation menée au clavier")


def test_proposing_with_the_keyboard_only(page, demo_scene):
    consultation = demo_scene.consultation("proposals")
    sign_in(page, demo_scene.account("participant").email, demo_scene.password)
    page.goto(f"/consultations/{consultation.id}")
    tab_to(page, page.get_by_role("link", name="Déposer une proposition"))
    page.keyboard.press("Enter")
    expect(heading(page)).to_have_text("Faire une proposition")

    tab_to(page, page.get_by_label("Titre de la proposition"))
    page.keyboard.type("Un café numérique mensuel à la mairie annexe")
    theme = page.get_by_label("Thème")
    tab_to(page, theme)
    page.keyboard.press("ArrowDown")
    expect(theme).not_to_have_value("")
    tab_to(page, page.get_by_label("Description"))
    page.keyboard.type("Un samedi par mois, pour poser ses questions sur l’IA.")
    snapshot(page, "clavier-proposer")
    tab_to(page, page.get_by_role("button", name="Prévisualiser"))
    page.keyboard.press("Enter")
    expect(heading(page)).to_have_text("Vérifiez votre proposition avant de la publier")
    # Back with Shift+Tab past the preview, then on to the button that publishes.
    publish = page.get_by_role("button", name=re.compile("^Publier"))
    tab_to(page, publish)
    tab_to(page, page.get_by_role("button", name="Modifier"))
    tab_to(page, publish, backwards=True)
    page.keyboard.press("Enter")
    expect(flash(page)).to_contain_text("Votre proposition est publiée.")
    expect(heading(page)).to_have_text("Un café numérique mensuel à la mairie annexe")


def test_supporting_and_grading_with_the_keyboard_only(page, demo_scene):
    territory = demo_scene.territory_of("organiser")
    voting = make_consultation("vote", territory=territory, support_limit=3)
    proposal = make_proposal_row(
        voting, title="Un guichet unique pour les démarches en ligne", body="Simple.", theme=voting.themes[0]
    )
    sign_in(page, demo_scene.account("participant").email, demo_scene.password)
    page.goto(f"/propositions/{proposal.id}")
    panel = page.get_by_role("region", name="Soutiens")
    tab_to(page, panel.get_by_role("button", name=f"Soutenir : {proposal.title}"))
    page.keyboard.press("Space")
    expect(panel.get_by_role("status")).to_contain_text("Votre soutien est enregistré.")
    expect(panel).to_contain_text("Il vous reste 2 soutiens sur 3 dans cette consultation.")
    # The focus stays on the button, which now withdraws the support.
    expect(focused(page)).to_have_accessible_name(f"Retirer mon soutien : {proposal.title}")
    assert_focus_visible(page)
    snapshot(page, "clavier-soutien")

    judged = demo_scene.consultation("vote")
    first, second = demo_scene.proposals(judged)[:2]
    page.goto(f"/consultations/{judged.id}/evaluer")
    # Tab enters each group of mentions; the arrows move within it and choose.
    tab_to(page, page.get_by_role("group", name=first.title).get_by_role("radio").first)
    page.keyboard.press("ArrowDown")
    expect(
        page.get_by_role("group", name=first.title).get_by_role("radio", name=MENTIONS[4], exact=True)
    ).to_be_checked()
    tab_to(page, page.get_by_role("group", name=second.title).get_by_role("radio").first)
    page.keyboard.press("Space")
    expect(
        page.get_by_role("group", name=second.title).get_by_role("radio", name=MENTIONS[5], exact=True)
    ).to_be_checked()
    tab_to(page, page.get_by_role("button", name="Enregistrer mes mentions"))
    page.keyboard.press("Enter")
    expect(flash(page)).to_contain_text("Vos mentions sont enregistrées (2 modifiées).")
