import { Link } from 'react-router-dom';
import { lazy, Suspense } from 'react';
import { useAuth } from '../auth/AuthContext';
import { Card, Loading, PageHeader } from '../components/ui';
import { QueryView } from '../components/QueryView';
import { describeAutomation, formatAge, formatDate, formatPercent } from '../format';
import { getDashboard, health, type Dashboard, type HealthOut } from '../api/gen';
import { keys, useApiQuery } from '../api/queries';
import { BlockedBanner } from './billing/BlockedBanner';
import { FailedMessagesNotice } from './requests/FailedMessages';
import { OnboardingChecklist } from './setup/OnboardingChecklist';
import { NO_CONTEXT, describeEvent } from './requests/timeline';

export const DASHBOARD_DAYS = 14;
const DASHBOARD_POLL_MS = 30_000;
// The charting library loads with the chart, not with the app.
const RequestsChart = lazy(() => import('./DashboardChart'));

/** System health as one dot: details only when something is wrong. */
function HealthIndicator() {
  const check = useApiQuery(keys.health, health, { refetchInterval: DASHBOARD_POLL_MS });
  const h: HealthOut | undefined = check.data;
  const problems = h
    ? [!h.database.ok && 'database down', !h.redis.ok && 'Redis down', !h.worker.ok && `worker not running (last seen ${formatAge(h.worker_heartbeat_age_s)})`].filter(Boolean)
    : [];
  const label = check.isError ? 'System status unknown' : !h ? 'Checking the system…' : problems.length ? `System: ${problems.join(', ')}` : 'All systems running';
  const tone = check.isError || problems.length ? 'dot-bad' : h ? 'dot-ok' : 'dot-info';
  return (
    <span className="health-indicator" role="status">
      <span className={`dot ${tone}`} aria-hidden="true" /> {label}
    </span>
  );
}

function Figure({ label, value, detail, to }: { label: string; value: string | number; detail?: string; to?: string }) {
  const body = (
    <>
      <span className="stat-label">{label}</span>
      <span className="stat-value">{value}</span>
      {detail && <span className="muted small">{detail}</span>}
    </>
  );
  return to ? (
    <Link className="stat stat-link" to={to}>
      {body}
    </Link>
  ) : (
    <div className="stat">{body}</div>
  );
}

function Overview({ d }: { d: Dashboard }) {
  const { isOwner } = useAuth();
  return (
    <>
      <BlockedBanner reason={d.blocked_reason as 'quota' | 'lapsed' | null} isOwner={isOwner} />
      <FailedMessagesNotice count={d.failed_messages} />
      <div className="stats" aria-label="Support at a glance">
        <Figure label="Automated today" value={formatPercent(d.today.automated_resolution_rate)} detail={describeAutomation(d.today)} />
        <Figure label={`Automated, last ${DASHBOARD_DAYS} days`} value={formatPercent(d.period.automated_resolution_rate)} detail={describeAutomation(d.period)} />
        <Figure label="Requests today" value={d.today.requests} to="/requests" />
        <Figure label="Open escalations" value={d.open_escalations} detail={`${d.queue} in the review queue`} to="/queue" />
        <Figure label="Waiting for providers" value={d.waiting_for_provider} to="/requests?status=forwarded" />
        <Figure label="Quota this cycle" value={`${d.requests_used.toLocaleString()} / ${d.requests_limit.toLocaleString()}`} detail="requests used" to="/billing" />
        <Figure label="Tracking credits" value={d.credits_left.toLocaleString()} detail={d.credits_low ? 'running low' : 'left'} to="/billing" />
      </div>
      <Card title={`Requests by outcome, last ${DASHBOARD_DAYS} days`}>
        <Suspense fallback={<Loading label="Loading the chart…" />}>
          <RequestsChart days={d.requests_by_day} />
        </Suspense>
      </Card>
      <Card title="Recent activity" actions={<Link to="/inbox">Inbox</Link>}>
        {d.recent_activity.length === 0 ? (
          <p className="muted">Nothing yet: customer requests and what was done about them show here.</p>
        ) : (
          <ul className="activity">
            {d.recent_activity.map((a, i) => (
              <li key={`${a.request_id}-${i}`}>
                <span className="muted small nowrap">{formatDate(a.at)}</span>{' '}
                <strong>
                  {a.customer}
                  {a.order_id ? ` · order ${a.order_id}` : ''}
                </strong>{' '}
                {describeEvent(a, NO_CONTEXT)}
              </li>
            ))}
          </ul>
        )}
      </Card>
    </>
  );
}

export function DashboardPage() {
  const { me } = useAuth();
  const dashboard = useApiQuery([...keys.dashboard, DASHBOARD_DAYS], (o) => getDashboard({ ...o, query: { days: DASHBOARD_DAYS } }), {
    refetchInterval: DASHBOARD_POLL_MS,
  });
  return (
    <div className="page">
      <PageHeader title={me?.tenant_name ?? 'Dashboard'} subtitle="Your support today: what was automated, what waits for you and for providers." actions={<HealthIndicator />} />
      <OnboardingChecklist />
      <QueryView query={dashboard} what="the dashboard">
        {(d) => <Overview d={d} />}
      </QueryView>
    </div>
  );
}
