"""帮助/help and 撤销/undo, and the answers for unknown commands and unreadable arguments."""

from __future__ import annotations

from bot.core.dispatch import HelpProvider
from bot.core.errors import ArgError
from bot.core.i18n import t
from bot.core.replies import Card, Field, Reply, Text
from bot.core.router import HandlerResult, Router
from handlers.args import NoArgs, parse_none
from handlers.context import Ctx

ORDER = ("new", "log", "move", "won", "lost", "who", "mine", "today", "remind", "assign", "pool", "claim",
         "release", "funnel", "digest", "undo", "help")


def usage_text(key: str, locale: str) -> str:
    return t("help.detail", locale, usage=t(f"usage.{key}", locale), example=t(f"example.{key}", locale))


def overview(locale: str, undo_minutes: int = 10) -> Reply:
    fields = tuple(Field(t(f"usage.{key}", locale), t(f"desc.{key}", locale, minutes=undo_minutes))
                   for key in ORDER)
    title = t("help.title", locale)
    lines = [title, *(f"{f.label} — {f.value}" for f in fields), t("help.footer", locale)]
    return Reply(Card(title, "\n".join(lines), summary=t("help.footer", locale), fields=fields))


def build_help(router: Router[Ctx]) -> HelpProvider:
    def unknown(text: str, locale: str) -> Reply:
        shown = text.strip()[:30]
        spec = router.closest(text)
        if spec is None:
            return Reply(Text(t("help.unknown_plain", locale, text=shown)), data={"error": "unknown_command"})
        message = t("help.unknown", locale, text=shown, usage=t(f"usage.{spec.key}", locale),
                    example=t(f"example.{spec.key}", locale))
        return Reply(Text(message), data={"error": "unknown_command", "closest": spec.key})

    def usage(key: str, locale: str, error: ArgError) -> Reply:
        problem = t(error.code, locale, **error.params)
        message = t("help.usage_error", locale, problem=problem, usage=t(f"usage.{key}", locale),
                    example=t(f"example.{key}", locale))
        return Reply(Text(message), data={"error": error.code, "command": key, "part": error.part})

    return HelpProvider(unknown, usage)


def make_help(router: Router[Ctx]) -> object:
    async def help_command(ctx: Ctx, args: NoArgs) -> HandlerResult:
        if args.rest:
            match = router.match(args.rest)
            if match is not None:
                return Reply(Text(usage_text(match.spec.key, ctx.locale)), data={"command": match.spec.key})
        return overview(ctx.locale, ctx.services.ctx.pipeline.undo_minutes)

    return help_command


async def undo(ctx: Ctx, args: NoArgs) -> HandlerResult:
    result = await ctx.services.undo.undo()
    what = t(f"undo.{result.action}", ctx.locale, id=result.entity_id)
    return Reply(Text(t("reply.undone", ctx.locale, what=what)),
                 data={"undone": result.action, "entity": result.entity, "entity_id": result.entity_id})


def register(router: Router[Ctx]) -> None:
    router.command("undo", "撤销", "撤回", args=parse_none)(undo)
    router.command("help", "帮助", "?", "？", args=parse_none)(make_help(router))  # type: ignore[arg-type]
