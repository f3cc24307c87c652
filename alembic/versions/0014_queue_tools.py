"""saved replies and assignment of review-queue requests

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-02 20:40:00.000000
"""
from collections.abc import Sequence

import sqlalchemy as sa
from advanced_alchemy.types import DateTimeUTC

from alembic import op

revision: str = '0014'
down_revision: str | None = '0013'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'saved_replies',
        sa.Column('title', sa.String(length=120), nullable=False),
        sa.Column('text', sa.Text(), nullable=False),
        sa.Column('language', sa.String(length=16), nullable=True),
        sa.Column('updated_at', DateTimeUTC(timezone=True), nullable=True),
        sa.Column('tenant_id', sa.Uuid(), nullable=False),
        sa.Column('id', sa.Uuid(), nullable=False),
        sa.Column('created_at', DateTimeUTC(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_saved_replies_tenant_id_tenants'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_saved_replies')),
    )
    op.create_index(op.f('ix_saved_replies_tenant_id_title'), 'saved_replies', ['tenant_id', 'title'])
    # The team member who took a request; their removal leaves it unassigned.
    with op.batch_alter_table('support_requests') as batch:
        batch.add_column(sa.Column('assignee_id', sa.Uuid(), nullable=True))
        batch.create_foreign_key(op.f('fk_support_requests_assignee_id_users'), 'users', ['assignee_id'], ['id'],
                                 ondelete='SET NULL')
        batch.create_index('ix_support_requests_tenant_id_assignee_id_status', ['tenant_id', 'assignee_id', 'status'])


def downgrade() -> None:
    with op.batch_alter_table('support_requests') as batch:
        batch.drop_index('ix_support_requests_tenant_id_assignee_id_status')
        batch.drop_constraint(op.f('fk_support_requests_assignee_id_users'), type_='foreignkey')
        batch.drop_column('assignee_id')
    op.drop_index(op.f('ix_saved_replies_tenant_id_title'), table_name='saved_replies')
    op.drop_table('saved_replies')
