import { describe, expect, it } from 'vitest';
import { NO_CONTEXT, countsSentence, describeEvent, unitOf, type EventContext } from './timeline';

const refill: EventContext = { intent: 'refill', facts: { expected_count: '1,500', current_count: '1,370' }, drop: 130, service_name: 'TikTok Likes [R30]' };
const at = (kind: string, detail: Record<string, unknown>, by_name: string | null = null) => describeEvent({ kind, detail, by_name }, refill);

describe('the readable timeline', () => {
  it('gives counts as expected vs current with the unit of the service', () => {
    expect(countsSentence(refill)).toBe('Expected 1,500 likes, now 1,370: 130 missing.');
    expect(countsSentence({ ...refill, facts: {}, service_name: null })).toBe('130 units missing.');
    expect(countsSentence(NO_CONTEXT)).toBeNull();
    expect(unitOf('Instagram Followers | Real')).toBe('followers');
    expect(unitOf('YouTube Views - fast')).toBe('views');
  });

  it('names people, never their ids, and leaves empty details out', () => {
    expect(at('closed', { by: 'b7f1c2d0-uuid', note: null }, 'staff@panel.test')).toBe('Closed without action by staff@panel.test.');
    expect(at('resolved', { by: 'tracking' })).toBe('Resolved: the provider acted, so follow-up monitoring stopped.');
    expect(at('resolved', { by: 'b7f1c2d0-uuid', note: 'done by phone' }, 'owner@panel.test')).toBe('Marked resolved by owner@panel.test. Note: “done by phone”.');
    expect(at('decided', { outcome: 'no_drop', status: 'resolved', drop: null, reason: null })).not.toMatch(/null/);
    expect(at('manual_reply', { by: 'x', text: 'Refilled now' })).toBe('A team member replied by hand: “Refilled now”.');
  });

  it('tells provider steps and checks in words', () => {
    expect(at('provider_call_started', { action: 'refill', provider: 'ProvA' })).toBe('Asked ProvA for a refill through its API.');
    expect(at('dispatch_queued', { action: 'cancel', provider: 'ProvB', follow_up: 2 })).toBe('Reminder 2 to ProvB about a cancellation queued for Telegram.');
    expect(at('checked', { step: 'wait', status: 'In progress', remains: 300, current_count: null, refill_status: null })).toBe(
      'Checked the order: order in progress, 300 likes still to deliver; no change yet, checking again later.',
    );
    expect(at('something_new', { count: 3, empty: null })).toBe('Something new: count 3.');
  });
});
