import { useEffect, useState } from 'react';
import { useAuth } from '../../auth/AuthContext';
import { useToast } from '../../components/Toast';
import { ListView } from '../../components/DataTable';
import { useUrlFilters } from '../../components/useUrlFilters';
import { Loading, OwnerOnlyNote, PageHeader } from '../../components/ui';
import { listServices, syncServices, type ServiceOut } from '../../api/gen';
import { keys, useApiMutation, useApiQuery, usePagedQuery } from '../../api/queries';
import { serviceColumns, serviceRowProps } from './ServicesTable';
import { ServiceEditor } from './ServiceEditor';
import { ImportDialog } from './ImportDialog';

const PAGE = 50;
const ACTIVE = { active: true, inactive: false, all: null } as const;

/** The search box's text, handed on once typing pauses. */
function useDebounced<T>(value: T, ms: number): T {
  const [v, setV] = useState(value);
  useEffect(() => {
    const t = setTimeout(() => setV(value), ms);
    return () => clearTimeout(t);
  }, [value, ms]);
  return v;
}

export function ServicesPage() {
  const toast = useToast();
  const { isOwner } = useAuth();
  const filters = useUrlFilters({ search: '', category: '', active: 'active' });
  const [search, setSearch] = useState(filters.values.search);
  const typed = useDebounced(search, 300);
  const [editing, setEditing] = useState<ServiceOut | null>(null);
  const [importing, setImporting] = useState(false);
  const [categories, setCategories] = useState<string[]>([]);

  const { set: setFilters } = filters;
  useEffect(() => setFilters({ search: typed }), [typed, setFilters]);
  useEffect(() => setSearch(filters.values.search), [filters.values.search]);

  const { active, ...narrowing } = filters.query;
  const services = usePagedQuery<ServiceOut>([...keys.services, filters.values], (o) =>
    listServices({ ...o, query: { ...narrowing, active: ACTIVE[(active ?? 'active') as keyof typeof ACTIVE] ?? null, cursor: o.cursor, limit: PAGE } }),
  );
  // "Nothing yet" only when the account has no service at all, whatever the filters.
  const none = services.isSuccess && services.items.length === 0;
  const anyService = useApiQuery([...keys.services, 'any'], (o) => listServices({ ...o, query: { limit: 1 } }), { enabled: none });
  const someExist = (anyService.data?.items.length ?? 0) > 0;
  const sync = useApiMutation((client, _: void) => syncServices({ client }), {
    onSuccess: ({ job_id }) => toast.info(`Sync from the panel started (job ${job_id}). The list updates when it is done; reload in a minute.`),
  });

  useEffect(() => {
    const seen = services.items.map((s) => s.category).filter(Boolean);
    setCategories((prev) => (seen.every((c) => prev.includes(c)) ? prev : Array.from(new Set([...prev, ...seen])).sort()));
  }, [services.items]);

  return (
    <div className="page">
      <PageHeader
        title="Services"
        subtitle="Refill periods are detected from service names (R30, G60, Lifetime…). Override any service where the name does not tell the truth."
        actions={
          isOwner && (
            <>
              <button className="btn" onClick={() => setImporting(true)}>
                Import JSON
              </button>
              <button className="btn btn-primary" onClick={() => sync.mutate(undefined, { onError: toast.error })} disabled={sync.isPending}>
                {sync.isPending ? 'Starting…' : 'Sync from panel'}
              </button>
            </>
          )
        }
      />
      {!isOwner && <OwnerOnlyNote what="change service policies" />}

      <div className="toolbar">
        <input type="search" placeholder="Search by name or ID" value={search} onChange={(e) => setSearch(e.target.value)} aria-label="Search services" />
        <select value={filters.values.category} onChange={(e) => filters.set({ category: e.target.value })} aria-label="Category">
          <option value="">All categories</option>
          {categories.map((c) => (
            <option key={c} value={c}>
              {c}
            </option>
          ))}
        </select>
        <select value={filters.values.active} onChange={(e) => filters.set({ active: e.target.value })} aria-label="Active">
          <option value="active">Active only</option>
          <option value="inactive">Inactive only</option>
          <option value="all">All</option>
        </select>
      </div>

      <ListView
        source={services}
        what="services"
        empty={
          anyService.isSuccess ? (
            <>No services yet. {isOwner ? 'Connect your panel and press "Sync from panel", or import the services JSON.' : ''}</>
          ) : (
            <Loading />
          )
        }
        noMatch="No services match these filters."
        // Clearing shows inactive services too: "Active only" narrows the list like any filter.
        filters={{ active: filters.active || someExist, clear: () => filters.set({ search: '', category: '', active: 'all' }) }}
        columns={serviceColumns(isOwner, setEditing)}
        rowKey={(s) => s.id}
        rowProps={serviceRowProps}
        className="services-table"
      />

      {editing && <ServiceEditor service={editing} onClose={() => setEditing(null)} />}
      {importing && <ImportDialog onClose={() => setImporting(false)} />}
    </div>
  );
}
