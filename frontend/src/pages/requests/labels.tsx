import { Badge } from '../../components/ui';
import { INTENT_LABEL } from '../../format';
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
