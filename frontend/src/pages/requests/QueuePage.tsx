import { useState } from 'react';
import { useApi } from '../../deps';
import { useLoad } from '../../useLoad';
import { Empty, LoadError, Loading, PageHeader } from '../../components/ui';
import { formatDate } from '../../format';
import { RequestDialog } from './RequestDialog';
import { StatusBadge, intentLabel } from './labels';

/** The owner's manual-review queue: escalated and quota-blocked requests, oldest first. */
export function QueuePage() {
  const api = useApi();
  const queue = useLoad(() => api.queue(), [api]);
  const [open, setOpen] = useState<string | null>(null);

  return (
    <div className="page">
      <PageHeader
        title="Review queue"
        subtitle="Requests that need a person: escalations after follow-ups ran out, messages without a clear intent, and requests blocked by the quota."
        actions={
          <button className="btn" onClick={() => void queue.reload()}>
            Refresh
          </button>
        }
      />
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
      {open && <RequestDialog id={open} onClose={() => setOpen(null)} onChanged={() => void queue.reload()} />}
    </div>
  );
}
