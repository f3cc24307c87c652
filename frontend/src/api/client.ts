/**
 * The transport under the generated SDK (src/api/gen): RFC 9457 problem details turned
 * into ApiError, the bearer token attached, and one refresh-and-retry on 401.
 *
 * Usage: `const transport = createTransport({ tokens }); const sdk = createSdkClient(transport);`
 * then pass `{ client: sdk }` to the generated functions (src/api/queries.ts does, with the
 * client from deps.tsx). Which calls carry the token comes from each operation's security
 * in the OpenAPI document, so public ones (login, signup, plans) never trigger a refresh.
 */
import { createClient, createConfig, type Client } from './gen/client';
import type { TokensOut } from './gen';
import type { TokenStore } from './tokens';
export interface FieldError {
  /** Dotted field name when the server named one, else null. */
  field: string | null;
  message: string;
}

export interface ProblemBody {
  type?: string;
  title?: string;
  status?: number;
  detail?: string;
  instance?: string;
  errors?: unknown;
  [extra: string]: unknown;
}

export class ApiError extends Error {
  readonly status: number;
  readonly title: string;
  readonly detail: string;
  readonly type: string;
  readonly instance: string | null;
  readonly fieldErrors: FieldError[];
  readonly retryAfter: number | null;
  readonly body: ProblemBody | null;

  constructor(init: {
    status: number;
    title?: string;
    detail?: string;
    type?: string;
    instance?: string | null;
    fieldErrors?: FieldError[];
    retryAfter?: number | null;
    body?: ProblemBody | null;
  }) {
    const detail = init.detail || init.title || `Request failed (HTTP ${init.status})`;
    super(detail);
    this.name = 'ApiError';
    this.status = init.status;
    this.title = init.title ?? '';
    this.detail = detail;
    this.type = init.type ?? 'about:blank';
    this.instance = init.instance ?? null;
    this.fieldErrors = init.fieldErrors ?? [];
    this.retryAfter = init.retryAfter ?? null;
    this.body = init.body ?? null;
  }

  /** Messages for one field (matches "name" and "body.name"). */
  fieldMessages(field: string): string[] {
    return this.fieldErrors
      .filter((e) => e.field === field || (e.field ?? '').endsWith(`.${field}`))
      .map((e) => e.message);
  }
}

