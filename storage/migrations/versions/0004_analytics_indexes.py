"""analytics indexes (issue 4a): digest and report queries by team, period and rep

Revision ID: 0004_analytics
Revises: 0003_reminders
Create Date: 2026-11-28 12:00:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = '0004_analytics'
down_revision: str | None = '0003_reminders'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# name, table, columns: stage moves in a period; a team's new and closed deals in a period; a rep's
# overdue follow-ups and logged activities in a period (see docs/benchmarks.md, "Digest (issue 4)").
INDEXES = (
    ('ix_stage_history_changed_at', 'stage_history', ['changed_at']),
    ('ix_deals_team_created_at', 'deals', ['team_id', 'created_at']),
    ('ix_deals_team_closed_at', 'deals', ['team_id', 'closed_at']),
    ('ix_followups_owner_status_due', 'followups', ['owner_id', 'status', 'due_at']),
    ('ix_activities_user_occurred_at', 'activities', ['user_id', 'occurred_at']),
)


def upgrade() -> None:
    for name, table, columns in INDEXES:
        op.create_index(name, table, columns, unique=False)


def downgrade() -> None:
    for name, table, _columns in reversed(INDEXES):
        op.drop_index(name, table_name=table)
