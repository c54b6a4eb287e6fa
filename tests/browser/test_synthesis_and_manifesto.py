"""From the debate to the manifesto, in the browser: an organiser answers a proposal (retained, with a
justification), writes and publishes the synthesis that retains it; the manifesto editor draws a point
from that synthesis and publishes a new version; an élu of the territory signs it."""

import re

import pytest
from playwright.sync_api import expect

from concertation.manifesto import services as manifestos
from tests.browser.axe import audit
from tests.browser.steps import flash, heading, sign_in
from tests.factories import make_consultation, make_proposal_row

pytestmark = pytest.mark.browser

RETAINED = "Un registre public des outils d’IA de la commune"
POINT = "Publier la liste des outils d’IA utilisés"


def test_from_an_answer_to_a_signed_manifesto_point(browsing, demo_scene):
    territory = demo_scene.territory_of("organiser")
    organiser_account = demo_scene.member(territory, "organiser")
    consultation = make_consultation(
        "synthesis",
        territory=territory,
        author=organiser_account,
        title="Transparence des algorithmes municipaux",
        themes=["Transparence", "Contrôle humain"],
    )
    retained = make_proposal_row(
        consultation,
        author=demo_scene.account("participant"),
        title=RETAINED,
        body="Chaque outil, à quoi il sert, qui en répond.",
        theme=consultation.themes[0],
    )
    make_proposal_row(
        consultation,
        title="Une IA pour trier les courriers",
        body="Pour gagner du temps.",
        theme=consultation.themes[1],
    )

    # The organiser answers: retained, with a public justification.
    page = browsing.new_page()
    sign_in(page, organiser_account.email, demo_scene.password)
    page.goto(f"/propositions/{retained.id}")
    page.get_by_role("link", name="Répondre au nom de la collectivité").click()
    audit(page, "repondre")
    page.get_by_role("radio", name="Retenue", exact=True).check()
    page.get_by_label("Justification publique").fill("Le registre sera en ligne **avant l’été**.")
    page.get_by_role("button", name="Publier la réponse").click()
    expect(flash(page)).to_contain_text("La réponse est publiée")
    answer = page.get_by_role("region", name="Réponse de la collectivité")
    expect(answer).to_contain_text("Retenue")
    expect(answer.locator("strong")).to_have_text("avant l’été")
    audit(page, "proposition-repondue")

    # The synthesis: started, written, its retained proposal chosen, published.
    page.goto(f"/consultations/{consultation.id}/synthese/rediger")
    page.get_by_role("button", name="Commencer la synthèse").click()
    page.get_by_label("Titre de la synthèse").fill("Synthèse : des algorithmes municipaux transparents")
    page.get_by_label("Introduction").fill("Les habitant·es veulent **savoir** quels outils la commune utilise.")
    page.get_by_role("textbox", name="Transparence", exact=True).fill("Un registre public fait consensus.")
    page.get_by_role("button", name="Enregistrer le brouillon").click()
    expect(flash(page)).to_contain_text("Le brouillon de la synthèse est enregistré.")
    page.get_by_role("checkbox", name=RETAINED).check()
    page.get_by_role("button", name="Enregistrer la sélection").click()
    expect(flash(page)).to_contain_text("La liste des propositions retenues est enregistrée.")
    expect(page.get_by_role("checkbox", name=RETAINED)).to_be_checked()
    audit(page, "synthese-redaction")
    page.get_by_role("button", name="Publier la synthèse").click()
    expect(flash(page)).to_contain_text("La version 1 de la synthèse est publiée.")

    visitor = browsing.new_page()
    visitor.goto(f"/consultations/{consultation.id}/synthese")
    expect(heading(visitor)).to_have_text("Synthèse : des algorithmes municipaux transparents")
    expect(visitor.get_by_role("region", name="Transparence")).to_contain_text("Un registre public fait consensus.")
    chosen = visitor.get_by_role("region", name="Propositions retenues")
    expect(chosen.get_by_role("link", name=RETAINED)).to_be_visible()
    expect(chosen).to_contain_text("Camille")
    audit(visitor, "synthese-publiee")

    # The editor draws a point from it, cites the retained proposal, publishes a new version.
    editor = browsing.new_page()
    sign_in(editor, demo_scene.account("editor").email, demo_scene.password)
    slug = manifestos.all_manifestos()[0].slug
    editor.goto(f"/manifeste/{slug}/brouillon")
    start = editor.get_by_role("button", name="Commencer la version suivante")
    if start.count():  # the demonstration may already hold a draft
        start.click()
    version = int(re.search(r"Brouillon de la version (\d+)", editor.locator("main").inner_text()).group(1))
    # The demonstration's draft holds amendments of the territories still waiting: answered before publishing.
    editor.goto(f"/manifeste/{slug}/versions/{version}/amendements")
    waiting = editor.get_by_role("checkbox")
    if waiting.count():
        for i in range(waiting.count()):
            waiting.nth(i).check()
        editor.get_by_role("radio", name="Rejeté", exact=True).check()
        editor.get_by_label("Raison de la réponse").fill("Pas dans cette version.")
        editor.get_by_role("button", name="Répondre aux amendements cochés").click()
        expect(flash(editor)).to_contain_text("reçu")
    editor.goto(f"/manifeste/{slug}/brouillon")
    editor.get_by_label("Chapitre").fill("Transparence")
    editor.get_by_label("Titre du point").fill(POINT)
    editor.get_by_label("Texte du point").fill("Chaque territoire publie le **registre** de ses outils d’IA.")
    editor.get_by_role("button", name="Ajouter le point").click()
    expect(flash(editor)).to_contain_text("Le point est ajouté : citez maintenant ses sources.")
    expect(heading(editor)).to_have_text(POINT)
    source = editor.get_by_label("Source à citer")
    source.select_option(label=f"Proposition « {RETAINED} »")
    editor.get_by_role("button", name="Citer cette source").click()
    expect(flash(editor)).to_contain_text("La source est ajoutée.")
    sources = editor.locator("#sources + p + ul")
    expect(sources).to_contain_text("Synthèse : des algorithmes municipaux transparents (version 1)")
    expect(sources).to_contain_text(f"proposition « {RETAINED} » (Camille")
    audit(editor, "manifeste-point-sources")
    editor.get_by_role("link", name=re.compile("^Brouillon de")).click()
    editor.get_by_label("Ce qui change dans cette version").fill("Un point sur la transparence.")
    editor.get_by_role("button", name=f"Publier la version {version}").click()
    expect(flash(editor)).to_contain_text(f"La version {version} du manifeste est publiée.")

    # The point's provenance leads back to the synthesis and the proposal.
    editor.get_by_role("link", name=re.compile(f"D’où vient ce point : 1 source — {POINT}")).click()
    expect(heading(editor)).to_contain_text(POINT)
    expect(editor.get_by_role("link", name=re.compile(re.escape(RETAINED))).first).to_be_visible()
    audit(editor, "manifeste-point-provenance")

    # An élu of the territory signs the new version in its name.
    elu = browsing.new_page()
    sign_in(elu, demo_scene.member(territory, "elu").email, demo_scene.password)
    elu.goto(f"/manifeste/{slug}")
    expect(elu.get_by_role("heading", name=POINT)).to_be_visible()
    signatures = elu.get_by_role("region", name=f"Territoires signataires de la version {version}")
    expect(signatures).to_contain_text("Aucun territoire n’a encore signé cette version.")
    audit(elu, "manifeste-a-signer")
    signatures.get_by_label("Déclaration (facultative)").fill("Saint-Aubin s’engage à publier son registre.")
    signatures.get_by_role("button", name=f"Signer la version {version}").click()
    expect(flash(elu)).to_contain_text(f"{territory.name} a signé la version {version} du manifeste.")
    expect(signatures.get_by_role("listitem").filter(has_text=territory.name)).to_contain_text(
        "Saint-Aubin s’engage à publier son registre."
    )
    audit(elu, "manifeste-signe")
