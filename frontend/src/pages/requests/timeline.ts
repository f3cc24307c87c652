/**
 * A request's timeline as sentences: each step says what happened, who did it (by name),
 * and counts as expected vs current with their unit. Empty details (`drop: null`) are left out.
 */
import type { EventOut, RequestDetail } from '../../api/gen';
import { channelPhrase, intentLabel, outcomeLabel, STATUS } from './labels';

const ACTION: Record<string, string> = { refill: 'a refill', cancel: 'a cancellation', speed_up: 'a speed-up' };
const UNITS = ['followers', 'subscribers', 'members', 'likes', 'views', 'comments', 'shares', 'plays', 'reactions', 'votes'];
const STEP: Record<string, string> = {
  resolve: 'the provider has acted',
  wait: 'no change yet, checking again later',
  follow_up: 'no change yet, reminding the provider',
  escalate: 'still no change after the reminders, so it goes to your review queue',
};

/** What the order's service counts ("followers"), from its name; "units" when the name does not say. */
export function unitOf(serviceName: string | null | undefined): string {
  const name = (serviceName ?? '').toLowerCase();
  return UNITS.find((u) => name.includes(u) || name.includes(u.slice(0, -1))) ?? 'units';
}

/** What a sentence may need from the request: its intent and what the decision found. */
export type EventContext = Pick<RequestDetail, 'intent' | 'facts' | 'drop' | 'service_name'>;
/** For a step shown away from its request (the dashboard's activity). */
export const NO_CONTEXT: EventContext = { intent: '', facts: {}, drop: null, service_name: null };

const n = (value: unknown) => (typeof value === 'number' ? value.toLocaleString('en-US') : String(value));
const text = (value: unknown) => (typeof value === 'string' && value.trim() ? value.trim() : null);
const statusLabel = (s: unknown) => (typeof s === 'string' ? (STATUS[s]?.label ?? s).toLowerCase() : '');

/** "Expected 1,500 followers, now 1,100: 400 missing." from what the decision found. */
export function countsSentence(r: EventContext): string | null {
  const unit = unitOf(r.service_name);
  const { expected_count: expected, current_count: current } = r.facts ?? {};
  if (expected && current) return `Expected ${expected} ${unit}, now ${current}${r.drop ? `: ${n(r.drop)} missing` : ''}.`;
  if (r.drop) return `${n(r.drop)} ${unit} missing.`;
  return null;
}

/** Who acted: a team member's name (email) as is; anyone else described, capitalised to `start` a sentence. */
function person(e: Pick<EventOut, 'detail' | 'by_name'>, start = false): string {
  if (e.by_name) return e.by_name;
  const by = e.detail?.by;
  const who = by === 'tracking' ? 'follow-up monitoring' : by === 'provider_api' ? "the provider's API" : 'a team member';
  return start ? who.charAt(0).toUpperCase() + who.slice(1) : who;
}

function checked(e: Pick<EventOut, 'detail'>, r: EventContext): string {
  const d = e.detail ?? {};
  const unit = unitOf(r.service_name);
  const parts = [`order ${statusLabel(d.status) || String(d.status ?? '').toLowerCase()}`];
  if (d.current_count != null) {
    const expected = r.facts?.expected_count;
    parts.push(`now ${n(d.current_count)} ${unit}${expected ? ` (expected ${expected})` : ''}`);
  }
  if (typeof d.remains === 'number' && d.remains > 0) parts.push(`${n(d.remains)} ${unit} still to deliver`);
  if (text(d.refill_status)) parts.push(`the provider's refill is ${String(d.refill_status).toLowerCase()}`);
  const step = STEP[String(d.step)] ?? '';
  return `Checked the order: ${parts.join(', ')}${step ? `; ${step}` : ''}.`;
}

