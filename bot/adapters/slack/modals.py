"""Modals for the Log (跟进) and Remind (提醒) buttons, and the command text a submitted modal stands for.

Opening a modal is an adapter concern: a click on `deal.log_prompt` / `deal.remind_prompt` opens one
(views.open with the click's trigger_id) instead of asking the user to type; the submission becomes
the same InboundMessage as the typed command (`log #12 <note> next <when>`), so handlers stay neutral.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from bot.core.replies import ActionRef

MODAL_ACTIONS = {"deal.log_prompt": "log", "deal.remind_prompt": "remind"}
CALLBACK_PREFIX = "dealbot."

# Command words as the router knows them (handlers/locales), and the modal's own labels.
_WORDS: dict[str, dict[str, str]] = {
    "zh-CN": {"log": "跟进", "remind": "提醒", "next": "下次", "save": "保存", "cancel": "取消",
              "note": "跟进内容", "when_next": "下次跟进（可不填）", "when": "什么时候提醒",
              "example": "下周三上午10点"},
    "en": {"log": "log", "remind": "remind", "next": "next", "save": "Save", "cancel": "Cancel",
           "note": "What happened", "when_next": "Next follow-up (optional)", "when": "Remind me when",
           "example": "next Wed 10am"},
}


def _words(lang: str | None) -> dict[str, str]:
    return _WORDS.get(lang or "", _WORDS["zh-CN"])


def _plain(text: str) -> dict[str, Any]:
    return {"type": "plain_text", "text": text, "emoji": True}


def _input(block_id: str, label: str, *, multiline: bool = False, optional: bool = False,
           placeholder: str | None = None) -> dict[str, Any]:
    element: dict[str, Any] = {"type": "plain_text_input", "action_id": block_id, "multiline": multiline}
    if placeholder:
        element["placeholder"] = _plain(placeholder)
    return {"type": "input", "block_id": block_id, "optional": optional, "label": _plain(label), "element": element}


def modal_view(action: ActionRef, origin: Mapping[str, Any]) -> dict[str, Any] | None:
    """The views.open `view` for a Log/Remind click; None for any other action.

    `origin` (team, channel, thread, direct) rides in private_metadata so the submission is answered
    in the conversation the card was in.
    """
    kind = MODAL_ACTIONS.get(action.name)
    if kind is None or "id" not in action.args:
        return None
    words = _words(action.args.get("lang"))
    meta = {"id": action.args["id"], "lang": action.args.get("lang"), **origin}
    if kind == "log":
        blocks = [_input("note", words["note"], multiline=True),
                  _input("next", words["when_next"], optional=True, placeholder=words["example"])]
    else:
        blocks = [_input("when", words["when"], placeholder=words["example"])]
    return {"type": "modal", "callback_id": CALLBACK_PREFIX + kind,
            "title": _plain(f"{words[kind]} #{action.args['id']}"[:24]),  # Slack caps modal titles at 24
            "submit": _plain(words["save"]), "close": _plain(words["cancel"]),
            "private_metadata": json.dumps(meta, ensure_ascii=False), "blocks": blocks}


def submission(view: Mapping[str, Any]) -> tuple[str, dict[str, Any]] | None:
    """(command text, origin metadata) for a submitted dealbot modal; None for anything else."""
    kind = str(view.get("callback_id", "")).removeprefix(CALLBACK_PREFIX)
    if kind not in ("log", "remind"):
        return None
    try:
        meta = json.loads(view.get("private_metadata") or "{}")
    except ValueError:
        return None
    if not isinstance(meta, dict) or not str(meta.get("id", "")).isdigit():
        return None
    values = view.get("state", {}).get("values", {})

    def value(block: str) -> str:
        # Newlines would split the command; a multi-line note is kept on one line.
        raw = values.get(block, {}).get(block, {}).get("value") or ""
        return " ".join(str(raw).split())

    words = _words(meta.get("lang"))
    if kind == "log":
        text = f"{words['log']} #{meta['id']} {value('note')}"
        if value("next"):
            text += f" {words['next']} {value('next')}"
    else:
        text = f"{words['remind']} #{meta['id']} {value('when')}"
    return text, meta
