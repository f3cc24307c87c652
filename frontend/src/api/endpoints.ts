/** One typed function per backend endpoint, all going through the shared client. */
import { ApiError, createApiClient, type ApiClient } from './client';
import { tokens } from './tokens';
import type {
  ApiKey,
  ApiKeyCreated,
  ApiScope,
  AuditEntry,
  CreditPurchase,
  Credits,
  Invoice,
  PaymentAttempt,
  Plan,
  PlanChange,
  PlanCode,
  Subscription,
  Health,
  ImportResult,
  Invitation,
  Me,
  MessageStatus,
  MessageSummary,
  Page,
  PanelCheck,
  PanelSetup,
  Provider,
  ProviderIn,
  QueueItem,
  RequestDetail,
  RequestPage,
  SupportRequest,
  Usage,
  ServiceOut,
  ServicePatch,
  Template,
  Tenant,
  TenantSettings,
  TokenPair,
  User,
} from './types';

export const client: ApiClient = createApiClient({ tokens });

const enc = encodeURIComponent;

export function makeApi(c: ApiClient) {
  return {
    auth: {
      signup: (body: { email: string; password: string; panel_name: string }) =>
        c.post<TokenPair>('/api/auth/signup', body, { auth: false }),
      login: (body: { email: string; password: string }) =>
        c.post<TokenPair>('/api/auth/login', body, { auth: false }),
      logout: (refresh_token: string) =>
        c.post<void>('/api/auth/logout', { refresh_token }, { auth: false }),
      acceptInvitation: (body: { token: string; password: string }) =>
        c.post<TokenPair>('/api/auth/accept-invitation', body, { auth: false }),
      me: () => c.get<Me>('/api/auth/me'),
    },
    users: {
      list: () => c.get<User[]>('/api/users'),
      invite: (email: string) => c.post<Invitation>('/api/users/invitations', { email }),
      remove: (id: string) => c.delete(`/api/users/${enc(id)}`),
    },
    apiKeys: {
      list: () => c.get<ApiKey[]>('/api/api-keys'),
      create: (name: string, scopes: ApiScope[]) =>
        c.post<ApiKeyCreated>('/api/api-keys', { name, scopes }),
      revoke: (id: string) => c.delete(`/api/api-keys/${enc(id)}`),
    },
    tenant: {
      get: () => c.get<Tenant>('/api/tenant'),
      rename: (name: string) => c.patch<Tenant>('/api/tenant', { name }),
      settings: () => c.get<TenantSettings>('/api/tenant/settings'),
      updateSettings: (patch: Partial<TenantSettings>) =>
        c.patch<TenantSettings>('/api/tenant/settings', patch),
    },
    audit: {
      list: (q: { action?: string; cursor?: string | null; limit?: number } = {}) =>
        c.get<Page<AuditEntry>>('/api/audit', { query: q }),
    },
    /** 503 still carries the health body (status "degraded"): return it rather than throw. */
    health: async (): Promise<Health> => {
      try {
        return await c.get<Health>('/health', { auth: false });
      } catch (err) {
        if (err instanceof ApiError && err.status === 503 && err.body && 'database' in err.body) {
          return err.body as unknown as Health;
        }
        throw err;
      }
    },
    services: {
      list: (q: {
        search?: string;
        category?: string;
        active?: boolean | null;
        cursor?: string | null;
        limit?: number;
      } = {}) => c.get<Page<ServiceOut>>('/api/services', { query: q }),
      update: (id: string, patch: ServicePatch) =>
        c.patch<ServiceOut>(`/api/services/${enc(id)}`, patch),
      import: (services: unknown[]) => c.post<ImportResult>('/api/services/import', services),
      sync: () => c.post<{ job_id: string }>('/api/services/sync'),
    },
    templates: {
      list: () => c.get<Template[]>('/api/templates'),
      save: (key: string, text: string) => c.put<Template>(`/api/templates/${enc(key)}`, { text }),
      reset: (key: string) => c.delete<Template | undefined>(`/api/templates/${enc(key)}`),
      preview: (key: string, text: string) =>
        c.post<{ rendered: string }>(`/api/templates/${enc(key)}/preview`, { text }),
    },
    setup: {
      panel: () => c.get<PanelSetup>('/api/setup/panel'),
      savePanel: (body: { url: string; admin_api_key: string; user_api_key: string }) =>
        c.put<PanelSetup>('/api/setup/panel', body),
      testPanel: () => c.post<{ checks: PanelCheck[] }>('/api/setup/panel/test'),
    },
    providers: {
      list: () => c.get<Provider[]>('/api/providers'),
      create: (body: ProviderIn) => c.post<Provider>('/api/providers', body),
      update: (id: string, patch: Partial<ProviderIn>) =>
        c.patch<Provider>(`/api/providers/${enc(id)}`, patch),
      remove: (id: string) => c.delete(`/api/providers/${enc(id)}`),
    },
    requests: {
      list: (q: {
        status?: string;
        intent?: string;
        outcome?: string;
        customer?: string;
        order_id?: string;
        cursor?: string | null;
        limit?: number;
      } = {}) => c.get<RequestPage>('/api/requests', { query: q }),
      get: (id: string) => c.get<RequestDetail>(`/api/requests/${enc(id)}`),
      resolve: (id: string, note?: string) => c.post<SupportRequest>(`/api/requests/${enc(id)}/resolve`, { note: note || null }),
      close: (id: string, note?: string) => c.post<SupportRequest>(`/api/requests/${enc(id)}/close`, { note: note || null }),
      reforward: (id: string) => c.post<SupportRequest>(`/api/requests/${enc(id)}/reforward`),
      reply: (id: string, text: string) => c.post<SupportRequest>(`/api/requests/${enc(id)}/reply`, { text }),
    },
    /** Stored customer messages, newest first (owners and staff); a failed one can be retried. */
    messages: {
      list: (q: { status?: MessageStatus; cursor?: string | null; limit?: number } = {}) =>
        c.get<Page<MessageSummary>>('/api/messages', { query: q }),
      /** 409 unless the message is failed. */
      retry: (id: string) => c.post<MessageSummary>(`/api/messages/${enc(id)}/retry`),
    },
    queue: (limit = 100) => c.get<QueueItem[]>('/api/queue', { query: { limit } }),
    usage: () => c.get<Usage>('/api/usage'),
    credits: (limit = 20) => c.get<Credits>('/api/credits', { query: { limit } }),
    /** gateway: only when the server has several (else it picks its one). */
    buyCredits: (pack: string, gateway?: string) => c.post<CreditPurchase>('/api/credits/purchases', { pack, gateway }),
    billing: {
      plans: () => c.get<Plan[]>('/api/plans', { auth: false }),
      subscription: () => c.get<Subscription>('/api/subscription'),
      changePlan: (plan: PlanCode, gateway?: string) =>
        c.post<PlanChange>('/api/subscription/change', { plan, gateway }),
      cancelScheduledChange: () => c.delete<Subscription>('/api/subscription/scheduled-change'),
      invoices: (q: { status?: Invoice['status']; limit?: number } = {}) =>
        c.get<Invoice[]>('/api/invoices', { query: q }),
      invoice: (id: string) => c.get<Invoice>(`/api/invoices/${enc(id)}`),
      payInvoice: (id: string, gateway?: string) =>
        c.post<PaymentAttempt>(`/api/invoices/${enc(id)}/pay`, { gateway }),
    },
  };
}

export type Api = ReturnType<typeof makeApi>;
export const api: Api = makeApi(client);
