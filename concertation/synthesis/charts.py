"""Charts of the key figures, computed as plain geometry and drawn as SVG by the templates.

No JavaScript and no inline style: templates draw rectangles from these
numbers with SVG presentation attributes and classes of main.css, and show the
same numbers in a table beside each chart.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Bar:
    label: str
    value: int
    x: float
    y: float
    width: float
    height: float


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    bars: list[Bar]
    maximum: int
    orientation: str  # "vertical" (columns over time) or "horizontal" (bars per theme)
    label_width: int = 0


def columns(rows: list[tuple[str, int]], width: int = 640, height: int = 220, gap: float = 0.2) -> Chart:
    """Vertical bars, left to right (participation per week); room is kept under them for labels."""
    plot_height = height - 40
    maximum = max((v for _l, v in rows), default=0) or 1
    step = width / max(len(rows), 1)
    bars = [
        Bar(
            label,
            value,
            round(i * step + step * gap / 2, 1),
            round(10 + plot_height * (1 - value / maximum), 1),
            round(step * (1 - gap), 1),
            round(plot_height * value / maximum, 1),
        )
        for i, (label, value) in enumerate(rows)
    ]
    return Chart(width, height, bars, maximum, "vertical")


def bars(rows: list[tuple[str, int]], width: int = 640, row_height: int = 28, label_width: int = 220) -> Chart:
    """Horizontal bars, top to bottom (contributions or votes per theme)."""
    maximum = max((v for _l, v in rows), default=0) or 1
    plot = width - label_width - 60
    chart_bars = [
        Bar(label, value, label_width, i * row_height + 4, round(plot * value / maximum, 1), row_height - 8)
        for i, (label, value) in enumerate(rows)
    ]
    return Chart(width, max(len(rows), 1) * row_height, chart_bars, maximum, "horizontal", label_width)


def figure_charts(figures: dict) -> dict[str, Chart]:
    """The three charts of a synthesis or a consultation, from its figures."""
    weeks = figures.get("by_week", [])
    themes = figures.get("by_theme", [])
    return {
        "participation": columns([(w["week"][8:10] + "/" + w["week"][5:7], w["participants"]) for w in weeks]),
        "contributions": bars([(t["theme"], t["proposals"] + t["comments"]) for t in themes]),
        "votes": bars([(t["theme"], t["votes"]) for t in themes]),
    }
