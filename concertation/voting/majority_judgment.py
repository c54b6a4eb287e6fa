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
from math import lcm

MENTION_COUNT = 6

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


def majority_mention(tally: Tally) -> int | None:
    """The median mention (the lower middle one for an even number of grades); None without grades."""
    counts = _checked(tally)
    total = sum(counts)
    if not total:
        return None
    return next(g for g, below in enumerate(accumulate(counts)) if 2 * below >= total)


def _runs(counts: tuple[int, ...]) -> list[tuple[int, int]]:
    """The runs (pair of grades, length) of a tally with judges; lengths in steps of 1/(2n)."""
    total = sum(counts)
    cumulative = list(accumulate(counts))
    # Mention g lies below the point at distance u (in steps) from the middle when 2·cum(g) ≤ n − u.
    breakpoints = sorted({abs(total - 2 * below) for below in cumulative} | {0, total})
    runs: list[tuple[int, int]] = []
    for start, end in zip(breakpoints, breakpoints[1:]):
        middle_twice = start + end  # twice the middle of the run, to stay in integers
        below = next(g for g, c in enumerate(cumulative) if 4 * c > 2 * total - middle_twice)
        above = next(g for g, c in enumerate(cumulative) if 4 * c > 2 * total + middle_twice)
        # Each breakpoint moves `below` or `above` (that is where they move), so two runs in a row
        # never share a pair: no merging needed (a mutation run found the merging branch unreachable).
        runs.append((below * MENTION_COUNT + above, end - start))
    return runs


def _key(runs: list[tuple[int, int]], unit) -> tuple[tuple, ...]:
    """Encode runs as a sort key; `unit` is the length of one step (the same scale for all keys compared)."""
    key = []
    for i, (pair, steps) in enumerate(runs):
        if i + 1 == len(runs):
            key.append((pair, 1, 0))
        elif runs[i + 1][0] > pair:
            key.append((pair, 2, -steps * unit))
        else:
            key.append((pair, 0, steps * unit))
    return tuple(key)


def ranking_key(tally: Tally) -> tuple[tuple, ...]:
    """A sort key, larger for a better tally, that compares tallies as proportions.

    The pair of grades (below, above) met at a distance ``s`` from the middle
    is constant between breakpoints; the key lists its runs. Two functions
    first differ where one run ends earlier: a run that ends by going up is
    better than one that goes on, which is better than one that goes down;
    among runs going up the shorter is better, among runs going down the
    longer. Each run is encoded as (pair, direction, ±length) accordingly,
    the length as a fraction of the judges.
    """
    counts = _checked(tally)
    if not sum(counts):
        raise ValueError("a tally without grades has no ranking key")
    return _key(_runs(counts), Fraction(1, 2 * sum(counts)))


def rank(tallies: Mapping[Hashable, Tally]) -> list[RankedResult]:
    """Rank proposals from their tallies, best first; ties share a rank (1, 1, 3…).

    Proposals without any grade come last, all with the same rank and no majority mention.
    The order among tied proposals is the order of `tallies`.
    """
    graded: list[tuple[Hashable, tuple[int, ...]]] = []
    ungraded: list[tuple[Hashable, tuple[int, ...]]] = []
    for key, tally in tallies.items():
        counts = _checked(tally)
        (graded if sum(counts) else ungraded).append((key, counts))
    # The keys of ranking_key, with every length multiplied by one common number (in integers, faster
    # to compare than fractions): a step of a tally of n judges is common / (2n).
    common = lcm(*(2 * sum(counts) for _, counts in graded)) if graded else 1
    keyed = []
    for key, counts in graded:
        runs = _runs(counts)
        keyed.append((_key(runs, common // (2 * sum(counts))), key, counts, runs[0][0] // MENTION_COUNT))
    keyed.sort(key=lambda item: item[0], reverse=True)
    results: list[RankedResult] = []
    for position, (sort_key, key, counts, majority) in enumerate(keyed):
        tied = position and keyed[position - 1][0] == sort_key
        results.append(RankedResult(key, counts, sum(counts), majority, results[-1].rank if tied else position + 1))
    results.extend(RankedResult(key, counts, 0, None, len(graded) + 1) for key, counts in ungraded)
    return results
