/** A fake backend for tests: route table → fetch function that records every call. */
export interface FakeRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  body: unknown;
  /** Lower-case names, as Headers gives them. */
  headers: Record<string, string>;
}

export type Handler = (req: FakeRequest) => Response | unknown | Promise<Response | unknown>;

export function json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json', ...headers } });
}

export function problem(status: number, detail: string, extra: Record<string, unknown> = {}, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify({ type: 'about:blank', title: 'Error', status, detail, instance: '/x', ...extra }), {
    status,
    headers: { 'Content-Type': 'application/problem+json', ...headers },
  });
}

export const noContent = () => new Response(null, { status: 204 });

export function tokenPair(n: number | string) {
  return {
    access_token: `access-${n}`,
    refresh_token: `refresh-${n}`,
    expires_in: 900,
    tenant_id: 't1',
    user_id: 'u1',
    token_type: 'Bearer',
  };
}

export function fakeServer(routes: Record<string, Handler>) {
  const calls: FakeRequest[] = [];
  const fetch = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const request = new Request(input instanceof Request ? input : new URL(String(input), 'http://localhost'), init);
    const url = new URL(request.url);
    const text = await request.text();
    const req: FakeRequest = {
      method: request.method,
      path: url.pathname,
      query: url.searchParams,
      body: text ? JSON.parse(text) : undefined,
      headers: Object.fromEntries(request.headers),
    };
    const method = req.method;
    calls.push(req);
    const handler = routes[`${method} ${url.pathname}`];
    if (!handler) return problem(404, `No fake route for ${method} ${url.pathname}`);
    const out = await handler(req);
    return out instanceof Response ? out : out === undefined ? noContent() : json(out);
  };
  return {
    fetch: fetch as typeof globalThis.fetch,
    calls,
    callsTo: (method: string, path: string) => calls.filter((c) => c.method === method && c.path === path),
  };
}
