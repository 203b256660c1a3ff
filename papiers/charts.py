"""The /stats chart: one PNG with scans by type, status, provider and agent (matplotlib's Agg
backend on a bare `Figure`, so no display and no pyplot global state: safe in a worker thread)."""

from __future__ import annotations

import io
from collections.abc import Mapping
from typing import TYPE_CHECKING, Final

from extraction.models import DocumentType
from papiers.i18n import N_, translate
from papiers.store import ScanStats
from papiers.summary import document_name

if TYPE_CHECKING:
    from matplotlib.axes import Axes

# The same words as /status and /history use for a scan's state.
STATUS_NAMES: Final = {
    "queued": N_("queued"),
    "processing": N_("reading"),
    "done": N_("done"),
    "failed": N_("failed"),
    "cancelled": N_("cancelled"),
}
TOP: Final = 10  # bars per panel; the rest is summed as "other"
COLOURS: Final = ("#2b6cb0", "#38a169", "#d69e2e", "#805ad5")


def _top(counts: Mapping[str, int], language: str) -> tuple[list[str], list[int]]:
    ordered = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    shown, rest = ordered[:TOP], ordered[TOP:]
    if rest:
        shown.append((translate(language, N_("other")), sum(count for _, count in rest)))
    shown.reverse()  # largest at the top of a horizontal bar chart
    return [label for label, _ in shown], [count for _, count in shown]


def _panel(axes: Axes, title: str, counts: Mapping[str, int], colour: str, language: str) -> None:
    labels, values = _top(counts, language)
    axes.set_title(title, fontsize=11, loc="left")
    if not values:
        axes.text(0.5, 0.5, "—", ha="center", va="center", transform=axes.transAxes)
        axes.set_axis_off()
        return
    bars = axes.barh(labels, values, color=colour)
    axes.bar_label(bars, padding=3, fontsize=8)
    axes.tick_params(axis="y", labelsize=8)
    axes.spines[["top", "right"]].set_visible(False)
    axes.set_xlim(0, max(values) * 1.15)


def euros(amount: float) -> str:
    """`1.25`, or `0.0123` for the small sums AI calls cost."""
    return f"{amount:.2f}" if amount >= 1 or amount == 0 else f"{amount:.4f}"


def status_label(key: str, language: str) -> str:
    return translate(language, STATUS_NAMES[key]) if key in STATUS_NAMES else key


def type_label(key: str, language: str) -> str:
    """A document type's name for a person; `none` (type never known) is a dash."""
    try:
        return document_name(DocumentType(key), language)
    except ValueError:
        return "—" if key == "none" else key


def seconds(ms: int | None) -> str:
    """`3.2 s`, or `—` when unknown."""
    return "—" if ms is None else f"{ms / 1000:.1f} s"


def stats_chart(stats: ScanStats, language: str, period: str) -> bytes:
    """A PNG (about 1200×800) of the period's numbers."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    figure = Figure(figsize=(12, 8), dpi=100, layout="constrained")
    FigureCanvasAgg(figure)
    figure.suptitle(
        translate(
            language,
            N_("{total} scans, {period} · median {median}, p95 {p95} · AI cost {cost} €"),
            total=stats.total,
            period=period,
            median=seconds(stats.median_ms),
            p95=seconds(stats.p95_ms),
            cost=euros(stats.cost_eur),
        ),
        fontsize=12,
    )
    grid = figure.subplots(2, 2)
    types = {type_label(key, language): count for key, count in stats.by_type.items()}
    statuses = {status_label(key, language): count for key, count in stats.by_status.items()}
    providers = {("—" if key == "none" else key): n for key, n in stats.by_provider.items()}
    agents = {str(user): count for user, count in stats.scans_per_user.items()}
    _panel(grid[0][0], translate(language, N_("By document type")), types, COLOURS[0], language)
    _panel(grid[0][1], translate(language, N_("By status")), statuses, COLOURS[1], language)
    _panel(grid[1][0], translate(language, N_("By provider")), providers, COLOURS[2], language)
    _panel(grid[1][1], translate(language, N_("By agent")), agents, COLOURS[3], language)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()
