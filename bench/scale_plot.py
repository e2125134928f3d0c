"""Plot the bench/out/scale_e2e_N.json results against their floors → docs/perf-scale-e2e.png.

    .venv/bin/python bench/scale_plot.py
"""

from __future__ import annotations

import json
from typing import Any

from common import DOCS, OUT

PANELS: list[tuple[str, str, dict[int, float]]] = [
    ("load_seconds", "load beyond the model floor (s)", {200_000: 5, 1_000_000: 10}),
    ("rss_mb", "serving RSS (MB)", {200_000: 1200, 1_000_000: 2500}),
    ("answer_ratio", "answer p50 / query embedding p50", {1_000_000: 1.3}),
    ("search_p50_ms", "vector search p50 (ms, 1 thread)", {1_000_000: 5}),
    ("recall_at_10", "recall@10 vs exact", {1_000_000: 0.95}),
    ("incremental_seconds", "one changed document (s)", {200_000: 30, 1_000_000: 60}),
]


def main() -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    rows: list[dict[str, Any]] = []
    for path in sorted(OUT.glob("scale_e2e_*.json")):
        if not path.stem.removeprefix("scale_e2e_").isdigit():
            continue  # another vector method (--vectors sentences): not the plotted series
        row = json.loads(path.read_text(encoding="utf-8"))
        row["answer_ratio"] = row["answer_p50_ms"] / row["floor_p50_ms"]
        rows.append(row)
    rows.sort(key=lambda r: r["chunks"])
    figure, axes = plt.subplots(2, 3, figsize=(13, 7))
    for (key, title, floors), ax in zip(PANELS, axes.flat, strict=True):
        ax.plot([r["chunks"] for r in rows], [r[key] for r in rows], "o-", label="measured")
        if key == "recall_at_10":
            ax.plot(
                [r["chunks"] for r in rows],
                [r.get("random_recall_at_10", float("nan")) for r in rows],
                "s:",
                label="random vectors (worst case)",
            )
        for size, floor in floors.items():
            ax.plot([size], [floor], "rv", label=f"floor at {size:,}")
        ax.set(xscale="log", xlabel="chunks", title=title)
        ax.legend(fontsize=7)
    figure.tight_layout()
    path = DOCS / "perf-scale-e2e.png"
    figure.savefig(path, dpi=100)
    print(f"→ {path}")


if __name__ == "__main__":
    main()
