"""Scenes for the participatory texts' tests: a charter imported, opened, amended."""

from sqlalchemy import update

from concertation.db import utcnow
from concertation.extensions import db
from concertation.texts import services
from concertation.texts.models import AmendmentGrade
from tests.factories import make_consultation, make_user, when_open

CHARTER = """Préambule de la charte : l’IA au service des agents.

# Principes

L’IA aide les agents, elle ne les remplace pas.

Chaque outil est choisi avec les agents qui l’utiliseront.

## Données

Les données personnelles des usagers ne quittent pas l’Union européenne.
Elles ne servent jamais à entraîner un modèle commercial.
"""


def make_text(consultation=None, status: str = "open", source: str = CHARTER, **kw):
    """A charter imported in `consultation` (in its proposals phase by default), opened unless `status` says otherwise."""
    consultation = consultation or make_consultation("proposals", **kw)
    organiser = make_user("organiser", consultation.territory)
    text = services.import_text(organiser, consultation, "Charte d’usage de l’IA", source, utcnow())
    if status != "draft":
        services.open_text(text, utcnow())
    db.session.commit()
    return text


def paragraph(text, number: int):
    return next(p for p in services.paragraphs_of(text) if p.number == number)


def make_amendment(text, number: int = 2, author=None, kind: str = "replace", wording: str | None = None, **kw):
    p = paragraph(text, number)
    if wording is None:
        wording = "" if kind == "delete" else f"{p.body} Et ils sont formés avant."
    amendment = services.propose_amendment(
        author or make_user(),
        p,
        kind,
        wording,
        kw.pop("justification", "La formation vient d’abord."),
        when_open(text.consultation, "amend"),
    )
    db.session.commit()
    return amendment


def adopted_with_mentions(results_live: bool = False):
    """A text voted by majority judgment whose amendment got Très bien from five judges, accepted and adopted."""
    text = make_text(make_consultation("vote", voting_method="majority", results_live=results_live))
    amendment = make_amendment(text)
    for mention in (5, 4, 4, 1, 0):  # the lower median of five: the third best, Très bien
        services.grade(make_user(), amendment, mention, utcnow())
    organiser = make_user("organiser", text.consultation.territory)
    services.answer_amendment(organiser, amendment, "accepted", "", utcnow())
    version = services.publish_version(organiser, text, utcnow())
    db.session.commit()
    return text, amendment, version


def grades_change_later(amendment) -> None:
    """The amendment's grades move after the adoption (the platform closes grading at the answer; the data may move)."""
    db.session.execute(update(AmendmentGrade).where(AmendmentGrade.amendment_id == amendment.id).values(mention=0))
    db.session.commit()
