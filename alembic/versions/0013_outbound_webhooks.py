"""outbound webhook endpoints, deliveries and their attempts

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-02 20:40:00.000000
"""
from collections.abc import Sequence

import advanced_alchemy.types
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

from alembic import op

revision: str = '0013'
down_revision: str | None = '0012'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

JSON = sa.JSON().with_variant(postgresql.JSONB(), 'postgresql')
UTC = advanced_alchemy.types.datetime.DateTimeUTC(timezone=True)


def _common(table: str) -> list[sa.schema.SchemaItem]:
    return [
        sa.Column('tenant_id', sa.Uuid(), nullable=False),
        sa.Column('id', sa.Uuid(), nullable=False),
        sa.Column('created_at', UTC, nullable=False),
        sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f(f'fk_{table}_tenant_id_tenants'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f(f'pk_{table}')),
    ]


def upgrade() -> None:
    op.create_table(
        'webhook_endpoints',
        sa.Column('url', sa.String(length=500), nullable=False),
        sa.Column('description', sa.String(length=200), nullable=False),
        sa.Column('events', JSON, nullable=False),
        sa.Column('enabled', sa.Boolean(), nullable=False),
        sa.Column('secret_encrypted', sa.Text(), nullable=False),
        *_common('webhook_endpoints'),
    )
    op.create_index(op.f('ix_webhook_endpoints_tenant_id_enabled'), 'webhook_endpoints', ['tenant_id', 'enabled'])
    op.create_table(
        'webhook_deliveries',
        sa.Column('endpoint_id', sa.Uuid(), nullable=False),
        sa.Column('event_type', sa.String(length=40), nullable=False),
        sa.Column('payload', JSON, nullable=False),
        sa.Column('status', sa.String(length=12), nullable=False),
        sa.Column('attempts', sa.Integer(), nullable=False),
        sa.Column('next_attempt_at', UTC, nullable=True),
        sa.Column('last_status_code', sa.Integer(), nullable=True),
        sa.Column('last_error', sa.String(length=500), nullable=True),
        sa.Column('updated_at', UTC, nullable=True),
        *_common('webhook_deliveries'),
    )
    op.create_index(op.f('ix_webhook_deliveries_tenant_id_created_at'), 'webhook_deliveries',
                    ['tenant_id', 'created_at'])
    op.create_index(op.f('ix_webhook_deliveries_tenant_id_endpoint_id_created_at'), 'webhook_deliveries',
                    ['tenant_id', 'endpoint_id', 'created_at'])
    op.create_index(op.f('ix_webhook_deliveries_status_next_attempt_at'), 'webhook_deliveries',
                    ['status', 'next_attempt_at'])
    op.create_table(
        'webhook_attempts',
        sa.Column('delivery_id', sa.Uuid(), nullable=False),
        sa.Column('status_code', sa.Integer(), nullable=True),
        sa.Column('error', sa.String(length=500), nullable=True),
        sa.Column('response_excerpt', sa.String(length=500), nullable=True),
        sa.Column('duration_ms', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['delivery_id'], ['webhook_deliveries.id'],
                                name=op.f('fk_webhook_attempts_delivery_id_webhook_deliveries'), ondelete='CASCADE'),
        *_common('webhook_attempts'),
    )
    op.create_index(op.f('ix_webhook_attempts_tenant_id_delivery_id_created_at'), 'webhook_attempts',
                    ['tenant_id', 'delivery_id', 'created_at'])


def downgrade() -> None:
    op.drop_index(op.f('ix_webhook_attempts_tenant_id_delivery_id_created_at'), table_name='webhook_attempts')
    op.drop_table('webhook_attempts')
    op.drop_index(op.f('ix_webhook_deliveries_status_next_attempt_at'), table_name='webhook_deliveries')
    op.drop_index(op.f('ix_webhook_deliveries_tenant_id_endpoint_id_created_at'), table_name='webhook_deliveries')
    op.drop_index(op.f('ix_webhook_deliveries_tenant_id_created_at'), table_name='webhook_deliveries')
    op.drop_table('webhook_deliveries')
    op.drop_index(op.f('ix_webhook_endpoints_tenant_id_enabled'), table_name='webhook_endpoints')
    op.drop_table('webhook_endpoints')
