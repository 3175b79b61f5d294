"""A scripted fortnight of deals whose figures are computed by hand in the comments below.

Team sales (manager wang, reps li and zhang), clock starting Fri 2026-11-27 10:00 Asia/Shanghai:

| deal | owner | amount | history |
|---|---|---|---|
| #1 华为 | li | ¥500,000 | lead Fri 27 → qualified Sun 29 → quote Mon 30 (needs, proposal skipped) |
| #2 腾讯 | li | ¥200,000 | lead Fri 27 → lost Mon 30 ("价格太高") |
| #3 阿里 | zhang | ¥1,000,000 | lead Fri 27 → qualified Sun 29 → negotiation Thu Dec 3 → won Fri Dec 4 |
| #4 百度 | zhang | none | lead Fri 27, a call logged Sun 29 |

Funnel (furthest stage reached): lead 4, qualified 2, needs 2, proposal 2, quote 2, negotiation 1, won 1;
lost 1, win rate 1/2. Median days: lead [2, 2, 3] → 2; qualified [1, 4] → 2.5; negotiation [1] → 1.
#1 has a follow-up due Sat 28 10:00 that stays open (overdue from then on).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from tests.harness.world import World

START = datetime.fromisoformat("2026-11-27T10:00:00+08:00")


async def first_weekend(world: World) -> None:
    """Fri 27 to Sun 29 10:00: four deals, two moves, one call logged."""
    world.clock.set(START)
    await world.says("li", "新建 华为 50万 下次 明天上午10点")
    await world.says("li", "新建 腾讯 20万")
    await world.says("zhang", "新建 阿里 100万")
    await world.says("zhang", "新建 百度")
    world.clock.advance(timedelta(days=2))
    await world.says("li", "推进 #1")
    await world.says("zhang", "推进 #3")
    await world.says("zhang", "跟进 #4 电话沟通了需求")


async def rest_of_story(world: World) -> None:
    """Mon 30 10:00 to Fri Dec 4 10:00: #1 to quote, #2 lost, #3 to negotiation and won."""
    world.clock.set(START + timedelta(days=3))
    await world.says("li", "推进 #1 报价")
    await world.says("li", "输单 #2 价格太高")
    world.clock.set(START + timedelta(days=6))
    await world.says("zhang", "推进 #3 谈判")
    world.clock.set(START + timedelta(days=7))
    await world.says("zhang", "赢单 #3")


async def tell_story(world: World) -> None:
    await first_weekend(world)
    await rest_of_story(world)
