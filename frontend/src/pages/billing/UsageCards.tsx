import { Badge, Card } from '../../components/ui';
import { describeAutomation, formatDate, formatDay, formatPercent } from '../../format';
import type { UsageOut } from '../../api/gen';

type Counts = Pick<UsageOut, 'requests_used' | 'requests_limit' | 'requests_left'>;

export function UsageMeter({ usage }: { usage: Counts }) {
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

/** This cycle's quota meter, then its counters: automation, blocked requests, Enterprise overage, the reset date. */
export function UsageSection({ usage }: { usage: UsageOut }) {
  return (
    <>
      <Card
        title={`Usage this cycle · ${usage.plan_name}`}
        actions={<span className="muted small">{formatDay(usage.cycle_start)} – {formatDay(usage.cycle_end)}</span>}
      >
        <UsageMeter usage={usage} />
      </Card>
      <Card title="Automated this cycle">
        <div className="big-number">{formatPercent(usage.automation.automated_resolution_rate)}</div>
        <p className="muted small">{describeAutomation(usage.automation)}.</p>
      </Card>
      <div className="grid-3">
        <Card title="Blocked this cycle">
          <div className="big-number">{usage.blocked_requests}</div>
          <p className="muted small">Requests refused because the quota was used up.</p>
        </Card>
        <Card title="Overage">
          <div className="big-number">{usage.overage_requests}</div>
          <p className="muted small">
            Requests over the limit (Enterprise only){usage.overage_blocks > 0 && <> · <Badge tone="warn">{usage.overage_blocks} × 500 block(s)</Badge></>}
          </p>
        </Card>
        <Card title="Resets">
          <div className="big-number small-number">{formatDate(usage.cycle_end)}</div>
          <p className="muted small">On your billing anniversary, not the calendar month.</p>
        </Card>
      </div>
    </>
  );
}
