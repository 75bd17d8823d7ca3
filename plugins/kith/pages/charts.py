"""Bar charts as inline SVG, drawn at build time: no JavaScript, no external request.

Colours come from CSS classes (``kith.css`` maps them to Material's palette
variables) with ``currentColor`` as the fallback, so a chart reads in light and
dark palettes alike. Each chart is an image to assistive technology
(``role="img"`` with a title and a description); pages put the same figures in
a table next to it.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

from kith.analyses.diversity import Mix, format_count, format_share, top

FONT_SIZE = 13
CHAR_WIDTH = 7.2
"""Rough width of a character at ``FONT_SIZE``: enough to leave room for labels."""


@dataclass(frozen=True)
class Bar:
    """One bar: what it is, how long it is, and the value printed beside it."""

    label: str
    value: float
    text: str = ""
    """The value as the chart prints it (``"41.7%"``); default: the number."""

    @property
    def shown(self) -> str:
        return self.text or f"{self.value:g}"


def horizontal_bars(
    bars: Sequence[Bar],
    title: str,
    description: str,
    chart_id: str,
    width: int = 640,
    row_height: int = 26,
    max_label: int = 28,
) -> str:
    """An SVG with one horizontal bar per item, lengths proportional to the values."""
    labels = [_shorten(bar.label, max_label) for bar in bars]
    label_width = math.ceil(max((len(label) for label in labels), default=0) * CHAR_WIDTH) + 12
    value_width = math.ceil(max((len(bar.shown) for bar in bars), default=0) * CHAR_WIDTH) + 12
    room = max(width - label_width - value_width, 40)
    top = max((bar.value for bar in bars), default=0.0)
    height = max(len(bars), 1) * row_height
    parts = [_open(width, height, title, description, chart_id)]
    for index, (bar, label) in enumerate(zip(bars, labels, strict=True)):
        y = index * row_height
        length = _scaled(bar.value, top, room)
        middle = y + row_height / 2
        parts.append(
            f'<g class="kith-chart-row"><title>{escape(bar.label)}: {escape(bar.shown)}</title>'
            f'<text class="kith-chart-label" x="{label_width - 8}" y="{_n(middle)}" '
            f'text-anchor="end" dominant-baseline="central">{escape(label)}</text>'
            f'<rect class="kith-bar" x="{label_width}" y="{_n(y + 4)}" width="{_n(length)}" '
            f'height="{row_height - 8}" rx="2" fill="currentColor"/>'
            f'<text class="kith-chart-value" x="{_n(label_width + length + 6)}" '
            f'y="{_n(middle)}" dominant-baseline="central">{escape(bar.shown)}</text></g>'
        )
    parts.append("</svg>")
    return "".join(parts)


def vertical_bars(
    bars: Sequence[Bar],
    title: str,
    description: str,
    chart_id: str,
    width: int = 640,
    height: int = 200,
    max_labels: int = 12,
) -> str:
    """An SVG with one column per item (a time series, say), heights proportional to values.

    Labels go under the columns; with more than ``max_labels`` columns only every
    n-th is labelled so that they do not overlap (each column's tooltip names it).
    """
    count = max(len(bars), 1)
    label_band, value_band = FONT_SIZE + 10, FONT_SIZE + 6
    room = max(height - label_band - value_band, 20)
    slot = width / count
    column = max(slot * 0.7, 1.0)
    top = max((bar.value for bar in bars), default=0.0)
    every = math.ceil(len(bars) / max_labels) if len(bars) > max_labels else 1
    parts = [_open(width, height, title, description, chart_id)]
    for index, bar in enumerate(bars):
        length = _scaled(bar.value, top, room)
        x = index * slot + (slot - column) / 2
        centre = index * slot + slot / 2
        base = value_band + room
        parts.append(
            f'<g class="kith-chart-column"><title>{escape(bar.label)}: {escape(bar.shown)}</title>'
            f'<rect class="kith-bar" x="{_n(x)}" y="{_n(base - length)}" width="{_n(column)}" '
            f'height="{_n(length)}" rx="2" fill="currentColor"/>'
        )
        if bar.value and len(bars) <= max_labels:
            parts.append(
                f'<text class="kith-chart-value" x="{_n(centre)}" y="{_n(base - length - 4)}" '
                f'text-anchor="middle">{escape(bar.shown)}</text>'
            )
        if index % every == 0:
            # A label at either edge is anchored inside the chart, not cut in half.
            half = len(bar.label) * CHAR_WIDTH / 2
            anchor, at = "middle", centre
            if centre - half < 0:
                anchor, at = "start", 0.0
            elif centre + half > width:
                anchor, at = "end", float(width)
            parts.append(
                f'<text class="kith-chart-label" x="{_n(at)}" y="{_n(base + FONT_SIZE + 4)}" '
                f'text-anchor="{anchor}">{escape(bar.label)}</text>'
            )
        parts.append("</g>")
    parts.append(
        f'<line class="kith-chart-axis" x1="0" x2="{width}" y1="{value_band + room}" '
        f'y2="{value_band + room}" stroke="currentColor"/></svg>'
    )
    return "".join(parts)


def _open(width: int, height: int, title: str, description: str, chart_id: str) -> str:
    ids = f"{chart_id}-title {chart_id}-desc"
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="kith-chart" id={quoteattr(chart_id)} '
        f'role="img" aria-labelledby={quoteattr(ids)} viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" font-size="{FONT_SIZE}" '
        f'preserveAspectRatio="xMinYMin meet">'
        f"<title id={quoteattr(chart_id + '-title')}>{escape(title)}</title>"
        f"<desc id={quoteattr(chart_id + '-desc')}>{escape(description)}</desc>"
    )


def _scaled(value: float, top: float, room: float) -> float:
    """Bar length: the largest value fills ``room``; negative values draw nothing."""
    return room * value / top if top > 0 and value > 0 else 0.0


def _shorten(label: str, limit: int) -> str:
    return label if len(label) <= limit else label[: limit - 1].rstrip() + "…"


def _n(value: float) -> str:
    """A coordinate with at most two decimals (``12``, ``12.5``)."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("", "-0") else text


def mix_chart(group: Mix, title: str, chart_id: str, limit: int = 25) -> str:
    """The mix as an SVG bar chart: one bar per category (at most ``limit``), with its share."""
    shown, others = top(group, limit)
    categories = [*shown, *([others] if others else [])]
    bars = [Bar(c.name, c.count, format_share(c.share)) for c in categories]
    description = "; ".join(
        f"{c.name}: {format_count(c.count)} of {group.known} ({format_share(c.share)})"
        for c in categories
    )
    return horizontal_bars(bars, title, description or "No data yet.", chart_id)
