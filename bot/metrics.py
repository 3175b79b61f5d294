"""Prometheus metrics of the serving process (requests, acks, deliveries, retries, dead letters, latency).

A split `serve` counts in two processes: it sets PROMETHEUS_MULTIPROC_DIR before this module is first
imported (bot/commands.py), every process then keeps its values in files there, and /metrics sums them.
"""

from __future__ import annotations

import os

from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest

REGISTRY = CollectorRegistry()

REQUESTS = Counter("dealbot_requests_total", "Inbound HTTP requests", ["platform", "outcome"], registry=REGISTRY)
ACK_SECONDS = Histogram("dealbot_ack_seconds", "Time from request to acknowledgement", ["platform"],
                        buckets=(0.001, 0.002, 0.003, 0.005, 0.01, 0.02, 0.05, 0.1, 0.5, 1, 3), registry=REGISTRY)
DELIVERIES = Counter("dealbot_deliveries_total", "Outbox send attempts by outcome (delivered, retry, throttled, dead)",
                     ["platform", "outcome"], registry=REGISTRY)
HANDLE_SECONDS = Histogram("dealbot_handle_seconds", "Time to handle one inbound event", registry=REGISTRY)


def render() -> bytes:
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
        return generate_latest(registry)
    return generate_latest(REGISTRY)
