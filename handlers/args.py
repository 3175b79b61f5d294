"""Typed arguments of every command, read from the text after the command word."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from bot.core.errors import ArgError
from handlers.context import Ctx
from handlers.parsing.amounts import AmountMatch, find_amount
from handlers.parsing.contacts import find_email, find_phone
from handlers.parsing.dates import WhenMatch, find_when
from handlers.textspans import Line, Token, split_ref
from storage.dto import Money
from storage.services import ContactInput, DealRef

# 下次/next introduce the next follow-up time; "next" may also begin the time itself ("next Tue").
_NEXT = re.compile(r"(下次跟进|下次联系|下次|下回|next\s+follow[- ]?up|next)\s*[:：]?\s*", re.IGNORECASE)
_REF_ID = re.compile(r"^[#＃]?\s*(\d{1,12})$")
_KINDS = (
    ("visit", ("拜访", "上门", "面谈", "见面", "visit", "met ")),
    ("meeting", ("会议", "开会", "meeting", "demo", "演示")),
    ("wechat", ("微信", "wechat", "企微")),
    ("email", ("邮件", "email", "e-mail", "mail")),
    ("call", ("电话", "致电", "打给", "通话", "call", "phone", "rang")),
)


def guess_kind(note: str) -> str:
    """call, visit, wechat, email or meeting, from words in the note; note when nothing says."""
    lowered = note.casefold()
    for kind, words in _KINDS:
        if any(word in lowered for word in words):
            return kind
    return "note"


def parse_ref(word: str) -> DealRef:
    match = _REF_ID.match(word.strip())
    return DealRef(deal_id=int(match.group(1))) if match else DealRef(customer=word.strip())


@dataclass(frozen=True, slots=True)
class Found:
    when: WhenMatch | None
    keyword_at: int | None


def take_when(line: Line, ctx: Ctx, *, need_keyword: bool) -> Found:
    """The follow-up time after 下次/next (or anywhere, when no keyword is needed), marked as used."""
    text = line.text
    for kw in _NEXT.finditer(text):
        whole = find_when(text[kw.start() :], ctx.now, ctx.tz)
        if whole is not None and whole.start == 0:  # "next Tue": the keyword is part of the time
            line.use(kw.start(), kw.start() + whole.end)
            return Found(_shift(whole, kw.start()), kw.start())
        after = find_when(text[kw.end() :], ctx.now, ctx.tz)
        if after is not None and text[kw.end() : kw.end() + after.start].strip() == "":
            line.use(kw.start(), kw.end() + after.end)
            return Found(_shift(after, kw.end()), kw.start())
        if kw.group(1).startswith("下") or kw.group(1).lower().startswith("next follow"):
            raise ArgError("arg.when", part=text[kw.end() :].strip() or kw.group(0), text=text[kw.end() :].strip())
    if need_keyword:
        return Found(None, None)
    found = find_when(text, ctx.now, ctx.tz)
    if found is not None:
        line.use(found.start, found.end)
    return Found(found, None)


def _shift(found: WhenMatch, offset: int) -> WhenMatch:
    return WhenMatch(found.when, found.start + offset, found.end + offset, found.date_only)


def take_amount(line: Line) -> AmountMatch | None:
    found = find_amount(line.blanked())
    if found is not None:
        line.use(found.start, found.end)
    return found


# Amounts are stored exactly on PostgreSQL; SQLite keeps 15 significant digits, so anything at or
# above ten trillion is refused (no deal is that large; such a number is a typo).
MAX_AMOUNT = Decimal(10) ** 13


def money_of(found: AmountMatch | None) -> Money | None:
    if found is None:
        return None
    if found.amount >= MAX_AMOUNT or found.amount < 0:
        raise ArgError("arg.amount_too_large", part="amount")
    return Money(found.amount, found.currency)


@dataclass(frozen=True, slots=True)
class NewArgs:
    customer: str
    money: Money | None
    amount_text: str | None
    contact: ContactInput | None
    next_at: datetime | None
    next_text: str | None
    note: str | None
    raw: str


def parse_new(raw: str, ctx: Ctx) -> NewArgs:
    line = Line(raw)
    found = take_when(line, ctx, need_keyword=False)
    amount = take_amount(line)
    phone = find_phone(line.blanked())
    if phone is not None:
        line.use(phone.start, phone.end)
    email = find_email(line.blanked())
    if email is not None:
        line.use(email.start, email.end)
    tokens = line.tokens()
    first_used = line.first_used()
    leading = [tok for tok in tokens if tok.end <= first_used] or tokens[:1]
    if not leading:
        raise ArgError("arg.customer", part="customer")
    contact_name = None
    if phone is not None:
        before_phone = [tok for tok in tokens if tok.end <= phone.start]
        candidate = before_phone[-1] if before_phone else None
        if candidate is not None and (candidate not in leading or len(leading) > 1):
            contact_name = candidate.text
            if candidate in leading:
                leading = leading[:-1]
    leading = _customer_words(leading)
    customer = " ".join(tok.text for tok in leading)
    rest = [tok.text for tok in tokens if tok not in leading and tok.text != contact_name]
    contact = ContactInput(contact_name, phone.e164 if phone else None, email.address if email else None)
    when = found.when
    return NewArgs(
        customer=customer, money=money_of(amount), amount_text=raw[amount.start : amount.end] if amount else None,
        contact=None if contact.empty else contact, next_at=when.when if when else None,
        next_text=raw[when.start : when.end] if when else None, note=" ".join(rest) or None, raw=raw,
    )


_LEGAL_WORDS = {"inc", "inc.", "ltd", "ltd.", "co", "co.", "corp", "corp.", "llc", "plc", "gmbh", "limited", "group"}


def _customer_words(tokens: list[Token]) -> list[Token]:
    """A Chinese name is one word ("新建 华为 二期": 二期 is a note); an English one runs on while
    its words are capitalized or a legal form ("Applied Materials Inc")."""
    words = tokens[:1]
    for tok in tokens[1:]:
        if not (tok.text.isascii() and words[-1].text.isascii()):
            break
        if not (tok.text[:1].isupper() or tok.text.casefold() in _LEGAL_WORDS):
            break
        words.append(tok)
    return words


@dataclass(frozen=True, slots=True)
class LogArgs:
    ref: DealRef
    note: str
    kind: str
    next_at: datetime | None
    next_text: str | None
    raw: str


def parse_log(raw: str, ctx: Ctx) -> LogArgs:
    word, rest = split_ref(raw)
    if not word:
        raise ArgError("arg.ref", part="ref")
    line = Line(rest)
    found = take_when(line, ctx, need_keyword=True)
    note = " ".join(tok.text for tok in line.tokens())
    if not note:
        raise ArgError("arg.note", part="note")
    when = found.when
    return LogArgs(parse_ref(word), note, guess_kind(note), when.when if when else None,
                   rest[when.start : when.end] if when else None, raw)


@dataclass(frozen=True, slots=True)
class RefArgs:
    ref: DealRef
    rest: str


def parse_ref_only(raw: str, ctx: Ctx) -> RefArgs:
    word, rest = split_ref(raw)
    if not word:
        raise ArgError("arg.ref", part="ref")
    return RefArgs(parse_ref(word), rest)


@dataclass(frozen=True, slots=True)
class WhenArgs:
    ref: DealRef
    when: datetime
    text: str


def parse_remind(raw: str, ctx: Ctx) -> WhenArgs:
    ref = parse_ref_only(raw, ctx)
    if not ref.rest:
        raise ArgError("arg.when_missing", part="when")
    found = find_when(ref.rest, ctx.now, ctx.tz)
    if found is None:
        raise ArgError("arg.when", part=ref.rest, text=ref.rest)
    return WhenArgs(ref.ref, found.when, ref.rest[found.start : found.end])


@dataclass(frozen=True, slots=True)
class MoveArgs:
    ref: DealRef
    stage: str | None


def parse_move(raw: str, ctx: Ctx) -> MoveArgs:
    ref = parse_ref_only(raw, ctx)
    if not ref.rest:
        return MoveArgs(ref.ref, None)
    pipeline = ctx.services.pipeline
    stage = pipeline.find(ref.rest.lstrip("到至→>").strip())
    if stage is None:
        names = "、".join(pipeline.label(s.key, ctx.locale) for s in pipeline.stages)
        raise ArgError("arg.stage", part=ref.rest, text=ref.rest, stages=names)
    return MoveArgs(ref.ref, stage)


@dataclass(frozen=True, slots=True)
class WonArgs:
    ref: DealRef
    money: Money | None


def parse_won(raw: str, ctx: Ctx) -> WonArgs:
    ref = parse_ref_only(raw, ctx)
    amount = find_amount(ref.rest) if ref.rest else None
    if ref.rest and amount is None:
        raise ArgError("arg.amount", part=ref.rest, text=ref.rest)
    return WonArgs(ref.ref, money_of(amount))


@dataclass(frozen=True, slots=True)
class LostArgs:
    ref: DealRef
    reason: str


def parse_lost(raw: str, ctx: Ctx) -> LostArgs:
    ref = parse_ref_only(raw, ctx)
    if not ref.rest:
        raise ArgError("arg.reason", part="reason")
    return LostArgs(ref.ref, ref.rest)


@dataclass(frozen=True, slots=True)
class WhoArgs:
    query: str
    contact: ContactInput | None


def parse_who(raw: str, ctx: Ctx) -> WhoArgs:
    query = raw.strip().rstrip("?？")
    if not query:
        raise ArgError("arg.query", part="query")
    phone, email = find_phone(query), find_email(query)
    contact = ContactInput(None, phone.e164 if phone else None, email.address if email else None)
    return WhoArgs(query, None if contact.empty else contact)


@dataclass(frozen=True, slots=True)
class AssignArgs:
    ref: DealRef
    login: str


def parse_assign(raw: str, ctx: Ctx) -> AssignArgs:
    ref = parse_ref_only(raw, ctx)
    login = ref.rest.split()[0].lstrip("@＠") if ref.rest.split() else ""
    if not login:
        raise ArgError("arg.person", part="person")
    return AssignArgs(ref.ref, login)


@dataclass(frozen=True, slots=True)
class NoArgs:
    rest: str = ""


def parse_none(raw: str, ctx: Ctx) -> NoArgs:
    return NoArgs(raw.strip())


# 提醒 关闭 日报 / remind off digest: switching a kind of reminder off or on (issue 4b).
_SWITCH_WORDS = {"关闭": False, "关掉": False, "停止": False, "off": False, "disable": False,
                 "开启": True, "打开": True, "恢复": True, "on": True, "enable": True}
_REMINDER_KINDS = {
    "跟进": ("nudge",), "跟进提醒": ("nudge",), "到期": ("nudge",), "nudge": ("nudge",), "nudges": ("nudge",),
    "逾期": ("overdue",), "逾期提醒": ("overdue",), "overdue": ("overdue",),
    "停滞": ("stale",), "停滞提醒": ("stale",), "stale": ("stale",),
    "公海": ("pool",), "公海提醒": ("pool",), "pool": ("pool",),
    "日报": ("digest",), "digest": ("digest",), "digests": ("digest",),
    "全部": ("nudge", "overdue", "stale", "pool", "digest"), "所有": ("nudge", "overdue", "stale", "pool", "digest"),
    "all": ("nudge", "overdue", "stale", "pool", "digest"),
}


@dataclass(frozen=True, slots=True)
class SwitchArgs:
    enabled: bool
    kinds: tuple[str, ...]


def parse_switch(raw: str, ctx: Ctx) -> SwitchArgs | None:
    """`关闭 日报` / `off digest` (also glued: 关闭日报); None when the text is not a switch, so that
    `提醒 <customer> <when>` keeps working for a customer whose name starts like a switch word."""
    text = raw.strip()
    head = text.split(maxsplit=1)[0].casefold() if text else ""
    word = next((w for w in sorted(_SWITCH_WORDS, key=len, reverse=True)
                 if head == w or (not w.isascii() and head.startswith(w))), None)
    if word is None:
        return None
    rest = text[len(word) :].strip()
    words = [w for w in re.split(r"[\s,，、;；和及]+", rest) if w]
    kinds = [_REMINDER_KINDS.get(w.casefold()) for w in words]
    if head != word and (not words or kinds[0] is None):
        return None  # glued to something that is not a kind: a customer name
    if not words or None in kinds:
        raise ArgError("arg.remind_kind", part=rest or "kind", text=rest)
    return SwitchArgs(_SWITCH_WORDS[word], tuple(dict.fromkeys(k for ks in kinds if ks for k in ks)))


def parse_remind_or_switch(raw: str, ctx: Ctx) -> WhenArgs | SwitchArgs:
    return parse_switch(raw, ctx) or parse_remind(raw, ctx)
