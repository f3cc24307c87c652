import { Badge } from '../../components/ui';
import { INTENT_LABEL, formatDate } from '../../format';
import { templateTitle } from '../templates/placeholders';

type Tone = 'neutral' | 'ok' | 'warn' | 'bad' | 'info';

export const STATUS: Record<string, { label: string; tone: Tone }> = {
  open: { label: 'Open', tone: 'info' },
  waiting_customer: { label: 'Waiting for customer', tone: 'warn' },
  forwarded: { label: 'Forwarded', tone: 'info' },
  acknowledged: { label: 'Acknowledged', tone: 'info' },
  resolved: { label: 'Resolved', tone: 'ok' },
  declined: { label: 'Declined', tone: 'bad' },
  escalated: { label: 'Escalated', tone: 'warn' },
  blocked_quota: { label: 'Blocked (quota)', tone: 'bad' },
  closed: { label: 'Closed', tone: 'neutral' },
};

export const STATUS_ORDER = Object.keys(STATUS);

export function StatusBadge({ status }: { status: string }) {
  const s = STATUS[status] ?? { label: status, tone: 'neutral' as Tone };
  return <Badge tone={s.tone}>{s.label}</Badge>;
}

export const intentLabel = (i: string) => INTENT_LABEL[i] ?? (i === 'other' ? 'Other' : i);

/** Outcome codes share their names with reply templates. */
export const outcomeLabel = (o: string | null) => (o ? templateTitle(o) : '—');

const SOURCE_LABEL: Record<string, string> = { ticket: 'Panel ticket', api: 'API', telegram: 'Telegram' };
export const sourceLabel = (s: string) => SOURCE_LABEL[s] ?? s;
/** The channel inside a sentence: "from a panel ticket". */
const CHANNEL_PHRASE: Record<string, string> = { ticket: 'a panel ticket', api: 'the API', telegram: 'Telegram' };
export const channelPhrase = (s: string) => CHANNEL_PHRASE[s] ?? s;

/** A request's SLA wait (the API's waiting_on, waiting_since, sla_due_at, overdue). */
export interface Wait {
  waiting_on?: string | null;
  waiting_since?: string | null;
  sla_due_at?: string | null;
  overdue?: boolean;
}

const WAITING_ON: Record<string, string> = { person: 'your team', provider: 'the provider' };

/** How long the current wait has lasted, rounded down: "45 min", "5 h", "3 d". */
export function waitLength(since: string, now = Date.now()): string {
  const minutes = Math.max(0, Math.floor((now - new Date(since).getTime()) / 60_000));
  if (minutes < 60) return `${minutes} min`;
  if (minutes < 48 * 60) return `${Math.floor(minutes / 60)} h`;
  return `${Math.floor(minutes / 1440)} d`;
}

/** Ageing: who a request waits on and for how long; red once past the tenant's SLA target. */
export function WaitBadge({ wait, now }: { wait: Wait; now?: number }) {
  if (!wait.waiting_on || !wait.waiting_since) return null;
  const length = waitLength(wait.waiting_since, now);
  const due = wait.sla_due_at ? `due by ${formatDate(wait.sla_due_at)}` : 'no SLA target';
  const title = `Waiting on ${WAITING_ON[wait.waiting_on] ?? wait.waiting_on} since ${formatDate(wait.waiting_since)}; ${due}`;
  return (
    <Badge tone={wait.overdue ? 'bad' : 'neutral'} title={title}>
      {wait.overdue ? `Overdue · ${length}` : `Waiting ${length}`}
    </Badge>
  );
}
