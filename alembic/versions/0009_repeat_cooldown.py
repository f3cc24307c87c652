"""tenant settings: a cooldown for repeats of an answered request

A customer asking the same thing about the same order again within it (default 24 h,
0 turns it off) is answered again without using quota.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-02 17:00:00.000000
"""
from collections.abc import Sequence

import sqlalchemy as sa

from alembic import op

revision: str = '0009'
down_revision: str | None = '0008'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column(
        'tenant_settings',
        sa.Column('repeat_cooldown_hours', sa.Integer(), nullable=False, server_default='24'),
    )


def downgrade() -> None:
    with op.batch_alter_table('tenant_settings') as batch:
        batch.drop_column('repeat_cooldown_hours')