/** One step of the timeline as a sentence. */
export function describeEvent(e: Pick<EventOut, 'kind' | 'detail' | 'by_name'>, r: EventContext): string {
  const d = e.detail ?? {};
  const action = ACTION[String(d.action)] ?? 'the request';
  const provider = text(d.provider) ?? 'the provider';
  const note = text(d.note) ? ` Note: “${text(d.note)}”.` : '';
  const error = text(d.error) ? `: ${text(d.error)}` : '.';
  switch (e.kind) {
    case 'received':
      return `Taken in from ${channelPhrase(String(d.source ?? ''))} as ${
        (d.intent ?? r.intent) === 'other' ? 'a message with no refill, cancel or speed-up to act on' : `a ${intentLabel(String(d.intent ?? r.intent)).toLowerCase()} request`
      }.`;
    case 'quota_charged':
      return 'Counted as 1 request against this cycle’s quota.';
    case 'quota_carried_over':
      return 'Took over the quota unit of the earlier request it replaces (not counted again).';
    case 'decided': {
      const reason = text(d.reason) ? ` (${text(d.reason)})` : '';
      const counts = r.drop != null || r.facts?.expected_count ? ` ${countsSentence(r) ?? ''}` : '';
      return `Decided: ${outcomeLabel(String(d.outcome ?? ''))}${reason}; the request is ${statusLabel(d.status)}.${counts}`.trimEnd();
    }
    case 'superseded':
      return 'Replaced by a newer message from the customer about the same order.';
    case 'provider_call_started':
      return `Asked ${provider} for ${action} through its API.`;
    case 'provider_call_done':
      return `The provider accepted ${action}${text(d.refill_id) ? ` (its refill ID ${d.refill_id})` : ''}.`;
    case 'provider_call_uncertain':
      return `The provider’s answer to ${action} was lost${error} It may have received it, so it is not sent again; follow-up monitoring will check.`;
    case 'provider_call_failed':
      return `The provider’s API did not take ${action}${error}`;
    case 'declined':
      return `Declined by the provider${error}`;
    case 'dispatch_queued':
      return Number(d.follow_up) > 0
        ? `Reminder ${d.follow_up} to ${provider} about ${action} queued for Telegram.`
        : `Queued to ask ${provider} for ${action} over Telegram.`;
    case 'dispatch_withdrawn':
      return `Taken out of the Telegram queue: the request is ${statusLabel(d.status)} now.`;
    case 'provider_message_sent':
      return `Sent to the provider over Telegram${text(d.channel) ? ` (${d.channel})` : ''}.`;
    case 'provider_confirmed':
      return `The provider confirmed over Telegram${text(d.text) ? `: “${text(d.text)}”` : ''}.`;
    case 'provider_declined':
      return `The provider declined over Telegram${text(d.text) ? `: “${text(d.text)}”` : ''}.`;
    case 'provider_replied':
      return `The provider answered over Telegram${text(d.text) ? `: “${text(d.text)}”` : ''}.`;
    case 'provider_message_unknown':
      return 'The provider’s Telegram reply could not be matched to a request.';
    case 'checked':
      return checked(e, r);
    case 'resolved':
      return d.by === 'tracking' ? 'Resolved: the provider acted, so follow-up monitoring stopped.' : `Marked resolved by ${person(e)}.${note}`;
    case 'closed':
      return `Closed without action by ${person(e)}.${note}`;
    case 'escalated':
      return `Sent to your review queue${text(d.reason) ? `: ${text(d.reason)}` : ''}.`;
    case 'reforwarded':
      return `${person(e, true)} sent it to the provider again.`;
    case 'assigned':
      return d.assignee === d.by ? `Taken by ${person(e)}.` : `${person(e, true)} gave it to ${text(d.assignee_name) ?? 'a team member'}.`;
    case 'unassigned':
      return `${person(e, true)} unassigned it.`;
    case 'manual_reply':
      return `${person(e, true)} replied by hand: “${text(d.text) ?? ''}”.`;
    case 'replied':
      return `Reply sent to the customer via ${channelPhrase(String(d.channel ?? ''))}.`;
    case 'customer_told':
      return `Customer told: ${outcomeLabel(String(d.template ?? ''))}.`;
    case 'customer_not_told':
      return `Could not tell the customer (${outcomeLabel(String(d.template ?? ''))})${error}`;
    default: {
      const shown = Object.entries(d).filter(([, v]) => v != null && v !== '');
      const rest = shown.map(([k, v]) => `${k.replace(/_/g, ' ')} ${typeof v === 'string' ? v : JSON.stringify(v)}`).join(', ');
      return `${e.kind.charAt(0).toUpperCase()}${e.kind.slice(1).replace(/_/g, ' ')}${rest ? `: ${rest}` : ''}.`;
    }
  }
}
