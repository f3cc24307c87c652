/**
 * Reads and writes through TanStack Query, on the generated SDK (src/api/gen).
 *
 * Usage:
 *   const users = useApiQuery(keys.users, listUsers);                      // any SDK read
 *   const audit = usePagedQuery([...keys.audit, filters], (o) => listAuditEntries({ ...o, query: { ...filters, cursor: o.cursor } }));
 *   const invite = useApiMutation((client, email: string) => inviteUser({ client, body: { email } }), { invalidates: [keys.users] });
 *   invite.mutate('a@b.c');  invite.isPending;  invite.error  (an ApiError: show it with <ErrorBox>)
 *   useApiMutation(…, { updates: keys.settings })    // the answer is the resource's new state
 *   <QueryView query={users} what="users">{(list) => …}</QueryView>      (components/QueryView)
 * Keys: one root per resource; a mutation invalidates the roots it changes, which refreshes
 * every filtered or paged view of them. New resources add their root to `keys`.
 */
import {
  QueryClient,
  useInfiniteQuery,
  useMutation,
  useQuery,
  useQueryClient,
  type DefaultOptions,
  type QueryKey,
  type UseQueryOptions,
} from '@tanstack/react-query';
import { useSdk } from '../deps';
import { ApiError } from './client';
import type { Client } from './gen/client';

/** Retry only what may pass next time: network failures and server errors, not refusals. */
function retryTransient(failures: number, error: unknown): boolean {
  return failures < 2 && error instanceof ApiError && (error.status === 0 || error.status >= 500);
}

export function createQueryClient(queries: DefaultOptions['queries'] = {}): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: { retry: retryTransient, staleTime: 15_000, ...queries },
      mutations: { retry: false },
    },
  });
}

export const keys = {
  apiKeys: ['api-keys'],
  audit: ['audit'],
  credits: ['credits'],
  dashboard: ['dashboard'],
  health: ['health'],
  inbox: ['inbox'],
  invoices: ['invoices'],
  messages: ['messages'],
  notifications: ['notifications'],
  plans: ['plans'],
  providers: ['providers'],
  queue: ['queue'],
  requests: ['requests'],
  savedReplies: ['saved-replies'],
  services: ['services'],
  settings: ['settings'],
  setup: ['setup'],
  subscription: ['subscription'],
  templates: ['templates'],
  tenant: ['tenant'],
  usage: ['usage'],
  users: ['users'],
} as const satisfies Record<string, QueryKey>;

/** What every SDK function accepts: the client to go through and the query's abort signal. */
export interface CallOptions {
  client: Client;
  signal?: AbortSignal;
}

type Read<T> = (options: CallOptions) => Promise<{ data: T }>;

/** One SDK read as a query; pass the SDK function itself, or a closure adding its parameters. */
export function useApiQuery<T>(
  key: QueryKey,
  read: Read<T>,
  options: Omit<UseQueryOptions<T, unknown>, 'queryKey' | 'queryFn'> = {},
) {
  const client = useSdk();
  return useQuery({ queryKey: key, queryFn: ({ signal }) => read({ client, signal }).then((r) => r.data), ...options });
}

export interface Page<T> {
  items: T[];
  next_cursor: string | null;
}

/** A cursor-paged list (the API's `next_cursor`): `items` so far, `loadMore()` for the next page. */
export function usePagedQuery<T>(
  key: QueryKey,
  read: (options: CallOptions & { cursor: string | null }) => Promise<{ data: Page<T> }>,
  // refetchInterval: live lists (new requests appear without a reload).
  { enabled = true, refetchInterval }: { enabled?: boolean; refetchInterval?: number } = {},
) {
  const client = useSdk();
  const query = useInfiniteQuery({
    queryKey: key,
    enabled,
    refetchInterval,
    queryFn: ({ signal, pageParam }) => read({ client, signal, cursor: pageParam }).then((r) => r.data),
    initialPageParam: null as string | null,
    getNextPageParam: (last: Page<T>) => last.next_cursor ?? undefined,
  });
  return {
    ...query,
    items: query.data?.pages.flatMap((p) => p.items) ?? [],
    loadMore: () => void query.fetchNextPage(),
  };
}

export type PagedQuery<T> = ReturnType<typeof usePagedQuery<T>>;

/**
 * One SDK write. On success the cache entry `updates` (if given) becomes the answer, and the
 * `invalidates` roots are refetched; `onSuccess` runs after both.
 */
export function useApiMutation<V, T>(
  write: (client: Client, variables: V) => Promise<{ data: T }>,
  {
    invalidates = [],
    updates,
    onSuccess,
  }: { invalidates?: QueryKey[]; updates?: QueryKey; onSuccess?: (data: T, variables: V) => unknown } = {},
) {
  const client = useSdk();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (variables: V) => write(client, variables).then((r) => r.data),
    onSuccess: async (data, variables) => {
      if (updates) queryClient.setQueryData(updates, data);
      await Promise.all(invalidates.map((queryKey) => queryClient.invalidateQueries({ queryKey })));
      await onSuccess?.(data, variables);
    },
  });
}
