"""Charts of the cluster summary: inline SVG on the back-office page, PNG
pictures drawn by matplotlib in the Word cluster report.

- `bar_chart_svg`: one indicator across the members, as inline SVG with a
  title for screen readers; a few bars need no library.
- `report_charts`: the pictures of the cluster report (Báo cáo), each with
  its caption: petitions received and resolved by member, the on-time rate
  by member (this period beside the previous one when there are figures
  for it, the cluster's rate as a dashed line), reception visits by member,
  and the cluster's main totals this period beside the previous one. A
  chart whose figures are all empty or zero is left out: the table says as
  much.

The pictures are drawn on a `matplotlib.figure.Figure` made for each call
(never pyplot, whose current figure is global state shared by threads),
saved as PNG in memory and sized in millimetres for the A4 text column, so
that the text in them prints at its size in points. Every text names DejaVu
Sans, which has the Vietnamese letters, and is put in composed form (NFC)
so that no letter is drawn from separate marks; figures are written the
Vietnamese way (`indicators.number_text`). Labels are the members' names
and the indicators' labels, in the active language (the report is made in
Vietnamese).
"""

import io
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.utils.html import escape

from danvan.briefings import indicators
from danvan.briefings.summary import Member, Summary

if TYPE_CHECKING:
    from matplotlib.figure import Figure

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


# Pictures for the Word report (matplotlib) ------------------------------------

#: The font of every text in the pictures: it has the Vietnamese letters.
FONT = "DejaVu Sans"
#: Dots per inch of the PNG: sharp enough on paper, quick to draw and encode.
DPI = 150
#: The width of a picture: the A4 text column (210 − 30 − 15 mm) less a margin.
WIDTH_MM = 160.0
#: This period (or the first series) and the previous one (or the second).
COLOR_NOW = "#1f4e79"
COLOR_OTHER = "#8db4dc"
COLOR_LINE = "#a5271f"
LABEL_SIZE = 9.0
VALUE_SIZE = 8.0
#: The indicators compared with the previous period, for the whole cluster.
COMPARED = (
    "petitions_received",
    "petitions_resolved",
    "visits",
    "dialogues_held",
    "models_recognized",
)


@dataclass(frozen=True)
class Picture:
    """A chart of the report: its caption (without its number) and its PNG."""

    caption: str
    png: bytes
    width_mm: float
    height_mm: float


def _text(value: Any) -> str:
    return unicodedata.normalize("NFC", str(value))


def _has_figures(values: Sequence[Any]) -> bool:
    """Whether there is something to draw: a value that is neither empty nor zero."""
    return any(v for v in values if v is not None)


def _figure(height_mm: float) -> "Figure":
    from matplotlib.figure import Figure

    return Figure(figsize=(WIDTH_MM / 25.4, height_mm / 25.4), dpi=DPI, facecolor="white")


