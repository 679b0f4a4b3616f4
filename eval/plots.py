"""The report's charts, drawn with matplotlib and returned as base64 PNG for inline <img>.

Uses ``matplotlib.figure.Figure`` with the Agg canvas directly rather than pyplot: no
global figure state and no GUI backend, so it works headless and from any thread.
"""

from __future__ import annotations

import base64
import io
from collections.abc import Sequence

PALETTE = ("#2f6f9f", "#e0803a", "#4c9a5b", "#b5485d", "#7c62a8", "#8c8c8c")
SCORE_BARS = ("exact_match", "f1", "contained", "mc_accuracy", "answer_recall@5", "recall@5")


def _figure(width: float, height: float):
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width, height), dpi=110)
    fig.patch.set_facecolor("white")
    return fig


def _style(ax, axis: str = "x") -> None:
    ax.spines[["top", "right"]].set_visible(False)
    ax.grid(axis=axis, color="#e5e5e5", linewidth=0.8)
    ax.set_axisbelow(True)


def _png(fig) -> str:
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    FigureCanvasAgg(fig)
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", bbox_inches="tight")
    return base64.b64encode(buffer.getvalue()).decode("ascii")


def score_by_type(summary: dict) -> str | None:
    """Grouped horizontal bars: each question type, the main scores with 95% intervals."""
    groups = {"all": {"n": summary["scored"], "metrics": summary["overall"]},
              **summary["by_type"]}
    names = [n for n in SCORE_BARS if any(n in g["metrics"] for g in groups.values())]
    if not names:
        return None
    labels = [f"{t} (n={g['n']})" for t, g in groups.items()]
    fig = _figure(8, 0.55 * len(groups) * max(2, len(names)) / 2 + 1.2)
    ax = fig.add_subplot()
    height = 0.8 / len(names)
    for j, name in enumerate(names):
        ys, xs, err = [], [], [[], []]
        for i, group in enumerate(groups.values()):
            cell = group["metrics"].get(name)
            if cell is None:
                continue
            ys.append(i + j * height)
            xs.append(cell["value"] * 100)
            err[0].append((cell["value"] - cell["low"]) * 100)
            err[1].append((cell["high"] - cell["value"]) * 100)
        ax.barh(ys, xs, height=height, xerr=err, color=PALETTE[j % len(PALETTE)], label=name,
                error_kw={"elinewidth": 0.8, "capsize": 2, "ecolor": "#555"})
    ax.set_yticks([i + height * (len(names) - 1) / 2 for i in range(len(groups))], labels)
    ax.invert_yaxis()
    ax.set_xlim(0, 100)
    ax.set_xlabel("score (%), bars show the bootstrap 95% interval")
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1), fontsize=8, frameon=False)
    _style(ax)
    return _png(fig)


