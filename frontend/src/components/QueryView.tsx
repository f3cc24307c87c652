/**
 * The one loading/error presentation for a query: a spinner while the first answer is on
 * its way, the problem if it failed, else `children(data)`.
 *
 *   <QueryView query={useApiQuery(keys.tenant, getTenant)} what="the account">{(tenant) => …}</QueryView>
 */
import type { ReactNode } from 'react';
import type { UseQueryResult } from '@tanstack/react-query';
import { LoadError, Loading } from './ui';

export function QueryView<T>({ query, what, children }: { query: UseQueryResult<T, unknown>; what: string; children: (data: T) => ReactNode }) {
  if (query.isPending) return <Loading />;
  if (query.isError) return <LoadError error={query.error} what={what} />;
  return <>{children(query.data)}</>;
}
