import { useState } from 'react';
import { useApi } from '../../deps';
import { Card, Empty } from '../../components/ui';
import { ErrorBox } from '../../components/ErrorBox';
import { formatCents, formatDate, formatDay } from '../../format';
import type { Invoice, PaymentAttempt } from '../../api/types';
import { INVOICE_KIND, InvoiceStatusBadge, PAYMENTS_ANCHOR, attemptLabel, gatewayName } from './labels';

interface PendingProps {
  invoices: Invoice[];
  isOwner: boolean;
  gateway?: string;
  /** A new payment attempt changes the invoice's history: the page reloads it. */
  onAttempt: () => void;
}

/** Unpaid invoices with their payment pages; "Pay" reuses the pending attempt or starts a new one. */
export function PendingPayments({ invoices, isOwner, gateway, onAttempt }: PendingProps) {
  const api = useApi();
  const [attempts, setAttempts] = useState<Record<string, PaymentAttempt>>({});
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const pay = async (invoice: Invoice) => {
    setBusy(invoice.id);
    setError(null);
    try {
      const attempt = await api.billing.payInvoice(invoice.id, gateway);
      setAttempts((prev) => ({ ...prev, [invoice.id]: attempt }));
      onAttempt();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(null);
    }
  };
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
                      <button type="button" className="btn btn-small btn-primary" aria-label={`Pay ${inv.number}`} disabled={busy !== null} onClick={() => pay(inv)}>
                        {busy === inv.id ? 'Preparing…' : 'Pay'}
                      </button>
                    </span>
                  )}
                </li>
              );
            })}
          </ul>
        )}
        <ErrorBox error={error} />
      </Card>
    </section>
  );
}

function Lines({ invoice }: { invoice: Invoice }) {
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

function Attempts({ attempts }: { attempts: PaymentAttempt[] }) {
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

/** Every invoice, newest first: what it was for, its lines, status and payment attempts. */
export function InvoiceHistory({ invoices }: { invoices: Invoice[] }) {
  return (
    <Card title="Invoices and payments">
      {invoices.length === 0 ? (
        <Empty>No invoices yet.</Empty>
      ) : (
        <div className="table-wrap">
          <table className="table invoice-table" aria-label="Invoice history">
            <thead>
              <tr>
                <th>Invoice</th>
                <th>Issued</th>
                <th>For</th>
                <th>Lines</th>
                <th className="num">Total</th>
                <th>Status</th>
                <th>Payment attempts</th>
              </tr>
            </thead>
            <tbody>
              {invoices.map((inv) => (
                <tr key={inv.id}>
                  <td className="mono nowrap">{inv.number}</td>
                  <td className="small nowrap">{formatDay(inv.created_at)}</td>
                  <td>
                    {INVOICE_KIND[inv.kind] ?? inv.kind}
                    {inv.period_start && (
                      <div className="muted small nowrap">
                        {formatDay(inv.period_start)} – {formatDay(inv.period_end)}
                      </div>
                    )}
                  </td>
                  <td className="small">
                    <Lines invoice={inv} />
                  </td>
                  <td className="num nowrap">{formatCents(inv.total_cents)}</td>
                  <td>
                    <InvoiceStatusBadge status={inv.status} />
                    {inv.paid_at && <div className="muted small nowrap">{formatDay(inv.paid_at)}</div>}
                  </td>
                  <td>
                    <Attempts attempts={inv.attempts} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Card>
  );
}
