"""Charts of data contributions, drawn with matplotlib: SVG for the site and the PDF, PNG for DOCX.

Shared by all renderers (like ``pandoc.py``) and imported lazily, so ``redaktion check``
never loads matplotlib. Every chart is drawn from a :class:`~redaktion.model.Chart`, which
``assemble`` built from the CSV table; the same table stands in the draft right below the
chart, so no number exists only in the picture.

Design rules:

* Reproducible bytes: a fixed ``svg.hashsalt`` (ids of clip paths), no date in the metadata,
  fonts from matplotlib's own DejaVu Sans, PNG without a "Software" stamp.
* Labels stay text (``svg.fonttype: none``): searchable, selectable, sharp at every zoom.
  Typst draws that text with matplotlib's DejaVu Sans, which :mod:`redaktion.util.fonts` gives it.
* Colour is never the only carrier of meaning: bars carry their value, the second series of
  a bar group is hatched, lines have distinct markers and dash patterns and a direct label.
  The colours come from the Okabe–Ito palette (distinguishable with colour vision
  deficiencies), without its yellow, which is too light on white.
"""

from __future__ import annotations

import functools
import hashlib
import io
import math
from pathlib import Path
from xml.sax.saxutils import escape

from ..util.cachefiles import read, store
from ..source.data import format_number, format_value
from ..model import Chart

# Okabe–Ito without yellow (#F0E442), ordered so that neighbours differ in lightness too.
COLOURS = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#000000", "#E69F00", "#56B4E9", "#6E6E6E")
MARKERS = ("o", "s", "^", "D", "v", "P", "X", "*")
DASHES = ("-", "--", ":", "-.", (0, (5, 1.5, 1, 1.5, 1, 1.5)), (0, (8, 2)), (0, (1, 1)), (0, (3, 1, 3, 3)))
HATCHES = ("", "////", "....", "xxxx")
TEXT = "#1a1a1a"
GRID = "#d0d0d0"
WIDTH_IN = 6.2  # the PDF's text width (15.8 cm), so Typst shows the chart at 1:1
FONT = "DejaVu Sans"
PNG_DPI = 200

RC = {
    "font.family": "sans-serif",
    "font.sans-serif": [FONT],
    "font.size": 9,
    "text.color": TEXT,
    "axes.labelcolor": TEXT,
    "axes.edgecolor": "#555555",
    "xtick.color": TEXT,
    "ytick.color": TEXT,
    "hatch.linewidth": 0.8,
    "svg.fonttype": "none",
    "svg.hashsalt": "redaktion",
    "path.simplify": False,
}


def render_svg(chart: Chart) -> bytes:
    """The chart as SVG (text stays text), with its text alternative as ``<title>``."""
    buffer = io.BytesIO()
    with _figure(chart) as figure:
        figure.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
    svg = buffer.getvalue().decode("utf-8")
    start = svg.index("<svg")
    end = svg.index(">", start) + 1
    title = f"<title>{escape(chart.alt)}</title>"
    head = svg[start:end].replace("<svg ", '<svg role="img" ', 1)
    return (svg[:start] + head + title + svg[end:]).encode("utf-8")


def render_png(chart: Chart, dpi: int = PNG_DPI) -> bytes:
    """The chart as PNG (for Word, which shows SVG only in recent versions)."""
    buffer = io.BytesIO()
    with _figure(chart) as figure:
        figure.savefig(buffer, format="png", dpi=dpi, metadata={"Software": None})
    return buffer.getvalue()


def render(chart: Chart, fmt: str, cache: Path | None = None) -> bytes:
    """The chart as ``svg`` or ``png``, kept under ``cache`` by a key over its data and this code.

    Site, PDF and DOCX draw the same charts; with a cache each is drawn once per change.
    """
    draw = render_svg if fmt == "svg" else render_png
    if cache is None:
        return draw(chart)
    path = cached_chart_path(chart, fmt, cache)
    cached = read(path)
    if cached is not None:
        return cached
    data = draw(chart)
    store(path, data)
    return data


def cached_chart_path(chart: Chart, fmt: str, cache: Path) -> Path:
    """Where :func:`render` keeps ``chart`` as ``fmt`` in ``cache`` (the file may not exist yet)."""
    digest = hashlib.sha256(f"{fmt}\n{chart!r}\n{_matplotlib_version()}".encode())
    digest.update(_own_source())
    return cache / f"{chart.id}-{digest.hexdigest()[:20]}.{fmt}"


