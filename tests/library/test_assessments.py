"""Entries judged against the manifesto's points: the grid, the profile, outdated assessments."""

import html
import re

import pytest

from concertation.db import utcnow
from concertation.errors import ActionRefused
from concertation.extensions import db
from concertation.library import assessments
from concertation.library.assessments import Verdict
from concertation.manifesto import services as manifesto_services
from tests.factories import make_territory, make_user
from tests.library.factories import make_entry
from tests.manifesto.scene import manifesto_with_point


@pytest.fixture(autouse=True)
def _app(app):
    return app


def page(response) -> str:
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", response.get_data(as_text=True))))


def two_point_manifesto():
    """A published manifesto of two points: « Former les agents avant d’équiper » and « Un humain toujours joignable »."""
    manifesto, draft, first, editor = manifesto_with_point(publish=False)
    second = manifesto_services.add_point(draft, "Garder l’humain", "Un humain toujours joignable", "")
    source = first.sources[0]
    manifesto_services.add_source(second, source.synthesis_version_id, source.retained_id)
    manifesto_services.publish(editor, draft, utcnow())
    db.session.commit()
    return manifesto, draft, first, second, editor


def test_the_profile_shows_each_point_with_its_verdict_and_counts():
    manifesto, version, first, second, _editor = two_point_manifesto()
    entry = make_entry()
    author = make_user("agent", entry.territory)
    assessed = assessments.assess(
        author,
        entry,
        version,
        {first.uid: Verdict("respects", "Tous les agents ont suivi deux jours de formation."), second.uid: Verdict()},
        utcnow(),
    )
    db.session.commit()
    assert assessed == 1
    lines = assessments.profile(entry, version)
    assert [(line.point.title, line.assessment and line.assessment.verdict) for line in lines] == [
        ("Former les agents avant d’équiper", "respects"),
        ("Un humain toujours joignable", None),
    ]
    assert assessments.counts(lines) == {"respects": 1, "partly": 0, "breaks": 0, "na": 0, "none": 1}
    # Made again, a point left without verdict loses its assessment.
    assessments.assess(author, entry, version, {first.uid: Verdict(), second.uid: Verdict("na")}, utcnow())
    db.session.commit()
    assert assessments.counts(assessments.profile(entry, version))["none"] == 1


@pytest.mark.parametrize(
    "verdict, field",
    [
        (Verdict("partly", ""), "j"),  # a verdict without justification
        (Verdict("excellent", "Très bien."), "v"),
        (Verdict("", "Une justification sans appréciation."), "v"),
        (Verdict("breaks", "x" * 2001), "j"),
    ],
)
def test_refusals_name_the_field(verdict, field):
    _m, version, first, _second, _editor = two_point_manifesto()
    entry = make_entry()
    with pytest.raises(ActionRefused) as refused:
        assessments.assess(make_user("agent", entry.territory), entry, version, {first.uid: verdict}, utcnow())
    assert refused.value.field == f"{field}{first.uid}"


def test_only_the_current_version_and_its_points_are_assessed():
    manifesto, version, first, _second, editor = two_point_manifesto()
    entry = make_entry()
    author = make_user("agent", entry.territory)
    with pytest.raises(ActionRefused):
        assessments.assess(author, entry, version, {9999: Verdict("na")}, utcnow())
    assessments.assess(author, entry, version, {first.uid: Verdict("partly", "Formation en cours.")}, utcnow())
    newer = manifesto_services.start_draft(manifesto, utcnow())
    manifesto_services.publish(editor, newer, utcnow(), "Un point reformulé.")
    db.session.commit()
    with pytest.raises(ActionRefused):
        assessments.assess(author, entry, version, {first.uid: Verdict("na")}, utcnow())
    # Against the new version, the old assessment is shown as made against version 1.
    lines = assessments.profile(entry, newer)
    assert [line.outdated for line in lines] == [True, False]
    assert lines[0].assessment.version.number == 1


def test_an_agent_assesses_the_entry_and_the_page_shows_the_profile(client, auth):
    manifesto, version, first, second, editor = two_point_manifesto()
    entry = make_entry(title="Chatbot d’accueil du soir")
    auth.login(make_user("agent", entry.territory))
    form = page(client.get(f"/bibliotheque/{entry.id}/evaluation"))
    assert "Former les agents avant d’équiper" in form and "Un humain toujours joignable" in form
    refused = client.post(f"/bibliotheque/{entry.id}/evaluation", data={f"v{first.uid}": "breaks"})
    assert refused.status_code == 422 and "Justifiez cette appréciation" in page(refused)
    response = client.post(
        f"/bibliotheque/{entry.id}/evaluation",
        data={
            f"v{first.uid}": "partly",
            f"j{first.uid}": "La moitié des agents formés.",
            f"v{second.uid}": "respects",
            f"j{second.uid}": "Le standard reprend la main.",
        },
    )
    assert response.status_code == 302
    shown = page(client.get(f"/bibliotheque/{entry.id}"))
    # page() folds the non-breaking spaces into plain ones.
    assert "respecté : 1 ; en partie : 1 ; non respecté : 0 ; sans objet : 0 ; non évalué : 0" in shown
    assert "Respecte en partie" in shown and "La moitié des agents formés." in shown
    assert "antérieure" not in shown
    # A new version is published: the page says the assessments were made against the former one.
    manifesto_services.publish(editor, manifesto_services.start_draft(manifesto, utcnow()), utcnow(), "Reformulé.")
    db.session.commit()
    shown = page(client.get(f"/bibliotheque/{entry.id}"))
    assert "version 2 en vigueur" in shown and "évalué sur la version 1, antérieure" in shown
    again = page(client.get(f"/bibliotheque/{entry.id}/evaluation"))
    assert "Évalué sur la version 1 du manifeste" in again


def test_others_may_not_assess(client, auth):
    two_point_manifesto()
    entry = make_entry()
    auth.login(make_user("agent", make_territory()))
    assert client.get(f"/bibliotheque/{entry.id}/evaluation").status_code == 403
    auth.logout()
    auth.login(make_user("elu", entry.territory))
    assert client.post(f"/bibliotheque/{entry.id}/evaluation", data={}).status_code == 403


def test_without_a_published_manifesto_there_is_no_grid(client, auth):
    entry = make_entry()
    auth.login(make_user("agent", entry.territory))
    assert client.get(f"/bibliotheque/{entry.id}/evaluation").status_code == 404
    assert "pas encore été évaluée" in page(client.get(f"/bibliotheque/{entry.id}"))
