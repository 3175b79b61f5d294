"""Dispatcher: inbox dedupe, per-conversation serialization, routing, error replies, one commit."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Coroutine, Sequence
from dataclasses import dataclass, replace
from typing import Any

from bot.core import i18n
from bot.core.context import HandlerContext
from bot.core.errors import ArgError, BadAction, UserFacingError
from bot.core.messages import InboundAction, InboundEvent, InboundMessage
from bot.core.ports import Session, SessionFactory
from bot.core.replies import ActionRef, Reply, Text, dump
from bot.core.router import HandlerResult, Router

log = logging.getLogger("bot.dispatch")
RETRIES = 3


class KeyedLock:
    """One asyncio.Lock per key, dropped when nobody holds or waits for it."""

    def __init__(self) -> None:
        self._locks: dict[str, tuple[asyncio.Lock, int]] = {}

    async def run(self, key: str, work: Callable[[], Awaitable[Any]]) -> Any:
        lock, users = self._locks.get(key, (asyncio.Lock(), 0))
        self._locks[key] = (lock, users + 1)
        try:
            async with lock:
                return await work()
        finally:
            lock, users = self._locks[key]
            if users <= 1:
                del self._locks[key]
            else:
                self._locks[key] = (lock, users - 1)


class TaskSet:
    """Keeps strong references to background tasks and drains them on shutdown."""

    def __init__(self) -> None:
        self._tasks: set[asyncio.Task[Any]] = set()

    def spawn(self, coro: Coroutine[Any, Any, Any]) -> asyncio.Task[Any]:
        task = asyncio.get_running_loop().create_task(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return task

    async def drain(self, within: float = 10.0) -> None:
        """Wait for running tasks, at most `within` seconds (shutdown must not hang)."""
        if self._tasks:
            await asyncio.wait(set(self._tasks), timeout=within)

    def __len__(self) -> int:
        return len(self._tasks)


@dataclass(frozen=True, slots=True)
class HelpProvider:
    """What the dispatcher says when nothing matched: built by the handlers package."""

    unknown: Callable[[str, str], Reply]  # (text, locale) -> reply with the closest command's help
    usage: Callable[[str, str, ArgError], Reply]  # (command key, locale, error) -> usage line + example


class Dispatcher:
    """Turns one inbound event into replies written to the outbox, inside one transaction."""

    def __init__(self, router: Router[Any], sessions: SessionFactory, help: HelpProvider,
                 *, max_text_chars: int = 4000, default_locale: str = i18n.DEFAULT_LOCALE) -> None:
        self.router = router
        self.sessions = sessions
        self.help = help
        self.max_text_chars = max_text_chars
        self.default_locale = default_locale
        self.locks = KeyedLock()
        # Called after each commit that wrote replies (the server wakes its outbox worker with it).
        self.on_commit: Callable[[], None] | None = None

    async def handle(self, event: InboundEvent) -> list[Reply]:
        """Process one event; returns the replies written (empty for a duplicate)."""
        conv = event.conversation
        key = f"{conv.platform}:{conv.tenant}:{conv.channel}:{event.sender.user_id}"
        result: list[Reply] = await self.locks.run(key, lambda: self._handle_with_retries(event))
        return result

    async def _handle_with_retries(self, event: InboundEvent) -> list[Reply]:
        for attempt in range(RETRIES):
            async with self.sessions(event) as session:
                try:
                    return await self._handle(session, event)
                except Exception as exc:
                    await session.rollback()
                    if session.is_retryable(exc) and attempt + 1 < RETRIES:
                        continue
                    return await self._answer_failure(session, event, exc)
        return []

    async def _handle(self, session: Session, event: InboundEvent) -> list[Reply]:
        if not await session.record_inbox(event.conversation.platform.value, event.event_key):
            return []
        text = event.text if isinstance(event, InboundMessage) else ""
        locale = i18n.guess_locale(text) if text else self.default_locale
        user = await session.bind(event.sender, event.event_key)
        if isinstance(event, InboundMessage) and len(event.text) > self.max_text_chars:
            replies = [Reply(Text(i18n.t("error.too_long", locale, limit=self.max_text_chars)))]
        elif user is None:
            replies = [Reply(Text(i18n.t("error.unknown_sender", locale, id=event.sender.user_id)))]
        else:
            if not text:
                locale = session.user_locale(user) or self.default_locale
            ctx = HandlerContext(session.services, user, locale, session.user_tz(user),
                                 event.received_at, event)
            replies = await self._route(ctx, event)
        await self._write(session, event, replies)
        await session.commit()
        if self.on_commit is not None:
            self.on_commit()
        return replies

    async def _route(self, ctx: HandlerContext[Any, Any], event: InboundEvent) -> list[Reply]:
        if isinstance(event, InboundAction):
            try:
                action = ActionRef.unpack(event.action)
            except BadAction:
                return [Reply(Text(i18n.t("error.bad_action", ctx.locale)))]
            handler = self.router.action_handler(action.name)
            if handler is None:
                return [Reply(Text(i18n.t("error.bad_action", ctx.locale)))]
            if action.args.get("lang") in i18n.LOCALES:  # answer a click in the card's language
                ctx = replace(ctx, locale=action.args["lang"])
            return _as_list(await handler(ctx, action))
        match = self.router.match(event.text)
        if match is None:
            return [self.help.unknown(event.text, ctx.locale)]
        ctx = replace(ctx, locale=match.locale)
        try:
            args = match.spec.parse_args(match.rest, ctx)
        except ArgError as exc:
            return [self.help.usage(match.spec.key, ctx.locale, exc)]
        return _as_list(await match.spec.handler(ctx, args))

    async def _write(self, session: Session, event: InboundEvent, replies: Sequence[Reply]) -> None:
        for reply in replies:
            await session.enqueue(event.conversation, dump(reply), "reply" if reply.to is None else "notice")

    async def _answer_failure(self, session: Session, event: InboundEvent, exc: Exception) -> list[Reply]:
        """A refusal or a crash still gets an answer; the failed change is already rolled back."""
        text = event.text if isinstance(event, InboundMessage) else ""
        locale = i18n.guess_locale(text) if text else self.default_locale
        mapped = session.map_error(exc)
        if isinstance(exc, UserFacingError):
            mapped = (exc.code, exc.params)
        if mapped is None:
            log.exception("command failed", extra={"event_key": event.event_key})
            reply = Reply(Text(i18n.t("error.internal", locale)))
        else:
            code, params = mapped
            reply = Reply(Text(i18n.t(code, locale, **params)))
        try:
            await session.record_inbox(event.conversation.platform.value, event.event_key)
            await self._write(session, event, [reply])
            await session.commit()
        except Exception:
            log.exception("could not record the failure reply", extra={"event_key": event.event_key})
            await session.rollback()
        return [reply]


def _as_list(result: HandlerResult) -> list[Reply]:
    return [result] if isinstance(result, Reply) else list(result)
