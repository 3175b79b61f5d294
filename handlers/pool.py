"""公海/pool, 领取/claim, 释放/release: the public pool of unowned customers."""

from __future__ import annotations

from bot.core.errors import ArgError
from bot.core.i18n import t
from bot.core.replies import ActionRef, Button, Card, Reply, Text
from bot.core.router import HandlerResult, Router
from handlers.args import NoArgs, RefArgs, parse_none, parse_ref_only
from handlers.context import Ctx
from handlers.format import format_date
from handlers.views import action
from storage.errors import NotFound


async def pool(ctx: Ctx, args: NoArgs) -> HandlerResult:
    entries = await ctx.services.pool.list()
    if not entries:
        return Reply(Text(t("reply.pool_empty", ctx.locale)), data={"customers": []})
    title = t("reply.pool_title", ctx.locale, count=len(entries))
    lines = [t("reply.pool_line", ctx.locale, id=e.customer_id, customer=e.customer,
               city=f"（{e.city}）" if e.city else "", former=e.former_owner or t("reply.nobody", ctx.locale),
               last=format_date(e.last_activity_at, ctx.tz)) for e in entries]
    buttons = tuple(Button(f"{t('usage.claim', ctx.locale).split()[0]} {e.customer_id}",
                           action("pool.claim", ctx.locale, customer=str(e.customer_id))) for e in entries[:5])
    data = {"customers": [{"customer_id": e.customer_id, "customer": e.customer} for e in entries]}
    return Reply(Card(title, "\n".join([title, *lines]), summary="\n".join(lines), buttons=buttons), data=data)


async def _customer_id(ctx: Ctx, args: RefArgs) -> int:
    """Claim takes a customer id or name; a `#id` given to release is a deal number."""
    if args.ref.deal_id is not None:
        return args.ref.deal_id
    hits = await ctx.services.customers.find(args.ref.customer)
    if not hits:
        raise NotFound("error.no_such_customer", id=args.ref.customer)
    return hits[0].customer_id


async def claim(ctx: Ctx, args: RefArgs) -> HandlerResult:
    return await _claim(ctx, await _customer_id(ctx, args))


async def _claim(ctx: Ctx, customer_id: int) -> Reply:
    customer = await ctx.services.pool.claim(customer_id)
    return Reply(Text(t("reply.claimed_customer", ctx.locale, id=customer.id, customer=customer.name)),
                 data={"customer_id": customer.id, "customer": customer.name})


async def release(ctx: Ctx, args: RefArgs) -> HandlerResult:
    if args.ref.deal_id is not None:
        deal = await ctx.services.queries.deal(args.ref)
        customer_id = deal.customer_id
    else:
        customer_id = await _customer_id(ctx, args)
    customer = await ctx.services.pool.release(customer_id)
    return Reply(Text(t("reply.released", ctx.locale, customer=customer.name)),
                 data={"customer_id": customer.id, "customer": customer.name})


async def claim_clicked(ctx: Ctx, action: ActionRef) -> HandlerResult:
    try:
        customer_id = int(action.args["customer"])
    except (KeyError, ValueError) as exc:
        raise ArgError("arg.ref", part="customer") from exc
    return await _claim(ctx, customer_id)


def register(router: Router[Ctx]) -> None:
    router.command("pool", "公海", args=parse_none)(pool)
    router.command("claim", "领取", "认领", args=parse_ref_only)(claim)
    router.command("release", "释放", "退回", args=parse_ref_only)(release)
    router.action("pool.claim")(claim_clicked)
