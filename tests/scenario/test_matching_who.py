"""查/who through the matcher: ambiguous short names list every customer, possible ones are labelled and
confirmed or dismissed by button, generic words ask for more."""

from __future__ import annotations

from tests.harness.world import World, button
from tests.scenario.test_matching_new_deal import GREE, seed

PINGAN = ("中国平安保险(集团)股份有限公司", ("中国平安", "Ping An"))
PINGAN_BANK = ("平安银行股份有限公司", ("平安银行", "Ping An Bank"))


async def test_ambiguous_short_name_lists_every_plausible_customer(world: World) -> None:
    await seed(world, "li", *PINGAN)
    await seed(world, "zhao", *PINGAN_BANK)
    [reply] = await world.says("zhang", "查 平安")
    assert reply.data["kind"] == "ambiguous"
    assert {(m["customer"], m["owner"]) for m in reply.data["matches"]} == {
        (PINGAN[0], "li"), (PINGAN_BANK[0], "zhao")}
    assert "请确认是哪一家" in reply.text


async def test_specific_member_names_only_that_member(world: World) -> None:
    await seed(world, "li", *PINGAN)
    await seed(world, "zhao", *PINGAN_BANK)
    [reply] = await world.says("zhang", "查 平安银行")
    assert [m["owner"] for m in reply.data["matches"]] == ["zhao"]


async def test_possible_match_is_labelled_with_buttons(world: World) -> None:
    await seed(world, "li", *GREE)
    [reply] = await world.says("zhang", "查 格力地产")
    assert reply.data["kind"] == "possible"
    assert reply.data["matches"][0]["match"] == "possible"
    assert "可能" in reply.text
    assert button(reply, "是同一家")
    assert button(reply, "都不是")


async def test_confirmed_possible_match_becomes_an_alias(world: World) -> None:
    await seed(world, "li", *GREE)
    [reply] = await world.says("zhang", "查 格力地产")
    await world.clicks("zhang", button(reply, "是同一家"))
    [again] = await world.says("wang", "查 格力地产")
    assert again.data["kind"] == "same"
    assert again.data["matches"][0]["owner"] == "li"


async def test_dismissed_possible_match_is_not_asked_again(world: World) -> None:
    await seed(world, "li", *GREE)
    [reply] = await world.says("zhang", "查 格力地产")
    await world.clicks("zhang", button(reply, "都不是"))
    [again] = await world.says("zhang", "查 格力地产")
    assert again.data["matches"] == []


async def test_generic_word_asks_for_detail(world: World) -> None:
    await seed(world, "li", *PINGAN_BANK)
    [reply] = await world.says("zhang", "查 银行")
    assert reply.data == {"kind": "ambiguous", "matches": []}
    assert "太笼统" in reply.text


async def test_typo_of_a_long_name_is_the_same_customer(world: World) -> None:
    await seed(world, "li", "北京字节跳动科技有限公司", ("字节跳动", "ByteDance"))
    [reply] = await world.says("zhang", "查 字节跳东")
    assert reply.data["kind"] == "same"
    assert reply.data["matches"][0]["owner"] == "li"


async def test_two_character_near_miss_is_no_match(world: World) -> None:
    await seed(world, "li", "华为技术有限公司", ("华为", "Huawei"))
    [reply] = await world.says("zhang", "查 华威")
    assert reply.data["matches"] == []


async def test_english_who_lists_in_english(world: World) -> None:
    await seed(world, "li", *PINGAN)
    await seed(world, "zhao", *PINGAN_BANK)
    [reply] = await world.says("zhang", "who Ping An")
    assert {m["owner"] for m in reply.data["matches"]} >= {"li"}


async def test_email_domain_finds_the_customer_webmail_does_not(world: World) -> None:
    await world.says("li", "新建 华为 张总 zhang@huawei.com")
    [by_domain] = await world.says("zhang", "查 wang@mail.huawei.com")
    assert by_domain.data["matches"][0]["owner"] == "li"
    await world.says("li", "新建 小米 王总 wang@163.com")
    [webmail] = await world.says("zhang", "查 li@163.com")
    assert webmail.data["matches"] == []
