import { useState } from 'react';
import { useApi } from '../../deps';
import { useAuth } from '../../auth/AuthContext';
import { Badge, Card } from '../../components/ui';
import { ErrorBox } from '../../components/ErrorBox';
import { formatCents, formatDate } from '../../format';
import type { CreditPack, CreditPurchase, Credits } from '../../api/types';

const ENTRY_LABELS: Record<string, string> = {
  grant: 'Base credits granted',
  consume: 'Order checks',
  expire: 'Unused base credits expired',
  purchase: 'Credits bought',
  adjust: 'Adjustment',
};

/** Owners buy prepaid credits; payment happens on the gateway's page. */
function BuyCredits({ packs, gateway, onInvoiced }: { packs: CreditPack[]; gateway?: string; onInvoiced?: () => void }) {
  const api = useApi();
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [invoice, setInvoice] = useState<CreditPurchase | null>(null);
  const buy = async (pack: string) => {
    setBusy(pack);
    setError(null);
    try {
      setInvoice(await api.buyCredits(pack, gateway));
      onInvoiced?.();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(null);
    }
  };
  return (
    <div className="buy-credits">
      <div className="button-row">
        {packs.map((p) => (
          <button key={p.code} className="btn" disabled={busy !== null} onClick={() => buy(p.code)}>
            {busy === p.code ? 'Creating invoice…' : `Buy ${p.credits.toLocaleString()} for ${formatCents(p.price_cents, { wholeDollars: true })}`}
          </button>
        ))}
      </div>
      <ErrorBox error={error} />
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

interface Props {
  credits: Credits;
  /** The gateway the owner chose, when the server has several. */
  gateway?: string;
  /** A purchase creates an invoice: the page refreshes its pending payments. */
  onInvoiced?: () => void;
}

/** Tracking credits: one per order per check, base credits (this cycle's) first. */
export function CreditsCard({ credits, gateway, onInvoiced }: Props) {
  const { isOwner } = useAuth();
  return (
    <Card title="Tracking credits" actions={credits.low ? <Badge tone={credits.total === 0 ? 'bad' : 'warn'}>{credits.total === 0 ? 'tracking paused' : 'running low'}</Badge> : undefined}>
      <div className="big-number" aria-label="Credits left">{credits.total.toLocaleString()}</div>
      <p className="muted small">
        {credits.base.toLocaleString()} base (expire at the end of the cycle) · {credits.prepaid.toLocaleString()} prepaid. Each check of a
        forwarded order costs one; without credits, tracking pauses and resumes by itself when credits are back.
      </p>
      {isOwner && <BuyCredits packs={credits.packs} gateway={gateway} onInvoiced={onInvoiced} />}
      {credits.entries.length > 0 && (
        <div className="table-wrap">
          <table className="table" aria-label="Credit history">
            <thead>
              <tr>
                <th>When</th>
                <th>What</th>
                <th>Pool</th>
                <th className="num">Change</th>
                <th className="num">Balance</th>
              </tr>
            </thead>
            <tbody>
              {credits.entries.map((e, i) => (
                <tr key={`${e.at}-${i}`}>
                  <td className="small nowrap">{formatDate(e.at)}</td>
                  <td>{ENTRY_LABELS[e.kind] ?? e.kind}</td>
                  <td className="small">{e.pool}</td>
                  <td className="num">{e.amount > 0 ? `+${e.amount}` : e.amount}</td>
                  <td className="num">{e.balance}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Card>
  );
}
