export type { TokenPair } from './tokens';

export type Role = 'owner' | 'staff';

export interface Me {
  kind: 'user' | 'api_key' | string;
  id: string;
  tenant_id: string;
  tenant_name: string;
  role: Role | null;
  email: string | null;
  scopes: string[];
}

export interface User {
  id: string;
  email: string;
  role: Role;
  is_active: boolean;
  created_at: string;
}

export interface Invitation {
  id: string;
  email: string;
  role: Role;
  expires_at: string;
  token: string;
}

export const API_SCOPES = ['messages:write', 'messages:read', 'requests:read'] as const;
export type ApiScope = (typeof API_SCOPES)[number];

export interface ApiKey {
  id: string;
  name: string;
  prefix: string;
  scopes: string[];
  created_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
}

export interface ApiKeyCreated extends ApiKey {
  key: string;
}

export interface Tenant {
  id: string;
  name: string;
}

export type DispatchMode = 'bot' | 'userbot' | 'both';

export interface TenantSettings {
  tolerance: number | null;
  refill_partial: boolean;
  lifetime_cap_days: number | null;
  reply_in_customer_language: boolean;
  dispatch_mode: DispatchMode;
  dispatch_window_s: number;
  follow_up_hours: number;
  max_follow_ups: number;
  tracking_interval_hours: number;
  ticket_poll_interval_s: number;
  panel_requests_per_s: number;
  owner_telegram_chat_id: string | null;
  /** Where current counts (followers, likes…) are read for an order link; null = none. */
  count_source_url?: string | null;
}

export interface AuditEntry {
  id: string;
  created_at: string;
  actor_id: string | null;
  actor_kind: string;
  action: string;
  target: string | null;
  detail: Record<string, unknown>;
  ip: string | null;
}

export interface Page<T> {
  items: T[];
  next_cursor: string | null;
}

export interface Health {
  status: string;
  database: { ok: boolean; detail: string | null };
  redis: { ok: boolean; detail: string | null };
  worker_heartbeat_age_s: number | null;
}

export type Intent = 'refill' | 'cancel' | 'speed_up';
export const INTENTS: Intent[] = ['refill', 'cancel', 'speed_up'];

export interface ServiceOut {
  id: string;
  panel_service_id: number;
  name: string;
  category: string;
  type: string;
  rate: number | null;
  active: boolean;
  detected: { refill_days: number | null; lifetime: boolean; rule: string };
  override: {
    refill_days: number | null;
    lifetime: boolean | null;
    cancel_allowed: boolean | null;
    speed_up_after_hours: number | null;
    screenshot_for: string[] | null;
    excluded: boolean;
  };
  effective: {
    refill_days: number | null;
    cancel_allowed: boolean;
    speed_up_after_hours: number;
    screenshot_for: string[];
    automated: boolean;
  };
}

export interface ServicePatch {
  refill_days?: number | null;
  lifetime?: boolean | null;
  cancel_allowed?: boolean | null;
  speed_up_after_hours?: number | null;
  screenshot_for?: Intent[] | null;
  excluded?: boolean;
}

export interface ImportResult {
  created: number;
  updated: number;
  deactivated: number;
}

export interface Template {
  key: string;
  text: string;
  default_text: string;
  is_custom: boolean;
  placeholders: string[];
}

export interface PanelSetup {
  url: string | null;
  admin_key_set: boolean;
  user_key_set: boolean;
  updated_at: string | null;
}

export interface PanelCheck {
  name: string;
  ok: boolean;
  detail: string | null;
}

export interface Provider {
  id: string;
  name: string;
  api_url: string | null;
  api_key_set: boolean;
  telegram_chat: string | null;
  refill_via_api: boolean;
  cancel_via_api: boolean;
  created_at: string;
}

export interface ProviderIn {
  name: string;
  api_url: string | null;
  api_key?: string;
  telegram_chat?: string | null;
  refill_via_api: boolean;
  cancel_via_api: boolean;
}

// ---- Feature-flagged pages (requests, review queue, usage) ----

export type RequestStatus =
  | 'open'
  | 'waiting_customer'
  | 'forwarded'
  | 'acknowledged'
  | 'resolved'
  | 'declined'
  | 'escalated'
  | 'blocked_quota'
  | 'closed';

export interface SupportRequest {
  id: string;
  created_at: string;
  updated_at: string | null;
  message_id: string;
  customer: string;
  order_id: string | null;
  external_order_id: string | null;
  provider: string | null;
  service_id: number | null;
  intent: string;
  outcome: string | null;
  status: RequestStatus | string;
  reason: string | null;
  drop: number | null;
  provider_refill_id: string | null;
  follow_ups: number;
  next_check_at?: string | null; // when tracking looks at the order again
}

export interface RequestEvent {
  at: string;
  kind: string;
  detail: Record<string, unknown>;
}

