"""KeyedLock serializes work per key only; TaskSet keeps and drains its tasks."""

from __future__ import annotations

import asyncio

from bot.core.dispatch import KeyedLock, TaskSet


async def test_same_key_runs_one_at_a_time() -> None:
    lock, order = KeyedLock(), []

    async def work(tag: str) -> None:
        order.append(f"{tag}-start")
        await asyncio.sleep(0.01)
        order.append(f"{tag}-end")

    await asyncio.gather(lock.run("k", lambda: work("a")), lock.run("k", lambda: work("b")))
    assert order == ["a-start", "a-end", "b-start", "b-end"]


async def test_different_keys_run_side_by_side() -> None:
    lock, order = KeyedLock(), []

    async def work(tag: str) -> None:
        order.append(tag)
        await asyncio.sleep(0.01)

    await asyncio.gather(lock.run("a", lambda: work("a")), lock.run("b", lambda: work("b")))
    assert sorted(order) == ["a", "b"]
    assert lock._locks == {}


async def test_task_set_drains() -> None:
    tasks, done = TaskSet(), []

    async def job() -> None:
        await asyncio.sleep(0.01)
        done.append(1)

    tasks.spawn(job())
    await tasks.drain()
    assert done == [1]
    assert len(tasks) == 0
