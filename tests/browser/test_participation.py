"""Taking part, in the browser: a citizen proposes (warned of a similar proposal, live and on the
preview), supports and grades proposals, comments, replies and reports a comment; an organiser
hides the reported comment with a reason, which the public then sees."""

import re

import pytest
from playwright.sync_api import expect

from concertation.voting.models import MENTIONS
from tests.browser.axe import audit
from tests.browser.steps import flash, heading, sign_in, sign_out
from tests.factories import make_comment, make_consultation, make_proposal_row

pytestmark = pytest.mark.browser

CLOSE_TITLE = "Une demi-journée de sensibilisation à l’IA pour tous les agents"


def test_a_citizen_proposes_after_seeing_the_similar_proposal(browsing, demo_scene):
    consultation = demo_scene.consultation("proposals")
    existing = demo_scene.proposal(consultation)
    page = browsing.new_page()
    sign_in(page, demo_scene.account("participant").email, demo_scene.password)
    page.goto(f"/consultations/{consultation.id}/propositions")
    page.get_by_role("link", name="Déposer une proposition").first.click()
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
    first = make_proposal_row(
        voting,
        title="Des ordinateurs reconditionnés pour les écoles",
        body="Plutôt que du neuf.",
        theme=voting.themes[0],
    )
    make_proposal_row(
        voting, title="Une salle de visioconférence partagée", body="Pour les associations.", theme=voting.themes[1]
    )
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


def test_a_citizen_comments_replies_and_reports_then_an_organiser_hides_the_comment(browsing, demo_scene):
    consultation = demo_scene.consultation("proposals")
    proposal = demo_scene.proposal(consultation)
    territory = consultation.territory
    spam = make_comment(proposal, body="Achetez nos montres connectées sur boutique.example !")

    page = browsing.new_page()
    sign_in(page, demo_scene.account("participant").email, demo_scene.password)
    page.goto(f"/propositions/{proposal.id}")
    comments = page.get_by_role("region", name=re.compile(r"^\d+ commentaires?$"))
    comments.get_by_label("Votre commentaire").fill(
        "Et une **seconde séance** six mois plus tard, pour faire le point."
    )
    comments.get_by_role("radio", name="Pour", exact=True).check()
    comments.get_by_role("button", name="Publier le commentaire").click()
    expect(flash(page)).to_contain_text("Votre commentaire est publié.")
    mine = page.locator(".comment").filter(has_text="six mois plus tard").first
    expect(mine.locator("strong").first).to_have_text("Camille")
    expect(mine.get_by_text("Pour", exact=True)).to_be_visible()
    expect(mine.locator(".prose strong")).to_have_text("seconde séance")

    # A reply, under Lucas's comment.
    lucas = page.locator(".comment").filter(has_text="Une demi-journée, c’est court").first
    lucas.get_by_text("Répondre", exact=True).first.click()
    lucas.get_by_label("Votre réponse à Lucas 42").fill("D’accord : une journée entière serait mieux.")
    lucas.get_by_role("button", name="Publier la réponse").first.click()
    expect(flash(page)).to_contain_text("Votre commentaire est publié.")
    reply = page.locator(".comments.replies .comment").filter(has_text="une journée entière serait mieux")
    expect(reply).to_be_visible()
    audit(page, "commenter-reponse")

    # The citizen reports the advertisement.
    ad = page.locator(".comment").filter(has_text="montres connectées")
    ad.get_by_role("link", name=re.compile("^Signaler le commentaire de")).click()
    expect(heading(page)).to_have_text("Signaler une contribution")
    expect(page.locator("blockquote")).to_contain_text("montres connectées")
    audit(page, "signaler")
    page.get_by_label("Spam ou publicité").check()
    page.get_by_label("Précisions (facultatif)").fill("Publicité sans rapport.")
    page.get_by_role("button", name="Envoyer le signalement").click()
    expect(flash(page)).to_contain_text("votre signalement a été transmis à la modération")
    expect(page.get_by_role("heading", level=1)).to_have_text(proposal.title)

    # The organiser hides it, with a reason that the public sees.
    organiser = browsing.new_page()
    sign_in(organiser, demo_scene.member(territory, "organiser").email, demo_scene.password)
    organiser.goto(f"/territoires/{territory.slug}/moderation")
    expect(heading(organiser)).to_have_text(f"Modération — {territory.name}")
    item = organiser.locator(".queue-item").filter(
        has=organiser.get_by_role("heading", name=f"Commentaire n° {spam.id}")
    )
    expect(item).to_contain_text("montres connectées")
    expect(item).to_contain_text("1 signalement")
    expect(item).to_contain_text("Spam ou publicité")
    audit(organiser, "moderation-file")
    item.get_by_label("Motif, affiché au public").fill("publicité commerciale")
    item.get_by_role("button", name="Masquer").click()
    expect(flash(organiser)).to_contain_text("Décision enregistrée dans le journal de modération.")
    organiser.goto(f"/territoires/{territory.slug}/moderation/journal")
    expect(organiser.locator("main")).to_contain_text("publicité commerciale")
    audit(organiser, "moderation-journal-masque")

    visitor = browsing.new_page()
    visitor.goto(f"/propositions/{proposal.id}")
    hidden = visitor.locator(f"#commentaire-{spam.id}")
    expect(hidden).to_contain_text("Masqué par la modération — publicité commerciale")
    expect(hidden).not_to_contain_text("montres")
    expect(visitor.get_by_text("une journée entière serait mieux")).to_be_visible()
    audit(visitor, "commentaire-masque")
