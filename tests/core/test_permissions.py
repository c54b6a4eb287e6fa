"""The permissions table: each role × each protected action, decided by permissions.can."""

import pytest

from concertation.permissions import can
from tests.factories import make_consultation, make_territory, make_user

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


def test_unknown_actions_are_a_programming_error(app):
    with pytest.raises(KeyError):
        can(None, "consultation.fly")
