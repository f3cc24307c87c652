import { describe, expect, it, vi } from 'vitest';
import { ApiError, createSdkClient, createTransport, errorMessage, parseFieldErrors, problemFromResponse } from './client';
import { getTenant, health, listAuditEntries, listUsers, logIn, revokeApiKey, signUp, whoAmI } from './gen';
import { createTokenStore, REFRESH_TOKEN_KEY } from './tokens';
import { fakeServer, json, problem, tokenPair } from '../test/server';

/** The ApiError a call fails with (fails the test if it succeeds). */
async function failure(p: Promise<unknown>): Promise<ApiError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof ApiError) return e;
    throw e;
  }
  throw new Error('expected the call to fail');
}

function setup(routes: Parameters<typeof fakeServer>[0], opts: { signedIn?: boolean; storage?: Storage | null } = {}) {
  const server = fakeServer(routes);
  const tokens = createTokenStore(opts.storage ?? null);
  if (opts.signedIn !== false) tokens.set(tokenPair(1));
  const onSessionExpired = vi.fn();
  const client = createSdkClient(createTransport({ tokens, fetch: server.fetch, onSessionExpired }));
  return { server, tokens, client, onSessionExpired };
}

describe('problem details', () => {
  it('turns an RFC 9457 body into an ApiError with detail, status and field errors', async () => {
    const { client } = setup({
      'POST /api/auth/signup': () =>
        problem(400, 'Validation failed for POST /api/auth/signup', {
          title: 'Bad Request',
          errors: [{ message: 'Expected `str` of length >= 10', key: 'password', source: 'body' }],
        }),
    });
    const err = await failure(signUp({ client, body: { email: 'a@b.c', password: 'x', panel_name: 'P' } }));
    expect(err).toBeInstanceOf(ApiError);
    expect(err.status).toBe(400);
    expect(err.title).toBe('Bad Request');
    expect(err.detail).toBe('Validation failed for POST /api/auth/signup');
    expect(err.message).toBe(err.detail);
    expect(err.instance).toBe('/x');
    expect(err.fieldErrors).toEqual([{ field: 'password', message: 'Expected `str` of length >= 10' }]);
    expect(err.fieldMessages('password')).toEqual(['Expected `str` of length >= 10']);
  });

  it('accepts errors as plain strings, as a field map and as pydantic-style loc lists', () => {
    expect(parseFieldErrors(['unknown placeholder {foo} (allowed: {orders})'])).toEqual([
      { field: null, message: 'unknown placeholder {foo} (allowed: {orders})' },
    ]);
    expect(parseFieldErrors({ name: ['too long', 'taken'] })).toEqual([
      { field: 'name', message: 'too long' },
      { field: 'name', message: 'taken' },
    ]);
    expect(parseFieldErrors([{ loc: ['body', 'scopes', 0], msg: 'bad scope' }])).toEqual([{ field: 'scopes.0', message: 'bad scope' }]);
    expect(parseFieldErrors(undefined)).toEqual([]);
  });

  it('reads Retry-After on 429 and mentions it in the message', async () => {
    const { client } = setup({
      'POST /api/auth/login': () => problem(429, 'Too many login attempts.', {}, { 'Retry-After': '42' }),
    });
    const err = await failure(logIn({ client, body: { email: 'x', password: 'y' } }));
    expect(err.status).toBe(429);
    expect(err.retryAfter).toBe(42);
    expect(errorMessage(err)).toBe('Too many login attempts. Try again in 42 s.');
  });

  it('falls back to the status when the body is not a problem document', () => {
    const err = problemFromResponse(502, '<html>Bad gateway</html>'.repeat(20), new Headers(), 'Bad Gateway');
    expect(err.status).toBe(502);
    expect(err.detail).toBe('Bad Gateway');
    expect(problemFromResponse(500, undefined).detail).toBe('Request failed (HTTP 500)');
  });

  it('reports a network failure as ApiError status 0', async () => {
    const tokens = createTokenStore(null);
    const client = createSdkClient(createTransport({ tokens, fetch: () => Promise.reject(new TypeError('Failed to fetch')) }));
    const err = await failure(health({ client }));
    expect(err).toBeInstanceOf(ApiError);
    expect(err.status).toBe(0);
    expect(err.detail).toMatch(/could not be reached/);
  });
});

