"""After a workshop: minutes, attendees, and contributions collected offline counted in the debate and the figures."""

from datetime import timedelta

import pytest

from concertation.accounts import personal_data
from concertation.db import utcnow
from concertation.errors import ActionRefused
from concertation.extensions import db
from concertation.synthesis.figures import consultation_figures
from concertation.workshops import outcome, services as ws
from concertation.workshops.models import CONFIRMED, Workshop
from tests.factories import make_comment, make_consultation, make_proposal, make_user, make_workshop


def _past_workshop(consultation=None):
    return make_workshop(consultation, starts_in=timedelta(days=-2))


def test_the_minutes_are_sanitised_markdown_and_wait_for_the_workshop(app):
    coming = make_workshop()
    with pytest.raises(ActionRefused):
        outcome.record_outcome(coming, "Trop tôt", 3, utcnow())
    past = _past_workshop()
    outcome.record_outcome(past, "## Ce qui a été dit\n\n<img src=x onerror=alert(1)>**Former**", 23, utcnow())
    db.session.commit()
    assert "<strong>Former</strong>" in past.minutes_html
    assert "onerror" not in past.minutes_html and past.attendees == 23


def test_collected_contributions_have_no_author_account_and_are_marked_with_their_workshop(app):
    consultation = make_consultation("proposals")
    workshop = _past_workshop(consultation)
    spoken = outcome.collect_proposal(
        workshop, "Garder un accueil humain", "Dit à l’oral.", consultation.themes[0].id, utcnow()
    )
    comment = outcome.collect_comment(workshop, spoken, "Tout à fait d’accord.", "for", utcnow())
    db.session.commit()
    assert spoken.is_collected and comment.is_collected and spoken.is_visible
    author = spoken.author
    assert author.is_system and author.email is None and author.password_hash is None
    assert comment.author_id == author.id  # one platform account for every collected contribution
    assert spoken.comment_count == 1
    assert outcome.collected_counts(workshop) == {"proposals": 1, "comments": 1}


def test_collected_contributions_count_in_the_figures_but_add_no_participant(app):
    consultation = make_consultation("proposals")
    citizen = make_user()
    online = make_proposal(consultation, author=citizen)
    make_comment(online, author=citizen)
    workshop = _past_workshop(consultation)
    outcome.record_outcome(workshop, "", 18, utcnow())
    outcome.collect_proposal(
        workshop, "Une proposition dite à l’oral", "Sur une fiche.", consultation.themes[0].id, utcnow()
    )
    outcome.collect_comment(workshop, online, "Remarque écrite sur une fiche.", None, utcnow())
    db.session.commit()
    figures = consultation_figures(consultation)
    assert figures["proposals"] == 2 and figures["comments"] == 2
    assert figures["collected"] == 2
    assert figures["participants"] == 1  # the citizen; the collected contributions name nobody
    assert figures["workshop_attendees"] == 18


def test_a_consultation_without_workshops_shows_no_workshop_figure(app):
    figures = consultation_figures(make_consultation("proposals"))
    assert figures["collected"] is None and figures["workshop_attendees"] is None


def test_contributions_are_collected_after_the_workshop_and_before_the_consultation_closes(app):
    coming = make_workshop()
    with pytest.raises(ActionRefused):
        outcome.collect_proposal(
            coming, "Une proposition trop tôt", "Texte.", coming.consultation.themes[0].id, utcnow()
        )
    closed = make_consultation("closed")
    past = _past_workshop(closed)
    with pytest.raises(ActionRefused):
        outcome.collect_comment(past, None, "Trop tard.", None, utcnow())


def test_a_comment_is_collected_only_on_a_proposal_of_the_same_consultation(app):
    workshop = _past_workshop()
    elsewhere = make_proposal()
    with pytest.raises(ActionRefused) as refusal:
        outcome.collect_comment(workshop, elsewhere, "Hors sujet.", None, utcnow())
    assert refusal.value.field == "proposal"


def test_a_deleted_account_gives_its_seat_to_the_first_person_waiting(app):
    workshop = make_workshop(capacity=1)
    leaving, waiting = make_user(), make_user()
    ws.register(leaving, workshop, utcnow())
    ws.register(waiting, workshop, utcnow())
    db.session.commit()
    assert personal_data.export_data(leaving)["workshop_registrations"][0]["status"] == CONFIRMED
    personal_data.delete_account(leaving, utcnow())
    db.session.commit()
    assert ws.registration_of(waiting, workshop).status == CONFIRMED
    assert [r.user_id for r in ws.registrations(workshop)] == [waiting.id]
    assert db.session.get(Workshop, workshop.id).seats_taken == 1
