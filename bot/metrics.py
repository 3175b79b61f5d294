"""Prometheus metrics of the serving process (requests, acks, deliveries, retries, dead letters, latency)."""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest

REGISTRY = CollectorRegistry()

REQUESTS = Counter("dealbot_requests_total", "Inbound HTTP requests", ["platform", "outcome"], registry=REGISTRY)
ACK_SECONDS = Histogram("dealbot_ack_seconds", "Time from request to acknowledgement", ["platform"],
                        buckets=(0.001, 0.002, 0.003, 0.005, 0.01, 0.02, 0.05, 0.1, 0.5, 1, 3), registry=REGISTRY)
DELIVERIES = Counter("dealbot_deliveries_total", "Outbox deliveries", ["platform", "outcome"], registry=REGISTRY)
HANDLE_SECONDS = Histogram("dealbot_handle_seconds", "Time to handle one inbound event", registry=REGISTRY)


def render() -> bytes:
    return generate_latest(REGISTRY)
