"""The demonstration's workshops, and the scheduled commands: reminders once, the purge of old lists."""

import html
import re
from datetime import timedelta

from sqlalchemy import func, select

from concertation.comments.models import Comment
from concertation.db import utcnow
from concertation.extensions import db
from concertation.jobs import OutboxMessage
from concertation.proposals.models import Proposal
from concertation.synthesis.figures import consultation_figures
from concertation.workshops import services as ws
from concertation.workshops.models import Workshop, WorkshopRegistration
from tests.factories import make_user, make_workshop


def test_seed_demo_has_a_past_workshop_with_12_collected_contributions_and_coming_ones(runner, client):
    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    now = utcnow()
    workshops = list(db.session.scalars(select(Workshop).order_by(Workshop.starts_at)))
    past = [w for w in workshops if w.has_started(now)]
    coming = [w for w in workshops if not w.has_started(now)]
    assert len(past) == 1 and len(coming) >= 1
    held = past[0]
    assert held.consultation.territory.slug == "saint-aubin-des-pres"
    assert held.attendees and held.minutes_html
    proposals = db.session.scalar(select(func.count()).where(Proposal.workshop_id == held.id))
    comments = db.session.scalar(select(func.count()).where(Comment.workshop_id == held.id))
    assert proposals + comments == 12
    assert consultation_figures(held.consultation)["collected"] == 12
    assert any(ws.waiting_count(w) for w in coming)  # a full workshop with its waiting list
    text = re.sub(r"\s+", " ", html.unescape(client.get(f"/ateliers/{held.id}").get_data(as_text=True)))
    assert "Compte rendu" in text and "personnes ont participé" in text


def test_the_reminder_command_sends_once(runner):
    workshop = make_workshop(starts_in=timedelta(hours=10))
    person = make_user()
    ws.register(person, workshop, utcnow())
    db.session.commit()
    first = runner.invoke(args=["workshop-reminders"])
    second = runner.invoke(args=["workshop-reminders"])
    assert "Rappels d’atelier envoyés : 1" in first.output
    assert "Rappels d’atelier envoyés : 0" in second.output
    assert db.session.scalar(select(func.count()).where(OutboxMessage.recipient == person.email)) == 1


def test_the_purge_command_deletes_old_lists_of_registered_people(runner):
    workshop = make_workshop(starts_in=timedelta(days=1))
    ws.register(make_user(), workshop, utcnow())
    db.session.commit()
    workshop.starts_at, workshop.ends_at = utcnow() - timedelta(days=60), utcnow() - timedelta(days=59)
    db.session.commit()
    result = runner.invoke(args=["purge"])
    assert "Inscriptions à des ateliers passés supprimées : 1" in result.output
    assert db.session.scalar(select(func.count()).select_from(WorkshopRegistration)) == 0
