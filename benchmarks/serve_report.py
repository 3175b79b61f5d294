"""Prints the serving benchmark's results (issue 3) as one table per server."""

from __future__ import annotations

from typing import Any

COLUMNS = ("platform", "mode", "ok", "errors", "per_second", "p50_ms", "p90_ms", "p99_ms", "max_ms",
           "drain_seconds")


def _cell(value: Any) -> str:
    return "-" if value is None else str(value)


def print_results(report: dict[str, Any]) -> None:
    for run in report["runs"]:
        rss = f"peak RSS {run['rss_peak_mb']} MB"
        if run.get("rss_processing_peak_mb"):
            rss += (f" (+ processing process {run['rss_processing_peak_mb']} MB; together {run['rss_total_peak_mb']} MB"
                    f" RSS, {run['pss_total_peak_mb']} MB PSS)")
        print(f"\n{run['server']}   {rss}")
        rows = [[_cell(phase.get(c)) for c in COLUMNS] for phase in run["phases"]]
        widths = [max(len(c), *(len(r[i]) for r in rows)) if rows else len(c) for i, c in enumerate(COLUMNS)]
        print("  ".join(c.ljust(w) for c, w in zip(COLUMNS, widths, strict=True)))
        for row in rows:
            print("  ".join(v.ljust(w) for v, w in zip(row, widths, strict=True)))
        for phase in run["phases"]:
            if "backlog_per_second" in phase:
                print(f"  e2e {phase['mode']}: delivered {phase['delivered_per_second']}/s during the load; "
                      f"backlog each second {phase['backlog_per_second']}; "
                      f"left after drain {phase['backlog_left']}")