describe('requests', () => {
  it('sends JSON with the bearer token, encodes the query and returns parsed JSON', async () => {
    const { client, server } = setup({ 'GET /api/audit': () => ({ items: [], next_cursor: null }) });
    const { data } = await listAuditEntries({ client, query: { action: 'user.invited', cursor: null, limit: 50 } });
    expect(data).toEqual({ items: [], next_cursor: null });
    const [call] = server.calls;
    expect(call.headers.authorization).toBe('Bearer access-1');
    expect(call.query.get('action')).toBe('user.invited');
    expect(call.query.get('limit')).toBe('50');
    expect(call.query.has('cursor')).toBe(false);
  });

  it('accepts 204 without a body', async () => {
    const { client, server } = setup({ 'DELETE /api/api-keys/k1': () => new Response(null, { status: 204 }) });
    await revokeApiKey({ client, path: { key_id: 'k1' } });
    expect(server.callsTo('DELETE', '/api/api-keys/k1')).toHaveLength(1);
  });

  it('does not send the token on public calls', async () => {
    const { client, server } = setup({ 'POST /api/auth/login': () => tokenPair(2) });
    await logIn({ client, body: { email: 'x', password: 'y' } });
    expect(server.calls[0].headers.authorization).toBeUndefined();
    expect(server.calls[0].body).toEqual({ email: 'x', password: 'y' });
  });
});

