"""Indicators computed from the entries: what each counts, per territory and across the platform."""

import html
import re

import pytest

from concertation.errors import ActionRefused
from concertation.library import indicators
from tests.factories import make_territory, make_user
from tests.library.factories import make_entry


@pytest.fixture(autouse=True)
def _app(app):
    return app


def page(response) -> str:
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", response.get_data(as_text=True))))


def by_key(figures):
    return {f.indicator.key: (f.count, f.total, f.share) for f in figures}


def scene():
    north, south = make_territory(name="Nord"), make_territory(name="Sud")
    make_entry(
        north,
        status="deploye",
        human_reachable=True,
        hosting="internal",
        agents_concerned=40,
        agents_trained=30,
        personal_data=True,
        dpia_done=True,
    )
    make_entry(
        north,
        status="experimentation",
        hosting="outside_eu",
        open_source=False,
        vendor="Éditeur",
        agents_concerned=10,
        agents_trained=0,
        personal_data=True,
    )
    make_entry(south, status="deploye", hosting="unknown", human_reachable=True)  # no agent counts
    # Not in service: counted nowhere.
    make_entry(south, status="abandonne", abandon_reason="Trop cher.", human_reachable=True, agents_concerned=100)
    make_entry(south, status="idee", hosting="eu")
    return north, south


def test_the_platform_figures_count_tools_in_service_only():
    scene()
    in_service, figures = indicators.platform()
    assert in_service == 3
    assert by_key(figures) == {
        "agents_trained": (30, 50, 60),
        "human_reachable": (2, 3, 67),
        "hosted_in_eu": (1, 3, 33),  # « non renseigné » is not the EU
        "open_source": (2, 3, 67),
        "dpia_done": (1, 2, 50),
    }


def test_each_territory_has_its_own_figures_and_nothing_measured_is_no_figure():
    north, south = scene()
    rows = {t.name: (n, by_key(f)) for t, n, f in indicators.per_territory()}
    assert set(rows) == {"Nord", "Sud"}
    assert rows["Nord"][0] == 2 and rows["Nord"][1]["agents_trained"] == (30, 50, 60)
    assert rows["Sud"][1]["agents_trained"] == (0, 0, None)
    assert rows["Sud"][1]["dpia_done"] == (0, 0, None)
    assert indicators.of_territory(south)[0] == 1


def test_the_page_shows_figures_with_their_definitions(client):
    scene()
    text = page(client.get("/bibliotheque/indicateurs"))
    assert "Part des agents formés" in text and "60 % (30 agents sur 50)" in text
    assert "67 % (2 outils sur 3)" in text
    assert "la part de ceux qui ont été formés à son usage" in text  # the definition
    assert "Nord" in text and "Sud" in text and "non mesuré" in text
    assert "Les indicateurs de la bibliothèque" in page(client.get("/bibliotheque"))


def test_an_empty_library_measures_nothing(client):
    in_service, figures = indicators.platform()
    assert in_service == 0 and all(f.share is None for f in figures)
    assert "Aucune collectivité n’a encore d’outil en service" in page(client.get("/bibliotheque/indicateurs"))


@pytest.mark.parametrize(
    "counts, field",
    [({"agents_trained": 5}, "agents_concerned"), ({"agents_concerned": 5, "agents_trained": 6}, "agents_trained")],
)
def test_agent_counts_must_hold_together(counts, field):
    with pytest.raises(ActionRefused) as refused:
        make_entry(**counts)
    assert refused.value.field == field


def test_the_form_takes_agent_counts_and_refuses_words(client, auth):
    entry = make_entry()
    auth.login(make_user("agent", entry.territory))
    form = {
        "title": entry.title,
        "need": entry.need,
        "metier": entry.metier,
        "audience": entry.audience,
        "status": entry.status,
        "hosting": entry.hosting,
        "cost_band": entry.cost_band,
        "open_source": "y",
    }
    refused = client.post(f"/bibliotheque/{entry.id}/modifier", data={**form, "agents_concerned": "beaucoup"})
    assert refused.status_code == 422 and "Donnez un nombre d’agents entre 0 et 1 000 000." in page(refused)
    done = client.post(
        f"/bibliotheque/{entry.id}/modifier", data={**form, "agents_concerned": "12", "agents_trained": "9"}
    )
    assert done.status_code == 302
    assert "Agents qui utilisent l’outil : 12 · dont formés : 9" in page(client.get(f"/bibliotheque/{entry.id}"))
