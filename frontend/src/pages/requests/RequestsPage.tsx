import { useState } from 'react';
import { Link } from 'react-router-dom';
import { ListView, type Column } from '../../components/DataTable';
import { useUrlFilters } from '../../components/useUrlFilters';
import { PageHeader } from '../../components/ui';
import { formatDate } from '../../format';
import { listRequests, type ListRequestsData, type RequestListItem, type RequestPage, type RequestStatus, type Source } from '../../api/gen';
import { keys, usePagedQuery } from '../../api/queries';
import { RequestDialog } from './RequestDialog';
import { ChannelSelect, DateRange, dayEnd, dayStart, IntentSelect, SearchBox } from './filters';
import { STATUS, STATUS_ORDER, StatusBadge, WaitBadge, intentLabel, outcomeLabel, sourceLabel } from './labels';

const PAGE = 50;
/** How often the list looks for new requests while it is open. */
export const LIVE_INTERVAL_MS = 10_000;

const DEFAULTS = { status: '', intent: '', search: '', source: '', from: '', to: '', overdue: '', sort: '' };

function columns(onOpen: (id: string) => void): Column<RequestListItem>[] {
  return [
    { key: 'received', header: 'Received', className: 'small nowrap', cell: (r) => formatDate(r.created_at) },
    {
      key: 'customer',
      header: 'Customer',
      cell: (r) => <Link to={`/inbox/customers?customer=${encodeURIComponent(r.customer)}`}>{r.customer}</Link>,
    },
    {
      key: 'message',
      header: 'Message',
      className: 'message-cell',
      cell: (r) => (
        <>
          <span className="clip-2" title={r.message_text}>
            {r.message_text}
          </span>
          <span className="muted small">
            {sourceLabel(r.source)}
            {r.lang && ` · ${r.lang}`}
          </span>
        </>
      ),
    },
    { key: 'order', header: 'Order', className: 'mono', cell: (r) => r.order_id ?? <span className="muted">—</span> },
    { key: 'intent', header: 'Intent', cell: (r) => intentLabel(r.intent) },
    { key: 'outcome', header: 'Outcome', className: 'small', cell: (r) => outcomeLabel(r.outcome) },
    {
      key: 'status',
      header: 'Status',
      cell: (r) => (
        <>
          <StatusBadge status={r.status} /> <WaitBadge wait={r} />
        </>
      ),
    },
    {
      key: 'open',
      header: 'Actions',
      hideHeader: true,
      className: 'actions',
      cell: (r) => (
        <button className="btn btn-small" onClick={() => onOpen(r.id)} aria-label={`Open request ${r.order_id ?? r.id}`}>
          Open
        </button>
      ),
    },
  ];
}

export function RequestsPage() {
  const filters = useUrlFilters(DEFAULTS);
  const f = filters.values;
  const query: ListRequestsData['query'] = {
    status: (f.status || undefined) as RequestStatus | undefined,
    intent: f.intent || undefined,
    search: f.search || undefined,
    source: (f.source || undefined) as Source | undefined,
    created_from: dayStart(f.from),
    created_to: dayEnd(f.to),
    overdue: f.overdue === 'true' ? true : undefined,
    sort: f.sort === 'waiting' ? 'waiting' : undefined,
    limit: PAGE,
  };
  const requests = usePagedQuery(
    [...keys.requests, 'list', query],
    (o) => listRequests({ ...o, query: { ...query, cursor: o.cursor } }),
    { refetchInterval: LIVE_INTERVAL_MS },
  );
  const [open, setOpen] = useState<string | null>(null);
  // The first page's counts per status (for the filters other than status).
  const counts = (requests.data?.pages[0] as RequestPage | undefined)?.counts ?? {};
  const total = Object.values(counts).reduce((a, b) => a + b, 0);

  return (
    <div className="page">
      <PageHeader title="Requests" subtitle="Every support request taken from customer messages, one per order and intent. New ones appear as they arrive." />
      <div className="tabs" role="tablist" aria-label="Status">
        <button role="tab" aria-selected={f.status === ''} className={`tab${f.status === '' ? ' active' : ''}`} onClick={() => filters.set({ status: '' })}>
          All <span className="tab-count">{total}</span>
        </button>
        {STATUS_ORDER.filter((s) => counts[s] || f.status === s).map((s) => (
          <button key={s} role="tab" aria-selected={f.status === s} className={`tab${f.status === s ? ' active' : ''}`} onClick={() => filters.set({ status: s })}>
            {STATUS[s].label} <span className="tab-count">{counts[s] ?? 0}</span>
          </button>
        ))}
      </div>
      <div className="toolbar">
        <SearchBox value={f.search} onSearch={(search) => filters.set({ search })} placeholder="Message text, customer or order ID" />
        <IntentSelect value={f.intent} onChange={(intent) => filters.set({ intent })} />
        <ChannelSelect value={f.source} onChange={(source) => filters.set({ source })} />
        <DateRange from={f.from} to={f.to} onChange={filters.set} />
        <label className="inline-label">
          <input
            type="checkbox"
            checked={f.overdue === 'true'}
            onChange={(e) => filters.set(e.target.checked ? { overdue: 'true', sort: 'waiting' } : { overdue: '', sort: '' })}
          />{' '}
          Past SLA, longest wait first
        </label>
      </div>
      <ListView
        source={requests}
        what="requests"
        filters={filters}
        rowKey={(r) => r.id}
        columns={columns(setOpen)}
        label="Requests"
        empty="No requests yet: they appear here as customers write in."
        noMatch="No requests match these filters."
      />
      {open && <RequestDialog id={open} onClose={() => setOpen(null)} />}
    </div>
  );
}
