"""The majority-judgment ranking: hand-worked examples, then properties against the plain algorithm."""

from fractions import Fraction
from functools import cmp_to_key
from math import lcm

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from concertation.voting.majority_judgment import _runs, majority_mention, rank, ranking_key

# Mentions by index: 0 À rejeter, 1 Passable, 2 Assez bien, 3 Bien, 4 Très bien, 5 Excellent.


def successive_medians(tally) -> list[int]:
    """The plain iterative algorithm: take the lower median, remove it, repeat."""
    grades = sorted(g for g, count in enumerate(tally) for _ in range(count))
    sequence = []
    while grades:
        sequence.append(grades.pop((len(grades) - 1) // 2))
    return sequence


def scaled(tally, k):
    return [count * k for count in tally]


def sign(x) -> int:
    return (x > 0) - (x < 0)


def compare_keys(a, b) -> int:
    return sign((ranking_key(a) > ranking_key(b)) - (ranking_key(a) < ranking_key(b)))


def by_rank(tallies: dict) -> list[tuple[str, int]]:
    return [(r.key, r.rank) for r in rank(tallies)]


# Hand-worked examples --------------------------------------------------------


def test_majority_mention_is_the_median_and_the_lower_middle_one_when_even():
    # Grades 1, 3, 3, 5 sorted: the middle ones are 3 and 3 → Bien.
    assert majority_mention([0, 1, 0, 2, 0, 1]) == 3
    # Grades 2, 3, 4, 4: the middle ones are 3 and 4 → the lower one, 3 (Bien), not 4.
    assert majority_mention([0, 0, 1, 1, 2, 0]) == 3
    # Grades 0, 0, 5, 5: → 0 (À rejeter).
    assert majority_mention([2, 0, 0, 0, 0, 2]) == 0
    # Five grades 1, 2, 2, 4, 5: the third one → 2 (Assez bien).
    assert majority_mention([0, 1, 2, 0, 1, 1]) == 2
    assert majority_mention([0] * 6) is None


def test_hand_worked_ranking_by_successive_medians():
    # Four judges each.
    # A: 2, 3, 3, 4 → medians 3 (of 2 3 3 4), 3 (of 2 3 4), 2 (of 2 4), 4 → 3 3 2 4
    # B: 1, 3, 3, 5 → medians 3, 3, 1, 5                                        → 3 3 1 5
    # C: 3, 3, 3, 4 → medians 3, 3, 3, 4                                        → 3 3 3 4
    # D: 0, 4, 4, 5 → medians 4, 4, 0, 5                                        → 4 4 0 5
    # All but D have the majority mention Bien; D has Très bien and comes first.
    # Among A, B, C the third median decides: C (3) > A (2) > B (1).
    tallies = {"A": [0, 0, 1, 2, 1, 0], "B": [0, 1, 0, 2, 0, 1], "C": [0, 0, 0, 3, 1, 0], "D": [1, 0, 0, 0, 2, 1]}
    assert successive_medians(tallies["A"]) == [3, 3, 2, 4]
    assert by_rank(tallies) == [("D", 1), ("C", 2), ("A", 3), ("B", 4)]
    assert [r.majority_mention for r in rank(tallies)] == [4, 3, 3, 3]


def test_the_lower_side_is_compared_before_the_upper_side():
    # E: 2, 3, 5 → 3, 2, 5 ;  F: 3, 3, 4 → 3, 3, 4. F wins at the second median (3 > 2)
    # although E has the better top grade.
    assert by_rank({"E": [0, 0, 1, 1, 0, 1], "F": [0, 0, 0, 2, 1, 0]}) == [("F", 1), ("E", 2)]


def test_identical_tallies_tie_and_the_next_rank_is_skipped():
    tallies = {"A": [0, 1, 1, 1, 0, 0], "B": [0, 1, 1, 1, 0, 0], "C": [1, 1, 1, 0, 0, 0]}
    assert by_rank(tallies) == [("A", 1), ("B", 1), ("C", 3)]


def test_unanimous_grades():
    # Every judge says the same: the majority mention is that mention, whatever the number of judges.
    tallies = {"bien×7": [0, 0, 0, 7, 0, 0], "excellent×1": [0, 0, 0, 0, 0, 1], "bien×2": [0, 0, 0, 2, 0, 0]}
    results = rank(tallies)
    assert [(r.key, r.rank, r.majority_mention, r.judges) for r in results] == [
        ("excellent×1", 1, 5, 1),
        ("bien×7", 2, 3, 7),
        ("bien×2", 2, 3, 2),
    ]


def test_proposals_without_grades_come_last_without_majority_mention():
    results = rank({"none": [0] * 6, "rejected": [3, 0, 0, 0, 0, 0], "other none": [0] * 6})
    assert [(r.key, r.rank, r.majority_mention, r.judges) for r in results] == [
        ("rejected", 1, 0, 3),
        ("none", 2, None, 0),
        ("other none", 2, None, 0),
    ]
    assert rank({}) == []


def test_normalisation_two_judges_and_ten_judges_with_the_same_proportions_rank_equal():
    # 2 judges: Passable, Bien. 10 judges: 5 Passable, 5 Bien. Same proportions, same rank.
    tallies = {"two": [0, 1, 0, 1, 0, 0], "ten": [0, 5, 0, 5, 0, 0], "other": [0, 2, 0, 1, 0, 0]}
    assert by_rank(tallies) == [("two", 1), ("ten", 1), ("other", 3)]
    assert ranking_key(tallies["two"]) == ranking_key(tallies["ten"])


def test_normalisation_compares_proportions_not_numbers_of_judges():
    # X: 1 judge, Très bien. Y: 3 judges, Bien, Très bien, Très bien.
    # Scaled to 3 judges, X is 4 4 4 and Y is 3 4 4: medians X 4 4 4, Y 4 3 4 → X first.
    # Z: 30 judges, 9 Bien and 21 Très bien (30 % Bien, where Y has 33 %): Z is between them.
    tallies = {"Y": [0, 0, 0, 1, 2, 0], "X": [0, 0, 0, 0, 1, 0], "Z": [0, 0, 0, 9, 21, 0]}
    assert by_rank(tallies) == [("X", 1), ("Z", 2), ("Y", 3)]


def test_unequal_judges_tied_on_the_majority_mention_are_split_by_the_next_median():
    # P, 3 judges: Bien, Bien, Très bien. Q, 4 judges: Passable, Bien, Très bien, Très bien.
    # Scaled to 12 judges: P is 8 × Bien, 4 × Très bien; Q is 3 × Passable, 3 × Bien, 6 × Très bien.
    # Both majority mentions are Bien (6th of 12); the next median is taken above it:
    # Bien for P (7th grade), Très bien for Q (7th grade). Q is first.
    tallies = {"P": [0, 0, 0, 2, 1, 0], "Q": [0, 1, 0, 1, 2, 0]}
    assert by_rank(tallies) == [("Q", 1), ("P", 2)]
    results = {r.key: r for r in rank(tallies)}
    assert (results["P"].judges, results["Q"].judges) == (3, 4)
    assert results["P"].majority_mention == results["Q"].majority_mention == 3


def test_unequal_judges_tied_below_the_median_are_split_above_it():
    # R, 2 judges: Passable, Très bien. S, 4 judges: 2 × Passable, 2 × Excellent.
    # Scaled to 4 judges R is Passable, Passable, Très bien, Très bien: both majority mentions are
    # Passable; the next median is Très bien for R and Excellent for S. S is first.
    tallies = {"R": [0, 1, 0, 0, 1, 0], "S": [0, 2, 0, 0, 0, 2]}
    assert by_rank(tallies) == [("S", 1), ("R", 2)]


def test_one_judge_is_weighed_as_a_proportion_not_as_a_count():
    # A single « Excellent » is 100 % Excellent: ahead of 99 judges whose majority mention is Très bien,
    # and exactly tied with 5 judges who all said Excellent.
    tallies = {"one": [0, 0, 0, 0, 0, 1], "many": [0, 0, 0, 9, 60, 30], "five": [0, 0, 0, 0, 0, 5]}
    assert by_rank(tallies) == [("one", 1), ("five", 1), ("many", 3)]


def test_proportions_of_a_result():
    (result,) = rank({"p": [1, 0, 0, 3, 0, 0]})
    assert result.proportions == (Fraction(1, 4), 0, 0, Fraction(3, 4), 0, 0)
    assert rank({"q": [0] * 6})[0].proportions == (0,) * 6


@pytest.mark.parametrize("bad", [[1, 2, 3], [0, 0, 0, -1, 0, 0]])
def test_malformed_tallies_are_refused(bad):
    with pytest.raises(ValueError):
        rank({"p": bad})


# Properties ------------------------------------------------------------------

tallies = st.lists(st.integers(0, 6), min_size=6, max_size=6).filter(lambda t: sum(t) > 0)


@settings(max_examples=400, deadline=None)
@given(tallies, st.integers(1, 12))
def test_scaling_a_tally_never_changes_its_key(tally, k):
    assert ranking_key(scaled(tally, k)) == ranking_key(tally)


@settings(max_examples=400, deadline=None)
@given(
    st.integers(1, 12).flatmap(
        lambda n: st.lists(st.lists(st.integers(0, 5), min_size=n, max_size=n), min_size=2, max_size=6)
    )
)
def test_equal_sizes_rank_exactly_as_the_plain_iterative_algorithm(ballots):
    tallies = {i: [grades.count(g) for g in range(6)] for i, grades in enumerate(ballots)}
    expected = sorted(tallies, key=lambda i: successive_medians(tallies[i]), reverse=True)
    results = rank(tallies)
    assert [r.key for r in results] == expected
    for a, b in zip(results, results[1:]):
        same = successive_medians(tallies[a.key]) == successive_medians(tallies[b.key])
        assert (a.rank == b.rank) is same


@settings(max_examples=300, deadline=None)
@given(tallies, tallies)
def test_different_sizes_compare_like_the_plain_algorithm_on_tallies_scaled_to_a_common_size(a, b):
    common = lcm(sum(a), sum(b))
    plain_a = successive_medians(scaled(a, common // sum(a)))
    plain_b = successive_medians(scaled(b, common // sum(b)))
    assert compare_keys(a, b) == sign((plain_a > plain_b) - (plain_a < plain_b))


@settings(max_examples=300, deadline=None)
@given(tallies)
def test_majority_mention_is_the_first_successive_median(tally):
    assert majority_mention(tally) == successive_medians(tally)[0]


@settings(max_examples=200, deadline=None)
@given(st.lists(tallies, min_size=1, max_size=8))
def test_ranks_are_consistent_with_the_order(tally_list):
    results = rank(dict(enumerate(tally_list)))
    keys = [ranking_key(r.tally) for r in results]
    assert keys == sorted(keys, key=cmp_to_key(lambda x, y: (x < y) - (x > y)))
    assert results[0].rank == 1
    for position, result in enumerate(results):
        assert result.rank <= position + 1
    for a, b in zip(results, results[1:]):
        assert (a.rank == b.rank) is (ranking_key(a.tally) == ranking_key(b.tally))
        assert a.majority_mention == majority_mention(a.tally)


@given(tally=tallies)
def test_two_runs_in_a_row_never_share_a_pair_of_grades(tally):
    runs = _runs(tuple(tally))
    assert all(a[0] != b[0] for a, b in zip(runs, runs[1:]))
    assert sum(steps for _pair, steps in runs) == sum(tally)
