"""inbox claims (issue 3): when a processing process took a recorded event, so a dead one's claims expire

Revision ID: 0006_inbox_claims
Revises: 0005_core_commands
Create Date: 2026-11-27 19:05:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.base

revision: str = '0006_inbox_claims'
down_revision: str | None = '0005_core_commands'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('inbox', schema=None) as batch_op:
        batch_op.add_column(sa.Column('claimed_at', storage.base.UtcDateTime(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('inbox', schema=None) as batch_op:
        batch_op.drop_column('claimed_at')
