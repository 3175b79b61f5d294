"""Renders neutral replies as terminal text; buttons become numbered choices."""

from __future__ import annotations

from bot.core.replies import Button, Card, Reply


def render(reply: Reply, first_number: int = 1) -> tuple[str, list[Button]]:
    """The text to print, and the buttons in the order of their numbers."""
    if not isinstance(reply.body, Card):
        return reply.body.text, []
    card = reply.body
    lines = [f"【{card.title}】"]
    if card.summary:
        lines.append(card.summary)
    width = max((len(f.label) for f in card.fields), default=0)
    lines += [f"  {f.label.ljust(width)}  {f.value}" for f in card.fields]
    buttons = list(card.buttons)
    if buttons:
        lines.append("  " + "  ".join(f"[{first_number + i}] {b.label}" for i, b in enumerate(buttons)))
    return "\n".join(lines), buttons


def render_push(recipient: str, reply: Reply) -> str:
    text, _ = render(reply)
    return f"→ {recipient}: " + text.replace("\n", "\n  ")
