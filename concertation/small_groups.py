"""The one rule for figures about people: no group under ``FLOOR`` is shown, and no hidden figure
comes back by subtraction.

Every aggregate about people (questionnaire cross-tabulations, who took part in a consultation)
passes its counts here before they are shown, exported or frozen. A cell under ``FLOOR`` is hidden;
then, wherever a row or a column has exactly one hidden cell, its smallest other cell is hidden too
(complementary suppression), so that subtracting the shown cells from a known total gives nothing.
"""

FLOOR = 10


def suppress(counts: list[list[int]], floor: int = FLOOR) -> list[list[int | None]]:
    """Hide the cells under `floor`, then, while a row or column has exactly one hidden cell, its smallest other."""
    hidden = [[n < floor for n in row] for row in counts]
    changed = True
    while changed:
        changed = False
        lines = [[(r, c) for c in range(len(row))] for r, row in enumerate(counts)]
        if counts:
            lines += [[(r, c) for r in range(len(counts))] for c in range(len(counts[0]))]
        for line in lines:
            if sum(hidden[r][c] for r, c in line) == 1:
                shown = [(counts[r][c], r, c) for r, c in line if not hidden[r][c]]
                if shown:
                    _, r, c = min(shown)
                    hidden[r][c] = True
                    changed = True
    return [[None if hidden[r][c] else n for c, n in enumerate(row)] for r, row in enumerate(counts)]


def suppress_line(counts: list[int], floor: int = FLOOR) -> list[int | None]:
    """The cells of one breakdown whose total is shown (every person in exactly one cell), suppressed alike."""
    return suppress([counts], floor)[0] if counts else []
