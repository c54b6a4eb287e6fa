"""Vote counts leave through no output before the results are public, found by walking the URL map.

Pages, the similar-proposals hint, the preview step, open-data exports, the API, the dashboard:
every GET route that names a consultation, a proposal or a territory is read by a visitor, a
citizen and an élu of the territory while the vote is secret, and none of them carries a count.
Live majority-judgment results show no distribution under the floor of judges.
"""

import csv
import io
import json
import re

import pytest

from concertation.extensions import db
from tests.factories import make_consultation, make_grade, make_proposal, make_support, make_territory, make_user
from tests.url_walk import rules, urls

SUPPORTS = 13
QUERY = {"proposals.similar": "?titre=Cantine+scolaire+algorithme", "proposals.index": "?sort=supports"}
VOTE_KEYS = {
    "support_count",
    "soutiens",
    "supports",
    "jugements",
    "judges",
    "grade_count",
    "distribution",
    "majority_mention",
    "mention_majoritaire",
    *[f"mentions_{k}" for k in ("a_rejeter", "passable", "assez_bien", "bien", "tres_bien", "excellent")],
}
SHARE = re.compile(r"\d+(,\d)?(\s|&nbsp;)+%")


# Pages whose percentages are shares of people, not of votes: « Qui a participé ? » compares the
# participants with the population by age and place (its counts of supports are still checked).
DEMOGRAPHIC_SHARES = ("/qui-a-participe",)


def _vote_figures(response, shares: bool = True) -> list:
    """Every vote figure an answer carries, whatever its format (HTML, JSON, CSV)."""
    text = response.get_data(as_text=True)
    kind = response.mimetype
    found = []
    if kind == "application/json":

        def walk(node):
            if isinstance(node, dict):
                for key, value in node.items():
                    if key in VOTE_KEYS and value not in (None, "", 0, []):
                        found.append((key, value))
                    walk(value)
            elif isinstance(node, list):
                for item in node:
                    walk(item)

        walk(json.loads(text))
    elif kind == "text/csv":
        for row in csv.DictReader(io.StringIO(text.lstrip("\ufeff"))):
            found += [(key, value) for key, value in row.items() if key in VOTE_KEYS and value not in ("", "0")]
    else:
        found += re.findall(rf"{SUPPORTS}\s+soutiens", text) + (SHARE.findall(text) if shares else [])
    return found


def _walk_get(client, values):
    for rule, _methods in rules(client.application, methods=("GET",)):
        if not {"consultation_id", "proposal_id", "slug"} & set(rule.arguments):
            continue
        for path in urls(rule, values):
            yield path + QUERY.get(rule.endpoint, "")


def _secret_vote():
    territory = make_territory()
    organiser = make_user("organiser", territory)
    consultation = make_consultation("vote", territory=territory, author=organiser, results_live=False)
    proposal = make_proposal(
        consultation,
        title="Cantine scolaire et algorithme de menus",
        body="Un algorithme pour les menus de la cantine scolaire.",
    )
    for _ in range(SUPPORTS):
        make_support(proposal)
    return territory, consultation, proposal


@pytest.mark.parametrize("reader", ["visitor", "citizen", "elu"])
def test_no_output_carries_a_count_while_the_vote_is_secret(client, auth, reader):
    territory, consultation, proposal = _secret_vote()
    if reader != "visitor":
        auth.login(make_user() if reader == "citizen" else make_user("elu", territory))
    leaks, read = [], 0
    for path in _walk_get(
        client, {"consultation_id": consultation.id, "proposal_id": proposal.id, "slug": territory.slug, "number": 1}
    ):
        response = client.get(path)
        assert response.status_code < 500, path
        if response.status_code == 200:
            read += 1
            shares = not path.endswith(DEMOGRAPHIC_SHARES)
            leaks += [(path, figure) for figure in _vote_figures(response, shares)]
    assert read > 10
    assert not leaks, "\n".join(map(str, leaks))


