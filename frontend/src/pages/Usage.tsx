import { useApi } from '../deps';
import { useLoad } from '../useLoad';
import { Badge, Card, LoadError, Loading, PageHeader } from '../components/ui';
import { formatDate } from '../format';
import { useState } from 'react';
import { useAuth } from '../auth/AuthContext';
import { ErrorBox } from '../components/ErrorBox';
import type { CreditPack, CreditPurchase, Credits, Usage } from '../api/types';

export function UsageMeter({ usage }: { usage: Usage }) {
  const pct = usage.requests_limit > 0 ? Math.min(100, Math.round((usage.requests_used / usage.requests_limit) * 100)) : 100;
  const tone = pct >= 100 ? 'bad' : pct >= 80 ? 'warn' : 'ok';
  return (
    <div className="meter-wrap">
      <div className="meter" role="meter" aria-valuemin={0} aria-valuemax={usage.requests_limit} aria-valuenow={usage.requests_used} aria-label="Support requests used">
        <div className={`meter-fill meter-${tone}`} style={{ width: `${pct}%` }} />
      </div>
      <div className="meter-text">
        <strong>{usage.requests_used}</strong> of {usage.requests_limit} support requests used · {usage.requests_left} left
      </div>
    </div>
  );
}

const ENTRY_LABELS: Record<string, string> = {
  grant: 'Base credits granted',
  consume: 'Order checks',
  expire: 'Unused base credits expired',
  purchase: 'Credits bought',
  adjust: 'Adjustment',
};

/** Owners buy prepaid credits; payment happens on the gateway's page. */
function BuyCredits({ packs }: { packs: CreditPack[] }) {
  const api = useApi();
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [invoice, setInvoice] = useState<CreditPurchase | null>(null);
  const buy = async (pack: string) => {
    setBusy(pack);
    setError(null);
    try {
      setInvoice(await api.buyCredits(pack));
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
            {busy === p.code ? 'Creating invoice…' : `Buy ${p.credits.toLocaleString()} for $${(p.price_cents / 100).toLocaleString()}`}
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
          . The credits are added as soon as the payment is confirmed.
        </div>
      )}
    </div>
  );
}

/** Tracking credits: one per order per check, base credits (this cycle's) first. */
export function CreditsCard({ credits }: { credits: Credits }) {
  const { isOwner } = useAuth();
  return (
    <Card title="Tracking credits" actions={credits.low ? <Badge tone={credits.total === 0 ? 'bad' : 'warn'}>{credits.total === 0 ? 'tracking paused' : 'running low'}</Badge> : undefined}>
      <div className="big-number" aria-label="Credits left">{credits.total.toLocaleString()}</div>
      <p className="muted small">
        {credits.base.toLocaleString()} base (expire at the end of the cycle) · {credits.prepaid.toLocaleString()} prepaid. Each check of a
        forwarded order costs one; without credits, tracking pauses and resumes by itself when credits are back.
      </p>
      {isOwner && <BuyCredits packs={credits.packs} />}
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

export function UsagePage() {
  const api = useApi();
  const usage = useLoad(() => api.usage(), [api]);
  const credits = useLoad(() => api.credits(), [api]);
  const u = usage.data;
  return (
    <div className="page">
      <PageHeader title="Usage" subtitle="Support requests are counted per order at validation time. Follow-ups, retries and provider pings are free." />
      {usage.loading && !u ? (
        <Loading />
      ) : usage.error ? (
        <LoadError error={usage.error} what="usage" />
      ) : u ? (
        <>
          <Card title={<>Plan: {u.plan_name}</>} actions={<span className="muted small">Cycle {formatDate(u.cycle_start)} – {formatDate(u.cycle_end)}</span>}>
            <UsageMeter usage={u} />
            {u.requests_left <= 0 && u.plan !== 'enterprise' && (
              <div className="notice notice-action">
                <span>The quota is used up: new requests are stored and shown to you, but not answered until the cycle resets or you upgrade.</span>
              </div>
            )}
          </Card>
          <div className="grid-3">
            <Card title="Blocked this cycle">
              <div className="big-number">{u.blocked_requests}</div>
              <p className="muted small">Requests refused because the quota was used up.</p>
            </Card>
            <Card title="Overage">
              <div className="big-number">{u.overage_requests}</div>
              <p className="muted small">
                Requests over the limit (Enterprise only){u.overage_blocks > 0 && <> · <Badge tone="warn">{u.overage_blocks} × 500 block(s)</Badge></>}
              </p>
            </Card>
            <Card title="Resets">
              <div className="big-number small-number">{formatDate(u.cycle_end)}</div>
              <p className="muted small">On your billing anniversary, not the calendar month.</p>
            </Card>
          </div>
          {credits.error ? <LoadError error={credits.error} what="tracking credits" /> : credits.data && <CreditsCard credits={credits.data} />}
        </>
      ) : null}
    </div>
  );
}
