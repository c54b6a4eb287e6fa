"""Screenshots of the journeys' main pages at 1280 and 375 px (a desktop, a phone), for a person to review.

They are written to test-artifacts/screenshots/parcours-<page>-<width>.png by `make test`. The test
also checks what a screenshot would show at a glance: the page answers, has one h1, and nothing
needs a horizontal scroll on the phone.
"""

import pytest

from tests.browser.axe import OVERFLOW, SCREENSHOTS
from tests.browser.steps import sign_in

pytestmark = pytest.mark.browser

WIDTHS = (1280, 375)


def journey(scene):
    """(name, who signs in, address): the pages of the issue's review, as the person who uses each."""
    voting = scene.consultation("vote")
    synthesis = scene.consultation("synthesis")
    organiser = scene.member(synthesis.territory, "organiser")
    return [
        ("accueil", None, "/"),
        ("consultation", None, f"/consultations/{voting.id}"),
        ("proposition", None, f"/propositions/{scene.proposal(voting).id}"),
        ("resultats", None, f"/consultations/{synthesis.id}/resultats"),
        ("synthese-redaction", organiser.email, f"/consultations/{synthesis.id}/synthese/rediger"),
        ("synthese", None, f"/consultations/{synthesis.id}/synthese"),
        ("manifeste", None, f"/manifeste/{scene.manifesto_slug()}"),
    ]


def test_screenshots_of_the_journeys_at_desktop_and_phone_widths(browsing, demo_scene):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
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
            overflow = page.evaluate(OVERFLOW)
            if overflow["scroll"] > overflow["width"]:
                problems.append(f"{name} à {width} px : défilement horizontal {overflow['elements']}")
            path = SCREENSHOTS / f"parcours-{name}-{width}.png"
            page.screenshot(path=path, full_page=True, animations="disabled")
            assert path.stat().st_size > 5_000, f"{path.name} est vide"
    assert not problems, "\n".join(problems)
