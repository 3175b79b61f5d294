"""A simulated fortnight around China's 2026 National Day (Oct 1–7 off, Saturday Oct 10 worked): nudges at
the minute the rep set, overdue reminders and escalations on working days only, in working hours."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from reminders.scheduler import run_reminders
from tests.harness.world import World

SH = ZoneInfo("Asia/Shanghai")
START = datetime(2026, 9, 28, 0, 0, tzinfo=SH)  # a Monday


def ticks() -> list[datetime]:
    """Every half hour from 08:00 to 20:00, every four hours at night, for 14 days."""
    times, at = [], START
    while at < START + timedelta(days=14):
        times.append(at)
        at += timedelta(minutes=30 if 8 <= at.hour < 20 else 240)
    return times


async def run_fortnight(world: World) -> list[tuple[str, str, str]]:
    """(local time, push kind, recipient) of every reminder delivered."""
    seen: list[tuple[str, str, str]] = []
    settings = world.app.settings
    for at in ticks():
        if at < world.clock():
            continue
        world.clock.set(at)
        before = len(world.sender.sent)
        await run_reminders(world.app.uow_factory, world.clock, settings, cipher=world.app.cipher)
        await world.worker.drain()
        seen += [(at.strftime("%m-%d %H:%M"), str(s.reply.data.get("push")), str(s.target["name"]))
                 for s in world.sender.sent[before:] if s.reply.data.get("push")]
    return seen


async def test_a_fortnight_of_reminders(world: World) -> None:
    world.clock.set(datetime(2026, 9, 28, 10, 0, tzinfo=SH))
    await world.says("li", "新建 华为 50万 下次 明天下午3点")  # due Tue 09-29 15:00
    await world.says("zhang", "新建 腾讯 下次 9月30日上午10点")  # due Wed 09-30 10:00, the eve of the holiday
    await world.says("zhang", "新建 阿里 下次 10月3日上午10点半")  # the rep chose a time on a holiday
    await world.says("li", "新建 百度 下次 10月9日下午2点")
    await world.says("li", "跟进 百度 约了演示 下次 10月10日上午9点")  # logged: the first one is done
    timeline = [p for p in await run_fortnight(world) if p[1] != "stale"]
    assert sorted(timeline) == [
        ("09-29 15:00", "nudge", "li"),
        ("09-30 10:00", "nudge", "zhang"),
        ("09-30 15:00", "overdue", "li"),  # 1 working day after Tue 15:00
        ("10-03 10:30", "nudge", "zhang"),  # set by the rep: the holiday does not matter
        ("10-08 10:00", "overdue", "zhang"),  # Oct 1–7 are off: the next working day
        ("10-08 10:30", "overdue", "zhang"),
        ("10-09 15:00", "escalation", "sales"),  # 3 working days: Wed 09-30, Thu 10-08, Fri 10-09
        ("10-09 15:00", "overdue", "li"),
        ("10-10 09:00", "nudge", "li"),  # the adjusted working Saturday
        ("10-10 10:00", "escalation", "sales"),  # Sat 10-10 is zhang's third working day
        ("10-10 10:00", "overdue", "zhang"),
        ("10-10 10:30", "escalation", "sales"),
        ("10-10 10:30", "overdue", "zhang"),
    ]


async def test_stale_deals_are_told_once_per_quiet_spell_in_working_hours(world: World) -> None:
    world.clock.set(datetime(2026, 9, 28, 10, 0, tzinfo=SH))
    await world.says("li", "新建 华为")  # a lead: stale after 3 days without activity
    stale = [p for p in await run_fortnight(world) if p[1] == "stale"]
    # Quiet since Mon 10:00; Thu 10-01 10:00 is a holiday, so the reminder waits for Thu 10-08 09:00.
    assert stale == [("10-08 09:00", "stale", "li")]
