import type { AutomationFigure } from './api/gen';

export function formatDate(iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return d.toLocaleString(undefined, { year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });
}

export function formatAge(seconds: number | null | undefined): string {
  if (seconds == null) return 'never';
  if (seconds < 60) return `${Math.round(seconds)} s ago`;
  if (seconds < 3600) return `${Math.round(seconds / 60)} min ago`;
  if (seconds < 86400) return `${Math.round(seconds / 3600)} h ago`;
  return `${Math.round(seconds / 86400)} d ago`;
}

/** Refill period for people: null = lifetime, 0 = none. */
export function formatRefill(days: number | null, lifetime = days === null): string {
  if (lifetime) return 'Lifetime';
  if (days === 0) return 'No refill';
  if (days === null) return '—';
  return `${days} days`;
}

export const INTENT_LABEL: Record<string, string> = {
  refill: 'Refill',
  cancel: 'Cancel',
  speed_up: 'Speed-up',
};

export function formatIntents(list: string[] | null | undefined): string {
  if (!list || list.length === 0) return 'None';
  return list.map((i) => INTENT_LABEL[i] ?? i).join(', ');
}

/** US dollars from integer cents, without going through floats: 37800 → "$378.00". */
export function formatCents(cents: number, { wholeDollars = false } = {}): string {
  const sign = cents < 0 ? '−' : '';
  const abs = Math.abs(cents);
  const dollars = Math.trunc(abs / 100).toLocaleString('en-US');
  const rest = abs % 100;
  if (wholeDollars && rest === 0) return `${sign}$${dollars}`;
  return `${sign}$${dollars}.${String(rest).padStart(2, '0')}`;
}

/** Whole days from now until `iso`, rounded up (0 once it has passed). */
export function daysUntil(iso: string, now = Date.now()): number {
  return Math.max(0, Math.ceil((Date.parse(iso) - now) / 86_400_000));
}

export function formatDay(iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return d.toLocaleDateString(undefined, { year: 'numeric', month: 'short', day: 'numeric' });
}

/** A 0–1 rate as whole percent; "—" when there was nothing to measure. */
export const formatPercent = (rate: number | null) => (rate == null ? '—' : `${Math.round(rate * 100)} %`);

/** The counts behind an automation rate (Dashboard, Billing). */
export function describeAutomation(f: AutomationFigure): string {
  return `${f.automated_resolved} of ${f.requests} requests without a person · ${f.human_touched} needed one · ${f.wrong_actions} wrong ${f.wrong_actions === 1 ? 'action' : 'actions'}`;
}
