"""credit purchases

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-25 04:00:49.757262
"""
from collections.abc import Sequence

import advanced_alchemy.types
import sqlalchemy as sa
from alembic import op

revision: str = '0005'
down_revision: str | None = '0004'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('credit_purchases',
    sa.Column('order_id', sa.String(length=64), nullable=False),
    sa.Column('pack', sa.String(length=16), nullable=False),
    sa.Column('credits', sa.Integer(), nullable=False),
    sa.Column('amount_cents', sa.Integer(), nullable=False),
    sa.Column('currency', sa.String(length=8), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('gateway_uuid', sa.String(length=64), nullable=True),
    sa.Column('gateway_status', sa.String(length=32), nullable=True),
    sa.Column('payment_url', sa.String(length=500), nullable=True),
    sa.Column('paid_at', advanced_alchemy.types.datetime.DateTimeUTC(timezone=True), nullable=True),
    sa.Column('tenant_id', sa.Uuid(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', advanced_alchemy.types.datetime.DateTimeUTC(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_credit_purchases_tenant_id_tenants'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_credit_purchases')),
    sa.UniqueConstraint('order_id', name=op.f('uq_credit_purchases_order_id'))
    )
    op.create_index(op.f('ix_credit_purchases_tenant_id_created_at'), 'credit_purchases', ['tenant_id', 'created_at'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_credit_purchases_tenant_id_created_at'), table_name='credit_purchases')
    op.drop_table('credit_purchases')
