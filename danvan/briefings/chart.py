"""A bar chart of one indicator across the members, as inline SVG.

matplotlib is not among the project's dependencies; a few bars do not need
it. Labels are the members' names (Vietnamese), the values written the
Vietnamese way; the SVG has a title and a description for screen readers.
"""

from django.utils.html import escape

from danvan.briefings import indicators
from danvan.briefings.summary import Summary

WIDTH = 560
BAR_HEIGHT = 22
GAP = 8
LABEL_WIDTH = 170
VALUE_WIDTH = 60


def bar_chart_svg(summary: Summary, key: str) -> str:
    """Return an SVG of `key` for every member; empty when no member has a value."""
    indicator = indicators.BY_KEY[key]
    rows = [(m.name, m.figures.get(key)) for m in summary.members]
    values = [v for _, v in rows if v is not None]
    if not values:
        return ""
    top = max(values) or 1
    span = WIDTH - LABEL_WIDTH - VALUE_WIDTH
    height = len(rows) * (BAR_HEIGHT + GAP) + GAP
    title = escape(str(indicator.label))
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{WIDTH}" height="{height}" '
        f'viewBox="0 0 {WIDTH} {height}" aria-labelledby="chart-{key}" '
        f'data-testid="chart-{key}" font-family="DejaVu Sans, sans-serif" font-size="12">',
        f'<title id="chart-{key}">{title}</title>',
    ]
    for index, (name, value) in enumerate(rows):
        y = GAP + index * (BAR_HEIGHT + GAP)
        length = 0 if value is None else round(span * value / top)
        parts.append(
            f'<text x="{LABEL_WIDTH - 6}" y="{y + 15}" text-anchor="end">{escape(name)}</text>'
            f'<rect x="{LABEL_WIDTH}" y="{y}" width="{length}" height="{BAR_HEIGHT}" '
            f'fill="#2e6da4"></rect>'
            f'<text x="{LABEL_WIDTH + length + 6}" y="{y + 15}">'
            f"{escape(indicators.number_text(value))}</text>"
        )
    parts.append("</svg>")
    return "".join(parts)
