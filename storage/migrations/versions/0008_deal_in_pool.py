"""deals.in_pool (issue 2): whether the deal's customer is in the public pool, kept by the database itself.

我的 counts a rep's open deals whose customer is still owned. With only customers.owner_id to go by,
the count looked up the customer of every one of the rep's ~1,500 open deals (2.4 ms on SQLite, 9–15 ms
on PostgreSQL, the whole cost of 我的). Triggers keep the flag equal to `customer.owner_id IS NULL`
whatever writes the customer (services, undo, the pool job, a script): on a change of a customer's
owner, and on a deal's insert or move to another customer. The count then reads one index.

Revision ID: 0008_deal_in_pool
Revises: 0007_customer_match_profile
Create Date: 2026-11-28 01:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0008_deal_in_pool'
down_revision: str | None = '0007_customer_match_profile'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

INDEX = ('ix_deals_owner_pool_open', ['owner_id', 'in_pool', 'stage', 'deleted_at'])

SQLITE_TRIGGERS = (
    """CREATE TRIGGER deals_in_pool_follow_customer AFTER UPDATE OF owner_id ON customers
    BEGIN
        UPDATE deals SET in_pool = (NEW.owner_id IS NULL)
        WHERE customer_id = NEW.id AND in_pool IS NOT (NEW.owner_id IS NULL);
    END""",
    """CREATE TRIGGER deals_in_pool_on_insert AFTER INSERT ON deals
    BEGIN
        UPDATE deals SET in_pool = coalesce((SELECT owner_id IS NULL FROM customers WHERE id = NEW.customer_id), 0)
        WHERE id = NEW.id AND in_pool IS NOT coalesce(
            (SELECT owner_id IS NULL FROM customers WHERE id = NEW.customer_id), 0);
    END""",
    """CREATE TRIGGER deals_in_pool_on_move AFTER UPDATE OF customer_id ON deals
    BEGIN
        UPDATE deals SET in_pool = coalesce((SELECT owner_id IS NULL FROM customers WHERE id = NEW.customer_id), 0)
        WHERE id = NEW.id;
    END""",
)
SQLITE_DROPS = ("DROP TRIGGER deals_in_pool_on_move", "DROP TRIGGER deals_in_pool_on_insert",
                "DROP TRIGGER deals_in_pool_follow_customer")

POSTGRES_TRIGGERS = (
    """CREATE FUNCTION deals_in_pool_follow_customer() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        UPDATE deals SET in_pool = (NEW.owner_id IS NULL)
        WHERE customer_id = NEW.id AND in_pool IS DISTINCT FROM (NEW.owner_id IS NULL);
        RETURN NULL;
    END $$""",
    """CREATE TRIGGER deals_in_pool_follow_customer AFTER UPDATE OF owner_id ON customers
    FOR EACH ROW WHEN (OLD.owner_id IS DISTINCT FROM NEW.owner_id)
    EXECUTE FUNCTION deals_in_pool_follow_customer()""",
    """CREATE FUNCTION deals_in_pool_from_customer() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        NEW.in_pool := coalesce((SELECT owner_id IS NULL FROM customers WHERE id = NEW.customer_id), false);
        RETURN NEW;
    END $$""",
    """CREATE TRIGGER deals_in_pool_from_customer BEFORE INSERT OR UPDATE OF customer_id ON deals
    FOR EACH ROW EXECUTE FUNCTION deals_in_pool_from_customer()""",
)
POSTGRES_DROPS = ("DROP TRIGGER deals_in_pool_from_customer ON deals", "DROP FUNCTION deals_in_pool_from_customer()",
                  "DROP TRIGGER deals_in_pool_follow_customer ON customers",
                  "DROP FUNCTION deals_in_pool_follow_customer()")


def upgrade() -> None:
    with op.batch_alter_table('deals', schema=None) as batch_op:
        batch_op.add_column(sa.Column('in_pool', sa.Boolean(), server_default=sa.false(), nullable=False))
    deals = sa.table('deals', sa.column('customer_id'), sa.column('in_pool', sa.Boolean()))
    customers = sa.table('customers', sa.column('id'), sa.column('owner_id'))
    op.execute(deals.update().where(deals.c.customer_id.in_(
        sa.select(customers.c.id).where(customers.c.owner_id.is_(None)))).values(in_pool=True))
    op.create_index(INDEX[0], 'deals', INDEX[1], unique=False)
    postgres = op.get_bind().dialect.name == 'postgresql'
    for statement in POSTGRES_TRIGGERS if postgres else SQLITE_TRIGGERS:
        op.execute(statement)


def downgrade() -> None:
    postgres = op.get_bind().dialect.name == 'postgresql'
    for statement in POSTGRES_DROPS if postgres else SQLITE_DROPS:
        op.execute(statement)
    op.drop_index(INDEX[0], table_name='deals')
    with op.batch_alter_table('deals', schema=None) as batch_op:
        batch_op.drop_column('in_pool')
