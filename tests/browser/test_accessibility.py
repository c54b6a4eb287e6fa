"""Every page of the sweep (sweep.PAGES), checked with axe at 1280 and 320 px wide, as the role that sees it."""

import pytest

from tests.browser.axe import audit
from tests.browser.steps import sign_in
from tests.browser.sweep import PAGES

pytestmark = pytest.mark.browser

ROLES = sorted({p.role or "" for p in PAGES})


@pytest.mark.parametrize("role", ROLES, ids=lambda r: r or "visiteur")
def test_every_page_passes_axe_at_both_widths(browsing, demo_scene, role):
    page = browsing.new_page()
    if role:
        sign_in(page, demo_scene.account(role).email, demo_scene.password)
    failures = []
    for entry in (p for p in PAGES if (p.role or "") == role):
        response = page.goto(entry.url(demo_scene))
        if response.status != entry.status:
            failures.append(f"{entry.name}: statut {response.status}, attendu {entry.status}")
            continue
        assert page.locator("h1").count() == 1, f"{entry.name}: la page doit avoir un seul titre h1"
        try:
            audit(page, entry.name)
        except AssertionError as error:
            failures.append(str(error))
    assert not failures, "\n\n".join(failures)
