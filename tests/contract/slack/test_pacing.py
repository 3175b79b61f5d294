"""Per-channel pacing: a short burst goes at once, then about one message a second per channel."""

from __future__ import annotations

from bot.adapters.slack.pacing import ChannelPacer


class Ticks:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_burst_then_one_per_second() -> None:
    pacer = ChannelPacer(per_second=1.0, burst=3, monotonic=Ticks())
    assert [pacer.reserve("C1") for _ in range(5)] == [0.0, 0.0, 0.0, 1.0, 2.0]


def test_channels_do_not_wait_for_each_other() -> None:
    pacer = ChannelPacer(burst=1, monotonic=Ticks())
    assert (pacer.reserve("C1"), pacer.reserve("C1"), pacer.reserve("C2")) == (0.0, 1.0, 0.0)


def test_budget_refills_with_time() -> None:
    ticks = Ticks()
    pacer = ChannelPacer(burst=1, monotonic=ticks)
    pacer.reserve("C1")
    ticks.now += 1.0
    assert pacer.reserve("C1") == 0.0


def test_a_429_holds_the_channel_for_its_retry_after() -> None:
    pacer = ChannelPacer(burst=3, monotonic=Ticks())
    pacer.hold("C1", 5.0)
    assert pacer.reserve("C1") == 5.0