@functools.lru_cache(maxsize=1)
def _matplotlib_version() -> str:
    # From the package metadata: importing matplotlib only to learn that a chart is cached
    # would cost a fifth of a second.
    from importlib.metadata import version

    return version("matplotlib")


@functools.lru_cache(maxsize=1)
def _own_source() -> bytes:
    return Path(__file__).read_bytes()


def chart_cache(root: Path) -> Path:
    """Where drawn charts of the project in ``root`` are kept between builds."""
    return Path(root) / "build" / ".cache" / "charts"


def write_charts(charts: list[Chart], folder: Path, fmt: str, cache: Path | None = None) -> dict[str, Path]:
    """Render every chart into ``folder`` as ``<id>.<fmt>``; return id → file."""
    folder.mkdir(parents=True, exist_ok=True)
    files = {}
    for chart in charts:
        path = folder / f"{chart.id}.{fmt}"
        path.write_bytes(render(chart, fmt, cache))
        files[chart.id] = path
    return files


# --- drawing ------------------------------------------------------------------------------------


class _figure:
    """Context manager: a matplotlib Figure of ``chart`` under the house style, closed afterwards."""

    def __init__(self, chart: Chart):
        self.chart = chart
        self._rc = None

    def __enter__(self):  # noqa: ANN204 - matplotlib types stay local to this module
        import matplotlib
        from matplotlib.figure import Figure

        self._rc = matplotlib.rc_context(RC)
        self._rc.__enter__()
        draw = _draw_bars if self.chart.kind == "balken" else _draw_lines
        figure = Figure(figsize=(WIDTH_IN, _height(self.chart)))
        draw(figure, self.chart)
        return figure

    def __exit__(self, *exc: object) -> None:
        assert self._rc is not None
        self._rc.__exit__(*exc)


def _height(chart: Chart) -> float:
    if chart.kind == "balken":
        per_category = 0.17 * len(chart.series) + 0.13
        legend = 0.35 if len(chart.series) > 1 else 0.0
        return round(0.75 + legend + per_category * len(chart.categories), 2)
    return 3.6


def _unit_label(unit: str) -> str:
    return f"Angaben {unit}" if unit.startswith("je ") else f"Angaben in {unit}"


def _value_axis(axis, decimals: int) -> None:  # noqa: ANN001
    """Round ticks (steps of 1, 2, 5, 10) with German number formatting."""
    from matplotlib.ticker import MaxNLocator

    axis.set_major_locator(MaxNLocator(nbins=6, steps=[1, 2, 5, 10]))
    axis.set_major_formatter(_tick_formatter(decimals))


def _tick_formatter(decimals: int):  # noqa: ANN202
    from matplotlib.ticker import FuncFormatter

    def german(value: float, _position: int) -> str:
        places = 0 if float(value).is_integer() else max(1, decimals)
        return format_number(value, places)

    return FuncFormatter(german)


def _style_axes(ax, value_axis: str) -> None:  # noqa: ANN001
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    ax.set_axisbelow(True)
    ax.grid(axis=value_axis, color=GRID, linewidth=0.6)
    ax.tick_params(length=3)


def _draw_bars(figure, chart: Chart) -> None:  # noqa: ANN001
    """Horizontal bars, one group per member, largest value on top; every bar labelled."""
    n = len(chart.series)
    legend_space = 0.35 if n > 1 else 0.0
    height = _height(chart)
    left = 0.2 + 0.075 * max((len(c) for c in chart.categories), default=5)
    figure.subplots_adjust(left=left / WIDTH_IN, right=0.97, top=1 - (0.12 + legend_space) / height,
                           bottom=0.5 / height)
    ax = figure.add_subplot()
    _style_axes(ax, "x")
    bar = 0.8 / n
    values = [v for s in chart.series for v in s.values if v is not None]
    ax.set_xlim(0, max(values, default=1.0) * 1.12 or 1.0)
    positions = range(len(chart.categories))
    for index, series in enumerate(chart.series):
        ys = [p - 0.4 + bar * (index + 0.5) for p in positions]
        widths = [v or 0 for v in series.values]
        bars = ax.barh(ys, widths, height=bar * 0.92, color=COLOURS[index * 5 % len(COLOURS)],
                       edgecolor=TEXT, linewidth=0.6, hatch=HATCHES[index % len(HATCHES)], label=series.label)
        labels = [format_value(v, chart.decimals) for v in series.values]
        ax.bar_label(bars, labels=labels, padding=3, fontsize=8.5)
    ax.set_yticks(list(positions), chart.categories)
    ax.invert_yaxis()  # the first (largest) category on top
    ax.tick_params(axis="y", length=0)
    _value_axis(ax.xaxis, chart.decimals)
    ax.set_xlabel(_unit_label(chart.unit))
    if n > 1:
        figure.legend(loc="upper left", bbox_to_anchor=(0.01, 1 - 0.06 / height), ncols=n, frameon=False,
                      handlelength=2.2, handleheight=1.1, borderaxespad=0.0)


