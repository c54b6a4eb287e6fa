"""A territory's name as a sentence needs it, in the interface's language.

French puts an article and a preposition before the name (« de la Communauté d’agglomération… »,
« du Département… », « d’Angers », « à Saint-Aubin »); the article is stored on the territory
(Territory.name_article, chosen in the territory's form). English uses the bare name.
"""

from flask_babel import LazyString, get_locale

from concertation.territories.models import Territory, at_name, of_name, with_article

FORMS = ("article", "Article", "of", "in")


def territory_name(territory: Territory, form: str = "article") -> str:
    """form: "article" (« la Communauté… »), "Article" (the same at the start of a sentence),
    "of" (« de la Communauté… », English "of X"), "in" (« dans la Communauté… », « à Saint-Aubin », "in X")."""
    name, article = territory.name, territory.name_article
    if not str(get_locale() or "fr").startswith("fr"):
        return {"of": f"of {name}", "in": f"in {name}"}.get(form, name)
    if form == "of":
        return of_name(name, article)
    if form == "in":
        return f"dans {with_article(name, article)}" if article else at_name(name, article)
    text = with_article(name, article)
    return text[:1].upper() + text[1:] if form == "Article" else text


def lazy_territory_name(territory: Territory, form: str = "article") -> LazyString:
    """The same, decided when the text is shown (in a refusal raised by a service)."""
    return LazyString(territory_name, territory, form)