def latency(rows: Sequence[dict], summary: dict) -> str | None:
    """Left: histogram of whole-ask seconds with p50/p95; right: p50 and p95 per stage."""
    totals = [r["timings"]["total"] for r in rows if "total" in r.get("timings", {})]
    if not totals:
        return None
    fig = _figure(9, 3.2)
    left, right = fig.subplots(1, 2, gridspec_kw={"width_ratios": [3, 2]})
    left.hist(totals, bins=min(30, max(5, len(totals) // 3)), color=PALETTE[0], alpha=0.85)
    total = summary["latency"]["total"]
    for q, style, height in (("p50", "--", 0.92), ("p95", ":", 0.78)):
        left.axvline(total[q], color="#333", linestyle=style, linewidth=1)
        left.annotate(f"{q} {total[q]:.2f} s", (total[q], left.get_ylim()[1] * height),
                      fontsize=8, xytext=(3, 0), textcoords="offset points")
    left.set_xlabel("seconds per question (ask)")
    left.set_ylabel("questions")
    stages = [s for s in summary["latency"] if s != "total"]
    p50 = [summary["latency"][s]["p50"] for s in stages]
    p95 = [summary["latency"][s]["p95"] for s in stages]
    right.barh(stages, p95, color=PALETTE[1], alpha=0.5, label="p95")
    right.barh(stages, p50, color=PALETTE[1], label="p50")
    right.invert_yaxis()
    right.set_xlabel("seconds per stage")
    right.legend(fontsize=8, frameon=False)
    _style(left, "y")
    _style(right)
    return _png(fig)


def recall_curve(summary: dict) -> str | None:
    """Recall@k for k = 1..K: gold article retrieved, and accepted answer in a passage."""
    curves = {label: summary["recall_curve"].get(kind) for kind, label in
              (("article", "gold article in top k"), ("answer", "answer string in top k"))}
    curves = {label: c for label, c in curves.items() if c}
    if not curves:
        return None
    fig = _figure(6, 3.4)
    ax = fig.add_subplot()
    for i, (label, curve) in enumerate(curves.items()):
        ks = list(range(1, len(curve) + 1))
        ax.plot(ks, [v * 100 for v in curve], marker="os"[i], markersize=5 - i,
                linestyle=("-", "--")[i], label=label, color=PALETTE[i])
    ax.set_ylim(0, 100)
    ax.set_xticks(ks)
    ax.set_xlabel("k (passages for answer strings, distinct articles for gold ids)")
    ax.set_ylabel("recall@k (%)")
    ax.legend(fontsize=8, frameon=False, loc="lower right")
    ax.grid(color="#e5e5e5", linewidth=0.8)
    ax.spines[["top", "right"]].set_visible(False)
    return _png(fig)


def reliability(summary: dict) -> str | None:
    """Reliability diagram: for each confidence bin, the share of replies that were right,
    against the diagonal of perfect calibration; bar widths follow the bins, the labels give
    each bin's count."""
    table = summary.get("calibration")
    if not table or not table["bins"]:
        return None
    fig = _figure(4.6, 4.0)
    ax = fig.add_subplot()
    ax.plot([0, 100], [0, 100], linestyle="--", color=PALETTE[5], linewidth=1, label="perfect")
    for row in table["bins"]:
        ax.bar((row["low"] + row["high"]) * 50, row["accuracy"] * 100, width=(row["high"] - row["low"]) * 95,
               color=PALETTE[0], alpha=0.85)
        ax.text((row["low"] + row["high"]) * 50, row["accuracy"] * 100 + 2, str(row["n"]),
                ha="center", fontsize=7, color="#444")
    ax.plot([r["confidence"] * 100 for r in table["bins"]], [r["accuracy"] * 100 for r in table["bins"]],
            marker="o", markersize=3, color=PALETTE[1], linewidth=1, label="mean confidence")
    ax.set_xlim(0, 100)
    ax.set_ylim(0, 108)
    ax.set_xlabel("confidence (%)")
    ax.set_ylabel("replies right (%)")
    ax.set_title(f"ECE {table['ece'] * 100:.1f} points · n={table['n']}", fontsize=9)
    ax.legend(fontsize=8, frameon=False, loc="upper left")
    _style(ax, "y")
    return _png(fig)


def comparison(compared: dict) -> str | None:
    """Paired bars: each metric in the previous run and in this one."""
    metrics = compared.get("metrics", {})
    if not metrics:
        return None
    names = list(metrics)
    fig = _figure(8, 0.42 * len(names) + 1.2)
    ax = fig.add_subplot()
    ys = range(len(names))
    ax.barh([y - 0.2 for y in ys], [metrics[n]["before"] * 100 for n in names], height=0.4,
            color=PALETTE[5], label="previous run")
    ax.barh([y + 0.2 for y in ys], [metrics[n]["after"] * 100 for n in names], height=0.4,
            color=PALETTE[0], label="this run")
    ax.set_yticks(list(ys), names)
    ax.invert_yaxis()
    ax.set_xlim(0, 100)
    ax.set_xlabel("score (%)")
    ax.legend(fontsize=8, frameon=False, loc="lower right")
    _style(ax)
    return _png(fig)
