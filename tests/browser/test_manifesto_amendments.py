"""A territory amends the manifesto's draft, in the browser: an organiser proposes a new wording of a point in
the territory's name, the editor accepts it and publishes the version, and the published point says which
territory amended it."""

import re

import pytest
from playwright.sync_api import expect

from concertation.extensions import db
from concertation.manifesto import amendments, services as manifestos
from tests.browser.axe import audit
from tests.browser.steps import flash, sign_in

pytestmark = pytest.mark.browser

WORDING = "Aucun outil d’IA n’entre dans un service sans que ses agents aient été formés, sur leur temps de travail."


def test_an_organiser_amends_the_editor_accepts_and_the_published_point_shows_where_it_came_from(browsing, demo_scene):
    manifesto = manifestos.all_manifestos()[0]
    draft = manifestos.draft_of(manifesto)
    territory = demo_scene.territory_of("organiser")
    point = next(p for p in draft.points if p.title == "Former les agents avant tout déploiement")

    # The organiser finds the draft open to amendments from the manifesto and amends a point.
    page = browsing.new_page()
    sign_in(page, demo_scene.member(territory, "organiser").email, demo_scene.password)
    page.goto(f"/manifeste/{manifesto.slug}")
    page.get_by_role("link", name=re.compile("proposer ou cosigner un amendement")).click()
    audit(page, "manifeste-amendements-organisateur")
    page.get_by_role("link", name=re.compile(f"Amender ce point.*{point.title}")).click()
    page.get_by_role("radio", name="Nouvelle rédaction", exact=True).check()
    page.get_by_label("Rédaction proposée").fill(WORDING)
    page.get_by_label("Justification").fill("Nos agents demandent que la formation se fasse sur leur temps de travail.")
    page.get_by_role("button", name="Proposer l’amendement").click()
    expect(flash(page)).to_contain_text(f"est proposé au nom de {territory.name}")
    db.session.expire_all()
    number = amendments.amendments_of(draft)[-1].number
    card = page.locator(f"#amendement-{number}")
    expect(card).to_contain_text(f"Proposé au nom de {territory.name}")
    expect(card.locator("ins").first).to_be_visible()

    # The editor accepts it, answers the others, and publishes the version.
    editor = browsing.new_page()
    sign_in(editor, demo_scene.account("editor").email, demo_scene.password)
    editor.goto(f"/manifeste/{manifesto.slug}/versions/{draft.number}/amendements")
    editor.get_by_role("link", name=re.compile(f"^Répondre.*amendement n° {number}$")).click()
    audit(editor, "manifeste-amendement-reponse")
    editor.get_by_role("radio", name="Accepté", exact=True).check()
    editor.get_by_label("Raison de la réponse").fill("Bienvenu : la formation sur le temps de travail est essentielle.")
    editor.get_by_role("button", name="Enregistrer la réponse").click()
    expect(flash(editor)).to_contain_text(f"La réponse à l’amendement n° {number} est enregistrée")
    waiting = editor.get_by_role("checkbox")
    if waiting.count():
        for i in range(waiting.count()):
            waiting.nth(i).check()
        editor.get_by_role("radio", name="Rejeté", exact=True).check()
        editor.get_by_label("Raison de la réponse").fill("Pas dans cette version.")
        editor.get_by_role("button", name="Répondre aux amendements cochés").click()
    editor.goto(f"/manifeste/{manifesto.slug}/brouillon")
    editor.get_by_label("Ce qui change dans cette version").fill("Deux points amendés par les territoires.")
    editor.get_by_role("button", name=f"Publier la version {draft.number}").click()
    expect(flash(editor)).to_contain_text(f"La version {draft.number} du manifeste est publiée.")

    # Anyone reads, on the published point, which territory amended it, beside the citizens' proposals.
    visitor = browsing.new_page()
    visitor.goto(f"/manifeste/{manifesto.slug}/versions/{draft.number}/points/{point.uid}")
    expect(visitor.locator("main")).to_contain_text(WORDING)
    region = visitor.get_by_role("region", name="Amendements des territoires")
    expect(region).to_contain_text(f"amendé par {territory.name} (amendement n° {number}, version {draft.number})")
    expect(visitor.get_by_role("region", name="D’où vient ce point")).to_contain_text("Propositions retenues citées")
    audit(visitor, "manifeste-point-amende")
    region.get_by_role("link").first.click()
    expect(visitor.locator(f"#amendement-{number}")).to_contain_text("Accepté")
