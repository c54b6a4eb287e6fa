"""Who may do what with proposals and comments: role × phase, decided by permissions.can."""

from datetime import timedelta

import pytest

from concertation.db import utcnow
from concertation.extensions import db
from concertation.permissions import can
from tests.core.test_permissions import ROLES, person
from tests.factories import make_comment, make_consultation, make_proposal, make_user

ROLES_WITH_AUTHOR = [*ROLES, "author"]

# visitor, participant, unconfirmed, agent, organiser, elu, other_organiser, admin, author
EXPECTED = {
    ("proposals", "proposal.view"): [1, 1, 1, 1, 1, 1, 1, 1, 1],
    ("proposals", "proposal.edit"): [0, 0, 0, 0, 0, 0, 0, 0, 1],
    ("vote", "proposal.edit"): [0, 0, 0, 0, 0, 0, 0, 0, 0],
    ("proposals", "proposal.withdraw"): [0, 0, 0, 0, 0, 0, 0, 0, 1],
    ("vote", "proposal.withdraw"): [0, 0, 0, 0, 0, 0, 0, 0, 1],
    ("synthesis", "proposal.withdraw"): [0, 0, 0, 0, 0, 0, 0, 0, 0],
    ("proposals", "proposal.answer"): [0, 0, 0, 0, 1, 0, 0, 1, 0],
    ("synthesis", "proposal.answer"): [0, 0, 0, 0, 1, 0, 0, 1, 0],
    ("proposals", "proposal.comment"): [0, 1, 0, 1, 1, 1, 1, 1, 1],
    ("vote", "proposal.comment"): [0, 1, 0, 1, 1, 1, 1, 1, 1],
    ("information", "proposal.comment"): [0, 0, 0, 0, 0, 0, 0, 0, 0],
    ("synthesis", "proposal.comment"): [0, 0, 0, 0, 0, 0, 0, 0, 0],
    ("proposals", "proposal.follow"): [0, 1, 0, 1, 1, 1, 1, 1, 1],
    ("closed", "proposal.follow"): [0, 1, 0, 1, 1, 1, 1, 1, 1],
}


def _scene(phase: str, role: str):
    consultation = make_consultation(phase)
    author = make_user()
    # Proposals of a past phase were written at the time; the services do not check phases.
    proposal = make_proposal(consultation, author)
    user = author if role == "author" else person(role, consultation.territory)
    return user, proposal


@pytest.mark.parametrize("case", EXPECTED)
@pytest.mark.parametrize("index, role", list(enumerate(ROLES_WITH_AUTHOR)))
def test_proposal_actions(app, case, index, role):
    phase, action = case
    user, proposal = _scene(phase, role)
    assert can(user, action, proposal) is bool(EXPECTED[case][index])


@pytest.mark.parametrize("index, role", list(enumerate(ROLES_WITH_AUTHOR)))
def test_hidden_proposals_keep_their_page_but_only_author_and_organisers_read_their_text(app, index, role):
    user, proposal = _scene("proposals", role)
    proposal.moderation = "hidden"
    db.session.commit()
    assert can(user, "proposal.view", proposal)
    assert can(user, "proposal.read_text", proposal) is bool([0, 0, 0, 0, 1, 0, 0, 1, 1][index])
    assert not can(user, "proposal.comment", proposal)


@pytest.mark.parametrize("index, role", list(enumerate(ROLES_WITH_AUTHOR)))
def test_pending_proposals_are_seen_by_their_author_and_organisers_only(app, index, role):
    user, proposal = _scene("proposals", role)
    proposal.moderation = "pending"
    db.session.commit()
    assert can(user, "proposal.view", proposal) is bool([0, 0, 0, 0, 1, 0, 0, 1, 1][index])


def test_agents_only_proposals_are_not_public(app):
    consultation = make_consultation("proposals", audience="agents")
    agent = make_user("agent", consultation.territory)
    proposal = make_proposal(consultation, agent)
    assert can(agent, "proposal.view", proposal)
    assert not can(None, "proposal.view", proposal)
    assert not can(make_user(), "proposal.comment", proposal)


def test_withdrawn_proposals_cannot_be_edited_or_withdrawn_again(app):
    author = make_user()
    proposal = make_proposal(author=author, withdrawn_at=utcnow())
    assert not can(author, "proposal.edit", proposal)
    assert not can(author, "proposal.withdraw", proposal)


def test_a_supported_proposal_cannot_be_edited(app):
    author = make_user()
    proposal = make_proposal(author=author, support_count=1)
    assert not can(author, "proposal.edit", proposal)


def test_comments_are_edited_by_their_author_within_fifteen_minutes(app):
    author = make_user()
    comment = make_comment(make_proposal(), author)
    assert can(author, "comment.edit", comment)
    assert not can(make_user(), "comment.edit", comment)
    later = comment.created_at + timedelta(minutes=16)
    assert not can(author, "comment.edit", comment, now=later)
    assert can(author, "comment.delete", comment, now=later)


def test_replies_stop_at_the_third_level(app):
    first = make_comment(make_proposal())
    second = make_comment(parent=first)
    third = make_comment(parent=second)
    reader = make_user()
    assert can(reader, "comment.reply", first) and can(reader, "comment.reply", second)
    assert not can(reader, "comment.reply", third)
    assert not can(None, "comment.reply", first)
