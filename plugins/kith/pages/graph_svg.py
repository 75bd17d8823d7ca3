"""Drawing the network graph: a seeded force-directed layout, then inline SVG.

Computed at build time in plain Python, so the page needs no JavaScript and
nothing from the network. The layout is Fruchterman–Reingold with the
repulsion limited to nearby people through a grid, so each iteration costs
about linear time in the number of people drawn.
"""

from __future__ import annotations

import html
import math
import random
from collections import Counter
from collections.abc import Callable, Mapping, Sequence

from kith.analyses.graph import Graph, Memo
from kith.core.model import Contact

WIDTH, HEIGHT = 720, 540
XLINK = "http://www.w3.org/1999/xlink"
MARGIN = 24
LABEL_ALL_UP_TO = 80
"""Name every node in a small drawing; in a larger one, only the best-connected core people."""
LABELS_AT_MOST = 40

PALETTE = (
    "#4e79a7",
    "#f28e2b",
    "#e15759",
    "#76b7b2",
    "#59a14f",
    "#edc948",
    "#b07aa1",
    "#ff9da7",
    "#9c755f",
)
"""Mid-tone colours that read on Material's light and dark backgrounds alike."""
OTHER_COLOUR = "#9d9d9d"
OTHER = "Other"
NO_INDUSTRY = "No industry"

RADIUS = {"core": 10.0, "active": 7.5, "network": 5.5, "prospect": 4.5}
ARCHIVED_RADIUS = 4.0


def layout(
    graph: Graph, seed: int = 7, iterations: int | None = None, memo: Memo | None = None
) -> dict[str, tuple[float, float]]:
    """``src_uri`` → position in ``WIDTH`` × ``HEIGHT``; the same graph, the same picture.
    With a ``memo``, a serve rebuild whose edit left the graph as it was (most edits: a
    log line, a phone number) does not lay it out again."""
    if memo is None:
        return _compute_layout(graph, seed, iterations)
    key = (
        "layout",
        tuple(c.src_uri for c in graph.nodes),
        tuple((e.a, e.b, e.weight) for e in graph.edges),
        seed,
        iterations,
    )
    if key not in memo:
        memo[key] = _compute_layout(graph, seed, iterations)
    return dict(memo[key])


