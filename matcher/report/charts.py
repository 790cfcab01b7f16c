"""The report's charts, drawn with matplotlib and embedded as SVG images.

Each chart is an <img> with a data: URI, so the page fetches nothing and the ids inside one SVG
cannot clash with another's. Figures are made without pyplot (no global state) and saved with
a fixed hash salt and no date, so the same data gives byte-identical SVG.
"""

from __future__ import annotations

import base64
import functools
import io
import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final, ParamSpec

import matplotlib
import numpy as np
from matplotlib.collections import LineCollection
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

# Okabe–Ito: distinguishable with the common colour-vision deficiencies, and in greyscale print.
BLUE, ORANGE, GREEN, VERMILLION, SKY, PURPLE, YELLOW, GREY = (
    "#0072B2", "#E69F00", "#009E73", "#D55E00", "#56B4E9", "#CC79A7", "#F0E442", "#999999",
)  # fmt: skip
SERIES = (BLUE, ORANGE, GREEN, VERMILLION, SKY, PURPLE, YELLOW, GREY)
# Policies' lines differ in dash as well as colour: identical results stay visible, and
# a black-and-white print still tells them apart.
DASHES = ("solid", (0, (5, 2)), (0, (1, 1.5)), (0, (6, 2, 1, 2)))
# Above this many points a layer is embedded as a raster inside the SVG: a city-sized map
# stays a few hundred kB instead of megabytes of vector paths.
RASTER_FROM = 2000
P = ParamSpec("P")
_DRAWING = threading.RLock()

# Any: matplotlib types rc keys as one long Literal.
_STYLE: Any = {
    "svg.hashsalt": "matcher",
    "svg.fonttype": "none",  # text stays text: sharp in print, searchable, small
    "font.family": "sans-serif",
    "font.size": 9,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.titlesize": 10,
    "axes.titleweight": "bold",
    "legend.frameon": False,
}


SVG_URI: Final = "data:image/svg+xml;base64,"


@dataclass(frozen=True)
class Chart:
    """An embedded image: the data URI and its text alternative."""

    uri: str
    alt: str

    @property
    def svg(self) -> bytes:
        """The image itself (served on its own by the web app)."""
        return base64.b64decode(self.uri.removeprefix(SVG_URI))


def _styled(chart: Callable[P, Chart]) -> Callable[P, Chart]:
    """Draws the chart, figure to saved SVG, in the report's style (not the global one).

    One chart at a time in a process: matplotlib's style is global, and a chart drawn while
    another thread's style context ends comes out in other sizes (the web app draws the
    Evaluatie page's two charts for two requests at once)."""

    @functools.wraps(chart)
    def styled(*args: P.args, **kwargs: P.kwargs) -> Chart:
        with _DRAWING, matplotlib.rc_context(_STYLE):
            return chart(*args, **kwargs)

    return styled


def _render(fig: Figure, alt: str) -> Chart:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="svg", bbox_inches="tight", metadata={"Date": None})
    return Chart(SVG_URI + base64.b64encode(buffer.getvalue()).decode(), alt)


def _figure(width: float, height: float) -> Figure:
    return Figure(figsize=(width, height), layout="constrained")


@_styled
def tier_mix(
    tiers: Sequence[str],
    matched: Sequence[int],
    waiting: Sequence[int],
    labels: Mapping[str, str],
    *,
    hide_below: int = 0,
) -> Chart:
    """Clients per risk tier: proposed and still waiting, as stacked horizontal bars.

    Counts from 1 to hide_below - 1 are written "<k" and not drawn (a shared report)."""

    def said(n: int) -> str:
        return f"<{hide_below}" if 0 < n < hide_below else str(n)

    if hide_below:
        told = [(said(m), said(w)) for m, w in zip(matched, waiting, strict=True)]
        matched = [m if m >= hide_below else 0 for m in matched]
        waiting = [w if w >= hide_below else 0 for w in waiting]
    else:
        told = [(str(m), str(w)) for m, w in zip(matched, waiting, strict=True)]
    fig = _figure(6.0, 0.5 + 0.45 * len(tiers))
    ax = fig.add_subplot()
    y = np.arange(len(tiers))
    names = [labels[t] for t in tiers]
    ax.barh(y, matched, color=BLUE, label=labels["matched"])
    ax.barh(y, waiting, left=matched, color=ORANGE, label=labels["waiting"])
    for k, (m, w) in enumerate(zip(matched, waiting, strict=True)):
        ax.text(m + w, k, f"  {told[k][0]} + {told[k][1]}", va="center")
    ax.set_yticks(y, names)
    ax.invert_yaxis()
    ax.set_xlabel(labels["clients_label"])
    ax.set_xlim(0, max(1, *(m + w for m, w in zip(matched, waiting, strict=True))) * 1.2)
    ax.legend(loc="lower right", ncols=2, bbox_to_anchor=(1, 1.02))
    alt = "; ".join(
        f"{n}: {m} {labels['matched']}, {w} {labels['waiting']}"
        for n, (m, w) in zip(names, told, strict=True)
    )
    return _render(fig, alt)


