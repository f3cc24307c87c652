/** How billing states read to people: labels and badge tones. */
import { Badge } from '../../components/ui';
import type { Invoice, PaymentAttempt, Plan, PlanCode, SubscriptionStatus } from '../../api/types';

/** Where the blocked-requests banners link to: the plan comparison and the open invoices. */
export const BILLING_PATH = '/billing';
export const PLANS_ANCHOR = 'plans';
export const PAYMENTS_ANCHOR = 'payments';

const GATEWAY_NAMES: Record<string, string> = { cryptomus: 'Cryptomus', nowpayments: 'NOWPayments' };
export const gatewayName = (code: string) => GATEWAY_NAMES[code] ?? code;

export const planName = (plans: Plan[] | undefined, code: PlanCode) => plans?.find((p) => p.code === code)?.name ?? code;

type Tone = 'neutral' | 'ok' | 'warn' | 'bad' | 'info';

const SUBSCRIPTION: Record<SubscriptionStatus, [string, Tone]> = {
  trialing: ['Trial', 'info'],
  active: ['Active', 'ok'],
  past_due: ['Payment due', 'warn'],
  lapsed: ['Lapsed', 'bad'],
};

export function SubscriptionBadge({ status }: { status: SubscriptionStatus }) {
  const [label, tone] = SUBSCRIPTION[status] ?? [status, 'neutral'];
  return <Badge tone={tone}>{label}</Badge>;
}

const INVOICE_STATUS: Record<Invoice['status'], [string, Tone]> = {
  open: ['Unpaid', 'warn'],
  paid: ['Paid', 'ok'],
  expired: ['Expired', 'neutral'],
  void: ['Void', 'neutral'],
};

export function InvoiceStatusBadge({ status }: { status: Invoice['status'] }) {
  const [label, tone] = INVOICE_STATUS[status] ?? [status, 'neutral'];
  return <Badge tone={tone}>{label}</Badge>;
}

const ATTEMPT_STATUS: Record<PaymentAttempt['status'], string> = {
  pending: 'waiting for payment',
  paid: 'paid',
  short: 'paid short (not applied)',
  failed: 'failed',
  expired: 'expired',
};
export const attemptLabel = (status: PaymentAttempt['status']) => ATTEMPT_STATUS[status] ?? status;

export const INVOICE_KIND: Record<Invoice['kind'], string> = {
  subscription: 'Subscription',
  upgrade: 'Upgrade',
  renewal: 'Renewal',
  credits: 'Credit pack',
};
