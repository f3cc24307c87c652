"""follow-up monitoring and tracking credits

Existing subscriptions get their plan's base credits for the current cycle, each with
its ledger row, so the balances equal the ledger from the start.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-25 03:40:11.716836
"""
import uuid
from collections.abc import Sequence
from datetime import UTC, datetime

import advanced_alchemy.types
import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = '0004'
down_revision: str | None = '0003'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('credit_ledger',
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('pool', sa.String(length=8), nullable=False),
    sa.Column('amount', sa.Integer(), nullable=False),
    sa.Column('balance', sa.Integer(), nullable=False),
    sa.Column('detail', sa.JSON().with_variant(postgresql.JSONB(), 'postgresql'), nullable=False),
    sa.Column('tenant_id', sa.Uuid(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', advanced_alchemy.types.datetime.DateTimeUTC(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_credit_ledger_tenant_id_tenants'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_credit_ledger'))
    )
    op.create_index(op.f('ix_credit_ledger_tenant_id_created_at'), 'credit_ledger', ['tenant_id', 'created_at'], unique=False)
    with op.batch_alter_table('dispatch_items') as batch:
        batch.add_column(sa.Column('follow_up', sa.Integer(), nullable=False, server_default='0'))
        batch.drop_constraint(op.f('uq_dispatch_items_tenant_id_request_id_action'), type_='unique')
        batch.create_unique_constraint(
            op.f('uq_dispatch_items_tenant_id_request_id_action_follow_up'),
            ['tenant_id', 'request_id', 'action', 'follow_up'],
        )
    op.add_column('subscriptions', sa.Column('base_credits', sa.Integer(), nullable=False, server_default='0'))
    op.add_column('subscriptions', sa.Column('prepaid_credits', sa.Integer(), nullable=False, server_default='0'))
    op.add_column('support_requests', sa.Column('baseline', sa.JSON().with_variant(postgresql.JSONB(), 'postgresql'), nullable=True))
    op.add_column('support_requests', sa.Column('followed_up_at', advanced_alchemy.types.datetime.DateTimeUTC(timezone=True), nullable=True))
    _grant_base_credits()


# The plans' base credits when this migration was written (supportai.domain.billing.plans).
_BASE_CREDITS = {"starter": 500, "growth": 2000, "scale": 6000, "enterprise": 20000}


def _grant_base_credits() -> None:
    connection = op.get_bind()
    subscriptions = sa.table(
        "subscriptions", sa.column("id", sa.Uuid()), sa.column("tenant_id", sa.Uuid()), sa.column("plan", sa.String()),
        sa.column("base_credits", sa.Integer()),
    )
    ledger = sa.table(
        "credit_ledger", *(sa.column(name) for name in ("id", "tenant_id", "created_at", "kind", "pool", "amount",
                                                          "balance")),
        sa.column("detail", sa.JSON()),
    )
    now = datetime.now(UTC)
    for subscription_id, tenant_id, plan in connection.execute(
        sa.select(subscriptions.c.id, subscriptions.c.tenant_id, subscriptions.c.plan)
    ):
        credits = _BASE_CREDITS.get(plan, 0)
        connection.execute(
            subscriptions.update().where(subscriptions.c.id == subscription_id).values(base_credits=credits)
        )
        connection.execute(ledger.insert().values(
            id=uuid.uuid4(), tenant_id=tenant_id, created_at=now, kind="grant", pool="base", amount=credits,
            balance=credits, detail={"reason": "tracking credits introduced"},
        ))


def downgrade() -> None:
    op.drop_column('support_requests', 'followed_up_at')
    op.drop_column('support_requests', 'baseline')
    op.drop_column('subscriptions', 'prepaid_credits')
    op.drop_column('subscriptions', 'base_credits')
    op.execute(sa.text("DELETE FROM dispatch_items WHERE follow_up > 0"))  # reminders cannot be kept
    with op.batch_alter_table('dispatch_items') as batch:
        batch.drop_constraint(op.f('uq_dispatch_items_tenant_id_request_id_action_follow_up'), type_='unique')
        batch.create_unique_constraint(
            op.f('uq_dispatch_items_tenant_id_request_id_action'), ['tenant_id', 'request_id', 'action']
        )
        batch.drop_column('follow_up')
    op.drop_index(op.f('ix_credit_ledger_tenant_id_created_at'), table_name='credit_ledger')
    op.drop_table('credit_ledger')
