"""A newcomer's journeys, in the browser, on the demonstration: signing up with the link printed by the
development server, then proposing; an organiser merging a duplicate, saving, citing by search and
publishing the synthesis; an élu reaching the dashboard from the header."""

import re

import pytest
from playwright.sync_api import expect

from concertation.synthesis import grouping
from tests.browser.axe import audit
from tests.browser.steps import flash, heading, main_nav, sign_in

pytestmark = pytest.mark.browser

EMAIL = "nouvelle.venue@exemple.fr"
PASSWORD = "une phrase de passe solide"
PRINTED_LINK = re.compile(r"^║ (https?://\S+/compte/confirmer/\S+)$", re.MULTILINE)


def test_a_newcomer_signs_up_with_the_printed_link_and_makes_a_first_proposal(app, browsing, demo_scene, capsys):
    app.debug = True  # `make run`: emails are printed to the terminal
    consultation = demo_scene.consultation("proposals")
    page = browsing.new_page()
    page.goto("/")
    main_nav(page).get_by_role("link", name="Créer un compte").click()
    page.get_by_label("Adresse électronique").fill(EMAIL)
    page.get_by_label("Pseudonyme public").fill("Nouvelle venue")
    page.get_by_label("Mot de passe", exact=True).fill(PASSWORD)
    page.get_by_role("checkbox").check()
    page.get_by_role("button", name="Créer mon compte").click()
    expect(heading(page)).to_have_text("Vérifiez vos courriels")

    printed = capsys.readouterr().err
    assert f"À : {EMAIL}" in printed, printed
    page.goto(PRINTED_LINK.search(printed).group(1))
    expect(flash(page)).to_contain_text("Votre adresse est confirmée")

    page.goto(f"/consultations/{consultation.id}")
    page.get_by_role("link", name="Déposer une proposition").first.click()
    page.get_by_label("Titre de la proposition").fill("Un atelier du samedi pour découvrir l’IA en famille")
    page.get_by_label("Thème").select_option(index=1)
    page.get_by_label("Description").fill("Dans chaque quartier, **une fois par mois**, animé par la médiathèque.")
    page.get_by_role("button", name="Prévisualiser").click()
    page.get_by_role("button", name=re.compile("^Publier")).click()
    expect(flash(page)).to_contain_text("Votre proposition est publiée.")
    expect(heading(page)).to_have_text("Un atelier du samedi pour découvrir l’IA en famille")


def test_an_organiser_merges_a_duplicate_saves_cites_by_search_and_publishes(browsing, demo_scene):
    consultation = demo_scene.consultation("synthesis")
    organiser = demo_scene.member(consultation.territory, "organiser")
    first, second, _similarity = grouping.proposal_aid(consultation).duplicates[0]
    page = browsing.new_page()
    sign_in(page, organiser.email, demo_scene.password)

    # A likely duplicate (as the word method pairs them), merged by its numbers from the aid's page
    # (the table's one-click buttons appear once the aid has been computed).
    page.goto(f"/consultations/{consultation.id}/synthese/aide")
    page.get_by_label("Doublon (numéro)").fill(str(second[0]))
    page.get_by_label("Fusionner dans (numéro)").fill(str(first[0]))
    page.get_by_role("button", name="Fusionner", exact=True).click()
    expect(flash(page)).to_contain_text("est fusionnée dans")
    audit(page, "synthese-aide-fusion")

    # Back in the editor: the selection saved unchanged, then a citation found by its words.
    page.goto(f"/consultations/{consultation.id}/synthese/rediger")
    page.get_by_role("button", name="Enregistrer la sélection").click()
    expect(flash(page)).to_contain_text("La liste des propositions retenues est enregistrée.")
    section = page.locator("section.card").first
    section.get_by_label("Chercher une contribution à citer").press_sequentially("prestataire souverain")
    choice = section.get_by_role("radio", name=re.compile("Héberger les données chez un prestataire souverain"))
    expect(choice).to_be_visible()
    expect(section.locator("[data-citation-status]")).to_contain_text("1 contribution contient")
    audit(page, "synthese-citation-recherche")
    choice.check()
    section.get_by_role("button", name="Citer la contribution choisie").click()
    expect(flash(page)).to_contain_text("La citation est ajoutée")
    expect(
        page.locator("section.card").first.get_by_role(
            "link", name=re.compile("Héberger les données chez un prestataire souverain")
        )
    ).to_be_visible()

    # Published after the merge: the duplicate's citations and place went to the proposal kept.
    page.get_by_label("Ce que corrige cette version").fill("Doublon fusionné, une citation ajoutée.")
    page.get_by_role("button", name=re.compile("^Publier la version")).click()
    expect(flash(page)).to_contain_text("de la synthèse est publiée")
    expect(page.get_by_text(second[1], exact=True)).to_have_count(0)


def test_the_citation_search_works_without_javascript(browsing, demo_scene):
    consultation = demo_scene.consultation("synthesis")
    organiser = demo_scene.member(consultation.territory, "organiser")
    page = browsing.new_page(javascript=False)
    sign_in(page, organiser.email, demo_scene.password)
    page.goto(f"/consultations/{consultation.id}/synthese/rediger")
    section = page.locator("section.card").first
    section.get_by_label("Chercher une contribution à citer").fill("prestataire")
    section.get_by_role("button", name="Rechercher").click()
    section = page.locator("section.card").first
    section.get_by_role("radio", name=re.compile("prestataire souverain")).check()
    section.get_by_role("button", name="Citer la contribution choisie").click()
    expect(flash(page)).to_contain_text("La citation est ajoutée")


def test_an_elu_reaches_the_dashboard_from_the_header(browsing, demo_scene):
    consultation = demo_scene.consultation("vote")
    elu = demo_scene.member(consultation.territory, "elu")
    page = browsing.new_page()
    sign_in(page, elu.email, demo_scene.password)
    main_nav(page).get_by_role("link", name="Tableau de bord").click()
    expect(heading(page)).to_contain_text("Tableau de bord")
    expect(page.get_by_role("heading", name=consultation.title)).to_be_visible()
    expect(page.get_by_text(re.compile(r"\(0 soutiens?\)"))).to_have_count(0)
    audit(page, "elu-tableau-de-bord")
