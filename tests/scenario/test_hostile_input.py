"""Random and hostile text through the real router and dispatcher: always an answer, never a crash,
and the database stays consistent."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from storage.models import Deal, StageChange
from tests.harness.world import World

COMMAND_WORDS = ["新建", "跟进", "推进", "赢单", "输单", "查", "我的", "今天", "提醒", "分配", "公海", "领取",
                 "释放", "撤销", "帮助", "new", "log", "move", "won", "lost", "who", "remind", "assign", "claim"]
NASTY = ["'; DROP TABLE deals; --", "<!channel>", "@所有人", "\x00", "\u202e", "🦄🔥", "#", "#0", "#-1",
         "#99999999999999999999", "9" * 40 + "万", "下次", "next", "1e309", "NaN", "\t\n", "（）【】", "ＨＵＡＷＥＩ"]

hostile_text = st.builds(
    lambda word, parts: f"{word} {' '.join(parts)}",
    st.sampled_from(COMMAND_WORDS),
    st.lists(st.one_of(st.sampled_from(NASTY), st.text(max_size=30)), max_size=6),
)
PROPERTY = settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None)


@PROPERTY
@given(text=st.one_of(hostile_text, st.text(max_size=200)))
async def test_every_input_gets_exactly_an_answer(world: World, text: str) -> None:
    replies = await world.says("li", text)
    stripped = text.strip()
    if stripped:
        assert replies, text
    for reply in replies:
        assert "Traceback" not in reply.text
        assert reply.text.strip()


@PROPERTY
@given(texts=st.lists(hostile_text, min_size=1, max_size=5))
async def test_database_stays_consistent(world: World, texts: list[str]) -> None:
    for text in texts:
        await world.says("li", text)
    async with world.app.uow_factory() as uow:
        deals = await uow.session.scalar(select(func.count(Deal.id)))
        with_history = await uow.session.scalar(select(func.count(func.distinct(StageChange.deal_id))))
        bad_amounts = await uow.session.scalar(select(func.count(Deal.id)).where(Deal.amount < 0))
    assert deals == with_history
    assert bad_amounts == 0
