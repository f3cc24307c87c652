/** How billing states read to people: labels and badge tones. */
import { Badge } from '../../components/ui';
import type { PlanOut } from '../../api/gen';

/** Where the blocked-requests banners link to: the plan comparison and the open invoices. */
export const BILLING_PATH = '/billing';
export const PLANS_ANCHOR = 'plans';
export const PAYMENTS_ANCHOR = 'payments';

const GATEWAY_NAMES: Record<string, string> = { cryptomus: 'Cryptomus', nowpayments: 'NOWPayments' };
export const gatewayName = (code: string) => GATEWAY_NAMES[code] ?? code;

export const planName = (plans: PlanOut[] | undefined, code: string) => plans?.find((p) => p.code === code)?.name ?? code;

type Tone = 'neutral' | 'ok' | 'warn' | 'bad' | 'info';

const SUBSCRIPTION: Record<string, [string, Tone]> = {
  trialing: ['Trial', 'info'],
  active: ['Active', 'ok'],
  past_due: ['Payment due', 'warn'],
  lapsed: ['Lapsed', 'bad'],
};

export function SubscriptionBadge({ status }: { status: string }) {
  const [label, tone] = SUBSCRIPTION[status] ?? [status, 'neutral'];
  return <Badge tone={tone}>{label}</Badge>;
}

const INVOICE_STATUS: Record<string, [string, Tone]> = {
  open: ['Unpaid', 'warn'],
  paid: ['Paid', 'ok'],
  expired: ['Expired', 'neutral'],
  void: ['Void', 'neutral'],
};

export function InvoiceStatusBadge({ status }: { status: string }) {
  const [label, tone] = INVOICE_STATUS[status] ?? [status, 'neutral'];
  return <Badge tone={tone}>{label}</Badge>;
}

const ATTEMPT_STATUS: Record<string, string> = {
  pending: 'waiting for payment',
  paid: 'paid',
  short: 'paid short (not applied)',
  failed: 'failed',
  expired: 'expired',
};
export const attemptLabel = (status: string) => ATTEMPT_STATUS[status] ?? status;

export const INVOICE_KIND: Record<string, string> = {
  subscription: 'Subscription',
  upgrade: 'Upgrade',
  renewal: 'Renewal',
  credits: 'Credit pack',
};
