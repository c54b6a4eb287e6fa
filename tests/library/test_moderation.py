"""Retours d’expérience reported and moderated with the platform's moderation (reasons, threshold, log)."""

import html
import re

import pytest
from sqlalchemy import select

from concertation.db import utcnow
from concertation.errors import ActionRefused
from concertation.extensions import db
from concertation.library import moderation
from concertation.moderation.models import ModerationAction
from concertation.moderation.services import digests, queue_size, queues_for
from concertation.permissions import can
from tests.factories import make_territory, make_user
from tests.library.factories import make_adoption, make_entry


@pytest.fixture(autouse=True)
def _app(app):
    return app


def page(response) -> str:
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", response.get_data(as_text=True))))


def test_reports_reach_the_threshold_and_hide_the_retour_until_a_decision():
    entry = make_entry()
    entry.territory.report_threshold = 2
    adoption = make_adoption(entry, gains="Des insultes envers le prestataire.")
    moderation.report(make_user(), adoption, "abuse", "", utcnow())
    db.session.commit()
    assert adoption.moderation == "visible"
    reporter = make_user()
    moderation.report(reporter, adoption, "abuse", "Propos injurieux.", utcnow())
    db.session.commit()
    assert adoption.moderation == "hidden" and adoption.moderation_reason == moderation.AUTO_HIDE_REASON
    with pytest.raises(ActionRefused) as twice:
        moderation.report(reporter, adoption, "spam", "", utcnow())
    assert twice.value.status == 409
    db.session.rollback()
    items = moderation.queue(entry.territory)
    assert [(i.adoption.id, i.open_reports) for i in items] == [(adoption.id, 2)]
    assert "Propos injurieux ou haineux — « Propos injurieux. »" in items[0].reasons
    moderation.dismiss(make_user("organiser", entry.territory), adoption, utcnow())
    db.session.commit()
    assert adoption.moderation == "visible" and moderation.queue(entry.territory) == []
    logged = db.session.scalars(select(ModerationAction.action).where(ModerationAction.target_type == "retour"))
    assert list(logged) == ["auto_hide", "dismiss"]


def test_the_writer_may_not_report_their_own_retour_and_a_hide_needs_a_reason():
    adoption = make_adoption(make_entry())
    writer = db.session.get(type(make_user()), adoption.declared_by_id)
    assert not can(writer, "library.report_retour", adoption)
    with pytest.raises(ActionRefused):
        moderation.report(writer, adoption, "spam", "", utcnow())
    with pytest.raises(ActionRefused) as refused:
        moderation.hide(make_user("organiser", adoption.entry.territory), adoption, " ", utcnow())
    assert refused.value.field == "reason"


def test_a_reader_reports_and_the_moderator_hides_with_a_public_reason(client, auth):
    entry = make_entry(title="Tri du courrier entrant")
    adoption = make_adoption(entry, gains="Le nom de l’agent Jean Dupont, qui s’est trompé.")
    auth.login(make_user())
    shown = page(client.get(f"/bibliotheque/{entry.id}"))
    assert "Signaler ce retour" in shown
    response = client.post(
        f"/bibliotheque/retours/{adoption.id}/signaler", data={"reason": "personal_data", "detail": "Un nom."}
    )
    assert response.status_code == 302 and response.headers["Location"].endswith(f"#retour-{adoption.id}")
    auth.logout()
    organiser = make_user("organiser", entry.territory)
    auth.login(organiser)
    queue = page(client.get(f"/territoires/{entry.territory.slug}/moderation"))
    assert "Retours d’expérience signalés" in queue and "Tri du courrier entrant" in queue
    hidden = client.post(f"/bibliotheque/retours/{adoption.id}/masquer", data={"reason": "Le retour nommait un agent."})
    assert hidden.status_code == 302
    auth.logout()
    text = page(client.get(f"/bibliotheque/{entry.id}"))
    assert "Jean Dupont" not in text
    assert "Ce retour d’expérience a été masqué par la modération. Motif : Le retour nommait un agent." in text
    assert "Jean Dupont" not in client.get(f"/api/v1/library/{entry.id}").get_data(as_text=True)
    auth.login(organiser)
    assert client.post(f"/bibliotheque/retours/{adoption.id}/retablir", data={}).status_code == 302
    assert "Jean Dupont" in page(client.get(f"/bibliotheque/{entry.id}"))


def test_others_may_not_moderate_and_odd_decisions_are_refused(client, auth):
    adoption = make_adoption(make_entry())
    auth.login(make_user("organiser", make_territory()))  # organiser elsewhere (the adopter's is another one)
    assert client.post(f"/bibliotheque/retours/{adoption.id}/masquer", data={"reason": "x"}).status_code == 403
    auth.logout()
    auth.login(make_user("organiser", adoption.entry.territory))
    assert client.post(f"/bibliotheque/retours/{adoption.id}/detruire", data={}).status_code == 404
    refused = client.post(f"/bibliotheque/retours/{adoption.id}/masquer", data={"reason": ""})
    assert refused.status_code == 400 and "Indiquez le motif du masquage" in page(refused)
    assert adoption.moderation == "visible"
    assert client.post("/bibliotheque/retours/999999/masquer", data={"reason": "x"}).status_code == 404


def test_a_reported_retour_counts_in_the_moderation_badge_and_the_daily_digest(client, auth, runner, outbox):
    entry = make_entry(title="Tri du courrier entrant")
    adoption = make_adoption(entry)
    organiser = make_user("organiser", entry.territory, notify_by_email=True)
    assert queue_size(entry.territory.id) == 0 and digests() == []
    moderation.report(make_user(), adoption, "spam", "", utcnow())
    db.session.commit()
    # Counted where the entry is, whose organisers moderate its retours; not in the adopting territory.
    assert queue_size(entry.territory.id) == 1 and queue_size(adoption.territory_id) == 0
    assert queues_for(organiser) == [(entry.territory, 1)]
    assert digests() == [(organiser, entry.territory, 1)]

    auth.login(organiser)
    assert re.search(r"Modération \(1 en attente ?\)", page(client.get("/")))
    queue = page(client.get(f"/territoires/{entry.territory.slug}/moderation"))
    assert "Retours d’expérience signalés" in queue and "Rien à modérer" not in queue

    result = runner.invoke(args=["moderation-digest"])
    assert result.exit_code == 0 and "envoyés : 1" in result.output
    [digest] = [m for m in outbox if m["Subject"].startswith("Modération")]
    assert digest["To"] == organiser.email and "1 contribution signalée" in digest.get_content()

    moderation.dismiss(organiser, adoption, utcnow())
    db.session.commit()
    assert queue_size(entry.territory.id) == 0 and digests() == []
    assert re.search(r"Modération \(0 en attente ?\)", page(client.get("/")))
