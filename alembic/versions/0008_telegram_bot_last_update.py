"""a Telegram bot remembers when its last update arrived

The web app shows it beside the bot, so an owner sees that the webhook delivers.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02 16:30:00.000000
"""
from collections.abc import Sequence

import advanced_alchemy.types
import sqlalchemy as sa

from alembic import op

revision: str = '0008'
down_revision: str | None = '0007'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column(
        'telegram_bots',
        sa.Column('last_update_at', advanced_alchemy.types.datetime.DateTimeUTC(timezone=True), nullable=True),
    )


def downgrade() -> None:
    with op.batch_alter_table('telegram_bots') as batch:
        batch.drop_column('last_update_at')
