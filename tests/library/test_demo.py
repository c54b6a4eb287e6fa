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


def test_the_demo_library_has_a_dozen_tools_links_assessments_and_indicators(runner, client):
    from concertation.library import assessments, indicators

    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    entries = {e.title: e for e in db.session.scalars(select(LibraryEntry))}
    assert len(entries) >= 12
    assert sum(1 for e in entries.values() if e.status == "abandonne" and e.abandon_reason) >= 3
    drafting = entries["Assistant de rédaction pour les agents"]
    assert [link.commitment.title for link in services.commitment_links(drafting)] == [
        "Un agent relit toute décision préparée par une IA"
    ]
    assert services.proposal_links(drafting)
    _manifesto, version = assessments.current_grid()
    chatbot = assessments.profile(entries["Chatbot d’accueil de la mairie"], version)
    assert assessments.counts(chatbot)["respects"] == 3
    page = html.unescape(client.get(f"/bibliotheque/{drafting.id}").get_data(as_text=True))
    assert "Un agent relit toute décision préparée par une IA" in page
    in_service, figures = indicators.platform()
    assert in_service >= 8 and all(f.share is not None for f in figures)
