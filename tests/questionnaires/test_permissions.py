"""Who may build, answer and read the results of a questionnaire: role × phase × audience."""

import pytest

from concertation.permissions import can
from tests.core.test_permissions import ROLES, person
from tests.factories import make_consultation, make_questionnaire

# visitor, participant, unconfirmed, agent, organiser, elu, other_organiser, admin
EXPECTED = {
    ("proposals", "both", True, "questionnaire.manage"): [0, 0, 0, 0, 1, 0, 0, 1],
    ("closed", "both", True, "questionnaire.manage"): [0, 0, 0, 0, 1, 0, 0, 1],
    ("proposals", "both", True, "questionnaire.view"): [1, 1, 1, 1, 1, 1, 1, 1],
    ("proposals", "both", False, "questionnaire.view"): [0, 0, 0, 0, 1, 0, 0, 1],
    ("proposals", "both", True, "questionnaire.answer"): [0, 1, 0, 1, 1, 1, 1, 1],
    ("vote", "public", True, "questionnaire.answer"): [0, 1, 0, 1, 1, 1, 1, 1],
    ("proposals", "agents", True, "questionnaire.answer"): [0, 0, 0, 1, 1, 0, 0, 0],
    ("proposals", "both", False, "questionnaire.answer"): [0, 0, 0, 0, 0, 0, 0, 0],
    ("information", "both", True, "questionnaire.answer"): [0, 0, 0, 0, 0, 0, 0, 0],
    ("synthesis", "both", True, "questionnaire.answer"): [0, 0, 0, 0, 0, 0, 0, 0],
    ("closed", "both", True, "questionnaire.answer"): [0, 0, 0, 0, 0, 0, 0, 0],
    ("vote", "both", True, "questionnaire.results"): [0, 0, 0, 0, 1, 0, 0, 1],
    ("synthesis", "both", True, "questionnaire.results"): [0, 0, 0, 0, 1, 0, 0, 1],
    ("closed", "both", True, "questionnaire.results"): [1, 1, 1, 1, 1, 1, 1, 1],
    ("closed", "both", False, "questionnaire.results"): [0, 0, 0, 0, 1, 0, 0, 1],
    # Open data: everyone once the consultation is closed, no one before (organisers included).
    ("closed", "both", True, "questionnaire.open_data"): [1, 1, 1, 1, 1, 1, 1, 1],
    ("closed", "agents", True, "questionnaire.open_data"): [1, 1, 1, 1, 1, 1, 1, 1],
    ("synthesis", "both", True, "questionnaire.open_data"): [0, 0, 0, 0, 0, 0, 0, 0],
    ("vote", "both", True, "questionnaire.open_data"): [0, 0, 0, 0, 0, 0, 0, 0],
    ("closed", "both", False, "questionnaire.open_data"): [0, 0, 0, 0, 0, 0, 0, 0],
}


@pytest.mark.parametrize("case", EXPECTED)
@pytest.mark.parametrize("index, role", list(enumerate(ROLES)))
def test_questionnaire_actions(app, case, index, role):
    phase, audience, published, action = case
    questionnaire = make_questionnaire(make_consultation(phase), published=published, audience=audience)
    user = person(role, questionnaire.consultation.territory)
    target = questionnaire.consultation if action == "questionnaire.manage" else questionnaire
    assert can(user, action, target) is bool(EXPECTED[case][index])


@pytest.mark.parametrize("index, role", list(enumerate(ROLES)))
def test_a_questionnaire_of_an_agents_consultation_is_seen_by_its_people_only(app, index, role):
    questionnaire = make_questionnaire(make_consultation("closed", audience="agents"))
    user = person(role, questionnaire.consultation.territory)
    assert can(user, "questionnaire.view", questionnaire) is bool([0, 0, 0, 1, 1, 1, 0, 1][index])
    assert can(user, "questionnaire.results", questionnaire) is bool([0, 0, 0, 1, 1, 1, 0, 1][index])
    # Its results are read by its people, never published as open data.
    assert not can(user, "questionnaire.open_data", questionnaire)
