"""Who may do what with participatory texts: role × phase × state of the text, decided by permissions.can."""

import pytest

from concertation.extensions import db
from concertation.permissions import can
from tests.core.test_permissions import ROLES, person
from tests.factories import make_consultation, make_user
from tests.texts.scene import make_amendment, make_text

ROLES_WITH_AUTHOR = [*ROLES, "author"]

# (phase, text status, action): visitor, participant, unconfirmed, agent, organiser, elu, other_organiser, admin, author
EXPECTED = {
    ("proposals", "draft", "text.view"): [0, 0, 0, 0, 1, 0, 0, 1, 0],
    ("proposals", "open", "text.view"): [1, 1, 1, 1, 1, 1, 1, 1, 1],
    ("proposals", "draft", "text.manage"): [0, 0, 0, 0, 1, 0, 0, 1, 0],
    ("synthesis", "open", "text.manage"): [0, 0, 0, 0, 1, 0, 0, 1, 0],
    ("proposals", "draft", "text.amend"): [0, 0, 0, 0, 0, 0, 0, 0, 0],
    ("proposals", "open", "text.amend"): [0, 1, 0, 1, 1, 1, 1, 1, 1],
    ("vote", "open", "text.amend"): [0, 0, 0, 0, 0, 0, 0, 0, 0],
    ("information", "open", "text.amend"): [0, 0, 0, 0, 0, 0, 0, 0, 0],
    ("proposals", "adopted", "text.amend"): [0, 0, 0, 0, 0, 0, 0, 0, 0],
    ("proposals", "open", "text.support"): [0, 1, 0, 1, 1, 1, 1, 1, 0],
    ("vote", "open", "text.support"): [0, 1, 0, 1, 1, 1, 1, 1, 0],
    ("synthesis", "open", "text.support"): [0, 0, 0, 0, 0, 0, 0, 0, 0],
    ("proposals", "adopted", "text.support"): [0, 0, 0, 0, 0, 0, 0, 0, 0],
    ("proposals", "open", "text.comment"): [0, 1, 0, 1, 1, 1, 1, 1, 1],
    ("vote", "open", "text.comment"): [0, 1, 0, 1, 1, 1, 1, 1, 1],
    ("synthesis", "open", "text.comment"): [0, 0, 0, 0, 0, 0, 0, 0, 0],
    ("proposals", "draft", "text.comment"): [0, 0, 0, 0, 0, 0, 0, 0, 0],
    ("proposals", "adopted", "text.comment"): [0, 0, 0, 0, 0, 0, 0, 0, 0],
    ("proposals", "open", "text.grade"): [0, 0, 0, 0, 0, 0, 0, 0, 0],  # a consultation by supports
    ("proposals", "open", "text.follow"): [0, 1, 0, 1, 1, 1, 1, 1, 1],
    ("closed", "adopted", "text.follow"): [0, 1, 0, 1, 1, 1, 1, 1, 1],
    ("proposals", "draft", "text.follow"): [0, 0, 0, 0, 1, 0, 0, 1, 0],
    ("proposals", "open", "amendment.view"): [1, 1, 1, 1, 1, 1, 1, 1, 1],
    ("proposals", "hidden", "amendment.view"): [0, 0, 0, 0, 1, 0, 0, 1, 1],
    ("proposals", "hidden", "text.support"): [0, 0, 0, 0, 0, 0, 0, 0, 0],
    ("proposals", "open", "content.report"): [0, 1, 0, 1, 1, 1, 1, 1, 0],
    ("proposals", "hidden", "content.report"): [0, 0, 0, 0, 0, 0, 0, 0, 0],
}


def _scene(phase: str, status: str, role: str):
    consultation = make_consultation(phase)
    text = make_text(consultation, status="draft" if status == "draft" else "open")
    author = make_user()
    amendment = make_amendment(text, author=author) if status != "draft" else None
    if status == "adopted":
        text.status = "adopted"
        db.session.commit()
    if status == "hidden":
        amendment.moderation, amendment.moderation_reason = "hidden", "Hors charte."
        db.session.commit()
    user = author if role == "author" else person(role, consultation.territory)
    return user, text, amendment


@pytest.mark.parametrize("case", EXPECTED)
@pytest.mark.parametrize("index, role", list(enumerate(ROLES_WITH_AUTHOR)))
def test_text_actions(app, case, index, role):
    phase, status, action = case
    user, text, amendment = _scene(phase, status, role)
    on_amendment = ("text.support", "text.grade", "amendment.view", "content.report")
    target = text.consultation if action == "text.manage" else amendment if action in on_amendment else text
    assert can(user, action, target) is bool(EXPECTED[case][index])


# Under majority judgment: (phase, action) → visitor, participant, unconfirmed, agent, organiser, elu, other_organiser,
# admin, author.
EXPECTED_MAJORITY = {
    ("vote", "text.grade"): [0, 1, 0, 1, 1, 1, 1, 1, 0],
    ("proposals", "text.grade"): [0, 1, 0, 1, 1, 1, 1, 1, 0],
    ("synthesis", "text.grade"): [0, 0, 0, 0, 0, 0, 0, 0, 0],
    ("vote", "text.support"): [0, 0, 0, 0, 0, 0, 0, 0, 0],
}


@pytest.mark.parametrize("case", EXPECTED_MAJORITY)
@pytest.mark.parametrize("index, role", list(enumerate(ROLES_WITH_AUTHOR)))
def test_amendments_are_graded_not_supported_under_majority_judgment(app, case, index, role):
    phase, action = case
    consultation = make_consultation(phase, voting_method="majority")
    text = make_text(consultation)
    author = make_user()
    amendment = make_amendment(text, author=author)
    user = author if role == "author" else person(role, consultation.territory)
    assert can(user, action, amendment) is bool(EXPECTED_MAJORITY[case][index])


@pytest.mark.parametrize("index, role", list(enumerate(ROLES)))
def test_a_text_of_an_agents_consultation_is_for_its_agents(app, index, role):
    consultation = make_consultation("proposals", audience="agents")
    text = make_text(consultation)
    user = person(role, consultation.territory)
    assert can(user, "text.view", text) is bool([0, 0, 0, 1, 1, 1, 0, 1][index])
    assert can(user, "text.amend", text) is bool([0, 0, 0, 1, 1, 0, 0, 0][index])


def test_an_answered_amendment_takes_no_more_support(app):
    text = make_text()
    amendment = make_amendment(text)
    amendment.status, amendment.answer_text = "rejected", "Non."
    db.session.commit()
    assert not can(make_user(), "text.support", amendment)
