"""notification centre: one row per occurrence of an owner event, the owner's channels per
event, and where alerts are e-mailed

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-02 20:40:00.000000
"""
from collections.abc import Sequence

import sqlalchemy as sa
from advanced_alchemy.types import DateTimeUTC

from alembic import op

revision: str = '0012'
down_revision: str | None = '0011'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _tenant_owned(*columns: sa.Column, name: str) -> list:
    return [
        *columns,
        sa.Column('tenant_id', sa.Uuid(), nullable=False),
        sa.Column('id', sa.Uuid(), nullable=False),
        sa.Column('created_at', DateTimeUTC(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f(f'fk_{name}_tenant_id_tenants'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f(f'pk_{name}')),
    ]


def upgrade() -> None:
    op.create_table('notifications', *_tenant_owned(
        sa.Column('event', sa.String(length=40), nullable=False),
        sa.Column('occurrence', sa.String(length=200), nullable=False),
        sa.Column('title', sa.String(length=300), nullable=False),
        sa.Column('body', sa.Text(), nullable=False),
        sa.Column('link', sa.String(length=300), nullable=True),
        sa.Column('read_at', DateTimeUTC(timezone=True), nullable=True),
        sa.Column('telegram_state', sa.String(length=10), nullable=True),
        sa.Column('email_state', sa.String(length=10), nullable=True),
        sa.Column('delivery_error', sa.String(length=500), nullable=True),
        sa.Column('delivery_attempts', sa.Integer(), nullable=False, server_default='0'),
        sa.Column('attempted_at', DateTimeUTC(timezone=True), nullable=True),
        sa.UniqueConstraint('tenant_id', 'event', 'occurrence',
                            name=op.f('uq_notifications_tenant_id_event_occurrence')),
        name='notifications',
    ))
    op.create_index(op.f('ix_notifications_tenant_id_read_at_created_at'), 'notifications',
                    ['tenant_id', 'read_at', 'created_at'])
    op.create_index(op.f('ix_notifications_telegram_state_email_state'), 'notifications',
                    ['telegram_state', 'email_state'])
    op.create_table('notification_channels', *_tenant_owned(
        sa.Column('event', sa.String(length=40), nullable=False),
        sa.Column('telegram', sa.Boolean(), nullable=False),
        sa.Column('email', sa.Boolean(), nullable=False),
        sa.UniqueConstraint('tenant_id', 'event', name=op.f('uq_notification_channels_tenant_id_event')),
        name='notification_channels',
    ))
    op.add_column('tenant_settings', sa.Column('notification_email', sa.String(length=320), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('tenant_settings') as batch:
        batch.drop_column('notification_email')
    op.drop_table('notification_channels')
    op.drop_index(op.f('ix_notifications_telegram_state_email_state'), table_name='notifications')
    op.drop_index(op.f('ix_notifications_tenant_id_read_at_created_at'), table_name='notifications')
    op.drop_table('notifications')
