"""The report's key charts as PNG images (matplotlib, no display): the targets against
their thresholds, and social-order crimes month by month against the same months a year
earlier. Labels in Vietnamese (DejaVu Sans carries every diacritic)."""

from __future__ import annotations

from io import BytesIO

import matplotlib

matplotlib.use("Agg")
from matplotlib import pyplot as plt  # noqa: E402

from pctp.reporting.figures import Printed  # noqa: E402

COLOURS = {"met": "#2e7d32", "at_risk": "#f9a825", "missed": "#c62828", "no_data": "#9e9e9e"}
FONT = {"family": "DejaVu Sans", "size": 9}


def _png(fig) -> bytes:
    out = BytesIO()
    fig.savefig(out, format="png", dpi=150, bbox_inches="tight")
    plt.close(fig)
    return out.getvalue()


def targets_chart(figures: list[Printed]) -> bytes:
    rates = [p for p in figures if p.kind == "rate"]
    if not any(p.value is not None for p in rates):
        return b""  # nothing measured: no chart of empty bars
    plt.rc("font", **FONT)
    fig, ax = plt.subplots(figsize=(6.3, 0.42 * len(rates) + 0.9))
    labels = [f"{p.code}. {p.name}" for p in rates][::-1]
    values = [p.value or 0 for p in rates][::-1]
    colours = [COLOURS.get(p.status, "#9e9e9e") for p in rates][::-1]
    ys = range(len(rates))
    ax.barh(ys, values, color=colours, height=0.6)
    for y, p in zip(ys, rates[::-1], strict=True):
        ax.plot([p.threshold, p.threshold], [y - 0.4, y + 0.4], color="black", linewidth=1.5)
        shown = "–" if p.value is None else f"{p.value:.1f}%".replace(".", ",")
        ax.text(min(p.value or 0, 100) + 1, y, shown, va="center", fontsize=8)
    ax.set_yticks(list(ys), [label if len(label) < 55 else label[:53] + "…" for label in labels])
    ax.set_xlim(0, 112)
    ax.set_xlabel("% (vạch đen: chỉ tiêu đề ra)")  # i18n: data
    ax.spines[["top", "right"]].set_visible(False)
    return _png(fig)


def months_chart(months: list[dict], before: list[dict]) -> bytes:
    """Each month's count this period (bars) and the same month a year earlier (line)."""
    if not any(m["count"] for m in [*months, *before]):
        return b""  # no crime counted either year: no chart of an empty axis
    plt.rc("font", **FONT)
    fig, ax = plt.subplots(figsize=(6.3, 2.2))
    xs = range(len(months))
    ax.bar(xs, [m["count"] for m in months], color="#1565c0", label="Kỳ này")  # i18n: data
    if before:
        ax.plot(list(xs)[:len(before)], [m["count"] for m in before][:len(months)],
                color="#c62828", marker="o", label="Cùng kỳ năm trước")  # i18n: data
    ax.set_xticks(list(xs), [m["label"] for m in months])
    ax.set_ylabel("Số vụ")  # i18n: data
    ax.legend(frameon=False)
    ax.spines[["top", "right"]].set_visible(False)
    return _png(fig)