@dataclass(frozen=True)
class MapData:
    """Positions in km from the centre of everyone drawn (east, north)."""

    volunteers: np.ndarray  # (n, 2)
    matched_clients: np.ndarray
    waiting_clients: np.ndarray
    pairs: np.ndarray  # (n, 2, 2): client, volunteer
    phone_pairs: np.ndarray


@_styled
def map_plot(data: MapData, labels: Mapping[str, str], *, alt: str | None = None) -> Chart:
    """A map-like scatter of clients and volunteers with the proposed pairs drawn."""
    fig = _figure(6.5, 5.2)
    ax = fig.add_subplot()
    heavy = (
        len(data.volunteers) + len(data.matched_clients) + len(data.waiting_clients) > RASTER_FROM
    )
    for segments, style in ((data.pairs, "solid"), (data.phone_pairs, "dotted")):
        if len(segments):
            lines = LineCollection(
                list(segments), colors=GREY, linewidths=0.8, linestyles=style, rasterized=heavy
            )
            ax.add_collection(lines)
    # Volunteers last, on top: in a crowded region they are the fewest and the sparsest.
    layers = (
        (data.waiting_clients, ORANGE, "s", labels["waiting"]),
        (data.matched_clients, BLUE, "o", labels["matched"]),
        (data.volunteers, GREEN, "^", labels["volunteers"]),
    )
    size = 8 if heavy else 28
    for points, colour, marker, label in layers:
        if len(points):
            ax.scatter(
                points[:, 0], points[:, 1], s=size, c=colour, marker=marker, label=label,
                edgecolors="white", linewidths=0.3, rasterized=heavy, zorder=3,
                alpha=0.6 if heavy else 1.0,
            )  # fmt: skip
    ax.set_aspect("equal", adjustable="datalim")
    ax.set_xlabel(labels["east_km"])
    ax.set_ylabel(labels["north_km"])
    ax.grid(True, color="#e5e5e5", linewidth=0.5)
    ax.legend(loc="lower left", bbox_to_anchor=(0, 1.01), ncols=3)
    alt = alt or (
        f"{len(data.volunteers)} {labels['volunteers_label']},"
        f" {len(data.matched_clients)} {labels['matched']},"
        f" {len(data.waiting_clients)} {labels['unmatched_label']},"
        f" {len(data.pairs) + len(data.phone_pairs)} {labels['pairs_label']}"
    )
    return _render(fig, alt)


@_styled
def volunteer_loads(
    names: Sequence[str],
    taken: Sequence[float],
    proposed: Sequence[float],
    capacity: Sequence[float],
    labels: Mapping[str, str],
    *,
    unit: str = "places",
) -> Chart:
    """One bar per volunteer: places (or hours, `unit="hours"`) taken before, proposed now,
    still free."""
    fig = _figure(6.0, 0.6 + 0.22 * len(names))
    ax = fig.add_subplot()
    y = np.arange(len(names))
    taken_a, proposed_a = np.asarray(taken), np.asarray(proposed)
    free = np.maximum(np.asarray(capacity) - taken_a - proposed_a, 0)
    ax.barh(y, taken_a, color=GREY, label=labels["taken"])
    ax.barh(y, proposed_a, left=taken_a, color=BLUE, label=labels["proposed_load"])
    ax.barh(y, free, left=taken_a + proposed_a, color="white", edgecolor=GREY,
            linewidth=0.6, label=labels["free"])  # fmt: skip
    ax.set_yticks(y, names, fontsize=7)
    ax.invert_yaxis()
    ax.set_xlabel(labels[unit])
    if unit == "places":
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.legend(loc="lower left", bbox_to_anchor=(0, 1.0), ncols=3)
    alt = f"{len(names)} {labels['volunteers_label']}: {_amount(proposed_a.sum(), unit)}"
    alt += f" {labels['proposed_load']}, {_amount(free.sum(), unit)} {labels['free']}"
    if unit != "places":
        alt += f" ({labels[unit]})"
    return _render(fig, alt)


