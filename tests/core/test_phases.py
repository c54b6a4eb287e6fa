from datetime import UTC, datetime, timedelta

import pytest

from concertation import phases
from concertation.phases import PhaseDates, consecutive_phases, current_phase, validate_dates

NOW = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize("kind", phases.PHASE_ORDER)
def test_the_phase_placed_around_now_is_the_current_one(kind):
    assert current_phase(consecutive_phases(kind, NOW), NOW) == kind


def test_before_the_first_phase_the_consultation_is_upcoming():
    assert current_phase(consecutive_phases("upcoming", NOW), NOW) == phases.UPCOMING


def test_a_gap_between_two_phases_is_reported_as_between():
    dates = consecutive_phases("vote", NOW)
    dates[2] = PhaseDates("vote", NOW + timedelta(days=1), NOW + timedelta(days=20))
    dates[1] = PhaseDates("proposals", dates[1].starts_at, NOW - timedelta(days=1))
    assert current_phase(dates, NOW) == phases.BETWEEN


def test_phase_boundaries_start_inclusive_end_exclusive():
    dates = consecutive_phases("proposals", NOW)
    vote_start = dates[2].starts_at
    assert current_phase(dates, vote_start - timedelta(seconds=1)) == "proposals"
    assert current_phase(dates, vote_start) == "vote"


class FakeConsultation:
    def __init__(self, kind, voting_method="support", early=False, results_live=False):
        self.phases = consecutive_phases(kind, NOW)
        self.voting_method = voting_method
        self.supports_during_proposals = early
        self.results_live = results_live


@pytest.mark.parametrize(
    "kind, power, method, early, expected",
    [
        ("information", "propose", "support", False, False),
        ("proposals", "propose", "support", False, True),
        ("vote", "propose", "support", False, False),
        ("proposals", "comment", "support", False, True),
        ("vote", "comment", "support", False, True),
        ("synthesis", "comment", "support", False, False),
        ("proposals", "support", "support", False, False),
        ("proposals", "support", "support", True, True),
        ("vote", "support", "support", False, True),
        ("vote", "support", "majority", False, False),
        ("vote", "grade", "majority", False, True),
        ("proposals", "grade", "majority", True, False),
        ("synthesis", "synthesise", "support", False, True),
        ("closed", "synthesise", "support", False, False),
        ("closed", "support", "support", True, False),
    ],
)
def test_what_each_phase_allows(kind, power, method, early, expected):
    assert phases.allows(FakeConsultation(kind, method, early), power, NOW) is expected


def test_results_are_hidden_during_the_vote_unless_live():
    assert not phases.results_visible(FakeConsultation("vote"), NOW)
    assert phases.results_visible(FakeConsultation("vote", results_live=True), NOW)
    assert phases.results_visible(FakeConsultation("synthesis"), NOW)


def test_well_ordered_dates_are_accepted():
    assert validate_dates(consecutive_phases("vote", NOW)) == []


def test_overlapping_phases_are_refused_with_a_message_naming_them():
    dates = consecutive_phases("vote", NOW)
    dates[2] = PhaseDates("vote", dates[1].ends_at - timedelta(days=2), dates[2].ends_at)
    problems = validate_dates(dates)
    assert problems and problems[0][0] == "vote"
    assert "chevaucher" in problems[0][1] and "Propositions" in problems[0][1]


def test_a_phase_ending_before_it_starts_is_refused():
    dates = consecutive_phases("vote", NOW)
    dates[0] = PhaseDates("information", dates[0].starts_at, dates[0].starts_at - timedelta(hours=1))
    assert any("finir après" in message for _, message in validate_dates(dates))


def test_a_missing_phase_is_refused():
    dates = consecutive_phases("vote", NOW)[:4]
    assert validate_dates(dates) == [("closed", "La date de début de la phase « Clôture » est obligatoire.")]


# Added after the mutation run (tools/mutation.py phases): each test kills mutants that survived.


def test_the_first_phase_opens_at_its_very_start():
    dates = consecutive_phases("upcoming", NOW)
    assert current_phase(dates, dates[0].starts_at - timedelta(microseconds=1)) == phases.UPCOMING
    assert current_phase(dates, dates[0].starts_at) == "information"


def test_grading_is_open_only_in_a_majority_judgment_vote():
    assert not phases.allows(FakeConsultation("vote", "support"), "grade", NOW)
    assert phases.allows(FakeConsultation("vote", "majority"), "grade", NOW)


def test_results_become_public_at_the_very_end_of_the_vote():
    consultation = FakeConsultation("vote")
    vote_end = next(p for p in consultation.phases if p.kind == "vote").ends_at
    assert not phases.results_visible(consultation, vote_end - timedelta(microseconds=1))
    assert phases.results_visible(consultation, vote_end)


def test_only_the_closing_phase_may_have_no_end():
    dates = consecutive_phases("vote", NOW)
    assert [d.kind for d in dates if d.ends_at is None] == ["closed"]
    dates[3] = PhaseDates("synthesis", dates[3].starts_at, None)
    assert [kind for kind, _message in validate_dates(dates)] == ["synthesis"]


def test_a_phase_of_no_length_is_refused():
    dates = consecutive_phases("vote", NOW)
    dates[1] = PhaseDates("proposals", dates[1].starts_at, dates[1].starts_at)
    dates[2] = PhaseDates("vote", dates[1].starts_at, dates[2].ends_at)
    assert [kind for kind, _message in validate_dates(dates)] == ["proposals"]


def test_a_gap_between_phases_is_allowed():
    dates = consecutive_phases("vote", NOW)
    dates[2] = PhaseDates("vote", dates[1].ends_at + timedelta(days=2), dates[2].ends_at)
    assert validate_dates(dates) == []


@pytest.mark.parametrize("kind", phases.PHASE_ORDER)
def test_the_demos_phases_last_thirty_days_back_to_back_the_current_one_opened_ten_days_ago(kind):
    """What the demo shows: the current phase opened at 08:00 ten days ago, and each phase follows the last."""
    dates = consecutive_phases(kind, NOW)
    assert [d.kind for d in dates] == list(phases.PHASE_ORDER)
    current = dates[phases.PHASE_ORDER.index(kind)]
    assert current.starts_at == datetime(2026, 11, 17, 8, 0, tzinfo=UTC)
    for before, after in zip(dates, dates[1:]):
        assert before.ends_at - before.starts_at == timedelta(days=30)
        assert after.starts_at == before.ends_at
    assert dates[-1].ends_at is None


def test_the_demos_upcoming_consultation_opens_in_ten_days_at_eight():
    dates = consecutive_phases("upcoming", NOW, days=12)
    assert dates[0].starts_at == datetime(2026, 12, 7, 8, 0, tzinfo=UTC)
    assert [d.ends_at - d.starts_at for d in dates[:-1]] == [timedelta(days=12)] * 4


def test_the_demos_current_phase_opens_at_eight_whatever_its_length():
    dates = consecutive_phases("vote", NOW, days=31)
    assert dates[2].starts_at == datetime(2026, 11, 17, 8, 0, tzinfo=UTC)  # a third of 31 days, in whole days
    assert dates[2].ends_at == datetime(2026, 12, 18, 8, 0, tzinfo=UTC)
