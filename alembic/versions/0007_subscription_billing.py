"""subscription billing: invoices, payment attempts, the subscription's status

Credit purchases become invoices of kind `credits`, each with the one attempt it had.
Existing subscriptions stay `active` and unbilled; the billing cron bills them once the
server has a payment gateway.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02 13:00:00.000000
"""
import uuid
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

import advanced_alchemy.types
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

from alembic import op

revision: str = '0007'
down_revision: str | None = '0006'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

DateTimeUTC = advanced_alchemy.types.datetime.DateTimeUTC
JSONDocument = sa.JSON().with_variant(postgresql.JSONB(), 'postgresql')


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
    with op.batch_alter_table('subscriptions') as batch:
        batch.add_column(sa.Column('status', sa.String(length=16), nullable=False, server_default='active'))
        batch.add_column(sa.Column('billed', sa.Boolean(), nullable=False, server_default=sa.false()))
        batch.add_column(sa.Column('trial_ends_at', DateTimeUTC(timezone=True), nullable=True))
        batch.add_column(sa.Column('grace_ends_at', DateTimeUTC(timezone=True), nullable=True))
        batch.add_column(sa.Column('lapsed_at', DateTimeUTC(timezone=True), nullable=True))
        batch.add_column(sa.Column('scheduled_plan', sa.String(length=32), nullable=True))
    op.create_table('invoices', *_tenant_owned(
        sa.Column('number', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=16), nullable=False),
        sa.Column('status', sa.String(length=16), nullable=False),
        sa.Column('currency', sa.String(length=8), nullable=False),
        sa.Column('total_cents', sa.Integer(), nullable=False),
        sa.Column('lines', JSONDocument, nullable=False),
        sa.Column('plan', sa.String(length=32), nullable=True),
        sa.Column('pack', sa.String(length=16), nullable=True),
        sa.Column('credits', sa.Integer(), nullable=True),
        sa.Column('period_start', DateTimeUTC(timezone=True), nullable=True),
        sa.Column('period_end', DateTimeUTC(timezone=True), nullable=True),
        sa.Column('due_at', DateTimeUTC(timezone=True), nullable=True),
        sa.Column('paid_at', DateTimeUTC(timezone=True), nullable=True),
        sa.UniqueConstraint('tenant_id', 'number', name=op.f('uq_invoices_tenant_id_number')),
        name='invoices',
    ))
    op.create_index(op.f('ix_invoices_tenant_id_created_at'), 'invoices', ['tenant_id', 'created_at'])
    op.create_table('payment_attempts', *_tenant_owned(
        sa.Column('invoice_id', sa.Uuid(), nullable=False),
        sa.Column('gateway', sa.String(length=16), nullable=False),
        sa.Column('order_id', sa.String(length=64), nullable=False),
        sa.Column('amount_cents', sa.Integer(), nullable=False),
        sa.Column('currency', sa.String(length=8), nullable=False),
        sa.Column('status', sa.String(length=16), nullable=False),
        sa.Column('gateway_uuid', sa.String(length=64), nullable=True),
        sa.Column('gateway_status', sa.String(length=32), nullable=True),
        sa.Column('payment_url', sa.String(length=500), nullable=True),
        sa.Column('expires_at', DateTimeUTC(timezone=True), nullable=False),
        sa.Column('paid_at', DateTimeUTC(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(['invoice_id'], ['invoices.id'], name=op.f('fk_payment_attempts_invoice_id_invoices'),
                                ondelete='CASCADE'),
        sa.UniqueConstraint('order_id', name=op.f('uq_payment_attempts_order_id')),
        name='payment_attempts',
    ))
    op.create_index(op.f('ix_payment_attempts_tenant_id_invoice_id'), 'payment_attempts', ['tenant_id', 'invoice_id'])
    op.create_index(op.f('ix_payment_attempts_status_expires_at'), 'payment_attempts', ['status', 'expires_at'])
    _purchases_to_invoices()
    op.drop_index(op.f('ix_credit_purchases_tenant_id_created_at'), table_name='credit_purchases')
    op.drop_table('credit_purchases')


def _table(name: str, *columns: tuple[str, sa.types.TypeEngine]) -> sa.TableClause:
    return sa.table(name, *(sa.column(column, type_) for column, type_ in columns))


def _purchases_to_invoices() -> None:
    """Each purchase becomes a `credits` invoice (numbered per tenant by age) and its attempt."""
    bind = op.get_bind()
    # Typed here, not reflected: SQLite would hand back UUIDs and timestamps as plain strings.
    owned = ('id', sa.Uuid()), ('tenant_id', sa.Uuid()), ('created_at', DateTimeUTC(timezone=True))
    purchases = _table('credit_purchases', *owned, ('order_id', sa.String()), ('pack', sa.String()),
                       ('credits', sa.Integer()), ('amount_cents', sa.Integer()), ('currency', sa.String()),
                       ('status', sa.String()), ('gateway_uuid', sa.String()), ('gateway_status', sa.String()),
                       ('payment_url', sa.String()), ('paid_at', DateTimeUTC(timezone=True)))
    invoices = _table('invoices', *owned, ('number', sa.Integer()), ('kind', sa.String()), ('status', sa.String()),
                      ('currency', sa.String()), ('total_cents', sa.Integer()), ('lines', JSONDocument),
                      ('pack', sa.String()), ('credits', sa.Integer()), ('paid_at', DateTimeUTC(timezone=True)))
    attempts = _table('payment_attempts', *owned, ('invoice_id', sa.Uuid()), ('gateway', sa.String()),
                      ('order_id', sa.String()), ('amount_cents', sa.Integer()), ('currency', sa.String()),
                      ('status', sa.String()), ('gateway_uuid', sa.String()), ('gateway_status', sa.String()),
                      ('payment_url', sa.String()), ('paid_at', DateTimeUTC(timezone=True)),
                      ('expires_at', DateTimeUTC(timezone=True)))
    numbers: dict[uuid.UUID, int] = {}
    for row in bind.execute(sa.select(purchases).order_by(purchases.c.created_at)).mappings():
        numbers[row['tenant_id']] = number = numbers.get(row['tenant_id'], 0) + 1
        invoice_id = uuid.uuid4()
        invoice_status = 'paid' if row['status'] == 'paid' else 'open'  # a failed one may be paid again
        bind.execute(invoices.insert().values(
            id=invoice_id, tenant_id=row['tenant_id'], created_at=row['created_at'], number=number, kind='credits',
            status=invoice_status, currency=row['currency'], total_cents=row['amount_cents'],
            lines=[{'kind': 'credits', 'description': f"{row['credits']:,} tracking credits ({row['pack']})",
                    'quantity': 1, 'unit_cents': row['amount_cents'], 'amount_cents': row['amount_cents']}],
            pack=row['pack'], credits=row['credits'], paid_at=row['paid_at'],
        ))
        bind.execute(attempts.insert().values(
            id=uuid.uuid4(), tenant_id=row['tenant_id'], created_at=row['created_at'], invoice_id=invoice_id,
            gateway='cryptomus', order_id=row['order_id'], amount_cents=row['amount_cents'], currency=row['currency'],
            status=row['status'], gateway_uuid=row['gateway_uuid'], gateway_status=row['gateway_status'],
            payment_url=row['payment_url'], paid_at=row['paid_at'],
            expires_at=(row['created_at'] or datetime.now(UTC)) + timedelta(hours=1),  # the gateway's lifetime
        ))


def downgrade() -> None:
    op.create_table('credit_purchases', *_tenant_owned(
        sa.Column('order_id', sa.String(length=64), nullable=False),
        sa.Column('pack', sa.String(length=16), nullable=False),
        sa.Column('credits', sa.Integer(), nullable=False),
        sa.Column('amount_cents', sa.Integer(), nullable=False),
        sa.Column('currency', sa.String(length=8), nullable=False),
        sa.Column('status', sa.String(length=16), nullable=False),
        sa.Column('gateway_uuid', sa.String(length=64), nullable=True),
        sa.Column('gateway_status', sa.String(length=32), nullable=True),
        sa.Column('payment_url', sa.String(length=500), nullable=True),
        sa.Column('paid_at', DateTimeUTC(timezone=True), nullable=True),
        sa.UniqueConstraint('order_id', name=op.f('uq_credit_purchases_order_id')),
        name='credit_purchases',
    ))
    op.create_index(op.f('ix_credit_purchases_tenant_id_created_at'), 'credit_purchases', ['tenant_id', 'created_at'])
    op.execute(
        "INSERT INTO credit_purchases (id, tenant_id, created_at, order_id, pack, credits, amount_cents, currency,"
        " status, gateway_uuid, gateway_status, payment_url, paid_at)"
        " SELECT a.id, a.tenant_id, a.created_at, a.order_id, i.pack, i.credits, a.amount_cents, a.currency,"
        " CASE WHEN a.status IN ('paid', 'pending') THEN a.status ELSE 'failed' END,"
        " a.gateway_uuid, a.gateway_status, a.payment_url, a.paid_at"
        " FROM payment_attempts a JOIN invoices i ON i.id = a.invoice_id WHERE i.kind = 'credits'"
    )
    op.drop_table('payment_attempts')
    op.drop_table('invoices')
    with op.batch_alter_table('subscriptions') as batch:
        for column in ('scheduled_plan', 'lapsed_at', 'grace_ends_at', 'trial_ends_at', 'billed', 'status'):
            batch.drop_column(column)
