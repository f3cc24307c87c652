import { Link } from 'react-router-dom';
import { useApi } from '../deps';
import { useAuth } from '../auth/AuthContext';
import { useLoad } from '../useLoad';
import { Badge, Card, LoadError, Loading, PageHeader } from '../components/ui';
import { formatAge } from '../format';
import type { Health } from '../api/types';
import { isEnabled } from '../features';
import { UsageMeter } from './billing/UsageCards';
import { BlockedBanner } from './billing/BlockedBanner';
import { FailedMessagesNotice, loadFailed } from './requests/FailedMessages';

function HealthRow({ label, ok, detail }: { label: string; ok: boolean; detail?: string | null }) {
  return (
    <div className="health-row">
      <span className={`dot ${ok ? 'dot-ok' : 'dot-bad'}`} aria-hidden="true" />
      <span className="health-label">{label}</span>
      <Badge tone={ok ? 'ok' : 'bad'}>{ok ? 'OK' : 'Down'}</Badge>
      {detail && <span className="muted small">{detail}</span>}
    </div>
  );
}

function workerOk(h: Health) {
  return h.worker_heartbeat_age_s != null && h.worker_heartbeat_age_s < 300;
}

export function DashboardPage() {
  const api = useApi();
  const { me, isOwner } = useAuth();
  const health = useLoad(() => api.health(), [api]);
  // The panel connection is owner-only on the server; staff simply don't see that row.
  const panel = useLoad(() => (isOwner ? api.setup.panel() : Promise.resolve(null)), [api, isOwner]);
  const showUsage = isEnabled('usage');
  // Loaded even without the Billing page: the banner says why new requests are refused.
  const usage = useLoad(() => api.usage(), [api]);
  // Failed messages are listed (and retried) on the review queue page: only counted here when it exists.
  const showFailed = isEnabled('queue');
  const failed = useLoad(() => (showFailed ? loadFailed(api) : Promise.resolve(null)), [api, showFailed]);

  const panelReady = panel.data ? Boolean(panel.data.url && panel.data.admin_key_set) : null;

  return (
    <div className="page">
      <PageHeader title={me?.tenant_name ?? 'Dashboard'} subtitle="Your support automation at a glance." />

      <BlockedBanner reason={usage.data?.blocked_reason} isOwner={isOwner} />

      <FailedMessagesNotice page={failed.data} />

      {panelReady === false && (
        <div className="notice notice-action">
          <span>Your panel is not connected yet. SupportAI needs the panel URL and admin API key to read tickets and orders.</span>
          <Link className="btn btn-primary btn-small" to="/setup">
            Connect panel
          </Link>
        </div>
      )}

      <div className="grid-2">
        <Card title="System health" actions={<button className="btn btn-small" onClick={() => void health.reload()}>Refresh</button>}>
          {health.loading && !health.data ? (
            <Loading />
          ) : health.data ? (
            <div className="health">
              <div className="health-status">
                Overall: <Badge tone={health.data.status === 'ok' ? 'ok' : 'warn'}>{health.data.status}</Badge>
              </div>
              <HealthRow label="Database" ok={health.data.database.ok} detail={health.data.database.detail} />
              <HealthRow label="Redis" ok={health.data.redis.ok} detail={health.data.redis.detail} />
              <HealthRow label="Worker" ok={workerOk(health.data)} detail={`last heartbeat ${formatAge(health.data.worker_heartbeat_age_s)}`} />
            </div>
          ) : (
            <LoadError error={health.error} what="health" />
          )}
        </Card>

        <Card title="Account">
          <dl className="kv">
            <dt>Panel</dt>
            <dd>{me?.tenant_name ?? '—'}</dd>
            <dt>Signed in as</dt>
            <dd>
              {me?.email ?? '—'} {me?.role && <Badge tone="info">{me.role}</Badge>}
            </dd>
            {isOwner && (
              <>
                <dt>Panel connection</dt>
                <dd>
                  {panel.loading ? '…' : panelReady ? <Badge tone="ok">connected</Badge> : panelReady === false ? <Badge tone="warn">not set up</Badge> : <Badge>unknown</Badge>}
                  {panel.data?.url && <span className="muted small"> {panel.data.url}</span>}
                </dd>
              </>
            )}
          </dl>
        </Card>
      </div>

      {showUsage && usage.data && (
        <Card title={`Usage this cycle · ${usage.data.plan_name}`} actions={<Link to="/billing">Billing & Usage</Link>}>
          <UsageMeter usage={usage.data} />
        </Card>
      )}

      <Card title="Quick links">
        <div className="quick-links">
          {isOwner && (
            <Link to="/setup" className="quick-link">
              <strong>Panel & providers</strong>
              <span>Connect your panel's API and your providers' API and Telegram chats.</span>
            </Link>
          )}
          <Link to="/services" className="quick-link">
            <strong>Services</strong>
            <span>Check detected refill periods and override cancel, speed-up and screenshot rules.</span>
          </Link>
          <Link to="/templates" className="quick-link">
            <strong>Reply templates</strong>
            <span>Edit what customers are told for every outcome.</span>
          </Link>
          <Link to="/settings" className="quick-link">
            <strong>Settings</strong>
            <span>Tolerance, dispatch mode, follow-up timing and more.</span>
          </Link>
          {isOwner && (
            <>
              <Link to="/api-keys" className="quick-link">
                <strong>API keys</strong>
                <span>Send customer messages from your own systems.</span>
              </Link>
              <Link to="/audit" className="quick-link">
                <strong>Audit log</strong>
                <span>Who changed what, and when.</span>
              </Link>
            </>
          )}
        </div>
      </Card>
    </div>
  );
}
