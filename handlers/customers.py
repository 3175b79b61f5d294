"""是同一家 / 不是: the buttons under a possible or ambiguous customer match, from 新建 and from 查.

On a new deal the buttons merge the customer just made into the chosen one (the collision rule runs
again) or remember "not the same"; on 查 they learn the typed name as an alias, or remember the "no".
"""

from __future__ import annotations

from collections.abc import Sequence

from bot.core.errors import ArgError, BadAction
from bot.core.i18n import t
from bot.core.replies import ActionRef, Button, Reply, Text
from bot.core.router import HandlerResult, Router
from handlers.context import Ctx
from handlers.views import action
from storage.dto import MatchCandidate, WhoEntry

MAX_CHOICES = 3  # buttons for the best candidates; the rest are listed in the text


def _fits(ref: ActionRef) -> bool:
    try:
        ref.pack()
    except BadAction:
        return False
    return True


def _owner(ctx: Ctx, name: str | None) -> str:
    return t("customers.owned_by", ctx.locale, owner=name) if name else t("customers.in_pool", ctx.locale)


def candidate_lines(ctx: Ctx, candidates: Sequence[MatchCandidate]) -> list[str]:
    return [t("customers.candidate_line", ctx.locale, customer=c.customer, owner=_owner(ctx, c.owner_name))
            for c in candidates]


def new_customer_buttons(ctx: Ctx, customer_id: int, candidates: Sequence[MatchCandidate]) -> tuple[Button, ...]:
    """是同一家 X for the best candidates, and one 都不是 for all of them."""
    loc, source = ctx.locale, str(customer_id)
    buttons = [Button(t("button.same_customer", loc, customer=c.customer[:20]),
                      action("cust.same", loc, c=source, x=str(c.customer_id)))
               for c in candidates[:MAX_CHOICES]]
    ids = ",".join(str(c.customer_id) for c in candidates)
    none = action("cust.not", loc, c=source, x=ids)
    return (*buttons, Button(t("button.not_same", loc), none)) if _fits(none) else tuple(buttons)


def who_buttons(ctx: Ctx, query: str, entries: Sequence[WhoEntry]) -> tuple[Button, ...]:
    """On 查: a possible match is confirmed as an alias, or dismissed for good. None if the query is too long
    to travel in a button."""
    loc = ctx.locale
    possible = [e for e in entries if e.match == "possible"]
    buttons = [Button(t("button.same_customer", loc, customer=e.customer[:20]),
                      action("cust.alias", loc, q=query, x=str(e.customer_id))) for e in possible[:MAX_CHOICES]]
    none = action("cust.notq", loc, q=query, x=",".join(str(e.customer_id) for e in possible))
    if not possible or not all(_fits(b.action) for b in buttons) or not _fits(none):
        return ()
    return (*buttons, Button(t("button.not_same", loc), none))


def _ids(clicked: ActionRef, key: str) -> list[int]:
    try:
        ids = [int(part) for part in clicked.args[key].split(",") if part]
    except (KeyError, ValueError) as exc:
        raise ArgError("arg.ref", part="customer") from exc
    if not ids:
        raise ArgError("arg.ref", part="customer")
    return ids


def _one(clicked: ActionRef, key: str) -> int:
    return _ids(clicked, key)[0]


async def same_clicked(ctx: Ctx, clicked: ActionRef) -> HandlerResult:
    from handlers.deals import collision_replies

    source, target = _one(clicked, "c"), _one(clicked, "x")
    merged = await ctx.services.confirm.merge(source, target)
    data = {"customer_id": merged.customer_id, "customer": merged.customer, "deal_ids": list(merged.deal_ids)}
    if merged.collision is not None:
        ids = " ".join(f"#{i}" for i in merged.deal_ids)
        withdrawn = Reply(Text(t("customers.withdrawn", ctx.locale, customer=merged.customer, ids=ids)),
                          data={**data, "withdrawn": True})
        return [withdrawn, *collision_replies(ctx, merged.customer, merged.collision)]
    ids = " ".join(f"#{i}" for i in merged.deal_ids)
    return Reply(Text(t("customers.merged", ctx.locale, customer=merged.customer, ids=ids)),
                 data={**data, "merged": True})


async def not_same_clicked(ctx: Ctx, clicked: ActionRef) -> HandlerResult:
    source = _one(clicked, "c")
    name, _ = await ctx.services.confirm.not_same_for_new(source, _ids(clicked, "x"))
    return Reply(Text(t("customers.kept_new", ctx.locale, customer=name)),
                 data={"customer_id": source, "not_same": _ids(clicked, "x")})


async def alias_clicked(ctx: Ctx, clicked: ActionRef) -> HandlerResult:
    query = clicked.args.get("q", "")
    target = _one(clicked, "x")
    await ctx.services.confirm.learn_alias(query, target)
    return Reply(Text(t("customers.learned", ctx.locale, query=query)), data={"customer_id": target, "alias": query})


async def not_same_query_clicked(ctx: Ctx, clicked: ActionRef) -> HandlerResult:
    query = clicked.args.get("q", "")
    await ctx.services.confirm.not_same(query, _ids(clicked, "x"))
    return Reply(Text(t("customers.dismissed", ctx.locale, query=query)), data={"not_same": _ids(clicked, "x")})


def register(router: Router[Ctx]) -> None:
    router.action("cust.same")(same_clicked)
    router.action("cust.not")(not_same_clicked)
    router.action("cust.alias")(alias_clicked)
    router.action("cust.notq")(not_same_query_clicked)
