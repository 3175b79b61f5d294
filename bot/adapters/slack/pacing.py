"""Per-channel pacing for Slack posts: about one message a second per channel, short bursts allowed.

https://docs.slack.dev/apis/web-api/rate-limits#special — chat.postMessage is limited per channel.
A message over the budget waits for its slot (queued, never dropped); channels never wait for each other.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable


class ChannelPacer:
    """A token bucket per channel. Each caller reserves the next slot, so concurrent posts queue in order."""

    def __init__(self, per_second: float = 1.0, burst: int = 3,
                 monotonic: Callable[[], float] = time.monotonic) -> None:
        self.per_second = per_second
        self.burst = burst
        self.monotonic = monotonic
        self._buckets: dict[str, tuple[float, float]] = {}  # channel -> (tokens, at)

    def reserve(self, channel: str) -> float:
        """Take the channel's next slot; returns how many seconds to wait for it."""
        now = self.monotonic()
        tokens, at = self._buckets.get(channel, (float(self.burst), now))
        tokens = min(float(self.burst), tokens + (now - at) * self.per_second) - 1.0
        self._buckets[channel] = (tokens, now)
        if len(self._buckets) > 10_000:  # forget idle channels: a full bucket carries no state
            self._buckets = {c: b for c, b in self._buckets.items() if b[0] < self.burst - 1}
        return 0.0 if tokens >= 0 else -tokens / self.per_second

    def hold(self, channel: str, seconds: float) -> None:
        """Slack said 429 for this channel: nothing more goes there for `seconds`."""
        self._buckets[channel] = (1.0 - seconds * self.per_second, self.monotonic())  # next slot in `seconds`

    async def wait(self, channel: str) -> None:
        delay = self.reserve(channel)
        if delay > 0:
            await asyncio.sleep(delay)
