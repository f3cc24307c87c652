"""user token version; a Telegram bot belongs to one tenant

Access tokens carry the user's token version; bumping it ends every token issued before.
A bot was unique only per tenant, so a second tenant could connect the same bot and take
its webhook. Where that happened, the row that set the webhook last (the newest) is the
one Telegram delivers to; the older duplicates received nothing and are removed.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02 08:00:00.000000
"""
from collections.abc import Sequence

import sqlalchemy as sa

from alembic import op

revision: str = '0006'
down_revision: str | None = '0005'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column('users', sa.Column('token_version', sa.Integer(), nullable=False, server_default='0'))
    op.execute(
        "DELETE FROM telegram_bots WHERE EXISTS (SELECT 1 FROM telegram_bots AS newer"
        " WHERE newer.telegram_id = telegram_bots.telegram_id AND newer.created_at > telegram_bots.created_at)"
    )
    with op.batch_alter_table('telegram_bots') as batch:
        batch.drop_constraint(op.f('uq_telegram_bots_tenant_id_telegram_id'), type_='unique')
        batch.create_unique_constraint(op.f('uq_telegram_bots_telegram_id'), ['telegram_id'])


def downgrade() -> None:
    with op.batch_alter_table('telegram_bots') as batch:
        batch.drop_constraint(op.f('uq_telegram_bots_telegram_id'), type_='unique')
        batch.create_unique_constraint(op.f('uq_telegram_bots_tenant_id_telegram_id'), ['tenant_id', 'telegram_id'])
    with op.batch_alter_table('users') as batch:
        batch.drop_column('token_version')