def _compute_layout(
    graph: Graph, seed: int, iterations: int | None
) -> dict[str, tuple[float, float]]:
    uris = [c.src_uri for c in graph.nodes]
    n = len(uris)
    if n == 0:
        return {}
    if n == 1:
        return {uris[0]: (WIDTH / 2, HEIGHT / 2)}
    index = {uri: i for i, uri in enumerate(uris)}
    edges = [(index[e.a], index[e.b], min(3.0, 1.0 + 0.5 * (e.weight - 1))) for e in graph.edges]
    rng = random.Random(seed)
    side = math.sqrt(n) * 60.0
    xs = [rng.uniform(-side, side) for _ in range(n)]
    ys = [rng.uniform(-side, side) for _ in range(n)]
    k = 60.0  # preferred distance between linked people, in layout units
    cell = 2 * k
    rounds = (
        iterations if iterations is not None else (300 if n <= 100 else 150 if n <= 300 else 90)
    )
    temperature = side / 4
    cooling = temperature / (rounds + 1)
    for _ in range(rounds):
        dx = [0.0] * n
        dy = [0.0] * n
        grid: dict[tuple[int, int], list[int]] = {}
        for i in range(n):
            grid.setdefault((int(xs[i] // cell), int(ys[i] // cell)), []).append(i)
        for (gx, gy), members in grid.items():
            # each pair once: within the cell, and with the four cells "after" it
            for at, i in enumerate(members):
                _repel(i, members[at + 1 :], xs, ys, dx, dy, k, cell)
            for ox, oy in _FORWARD:
                others = grid.get((gx + ox, gy + oy))
                if others:
                    for i in members:
                        _repel(i, others, xs, ys, dx, dy, k, cell)
        for a, b, strength in edges:
            ddx, ddy = xs[a] - xs[b], ys[a] - ys[b]
            d = math.sqrt(ddx * ddx + ddy * ddy) or 0.01
            pull = d / k * strength
            dx[a] -= ddx * pull
            dy[a] -= ddy * pull
            dx[b] += ddx * pull
            dy[b] += ddy * pull
        for i in range(n):
            # gravity keeps separate circles and loners on the page
            dx[i] -= xs[i] * 0.03
            dy[i] -= ys[i] * 0.03
            length = math.sqrt(dx[i] * dx[i] + dy[i] * dy[i])
            if length > 0:
                step = min(length, temperature)
                xs[i] += dx[i] / length * step
                ys[i] += dy[i] / length * step
        temperature -= cooling
    return _fit(uris, xs, ys)


_FORWARD = ((1, -1), (1, 0), (1, 1), (0, 1))


def _repel(
    i: int,
    others: Sequence[int],
    xs: list[float],
    ys: list[float],
    dx: list[float],
    dy: list[float],
    k: float,
    cell: float,
) -> None:
    """Push ``i`` and each of ``others`` apart (k²/d), if closer than one grid cell."""
    xi, yi = xs[i], ys[i]
    limit = cell * cell
    for j in others:
        ddx, ddy = xi - xs[j], yi - ys[j]
        d2 = ddx * ddx + ddy * ddy
        if d2 > limit:
            continue
        if d2 < 1e-6:  # on the same spot: nudge apart in a fixed direction
            ddx, ddy, d2 = 0.1, 0.05 * ((i + j) % 3 - 1), 0.0125
        force = k * k / d2
        dx[i] += ddx * force
        dy[i] += ddy * force
        dx[j] -= ddx * force
        dy[j] -= ddy * force


def _fit(
    uris: Sequence[str], xs: Sequence[float], ys: Sequence[float]
) -> dict[str, tuple[float, float]]:
    """Scale into the drawing, leaving room on the right for names."""
    left, right, top, bottom = min(xs), max(xs), min(ys), max(ys)
    span_x, span_y = (right - left) or 1.0, (bottom - top) or 1.0
    room_x, room_y = WIDTH - 2 * MARGIN - 100, HEIGHT - 2 * MARGIN
    scale = min(room_x / span_x, room_y / span_y)
    offset_x = MARGIN + (room_x - span_x * scale) / 2
    offset_y = MARGIN + (room_y - span_y * scale) / 2
    return {
        uri: (
            round(offset_x + (x - left) * scale, 1),
            round(offset_y + (y - top) * scale, 1),
        )
        for uri, x, y in zip(uris, xs, ys, strict=True)
    }


def industry_colours(people: Sequence[Contact]) -> dict[str, str]:
    """Industry → colour, most common first; beyond the palette they share ``Other``'s grey."""
    counts = Counter(c.industries[0] if c.industries else NO_INDUSTRY for c in people)
    ranked = sorted(
        (i for i in counts if i != NO_INDUSTRY), key=lambda i: (-counts[i], i.casefold())
    )
    colours = {industry: colour for industry, colour in zip(ranked, PALETTE, strict=False)}
    for industry in ranked[len(PALETTE) :]:
        colours[industry] = OTHER_COLOUR
    if NO_INDUSTRY in counts:
        colours[NO_INDUSTRY] = OTHER_COLOUR
    return colours


def legend(colours: Mapping[str, str]) -> list[tuple[str, str]]:
    """``(label, colour)`` for the key under the drawing; the grey ones folded into one."""
    shown = [(industry, colour) for industry, colour in colours.items() if colour != OTHER_COLOUR]
    greys = [industry for industry, colour in colours.items() if colour == OTHER_COLOUR]
    if greys:
        label = (
            NO_INDUSTRY
            if greys == [NO_INDUSTRY]
            else OTHER
            if NO_INDUSTRY not in greys
            else (f"{OTHER} or none")
        )
        shown.append((label, OTHER_COLOUR))
    return shown


Box = tuple[float, float, float, float]


def _overlaps(box: Box, others: Sequence[Box]) -> int:
    """How many of ``others`` the box overlaps."""
    left, top, right, bottom = box
    return sum(
        left < o_right and o_left < right and top < o_bottom and o_top < bottom
        for o_left, o_top, o_right, o_bottom in others
    )


def label_positions(
    people: Sequence[Contact], positions: Mapping[str, tuple[float, float]]
) -> dict[str, tuple[float, float, str]]:
    """Where each name goes (``x``, ``y``, ``text-anchor``): right of the circle, else left,
    above or below, whichever first clears the circles and the names placed so far.

    Greedy, biggest circles first; the widths are estimates (11px sans-serif).
    """
    circles: list[Box] = []
    for contact in people:
        x, y = positions[contact.src_uri]
        r = radius(contact)
        circles.append((x - r, y - r, x + r, y + r))
    placed: list[Box] = []
    found: dict[str, tuple[float, float, str]] = {}
    for contact in sorted(people, key=lambda c: (-radius(c), c.name.casefold(), c.src_uri)):
        x, y = positions[contact.src_uri]
        r = radius(contact)
        width = 6.0 * len(contact.name) + 2
        candidates = [
            ((x + r + 3, y + 4, "start"), (x + r + 2, y - 6, x + r + 3 + width, y + 6)),
            ((x - r - 3, y + 4, "end"), (x - r - 3 - width, y - 6, x - r - 2, y + 6)),
            ((x, y - r - 4, "middle"), (x - width / 2, y - r - 15, x + width / 2, y - r - 2)),
            ((x, y + r + 12, "middle"), (x - width / 2, y + r + 2, x + width / 2, y + r + 15)),
        ]
        # the first spot that is clear, else the one that covers the fewest things
        choice, box = min(
            candidates,
            key=lambda c: _overlaps(c[1], placed) + _overlaps(c[1], circles),
        )
        placed.append(box)
        found[contact.src_uri] = (round(choice[0], 1), round(choice[1], 1), choice[2])
    return found


def radius(contact: Contact) -> float:
    return ARCHIVED_RADIUS if contact.archived else RADIUS.get(contact.tier, RADIUS["network"])


def _attr(value: str) -> str:
    return html.escape(value, quote=True)


def draw_svg(
    graph: Graph,
    positions: Mapping[str, tuple[float, float]],
    colours: Mapping[str, str],
    href: Callable[[Contact], str],
) -> str:
    """The drawing as one ``<svg>`` element (well-formed XML; every value escaped).

    Each person is a circle inside a link to their page, with their name as
    ``<title>`` (shown on hover); introductions are solid lines, mentions dashed.
    Links use ``xlink:href``: Material's instant navigation rewrites every
    ``[href]`` element's ``href`` property, which an SVG link only has as a
    read-only getter (a script error); ``xlink:href`` works in every browser
    and stays out of its way.
    """
    labelled = list(graph.nodes)
    if len(graph.nodes) > LABEL_ALL_UP_TO:
        core = [c for c in graph.nodes if c.tier == "core" and not c.archived]
        core.sort(key=lambda c: (-len(graph.neighbours[c.src_uri]), c.name.casefold()))
        labelled = core[:LABELS_AT_MOST]
    labels = label_positions(labelled, positions)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="{XLINK}" class="kith-graph-svg" '
        f'viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'aria-label="Network graph of {len(graph.nodes)} people">',
        '<g class="kith-edges" stroke="#8c8c8c" stroke-opacity="0.7">',
    ]
    for edge in graph.edges:
        (x1, y1), (x2, y2) = positions[edge.a], positions[edge.b]
        kind = "intro" if edge.introductions else "mention"
        dash = "" if edge.introductions else ' stroke-dasharray="5 4"'
        width = min(3.0, 1.0 + 0.5 * (edge.weight - 1))
        parts.append(
            f'<line class="kith-edge-{kind}" x1="{x1}" y1="{y1}" x2="{x2}" y2="{y2}" '
            f'stroke-width="{width}"{dash}/>'
        )
    parts.append("</g>")
    # names under circles, so a name never hides someone's circle; each name links too
    parts.append('<g class="kith-labels">')
    for contact in labelled:
        lx, ly, anchor = labels[contact.src_uri]
        parts.append(
            f'<a xlink:href="{_attr(href(contact))}">'
            f'<text x="{lx}" y="{ly}" text-anchor="{anchor}">{_attr(contact.name)}</text></a>'
        )
    parts.append("</g>")
    parts.append('<g class="kith-nodes">')
    # small circles drawn last (on top), so big ones never hide them
    for contact in sorted(graph.nodes, key=lambda c: (-radius(c), c.name.casefold(), c.src_uri)):
        x, y = positions[contact.src_uri]
        industry = contact.industries[0] if contact.industries else NO_INDUSTRY
        colour = colours.get(industry, OTHER_COLOUR)
        classes = f"kith-node kith-node-{_attr(contact.tier)}"
        if contact.archived:
            classes += " kith-node-archived"
        parts.append(
            f'<a xlink:href="{_attr(href(contact))}" class="{classes}">'
            f"<title>{_attr(contact.name)}</title>"
            f'<circle cx="{x}" cy="{y}" r="{radius(contact)}" fill="{colour}" '
            f'stroke="#ffffff" stroke-width="1.5"/></a>'
        )
    parts.append("</g>")
    parts.append("</svg>")
    return "\n".join(parts)
