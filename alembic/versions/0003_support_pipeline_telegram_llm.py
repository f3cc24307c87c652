"""support pipeline, telegram, llm

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25 01:54:59.266123
"""
from collections.abc import Sequence

import advanced_alchemy.types
import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql
revision: str = '0003'
down_revision: str | None = '0002'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('llm_endpoints',
    sa.Column('url', sa.String(length=500), nullable=False),
    sa.Column('model', sa.String(length=200), nullable=False),
    sa.Column('api_key_encrypted', sa.Text(), nullable=False),
    sa.Column('tenant_id', sa.Uuid(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', advanced_alchemy.types.datetime.DateTimeUTC(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_llm_endpoints_tenant_id_tenants'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_llm_endpoints')),
    sa.UniqueConstraint('tenant_id', name=op.f('uq_llm_endpoints_tenant_id'))
    )
    op.create_table('messages',
    sa.Column('source', sa.String(length=16), nullable=False),
    sa.Column('external_id', sa.String(length=200), nullable=False),
    sa.Column('customer', sa.String(length=200), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('has_attachment', sa.Boolean(), nullable=False),
    sa.Column('ticket_id', sa.BigInteger(), nullable=True),
    sa.Column('reply_to', sa.JSON().with_variant(postgresql.JSONB(), 'postgresql'), nullable=True),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('analysis', sa.JSON().with_variant(postgresql.JSONB(), 'postgresql'), nullable=True),
    sa.Column('intent', sa.String(length=16), nullable=True),
    sa.Column('lang', sa.String(length=16), nullable=True),
    sa.Column('confidence', sa.Float(), nullable=True),
    sa.Column('reply_text', sa.Text(), nullable=True),
    sa.Column('reply_state', sa.String(length=16), nullable=True),
    sa.Column('replied_at', advanced_alchemy.types.datetime.DateTimeUTC(timezone=True), nullable=True),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('last_error', sa.Text(), nullable=True),
    sa.Column('processed_at', advanced_alchemy.types.datetime.DateTimeUTC(timezone=True), nullable=True),
    sa.Column('tenant_id', sa.Uuid(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', advanced_alchemy.types.datetime.DateTimeUTC(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_messages_tenant_id_tenants'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_messages')),
    sa.UniqueConstraint('tenant_id', 'source', 'external_id', name=op.f('uq_messages_tenant_id_source_external_id'))
    )
    with op.batch_alter_table('messages', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_messages_tenant_id_status_created_at'), ['tenant_id', 'status', 'created_at'], unique=False)

    op.create_table('provider_messages',
    sa.Column('provider', sa.String(length=200), nullable=False),
    sa.Column('action', sa.String(length=16), nullable=False),
    sa.Column('chat', sa.String(length=200), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('channel', sa.String(length=16), nullable=True),
    sa.Column('telegram_chat_id', sa.BigInteger(), nullable=True),
    sa.Column('telegram_message_id', sa.BigInteger(), nullable=True),
    sa.Column('attempts', sa.JSON().with_variant(postgresql.JSONB(), 'postgresql'), nullable=False),
    sa.Column('error', sa.String(length=500), nullable=True),
    sa.Column('retry_at', advanced_alchemy.types.datetime.DateTimeUTC(timezone=True), nullable=True),
    sa.Column('sent_at', advanced_alchemy.types.datetime.DateTimeUTC(timezone=True), nullable=True),
    sa.Column('tenant_id', sa.Uuid(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', advanced_alchemy.types.datetime.DateTimeUTC(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_provider_messages_tenant_id_tenants'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_provider_messages'))
    )
    with op.batch_alter_table('provider_messages', schema=None) as batch_op:
        batch_op.create_index('ix_provider_messages_tenant_chat_message', ['tenant_id', 'telegram_chat_id', 'telegram_message_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_provider_messages_tenant_id_provider_created_at'), ['tenant_id', 'provider', 'created_at'], unique=False)

    op.create_table('subscriptions',
    sa.Column('plan', sa.String(length=32), nullable=False),
    sa.Column('anchored_at', advanced_alchemy.types.datetime.DateTimeUTC(timezone=True), nullable=False),
    sa.Column('cycle_number', sa.Integer(), nullable=False),
    sa.Column('cycle_start', advanced_alchemy.types.datetime.DateTimeUTC(timezone=True), nullable=False),
    sa.Column('cycle_end', advanced_alchemy.types.datetime.DateTimeUTC(timezone=True), nullable=False),
    sa.Column('requests_used', sa.Integer(), nullable=False),
    sa.Column('requests_limit', sa.Integer(), nullable=False),
    sa.Column('allows_overage', sa.Boolean(), nullable=False),
    sa.Column('quota_alerted_at', advanced_alchemy.types.datetime.DateTimeUTC(timezone=True), nullable=True),
    sa.Column('tenant_id', sa.Uuid(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', advanced_alchemy.types.datetime.DateTimeUTC(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_subscriptions_tenant_id_tenants'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_subscriptions')),
    sa.UniqueConstraint('tenant_id', name=op.f('uq_subscriptions_tenant_id'))
    )
    op.create_table('telegram_bots',
    sa.Column('telegram_id', sa.BigInteger(), nullable=False),
    sa.Column('username', sa.String(length=64), nullable=False),
    sa.Column('token_encrypted', sa.Text(), nullable=False),
    sa.Column('webhook_secret_hash', sa.String(length=64), nullable=False),
    sa.Column('webhook_url', sa.String(length=500), nullable=False),
    sa.Column('tenant_id', sa.Uuid(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', advanced_alchemy.types.datetime.DateTimeUTC(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_telegram_bots_tenant_id_tenants'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_telegram_bots')),
    sa.UniqueConstraint('tenant_id', 'telegram_id', name=op.f('uq_telegram_bots_tenant_id_telegram_id'))
    )
    op.create_table('ticket_cursors',
    sa.Column('ticket_id', sa.BigInteger(), nullable=False),
    sa.Column('last_message_id', sa.BigInteger(), nullable=False),
    sa.Column('seen_updated_at', advanced_alchemy.types.datetime.DateTimeUTC(timezone=True), nullable=True),
    sa.Column('tenant_id', sa.Uuid(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', advanced_alchemy.types.datetime.DateTimeUTC(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_ticket_cursors_tenant_id_tenants'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ticket_cursors')),
    sa.UniqueConstraint('tenant_id', 'ticket_id', name=op.f('uq_ticket_cursors_tenant_id_ticket_id'))
    )
    op.create_table('userbot_accounts',
    sa.Column('phone', sa.String(length=32), nullable=False),
    sa.Column('state', sa.String(length=20), nullable=False),
    sa.Column('session_encrypted', sa.Text(), nullable=True),
    sa.Column('phone_code_hash_encrypted', sa.Text(), nullable=True),
    sa.Column('telegram_id', sa.BigInteger(), nullable=True),
    sa.Column('username', sa.String(length=64), nullable=True),
    sa.Column('flood_wait_until', advanced_alchemy.types.datetime.DateTimeUTC(timezone=True), nullable=True),
    sa.Column('last_error', sa.String(length=500), nullable=True),
    sa.Column('tenant_id', sa.Uuid(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', advanced_alchemy.types.datetime.DateTimeUTC(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_userbot_accounts_tenant_id_tenants'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_userbot_accounts')),
    sa.UniqueConstraint('tenant_id', name=op.f('uq_userbot_accounts_tenant_id'))
    )
    op.create_table('customer_links',
    sa.Column('bot_id', sa.Uuid(), nullable=False),
    sa.Column('telegram_user_id', sa.BigInteger(), nullable=False),
    sa.Column('telegram_username', sa.String(length=64), nullable=True),
    sa.Column('chat_id', sa.BigInteger(), nullable=False),
    sa.Column('state', sa.String(length=24), nullable=False),
    sa.Column('panel_username', sa.String(length=200), nullable=True),
    sa.Column('code_hash', sa.String(length=64), nullable=True),
    sa.Column('code_expires_at', advanced_alchemy.types.datetime.DateTimeUTC(timezone=True), nullable=True),
    sa.Column('failed_attempts', sa.Integer(), nullable=False),
    sa.Column('locked_until', advanced_alchemy.types.datetime.DateTimeUTC(timezone=True), nullable=True),
    sa.Column('linked_at', advanced_alchemy.types.datetime.DateTimeUTC(timezone=True), nullable=True),
    sa.Column('tenant_id', sa.Uuid(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', advanced_alchemy.types.datetime.DateTimeUTC(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['bot_id'], ['telegram_bots.id'], name=op.f('fk_customer_links_bot_id_telegram_bots'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_customer_links_tenant_id_tenants'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_customer_links')),
    sa.UniqueConstraint('tenant_id', 'bot_id', 'telegram_user_id', name=op.f('uq_customer_links_tenant_id_bot_id_telegram_user_id'))
    )
    with op.batch_alter_table('customer_links', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_customer_links_tenant_id_panel_username'), ['tenant_id', 'panel_username'], unique=False)

    op.create_table('support_requests',
    sa.Column('message_id', sa.Uuid(), nullable=False),
    sa.Column('customer', sa.String(length=200), nullable=False),
    sa.Column('order_id', sa.String(length=32), nullable=True),
    sa.Column('external_order_id', sa.String(length=64), nullable=True),
    sa.Column('provider', sa.String(length=200), nullable=True),
    sa.Column('service_id', sa.BigInteger(), nullable=True),
    sa.Column('intent', sa.String(length=16), nullable=False),
    sa.Column('outcome', sa.String(length=32), nullable=True),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('reason', sa.String(length=300), nullable=True),
    sa.Column('drop', sa.BigInteger(), nullable=True),
    sa.Column('facts', sa.JSON().with_variant(postgresql.JSONB(), 'postgresql'), nullable=False),
    sa.Column('quota_charged', sa.Boolean(), nullable=False),
    sa.Column('provider_call', sa.String(length=16), nullable=True),
    sa.Column('provider_refill_id', sa.String(length=64), nullable=True),
    sa.Column('provider_error', sa.String(length=500), nullable=True),
    sa.Column('follow_ups', sa.Integer(), nullable=False),
    sa.Column('next_check_at', advanced_alchemy.types.datetime.DateTimeUTC(timezone=True), nullable=True),
    sa.Column('updated_at', advanced_alchemy.types.datetime.DateTimeUTC(timezone=True), nullable=True),
    sa.Column('resolved_at', advanced_alchemy.types.datetime.DateTimeUTC(timezone=True), nullable=True),
    sa.Column('tenant_id', sa.Uuid(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', advanced_alchemy.types.datetime.DateTimeUTC(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['message_id'], ['messages.id'], name=op.f('fk_support_requests_message_id_messages'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_support_requests_tenant_id_tenants'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_support_requests')),
    sa.UniqueConstraint('tenant_id', 'message_id', 'order_id', name=op.f('uq_support_requests_tenant_id_message_id_order_id'))
    )
    with op.batch_alter_table('support_requests', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_support_requests_tenant_id_customer_created_at'), ['tenant_id', 'customer', 'created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_support_requests_tenant_id_order_id_intent_status'), ['tenant_id', 'order_id', 'intent', 'status'], unique=False)
        batch_op.create_index(batch_op.f('ix_support_requests_tenant_id_status_created_at'), ['tenant_id', 'status', 'created_at'], unique=False)

    op.create_table('dispatch_items',
    sa.Column('request_id', sa.Uuid(), nullable=False),
    sa.Column('provider', sa.String(length=200), nullable=False),
    sa.Column('action', sa.String(length=16), nullable=False),
    sa.Column('external_order_id', sa.String(length=64), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('provider_message_id', sa.Uuid(), nullable=True),
    sa.Column('tenant_id', sa.Uuid(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', advanced_alchemy.types.datetime.DateTimeUTC(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['provider_message_id'], ['provider_messages.id'], name=op.f('fk_dispatch_items_provider_message_id_provider_messages'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['request_id'], ['support_requests.id'], name=op.f('fk_dispatch_items_request_id_support_requests'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_dispatch_items_tenant_id_tenants'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_dispatch_items')),
    sa.UniqueConstraint('tenant_id', 'request_id', 'action', name=op.f('uq_dispatch_items_tenant_id_request_id_action'))
    )
    with op.batch_alter_table('dispatch_items', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_dispatch_items_tenant_id_status_provider_action'), ['tenant_id', 'status', 'provider', 'action'], unique=False)

    op.create_table('request_events',
    sa.Column('request_id', sa.Uuid(), nullable=False),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('detail', sa.JSON().with_variant(postgresql.JSONB(), 'postgresql'), nullable=False),
    sa.Column('tenant_id', sa.Uuid(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', advanced_alchemy.types.datetime.DateTimeUTC(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['request_id'], ['support_requests.id'], name=op.f('fk_request_events_request_id_support_requests'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_request_events_tenant_id_tenants'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_request_events'))
    )
    with op.batch_alter_table('request_events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_request_events_tenant_id_request_id_created_at'), ['tenant_id', 'request_id', 'created_at'], unique=False)

    with op.batch_alter_table('provider_accounts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('telegram_peer', sa.JSON().with_variant(postgresql.JSONB(), 'postgresql'), nullable=True))

    with op.batch_alter_table('tenant_settings', schema=None) as batch_op:
        batch_op.add_column(sa.Column('count_source_url', sa.String(length=500), nullable=True))



def downgrade() -> None:
    with op.batch_alter_table('tenant_settings', schema=None) as batch_op:
        batch_op.drop_column('count_source_url')

    with op.batch_alter_table('provider_accounts', schema=None) as batch_op:
        batch_op.drop_column('telegram_peer')

    with op.batch_alter_table('request_events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_request_events_tenant_id_request_id_created_at'))

    op.drop_table('request_events')
    with op.batch_alter_table('dispatch_items', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_dispatch_items_tenant_id_status_provider_action'))

    op.drop_table('dispatch_items')
    with op.batch_alter_table('support_requests', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_support_requests_tenant_id_status_created_at'))
        batch_op.drop_index(batch_op.f('ix_support_requests_tenant_id_order_id_intent_status'))
        batch_op.drop_index(batch_op.f('ix_support_requests_tenant_id_customer_created_at'))

    op.drop_table('support_requests')
    with op.batch_alter_table('customer_links', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_customer_links_tenant_id_panel_username'))

    op.drop_table('customer_links')
    op.drop_table('userbot_accounts')
    op.drop_table('ticket_cursors')
    op.drop_table('telegram_bots')
    op.drop_table('subscriptions')
    with op.batch_alter_table('provider_messages', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_provider_messages_tenant_id_provider_created_at'))
        batch_op.drop_index('ix_provider_messages_tenant_chat_message')

    op.drop_table('provider_messages')
    with op.batch_alter_table('messages', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_messages_tenant_id_status_created_at'))

    op.drop_table('messages')
    op.drop_table('llm_endpoints')