def _draw_lines(figure, chart: Chart) -> None:  # noqa: ANN001
    """One line per series with marker and dash pattern, labelled directly at its last value."""
    label_width = 0.085 * max((len(s.label) for s in chart.series), default=6) + 0.55
    height = _height(chart)
    figure.subplots_adjust(left=0.5 / WIDTH_IN, right=1 - label_width / WIDTH_IN, top=1 - 0.4 / height,
                           bottom=0.35 / height)
    ax = figure.add_subplot()
    _style_axes(ax, "y")
    xs = list(range(len(chart.categories)))
    values = [v for s in chart.series for v in s.values if v is not None]
    low, high = min(values, default=0.0), max(values, default=1.0)
    pad = (high - low) * 0.08 or 1.0
    ax.set_ylim(max(0.0, low - pad) if low >= 0 else low - pad, high + pad)
    ax.set_xlim(-0.15, len(xs) - 1 + 0.15)
    ends: list[tuple[float, str, int]] = []
    for index, series in enumerate(chart.series):
        ys = [math.nan if v is None else v for v in series.values]
        colour = COLOURS[index % len(COLOURS)]
        ax.plot(xs, ys, color=colour, linestyle=DASHES[index % len(DASHES)], linewidth=1.6,
                marker=MARKERS[index % len(MARKERS)], markersize=6, markeredgecolor=TEXT, markeredgewidth=0.6,
                label=series.label)
        last = next(((x, v) for x, v in zip(reversed(xs), reversed(series.values)) if v is not None), None)
        if last is not None:
            ends.append((last[1], f"{series.label} {format_number(last[1], chart.decimals)}", index))
    _direct_labels(figure, ax, ends, len(xs) - 1)
    ax.set_xticks(xs, chart.categories)
    _value_axis(ax.yaxis, chart.decimals)
    # The unit reads horizontally above the value axis instead of rotated along it.
    figure.text(0.1 / WIDTH_IN, 1 - 0.1 / height, _unit_label(chart.unit), va="top", ha="left")


def _direct_labels(figure, ax, ends: list[tuple[float, str, int]], x_last: float) -> None:  # noqa: ANN001
    """Labels right of the lines' ends, pushed apart so that they never overlap."""
    bottom, top = ax.get_ylim()
    axes_height_pt = figure.get_figheight() * 72 * (figure.subplotpars.top - figure.subplotpars.bottom)
    gap = (top - bottom) * 11.5 / axes_height_pt  # one label line in data units
    placed: list[float] = []
    for value, _, _ in sorted(ends):
        y = value if not placed else max(value, placed[-1] + gap)
        placed.append(y)
    overflow = placed[-1] - top if placed else 0
    if overflow > 0:  # shift the whole stack down, keeping the spacing
        placed = [y - overflow for y in placed]
        for i in range(len(placed) - 2, -1, -1):
            placed[i] = min(placed[i], placed[i + 1] - gap)
    for (value, text, index), y in zip(sorted(ends), placed):
        ax.annotate(text, xy=(x_last, value), xytext=(x_last + 0.2, y), textcoords="data",
                    va="center", ha="left", fontsize=8.5, color=TEXT, annotation_clip=False,
                    arrowprops={"arrowstyle": "-", "color": COLOURS[index % len(COLOURS)], "linewidth": 0.7,
                                "shrinkA": 0, "shrinkB": 4} if abs(y - value) > gap * 0.3 else None)
