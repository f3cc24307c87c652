"""outbound webhook endpoints and deliveries (filled by the webhooks work)

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-02 20:40:00.000000
"""
from collections.abc import Sequence

import sqlalchemy as sa

from alembic import op

revision: str = '0013'
down_revision: str | None = '0012'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