def _amount(value: float, unit: str) -> str:
    return str(int(value)) if unit == "places" else f"{float(value):g}"


@_styled
def free_places_histogram(
    free_after: Sequence[float], labels: Mapping[str, str], *, unit: str = "places"
) -> Chart:
    """For pools too large for a bar each: how many volunteers have 0, 1, 2 … places left, or
    (`unit="hours"`) 0, 1, 2 … whole hours a week left."""
    fig = _figure(6.0, 2.6)
    ax = fig.add_subplot()
    counts = np.bincount(np.floor(np.asarray(free_after, dtype=float)).astype(np.int64))
    ax.bar(np.arange(len(counts)), counts, color=BLUE)
    ax.set_xlabel(labels["free_places" if unit == "places" else "free_hours"])
    ax.set_ylabel(labels["volunteers_label"])
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_title(labels["volunteers_by_places" if unit == "places" else "volunteers_by_hours"],
                 loc="left")  # fmt: skip
    alt = ", ".join(f"{n} × {k}" for k, n in enumerate(counts.tolist()) if n)
    return _render(fig, alt)


@_styled
def lines_per_tier(
    weeks: np.ndarray,
    series: Mapping[str, Mapping[str, np.ndarray]],
    tiers: Sequence[str],
    labels: Mapping[str, str],
) -> Chart:
    """Small multiples: one panel per risk tier, one line per policy."""
    fig = _figure(7.0, 2.6)
    axes = fig.subplots(1, len(tiers), sharey=True)
    for ax, tier in zip(np.atleast_1d(axes), tiers, strict=True):
        for k, (policy, by_tier) in enumerate(series.items()):
            ax.plot(weeks, by_tier[tier], color=SERIES[k % len(SERIES)], linewidth=1.3,
                    linestyle=DASHES[k % len(DASHES)], label=policy)  # fmt: skip
        ax.set_title(labels[tier], loc="left")
        ax.set_xlabel(labels["week"])
        ax.grid(True, color="#e5e5e5", linewidth=0.5)
    np.atleast_1d(axes)[0].set_ylabel(labels["mean_weeks_waited"])
    fig.legend(*np.atleast_1d(axes)[0].get_legend_handles_labels(), loc="outside lower center",
               ncols=min(4, len(series)))  # fmt: skip
    alt = f"{labels['wait_over_weeks']}: " + ", ".join(series)
    return _render(fig, alt)


@_styled
def lines(
    weeks: np.ndarray, series: Mapping[str, np.ndarray], ylabel: str, labels: Mapping[str, str]
) -> Chart:
    fig = _figure(7.0, 2.6)
    ax = fig.add_subplot()
    for k, (name, values) in enumerate(series.items()):
        ax.plot(weeks, values, color=SERIES[k % len(SERIES)], linewidth=1.3,
                linestyle=DASHES[k % len(DASHES)], label=name)  # fmt: skip
    ax.set_xlabel(labels["week"])
    ax.set_ylabel(ylabel)
    ax.grid(True, color="#e5e5e5", linewidth=0.5)
    ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0))
    return _render(fig, f"{ylabel}: " + ", ".join(series))


