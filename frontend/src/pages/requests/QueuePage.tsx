import { useEffect, useState } from 'react';
import { useLocation } from 'react-router-dom';
import { useAuth } from '../../auth/AuthContext';
import { useToast } from '../../components/Toast';
import { ErrorBox } from '../../components/ErrorBox';
import { ListView, type Column } from '../../components/DataTable';
import { useUrlFilters } from '../../components/useUrlFilters';
import { PageHeader } from '../../components/ui';
import { formatDate } from '../../format';
import { bulkQueueAction, rerunQueueItems, reviewQueue, type QueueItem } from '../../api/gen';
import { keys, useApiMutation, useApiQuery } from '../../api/queries';
import { useUsage } from '../../api/resources';
import { RequestDialog, REQUEST_VIEWS } from './RequestDialog';
import { StatusBadge, WaitBadge, intentLabel } from './labels';
import { BlockedBanner } from '../billing/BlockedBanner';
import { FailedMessages, useFailedMessages } from './FailedMessages';
import { QUEUE_POLL_MS, useQueueCount } from './QueueBadge';

/** Whose requests the queue shows: everyone's, the caller's, or those nobody has taken. */
const VIEWS = [
  { value: '', label: 'All' },
  { value: 'me', label: 'Mine' },
  { value: 'unassigned', label: 'Unassigned' },
] as const;

type Bulk = { action: 'resolve' | 'close'; ids: string[] } | { action: 'rerun'; ids: string[] };

function SelectBox({ checked, onChange, label }: { checked: boolean; onChange: (on: boolean) => void; label: string }) {
  return <input type="checkbox" checked={checked} onChange={(e) => onChange(e.target.checked)} aria-label={label} />;
}

/** The manual-review queue: escalated and quota-blocked requests, oldest first (live), with
 * a filter by reason and actions on many at once; then the failed customer messages (#failed). */
