import { useAuth } from '../../auth/AuthContext';
import { DataTable, type Column } from '../../components/DataTable';
import { Badge, Card } from '../../components/ui';
import { ErrorBox } from '../../components/ErrorBox';
import { formatCents, formatDate } from '../../format';
import { buyCredits, type CreditEntryOut, type CreditPackOut, type CreditsOut } from '../../api/gen';
import { keys, useApiMutation } from '../../api/queries';

const ENTRY_LABELS: Record<string, string> = {
  grant: 'Base credits granted',
  consume: 'Order checks',
  expire: 'Unused base credits expired',
  purchase: 'Credits bought',
  adjust: 'Adjustment',
};

/** Owners buy prepaid credits; payment happens on the gateway's page. */
function BuyCredits({ packs, gateway }: { packs: CreditPackOut[]; gateway?: string }) {
  // A purchase creates an invoice: the pending payments and the invoice list change.
  const buy = useApiMutation((client, pack: string) => buyCredits({ client, body: { pack, gateway } }), {
    invalidates: [keys.subscription, keys.invoices],
  });
  const busy = buy.isPending ? buy.variables : null;
  const invoice = buy.data;
  return (
    <div className="buy-credits">
      <div className="button-row">
        {packs.map((p) => (
          <button key={p.code} className="btn" disabled={busy !== null} onClick={() => buy.mutate(p.code)}>
            {busy === p.code ? 'Creating invoice…' : `Buy ${p.credits.toLocaleString()} for ${formatCents(p.price_cents, { wholeDollars: true })}`}
          </button>
        ))}
      </div>
      <ErrorBox error={buy.error} />
      {invoice?.payment_url && (
        <div className="notice notice-ok" role="status">
          Invoice for {invoice.credits.toLocaleString()} credits ({invoice.amount} {invoice.currency}):{' '}
          <a href={invoice.payment_url} target="_blank" rel="noreferrer">
            pay on the payment page
          </a>
          {invoice.expires_at && <> before {formatDate(invoice.expires_at)}</>}. The credits are added as soon as the payment is confirmed.
        </div>
      )}
    </div>
  );
}

const ENTRY_COLUMNS: Column<CreditEntryOut>[] = [
  { key: 'when', header: 'When', className: 'small nowrap', cell: (e) => formatDate(e.at) },
  { key: 'what', header: 'What', cell: (e) => ENTRY_LABELS[e.kind] ?? e.kind },
  { key: 'pool', header: 'Pool', className: 'small', cell: (e) => e.pool },
  { key: 'change', header: 'Change', className: 'num', cell: (e) => (e.amount > 0 ? `+${e.amount}` : e.amount) },
  { key: 'balance', header: 'Balance', className: 'num', cell: (e) => e.balance },
];

/** Tracking credits: one per order per check, base credits (this cycle's) first; `gateway` when the server has several. */
export function CreditsCard({ credits, gateway }: { credits: CreditsOut; gateway?: string }) {
  const { isOwner } = useAuth();
  return (
    <Card title="Tracking credits" actions={credits.low ? <Badge tone={credits.total === 0 ? 'bad' : 'warn'}>{credits.total === 0 ? 'tracking paused' : 'running low'}</Badge> : undefined}>
      <div className="big-number" aria-label="Credits left">{credits.total.toLocaleString()}</div>
      <p className="muted small">
        {credits.base.toLocaleString()} base (expire at the end of the cycle) · {credits.prepaid.toLocaleString()} prepaid. Each check of a
        forwarded order costs one; without credits, tracking pauses and resumes by itself when credits are back.
      </p>
      {isOwner && <BuyCredits packs={credits.packs} gateway={gateway} />}
      {credits.entries.length > 0 && (
        <DataTable columns={ENTRY_COLUMNS} rows={credits.entries} rowKey={(e) => `${e.at}-${e.kind}-${e.balance}`} label="Credit history" />
      )}
    </Card>
  );
}
