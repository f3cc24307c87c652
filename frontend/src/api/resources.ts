/**
 * Reads that several pages share, as hooks (one query key each, so they share one cache
 * entry): `const usage = useUsage();` then `usage.data`, or `<QueryView query={usage} …>`.
 */
import { getCredits, getSettings, getSubscription, getTenant, getUsage, health, listInvoices, listPlans, listUsers, type HealthOut } from './gen';
import { ApiError } from './client';
import { keys, useApiQuery, type CallOptions } from './queries';

export const useTenant = () => useApiQuery(keys.tenant, getTenant);
export const useTenantSettings = () => useApiQuery(keys.settings, getSettings);
export const useUsers = (enabled = true) => useApiQuery(keys.users, listUsers, { enabled });
export const useUsage = () => useApiQuery(keys.usage, getUsage);
export const useCredits = (limit = 20) => useApiQuery([...keys.credits, limit], (o) => getCredits({ ...o, query: { limit } }));
export const usePlans = () => useApiQuery(keys.plans, listPlans, { staleTime: Infinity });
export const useSubscription = () => useApiQuery(keys.subscription, getSubscription);
export const useInvoices = (limit = 50) => useApiQuery([...keys.invoices, limit], (o) => listInvoices({ ...o, query: { limit } }));

/** A degraded server answers 503 with the same body: that is a reading, not a failure. */
async function readHealth(options: CallOptions): Promise<{ data: HealthOut }> {
  try {
    return await health(options);
  } catch (err) {
    if (err instanceof ApiError && err.status === 503 && err.body && 'database' in err.body) {
      return { data: err.body as unknown as HealthOut };
    }
    throw err;
  }
}

export const useHealth = () => useApiQuery(keys.health, readHealth, { refetchInterval: 30_000 });
