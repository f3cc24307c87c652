import { render } from '@testing-library/react';
import { MemoryRouter } from 'react-router-dom';
import { AppRoutes } from '../App';
import { AuthProvider } from '../auth/AuthContext';
import { ToastProvider } from '../components/Toast';
import { QueryClientProvider } from '@tanstack/react-query';
import { createDeps, DepsProvider } from '../deps';
import { createQueryClient } from '../api/queries';
import { createTokenStore } from '../api/tokens';
import type { MeOut } from '../api/gen';
import { fakeServer, tokenPair, type Handler } from './server';

export function meFor(role: 'owner' | 'staff'): MeOut {
  return {
    kind: 'user',
    id: role === 'owner' ? 'u-owner' : 'u-staff',
    tenant_id: 't1',
    tenant_name: 'FastFollowers',
    role,
    email: `${role}@panel.test`,
    scopes: [],
  };
}

interface Options {
  routes?: Record<string, Handler>;
  role?: 'owner' | 'staff' | null;
}

/** Render the whole routed app at `path` against a fake backend; role null = signed out. */
export function renderApp(path: string, { routes = {}, role = 'owner' }: Options = {}) {
  const server = fakeServer({
    'GET /api/auth/me': () => meFor(role ?? 'owner'),
    'POST /api/auth/refresh': () => tokenPair('refreshed'),
    'GET /health': () => ({ status: 'ok', database: { ok: true, detail: null }, redis: { ok: true, detail: null }, worker: { ok: true, detail: null }, worker_heartbeat_age_s: 3 }),
    ...routes,
  });
  const tokens = createTokenStore(null);
  if (role) tokens.set(tokenPair(1));
  const deps = createDeps(tokens, server.fetch);
  const view = render(
    <MemoryRouter initialEntries={[path]}>
      <QueryClientProvider client={createQueryClient({ retry: false })}>
        <DepsProvider value={deps}>
          <ToastProvider>
            <AuthProvider>
              <AppRoutes />
            </AuthProvider>
          </ToastProvider>
        </DepsProvider>
      </QueryClientProvider>
    </MemoryRouter>,
  );
  return { ...view, server, tokens };
}