def _png(figure: "Figure") -> bytes:
    """Draw `figure` with Agg and return it as PNG (RGB: a white page has no transparency)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from PIL import Image

    canvas = FigureCanvasAgg(figure)
    canvas.draw()
    image = Image.frombuffer(
        "RGBA", canvas.get_width_height(), canvas.buffer_rgba(), "raw", "RGBA", 0, 1
    ).convert("RGB")
    buffer = io.BytesIO()
    # The fastest zlib level: a slightly larger file, encoded in a fraction of the time.
    image.save(buffer, format="PNG", compress_level=1, dpi=(DPI, DPI))
    return buffer.getvalue()


def _font(size: float = VALUE_SIZE) -> Any:
    from matplotlib.font_manager import FontProperties

    return FontProperties(family=FONT, size=size)


def _width_pt(texts: Sequence[str], size: float) -> float:
    """Return the width of the widest of `texts`, in points, as drawn at `size`."""
    from matplotlib.textpath import text_to_path

    prop = _font(size)
    return max(
        (text_to_path.get_text_width_height_descent(t, prop, ismath=False)[0] for t in texts),
        default=0.0,
    )


def _wrap(text: str, width_mm: float, size: float) -> str:
    """Break `text` between words so that no line is wider than `width_mm`."""
    lines: list[str] = []
    for word in text.split():
        joined = f"{lines[-1]} {word}" if lines else word
        if lines and _width_pt([joined], size) / POINTS_PER_MM <= width_mm:
            lines[-1] = joined
        else:
            lines.append(word)
    return "\n".join(lines)


def _value_text(value: Any, *, percent: bool) -> str:
    text = indicators.number_text(value)
    return f"{text}%" if percent and value is not None else text


@dataclass(frozen=True)
class _Series:
    label: str
    values: list[Any]
    color: str


#: Millimetres: a bar, the gap between two members, a legend's line, an edge.
BAR_MM = 4.2
MEMBER_GAP_MM = 3.0
LEGEND_MM = 8.0
EDGE_MM = 2.0
POINTS_PER_MM = 72 / 25.4


def _member_bars(
    names: list[str],
    series: list[_Series],
    *,
    percent: bool = False,
    line: tuple[str, float] | None = None,
) -> tuple[bytes, float]:
    """Horizontal bars, one group per member (first on top); return the PNG and its height.

    The layout is measured rather than searched (matplotlib's constrained
    layout about doubled the time): the names' column is as wide as the
    longest name, the bars take the rest, each figure after its bar. Names
    and figures are plain texts, not tick labels and annotations, which cost
    more to draw.
    """
    count = len(series)
    labels = [_text(n) for n in names]
    with_legend = count > 1 or line is not None
    plot_mm = len(names) * (MEMBER_GAP_MM + BAR_MM * count)
    top_mm = EDGE_MM + (LEGEND_MM if with_legend else 0)
    height_mm = top_mm + plot_mm + EDGE_MM
    figure = _figure(height_mm)
    names_mm = _width_pt(labels, LABEL_SIZE) / POINTS_PER_MM + 3
    left = (EDGE_MM + names_mm) / WIDTH_MM
    axes = figure.add_axes(
        (left, EDGE_MM / height_mm, 1 - left - EDGE_MM / WIDTH_MM, plot_mm / height_mm)
    )
    group = 1 - MEMBER_GAP_MM / (MEMBER_GAP_MM + BAR_MM * count)
    thickness = group / count
    values = [v for s in series for v in s.values if v is not None]
    # A rate over 100 % (corrected counts that disagree) still fits.
    top = float(max([*values, 100.0 if percent else 0.0]) or 1)
    # Room after the longest bar for its figure; 1.5 mm between bar and figure.
    figure_mm = _width_pt([_value_text(top, percent=percent)], VALUE_SIZE) / POINTS_PER_MM
    plot_width_mm = WIDTH_MM * (1 - left) - EDGE_MM
    right = top * (1 + (figure_mm + 3) / max(plot_width_mm - figure_mm - 3, 1))
    pad = right * 1.5 / plot_width_mm
    value_font = _font()
    # A figure the cluster's line would cross gets a white ground.
    crossed = {"facecolor": "white", "edgecolor": "none", "pad": 0.6}
    points_to_data = right / (plot_width_mm * POINTS_PER_MM)
    handles: list[Any] = []
    for index, one in enumerate(series):
        positions = [row - group / 2 + thickness * (index + 0.5) for row in range(len(names))]
        lengths = [float(v or 0) for v in one.values]
        handles.append(
            axes.barh(
                positions,
                lengths,
                height=thickness * 0.92,
                color=one.color,
                label=_text(one.label),
            )
        )
        for y, length, value in zip(positions, lengths, one.values, strict=True):
            text = _value_text(value, percent=percent)
            start = length + pad
            ground = None
            if line is not None:
                end = start + _width_pt([text], VALUE_SIZE) * points_to_data
                ground = crossed if start - pad <= line[1] <= end + pad else None
            axes.text(start, y, text, va="center", fontproperties=value_font, bbox=ground)
    if line is not None:
        label, value = line
        handles.append(
            axes.axvline(
                value, color=COLOR_LINE, linestyle="--", linewidth=1, label=_text(label), zorder=2
            )
        )
    name_font = _font(LABEL_SIZE)
    on_names = axes.get_yaxis_transform()  # x in the axes' fraction, y in rows
    for row, label in enumerate(labels):
        axes.text(
            -1.5 / plot_width_mm,
            row,
            label,
            ha="right",
            va="center",
            transform=on_names,
            fontproperties=name_font,
        )
    axes.set_ylim(len(names) - 0.5, -0.5)  # the first member on top
    axes.set_xlim(0, right)
    axes.xaxis.set_visible(False)
    axes.yaxis.set_visible(False)
    for side in ("top", "right", "bottom"):
        axes.spines[side].set_visible(False)
    if with_legend:
        figure.legend(
            handles=handles,
            loc="upper center",
            bbox_to_anchor=(0.5, 1 - EDGE_MM / 2 / height_mm),
            ncols=count + (1 if line else 0),
            frameon=False,
            prop=_font(LABEL_SIZE),
            handlelength=1.5,
            borderaxespad=0,
        )
    return _png(figure), height_mm


def _petitions(summary: Summary) -> Picture | None:
    keys = ("petitions_received", "petitions_resolved")
    series = [
        _Series(
            str(indicators.BY_KEY[key].label), [m.figures.get(key) for m in summary.members], c
        )
        for key, c in zip(keys, (COLOR_NOW, COLOR_OTHER), strict=True)
    ]
    if not _has_figures([v for s in series for v in s.values]):
        return None
    png, height = _member_bars([m.name for m in summary.members], series)
    return Picture("Đơn tiếp nhận và đơn đã giải quyết của từng thành viên", png, WIDTH_MM, height)


def _previous_by_code(summary: Summary) -> dict[int, Member]:
    if summary.previous is None:
        return {}
    return {m.code: m for m in summary.previous.members}


def _on_time(summary: Summary) -> Picture | None:
    key = "petitions_on_time_percent"
    now = [m.figures.get(key) for m in summary.members]
    if not _has_figures(now):
        return None
    before_by_code = _previous_by_code(summary)
    before = [
        before_by_code[m.code].figures.get(key) if m.code in before_by_code else None
        for m in summary.members
    ]
    series = [_Series(summary.period.label(), now, COLOR_NOW)]
    caption = "Tỷ lệ đơn giải quyết đúng hạn của từng thành viên"
    if summary.previous is not None and _has_figures(before):
        series.insert(0, _Series(summary.previous.period.label(), before, COLOR_OTHER))
        caption += f", so với {summary.previous.period.label()}"
    total = summary.totals.get(key)
    line = None
    if total is not None:
        line = (f"Toàn cụm: {_value_text(total, percent=True)}", float(total))
    png, height = _member_bars([m.name for m in summary.members], series, percent=True, line=line)
    return Picture(caption, png, WIDTH_MM, height)


def _reception(summary: Summary) -> Picture | None:
    key = "visits"
    values = [m.figures.get(key) for m in summary.members]
    if not _has_figures(values):
        return None
    series = [_Series(str(indicators.BY_KEY[key].label), values, COLOR_NOW)]
    png, height = _member_bars([m.name for m in summary.members], series)
    return Picture("Lượt tiếp công dân của từng thành viên", png, WIDTH_MM, height)


def _comparison(summary: Summary) -> Picture | None:
    """The cluster's totals of `COMPARED`, the previous period beside this one.

    One pair of columns per indicator, each pair on its own scale (the
    larger of the two is full height): the figures are written above them.
    """
    previous = summary.previous
    if previous is None:
        return None
    panels = [
        (str(indicators.BY_KEY[key].label), previous.totals.get(key), summary.totals.get(key))
        for key in COMPARED
    ]
    panels = [p for p in panels if _has_figures(p[1:])]
    if not panels:
        return None
    from matplotlib.patches import Patch

    # Each pair's share of the width, less a gap between two names.
    slot_mm = (WIDTH_MM - 2 * EDGE_MM) / len(panels)
    titles = [_wrap(_text(p[0]), slot_mm - 3, LABEL_SIZE) for p in panels]
    lines = max(t.count("\n") + 1 for t in titles)
    names_mm = lines * 4.0 + EDGE_MM
    plot_mm = 34.0
    height_mm = EDGE_MM + plot_mm + names_mm + LEGEND_MM
    figure = _figure(height_mm)
    bottom = (names_mm + LEGEND_MM) / height_mm
    axes = figure.add_axes(
        (EDGE_MM / WIDTH_MM, bottom, 1 - 2 * EDGE_MM / WIDTH_MM, plot_mm / height_mm)
    )
    value_font, name_font = _font(), _font(LABEL_SIZE)
    on_names = axes.get_xaxis_transform()  # x in data, y in the axes' fraction
    heights: list[float] = []
    for index, ((_label, before, now), title) in enumerate(zip(panels, titles, strict=True)):
        scale = float(max(before or 0, now or 0) or 1)
        for offset, value in ((-0.19, before), (0.19, now)):
            axes.text(
                index + offset,
                float(value or 0) / scale + 0.03,
                indicators.number_text(value),
                ha="center",
                va="bottom",
                fontproperties=value_font,
            )
        heights += [float(before or 0) / scale, float(now or 0) / scale]
        axes.text(
            index,
            -1.5 / plot_mm,
            title,
            ha="center",
            va="top",
            transform=on_names,
            fontproperties=name_font,
            linespacing=1.1,
        )
    places = [index + offset for index in range(len(panels)) for offset in (-0.19, 0.19)]
    axes.bar(places, heights, width=0.36, color=[COLOR_OTHER, COLOR_NOW] * len(panels))
    axes.set_xlim(-0.5, len(panels) - 0.5)
    axes.set_ylim(0, 1.16)
    axes.xaxis.set_visible(False)
    axes.yaxis.set_visible(False)
    for side in ("top", "right", "left"):
        axes.spines[side].set_visible(False)
    figure.legend(
        handles=[
            Patch(color=COLOR_OTHER, label=_text(previous.period.label())),
            Patch(color=COLOR_NOW, label=_text(summary.period.label())),
        ],
        loc="lower center",
        bbox_to_anchor=(0.5, EDGE_MM / 2 / height_mm),
        ncols=2,
        frameon=False,
        prop=_font(LABEL_SIZE),
        handlelength=1.5,
        borderaxespad=0,
    )
    caption = (
        f"Một số chỉ tiêu của toàn cụm: {summary.period.label()} so với {previous.period.label()}"
    )
    return Picture(caption, _png(figure), WIDTH_MM, height_mm)


def report_charts(summary: Summary) -> list[Picture]:
    """Return the pictures of the cluster report, in order; none without figures."""
    if not summary.members:
        return []
    drawn = (_petitions(summary), _on_time(summary), _reception(summary), _comparison(summary))
    return [picture for picture in drawn if picture is not None]
