"""core command indexes (issue 2): a rep's open deals, counted and by latest activity, for 我的

Revision ID: 0005_core_commands
Revises: 0004_analytics
Create Date: 2026-11-28 15:00:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = '0005_core_commands'
down_revision: str | None = '0004_analytics'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# name, table, columns: 我的 counts the rep's open deals from the index alone (with the customer to
# check it is still owned), and fills its list up with the rep's deals that have no open follow-up,
# latest activity first, stopping after 15 (see docs/benchmarks.md, "Core commands (issue 2)").
INDEXES = (
    ('ix_deals_owner_open', 'deals', ['owner_id', 'stage', 'deleted_at', 'customer_id']),
    ('ix_deals_owner_last_activity', 'deals', ['owner_id', 'last_activity_at']),
)


def upgrade() -> None:
    for name, table, columns in INDEXES:
        op.create_index(name, table, columns, unique=False)


def downgrade() -> None:
    for name, table, _columns in reversed(INDEXES):
        op.drop_index(name, table_name=table)
