"""Taking part, in the browser: a citizen proposes (warned of a similar proposal, live and on the
preview), supports and grades proposals, comments, replies and reports a comment; an organiser
hides the reported comment with a reason, which the public then sees."""

import re

import pytest
from playwright.sync_api import expect

from concertation.voting.models import MENTIONS
from tests.browser.axe import audit
from tests.browser.steps import flash, heading, sign_in, sign_out
from tests.factories import make_consultation, make_proposal_row

pytestmark = pytest.mark.browser

CLOSE_TITLE = "Une demi-journée de sensibilisation à l’IA pour tous les agents"


def test_a_citizen_proposes_after_seeing_the_similar_proposal(browsing, demo_scene):
    consultation = demo_scene.consultation("proposals")
    existing = demo_scene.proposal(consultation)
    page = browsing.new_page()
    sign_in(page, demo_scene.account("participant").email, demo_scene.password)
    page.goto(f"/consultations/{consultation.id}/propositions")
    page.get_by_role("link", name="Faire une proposition").first.click()
    expect(heading(page)).to_have_text("Faire une proposition")

    # With JavaScript, the similar proposal is announced while the title is typed.
    page.get_by_label("Titre de la proposition").press_sequentially(CLOSE_TITLE)
    hint = page.locator("#similar-proposals")
    expect(hint).to_have_attribute("aria-live", "polite")
    expect(hint).to_contain_text("Des propositions semblables existent déjà")
    expect(hint.get_by_role("link", name=existing.title)).to_be_visible()
    page.get_by_label("Thème").select_option(label="Formation des agents")
    page.get_by_label("Description").fill("Sur le temps de travail, **en petits groupes**, avant tout outil.")
    audit(page, "proposer-indice-semblable")

    page.get_by_role("button", name="Prévisualiser").click()
    expect(heading(page)).to_have_text("Vérifiez votre proposition avant de la publier")
    similar = page.get_by_role("region", name=re.compile("semblables? existen?t? déjà"))
    expect(similar.get_by_role("link", name=existing.title)).to_be_visible()
    preview = page.get_by_role("article", name=CLOSE_TITLE)
    expect(preview.locator("strong")).to_have_text("en petits groupes")
    audit(page, "proposer-apercu")

    page.get_by_role("button", name="Publier quand même").click()
    expect(flash(page)).to_contain_text("Votre proposition est publiée.")
    expect(heading(page)).to_have_text(CLOSE_TITLE)
    expect(page.get_by_text("Proposée par Camille")).to_be_visible()
    audit(page, "proposer-publiee")
    page.goto(f"/consultations/{consultation.id}/propositions")
    expect(page.get_by_role("link", name=CLOSE_TITLE)).to_be_visible()


def test_a_citizen_supports_then_grades(browsing, demo_scene):
    territory = demo_scene.territory_of("organiser")
    voting = make_consultation("vote", territory=territory, support_limit=2, title="Les priorités d’équipement")
    first = make_proposal_row(voting, title="Des ordinateurs reconditionnés pour les écoles",
                              body="Plutôt que du neuf.", theme=voting.themes[0])
    make_proposal_row(voting, title="Une salle de visioconférence partagée", body="Pour les associations.",
                      theme=voting.themes[1])
    page = browsing.new_page()
    sign_in(page, demo_scene.account("participant").email, demo_scene.password)

    page.goto(f"/propositions/{first.id}")
    panel = page.get_by_role("region", name="Soutiens")
    expect(panel).to_contain_text("Il vous reste 2 soutiens sur 2 dans cette consultation.")
    audit(page, "soutenir-avant")
    panel.get_by_role("button", name=f"Soutenir : {first.title}").click()
    # With JavaScript the panel changes in place and says so in its status region.
    expect(panel.get_by_role("status")).to_contain_text("Votre soutien est enregistré.")
    expect(panel).to_contain_text("Vous soutenez cette proposition.")
    expect(panel).to_contain_text("Il vous reste 1 soutien sur 2 dans cette consultation.")
    expect(panel.get_by_role("button", name=f"Retirer mon soutien : {first.title}")).to_be_visible()
    page.reload()
    expect(panel).to_contain_text("Il vous reste 1 soutien sur 2 dans cette consultation.")
    expect(panel.get_by_role("button", name=f"Retirer mon soutien : {first.title}")).to_be_visible()
    audit(page, "soutenir-apres")

    judged = demo_scene.consultation("vote")
    assert judged.voting_method == "majority"
    proposals = demo_scene.proposals(judged)
    page.goto(f"/consultations/{judged.id}/evaluer")
    expect(heading(page)).to_have_text("Évaluer les propositions")
    audit(page, "evaluer-avant")
    first_row = page.get_by_role("group", name=proposals[0].title)
    first_row.get_by_role("radio", name=MENTIONS[5], exact=True).check()
    page.get_by_role("group", name=proposals[1].title).get_by_role("radio", name=MENTIONS[3], exact=True).check()
    page.get_by_role("button", name="Enregistrer mes mentions").click()
    expect(flash(page)).to_contain_text("Vos mentions sont enregistrées (2 modifiées).")
    expect(page.get_by_text("Vous avez évalué 2 propositions de cette page.")).to_be_visible()
    expect(first_row.get_by_role("radio", name=MENTIONS[5], exact=True)).to_be_checked()

    # One proposal's own page shows the mention given, and changes it.
    page.goto(f"/propositions/{proposals[0].id}")
    panel = page.get_by_role("region", name="Votre évaluation")
    expect(panel.get_by_role("radio", name=MENTIONS[5], exact=True)).to_be_checked()
    panel.get_by_role("radio", name=MENTIONS[4], exact=True).check()
    panel.get_by_role("button", name="Changer ma mention").click()
    expect(panel.get_by_role("status")).to_contain_text(f"Votre mention « {MENTIONS[4]} » est enregistrée.")
    audit(page, "evaluer-proposition")
    sign_out(page)
