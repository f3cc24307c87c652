"""notification centre, channels and SLA breaches (filled by the notifications work)

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-02 20:40:00.000000
"""
from collections.abc import Sequence

import sqlalchemy as sa

from alembic import op

revision: str = '0012'
down_revision: str | None = '0011'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
