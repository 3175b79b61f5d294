"""customers.match_profile (issue 5): each customer's parsed names beside its match keys, so a lookup judges
its candidates without parsing them. NULL (every row before this) means "parse when judged";
`dealbot customers reindex` fills it.

Revision ID: 0007_customer_match_profile
Revises: 0006_inbox_claims
Create Date: 2026-11-27 22:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0007_customer_match_profile'
down_revision: str | None = '0006_inbox_claims'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('customers', schema=None) as batch_op:
        batch_op.add_column(sa.Column('match_profile', sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('customers', schema=None) as batch_op:
        batch_op.drop_column('match_profile')
