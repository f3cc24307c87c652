import { useCallback, useEffect, useState } from 'react';
import { LoadMore } from '../components/LoadMore';
import { useApi } from '../deps';
import { useAuth } from '../auth/AuthContext';
import { Empty, LoadError, Loading, PageHeader } from '../components/ui';
import { formatDate } from '../format';
import type { AuditEntry } from '../api/types';

const PAGE = 50;

function DetailCell({ detail }: { detail: Record<string, unknown> }) {
  const entries = Object.entries(detail ?? {});
  if (!entries.length) return <span className="muted">—</span>;
  return (
    <span className="small">
      {entries.map(([k, v]) => (
        <span key={k} className="kv-inline">
          <span className="muted">{k}:</span> {typeof v === 'string' ? v : JSON.stringify(v)}
        </span>
      ))}
    </span>
  );
}

export function AuditPage() {
  const api = useApi();
  const { isOwner } = useAuth();
  const [action, setAction] = useState('');
  const [applied, setApplied] = useState('');
  const [items, setItems] = useState<AuditEntry[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<unknown>(null);
  const [emails, setEmails] = useState<Record<string, string>>({});

  useEffect(() => {
    if (!isOwner) return;
    api.users
      .list()
      .then((us) => setEmails(Object.fromEntries(us.map((u) => [u.id, u.email]))))
      .catch(() => {});
  }, [api, isOwner]);

  const load = useCallback(
    async (after: string | null) => {
      const page = await api.audit.list({ action: applied || undefined, cursor: after, limit: PAGE });
      setItems((xs) => (after ? [...xs, ...page.items] : page.items));
      setCursor(page.next_cursor);
    },
    [api, applied],
  );

  useEffect(() => {
    if (!isOwner) return;
    let stale = false;
    setLoading(true);
    setError(null);
    load(null)
      .catch((e) => !stale && setError(e))
      .finally(() => !stale && setLoading(false));
    return () => {
      stale = true;
    };
  }, [load, isOwner]);

  if (!isOwner) {
    return (
      <div className="page">
        <PageHeader title="Audit log" />
        <div className="notice">Only the account owner can see the audit log.</div>
      </div>
    );
  }

  return (
    <div className="page">
      <PageHeader title="Audit log" subtitle="Every change to your account: who, what, when and from where." />
      <form
        className="toolbar"
        onSubmit={(e) => {
          e.preventDefault();
          setApplied(action.trim());
        }}
      >
        <input placeholder="Filter by action, e.g. api_key.created" value={action} onChange={(e) => setAction(e.target.value)} aria-label="Action" />
        <button className="btn">Filter</button>
        {applied && (
          <button
            type="button"
            className="btn btn-ghost"
            onClick={() => {
              setAction('');
              setApplied('');
            }}
          >
            Clear
          </button>
        )}
      </form>
      {loading ? (
        <Loading />
      ) : error ? (
        <LoadError error={error} what="the audit log" />
      ) : items.length === 0 ? (
        <Empty>No entries{applied ? ` for “${applied}”` : ''}.</Empty>
      ) : (
        <>
          <div className="table-wrap">
            <table className="table">
              <thead>
                <tr>
                  <th>When</th>
                  <th>Action</th>
                  <th>Target</th>
                  <th>Details</th>
                  <th>Actor</th>
                  <th>IP</th>
                </tr>
              </thead>
              <tbody>
                {items.map((a) => (
                  <tr key={a.id}>
                    <td className="small nowrap">{formatDate(a.created_at)}</td>
                    <td>
                      <code>{a.action}</code>
                    </td>
                    <td className="small">{a.target ?? <span className="muted">—</span>}</td>
                    <td>
                      <DetailCell detail={a.detail} />
                    </td>
                    <td className="small">
                      {a.actor_id && emails[a.actor_id] ? (
                        emails[a.actor_id]
                      ) : (
                        <>
                          {a.actor_kind}
                          {a.actor_id && <div className="muted mono tiny">{a.actor_id.slice(0, 8)}</div>}
                        </>
                      )}
                    </td>
                    <td className="small mono">{a.ip ?? '—'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <LoadMore cursor={cursor} load={load} />
        </>
      )}
    </div>
  );
}
