"""What an import did (or, with --dry-run, would do), row by row, and its plain-text report."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

STATUSES = ("new", "same", "possible", "collision", "invalid")


@dataclass(frozen=True, slots=True)
class Outcome:
    """One row: `new` created, `same` merged into an existing customer, `possible` left for a human,
    `collision` refused (another rep's protected customer), `invalid` not understood."""

    row: int
    name: str
    status: str
    customer_id: int | None = None
    customer: str | None = None  # the existing customer a `same` row was merged into
    owner: str | None = None  # that customer's owner login
    note: str = ""
    candidates: tuple[tuple[int, str, str | None], ...] = ()  # possible rows: (id, name, owner login)
    deal_id: int | None = None


@dataclass(slots=True)
class ImportReport:
    what: str  # customers | deals
    dry_run: bool
    rows: list[Outcome] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        found = Counter(o.status for o in self.rows)
        return {status: found[status] for status in STATUSES}

    def as_json(self) -> dict[str, Any]:
        return {"what": self.what, "dry_run": self.dry_run, "counts": self.counts(),
                "rows": [{k: getattr(o, k) for k in Outcome.__slots__} for o in self.rows]}

    def text(self) -> str:
        head = "dry run: nothing written" if self.dry_run else "imported"
        counts = ", ".join(f"{n} {status}" for status, n in self.counts().items() if n)
        lines = [f"{self.what}: {head} ({counts or 'no rows'})"]
        for status in STATUSES:
            rows = [o for o in self.rows if o.status == status]
            if rows:
                lines.append(f"\n{status.upper()} ({len(rows)})")
                lines += [self._line(o) for o in rows]
        return "\n".join(lines)

    @staticmethod
    def _line(o: Outcome) -> str:
        text = f"  row {o.row}: {o.name}"
        if o.status in ("same", "collision") and o.customer:
            text += f" = #{o.customer_id} {o.customer} (owner {o.owner or 'pool'})"
        elif o.status == "new" and o.customer_id:
            text += f" -> #{o.customer_id}" if o.customer_id > 0 else ""
        if o.deal_id:
            text += f", deal #{o.deal_id}"
        if o.candidates:
            text += " ? " + "; ".join(f"#{cid} {name} (owner {owner or 'pool'})" for cid, name, owner in o.candidates)
        return text + (f"  [{o.note}]" if o.note else "")
