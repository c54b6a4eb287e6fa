"""A no-op marker for French interface strings kept in constants (labels of kinds, states, phases…).

``N_("Retenue")`` returns the string unchanged, so the French interface shows what it did, and
lets ``pybabel extract`` (keyword ``N_``) find it; the English is looked up where the label is
shown, with ``_()`` in templates or views.
"""

import re
from functools import lru_cache
from gettext import NullTranslations
from pathlib import Path

from babel.messages.pofile import read_po
from flask import current_app
from flask_babel import Babel, Domain, _get_current_context, get_locale


def N_(message: str) -> str:
    return message


# French as the interface writes it ----------------------------------------------------------------
# French is the language of the source strings, so it has no catalogue of its own, and gettext's rule
# for a missing catalogue is the English one (« 0 soutiens »). French counts 0 and 1 in the singular.
# A platform that avoids inclusive writing (INCLUSIVE_WRITING off) reads the strings written with a
# middle dot (« habitant·es ») in their alternative form, from one small catalogue: PLAIN_CATALOGUE.

PLAIN_CATALOGUE = Path(__file__).resolve().parent / "translations" / "fr_sans_point_median.po"


_SPACE_BEFORE = re.compile(r" ([:;!?»]|%(?![(sdif]))")  # « 50 % » too, not a placeholder
_SPACE_AFTER = re.compile(r"« ")
_APOSTROPHE = re.compile(r"(?<=[A-Za-zÀ-ÿ])'(?=[A-Za-zÀ-ÿ])")


def french_typography(text: str) -> str:
    """Non-breaking spaces before : ; ! ? » % and after «, typographic apostrophes and ellipses.

    Applied to the interface's French strings as they are shown, so that the code keeps ordinary
    spaces (and the English catalogue's keys stay as they are) while no line breaks before a colon.
    """
    text = _SPACE_BEFORE.sub("\u00a0\\1", text)
    text = _SPACE_AFTER.sub("«\u00a0", text)
    return _APOSTROPHE.sub("’", text).replace("...", "…")


# The interface's strings are few and shown again and again: each is set in French typography once.
_typeset = lru_cache(maxsize=4096)(french_typography)


class _FrenchRule(NullTranslations):
    """For French strings no catalogue holds: singular for 0 and 1, and French typography."""

    def gettext(self, message):
        return _typeset(message)

    def ngettext(self, singular, plural, n):
        return _typeset(singular if n <= 1 else plural)


@lru_cache(maxsize=1)
def plain_catalogue() -> dict:
    """msgid (or (msgid, plural index)) → the same text without middle dots, as gettext's _catalog holds it."""
    with PLAIN_CATALOGUE.open("rb") as po:
        catalogue = read_po(po)
    entries: dict = {}
    for message in catalogue:
        if not message.id or not message.string:
            continue
        if message.pluralizable:
            for index, text in enumerate(message.string):
                entries[(message.id[0], index)] = french_typography(text or message.id[min(index, 1)])
        else:
            entries[message.id] = french_typography(str(message.string))
    return entries


class FrenchDomain(Domain):
    def get_translations(self):
        # Once per request (a page asks for them at each of its hundred strings), kept where Flask-Babel's
        # force_locale and refresh forget them when the language changes.
        context = _get_current_context()
        translations = getattr(context, "babel_translations", None)
        if translations is None:
            translations = self._french(super().get_translations())
            if context is not None:
                context.babel_translations = translations
        return translations

    def _french(self, translations):
        locale = get_locale()
        if locale is None or locale.language != "fr" or getattr(translations, "french_ready", False):
            return translations
        translations.plural = lambda n: int(n > 1)
        translations.add_fallback(_FrenchRule())
        if not current_app.config.get("INCLUSIVE_WRITING", True):
            translations._catalog.update(plain_catalogue())
        translations.french_ready = True
        return translations


class PlatformBabel(Babel):
    """Flask-Babel whose French follows French plural rules and the platform's writing setting."""

    @property
    def domain_instance(self):
        # One domain per app, so that its catalogues are read once, not on every request; per app, not
        # per extension object, because the writing setting is the app's (one Babel serves every app).
        domain = current_app.extensions.get("french_domain")
        if domain is None:
            domain = current_app.extensions["french_domain"] = FrenchDomain(domain=self.domain)
        return domain