def test_the_preview_step_shows_no_count_while_the_vote_is_secret(client, auth):
    _territory, consultation, proposal = _secret_vote()
    proposal.consultation.phases  # noqa: B018 (loaded)
    early = make_consultation("proposals", supports_during_proposals=True)
    twin = make_proposal(
        early,
        title="Cantine scolaire et algorithme de menus",
        body="Un algorithme pour les menus de la cantine scolaire.",
    )
    for _ in range(SUPPORTS):
        make_support(twin)
    auth.login(make_user())
    page = client.post(
        f"/consultations/{early.id}/propositions/nouvelle",
        data={
            "title": "Cantine scolaire : un algorithme de menus",
            "body": "Pour la cantine scolaire.",
            "theme": str(early.themes[0].id),
            "action": "preview",
        },
    )
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and twin.title in text
    assert f"{SUPPORTS} soutiens" not in text
    hint = client.get(f"/consultations/{early.id}/propositions/similaires?titre=Cantine+scolaire+algorithme").json
    assert hint["proposals"] and "support_count" not in hint["proposals"][0]


def test_counts_show_everywhere_once_results_are_live(client):
    territory, consultation, proposal = _secret_vote()
    consultation.results_live = True
    db.session.commit()
    assert f"{SUPPORTS} soutiens" in client.get(f"/consultations/{consultation.id}/propositions").get_data(as_text=True)
    rows = list(
        csv.DictReader(
            io.StringIO(
                client.get(f"/consultations/{consultation.id}/donnees/propositions.csv")
                .get_data(as_text=True)
                .lstrip("\ufeff")
            )
        )
    )
    assert rows[0]["soutiens"] == str(SUPPORTS)
    hint = client.get(f"/consultations/{consultation.id}/propositions/similaires?titre=Cantine+scolaire+algorithme")
    assert hint.json["proposals"][0]["support_count"] == SUPPORTS


def _live_judgment(judges_of_first: int):
    consultation = make_consultation("vote", voting_method="majority", results_live=True)
    lonely = make_proposal(consultation, title="Une proposition jugée par une seule personne")
    untouched = make_proposal(consultation, title="Une proposition que personne n’a jugée")
    for _ in range(judges_of_first):
        make_grade(lonely, 5)
    return consultation, lonely, untouched


def test_live_judgment_shows_no_distribution_under_the_floor_of_judges(client):
    consultation, lonely, untouched = _live_judgment(1)
    page = client.get(f"/consultations/{consultation.id}/resultats").get_data(as_text=True)
    assert "100&nbsp;%" not in page and "Excellent" not in page.split("Propositions pas encore classées")[-1]
    assert "Propositions pas encore classées" in page and lonely.title in page and untouched.title in page
    assert "<td>1</td>" not in page  # not ranked first
    api = client.get(f"/api/v1/consultations/{consultation.id}/proposals").json
    by_id = {item["id"]: item["results"] for item in api["data"]}
    assert by_id[lonely.id] is None and by_id[untouched.id]["judges"] == 0
    rows = list(
        csv.DictReader(
            io.StringIO(
                client.get(f"/consultations/{consultation.id}/donnees/propositions.csv")
                .get_data(as_text=True)
                .lstrip("\ufeff")
            )
        )
    )
    first = next(r for r in rows if r["id"] == str(lonely.id))
    assert first["mentions_excellent"] == "" and first["mention_majoritaire"] == ""


def test_live_judgment_shows_the_distribution_from_the_floor_up(app, client):
    app.config["LIVE_RESULTS_MIN_JUDGES"] = 3
    consultation, lonely, untouched = _live_judgment(3)
    page = client.get(f"/consultations/{consultation.id}/resultats").get_data(as_text=True)
    ranked, apart = page.split("Propositions pas encore classées")
    assert "Excellent 100&nbsp;%" in ranked and lonely.title in ranked
    assert untouched.title in apart and untouched.title not in ranked
    api = client.get(f"/api/v1/proposals/{lonely.id}").json
    assert api["data"]["results"]["judges"] == 3
