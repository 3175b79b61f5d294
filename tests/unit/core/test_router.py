"""Router: command words in both languages, glued Chinese commands, closest-name suggestions."""

from __future__ import annotations

from typing import Any

import pytest

from bot.core.replies import Reply, Text
from bot.core.router import Router


async def handler(ctx: Any, args: Any) -> Reply:
    return Reply(Text(str(args)))


def make_router() -> Router[Any]:
    router: Router[Any] = Router()
    router.command("new", "新建", args=lambda raw, ctx: raw)(handler)
    router.command("who", "查", args=lambda raw, ctx: raw)(handler)
    return router


@pytest.mark.parametrize(("text", "key", "rest", "locale"), [
    ("新建 华为 50万", "new", "华为 50万", "zh-CN"),
    ("新建华为", "new", "华为", "zh-CN"),
    ("/new Acme", "new", "Acme", "en"),
    ("NEW Acme", "new", "Acme", "en"),
    ("查 华为", "who", "华为", "zh-CN"),
])
def test_match(text: str, key: str, rest: str, locale: str) -> None:
    match = make_router().match(text)
    assert match is not None
    assert (match.spec.key, match.rest, match.locale) == (key, rest, locale)


def test_no_match_for_unknown_words() -> None:
    assert make_router().match("hello there") is None


def test_closest_command_for_a_typo() -> None:
    spec = make_router().closest("nwe Acme")
    assert spec is not None
    assert spec.key == "new"


def test_a_name_registered_twice_is_an_error() -> None:
    router = make_router()
    with pytest.raises(ValueError, match="twice"):
        router.command("other", "新建", args=lambda raw, ctx: raw)(handler)
