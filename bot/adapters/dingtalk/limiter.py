"""Per-destination send windows (a DingTalk group robot takes 20 messages a minute): a send that does
not fit reserves the next free slots and is told when to come back, so bursts queue instead of drop."""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable

# https://open.dingtalk.com/document/robots/custom-robot-access: 20 messages per minute per robot; beyond
# it the robot is throttled for 10 minutes, so we stay under the limit instead of probing it.
GROUP_LIMIT, WINDOW_SECONDS = 20, 60.0


class SendWindow:
    """At most `limit` messages per `per` seconds per key.

    `admit` returns 0 when the messages may go now, else the seconds until the slots reserved for
    them; the caller hands that back to the outbox (RetryLater) and the same message, coming back, finds
    its reservation by fingerprint. Reservations follow request order, so a burst drains first-come
    first-served and each message comes back about once, whatever the burst size.
    """

    def __init__(self, limit: int = GROUP_LIMIT, per: float = WINDOW_SECONDS, *, inline_wait: float = 1.0,
                 now: Callable[[], float] = time.monotonic) -> None:
        self.limit, self.per, self.inline_wait, self.now = limit, per, inline_wait, now
        self._slots: dict[str, deque[float]] = {}
        self._held: dict[tuple[str, str], list[float]] = {}

    def admit(self, key: str, fingerprint: str, count: int = 1) -> float:
        now = self.now()
        slots = self._slots.setdefault(key, deque())
        while slots and slots[0] <= now - self.per:
            slots.popleft()
        held = self._held.get((key, fingerprint))
        if held is not None:
            wait = max(held) - now
            if wait <= self.inline_wait:
                del self._held[(key, fingerprint)]
            return max(0.0, wait)
        reserved = []
        for _ in range(count):
            at = now if len(slots) < self.limit else max(now, slots[-self.limit] + self.per)
            slots.append(at)
            reserved.append(at)
        wait = max(reserved) - now
        if wait > self.inline_wait:
            self._held[(key, fingerprint)] = reserved
        return max(0.0, wait)
