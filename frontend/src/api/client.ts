/**
 * The typed fetch wrapper: JSON in and out, RFC 9457 problem details turned
 * into ApiError, bearer token attached, and one refresh-and-retry on 401.
 */
import type { TokenPair, TokenStore } from './tokens';

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

export type Query = Record<string, string | number | boolean | null | undefined>;

export interface RequestOptions {
  body?: unknown;
  query?: Query;
  /** Send the bearer token and refresh on 401 (default true). */
  auth?: boolean;
  signal?: AbortSignal;
  headers?: Record<string, string>;
}

export interface ApiClientOptions {
  tokens: TokenStore;
  fetch?: typeof fetch;
  baseUrl?: string;
  /** Called when a session cannot be refreshed (tokens are already cleared). */
  onSessionExpired?: () => void;
}

export interface ApiClient {
  request<T>(method: string, path: string, options?: RequestOptions): Promise<T>;
  get<T>(path: string, options?: RequestOptions): Promise<T>;
  post<T>(path: string, body?: unknown, options?: RequestOptions): Promise<T>;
  put<T>(path: string, body?: unknown, options?: RequestOptions): Promise<T>;
  patch<T>(path: string, body?: unknown, options?: RequestOptions): Promise<T>;
  delete<T = void>(path: string, options?: RequestOptions): Promise<T>;
  /** Exchange the stored refresh token for new tokens; false when that fails. */
  refresh(): Promise<boolean>;
  setSessionExpiredHandler(handler: (() => void) | undefined): void;
}

export function buildUrl(baseUrl: string, path: string, query?: Query): string {
  let url = baseUrl + path;
  if (query) {
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries(query)) {
      if (v !== undefined && v !== null && v !== '') params.append(k, String(v));
    }
    const qs = params.toString();
    if (qs) url += (url.includes('?') ? '&' : '?') + qs;
  }
  return url;
}

async function readBody(res: Response): Promise<unknown> {
  if (res.status === 204 || res.status === 205) return undefined;
  const text = await res.text();
  if (!text) return undefined;
  const type = res.headers.get('Content-Type') ?? '';
  if (type.includes('json')) {
    try {
      return JSON.parse(text);
    } catch {
      return text;
    }
  }
  return text;
}

/**
 * Refresh tokens rotate and a reused one ends the session, so tabs must not refresh at
 * the same time: the Web Locks API serialises them where the browser has it.
 */
function withRefreshLock<T>(fn: () => Promise<T>): Promise<T> {
  const locks = typeof navigator !== 'undefined' ? (navigator as Navigator & { locks?: LockManager }).locks : undefined;
  if (locks?.request) return locks.request('supportai-token-refresh', fn) as Promise<T>;
  return fn();
}

export function createApiClient(options: ApiClientOptions): ApiClient {
  const store = options.tokens;
  const baseUrl = options.baseUrl ?? '';
  const doFetch: typeof fetch = options.fetch ?? ((...args) => globalThis.fetch(...args));
  let onSessionExpired = options.onSessionExpired;
  let refreshing: Promise<boolean> | null = null;

  async function send(method: string, path: string, opts: RequestOptions, token: string | null) {
    const headers: Record<string, string> = { Accept: 'application/json, application/problem+json', ...opts.headers };
    let body: BodyInit | undefined;
    if (opts.body !== undefined) {
      headers['Content-Type'] = 'application/json';
      body = JSON.stringify(opts.body);
    }
    if (token) headers.Authorization = `Bearer ${token}`;
    try {
      return await doFetch(buildUrl(baseUrl, path, opts.query), {
        method,
        headers,
        body,
        signal: opts.signal,
      });
    } catch (err) {
      if ((err as Error)?.name === 'AbortError') throw err;
      throw new ApiError({ status: 0, title: 'Network error', detail: 'The server could not be reached. Check your connection and try again.' });
    }
  }

  function refresh(): Promise<boolean> {
    if (refreshing) return refreshing;
    if (!store.getRefreshToken()) return Promise.resolve(false);
    refreshing = withRefreshLock(async () => {
      // Read the token inside the lock: another tab may have rotated it meanwhile.
      const refreshToken = store.getRefreshToken();
      if (!refreshToken) return false;
      try {
        const res = await send('POST', '/api/auth/refresh', { body: { refresh_token: refreshToken } }, null);
        if (!res.ok) return false;
        const pair = (await readBody(res)) as TokenPair;
        if (!pair || typeof pair.access_token !== 'string') return false;
        store.set(pair);
        return true;
      } catch {
        return false;
      }
    }).finally(() => {
      refreshing = null;
    });
    return refreshing;
  }

  function expire() {
    store.clear();
    onSessionExpired?.();
  }

  async function request<T>(method: string, path: string, opts: RequestOptions = {}): Promise<T> {
    const auth = opts.auth !== false;
    if (auth && !store.getAccessToken() && store.getRefreshToken()) {
      // After a reload only the refresh token survives: get an access token first.
      await refresh();
    }
    let res = await send(method, path, opts, auth ? store.getAccessToken() : null);
    if (res.status === 401 && auth) {
      const ok = await refresh();
      if (!ok) {
        const err = problemFromResponse(res.status, await readBody(res), res.headers, res.statusText);
        expire();
        throw err;
      }
      res = await send(method, path, opts, store.getAccessToken());
      if (res.status === 401) {
        const err = problemFromResponse(res.status, await readBody(res), res.headers, res.statusText);
        expire();
        throw err;
      }
    }
    const data = await readBody(res);
    if (!res.ok) throw problemFromResponse(res.status, data, res.headers, res.statusText);
    return data as T;
  }

  return {
    request,
    get: (path, o) => request('GET', path, o),
    post: (path, body, o) => request('POST', path, { ...o, body }),
    put: (path, body, o) => request('PUT', path, { ...o, body }),
    patch: (path, body, o) => request('PATCH', path, { ...o, body }),
    delete: (path, o) => request('DELETE', path, o),
    refresh,
    setSessionExpiredHandler(handler) {
      onSessionExpired = handler;
    },
  };
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
