"""Majority judgment: each proposal's majority mention, and the ranking by the standard tie-break.

Pure functions, no database. A *tally* lists how many judges gave each mention,
from the worst (index 0, « À rejeter ») to the best (index 5, « Excellent »).

Ranking. With the same number of judges, two proposals compare by their
majority mention (the median grade; the lower middle one when the number of
grades is even), then, while they are tied, by the median of the grades left
once that median grade is removed, and so on: the lexicographic order of
their sequences of successive medians.

Normalised tallies. Participants grade only the proposals they read, so the
numbers of judges differ. Each tally is then compared as proportions, as if
both were scaled to a common number of judges. Removing medians one at a
time walks outwards from the middle of the sorted grades, alternately one
step below and one step above (the lower one first); scaled to a proportion
``s`` of the judges on each side, this is a pair of grades
``(below(s), above(s))`` that changes only at the proportions where the
cumulative tally crosses ``1/2 ± s``. The ranking key below encodes that
piecewise-constant function exactly, with ``Fraction``: it ranks a tally and
the same tally multiplied by any k equally, and for tallies of equal size it
gives exactly the order of the sequences of successive medians.
"""

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from itertools import accumulate

MENTION_COUNT = 6
HALF = Fraction(1, 2)

Tally = Sequence[int]


@dataclass(frozen=True)
class RankedResult:
    """One proposal's result: its tally, number of judges, majority mention and rank (1 = first)."""

    key: Hashable
    tally: tuple[int, ...]
    judges: int
    majority_mention: int | None
    rank: int

    @property
    def proportions(self) -> tuple[Fraction, ...]:
        """Share of the judges who gave each mention (all zero without judges)."""
        if not self.judges:
            return tuple(Fraction(0) for _ in self.tally)
        return tuple(Fraction(count, self.judges) for count in self.tally)


def _checked(tally: Tally) -> tuple[int, ...]:
    counts = tuple(int(c) for c in tally)
    if len(counts) != MENTION_COUNT or any(c < 0 for c in counts):
        raise ValueError(f"a tally has {MENTION_COUNT} counts, none negative: {tally!r}")
    return counts


def _cumulative(counts: tuple[int, ...]) -> list[Fraction]:
    """C(g): the share of the judges who gave mention g or worse."""
    total = sum(counts)
    return [Fraction(c, total) for c in accumulate(counts)]


def _first_reaching(cumulative: list[Fraction], level: Fraction) -> int:
    """The lowest mention whose cumulative share is strictly above `level`."""
    return next(g for g, share in enumerate(cumulative) if share > level)


def majority_mention(tally: Tally) -> int | None:
    """The median mention (the lower middle one for an even number of grades); None without grades."""
    counts = _checked(tally)
    if not sum(counts):
        return None
    return next(g for g, share in enumerate(_cumulative(counts)) if share >= HALF)


def ranking_key(tally: Tally) -> tuple[tuple, ...]:
    """A sort key, larger for a better tally, that compares tallies as proportions.

    The pair of grades (below, above) met at a distance ``s`` from the middle
    is constant between breakpoints; the key lists its runs. Two functions
    first differ where one run ends earlier: a run that ends by going up is
    better than one that goes on, which is better than one that goes down;
    among runs going up the shorter is better, among runs going down the
    longer. Each run is encoded as (pair, direction, ±length) accordingly.
    """
    counts = _checked(tally)
    if not sum(counts):
        raise ValueError("a tally without grades has no ranking key")
    cumulative = _cumulative(counts)
    breakpoints = sorted({abs(HALF - share) for share in cumulative if 0 < abs(HALF - share) < HALF}
                         | {Fraction(0), HALF})
    runs: list[tuple[int, Fraction]] = []
    for start, end in zip(breakpoints, breakpoints[1:]):
        middle = (start + end) / 2
        pair = _first_reaching(cumulative, HALF - middle) * MENTION_COUNT + _first_reaching(cumulative, HALF + middle)
        if runs and runs[-1][0] == pair:
            runs[-1] = (pair, runs[-1][1] + end - start)
        else:
            runs.append((pair, end - start))
    key = []
    for i, (pair, length) in enumerate(runs):
        if i + 1 == len(runs):
            key.append((pair, 1, Fraction(0)))
        elif runs[i + 1][0] > pair:
            key.append((pair, 2, -length))
        else:
            key.append((pair, 0, length))
    return tuple(key)


def rank(tallies: Mapping[Hashable, Tally]) -> list[RankedResult]:
    """Rank proposals from their tallies, best first; ties share a rank (1, 1, 3…).

    Proposals without any grade come last, all with the same rank and no majority mention.
    The order among tied proposals is the order of `tallies`.
    """
    graded = []
    ungraded = []
    for key, tally in tallies.items():
        counts = _checked(tally)
        (graded if sum(counts) else ungraded).append((key, counts))
    keyed = sorted(((ranking_key(counts), key, counts) for key, counts in graded),
                   key=lambda item: item[0], reverse=True)
    results: list[RankedResult] = []
    for position, (sort_key, key, counts) in enumerate(keyed):
        tied = position and keyed[position - 1][0] == sort_key
        results.append(RankedResult(key, counts, sum(counts), majority_mention(counts),
                                    results[-1].rank if tied else position + 1))
    results.extend(RankedResult(key, counts, 0, None, len(graded) + 1) for key, counts in ungraded)
    return results
