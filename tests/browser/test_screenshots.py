"""Screenshots of the journeys' main pages at 1280 and 375 px (a desktop, a phone), for a person to review.

They are written to test-artifacts/screenshots/parcours-<page>-<width>.png by `make test`. The test
also checks what a screenshot would show at a glance: the page answers, has one h1, axe-core finds
no WCAG 2.1 A/AA violation (here with the territory's logo, colour and cover set), and nothing needs
a horizontal scroll on the phone.
"""

import io

import pytest
from PIL import Image, ImageDraw
from playwright.sync_api import expect

from tests.browser.axe import OVERFLOW, SCREENSHOTS, axe_violations, format_violations
from tests.browser.steps import flash, sign_in

pytestmark = pytest.mark.browser

WIDTHS = (1280, 375)


def journey(scene):
    """(name, who signs in, address): the pages of the issue's review, as the person who uses each."""
    voting = scene.consultation("vote")
    synthesis = scene.consultation("synthesis")
    organiser = scene.member(synthesis.territory, "organiser")
    return [
        ("accueil", None, "/"),
        ("territoire", None, f"/territoires/{voting.territory.slug}"),
        ("consultation", None, f"/consultations/{voting.id}"),
        ("proposition", None, f"/propositions/{scene.proposal(voting).id}"),
        ("resultats", None, f"/consultations/{synthesis.id}/resultats"),
        ("synthese-redaction", organiser.email, f"/consultations/{synthesis.id}/synthese/rediger"),
        ("synthese", None, f"/consultations/{synthesis.id}/synthese"),
        ("manifeste", None, f"/manifeste/{scene.manifesto_slug()}"),
    ]


def _image(size, draw, fmt: str) -> bytes:
    image = Image.new("RGB", size, (255, 255, 255))
    draw(ImageDraw.Draw(image))
    buffer = io.BytesIO()
    image.save(buffer, fmt)
    return buffer.getvalue()


def _logo(d) -> None:
    d.ellipse((10, 10, 110, 110), fill=(11, 110, 79))
    d.rectangle((130, 40, 390, 80), fill=(11, 110, 79))


def _cover(d) -> None:
    for x in range(0, 1200, 40):
        d.rectangle((x, 0, x + 40, 400), fill=(200 - x // 12, 225, 210 - x // 20))
    d.polygon([(0, 400), (400, 180), (800, 300), (1200, 150), (1200, 400)], fill=(11, 110, 79))


def give_identity(browsing, scene, consultation) -> None:
    """The territory's organiser uploads its logo and accent colour, then the consultation's cover, as they would."""
    page = browsing.new_page()
    sign_in(page, scene.member(consultation.territory, "organiser").email, scene.password)
    page.goto(f"/territoires/{consultation.territory.slug}")
    page.get_by_role("link", name="Logo et couleur").click()
    page.get_by_label("Logo (PNG, JPG ou WebP, 1 Mo au plus)").set_input_files(
        files=[{"name": "logo.png", "mimeType": "image/png", "buffer": _image((400, 120), _logo, "PNG")}]
    )
    page.get_by_label("Couleur d’accent (facultatif)").fill("#0b6e4f")
    page.get_by_role("button", name="Enregistrer").click()
    expect(flash(page)).to_contain_text("L’identité du territoire est enregistrée.")
    page.goto(f"/consultations/{consultation.id}")
    page.get_by_role("link", name="Image de couverture").click()
    page.get_by_label("Image de couverture (PNG, JPG ou WebP, 3 Mo au plus)").set_input_files(
        files=[{"name": "couverture.jpg", "mimeType": "image/jpeg", "buffer": _image((1200, 400), _cover, "JPEG")}]
    )
    page.get_by_label("Texte de remplacement").fill("Collines boisées au-dessus du bourg")
    page.get_by_role("button", name="Enregistrer").click()
    expect(flash(page)).to_contain_text("L’image de couverture est enregistrée.")
    expect(page.get_by_role("img", name="Collines boisées au-dessus du bourg")).to_be_visible()


def test_screenshots_of_the_journeys_at_desktop_and_phone_widths(browsing, demo_scene):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    give_identity(browsing, demo_scene, demo_scene.consultation("vote"))
    pages = {}
    problems = []
    for name, email, url in journey(demo_scene):
        if email not in pages:
            pages[email] = browsing.new_page()
            if email:
                sign_in(pages[email], email, demo_scene.password)
        page = pages[email]
        response = page.goto(url)
        if response.status != 200 or page.locator("h1").count() != 1:
            problems.append(f"{name}: statut {response.status}, {page.locator('h1').count()} titres h1")
            continue
        for width in WIDTHS:
            page.set_viewport_size({"width": width, "height": 900})
            violations = axe_violations(page)
            if violations:
                problems.append(f"{name} à {width} px :\n{format_violations(violations)}")
            overflow = page.evaluate(OVERFLOW)
            if overflow["scroll"] > overflow["width"]:
                problems.append(f"{name} à {width} px : défilement horizontal {overflow['elements']}")
            path = SCREENSHOTS / f"parcours-{name}-{width}.png"
            page.screenshot(path=path, full_page=True, animations="disabled")
            assert path.stat().st_size > 5_000, f"{path.name} est vide"
    assert not problems, "\n".join(problems)
