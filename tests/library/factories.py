"""Scenes of the library: an entry of a territory in a line."""

from concertation.db import utcnow
from concertation.extensions import db
from concertation.library import services
from concertation.library.services import EntryData, RetourData
from tests.factories import make_territory, make_user


def entry_data(**kw) -> EntryData:
    values = {
        "title": "Assistant de rédaction pour les agents",
        "metier": "numerique",
        "audience": "agents",
        "status": "deploye",
        "need": "Gagner du temps sur les courriers types et les comptes rendus.",
        "description": "Un modèle de langue **hébergé** par la collectivité propose un premier jet.",
        "open_source": True,
        "hosting": "internal",
        "contact": "numerique@ville.example",
    }
    values.update(kw)
    return EntryData(**values)


def make_entry(territory=None, author=None, **kw):
    territory = territory or make_territory()
    author = author or make_user("agent", territory)
    entry = services.create_entry(author, territory, entry_data(**kw), utcnow())
    db.session.commit()
    return entry


def make_adoption(entry, territory=None, **kw):
    territory = territory or make_territory()
    organiser = make_user("organiser", territory)
    retour = RetourData(
        context=kw.pop("context", "Une commune de 12 000 habitants, service courrier de trois agents."),
        gains=kw.pop("gains", "Une heure par jour gagnée."),
        difficulties=kw.pop("difficulties", ""),
        would_recommend=kw.pop("would_recommend", True),
    )
    adoption = services.declare_adoption(organiser, entry, territory, retour, utcnow())
    db.session.commit()
    return adoption
