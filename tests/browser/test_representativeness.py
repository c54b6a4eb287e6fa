"""Who took part, in the browser: the mayor of the demonstration reaches « Qui a participé ? » from the
dashboard and reads the figures, a masked figure (a group under 10), the caution on their limits, and
each chart's text alternative and table."""

import re

import pytest
from playwright.sync_api import expect

from concertation.participation import comparison
from tests.browser.axe import audit
from tests.browser.steps import heading, main_nav, sign_in, tab_to

pytestmark = pytest.mark.browser

MAYOR = "maire@saint-aubin-des-pres.example"


def _number(n: int) -> str:
    """A count as the page writes it (« 1 234 », with a narrow no-break space), for a regular expression."""
    return r"\s?".join(re.escape(part) for part in f"{n:,}".split(","))


def test_an_elu_reads_who_took_part_with_masked_figures_a_caution_and_tables(browsing, demo_scene):
    consultation = demo_scene.consultation("vote")
    assert consultation.territory.slug == "saint-aubin-des-pres"
    expected = comparison.compare(consultation)
    ages = next(d for d in expected["dimensions"] if d["key"] == "age")
    shown = next(row for row in ages["rows"] if row["count"] is not None)
    masked = [(d, row) for d in expected["dimensions"] for row in d["rows"] if row["count"] is None]
    assert expected["participants"] and masked, "the demonstration should show figures and hide a small group"

    page = browsing.new_page()
    sign_in(page, MAYOR, demo_scene.password)
    main_nav(page).get_by_role("link", name="Tableau de bord").click()
    card = page.get_by_role("region", name=consultation.title)
    card.get_by_role("link", name=re.compile("^Qui a participé")).click()
    expect(heading(page)).to_have_text("Qui a participé ?")

    main = page.locator("main")
    expect(main).to_contain_text(re.compile(_number(expected["participants"]) + r"\s+participant·es"))
    caution = page.get_by_role("note")
    expect(caution.get_by_role("heading", name="Les limites de ces chiffres")).to_be_visible()
    expect(caution).to_contain_text("Aucun chiffre ne porte sur moins de 10 personnes")

    # Each chart has a text alternative, and its figures are in a table beside it.
    chart = page.get_by_role("img", name=re.compile("^Tranche d’âge"))
    expect(chart).to_be_visible()
    expect(chart).to_have_accessible_name(re.compile("Les mêmes chiffres sont dans le tableau"))
    table = page.get_by_role("table", name="Participant·es et population : Tranche d’âge")
    row = table.get_by_role("row", name=re.compile("^" + re.escape(shown["label"])))
    expect(row.get_by_role("cell").first).to_have_text(re.compile("^" + _number(shown["count"]) + "$"))

    # A group under 10 is masked, in its table and in its chart.
    dimension, small = masked[0]
    small_table = page.get_by_role("table", name=f"Participant·es et population : {dimension['title']}")
    small_row = small_table.get_by_role("row", name=re.compile("^" + re.escape(small["label"])))
    expect(small_row.get_by_role("cell").first).to_have_text("masqué")

    # The tables scroll sideways on a small screen: each one is reached with the keyboard.
    tab_to(page, page.get_by_role("region", name="Participant·es et population : Tranche d’âge"), limit=80)
    audit(page, "qui-a-participe-elu")
