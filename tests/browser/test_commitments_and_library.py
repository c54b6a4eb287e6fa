"""Accountability, in the browser: an organiser moves a commitment forward and the citizen whose proposal
motivated it follows it from the notification to the commitment, and back from the proposal; an élu
finds a tool of the library by need and reads what other territories learnt with it."""

import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from concertation.commitments.models import Commitment
from concertation.extensions import db
from tests.browser.axe import audit
from tests.browser.steps import flash, heading, main_nav, sign_in, sign_out

pytestmark = pytest.mark.browser


def test_a_citizen_follows_their_proposal_to_the_commitment_an_organiser_moved_forward(browsing, demo_scene):
    commitment = db.session.scalars(select(Commitment).order_by(Commitment.id)).first()
    proposal = next(link.proposal for link in commitment.proposal_links if link.proposal.author is not None)
    author, organiser = proposal.author, demo_scene.member(commitment.territory, "organiser")

    page = browsing.new_page()
    sign_in(page, organiser.email, demo_scene.password)
    page.goto(f"/engagements/{commitment.id}")
    page.get_by_role("link", name="Mettre à jour l’engagement").click()
    page.get_by_role("radio", name="Réalisé").check()
    page.get_by_label("Avancement (en %)").fill("100")
    page.get_by_label("Note publique sur ce changement").fill("Le dernier contrat est renégocié.")
    page.get_by_role("button", name="Enregistrer").first.click()
    expect(flash(page)).to_be_visible()
    expect(page.locator(".commitment-history li").first).to_contain_text("Le dernier contrat est renégocié.")
    sign_out(page)

    sign_in(page, author.email, demo_scene.password)
    page.goto("/notifications")
    notice = page.locator(".notification", has_text=commitment.title).first
    expect(notice).to_be_visible()
    notice.get_by_role("button", name=re.compile("^Voir")).click()
    expect(heading(page)).to_have_text(commitment.title)
    expect(page.get_by_role("progressbar").or_(page.locator("progress")).first).to_have_attribute("value", "100")
    expect(page.locator(".commitment-history li").first).to_contain_text("Le dernier contrat est renégocié.")
    audit(page, "engagement-suivi")
    page.get_by_role("link", name=re.compile(re.escape(proposal.title))).first.click()
    became = page.get_by_role("region", name="Ce qu’elle est devenue")
    expect(became.get_by_role("link", name=commitment.title)).to_be_visible()
    expect(became).to_contain_text("Réalisé")


def test_an_elu_finds_a_tool_by_need_and_reads_the_retours(browsing, demo_scene):
    page = browsing.new_page()
    sign_in(page, demo_scene.account("elu").email, demo_scene.password)
    main_nav(page).get_by_role("link", name="Bibliothèque d’IA").click()
    expect(heading(page)).to_have_text("Bibliothèque d’IA territoriales")
    page.get_by_label("Rechercher un besoin, un outil").fill("courriers")
    page.get_by_role("button", name="Chercher").click()
    page.get_by_role("link", name="Tri et orientation des courriers entrants").click()
    expect(heading(page)).to_have_text("Tri et orientation des courriers entrants")
    expect(page.get_by_text(re.compile("nous l’utilisons aussi|utilisé aussi par", re.I)).first).to_be_visible()
    audit(page, "bibliotheque-fiche")