function asFieldError(item: unknown): FieldError | null {
  if (typeof item === 'string') return { field: null, message: item };
  if (!item || typeof item !== 'object') return null;
  const o = item as Record<string, unknown>;
  const message = [o.message, o.msg, o.detail, o.title].find((v) => typeof v === 'string') as
    | string
    | undefined;
  let field: string | null = null;
  for (const k of ['field', 'key', 'name', 'pointer', 'loc']) {
    const v = o[k];
    if (typeof v === 'string' && v) {
      field = v.replace(/^#?\//, '').replace(/\//g, '.');
      break;
    }
    if (Array.isArray(v) && v.length) {
      field = v.filter((p) => p !== 'body').join('.');
      break;
    }
  }
  if (!message) return field ? { field, message: 'Invalid value' } : null;
  return { field, message };
}

/** Normalise the `errors` member of a problem: list of strings/objects, or a {field: msg(s)} map. */
export function parseFieldErrors(errors: unknown): FieldError[] {
  if (!errors) return [];
  if (Array.isArray(errors)) {
    return errors.map(asFieldError).filter((e): e is FieldError => e !== null);
  }
  if (typeof errors === 'object') {
    const out: FieldError[] = [];
    for (const [field, v] of Object.entries(errors as Record<string, unknown>)) {
      const msgs = Array.isArray(v) ? v : [v];
      for (const m of msgs) {
        if (typeof m === 'string') out.push({ field, message: m });
        else {
          const fe = asFieldError(m);
          if (fe) out.push({ field: fe.field ?? field, message: fe.message });
        }
      }
    }
    return out;
  }
  if (typeof errors === 'string') return [{ field: null, message: errors }];
  return [];
}

function parseRetryAfter(value: string | null): number | null {
  if (!value) return null;
  const secs = Number(value);
  if (Number.isFinite(secs)) return Math.max(0, Math.ceil(secs));
  const at = Date.parse(value);
  return Number.isNaN(at) ? null : Math.max(0, Math.ceil((at - Date.now()) / 1000));
}

/** Build an ApiError from a failed response's status, parsed body (or text) and headers. */
export function problemFromResponse(
  status: number,
  body: unknown,
  headers?: Headers,
  statusText = '',
): ApiError {
  const retryAfter = parseRetryAfter(headers?.get('Retry-After') ?? null);
  if (body && typeof body === 'object' && !Array.isArray(body)) {
    const p = body as ProblemBody;
    return new ApiError({
      status: typeof p.status === 'number' ? p.status : status,
      title: typeof p.title === 'string' ? p.title : statusText,
      detail: typeof p.detail === 'string' ? p.detail : undefined,
      type: typeof p.type === 'string' ? p.type : undefined,
      instance: typeof p.instance === 'string' ? p.instance : null,
      fieldErrors: parseFieldErrors(p.errors),
      retryAfter,
      body: p,
    });
  }
  const text = typeof body === 'string' && body.trim() && body.length < 300 ? body.trim() : '';
  return new ApiError({
    status,
    title: statusText,
    detail: text || (status === 0 ? 'The server could not be reached.' : undefined),
    retryAfter,
  });
}

export interface TransportOptions {
  tokens: TokenStore;
  fetch?: typeof fetch;
  /** Called when a session cannot be refreshed (tokens are already cleared). */
  onSessionExpired?: () => void;
}

export interface Transport {
  /** fetch for the SDK: a request that carried the bearer token is retried once after a refresh. */
  fetch: typeof fetch;
  /** The access token for the next call; after a reload (refresh token only) it refreshes first. */
  accessToken(): Promise<string | undefined>;
  setSessionExpiredHandler(handler: (() => void) | undefined): void;
}

/** Absolute URLs: Request() outside a browser (tests) has no base to resolve against. */
const origin = () => globalThis.location?.origin ?? 'http://localhost';

type Renewal = 'renewed' | 'refused' | 'unreachable';

/**
 * Refresh tokens rotate and a reused one ends the session, so tabs must not refresh at
 * the same time: the Web Locks API serialises them where the browser has it.
 */
function withRefreshLock<T>(fn: () => Promise<T>): Promise<T> {
  const locks = typeof navigator !== 'undefined' ? (navigator as Navigator & { locks?: LockManager }).locks : undefined;
  if (locks?.request) return locks.request('supportai-token-refresh', fn) as Promise<T>;
  return fn();
}

export function createTransport(options: TransportOptions): Transport {
  const store = options.tokens;
  const doFetch: typeof fetch = options.fetch ?? ((...args) => globalThis.fetch(...args));
  let onSessionExpired = options.onSessionExpired;
  let renewing: Promise<Renewal> | null = null;

  async function send(request: Request): Promise<Response> {
    try {
      return await doFetch(request);
    } catch (err) {
      if ((err as Error)?.name === 'AbortError') throw err;
      throw new ApiError({ status: 0, title: 'Network error', detail: 'The server could not be reached. Check your connection and try again.' });
    }
  }

  async function exchange(refreshToken: string): Promise<Renewal> {
    const request = new Request(`${origin()}/api/auth/refresh`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify({ refresh_token: refreshToken }),
    });
    let res: Response;
    try {
      res = await send(request);
    } catch {
      return 'unreachable';
    }
    // Only a refusal of the token itself ends the session; a busy or broken server does not.
    if (!res.ok) return res.status >= 500 || res.status === 429 || res.status === 408 ? 'unreachable' : 'refused';
    const pair = (await res.json().catch(() => null)) as TokensOut | null;
    if (!pair || typeof pair.access_token !== 'string') return 'refused';
    store.set(pair);
    return 'renewed';
  }

  function renew(): Promise<Renewal> {
    if (renewing) return renewing;
    if (!store.getRefreshToken()) return Promise.resolve('refused');
    renewing = withRefreshLock(async () => {
      // Read the token inside the lock: another tab may have rotated it meanwhile.
      const refreshToken = store.getRefreshToken();
      return refreshToken ? exchange(refreshToken) : 'refused';
    }).finally(() => {
      renewing = null;
    });
    return renewing;
  }

  function expire() {
    store.clear();
    onSessionExpired?.();
  }

  async function accessToken(): Promise<string | undefined> {
    if (!store.getAccessToken() && store.getRefreshToken() && (await renew()) === 'refused') expire();
    return store.getAccessToken() ?? undefined;
  }

  async function fetchWithRefresh(input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
    const request = new Request(input, init);
    if (!request.headers.has('Authorization')) return send(request);
    const spare = request.clone();
    const res = await send(request);
    if (res.status !== 401) return res;
    const renewal = await renew();
    if (renewal !== 'renewed') {
      if (renewal === 'refused') expire();
      return res;
    }
    spare.headers.set('Authorization', `Bearer ${store.getAccessToken()}`);
    const again = await send(spare);
    if (again.status === 401) expire();
    return again;
  }

  return {
    fetch: fetchWithRefresh,
    accessToken,
    setSessionExpiredHandler(handler) {
      onSessionExpired = handler;
    },
  };
}

/** A generated-SDK client that goes through `transport` and throws ApiError on failure. */
export function createSdkClient(transport: Transport): Client {
  const client = createClient(
    createConfig({
      baseUrl: origin(),
      fetch: transport.fetch,
      auth: (scheme) => (scheme.scheme === 'bearer' ? transport.accessToken() : undefined),
      throwOnError: true,
    }),
  );
  client.interceptors.error.use((error, response) =>
    error instanceof ApiError || !response
      ? error
      : problemFromResponse(response.status, error, response.headers, response.statusText),
  );
  return client;
}

/** A short human message for any thrown value. */
export function errorMessage(err: unknown): string {
  if (err instanceof ApiError) {
    if (err.status === 429 && err.retryAfter != null) {
      return `${err.detail} Try again in ${err.retryAfter} s.`;
    }
    return err.detail;
  }
  if (err instanceof Error) return err.message;
  return 'Something went wrong.';
}
