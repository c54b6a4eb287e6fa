"""The permissions table: each role × each protected action, decided by permissions.can."""

import pytest

from concertation.commitments.services import CommitmentData, create_commitment
from concertation.db import utcnow
from concertation.extensions import db
from concertation.permissions import RULES, can
from tests.factories import make_consultation, make_territory, make_user, make_workshop
from tests.library.factories import make_adoption, make_entry

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
    "commitment.manage": [0, 0, 0, 0, 1, 0, 0, 1],
    "library.create": [0, 0, 0, 1, 1, 0, 0, 1],
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
    # commitments made in bulk from the retained proposals of its published synthesis
    ("public", "closed", "commitment.manage"): [0, 0, 0, 0, 1, 0, 0, 1],
}

EXPECTED_ON_WORKSHOP = {
    # (audience of the consultation, the workshop is "coming", "past" or "cancelled" (coming), action on the workshop)
    ("public", "coming", "workshop.view"): [1, 1, 1, 1, 1, 1, 1, 1],
    ("agents", "coming", "workshop.view"): [0, 0, 0, 1, 1, 1, 0, 1],
    ("public", "coming", "workshop.register"): [0, 1, 0, 1, 1, 1, 1, 1],
    ("agents", "coming", "workshop.register"): [0, 0, 0, 1, 1, 0, 0, 0],
    ("public", "past", "workshop.register"): [0, 0, 0, 0, 0, 0, 0, 0],
    ("public", "cancelled", "workshop.register"): [0, 0, 0, 0, 0, 0, 0, 0],
    ("public", "coming", "workshop.cancel"): [0, 0, 0, 0, 1, 0, 0, 1],
    ("public", "past", "workshop.cancel"): [0, 0, 0, 0, 0, 0, 0, 0],
    ("public", "cancelled", "workshop.cancel"): [0, 0, 0, 0, 0, 0, 0, 0],
    ("public", "coming", "workshop.remove_registrant"): [0, 0, 0, 0, 1, 0, 0, 1],
    ("agents", "coming", "workshop.remove_registrant"): [0, 0, 0, 0, 1, 0, 0, 1],
    ("public", "past", "workshop.remove_registrant"): [0, 0, 0, 0, 0, 0, 0, 0],
}


EXPECTED_ON_ACCOUNTABILITY = {
    # (target, action): a commitment of the territory, an entry of its library, a retour d’expérience
    # that another territory left on that entry (declared by someone else than the person)
    ("commitment", "commitment.manage"): [0, 0, 0, 0, 1, 0, 0, 1],
    ("entry", "library.edit"): [0, 0, 0, 1, 1, 0, 0, 1],
    ("entry", "library.assess"): [0, 0, 0, 1, 1, 0, 0, 1],
    ("entry", "library.link"): [0, 0, 0, 0, 1, 0, 0, 1],
    ("entry", "library.adopt"): [0, 0, 0, 0, 0, 0, 1, 0],
    ("entry", "library.contact"): [0, 0, 0, 1, 1, 1, 1, 1],
    ("retour", "library.report_retour"): [0, 1, 0, 1, 1, 1, 1, 1],
    ("hidden retour", "library.report_retour"): [0, 0, 0, 0, 0, 0, 0, 0],
    ("retour", "library.moderate_retour"): [0, 0, 0, 0, 1, 0, 0, 1],
}


def accountability_target(kind: str, territory):
    """A commitment, a library entry or a retour d’expérience of `territory`."""
    if kind == "commitment":
        data = CommitmentData(title="Former les agents à l’IA", status="committed")
        commitment = create_commitment(make_user("organiser", territory), territory, data, utcnow())
        db.session.commit()
        return commitment
    entry = make_entry(territory)
    if kind == "entry":
        return entry
    adoption = make_adoption(entry)
    if kind == "hidden retour":
        adoption.moderation = "hidden"
        db.session.commit()
    return adoption


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
    workshop = make_workshop(consultation, starts_in=timedelta(days=-2 if when == "past" else 2))
    if when == "cancelled":
        workshop.cancelled_at = utcnow()
    assert can(person(role, consultation.territory), action, workshop) is bool(EXPECTED_ON_WORKSHOP[case][index])


@pytest.mark.parametrize("case", EXPECTED_ON_ACCOUNTABILITY)
@pytest.mark.parametrize("index, role", list(enumerate(ROLES)))
def test_commitment_and_library_actions(app, case, index, role):
    kind, action = case
    territory = make_territory()
    user, target = person(role, territory), accountability_target(kind, territory)
    assert can(user, action, target) is bool(EXPECTED_ON_ACCOUNTABILITY[case][index])


def test_every_commitment_and_library_rule_has_its_row_in_this_table():
    listed = set(EXPECTED) | {case[-1] for case in [*EXPECTED_ON_CONSULTATION, *EXPECTED_ON_ACCOUNTABILITY]}
    rules = {action for action in RULES if action.startswith(("commitment.", "library."))}
    assert rules - listed == set()


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
