import pytest
from sqlalchemy import func, select, text

from concertation.db import utcnow
from concertation.errors import ActionRefused
from concertation.extensions import db
from concertation.moderation import services
from concertation.moderation.models import ModerationAction, Report
from concertation.notifications.models import Notification
from concertation.permissions import can
from tests.factories import make_comment, make_consultation, make_proposal, make_territory, make_user


def scene(threshold=3):
    territory = make_territory()
    territory.report_threshold = threshold
    organiser = make_user("organiser", territory)
    consultation = make_consultation("proposals", territory=territory, author=organiser)
    proposal = make_proposal(consultation)
    return territory, organiser, proposal


def test_a_participant_reports_once(app):
    _, _, proposal = scene()
    reporter = make_user()
    services.report(reporter, proposal, "spam", "Publicité", utcnow())
    db.session.commit()
    with pytest.raises(ActionRefused, match="déjà signalé") as refused:
        services.report(reporter, proposal, "abuse", "", utcnow())
    assert refused.value.status == 409
    db.session.rollback()
    assert db.session.scalar(select(func.count(Report.id))) == 1


def test_authors_cannot_report_their_own_contribution(app):
    _, _, proposal = scene()
    with pytest.raises(ActionRefused):
        services.report(proposal.author, proposal, "spam", "", utcnow())


def test_k_distinct_reports_hide_the_content_until_a_decision(app):
    territory, organiser, proposal = scene(threshold=2)
    services.report(make_user(), proposal, "spam", "", utcnow())
    db.session.commit()
    assert proposal.moderation == "visible"
    services.report(make_user(), proposal, "abuse", "", utcnow())
    db.session.commit()
    assert proposal.moderation == "hidden" and "automatiquement" in proposal.moderation_reason
    entry = db.session.scalar(select(ModerationAction))
    assert (entry.action, entry.moderator_id) == ("auto_hide", None)
    assert db.session.scalar(select(func.count(Notification.id)).where(Notification.user_id == organiser.id)) == 2

    services.dismiss(organiser, proposal, utcnow())
    db.session.commit()
    assert proposal.moderation == "visible" and services.open_report_count(proposal) == 0


def test_hide_shows_a_reason_and_tells_the_author(app):
    territory, organiser, proposal = scene()
    with pytest.raises(ActionRefused, match="motif"):
        services.hide(organiser, proposal, "  ", utcnow())
    services.hide(organiser, proposal, "Propos injurieux", utcnow())
    db.session.commit()
    assert (proposal.moderation, proposal.moderation_reason) == ("hidden", "Propos injurieux")
    told = db.session.scalar(select(Notification).where(Notification.user_id == proposal.author_id))
    assert "Propos injurieux" in told.message
    services.restore(organiser, proposal, utcnow())
    db.session.commit()
    assert proposal.moderation == "visible"
    assert [a.action for a in services.log_entries(territory)] == ["restore", "hide"]


def test_redaction_keeps_the_original_only_in_the_log(app):
    territory, organiser, proposal = scene()
    comment = make_comment(proposal, body="Appelez M. Dupont au 06 12 34 56 78")
    services.redact(organiser, comment, "Appelez la mairie", "Numéro de téléphone", utcnow())
    db.session.commit()
    assert comment.body == "Appelez la mairie" and "06 12" not in comment.body_html
    entry = next(iter(services.log_entries(territory)))
    assert entry.before == "Appelez M. Dupont au 06 12 34 56 78" and entry.after == "Appelez la mairie"


def test_the_log_is_append_only_in_the_orm_and_in_the_database(app):
    territory, organiser, proposal = scene()
    services.hide(organiser, proposal, "Hors sujet", utcnow())
    db.session.commit()
    entry = db.session.scalar(select(ModerationAction))
    entry.reason = "autre chose"
    with pytest.raises(ValueError, match="append-only"):
        db.session.flush()
    db.session.rollback()
    with pytest.raises(Exception, match="append-only"):
        db.session.execute(text("UPDATE moderation_action SET reason = 'x'"))
    db.session.rollback()
    with pytest.raises(Exception, match="append-only"):
        db.session.execute(text("DELETE FROM moderation_action"))
    db.session.rollback()
    assert db.session.scalar(select(ModerationAction.reason)) == "Hors sujet"


def test_premoderation_approve_and_reject(app):
    territory, organiser, proposal = scene()
    proposal.consultation.premoderation = True
    assert services.initial_state(proposal.consultation) == "pending"
    proposal.moderation = "pending"
    db.session.commit()
    assert [i.target for i in services.queue(territory)] == [proposal]
    assert services.queue_size(territory.id) == 1
    services.approve(organiser, proposal, utcnow())
    db.session.commit()
    assert proposal.moderation == "visible" and services.queue_size(territory.id) == 0
    with pytest.raises(ActionRefused, match="n’attend pas"):
        services.reject(organiser, proposal, "x", utcnow())


def test_queue_is_sorted_by_reports_then_age(app):
    territory, organiser, first = scene(threshold=10)
    second = make_proposal(first.consultation)
    comment = make_comment(first)
    services.report(make_user(), first, "spam", "", utcnow())
    for _ in range(2):
        services.report(make_user(), second, "abuse", "", utcnow())
    services.report(make_user(), comment, "personal_data", "Un nom", utcnow())
    db.session.commit()
    queue = services.queue(territory)
    assert [i.target for i in queue] == [second, first, comment]
    assert queue[0].open_reports == 2 and queue[2].reasons == ["Données personnelles — « Un nom »"]
    assert services.queue_size(territory.id) == 3


def test_blocked_participants_cannot_take_part_but_their_votes_stay(app):
    territory, organiser, proposal = scene()
    user = make_user()
    assert can(user, "consultation.propose", proposal.consultation)
    services.block(organiser, territory, user, "Insultes répétées", utcnow())
    db.session.commit()
    assert not can(user, "consultation.propose", proposal.consultation)
    assert not can(user, "consultation.comment", proposal.consultation)
    other = make_consultation("proposals")
    assert can(user, "consultation.propose", other), "a block holds in one territory only"
    with pytest.raises(ActionRefused, match="déjà bloquée"):
        services.block(organiser, territory, user, "encore", utcnow())
    services.unblock(organiser, territory, user, utcnow())
    db.session.commit()
    assert can(user, "consultation.propose", proposal.consultation)


def test_daily_digest_goes_to_organisers_who_asked_for_emails(app, runner, outbox):
    territory, organiser, proposal = scene()
    quiet = make_user("organiser", territory)
    organiser.notify_by_email = True
    db.session.commit()
    assert services.digests() == []
    services.report(make_user(), proposal, "spam", "", utcnow())
    db.session.commit()
    assert services.digests() == [(organiser, territory, 1)]
    result = runner.invoke(args=["moderation-digest"])
    assert result.exit_code == 0 and "envoyés : 1" in result.output
    digests = [m for m in outbox if m["Subject"].startswith("Modération de")]
    assert [m["To"] for m in digests] == [organiser.email]
    assert f"/territoires/{territory.slug}/moderation" in digests[0].get_content()
    assert quiet.email not in [m["To"] for m in outbox]
