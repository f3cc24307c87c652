import { useState } from 'react';
import { Card, Empty } from '../../components/ui';
import { DataTable, type Column } from '../../components/DataTable';
import { ErrorBox } from '../../components/ErrorBox';
import { formatCents, formatDate, formatDay } from '../../format';
import { payInvoice, type InvoiceOut, type PaymentAttemptOut } from '../../api/gen';
import { keys, useApiMutation } from '../../api/queries';
import { INVOICE_KIND, InvoiceStatusBadge, PAYMENTS_ANCHOR, attemptLabel, gatewayName } from './labels';

interface PendingProps {
  invoices: InvoiceOut[];
  isOwner: boolean;
  gateway?: string;
}

/** Unpaid invoices with their payment pages; "Pay" reuses the pending attempt or starts a new one. */
export function PendingPayments({ invoices, isOwner, gateway }: PendingProps) {
  const [attempts, setAttempts] = useState<Record<string, PaymentAttemptOut>>({});
  // A new attempt changes the invoice's history and the subscription's open invoices.
  const pay = useApiMutation((client, invoice: InvoiceOut) => payInvoice({ client, path: { invoice_id: invoice.id }, body: { gateway } }), {
    invalidates: [keys.subscription, keys.invoices],
    onSuccess: (attempt, invoice) => setAttempts((prev) => ({ ...prev, [invoice.id]: attempt })),
  });
  const busy = pay.isPending ? pay.variables.id : null;
  return (
    <section id={PAYMENTS_ANCHOR}>
      <Card title="Pending payments">
        {invoices.length === 0 ? (
          <p className="muted">Nothing to pay.</p>
        ) : (
          <ul className="pending-list" aria-label="Pending payments">
            {invoices.map((inv) => {
              const url = attempts[inv.id]?.payment_url ?? inv.payment_url;
              return (
                <li key={inv.id}>
                  <span className="pending-what">
                    <span className="mono">{inv.number}</span> · {INVOICE_KIND[inv.kind] ?? inv.kind} · <strong>{formatCents(inv.total_cents)}</strong>
                    {inv.due_at && <span className="muted small"> · due {formatDay(inv.due_at)}</span>}
                  </span>
                  {isOwner && (
                    <span className="button-row">
                      {url && (
                        <a href={url} target="_blank" rel="noreferrer">
                          Open payment page
                        </a>
                      )}
                      <button type="button" className="btn btn-small btn-primary" aria-label={`Pay ${inv.number}`} disabled={busy !== null} onClick={() => pay.mutate(inv)}>
                        {busy === inv.id ? 'Preparing…' : 'Pay'}
                      </button>
                    </span>
                  )}
                </li>
              );
            })}
          </ul>
        )}
        <ErrorBox error={pay.error} />
      </Card>
    </section>
  );
}

function Lines({ invoice }: { invoice: InvoiceOut }) {
  return (
    <ul className="plain-list">
      {invoice.lines.map((l, i) => (
        <li key={i}>
          {l.description}
          {l.quantity !== 1 && <span className="muted"> · {l.quantity} × {formatCents(l.unit_cents)}</span>} · {formatCents(l.amount_cents)}
        </li>
      ))}
    </ul>
  );
}

function Attempts({ attempts }: { attempts: PaymentAttemptOut[] }) {
  if (attempts.length === 0) return <span className="muted">—</span>;
  return (
    <ul className="plain-list">
      {attempts.map((a) => (
        <li key={a.id} className="small">
          {gatewayName(a.gateway)} · {attemptLabel(a.status)} · {formatDate(a.paid_at ?? a.created_at)}
        </li>
      ))}
    </ul>
  );
}

const INVOICE_COLUMNS: Column<InvoiceOut>[] = [
  { key: 'number', header: 'Invoice', className: 'mono nowrap', cell: (inv) => inv.number },
  { key: 'issued', header: 'Issued', className: 'small nowrap', cell: (inv) => formatDay(inv.created_at) },
  {
    key: 'for',
    header: 'For',
    cell: (inv) => (
      <>
        {INVOICE_KIND[inv.kind] ?? inv.kind}
        {inv.period_start && (
          <div className="muted small nowrap">
            {formatDay(inv.period_start)} – {formatDay(inv.period_end)}
          </div>
        )}
      </>
    ),
  },
  { key: 'lines', header: 'Lines', className: 'small', cell: (inv) => <Lines invoice={inv} /> },
  { key: 'total', header: 'Total', className: 'num nowrap', cell: (inv) => formatCents(inv.total_cents) },
  {
    key: 'status',
    header: 'Status',
    cell: (inv) => (
      <>
        <InvoiceStatusBadge status={inv.status} />
        {inv.paid_at && <div className="muted small nowrap">{formatDay(inv.paid_at)}</div>}
      </>
    ),
  },
  { key: 'attempts', header: 'Payment attempts', cell: (inv) => <Attempts attempts={inv.attempts} /> },
];

/** Every invoice, newest first: what it was for, its lines, status and payment attempts. */
export function InvoiceHistory({ invoices }: { invoices: InvoiceOut[] }) {
  return (
    <Card title="Invoices and payments">
      {invoices.length === 0 ? (
        <Empty>No invoices yet.</Empty>
      ) : (
        <DataTable columns={INVOICE_COLUMNS} rows={invoices} rowKey={(inv) => inv.id} className="invoice-table" label="Invoice history" />
      )}
    </Card>
  );
}
