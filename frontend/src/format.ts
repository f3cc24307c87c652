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
