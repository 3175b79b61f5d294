"""Events recorded by the acknowledging process are claimed oldest first and handled once by the processing
process, also when a claim expired because its process died, and nothing recorded is left at a stop."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from bot.console import console_event
from bot.core.messages import event_from_dict, event_to_dict
from bot.core.processing import InboxProcessor
from bot.core.sink import RecordingSink
from bot.inbox_store import StorageInboxStore
from storage.models import Deal, InboxEvent
from tests.harness.world import World


def store_of(world: World) -> StorageInboxStore:
    return StorageInboxStore(world.app.uow_factory, world.clock)


async def record(world: World, *texts: str) -> list[str]:
    """What the acknowledging process does for each text: record it; returns the event keys."""
    keys = []
    for text in texts:
        event = console_event("li", text, world.clock())
        assert await store_of(world).receive("console", event.event_key, event_to_dict(event))
        keys.append(event.event_key)
    return keys


async def handle_everything(world: World, lease_seconds: float = 60.0) -> InboxProcessor:
    processor = InboxProcessor(world.app.dispatcher, store_of(world), world.clock, lease_seconds=lease_seconds)
    processor.stop()  # handle what is recorded now, then return
    await processor.run()
    return processor


async def test_claims_take_the_oldest_recorded_events_and_mark_them_handling(world: World) -> None:
    keys = await record(world, "新建 华为", "新建 中兴", "新建 小米")
    claimed = await store_of(world).claim(2)
    assert [event["event_key"] for _, event in claimed] == keys[:2]
    assert [event["event_key"] for _, event in await store_of(world).claim(5)] == keys[2:]
    assert await store_of(world).claim(5) == []


async def test_recording_sink_records_wakes_and_refuses_a_retry(world: World) -> None:
    wakeups: list[None] = []
    sink = RecordingSink(store_of(world), lambda: wakeups.append(None))
    event = console_event("li", "新建 华为", world.clock())
    assert await sink.submit(event) is True
    assert await sink.submit(event) is False
    assert len(wakeups) == 1
    assert await world.count(Deal) == 0  # recorded, not handled: that is the other process's work


async def test_recorded_events_are_handled_once(world: World) -> None:
    await record(world, "新建 华为", "新建 中兴", "新建 小米", "新建 百度", "新建 京东", "新建 美团")
    processor = await handle_everything(world)
    assert processor.handled == 6
    assert await world.count(Deal) == 6
    assert (await handle_everything(world)).handled == 0


async def test_a_claim_whose_process_died_is_handled_after_its_lease(world: World) -> None:
    await record(world, "新建 华为")
    assert len(await store_of(world).claim(1)) == 1  # ... and that process died
    assert (await handle_everything(world)).handled == 0  # the claim is still fresh
    world.clock.advance(timedelta(seconds=61))
    assert (await handle_everything(world)).handled == 1
    assert await world.count(Deal) == 1


async def test_an_event_taken_again_after_its_claim_expired_has_no_second_effect(world: World) -> None:
    await record(world, "新建 华为")
    [(_, slow_copy)] = await store_of(world).claim(1)  # a slow process holds it past the lease
    world.clock.advance(timedelta(seconds=61))
    await handle_everything(world)
    assert await world.app.dispatcher.handle(event_from_dict(slow_copy)) == []  # seen as a duplicate
    assert await world.count(Deal) == 1
    assert await world.count(InboxEvent) == 1


async def test_a_recorded_event_reads_back_with_its_instant_and_payload(world: World) -> None:
    [key] = await record(world, "新建 华为 50万")
    async with world.app.uow_factory() as uow:
        row = await uow.session.scalar(select(InboxEvent).where(InboxEvent.event_key == key))
    assert row is not None
    assert (row.status, row.received_at, row.event["text"]) == ("received", world.clock(), "新建 华为 50万")
