import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { renderApp } from '../../test/renderApp';
import { problem } from '../../test/server';
import { setFeatures } from '../../features';
import type { QueueCount, QueueItem } from '../../api/gen';
import { requestOut } from '../../test/fixtures';
import { QUEUE_POLL_MS } from './QueueBadge';

const request = requestOut({
  outcome: 'quota_exceeded',
  status: 'blocked_quota',
  reason: 'request quota used up',
  sla_due_at: '2025-01-02T14:00:00Z',
});
const blocked: QueueItem = { request, reason: 'request quota used up' };
const escalated: QueueItem = {
  request: { ...request, id: 'r2', customer: 'bob', order_id: null, intent: 'other', outcome: 'escalate', status: 'escalated', reason: 'message names no order' },
  reason: 'message names no order',
};
const counted = (total: number): QueueCount => ({
  total,
  escalated: 1,
  blocked_quota: 1,
  failed_messages: 0,
  by_reason: { 'request quota used up': 1, 'message names no order': 1 },
});

let restore: () => void;
beforeEach(() => {
  restore = setFeatures({ requests: true, queue: true, usage: true });
});
afterEach(() => {
  restore();
  vi.useRealTimers();
});

const routes = (items: () => QueueItem[], total = () => 2) => ({
  'GET /api/queue': (req: { query: URLSearchParams }) => items().filter((i) => !req.query.get('reason') || i.reason === req.query.get('reason')),
  'GET /api/queue/count': () => counted(total()),
  'GET /api/messages': () => ({ items: [], next_cursor: null }),
});

describe('The review queue', () => {
  it('filters by reason, kept in the URL, with the counts per reason', async () => {
    const { server } = renderApp('/queue', { routes: routes(() => [blocked, escalated]) });
    expect(await screen.findByText('bob')).toBeInTheDocument();
    const reason = screen.getByRole('combobox', { name: 'Reason' });
    await within(reason).findByRole('option', { name: 'message names no order (1)' });
    fireEvent.change(reason, { target: { value: 'message names no order' } });
    await waitFor(() => expect(screen.queryByText('alice')).not.toBeInTheDocument());
    const calls = server.callsTo('GET', '/api/queue');
    expect(calls[calls.length - 1].query.get('reason')).toBe('message names no order');
  });

  it('shows how long each item has waited and narrows to those past the SLA, longest wait first', async () => {
    const late: QueueItem = { ...escalated, request: { ...escalated.request, overdue: true, waiting_since: '2025-01-01T00:00:00Z' } };
    const { server } = renderApp('/queue', {
      routes: {
        ...routes(() => [blocked, late]),
        'GET /api/queue': (req: { query: URLSearchParams }) => (req.query.get('overdue') === 'true' ? [late] : [blocked, late]),
      },
    });
    const bobRow = (await screen.findByText('bob')).closest('tr') as HTMLElement;
    expect(within(bobRow).getByText(/^Overdue · \d+ d$/)).toBeInTheDocument();
    const aliceRow = screen.getByText('alice').closest('tr') as HTMLElement;
    expect(within(aliceRow).getByText(/^Waiting \d+ d$/)).toBeInTheDocument();

    fireEvent.click(screen.getByRole('checkbox', { name: 'Past SLA only' }));
    await waitFor(() => expect(screen.queryByText('alice')).not.toBeInTheDocument());
    const calls = server.callsTo('GET', '/api/queue');
    const last = calls[calls.length - 1].query;
    expect([last.get('overdue'), last.get('sort')]).toEqual(['true', 'waiting']);
  });

  it('resolves the selected requests at once and runs the quota-blocked ones again', async () => {
    let items = [blocked, escalated];
    const { server } = renderApp('/queue', {
      routes: {
        ...routes(() => items),
        'POST /api/queue/bulk': (req) => {
          const { request_ids } = req.body as { request_ids: string[] };
          items = items.filter((i) => !request_ids.includes(i.request.id));
          return { updated: request_ids, skipped: [] };
        },
        'POST /api/queue/rerun': (req) => {
          const { request_ids } = req.body as { request_ids: string[] };
          items = items.filter((i) => !request_ids.includes(i.request.id));
          return { requests: request_ids, messages: [], queued: 1, skipped: [] };
        },
      },
    });
    fireEvent.click(await screen.findByRole('checkbox', { name: 'Select the request from bob' }));
    const actions = screen.getByRole('group', { name: 'With the selected' });
    expect(within(actions).getByRole('button', { name: /Run again/ })).toBeDisabled(); // bob's is not quota-blocked
    fireEvent.click(within(actions).getByRole('button', { name: 'Resolve 1' }));
    await waitFor(() => expect(screen.queryByText('bob')).not.toBeInTheDocument());
    expect(server.callsTo('POST', '/api/queue/bulk')[0].body).toEqual({ request_ids: ['r2'], action: 'resolve' });
    expect(await screen.findByText('1 request resolved.')).toBeInTheDocument();

    fireEvent.click(screen.getByRole('checkbox', { name: 'Select the request from alice about order 1111' }));
    fireEvent.click(within(actions).getByRole('button', { name: 'Run again 1' }));
    expect(await screen.findByText('Nothing waits for review.')).toBeInTheDocument();
    expect(server.callsTo('POST', '/api/queue/rerun')[0].body).toEqual({ request_ids: ['r1'] });
  });

  it('says why a run again was refused', async () => {
    renderApp('/queue', {
      routes: {
        ...routes(() => [blocked]),
        'POST /api/queue/rerun': () => problem(409, 'New requests are refused right now: the request quota is used up.'),
      },
    });
    expect(await screen.findByText('alice')).toBeInTheDocument();
    fireEvent.click(screen.getByRole('checkbox', { name: 'Select all' }));
    fireEvent.click(screen.getByRole('button', { name: 'Run again 1' }));
    expect(await screen.findByText(/the request quota is used up/)).toBeInTheDocument();
    expect(screen.getByText('alice')).toBeInTheDocument();
  });

  it('shows the count beside the navigation entry and keeps it live', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    let total = 2;
    renderApp('/queue', { routes: routes(() => [blocked, escalated], () => total) });
    const nav = await screen.findByRole('navigation', { name: 'Main' });
    expect(await within(nav).findByLabelText('2 waiting')).toBeInTheDocument();
    total = 3;
    await act(() => vi.advanceTimersByTimeAsync(QUEUE_POLL_MS));
    expect(await within(nav).findByLabelText('3 waiting')).toBeInTheDocument();
  });
});
