import { useApi } from '../deps';
import { useLoad } from '../useLoad';
import { Badge, Card, LoadError, Loading, PageHeader } from '../components/ui';
import { formatDate } from '../format';
import type { Usage } from '../api/types';

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

export function UsagePage() {
  const api = useApi();
  const usage = useLoad(() => api.usage(), [api]);
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
        </>
      ) : null}
    </div>
  );
}
