"""reply templates per language

A tenant's template edits are kept per language (the replies in the customer's language);
every existing edit was made in English.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-02 20:40:00.000000
"""
from collections.abc import Sequence

import sqlalchemy as sa

from alembic import op

revision: str = '0011'
down_revision: str | None = '0010'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('reply_templates') as batch:
        batch.add_column(sa.Column('language', sa.String(length=16), nullable=False, server_default='en'))
        batch.drop_constraint('uq_reply_templates_tenant_id_key', type_='unique')
        batch.create_unique_constraint('uq_reply_templates_tenant_id_language_key', ['tenant_id', 'language', 'key'])


def downgrade() -> None:
    # Only the English edits fit the one-language table.
    op.execute("DELETE FROM reply_templates WHERE language <> 'en'")
    with op.batch_alter_table('reply_templates') as batch:
        batch.drop_constraint('uq_reply_templates_tenant_id_language_key', type_='unique')
        batch.create_unique_constraint('uq_reply_templates_tenant_id_key', ['tenant_id', 'key'])
        batch.drop_column('language')