export function QueuePage() {
  const toast = useToast();
  const { isOwner } = useAuth();
  const filters = useUrlFilters({ reason: '', overdue: '', assignee: '' });
  const reason = filters.values.reason;
  const overdue = filters.values.overdue === 'true';
  const assignee = filters.values.assignee;
  const queue = useApiQuery(
    [...keys.queue, 'items', reason, overdue, assignee],
    (o) =>
      reviewQueue({
        ...o,
        query: { limit: 500, reason: reason || undefined, assignee: assignee || undefined, ...(overdue ? { overdue: true, sort: 'waiting' as const } : {}) },
      }),
    { refetchInterval: QUEUE_POLL_MS },
  );
  const count = useQueueCount();
  const usage = useUsage();
  const failed = useFailedMessages();
  const [open, setOpen] = useState<string | null>(null);
  const [selected, setSelected] = useState<Set<string>>(new Set());

  const items = queue.data ?? [];
  const shown = new Set(items.map((i) => i.request.id));
  const picked = [...selected].filter((id) => shown.has(id));
  const blocked = items.filter((i) => picked.includes(i.request.id) && i.request.status === 'blocked_quota');

  const bulk = useApiMutation(
    (client, b: Bulk) =>
      b.action === 'rerun'
        ? rerunQueueItems({ client, body: { request_ids: b.ids } }).then((r) => ({ data: r.data.requests.length }))
        : bulkQueueAction({ client, body: { request_ids: b.ids, action: b.action } }).then((r) => ({ data: r.data.updated.length })),
    {
      invalidates: REQUEST_VIEWS,
      onSuccess: (done, b) => {
        setSelected(new Set());
        const what = `${done} ${done === 1 ? 'request' : 'requests'}`;
        toast.success(b.action === 'rerun' ? `${what} queued to run again.` : `${what} ${b.action === 'resolve' ? 'resolved' : 'closed'}.`);
      },
    },
  );

  // A link to /queue#failed lands on the section once it has rendered.
  const { hash } = useLocation();
  const failedShown = !failed.isPending;
  useEffect(() => {
    if (hash === '#failed' && failedShown) document.getElementById('failed')?.scrollIntoView?.({ block: 'start' });
  }, [hash, failedShown]);

  const toggle = (id: string, on: boolean) =>
    setSelected((s) => {
      const next = new Set(s);
      if (on) next.add(id);
      else next.delete(id);
      return next;
    });
  const allPicked = items.length > 0 && picked.length === items.length;

  const columns: Column<QueueItem>[] = [
    {
      key: 'pick',
      header: 'Select',
      hideHeader: true,
      cell: ({ request: r }) => <SelectBox checked={selected.has(r.id)} onChange={(on) => toggle(r.id, on)} label={`Select the request from ${r.customer}${r.order_id ? ` about order ${r.order_id}` : ''}`} />,
    },
    {
      key: 'since',
      header: 'Waiting',
      className: 'small nowrap',
      cell: ({ request: r }) => (
        <>
          <WaitBadge wait={r} />
          <div className="muted tiny">{formatDate(r.waiting_since ?? r.created_at)}</div>
        </>
      ),
    },
    { key: 'why', header: 'Why', cell: ({ reason: why }) => why.replace(/_/g, ' ') },
    { key: 'customer', header: 'Customer', cell: ({ request: r }) => r.customer },
    { key: 'order', header: 'Order', className: 'mono', cell: ({ request: r }) => r.order_id ?? <span className="muted">—</span> },
    { key: 'intent', header: 'Intent', cell: ({ request: r }) => intentLabel(r.intent) },
    { key: 'status', header: 'Status', cell: ({ request: r }) => <StatusBadge status={r.status} /> },
    {
      key: 'assignee',
      header: 'Taken by',
      cell: ({ request: r, assignee_name }) => (r.assignee_id ? (assignee_name ?? 'a team member') : <span className="muted">—</span>),
    },
    {
      key: 'open',
      header: 'Actions',
      hideHeader: true,
      className: 'actions',
      cell: ({ request: r }) => (
        <button className="btn btn-small" onClick={() => setOpen(r.id)} aria-label={`Open request ${r.order_id ?? r.id}`}>
          Open
        </button>
      ),
    },
  ];
  const reasons = Object.entries(count.data?.by_reason ?? {}).sort((a, b) => b[1] - a[1]);

  return (
    <div className="page">
      <PageHeader
        title="Review queue"
        subtitle="Requests that need a person: escalations after follow-ups ran out, messages without a clear intent, and requests blocked by the quota. It updates by itself."
        actions={
          <button className="btn" onClick={() => void Promise.all([queue.refetch(), count.refetch(), usage.refetch(), failed.refetch()])}>
            Refresh
          </button>
        }
      />
      <BlockedBanner reason={usage.data?.blocked_reason} isOwner={isOwner} />
      <div className="toolbar">
        <div className="button-row" role="group" aria-label="Whose requests">
          {VIEWS.map((v) => (
            <button key={v.value} className={`btn${assignee === v.value ? ' btn-primary' : ''}`} aria-pressed={assignee === v.value} onClick={() => filters.set({ assignee: v.value })}>
              {v.label}
            </button>
          ))}
        </div>
        <select value={reason} onChange={(e) => filters.set({ reason: e.target.value })} aria-label="Reason">
          <option value="">All reasons</option>
          {reasons.map(([why, n]) => (
            <option key={why} value={why}>
              {why.replace(/_/g, ' ')} ({n})
            </option>
          ))}
          {reason && !reasons.some(([why]) => why === reason) && <option value={reason}>{reason}</option>}
        </select>
        <label className="inline-label">
          <input type="checkbox" checked={overdue} onChange={(e) => filters.set({ overdue: e.target.checked ? 'true' : '' })} /> Past SLA only
        </label>
        <label className="inline-label">
          <input type="checkbox" checked={allPicked} onChange={(e) => setSelected(new Set(e.target.checked ? items.map((i) => i.request.id) : []))} /> Select all
        </label>
        <div className="button-row" role="group" aria-label="With the selected">
          <button className="btn" disabled={!picked.length || bulk.isPending} onClick={() => bulk.mutate({ action: 'resolve', ids: picked })}>
            Resolve {picked.length || ''}
          </button>
          <button className="btn" disabled={!picked.length || bulk.isPending} onClick={() => bulk.mutate({ action: 'close', ids: picked })}>
            Close {picked.length || ''}
          </button>
          <button
            className="btn"
            disabled={!blocked.length || bulk.isPending}
            title="Process quota-blocked requests again, once there is quota"
            onClick={() => bulk.mutate({ action: 'rerun', ids: blocked.map((i) => i.request.id) })}
          >
            Run again {blocked.length || ''}
          </button>
        </div>
      </div>
      <ErrorBox error={bulk.error} title="The action did not go through." />
      <ListView
        source={queue}
        what="the review queue"
        filters={filters}
        rowKey={(i) => i.request.id}
        columns={columns}
        label="Review queue"
        empty="Nothing waits for review."
        noMatch="Nothing waits for this reason."
      />
      <FailedMessages failed={failed} />
      {open && <RequestDialog id={open} onClose={() => setOpen(null)} />}
    </div>
  );
}
