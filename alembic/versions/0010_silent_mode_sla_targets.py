"""tenant settings: silent mode and SLA targets

Silent mode leaves messages that are not support requests to staff without an automatic
acknowledgement; the SLA targets say how long a request may wait on a person (240 min)
or on a provider (2,880 min) before the owner is told. Null turns a target off.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-02 20:40:00.000000
"""
from collections.abc import Sequence

import sqlalchemy as sa
from advanced_alchemy.types import DateTimeUTC

from alembic import op

revision: str = '0010'
down_revision: str | None = '0009'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column('tenant_settings', sa.Column('silent_mode', sa.Boolean(), nullable=False, server_default=sa.false()))
    op.add_column('tenant_settings', sa.Column('sla_person_minutes', sa.Integer(), nullable=True, server_default='240'))
    op.add_column('tenant_settings', sa.Column('sla_provider_minutes', sa.Integer(), nullable=True, server_default='2880'))
    # When a request's current wait on a person or a provider began (supportai.engine.sla).
    with op.batch_alter_table('support_requests') as batch:
        batch.add_column(sa.Column('waiting_since', DateTimeUTC(timezone=True), nullable=True))
        batch.create_index('ix_support_requests_tenant_id_status_waiting_since',
                           ['tenant_id', 'status', 'waiting_since'], unique=False)
    # Requests already waiting: since the last step that began their wait, else their creation.
    op.execute(
        "UPDATE support_requests SET waiting_since = COALESCE((SELECT MAX(e.created_at) FROM request_events e"
        " WHERE e.request_id = support_requests.id AND e.kind IN ('decided', 'escalated', 'reforwarded', 'reopened')),"
        " created_at) WHERE status IN ('escalated', 'blocked_quota', 'forwarded', 'acknowledged')"
    )


def downgrade() -> None:
    with op.batch_alter_table('support_requests') as batch:
        batch.drop_index('ix_support_requests_tenant_id_status_waiting_since')
        batch.drop_column('waiting_since')
    with op.batch_alter_table('tenant_settings') as batch:
        batch.drop_column('sla_provider_minutes')
        batch.drop_column('sla_person_minutes')
        batch.drop_column('silent_mode')
