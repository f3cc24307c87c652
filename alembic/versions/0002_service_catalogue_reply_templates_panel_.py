"""service catalogue, reply templates, panel and provider connections

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25 00:34:20.319721
"""
from collections.abc import Sequence

import advanced_alchemy.types
import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql
revision: str = '0002'
down_revision: str | None = '0001'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('panel_connections',
    sa.Column('url', sa.String(length=500), nullable=False),
    sa.Column('admin_key_encrypted', sa.Text(), nullable=False),
    sa.Column('user_key_encrypted', sa.Text(), nullable=False),
    sa.Column('updated_at', advanced_alchemy.types.datetime.DateTimeUTC(timezone=True), nullable=False),
    sa.Column('tenant_id', sa.Uuid(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', advanced_alchemy.types.datetime.DateTimeUTC(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_panel_connections_tenant_id_tenants'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_panel_connections')),
    sa.UniqueConstraint('tenant_id', name=op.f('uq_panel_connections_tenant_id'))
    )
    op.create_table('provider_accounts',
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('api_url', sa.String(length=500), nullable=True),
    sa.Column('api_key_encrypted', sa.Text(), nullable=True),
    sa.Column('telegram_chat', sa.String(length=200), nullable=True),
    sa.Column('refill_via_api', sa.Boolean(), nullable=False),
    sa.Column('cancel_via_api', sa.Boolean(), nullable=False),
    sa.Column('tenant_id', sa.Uuid(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', advanced_alchemy.types.datetime.DateTimeUTC(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_provider_accounts_tenant_id_tenants'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_provider_accounts')),
    sa.UniqueConstraint('tenant_id', 'name', name=op.f('uq_provider_accounts_tenant_id_name'))
    )
    op.create_table('reply_templates',
    sa.Column('key', sa.String(length=64), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('tenant_id', sa.Uuid(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', advanced_alchemy.types.datetime.DateTimeUTC(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_reply_templates_tenant_id_tenants'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reply_templates')),
    sa.UniqueConstraint('tenant_id', 'key', name=op.f('uq_reply_templates_tenant_id_key'))
    )
    op.create_table('services',
    sa.Column('panel_service_id', sa.BigInteger(), nullable=False),
    sa.Column('name', sa.String(length=500), nullable=False),
    sa.Column('category', sa.String(length=300), nullable=False),
    sa.Column('type', sa.String(length=100), nullable=False),
    sa.Column('rate', sa.Float(), nullable=True),
    sa.Column('min_quantity', sa.BigInteger(), nullable=True),
    sa.Column('max_quantity', sa.BigInteger(), nullable=True),
    sa.Column('refill_button', sa.Boolean(), nullable=False),
    sa.Column('cancel_button', sa.Boolean(), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('detected_refill_days', sa.Integer(), nullable=True),
    sa.Column('detected_lifetime', sa.Boolean(), nullable=False),
    sa.Column('detected_rule', sa.String(length=32), nullable=False),
    sa.Column('override_refill_days', sa.Integer(), nullable=True),
    sa.Column('override_lifetime', sa.Boolean(), nullable=True),
    sa.Column('override_cancel_allowed', sa.Boolean(), nullable=True),
    sa.Column('override_speed_up_after_hours', sa.Float(), nullable=True),
    sa.Column('override_screenshot_for', sa.JSON().with_variant(postgresql.JSONB(), 'postgresql'), nullable=True),
    sa.Column('excluded', sa.Boolean(), nullable=False),
    sa.Column('tenant_id', sa.Uuid(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', advanced_alchemy.types.datetime.DateTimeUTC(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_services_tenant_id_tenants'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_services')),
    sa.UniqueConstraint('tenant_id', 'panel_service_id', name=op.f('uq_services_tenant_id_panel_service_id'))
    )
    with op.batch_alter_table('services', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_services_tenant_id_category'), ['tenant_id', 'category'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('services', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_services_tenant_id_category'))

    op.drop_table('services')
    op.drop_table('reply_templates')
    op.drop_table('provider_accounts')
    op.drop_table('panel_connections')
