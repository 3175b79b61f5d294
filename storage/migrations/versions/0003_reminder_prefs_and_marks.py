"""reminder prefs and marks (issue 4b)

Revision ID: 0003_reminders
Revises: 0002
Create Date: 2026-11-28 09:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.base


revision: str = '0003_reminders'
down_revision: str | None = '0002'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'reminder_prefs',
        sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
        sa.Column('user_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
        sa.Column('kind', sa.String(length=16), nullable=False),
        sa.Column('enabled', sa.Boolean(), nullable=False),
        sa.Column('updated_at', storage.base.UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_reminder_prefs_user_id_users'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_reminder_prefs')),
        sa.UniqueConstraint('user_id', 'kind', name=op.f('uq_reminder_prefs_user_id_kind')),
    )
    op.create_table(
        'reminder_marks',
        sa.Column('key', sa.String(length=200), nullable=False),
        sa.Column('kind', sa.String(length=24), nullable=False),
        sa.Column('ref_id', sa.BigInteger(), nullable=False),
        sa.Column('scope', sa.String(length=40), nullable=True),
        sa.Column('created_at', storage.base.UtcDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('key', name=op.f('pk_reminder_marks')),
    )
    op.create_index('ix_reminder_marks_kind_ref', 'reminder_marks', ['kind', 'ref_id'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_reminder_marks_kind_ref', table_name='reminder_marks')
    op.drop_table('reminder_marks')
    op.drop_table('reminder_prefs')