describe('refresh on 401', () => {
  it('refreshes once, stores the rotated tokens and retries with the new access token', async () => {
    const { client, server, tokens } = setup(
      {
        'GET /api/tenant': (req) =>
          req.headers.authorization === 'Bearer access-2' ? json({ id: 't1', name: 'Panel' }) : problem(401, 'Token expired.'),
        'POST /api/auth/refresh': (req) => {
          expect(req.body).toEqual({ refresh_token: 'refresh-1' });
          return tokenPair(2);
        },
      },
      { storage: window.localStorage },
    );
    await expect(getTenant({ client }).then((r) => r.data)).resolves.toEqual({ id: 't1', name: 'Panel' });
    expect(server.calls.map((c) => `${c.method} ${c.path}`)).toEqual(['GET /api/tenant', 'POST /api/auth/refresh', 'GET /api/tenant']);
    expect(server.callsTo('POST', '/api/auth/refresh')[0].headers.authorization).toBeUndefined();
    expect(tokens.getAccessToken()).toBe('access-2');
    expect(tokens.getRefreshToken()).toBe('refresh-2');
    expect(window.localStorage.getItem(REFRESH_TOKEN_KEY)).toBe('refresh-2');
  });

  it('shares one refresh between concurrent 401s', async () => {
    let n = 0;
    const { client, server } = setup({
      'GET /api/tenant': (req) => (req.headers.authorization === 'Bearer access-2' ? { id: 't1', name: 'P' } : problem(401, 'expired')),
      'GET /api/users': (req) => (req.headers.authorization === 'Bearer access-2' ? [] : problem(401, 'expired')),
      'POST /api/auth/refresh': async () => {
        n += 1;
        await new Promise((r) => setTimeout(r, 5));
        return tokenPair(2);
      },
    });
    await Promise.all([getTenant({ client }), listUsers({ client })]);
    expect(n).toBe(1);
    expect(server.callsTo('POST', '/api/auth/refresh')).toHaveLength(1);
  });

  it('clears the session and reports it when the refresh fails', async () => {
    const { client, tokens, onSessionExpired, server } = setup(
      {
        'GET /api/tenant': () => problem(401, 'Token expired.'),
        'POST /api/auth/refresh': () => problem(401, 'Refresh token revoked.'),
      },
      { storage: window.localStorage },
    );
    const err = await failure(getTenant({ client }));
    expect(err).toBeInstanceOf(ApiError);
    expect(err.status).toBe(401);
    expect(err.detail).toBe('Token expired.');
    expect(onSessionExpired).toHaveBeenCalledTimes(1);
    expect(tokens.getAccessToken()).toBeNull();
    expect(tokens.getRefreshToken()).toBeNull();
    expect(window.localStorage.getItem(REFRESH_TOKEN_KEY)).toBeNull();
    expect(server.callsTo('GET', '/api/tenant')).toHaveLength(1);
  });

  it('retries only once: a second 401 after a good refresh ends the session', async () => {
    const { client, server, onSessionExpired } = setup({
      'GET /api/tenant': () => problem(401, 'Still no.'),
      'POST /api/auth/refresh': () => tokenPair(2),
    });
    const err = await failure(getTenant({ client }));
    expect(err.status).toBe(401);
    expect(server.callsTo('GET', '/api/tenant')).toHaveLength(2);
    expect(server.callsTo('POST', '/api/auth/refresh')).toHaveLength(1);
    expect(onSessionExpired).toHaveBeenCalledTimes(1);
  });

  it('does not refresh for public routes (a wrong password is just an error)', async () => {
    const { client, server, onSessionExpired, tokens } = setup({
      'POST /api/auth/login': () => problem(401, 'Wrong email or password.'),
    });
    const err = await failure(logIn({ client, body: { email: 'x', password: 'y' } }));
    expect(err.detail).toBe('Wrong email or password.');
    expect(server.callsTo('POST', '/api/auth/refresh')).toHaveLength(0);
    expect(onSessionExpired).not.toHaveBeenCalled();
    expect(tokens.getRefreshToken()).toBe('refresh-1');
  });

  it('after a reload (refresh token only) gets an access token before the first call', async () => {
    window.localStorage.setItem(REFRESH_TOKEN_KEY, 'refresh-stored');
    const server = fakeServer({
      'POST /api/auth/refresh': (req) => {
        expect(req.body).toEqual({ refresh_token: 'refresh-stored' });
        return tokenPair(9);
      },
      'GET /api/auth/me': (req) => (req.headers.authorization === 'Bearer access-9' ? { id: 'u1' } : problem(401, 'no')),
    });
    const tokens = createTokenStore(window.localStorage);
    expect(tokens.getAccessToken()).toBeNull();
    const client = createSdkClient(createTransport({ tokens, fetch: server.fetch }));
    await expect(whoAmI({ client }).then((r) => r.data)).resolves.toEqual({ id: 'u1' });
    expect(server.calls.map((c) => c.path)).toEqual(['/api/auth/refresh', '/api/auth/me']);
  });

  it('uses the refresh token another tab stored after rotating it', async () => {
    const { client, server } = setup(
      {
        'GET /api/tenant': (req) => (req.headers.authorization === 'Bearer access-3' ? { id: 't1', name: 'P' } : problem(401, 'expired')),
        'POST /api/auth/refresh': (req) =>
          (req.body as { refresh_token: string }).refresh_token === 'refresh-other-tab' ? tokenPair(3) : problem(401, 'already used'),
      },
      { storage: window.localStorage },
    );
    window.localStorage.setItem(REFRESH_TOKEN_KEY, 'refresh-other-tab');
    await expect(getTenant({ client }).then((r) => r.data)).resolves.toEqual({ id: 't1', name: 'P' });
    expect(server.callsTo('POST', '/api/auth/refresh')[0].body).toEqual({ refresh_token: 'refresh-other-tab' });
    expect(window.localStorage.getItem(REFRESH_TOKEN_KEY)).toBe('refresh-3');
  });

  it('keeps the session when the refresh cannot get through (rate limit, server down)', async () => {
    for (const answer of [problem(429, 'Slow down.'), problem(503, 'Down for a moment.')]) {
      const { client, tokens, onSessionExpired } = setup({
        'GET /api/tenant': () => problem(401, 'Token expired.'),
        'POST /api/auth/refresh': () => answer,
      });
      const err = await failure(getTenant({ client }));
      expect(err.status).toBe(401);
      expect(onSessionExpired).not.toHaveBeenCalled();
      expect(tokens.getRefreshToken()).toBe('refresh-1');
    }
  });
});
