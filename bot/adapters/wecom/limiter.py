"""Sliding-window send limits per recipient, kept by booking slots: a message over the limit is told when its
slot comes (the outbox retries it then) and finds the slot still held for it — queued, never dropped."""

from __future__ import annotations

import bisect
from datetime import datetime, timedelta

_FORGET = timedelta(minutes=10)  # a booking nobody came back for is released after its slot plus this


class SlotLimiter:
    """At most `limit` sends per `window` for each key (WeCom drops the excess silently, so we must not send it)."""

    def __init__(self, limit: int, window: timedelta = timedelta(minutes=1)) -> None:
        self.limit = limit
        self.window = window
        self._times: dict[str, list[datetime]] = {}
        self._booked: dict[tuple[str, str], datetime] = {}

    def reserve(self, key: str, ticket: str, now: datetime) -> timedelta:
        """Zero when the message may go now (its send is counted); else how long until its booked slot.
        `ticket` names the message across retries, so a retry claims the slot booked for it."""
        booked = self._booked.get((key, ticket))
        if booked is not None:
            if booked > now:
                return booked - now
            del self._booked[(key, ticket)]
            return timedelta(0)
        times = self._times.setdefault(key, [])
        del times[: bisect.bisect_right(times, now - self.window)]  # no longer inside any future window
        slot = now if len(times) < self.limit else max(now, times[-self.limit] + self.window)
        bisect.insort(times, slot)
        if slot <= now:
            return timedelta(0)
        self._booked[(key, ticket)] = slot
        self._sweep(now)
        return slot - now

    def _sweep(self, now: datetime) -> None:
        stale = [k for k, slot in self._booked.items() if slot + _FORGET < now]
        for k in stale:
            del self._booked[k]
        for key in [k for k, times in self._times.items() if not times]:
            del self._times[key]
