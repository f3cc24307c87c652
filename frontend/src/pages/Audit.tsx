import { useEffect, useState } from 'react';
import { useAuth } from '../auth/AuthContext';
import { ListView, type Column } from '../components/DataTable';
import { useUrlFilters } from '../components/useUrlFilters';
import { PageHeader } from '../components/ui';
import { formatDate } from '../format';
import { listAuditEntries, type AuditEntryOut } from '../api/gen';
import { keys, usePagedQuery } from '../api/queries';
import { useUsers } from '../api/resources';

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

function columns(emails: Record<string, string>): Column<AuditEntryOut>[] {
  return [
    { key: 'when', header: 'When', className: 'small nowrap', cell: (a) => formatDate(a.created_at) },
    { key: 'action', header: 'Action', cell: (a) => <code>{a.action}</code> },
    { key: 'target', header: 'Target', className: 'small audit-target', cell: (a) => a.target ?? <span className="muted">—</span> },
    { key: 'detail', header: 'Details', className: 'audit-detail', cell: (a) => <DetailCell detail={a.detail} /> },
    {
      key: 'actor',
      header: 'Actor',
      className: 'small',
      cell: (a) =>
        a.actor_id && emails[a.actor_id] ? (
          emails[a.actor_id]
        ) : (
          <>
            {a.actor_kind}
            {a.actor_id && <div className="muted mono tiny">{a.actor_id.slice(0, 8)}</div>}
          </>
        ),
    },
    { key: 'ip', header: 'IP', className: 'small mono', cell: (a) => a.ip ?? '—' },
  ];
}

export function AuditPage() {
  const { isOwner } = useAuth();
  const filters = useUrlFilters({ action: '' });
  const [action, setAction] = useState(filters.values.action);
  const users = useUsers(isOwner);
  const audit = usePagedQuery<AuditEntryOut>([...keys.audit, filters.query], (o) =>
    listAuditEntries({ ...o, query: { ...filters.query, cursor: o.cursor, limit: PAGE } }),
    { enabled: isOwner },
  );
  useEffect(() => setAction(filters.values.action), [filters.values.action]);
  const emails = Object.fromEntries((users.data ?? []).map((u) => [u.id, u.email]));

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
          filters.set({ action: action.trim() });
        }}
      >
        <input placeholder="Filter by action, e.g. api_key.created" value={action} onChange={(e) => setAction(e.target.value)} aria-label="Action" />
        <button className="btn">Filter</button>
        {filters.active && (
          <button
            type="button"
            className="btn btn-ghost"
            onClick={() => {
              setAction('');
              filters.clear();
            }}
          >
            Clear
          </button>
        )}
      </form>
      <ListView
        source={audit}
        what="the audit log"
        empty="Nothing has been recorded yet."
        noMatch={`No entries for “${filters.values.action}”.`}
        filters={filters}
        columns={columns(emails)}
        rowKey={(a) => a.id}
        className="audit-table"
      />
    </div>
  );
}