export interface RequestDetail extends SupportRequest {
  message_text: string;
  reply: string | null;
  timeline: RequestEvent[];
}

export interface RequestPage extends Page<SupportRequest> {
  counts: Record<string, number>;
}

export interface QueueItem {
  request: SupportRequest;
  reason: string;
}

/** Where a customer message came from. */
export type MessageSource = 'ticket' | 'api' | 'telegram';
/** `failed`: processing failed 5 times in a row; the owner can queue it again. */
export type MessageStatus = 'received' | 'waiting_panel' | 'processed' | 'failed';

/** A stored customer message (GET /api/messages, POST /api/messages/{id}/retry). */
export interface MessageSummary {
  id: string;
  created_at: string;
  source: MessageSource | string;
  customer: string;
  ticket_id: number | null;
  text: string;
  status: MessageStatus | string;
  /** Failed runs so far; at the limit (5) the message is failed. */
  attempts: number;
  last_error: string | null;
  intent: string | null;
  reply_text: string | null;
  processed_at: string | null;
}

export type SubscriptionStatus = 'trialing' | 'active' | 'past_due' | 'lapsed';
/** Why new support requests are refused right now, or null when they are accepted. */
export type BlockedReason = 'quota' | 'lapsed';

export interface Usage {
  plan: string;
  plan_name: string;
  status: SubscriptionStatus;
  blocked_reason: BlockedReason | null;
  cycle_start: string;
  cycle_end: string;
  requests_used: number;
  requests_limit: number;
  requests_left: number;
  overage_requests: number;
  overage_blocks: number;
  blocked_requests: number;
}

export interface CreditEntry {
  at: string;
  kind: 'grant' | 'consume' | 'expire' | 'purchase' | 'adjust';
  pool: 'base' | 'prepaid';
  amount: number;
  balance: number;
  detail: Record<string, unknown>;
}

export interface CreditPurchase {
  id: string;
  pack: string;
  credits: number;
  amount: string;
  currency: string;
  status: 'pending' | 'paid' | 'failed' | 'expired';
  payment_url: string | null;
  invoice_id: string | null;
  expires_at: string | null;
  created_at: string;
  paid_at: string | null;
}

export interface CreditPack {
  code: string;
  credits: number;
  price_cents: number;
}

export interface Credits {
  base: number;
  prepaid: number;
  total: number;
  low: boolean;
  entries: CreditEntry[];
  packs: CreditPack[];
}

// ---- Subscription billing: plans, the tenant's subscription, invoices and payments ----
// Money is integer cents (USD); `total` is the server's display string ("378.00").

export type PlanCode = 'starter' | 'growth' | 'scale' | 'enterprise';

export interface Plan {
  code: PlanCode;
  name: string;
  price_cents: number;
  requests_per_cycle: number;
  base_credits: number;
  /** null: new requests are blocked at the quota; else billed per block over it. */
  overage: null | { block_requests: number; block_price_cents: number };
}

export interface PaymentAttempt {
  id: string;
  invoice_id: string;
  gateway: string;
  status: 'pending' | 'paid' | 'short' | 'failed' | 'expired';
  payment_url: string | null;
  expires_at: string;
  created_at: string;
  paid_at: string | null;
}

export interface InvoiceLine {
  kind: 'plan' | 'proration' | 'overage' | 'credits';
  description: string;
  quantity: number;
  unit_cents: number;
  amount_cents: number;
}

export interface Invoice {
  id: string;
  number: string;
  kind: 'subscription' | 'upgrade' | 'renewal' | 'credits';
  status: 'open' | 'paid' | 'expired' | 'void';
  total_cents: number;
  total: string;
  currency: string;
  lines: InvoiceLine[];
  period_start: string | null;
  period_end: string | null;
  due_at: string | null;
  created_at: string;
  paid_at: string | null;
  /** The current pending attempt's payment page. */
  payment_url: string | null;
  attempts: PaymentAttempt[];
}

export interface Subscription {
  plan: Plan;
  status: SubscriptionStatus;
  /** false: the server has no payment gateway, plans renew without invoices. */
  billing_enforced: boolean;
  trial_ends_at: string | null;
  cycle_start: string;
  /** The next anniversary. */
  cycle_end: string;
  next_renewal: null | { at: string; plan: PlanCode; amount_cents: number };
  scheduled_change: null | { plan: PlanCode; effective_at: string };
  requests_used: number;
  requests_limit: number;
  requests_left: number;
  blocked_reason: BlockedReason | null;
  /** Unpaid invoices, newest first. */
  open_invoices: Invoice[];
  /** Configured payment gateways ("cryptomus", "nowpayments"). */
  gateways: string[];
}

export interface PlanChange {
  change: 'upgrade' | 'downgrade' | 'trial_plan';
  subscription: Subscription;
  invoice: Invoice | null;
  payment_url: string | null;
}
