import { useState } from 'react';
import { Link } from 'react-router-dom';
import { ListView, type Column } from '../../components/DataTable';
import { ErrorBox } from '../../components/ErrorBox';
import { useUrlFilters } from '../../components/useUrlFilters';
import { PageHeader } from '../../components/ui';
import { useSdk } from '../../deps';
import { formatDate } from '../../format';
import { exportInbox, listInbox, type InboxMessage, type ListInboxData } from '../../api/gen';
import { keys, usePagedQuery } from '../../api/queries';
import { ChannelSelect, DateRange, dayEnd, dayStart, IntentSelect, SearchBox } from '../requests/filters';
import { STATUS, STATUS_ORDER, StatusBadge, sourceLabel } from '../requests/labels';
import { LIVE_INTERVAL_MS } from '../requests/RequestsPage';
import { MessageStatusBadge } from './MessageCard';

const DEFAULTS = { search: '', source: '', intent: '', status: '', orders: '', lang: '', from: '', to: '' };
type Filters = typeof DEFAULTS;

export function inboxQuery(f: Filters): NonNullable<ListInboxData['query']> {
  type Q = NonNullable<ListInboxData['query']>;
  return {
    search: f.search || undefined,
    source: (f.source || undefined) as Q['source'],
    intent: (f.intent || undefined) as Q['intent'],
    status: (f.status || undefined) as Q['status'],
    lang: f.lang || undefined,
    has_orders: f.orders === '' ? undefined : f.orders === 'with',
    created_from: dayStart(f.from),
    created_to: dayEnd(f.to),
  };
}

const columns: Column<InboxMessage>[] = [
  { key: 'received', header: 'Received', className: 'small nowrap', cell: (m) => formatDate(m.created_at) },
  { key: 'customer', header: 'Customer', cell: (m) => <Link to={`/inbox/customers?customer=${encodeURIComponent(m.customer)}`}>{m.customer}</Link> },
  {
    key: 'message',
    header: 'Message',
    className: 'message-cell',
    cell: (m) => (
      <>
        <Link to={`/inbox/${m.id}`} className="clip-2" title={m.text}>
          {m.text}
        </Link>
        <span className="muted small">
          {sourceLabel(m.source)}
          {m.lang && ` · ${m.lang}`}
        </span>
      </>
    ),
  },
  {
    key: 'requests',
    header: 'Requests',
    cell: (m) =>
      m.requests.length ? (
        <ul className="plain-list">
          {m.requests.map((r) => (
            <li key={r.id} className="nowrap">
              <span className="mono">{r.order_id ?? '—'}</span> <StatusBadge status={r.status} />
            </li>
          ))}
        </ul>
      ) : (
        <span className="muted small">No order</span>
      ),
  },
  { key: 'status', header: 'Status', cell: (m) => <MessageStatusBadge status={m.status} /> },
  { key: 'reply', header: 'Replied', className: 'small nowrap', cell: (m) => (m.reply_text ? formatDate(m.replied_at) : <span className="muted">—</span>) },
];

/** The filtered list as a CSV file, fetched with the session's token. */
function ExportButton({ filters }: { filters: Filters }) {
  const client = useSdk();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const download = async () => {
    setBusy(true);
    setError(null);
    try {
      const { data } = await exportInbox({ client, query: inboxQuery(filters), parseAs: 'text' });
      const link = document.createElement('a');
      link.href = URL.createObjectURL(new Blob([data], { type: 'text/csv' }));
      link.download = `messages-${new Date().toISOString().slice(0, 10)}.csv`;
      link.click();
      URL.revokeObjectURL(link.href);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <button className="btn" onClick={() => void download()} disabled={busy}>
        {busy ? 'Exporting…' : 'Export CSV'}
      </button>
      {error != null && <ErrorBox error={error} title="Could not export." />}
    </>
  );
}

/** Every customer message, with or without orders, with its requests and our reply; live. */
export function InboxPage() {
  const filters = useUrlFilters(DEFAULTS);
  const f = filters.values;
  const query = inboxQuery(f);
  const messages = usePagedQuery([...keys.inbox, 'list', query], (o) => listInbox({ ...o, query: { ...query, cursor: o.cursor, limit: 50 } }), {
    refetchInterval: LIVE_INTERVAL_MS,
  });
  return (
    <div className="page">
      <PageHeader
        title="Inbox"
        subtitle="Every customer message, with or without an order, with the requests made from it and our reply. New messages appear as they arrive."
        actions={<ExportButton filters={f} />}
      />
      <div className="toolbar">
        <SearchBox value={f.search} onSearch={(search) => filters.set({ search })} placeholder="Text, customer or order ID" />
        <ChannelSelect value={f.source} onChange={(source) => filters.set({ source })} />
        <select value={f.orders} onChange={(e) => filters.set({ orders: e.target.value })} aria-label="Orders">
          <option value="">With or without orders</option>
          <option value="with">About an order</option>
          <option value="without">Without an order</option>
        </select>
        <IntentSelect value={f.intent} onChange={(intent) => filters.set({ intent })} />
        <select value={f.status} onChange={(e) => filters.set({ status: e.target.value })} aria-label="Status">
          <option value="">Any status</option>
          <optgroup label="The message">
            <option value="processed">Processed</option>
            <option value="received">Waiting to be processed</option>
            <option value="waiting_panel">Waiting for the panel</option>
            <option value="failed">Failed</option>
          </optgroup>
          <optgroup label="One of its requests">
            {STATUS_ORDER.map((s) => (
              <option key={s} value={s}>
                {STATUS[s].label}
              </option>
            ))}
          </optgroup>
        </select>
        <input className="input-short" value={f.lang} onChange={(e) => filters.set({ lang: e.target.value.trim() })} aria-label="Language" placeholder="Language (en)" maxLength={16} />
        <DateRange from={f.from} to={f.to} onChange={filters.set} />
      </div>
      <ListView
        source={messages}
        what="the inbox"
        filters={filters}
        rowKey={(m) => m.id}
        columns={columns}
        label="Messages"
        empty="No customer messages yet: they appear here as tickets, Telegram messages and API calls come in."
        noMatch="No messages match these filters."
      />
    </div>
  );
}
