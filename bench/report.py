# SPDX-License-Identifier: MIT
"""Turning measurements into the results file (Markdown) and the two plots."""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Dict, List, Optional, Sequence

from harness import BenchInput, Method, Result, format_ratio, format_seconds

__all__ = ["Target", "markdown_table", "summary_table", "detail_table", "targets_table", "plot_time_vs_n", "plot_threads"]


@dataclass
class Target:
    """One checked performance target: the measured value against the requirement."""

    name: str  # "T1", "T5"...
    what: str  # what is compared, in words
    measured: str  # the measured value as shown, e.g. "153x"
    required: str  # e.g. ">= 100x"
    passed: Optional[bool]  # None: could not be measured in this run
    detail: str = ""  # the times the value comes from, or why it is missing

    @property
    def verdict(self) -> str:
        return "n/a" if self.passed is None else ("PASS" if self.passed else "FAIL")


def markdown_table(header: Sequence[str], rows: Sequence[Sequence[str]], align: str = "") -> List[str]:
    """A GitHub Markdown table; ``align`` has one of 'l'/'r' per column (default: l, then r)."""
    align = align or "l" + "r" * (len(header) - 1)
    rule = ["---:" if a == "r" else "---" for a in align]
    lines = ["| " + " | ".join(header) + " |", "| " + " | ".join(rule) + " |"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return lines


def _power_of_ten(n: int) -> str:
    exponent = math.log10(n) if n > 0 else 0
    return f"10^{round(exponent)}" if n > 0 and abs(exponent - round(exponent)) < 1e-9 else str(n)


def sampled_note(result: Result) -> str:
    return (
        f"sampled {_power_of_ten(result.sampled or 0)} of {_power_of_ten(result.bench_input.size)}, scaled"
        if result.sampled
        else ""
    )


def summary_table(inputs: List[BenchInput], methods: List[Method], results: Dict[str, Dict[str, Result]]) -> List[str]:
    """Median time per call: one row per method, one column per input.

    ``*`` marks a time measured on a random sample and scaled to the whole
    input; ``-`` a method that did not run on that input (see the details).
    """
    header = ["method"] + [bench_input.label for bench_input in inputs]
    rows = []
    for method in methods:
        cells = []
        for bench_input in inputs:
            result = results[bench_input.key].get(method.key)
            if result is None or not result.measured:
                cells.append("-")
            else:
                cells.append(format_seconds(result.median) + ("*" if result.sampled else ""))
        if any(cell != "-" for cell in cells):
            rows.append([method.label] + cells)
    return markdown_table(header, rows)


def detail_table(bench_input: BenchInput, methods: List[Method], results: Dict[str, Result], best_ours: Optional[float]) -> List[str]:
    """Everything measured on one input: times, per-element cost, count, notes."""
    header = ["method", "median", "min", "per element", "vs ours best", "calls", "count", "note"]
    rows = []
    for method in methods:
        result = results.get(method.key)
        if result is None:
            continue
        if not result.measured:
            rows.append([method.label, "-", "-", "-", "-", "0", "-", "skipped: " + result.note])
            continue
        ratio = format_ratio(result.median / best_ours) if best_ours else "-"
        count = "-" if result.count is None else str(result.count)
        if result.sampled:
            count += f" (of {result.sampled})"
        rows.append([
            method.label,
            format_seconds(result.median),
            format_seconds(result.best),
            format_seconds(result.median / bench_input.size),
            ratio,
            str(len(result.times)),
            count,
            sampled_note(result) or result.note,
        ])
    return markdown_table(header, rows, align="lrrrrrrl")


def targets_table(targets: List[Target]) -> List[str]:
    rows = [[t.name, t.what, t.measured, t.required, f"**{t.verdict}**", t.detail] for t in targets]
    return markdown_table(["target", "comparison", "measured", "required", "result", "from"], rows, align="llrrll")


# --- plots --------------------------------------------------------------------

_GROUP_STYLE: Dict[str, Dict[str, Any]] = {
    "reference": {"linestyle": ":", "linewidth": 1.5},
    "ours": {"linestyle": "-", "linewidth": 2.4},
    "blog": {"linestyle": "--", "linewidth": 1.4},
    "peer": {"linestyle": "-.", "linewidth": 1.4},
}
_MARKERS = "osD^v<>phX*P"


def plot_time_vs_n(path: Path, title: str, inputs: List[BenchInput], methods: List[Method], results: Dict[str, Dict[str, Result]]) -> None:
    """Log-log median time against N on the arange inputs, one line per method."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    aranges = [bench_input for bench_input in inputs if bench_input.family == "arange"]
    figure, axes = plt.subplots(figsize=(11, 6.5))
    # tab20 pairs a strong and a pale shade of each hue; all strong ones first,
    # so that neighbouring methods (e.g. our three modes) get different hues.
    tab20 = plt.get_cmap("tab20")
    colors = [tab20(i) for i in range(0, 20, 2)] + [tab20(i) for i in range(1, 20, 2)]
    plotted = 0
    for index, method in enumerate(methods):
        points = [
            (bench_input.size, results[bench_input.key][method.key])
            for bench_input in aranges
            if method.key in results[bench_input.key] and results[bench_input.key][method.key].measured
        ]
        if not points:
            continue
        sizes = [size for size, _ in points]
        medians = [result.median for _, result in points]
        label = method.label + (" (* sampled, scaled)" if any(r.sampled for _, r in points) else "")
        axes.plot(sizes, medians, label=label, color=colors[index % len(colors)],
                  marker=_MARKERS[index % len(_MARKERS)], markersize=5, **_GROUP_STYLE[method.group])
        plotted += 1
    axes.set_xscale("log")
    axes.set_yscale("log")
    axes.set_xlabel("N (input np.arange(N), int64)")
    axes.set_ylabel("median time per call (s)")
    axes.set_title(title)
    axes.grid(True, which="major", alpha=0.4)
    axes.grid(True, which="minor", alpha=0.12)
    if plotted:
        axes.legend(loc="center left", bbox_to_anchor=(1.01, 0.5), fontsize=8, frameon=False)
    figure.tight_layout()
    figure.savefig(path, dpi=110)
    plt.close(figure)


def plot_threads(path: Path, title: str, sweep: Dict[str, Dict[str, float]], thread_counts: List[int],
                 label: Callable[[str], str]) -> None:
    """Speed-up over mode="serial" against the thread count, per input and mode.

    ``sweep[input_key]`` maps "serial", "pthreads-<k>" and "threading-<k>" to
    median seconds.
    """
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    figure, axes = plt.subplots(figsize=(8.5, 5.5))
    tab10 = plt.get_cmap("tab10")
    colors = [tab10(i) for i in range(10)]
    top = max(thread_counts)
    axes.plot([1, top], [1, top], color="0.6", linestyle=":", label="ideal (linear)")
    for index, (input_key, medians) in enumerate(sweep.items()):
        serial = medians["serial"]
        for mode, style, marker in (("pthreads", "-", "o"), ("threading", "--", "s")):
            speedups = [serial / medians[f"{mode}-{k}"] for k in thread_counts]
            axes.plot(thread_counts, speedups, linestyle=style, marker=marker, color=colors[index % 10],
                      label=f"{label(input_key)}, mode={mode}")
    axes.set_xticks(thread_counts)
    axes.set_xlabel("threads")
    axes.set_ylabel('speed-up over mode="serial" (same input, same run)')
    axes.set_title(title)
    axes.set_ylim(bottom=0)
    axes.grid(True, alpha=0.4)
    axes.legend(fontsize=8)
    figure.tight_layout()
    figure.savefig(path, dpi=110)
    plt.close(figure)
