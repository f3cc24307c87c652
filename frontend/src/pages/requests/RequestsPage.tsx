import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { LoadMore } from '../../components/LoadMore';
import { useApi } from '../../deps';
import { Empty, LoadError, Loading, PageHeader } from '../../components/ui';
import { formatDate } from '../../format';
import type { SupportRequest } from '../../api/types';
import { RequestDialog } from './RequestDialog';
import { STATUS, STATUS_ORDER, StatusBadge, intentLabel, outcomeLabel } from './labels';

const PAGE = 50;

export function RequestsTable({ items, onOpen }: { items: SupportRequest[]; onOpen: (id: string) => void }) {
  return (
    <div className="table-wrap">
      <table className="table">
        <thead>
          <tr>
            <th>Received</th>
            <th>Customer</th>
            <th>Order</th>
            <th>Intent</th>
            <th>Outcome</th>
            <th>Status</th>
            <th className="num">Follow-ups</th>
            <th aria-label="Actions" />
          </tr>
        </thead>
        <tbody>
          {items.map((r) => (
            <tr key={r.id}>
              <td className="small nowrap">{formatDate(r.created_at)}</td>
              <td>{r.customer}</td>
              <td className="mono">{r.order_id ?? <span className="muted">—</span>}</td>
              <td>{intentLabel(r.intent)}</td>
              <td className="small">{outcomeLabel(r.outcome)}</td>
              <td>
                <StatusBadge status={r.status} />
              </td>
              <td className="num">{r.follow_ups}</td>
              <td className="actions">
                <button className="btn btn-small" onClick={() => onOpen(r.id)} aria-label={`Open request ${r.order_id ?? r.id}`}>
                  Open
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function RequestsPage() {
  const api = useApi();
  const [status, setStatus] = useState('');
  const [intent, setIntent] = useState('');
  const [orderInput, setOrderInput] = useState('');
  const [customerInput, setCustomerInput] = useState('');
  const [search, setSearch] = useState({ order_id: '', customer: '' });
  const [items, setItems] = useState<SupportRequest[]>([]);
  const [counts, setCounts] = useState<Record<string, number>>({});
  const [cursor, setCursor] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<unknown>(null);
  const [open, setOpen] = useState<string | null>(null);

  const load = useCallback(
    async (after: string | null) => {
      const page = await api.requests.list({
        status: status || undefined,
        intent: intent || undefined,
        order_id: search.order_id || undefined,
        customer: search.customer || undefined,
        cursor: after,
        limit: PAGE,
      });
      setItems((xs) => (after ? [...xs, ...page.items] : page.items));
      setCursor(page.next_cursor);
      setCounts(page.counts ?? {});
    },
    [api, status, intent, search],
  );

  useEffect(() => {
    let stale = false;
    setLoading(true);
    setError(null);
    load(null)
      .catch((e) => !stale && setError(e))
      .finally(() => !stale && setLoading(false));
    return () => {
      stale = true;
    };
  }, [load]);

  const total = Object.values(counts).reduce((a, b) => a + b, 0);
  const applySearch = (e: FormEvent) => {
    e.preventDefault();
    setSearch({ order_id: orderInput.trim(), customer: customerInput.trim() });
  };

  return (
    <div className="page">
      <PageHeader title="Requests" subtitle="Every support request taken from customer messages, one per order and intent." />
      <div className="tabs" role="tablist" aria-label="Status">
        <button role="tab" aria-selected={status === ''} className={`tab${status === '' ? ' active' : ''}`} onClick={() => setStatus('')}>
          All <span className="tab-count">{total}</span>
        </button>
        {STATUS_ORDER.filter((s) => counts[s]).map((s) => (
          <button key={s} role="tab" aria-selected={status === s} className={`tab${status === s ? ' active' : ''}`} onClick={() => setStatus(s)}>
            {STATUS[s].label} <span className="tab-count">{counts[s]}</span>
          </button>
        ))}
      </div>
      <form className="toolbar" onSubmit={applySearch}>
        <select value={intent} onChange={(e) => setIntent(e.target.value)} aria-label="Intent">
          <option value="">All intents</option>
          <option value="refill">Refill</option>
          <option value="cancel">Cancel</option>
          <option value="speed_up">Speed-up</option>
          <option value="other">Other</option>
        </select>
        <input placeholder="Order ID" value={orderInput} onChange={(e) => setOrderInput(e.target.value)} aria-label="Order ID" />
        <input placeholder="Customer" value={customerInput} onChange={(e) => setCustomerInput(e.target.value)} aria-label="Customer" />
        <button className="btn">Search</button>
      </form>
      {loading ? (
        <Loading />
      ) : error ? (
        <LoadError error={error} what="requests" />
      ) : items.length === 0 ? (
        <Empty>No requests match.</Empty>
      ) : (
        <>
          <RequestsTable items={items} onOpen={setOpen} />
          <LoadMore cursor={cursor} load={load} />
        </>
      )}
      {open && (
        <RequestDialog id={open} onClose={() => setOpen(null)} onChanged={(r) => setItems((xs) => xs.map((x) => (x.id === r.id ? r : x)))} />
      )}
    </div>
  );
}
