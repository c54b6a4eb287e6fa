"""A questionnaire, in the browser: a citizen answers the first section, saves and comes back later,
finishes and sends; the page then says the answers are sent and no longer tied to the account."""

import pytest
from playwright.sync_api import expect

from tests.browser.axe import audit
from tests.browser.steps import flash, heading, sign_in
from tests.factories import make_consultation, make_questionnaire

pytestmark = pytest.mark.browser


def test_a_citizen_answers_saves_comes_back_and_sends(browsing, demo_scene):
    territory = demo_scene.territory_of("organiser")
    consultation = make_consultation("proposals", territory=territory, title="L’IA dans nos services")
    questionnaire = make_questionnaire(consultation, author=demo_scene.member(territory, "organiser"))
    page = browsing.new_page()
    sign_in(page, demo_scene.account("participant").email, demo_scene.password)
    page.goto(f"/consultations/{consultation.id}")
    page.get_by_role("link", name="Vos usages de l’IA").first.click()
    expect(heading(page)).to_contain_text("Vos usages de l’IA")
    expect(page.get_by_text("Section 1 sur 2")).to_be_visible()
    expect(page.get_by_text("Vos réponses sont anonymes.")).to_be_visible()
    page.get_by_role("radio", name="Oui").check()
    page.get_by_role("checkbox", name="Écrire").check()
    audit(page, "questionnaire-section-1")
    page.get_by_role("button", name="Enregistrer et continuer plus tard").click()
    expect(flash(page)).to_contain_text("Vos réponses sont enregistrées")

    page.goto(f"/questionnaires/{questionnaire.id}")
    expect(page.get_by_text("Vous avez des réponses enregistrées")).to_be_visible()
    expect(page.get_by_role("radio", name="Oui")).to_be_checked()
    page.get_by_role("button", name="Section suivante").click()
    expect(page.get_by_text("Section 2 sur 2")).to_be_visible()
    page.get_by_label("Autre chose ?").fill("Des ateliers courts, sur le temps de travail.")
    page.get_by_role("button", name="Envoyer mes réponses").click()
    expect(flash(page)).to_contain_text("Elles ne sont plus liées à votre compte.")
    page.goto(f"/questionnaires/{questionnaire.id}")
    expect(page.get_by_text("Vous avez répondu à ce questionnaire. Merci !")).to_be_visible()
    expect(page.get_by_role("button", name="Envoyer mes réponses")).to_have_count(0)