@_styled
def interval_bars(
    names: Sequence[str],
    stats: Sequence[Mapping[str, float]],
    xlabel: str,
    *,
    limit: float | None = None,
) -> Chart:
    """Mean per policy as a bar, its 95 % interval as a whisker."""
    fig = _figure(6.0, 0.6 + 0.3 * len(names))
    ax = fig.add_subplot()
    y = np.arange(len(names))
    means = np.array([s["mean"] for s in stats])
    error = np.array(
        [[s["mean"] - s["low"] for s in stats], [s["high"] - s["mean"] for s in stats]]
    )
    ax.barh(y, means, xerr=error, color=[SERIES[k % len(SERIES)] for k in range(len(names))],
            error_kw={"elinewidth": 0.8, "capsize": 2})  # fmt: skip
    for k, (mean, stat) in enumerate(zip(means.tolist(), stats, strict=True)):
        # Beside the whisker's end, where it hides nothing.
        ax.text(stat["high"], k, f"  {mean:.1f}" if abs(mean) >= 1 else f"  {mean:.2f}",
                va="center", fontsize=7)  # fmt: skip
    ax.set_yticks(y, names)
    ax.invert_yaxis()
    ax.set_xlabel(xlabel)
    if limit is not None:
        ax.set_xlim(0, limit)
    alt = "; ".join(
        f"{n}: {s['mean']:.2f} [{s['low']:.2f}–{s['high']:.2f}]"
        for n, s in zip(names, stats, strict=True)
    )
    return _render(fig, f"{xlabel}: {alt}")


@_styled
def interval_lines(
    x_labels: Sequence[str],
    series: Mapping[str, Sequence[Mapping[str, float] | None]],
    xlabel: str,
    ylabel: str,
    *,
    limit: float | None = None,
) -> Chart:
    """A metric against a varied key: one line per series, the 95 % interval as error bars.

    The x positions are the values in the order given (numbers or words such as `none`); a
    value where the metric is undefined leaves a gap."""
    fig = _figure(7.0, 2.8)
    ax = fig.add_subplot()
    x = np.arange(len(x_labels), dtype=float)
    spread = 0.06 * (len(series) - 1)
    for k, (name, stats) in enumerate(series.items()):
        # Side by side by a little, so equal intervals of two policies both stay visible.
        shift = (k - (len(series) - 1) / 2) * (spread / max(len(series) - 1, 1))
        mean = np.array([s["mean"] if s else np.nan for s in stats], dtype=float)
        low = np.array([s["low"] if s else np.nan for s in stats], dtype=float)
        high = np.array([s["high"] if s else np.nan for s in stats], dtype=float)
        ax.errorbar(x + shift, mean, yerr=[mean - low, high - mean], color=SERIES[k % len(SERIES)],
                    linestyle=DASHES[k % len(DASHES)], linewidth=1.3, marker="o", markersize=3,
                    capsize=2, elinewidth=0.8, label=name)  # fmt: skip
    ax.set_xticks(x, list(x_labels))
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    if limit is not None:
        ax.set_ylim(0, limit * 1.02)
    ax.grid(True, color="#e5e5e5", linewidth=0.5)
    ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0))
    alt = "; ".join(
        f"{name}: "
        + ", ".join(
            f"{label} {s['mean']:.2f} [{s['low']:.2f}–{s['high']:.2f}]" if s else f"{label} —"
            for label, s in zip(x_labels, stats, strict=True)
        )
        for name, stats in series.items()
    )
    return _render(fig, f"{ylabel} / {xlabel}: {alt}")


@_styled
def count_bars(names: Sequence[str], counts: Sequence[int], xlabel: str) -> Chart:
    """One bar per group (a funnel's stages, age bands), its count beside it."""
    fig = _figure(6.0, 0.6 + 0.3 * len(names))
    ax = fig.add_subplot()
    y = np.arange(len(names))
    ax.barh(y, counts, color=BLUE)
    for k, count in enumerate(counts):
        ax.text(count, k, f"  {count}", va="center", fontsize=7)
    ax.set_yticks(y, names)
    ax.invert_yaxis()
    ax.set_xlabel(xlabel)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    return _render(fig, count_bars_alt(names, counts, xlabel))


def count_bars_alt(names: Sequence[str], counts: Sequence[int], xlabel: str) -> str:
    """The text alternative of count_bars (without drawing it)."""
    alt = "; ".join(f"{name}: {count}" for name, count in zip(names, counts, strict=True))
    return f"{xlabel}: {alt}"
