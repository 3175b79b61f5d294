"""Prints the core benchmark's figures as tables, marking each against the issue's targets."""

from __future__ import annotations

from typing import Any

# (kind, figure) -> (limit, "max" | "min"): issue 2, one core.
TARGETS = {
    ("who", "p99_ms"): (10.0, "max"), ("mine", "p99_ms"): (10.0, "max"),
    ("new", "p99_ms"): (20.0, "max"), ("log", "p99_ms"): (20.0, "max"),
    ("new", "per_second"): (300.0, "min"), ("log", "per_second"): (300.0, "min"),
}
PARSE_TARGET = 5000.0


def _mark(kind: str, figure: str, value: float) -> str:
    target = TARGETS.get((kind, figure))
    if target is None:
        return " "
    limit, sense = target
    return "✓" if (value <= limit if sense == "max" else value >= limit) else "✗"


def _drain(run: dict[str, Any]) -> str:
    if run["drain_p50_ms"] is not None:
        return f"{run['drain_p50_ms']:.1f} / {run['drain_p99_ms']:.1f} ms"
    if run["drain_per_second"]:
        return f"{run['drain_per_second']:,.0f} msg/s"
    return "-"


def print_runs(result: dict[str, Any]) -> None:
    print(f"\n== {result['database']} (load {result['load_seconds']:.0f}s) ==")
    print(f"{'mode':<11} {'command':<5} {'n':>5} {'fail':>4} {'cmd/s':>9}  {'p50 ms':>7} {'p99 ms':>8}  "
          f"{'max ms':>7}  drain after (p50/p99 or rate)")
    for run in result["runs"]:
        kind = run["kind"]
        print(f"{run['mode']:<11} {run['command']:<5} {run['count']:>5} {run['failures']:>4} "
              f"{run['per_second']:>8.0f}{_mark(kind, 'per_second', run['per_second'])} "
              f"{run['p50_ms']:>7.2f} {run['p99_ms']:>7.2f}{_mark(kind, 'p99_ms', run['p99_ms'])} "
              f"{run['max_ms']:>7.1f}  {_drain(run)}")
        if run["first_failure"]:
            print(f"            first failure: {run['first_failure']}")


def print_parse(result: dict[str, Any]) -> None:
    mark = "✓" if result["per_second_after_startup"] >= PARSE_TARGET else "✗"
    print(f"\n== dealbot parse --jsonl ==\n{result['lines']:,} lines in {result['wall_seconds']:.2f}s "
          f"(start-up {result['startup_seconds']:.2f}s): {result['per_second']:,.0f} lines/s overall, "
          f"{result['per_second_after_startup']:,.0f} lines/s after start-up {mark}; "
          f"{result['errors']} errors, {result['with_when']} with a time, {result['with_amount']} with an amount")
