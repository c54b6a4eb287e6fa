"""What a person does in the browser, in small steps shared by the journeys."""

import re
from datetime import datetime

from playwright.sync_api import Locator, Page, expect

from tests.factories import PASSWORD

LINK = re.compile(r"https?://\S+")

FOCUS_STYLE = """() => {
  const el = document.activeElement, style = getComputedStyle(el);
  return {outline: style.outlineStyle !== "none" && parseFloat(style.outlineWidth) >= 2,
          shadow: style.boxShadow !== "none"};
}"""


def sign_in(page: Page, email: str, password: str = PASSWORD) -> None:
    """Sign in through the form, as a person would; checks that it worked."""
    page.goto("/compte/connexion")
    page.get_by_label("Adresse électronique").fill(email)
    page.get_by_label("Mot de passe", exact=True).fill(password)
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_text("Vous êtes connecté·e.")).to_be_visible()


def sign_out(page: Page) -> None:
    page.get_by_role("button", name="Se déconnecter", exact=True).click()
    expect(page.get_by_text("Vous êtes déconnecté·e.")).to_be_visible()
    expect(main_nav(page).get_by_role("link", name="Se connecter")).to_be_visible()


def flash(page: Page) -> Locator:
    """The messages shown after an action."""
    return page.locator(".flashes")


def main_nav(page: Page) -> Locator:
    return page.get_by_role("navigation", name="Navigation principale")


def heading(page: Page) -> Locator:
    return page.get_by_role("heading", level=1)


def last_email_to(outbox: list, address: str):
    messages = [m for m in outbox if m["To"] == address]
    assert messages, f"aucun courriel envoyé à {address}"
    return messages[-1]


def link_in(message) -> str:
    """The first web address in an email, as the person would open it."""
    match = LINK.search(message.get_content())
    assert match, f"aucun lien dans le courriel « {message['Subject']} »"
    return match.group(0)


def error_of(page: Page, field: Locator) -> Locator:
    """The error message tied to a field (through aria-describedby), as a screen reader announces it."""
    expect(field).to_have_attribute("aria-invalid", "true")
    ids = (field.get_attribute("aria-describedby") or "").split()
    errors = [i for i in ids if i.endswith("-error")]
    assert errors, "le message d’erreur n’est pas relié au champ (aria-describedby)"
    return page.locator(f"#{errors[0]}")


def focused(page: Page) -> Locator:
    return page.locator("*:focus")


def assert_focus_visible(page: Page) -> None:
    """The element that has the keyboard focus shows it (outline of 2 px or more, or a ring)."""
    style = page.evaluate(FOCUS_STYLE)
    described = page.evaluate("() => document.activeElement.outerHTML.slice(0, 120)")
    assert style["outline"] or style["shadow"], f"focus invisible sur {described}"


def tab_to(page: Page, target: Locator, limit: int = 40, backwards: bool = False) -> None:
    """Press Tab (or Shift+Tab) until `target` has the focus; every stop must show its focus."""
    for _ in range(limit):
        page.keyboard.press("Shift+Tab" if backwards else "Tab")
        if page.evaluate("() => document.activeElement !== document.body"):
            assert_focus_visible(page)
        if target.evaluate("el => el === document.activeElement"):
            return
    raise AssertionError(f"{target} n’est pas atteint au clavier en {limit} tabulations")


def type_date(page: Page, field: Locator, when: datetime) -> None:
    """Type a date into the focused date field, segment by segment.

    Chromium shows jj/mm/aaaa in French (with the chromium-l10n package) but mm/dd/yyyy in
    English: the journeys use dates whose day equals their month, so the same keys give the
    same date in both.
    """
    assert when.day == when.month, "choose a day equal to the month"
    page.keyboard.type(f"{when:%d%m%Y}")
    expect(field).to_have_value(f"{when:%Y-%m-%d}")
