"""Contributions collected at a workshop, in the browser: an organiser opens the demonstration's past
workshop, enters a proposal heard there (with the keyboard only), then computes the synthesis aid and
finds it grouped with the others, marked « recueillie en atelier »."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.axe import audit
from tests.browser.steps import flash, heading, sign_in, tab_to
from tests.synthesis import fake_model

pytestmark = pytest.mark.browser

PAST_WORKSHOP = "Atelier « L’IA au quotidien » à la médiathèque"
TITLE = "Former les agents de l’accueil à l’IA sur leur temps de travail"
BODY = "Dit à l’oral par une secrétaire de mairie : former les agents sur leur temps de travail, avant tout outil."


def test_an_organiser_enters_a_collected_proposal_and_finds_it_in_the_synthesis_aid(app, browsing, demo_scene):
    # The aid's fast stand-in model: texts that share words are close, as with the real one.
    app.config["AID_EMBEDDING_MODEL"] = fake_model.NAME
    territory = demo_scene.territory_of("organiser")
    consultation = demo_scene.consultations_of(territory)[0]
    page = browsing.new_page()
    sign_in(page, demo_scene.member(territory, "organiser").email, demo_scene.password)

    page.goto(f"/consultations/{consultation.id}")
    workshops = page.get_by_role("region", name="Ateliers")
    tab_to(page, workshops.get_by_role("link", name=PAST_WORKSHOP), limit=120)
    page.keyboard.press("Enter")
    expect(heading(page)).to_have_text(PAST_WORKSHOP)
    expect(page.get_by_role("heading", name="Compte rendu")).to_be_visible()
    expect(page.get_by_text("Propositions recueillies : 8 ; commentaires recueillis : 4.")).to_be_visible()
    audit(page, "atelier-passe-organisateur")

    # With the keyboard only: to the form, the title, the text, a theme, then publish.
    tab_to(page, page.get_by_role("link", name="Saisir les contributions recueillies"), limit=80)
    page.keyboard.press("Enter")
    expect(heading(page)).to_have_text("Contributions recueillies en atelier")
    audit(page, "atelier-saisie")
    title = page.get_by_label("Titre de la proposition")
    tab_to(page, title, limit=60)
    page.keyboard.type(TITLE)
    page.keyboard.press("Tab")
    expect(page.get_by_label("La proposition, telle qu’elle a été exprimée")).to_be_focused()
    page.keyboard.type(BODY)
    page.keyboard.press("Tab")
    theme = page.get_by_role("combobox", name="Thème")
    expect(theme).to_be_focused()
    page.keyboard.press("ArrowDown")
    chosen = theme.evaluate("el => el.options[el.selectedIndex].text")
    assert chosen == consultation.themes[1].name
    tab_to(page, page.get_by_role("button", name="Publier la proposition"))
    page.keyboard.press("Enter")
    expect(flash(page)).to_contain_text("La proposition recueillie est publiée.")
    entered = page.get_by_role("region", name="Déjà saisies")
    expect(entered).to_contain_text("Propositions : 9 ; commentaires : 4.")
    expect(entered.get_by_role("link", name=TITLE)).to_be_visible()

    # The synthesis aid: computed on demand, it groups the new proposal with the others and marks it.
    page.goto(f"/consultations/{consultation.id}")
    page.get_by_role("link", name="Rédiger la synthèse").click()
    page.get_by_role("link", name="Aide à la synthèse : groupes et doublons").click()
    expect(heading(page)).to_have_text("Aide à la synthèse")
    tab_to(page, page.get_by_role("button", name=re.compile("^(Calculer l’aide|Mettre l’aide à jour)$")), limit=80)
    page.keyboard.press("Enter")
    # Without a job queue the aid is computed in the request (the first time with the language model's
    # loading): on a loaded machine that takes more than the 5 s expect() waits by default.
    expect(flash(page)).to_contain_text("L’aide est à jour", timeout=30_000)
    expect(
        page.get_by_text("Dont 9 recueillies en atelier (sur papier ou à l’oral), marquées comme telles.")
    ).to_be_visible()
    group = page.locator("section.card").filter(has=page.get_by_role("heading", name=re.compile(r"^Groupe \d+ :")))
    mine = group.get_by_role("listitem").filter(has=page.get_by_role("link", name=TITLE, exact=True))
    expect(mine).to_have_count(1)
    expect(mine.locator(".badge-collected")).to_have_text("recueillie en atelier")
    # Grouped with proposals typed by participants, not set apart.
    own_group = group.filter(has=page.get_by_role("link", name=TITLE, exact=True))
    expect(own_group.get_by_role("listitem")).not_to_have_count(1)
    audit(page, "synthese-aide-recueillies")
