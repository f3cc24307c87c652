import { useCallback, useEffect, useMemo, useState } from 'react';
import { useApi } from '../../deps';
import { useAuth } from '../../auth/AuthContext';
import { useToast } from '../../components/Toast';
import { Empty, LoadError, Loading, OwnerOnlyNote, PageHeader } from '../../components/ui';
import type { ServiceOut, ServicePatch } from '../../api/types';
import { ServicesTable } from './ServicesTable';
import { ServiceEditor } from './ServiceEditor';
import { ImportDialog } from './ImportDialog';

const PAGE = 50;

function useDebounced<T>(value: T, ms: number): T {
  const [v, setV] = useState(value);
  useEffect(() => {
    const t = setTimeout(() => setV(value), ms);
    return () => clearTimeout(t);
  }, [value, ms]);
  return v;
}

export function ServicesPage() {
  const api = useApi();
  const toast = useToast();
  const { isOwner } = useAuth();
  const [search, setSearch] = useState('');
  const [category, setCategory] = useState('');
  const [active, setActive] = useState<'all' | 'active' | 'inactive'>('active');
  const q = useDebounced(search, 300);

  const [items, setItems] = useState<ServiceOut[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [loadingMore, setLoadingMore] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [categories, setCategories] = useState<string[]>([]);
  const [editing, setEditing] = useState<ServiceOut | null>(null);
  const [importing, setImporting] = useState(false);
  const [syncing, setSyncing] = useState(false);

  const query = useMemo(
    () => ({ search: q || undefined, category: category || undefined, active: active === 'all' ? null : active === 'active', limit: PAGE }),
    [q, category, active],
  );

  const load = useCallback(
    async (after: string | null) => {
      const page = await api.services.list({ ...query, cursor: after });
      setItems((prev) => (after ? [...prev, ...page.items] : page.items));
      setCursor(page.next_cursor);
      setCategories((prev) => Array.from(new Set([...prev, ...page.items.map((s) => s.category).filter(Boolean)])).sort());
    },
    [api, query],
  );

  useEffect(() => {
    let stale = false;
    setLoading(true);
    setError(null);
    load(null)
      .catch((err) => !stale && setError(err))
      .finally(() => !stale && setLoading(false));
    return () => {
      stale = true;
    };
  }, [load]);

  const loadMore = async () => {
    setLoadingMore(true);
    try {
      await load(cursor);
    } catch (err) {
      toast.error(err);
    } finally {
      setLoadingMore(false);
    }
  };

  const save = async (patch: ServicePatch) => {
    if (!editing) return;
    const updated = await api.services.update(editing.id, patch);
    setItems((xs) => xs.map((s) => (s.id === updated.id ? updated : s)));
    toast.success(`Service #${updated.panel_service_id} saved.`);
  };

  const sync = async () => {
    setSyncing(true);
    try {
      const { job_id } = await api.services.sync();
      toast.info(`Sync from the panel started (job ${job_id}). Reload this page in a minute to see the changes.`);
    } catch (err) {
      toast.error(err);
    } finally {
      setSyncing(false);
    }
  };

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
              <button className="btn btn-primary" onClick={sync} disabled={syncing}>
                {syncing ? 'Starting…' : 'Sync from panel'}
              </button>
            </>
          )
        }
      />
      {!isOwner && <OwnerOnlyNote what="change service policies" />}

      <div className="toolbar">
        <input type="search" placeholder="Search by name or ID" value={search} onChange={(e) => setSearch(e.target.value)} aria-label="Search services" />
        <select value={category} onChange={(e) => setCategory(e.target.value)} aria-label="Category">
          <option value="">All categories</option>
          {categories.map((c) => (
            <option key={c} value={c}>
              {c}
            </option>
          ))}
        </select>
        <select value={active} onChange={(e) => setActive(e.target.value as typeof active)} aria-label="Active">
          <option value="active">Active only</option>
          <option value="inactive">Inactive only</option>
          <option value="all">All</option>
        </select>
      </div>

      {loading ? (
        <Loading />
      ) : error ? (
        <LoadError error={error} what="services" />
      ) : items.length === 0 ? (
        <Empty>
          No services found. {isOwner ? 'Connect your panel and press "Sync from panel", or import the services JSON.' : ''}
        </Empty>
      ) : (
        <>
          <ServicesTable services={items} canEdit={isOwner} onEdit={setEditing} />
          {cursor && (
            <div className="load-more">
              <button className="btn" onClick={loadMore} disabled={loadingMore}>
                {loadingMore ? 'Loading…' : 'Load more'}
              </button>
            </div>
          )}
        </>
      )}

      {editing && <ServiceEditor service={editing} onSave={save} onClose={() => setEditing(null)} />}
      {importing && (
        <ImportDialog
          onImport={async (list) => {
            const r = await api.services.import(list);
            void load(null).catch(() => {});
            return r;
          }}
          onClose={() => setImporting(false)}
        />
      )}
    </div>
  );
}
