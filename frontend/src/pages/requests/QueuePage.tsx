import { useEffect, useState } from 'react';
import { useLocation } from 'react-router-dom';
import { useApi } from '../../deps';
import { useAuth } from '../../auth/AuthContext';
import { useLoad } from '../../useLoad';
import { Empty, LoadError, Loading, PageHeader } from '../../components/ui';
import { formatDate } from '../../format';
import { RequestDialog } from './RequestDialog';
import { StatusBadge, intentLabel } from './labels';
import { BlockedBanner } from '../billing/BlockedBanner';
import { FailedMessages, loadFailed } from './FailedMessages';

/** The manual-review queue: escalated and quota-blocked requests, oldest first, then the
 * customer messages whose processing failed (section #failed, linked from the Dashboard). */
export function QueuePage() {
  const api = useApi();
  const { isOwner } = useAuth();
  const queue = useLoad(() => api.queue(), [api]);
  const usage = useLoad(() => api.usage(), [api]);
  const failed = useLoad(() => loadFailed(api), [api]);
  const [open, setOpen] = useState<string | null>(null);

  // A link to /queue#failed lands on the section once it has rendered.
  const { hash } = useLocation();
  const failedShown = failed.data !== undefined || failed.error != null;
  useEffect(() => {
    if (hash === '#failed' && failedShown) document.getElementById('failed')?.scrollIntoView?.({ block: 'start' });
  }, [hash, failedShown]);

  return (
    <div className="page">
      <PageHeader
        title="Review queue"
        subtitle="Requests that need a person: escalations after follow-ups ran out, messages without a clear intent, and requests blocked by the quota."
        actions={
          <button className="btn" onClick={() => void Promise.all([queue.reload(), usage.reload(), failed.reload()])}>
            Refresh
          </button>
        }
      />
      <BlockedBanner reason={usage.data?.blocked_reason} isOwner={isOwner} />
      {queue.loading && !queue.data ? (
        <Loading />
      ) : queue.error ? (
        <LoadError error={queue.error} what="the review queue" />
      ) : !queue.data?.length ? (
        <Empty>Nothing waits for review.</Empty>
      ) : (
        <div className="table-wrap">
          <table className="table">
            <thead>
              <tr>
                <th>Waiting since</th>
                <th>Why</th>
                <th>Customer</th>
                <th>Order</th>
                <th>Intent</th>
                <th>Status</th>
                <th aria-label="Actions" />
              </tr>
            </thead>
            <tbody>
              {queue.data.map(({ request: r, reason }) => (
                <tr key={r.id}>
                  <td className="small nowrap">{formatDate(r.created_at)}</td>
                  <td>{reason}</td>
                  <td>{r.customer}</td>
                  <td className="mono">{r.order_id ?? <span className="muted">—</span>}</td>
                  <td>{intentLabel(r.intent)}</td>
                  <td>
                    <StatusBadge status={r.status} />
                  </td>
                  <td className="actions">
                    <button className="btn btn-small" onClick={() => setOpen(r.id)}>
                      Open
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <FailedMessages failed={failed} />
      {open && <RequestDialog id={open} onClose={() => setOpen(null)} onChanged={() => void queue.reload()} />}
    </div>
  );
}
