"""The inbound sink: an event is on disk before its ack, handled once, and recovered after a crash."""

from __future__ import annotations

from datetime import timedelta

from bot.console import console_event
from bot.core.dispatch import TaskSet
from bot.core.messages import event_to_dict
from bot.core.sink import InboundSink
from bot.inbox_store import StorageInboxStore
from storage.models import Deal
from tests.harness.world import World


def make_sink(world: World) -> InboundSink:
    return InboundSink(world.app.dispatcher, StorageInboxStore(world.app.uow_factory, world.clock), TaskSet())


async def test_retry_of_a_submitted_event_is_dropped(world: World) -> None:
    sink = make_sink(world)
    event = console_event("li", "新建 华为", world.clock())
    assert await sink.submit(event) is True
    assert await sink.submit(event) is False
    await sink.tasks.drain()
    assert await world.count(Deal) == 1


async def test_event_acknowledged_but_never_handled_is_recovered(world: World) -> None:
    store = StorageInboxStore(world.app.uow_factory, world.clock)
    event = console_event("li", "新建 华为", world.clock())
    await store.receive("console", event.event_key, event_to_dict(event))  # the process died here
    world.clock.advance(timedelta(minutes=1))
    sink = make_sink(world)
    assert await sink.recover(world.clock()) == 1
    await sink.tasks.drain()
    assert await world.count(Deal) == 1
    assert await sink.recover(world.clock()) == 0
