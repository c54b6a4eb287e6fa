"""Accountability, in the browser: an organiser moves a commitment forward and the citizen whose proposal
motivated it follows it from the notification to the commitment, and back from the proposal; a citizen
follows a proposal they supported to the realised commitment and on to the tool in service (on a phone,
with the keyboard only); an élu finds a tool of the library by need and reads what other territories
learnt with it."""

import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from concertation.accounts.models import User
from concertation.commitments.models import Commitment
from concertation.extensions import db
from concertation.library import services as library
from concertation.voting.models import Support
from tests.browser.axe import audit
from tests.browser.steps import flash, focused, heading, main_nav, sign_in, sign_out, tab_to

PHONE = {"width": 375, "height": 800}

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


def test_a_citizen_follows_a_proposal_they_supported_to_the_realised_commitment_and_the_tool_in_service(
    browsing, demo_scene
):
    commitment = db.session.scalars(
        select(Commitment).where(Commitment.status == "done").order_by(Commitment.id)
    ).first()
    entry = next(link.entry for link in library.entries_of_commitment(commitment) if link.entry.status == "deploye")
    proposal = commitment.proposal_links[0].proposal
    # A citizen without a role anywhere, who supported the proposal.
    citizen = next(
        user
        for user in db.session.scalars(
            select(User).join(Support, Support.user_id == User.id).where(Support.proposal_id == proposal.id)
        )
        if not user.memberships and user.id != proposal.author_id
    )
    retours = library.adoptions_of(entry)
    assert retours, "the demo's tool has retours d’expérience"

    page = browsing.new_page()
    sign_in(page, citizen.email, demo_scene.password)
    page.goto(f"/consultations/{proposal.consultation_id}/propositions")
    page.get_by_role("link", name=proposal.title, exact=True).first.click()
    expect(heading(page)).to_have_text(proposal.title)
    expect(page.get_by_text("Vous soutenez cette proposition.")).to_be_visible()
    became = page.get_by_role("region", name="Ce qu’elle est devenue")
    expect(became.get_by_role("listitem").filter(has=page.get_by_role("link", name=commitment.title))).to_contain_text(
        "Réalisé"
    )
    expect(became.get_by_role("listitem").filter(has=page.get_by_role("link", name=entry.title))).to_contain_text(
        "Déployé"
    )
    audit(page, "engagement-proposition-devenue")

    # On a phone, with the keyboard only: from the proposal to the commitment, then to the tool.
    page.set_viewport_size(PHONE)
    page.reload()
    page.keyboard.press("Tab")
    expect(focused(page)).to_have_accessible_name("Aller au contenu")
    page.keyboard.press("Enter")
    tab_to(page, became.get_by_role("link", name=commitment.title), limit=80)
    page.keyboard.press("Enter")
    expect(heading(page)).to_have_text(commitment.title)
    header = page.locator("article.commitment > header")
    expect(header.locator(".badge")).to_have_text("Réalisé")
    expect(page.get_by_label("Avancement")).to_have_attribute("value", "100")
    timeline = page.get_by_role("region", name="Historique").locator(".commitment-history > li")
    expect(timeline.filter(has_text=re.compile(r"Statut\s:\s.*→\sRéalisé"))).to_have_count(1)
    expect(timeline.last).to_contain_text("Engagement créé.")
    expect(page.get_by_role("region", name="Jalons")).to_contain_text("Atteint")
    assert page.evaluate("() => document.documentElement.scrollWidth") <= PHONE["width"]
    audit(page, "engagement-realise")

    page.set_viewport_size(PHONE)
    tools = page.get_by_role("region", name="Outils de la bibliothèque")
    tool = tools.get_by_role("listitem").filter(has_text=entry.title)
    expect(tool).to_contain_text("Déployé")
    tab_to(page, tool.get_by_role("link"), limit=80)
    page.keyboard.press("Enter")
    expect(heading(page)).to_have_text(entry.title)
    expect(page.locator(".library-entry > header")).to_contain_text(entry.territory.name)
    expect(page.locator(".library-entry > header .badge").first).to_have_text("Déployé")
    expect(page.get_by_text(f"Utilisé aussi par {len(retours)} autres collectivités")).to_be_visible()
    shared = page.get_by_role("region", name="Retours d’expérience")
    for adoption in retours:
        expect(shared.get_by_role("heading", name=adoption.territory.name)).to_be_visible()
    expect(shared).to_contain_text(retours[0].gains)
    assert page.evaluate("() => document.documentElement.scrollWidth") <= PHONE["width"]
    audit(page, "bibliotheque-outil-deploye")


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
