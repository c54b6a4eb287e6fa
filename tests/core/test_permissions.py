"""The permissions table: each role × each protected action, decided by permissions.can."""

import pytest

from concertation.db import utcnow
from concertation.permissions import can
from tests.factories import make_consultation, make_territory, make_user, make_workshop

ROLES = ["visitor", "participant", "unconfirmed", "agent", "organiser", "elu", "other_organiser", "admin"]


def person(role, territory):
    if role == "visitor":
        from flask_login import AnonymousUserMixin

        return AnonymousUserMixin()
    if role == "participant":
        return make_user()
    if role == "unconfirmed":
        return make_user(confirmed=False)
    if role == "other_organiser":
        return make_user("organiser", make_territory())
    if role == "admin":
        return make_user("admin")
    return make_user(role, territory)


EXPECTED = {
    # action on the territory:  visitor, participant, unconfirmed, agent, organiser, elu, other_organiser, admin
    "admin.access": [0, 0, 0, 0, 0, 0, 0, 1],
    "territory.manage": [0, 0, 0, 0, 0, 0, 0, 1],
    "territory.invite_agents": [0, 0, 0, 0, 1, 0, 0, 1],
    "consultation.create": [0, 0, 0, 0, 1, 0, 0, 1],
    "territory.accessibility_audit": [0, 0, 0, 0, 1, 0, 0, 1],
    "territory.organise": [0, 0, 0, 0, 1, 0, 0, 1],
    "moderation.manage": [0, 0, 0, 0, 1, 0, 0, 1],
    "territory.dashboard": [0, 0, 0, 0, 1, 1, 0, 1],
    "manifesto.endorse": [0, 0, 0, 0, 0, 1, 0, 0],
    "manifesto.edit": [0, 0, 0, 0, 0, 0, 0, 1],
    "manifesto.publish": [0, 0, 0, 0, 0, 0, 0, 1],
    "manifesto.amend": [0, 0, 0, 0, 1, 0, 0, 0],
    "manifesto.amendments_view": [0, 0, 0, 0, 1, 0, 1, 1],
    "notifications.read": [0, 1, 1, 1, 1, 1, 1, 1],
    "participation.profile": [0, 1, 1, 1, 1, 1, 1, 1],
    "population.manage": [0, 0, 0, 0, 1, 0, 0, 1],
}

EXPECTED_ON_CONSULTATION = {
    # (audience, phase, action)
    ("public", "proposals", "consultation.view"): [1, 1, 1, 1, 1, 1, 1, 1],
    ("agents", "proposals", "consultation.view"): [0, 0, 0, 1, 1, 1, 0, 1],
    ("public", "proposals", "consultation.edit"): [0, 0, 0, 0, 1, 0, 0, 1],
    ("public", "proposals", "consultation.propose"): [0, 1, 0, 1, 1, 1, 1, 1],
    ("public", "vote", "consultation.propose"): [0, 0, 0, 0, 0, 0, 0, 0],
    ("agents", "proposals", "consultation.propose"): [0, 0, 0, 1, 1, 0, 0, 0],
    ("public", "vote", "consultation.support"): [0, 1, 0, 1, 1, 1, 1, 1],
    ("public", "information", "consultation.support"): [0, 0, 0, 0, 0, 0, 0, 0],
    ("public", "vote", "consultation.comment"): [0, 1, 0, 1, 1, 1, 1, 1],
    ("public", "closed", "consultation.comment"): [0, 0, 0, 0, 0, 0, 0, 0],
    ("agents", "proposals", "consultation.follow"): [0, 0, 0, 1, 1, 1, 0, 1],
    ("public", "vote", "consultation.answer"): [0, 0, 0, 0, 1, 0, 0, 1],
    ("public", "vote", "synthesis.prepare"): [0, 0, 0, 0, 1, 0, 0, 1],
    ("public", "vote", "synthesis.write"): [0, 0, 0, 0, 0, 0, 0, 0],
    ("public", "synthesis", "synthesis.write"): [0, 0, 0, 0, 1, 0, 0, 1],
    ("agents", "synthesis", "synthesis.read"): [0, 0, 0, 1, 1, 1, 0, 1],
    ("public", "closed", "manifesto.suggest"): [0, 0, 0, 0, 1, 0, 0, 1],
    ("public", "vote", "consultation.results"): [0, 0, 0, 0, 0, 0, 0, 0],
    ("public", "synthesis", "consultation.results"): [1, 1, 1, 1, 1, 1, 1, 1],
    ("agents", "synthesis", "consultation.results"): [0, 0, 0, 1, 1, 1, 0, 1],
    ("public", "proposals", "workshop.manage"): [0, 0, 0, 0, 1, 0, 0, 1],
    ("agents", "closed", "workshop.manage"): [0, 0, 0, 0, 1, 0, 0, 1],
    ("public", "vote", "consultation.representativeness"): [0, 0, 0, 0, 1, 1, 0, 1],
    ("public", "closed", "consultation.representativeness"): [0, 0, 0, 0, 1, 1, 0, 1],
}

EXPECTED_ON_WORKSHOP = {
    # (audience of the consultation, the workshop is "coming" or "past", action on the workshop)
    ("public", "coming", "workshop.view"): [1, 1, 1, 1, 1, 1, 1, 1],
    ("agents", "coming", "workshop.view"): [0, 0, 0, 1, 1, 1, 0, 1],
    ("public", "coming", "workshop.register"): [0, 1, 0, 1, 1, 1, 1, 1],
    ("agents", "coming", "workshop.register"): [0, 0, 0, 1, 1, 0, 0, 0],
    ("public", "past", "workshop.register"): [0, 0, 0, 0, 0, 0, 0, 0],
}


@pytest.mark.parametrize("action", EXPECTED)
@pytest.mark.parametrize("index, role", list(enumerate(ROLES)))
def test_territory_actions(app, action, index, role):
    territory = make_territory()
    assert can(person(role, territory), action, territory) is bool(EXPECTED[action][index])


@pytest.mark.parametrize("case", EXPECTED_ON_CONSULTATION)
@pytest.mark.parametrize("index, role", list(enumerate(ROLES)))
def test_consultation_actions(app, case, index, role):
    audience, phase, action = case
    consultation = make_consultation(phase, audience=audience)
    assert can(person(role, consultation.territory), action, consultation) is bool(
        EXPECTED_ON_CONSULTATION[case][index]
    )


@pytest.mark.parametrize("case", EXPECTED_ON_WORKSHOP)
@pytest.mark.parametrize("index, role", list(enumerate(ROLES)))
def test_workshop_actions(app, case, index, role):
    from datetime import timedelta

    audience, when, action = case
    consultation = make_consultation("proposals", audience=audience)
    workshop = make_workshop(consultation, starts_in=timedelta(days=2 if when == "coming" else -2))
    assert can(person(role, consultation.territory), action, workshop) is bool(EXPECTED_ON_WORKSHOP[case][index])


def test_unknown_actions_are_a_programming_error(app):
    with pytest.raises(KeyError):
        can(None, "consultation.fly")


def test_a_deleted_account_may_do_nothing_that_asks_for_a_person(app):
    consultation = make_consultation("proposals")
    user = make_user()
    assert can(user, "notifications.read") and can(user, "consultation.propose", consultation)
    user.deleted_at = utcnow()
    assert not can(user, "notifications.read")
    assert not can(user, "consultation.propose", consultation)
    assert not can(user, "consultation.follow", consultation)
