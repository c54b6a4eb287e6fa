"""A participatory text, in the browser: a citizen amends a paragraph, another supports the amendment,
the organiser accepts it and publishes the adopted version, which says where its change came from."""

import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from concertation.accounts.models import User
from concertation.db import utcnow
from concertation.extensions import db
from concertation.texts import services
from tests.browser.axe import audit
from tests.browser.steps import flash, heading, sign_in, sign_out
from tests.factories import make_consultation

pytestmark = pytest.mark.browser

CHARTER = """Préambule : l’IA au service des agents.

# Principes

L’IA aide les agents, elle ne les remplace pas.

Chaque outil est choisi avec les agents qui l’utiliseront.
"""
WORDING = "Chaque outil est choisi avec les agents qui l’utiliseront, et ils sont formés avant."


def test_a_citizen_amends_another_supports_the_organiser_accepts_and_the_adopted_version_cites_it(browsing, demo_scene):
    territory = demo_scene.territory_of("organiser")
    organiser = demo_scene.member(territory, "organiser")
    consultation = make_consultation("proposals", territory=territory, title="Notre charte de l’IA", results_live=True)
    text = services.import_text(organiser, consultation, "Charte d’usage de l’IA", CHARTER, utcnow())
    services.open_text(text, utcnow())
    db.session.commit()
    emails = [email for email, _password, role, _territory in demo_scene.accounts if role == "participant"]
    author, supporter = (db.session.scalar(select(User).where(User.email == e)) for e in emails[:2])

    page = browsing.new_page()
    sign_in(page, author.email, demo_scene.password)
    page.goto(f"/textes/{text.id}")
    page.locator("#paragraphe-3").get_by_role("link", name=re.compile("Amender ce paragraphe")).click()
    expect(heading(page)).to_contain_text("Paragraphe 3")
    page.get_by_role("radio", name="Nouvelle rédaction").check()
    page.get_by_label("Rédaction proposée").fill(WORDING)
    page.get_by_label("Justification").fill("La formation vient d’abord.")
    page.get_by_role("button", name="Publier l’amendement").click()
    expect(flash(page)).to_be_visible()
    amendment = page.locator("article.amendment").first
    # The word-level difference is announced, not only coloured.
    expect(amendment.locator("ins")).to_contain_text("formés avant")
    expect(amendment.locator("ins .visually-hidden").first).to_contain_text("ajouté")
    audit(page, "texte-amendement-publie")
    sign_out(page)

    sign_in(page, supporter.email, demo_scene.password)
    page.goto(f"/textes/{text.id}")
    page.locator("article.amendment").first.get_by_role("button", name="Soutenir").click()
    expect(page.locator("article.amendment").first).to_contain_text("1 soutien")
    sign_out(page)

    sign_in(page, organiser.email, demo_scene.password)
    page.goto(f"/textes/{text.id}/amendements")
    expect(heading(page)).to_contain_text("Répondre aux amendements")
    page.get_by_role("link", name="Répondre").first.click()
    page.get_by_role("radio", name="Accepté", exact=True).check()
    page.get_by_label("Raison de la réponse").fill("Adopté : la formation précède tout outil.")
    page.get_by_role("button", name="Publier la réponse").click()
    expect(flash(page)).to_be_visible()
    page.get_by_role("button", name="Publier la version adoptée").click()
    expect(flash(page)).to_be_visible()
    expect(heading(page)).to_contain_text("Version adoptée n° 1")
    origin = page.locator(".text-paragraph-amendments")
    expect(origin).to_contain_text(f"proposé par {author.public_name}")
    expect(origin).to_contain_text("1 soutien")
    expect(page.locator(".word-diff ins").first).to_contain_text("formés avant")
    audit(page, "texte-version-adoptee")
