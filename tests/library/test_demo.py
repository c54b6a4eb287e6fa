"""The demonstration's library: tools of the three territories, an abandoned one with its reason, retours."""

import html

from sqlalchemy import select

from concertation.extensions import db
from concertation.library import services
from concertation.library.models import LibraryEntry
from concertation.library.services import LibraryFilters


def test_seed_demo_fills_the_library_with_entries_and_retours(runner, client):
    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    entries = list(db.session.scalars(select(LibraryEntry)))
    assert len(entries) >= 5 and len({e.territory_id for e in entries}) == 3
    assert any(e.status == "abandonne" and e.abandon_reason for e in entries)
    drafting = next(e for e in entries if e.title == "Assistant de rédaction pour les agents")
    assert services.adoption_counts([drafting.id]) == {drafting.id: 2}
    found = [e.title for e in db.session.scalars(services.search_query(LibraryFilters(q="fuites")))]
    assert found == ["Détection des fuites d’eau sur le réseau"]
    page = html.unescape(client.get(f"/bibliotheque/{drafting.id}").get_data(as_text=True))
    assert "Utilisé aussi par 2 autres collectivités" in page and "Département de la Haute-Vallée" in page
