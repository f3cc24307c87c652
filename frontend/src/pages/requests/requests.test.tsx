import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { renderApp } from '../../test/renderApp';
import { problem } from '../../test/server';
import { setFeatures } from '../../features';
import type { RequestDetail, RequestListItem } from '../../api/gen';
import { automation, requestOut } from '../../test/fixtures';

const base: RequestListItem = {
  ...requestOut({
    external_order_id: '48213',
    provider: 'ProvA',
    service_id: 7,
    outcome: 'forward_refill',
    status: 'forwarded',
    reason: null,
    drop: 400,
    follow_ups: 1,
    next_check_at: '2025-01-02T16:00:00Z',
    waiting_on: 'provider',
    waiting_since: '2025-01-02T10:00:02Z',
    sla_due_at: '2025-01-04T10:00:02Z',
  }),
  message_text: 'please refill 1111, my followers dropped',
  lang: 'en',
  source: 'ticket',
};
const detail: RequestDetail = {
  ...base,
  reply: 'Order 1111: we have asked the provider for a refill.',
  facts: { expected_count: '1,500', current_count: '1,100' },
  baseline: { status: 'Completed', remains: 0, current_count: 1100, drop: 400 },
  service_name: 'Instagram Followers [R30]',
  assignee_name: null,
  timeline: [
    { at: '2025-01-02T10:00:01Z', kind: 'received', detail: { source: 'ticket', intent: 'refill' }, by_name: null },
    { at: '2025-01-02T10:00:02Z', kind: 'decided', detail: { outcome: 'forward_refill', status: 'forwarded', drop: 400, reason: null }, by_name: null },
    { at: '2025-01-02T16:00:00Z', kind: 'checked', detail: { step: 'follow_up', status: 'Completed', remains: 0, current_count: 1120, refill_status: null }, by_name: null },
    { at: '2025-01-02T17:00:00Z', kind: 'reforwarded', detail: { by: 'u-owner' }, by_name: 'owner@panel.test' },
  ],
};

let restore: () => void;
beforeEach(() => {
  restore = setFeatures({ requests: true, queue: true, usage: true });
});
afterEach(() => restore());

describe('Requests (feature-flagged)', () => {
  it('lists requests with their message and status counts, filters kept in the URL', async () => {
    const { server } = renderApp('/requests?source=ticket', {
      routes: {
        'GET /api/requests': (req) => ({
          items: req.query.get('status') === 'escalated' ? [] : [base],
          next_cursor: null,
          counts: { forwarded: 1, escalated: 2 },
        }),
      },
    });
    expect(await screen.findByText('alice')).toBeInTheDocument();
    expect(screen.getByText('please refill 1111, my followers dropped')).toBeInTheDocument();
    expect(screen.getByText('Panel ticket · en')).toBeInTheDocument();
    expect(server.callsTo('GET', '/api/requests')[0].query.get('source')).toBe('ticket');
    const tabs = screen.getByRole('tablist', { name: 'Status' });
    expect(within(tabs).getByRole('tab', { name: /All\s*3/ })).toBeInTheDocument();
    fireEvent.click(within(tabs).getByRole('tab', { name: /Escalated/ }));
    expect(await screen.findByText('No requests match these filters.')).toBeInTheDocument();
    let calls = server.callsTo('GET', '/api/requests');
    expect(calls[calls.length - 1].query.get('status')).toBe('escalated');

    fireEvent.change(screen.getByRole('searchbox', { name: 'Search' }), { target: { value: ' #1111 ' } });
    fireEvent.click(screen.getByRole('button', { name: 'Search' }));
    fireEvent.change(screen.getByLabelText('From'), { target: { value: '2025-01-02' } });
    fireEvent.change(screen.getByLabelText('To'), { target: { value: '2025-01-03' } });
    await waitFor(() => {
      calls = server.callsTo('GET', '/api/requests');
      const last = calls[calls.length - 1].query;
      expect([last.get('search'), last.get('created_from'), last.get('created_to')]).toEqual(['#1111', '2025-01-02T00:00:00Z', '2025-01-04T00:00:00.000Z']);
    });
  });

  it('opens a request, tells its story in sentences and resolves it with a note', async () => {
    let status = 'forwarded';
    const { server } = renderApp('/requests', {
      routes: {
        'GET /api/requests': () => ({ items: [{ ...base, status }], next_cursor: null, counts: { [status]: 1 } }),
        'GET /api/requests/r1': () => ({ ...detail, status }),
        'POST /api/requests/r1/resolve': () => {
          status = 'resolved';
          return { ...base, status };
        },
      },
    });
    fireEvent.click(await screen.findByRole('button', { name: 'Open request 1111' }));
    const dialog = await screen.findByRole('dialog');
    expect(await within(dialog).findByText('please refill 1111, my followers dropped')).toBeInTheDocument();
    expect(within(dialog).getByText(/provider's ID 48213/)).toBeInTheDocument();
    expect(within(dialog).getByText('Expected 1,500 followers, now 1,100: 400 missing.')).toBeInTheDocument();
    const timeline = within(dialog).getByRole('list', { name: 'Timeline' });
    expect(timeline).toHaveTextContent('Taken in from a panel ticket as a refill request.');
    expect(timeline).toHaveTextContent('Decided: Refill requested from provider; the request is forwarded. Expected 1,500 followers, now 1,100: 400 missing.');
    expect(timeline).toHaveTextContent('Checked the order: order completed, now 1,120 followers (expected 1,500); no change yet, reminding the provider.');
    expect(timeline).toHaveTextContent('owner@panel.test sent it to the provider again.');
    expect(timeline).not.toHaveTextContent('null');
    expect(timeline).not.toHaveTextContent('u-owner');

    fireEvent.change(within(dialog).getByLabelText(/Note/), { target: { value: 'refilled by hand' } });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Mark resolved' }));
    await waitFor(() => expect(server.callsTo('POST', '/api/requests/r1/resolve')).toHaveLength(1));
    expect(server.callsTo('POST', '/api/requests/r1/resolve')[0].body).toEqual({ note: 'refilled by hand' });
    await waitFor(() => expect(within(screen.getByRole('table', { name: 'Requests' })).getByText('Resolved')).toBeInTheDocument());
  });

  it('shows the problem when an action is refused', async () => {
    renderApp('/requests', {
      routes: {
        'GET /api/requests': () => ({ items: [base], next_cursor: null, counts: { forwarded: 1 } }),
        'GET /api/requests/r1': () => detail,
        'POST /api/requests/r1/reforward': () => problem(400, 'Only requests that were forwarded to a provider can be forwarded again.'),
      },
    });
    fireEvent.click(await screen.findByRole('button', { name: 'Open request 1111' }));
    const dialog = await screen.findByRole('dialog');
    fireEvent.click(await within(dialog).findByRole('button', { name: 'Send to provider again' }));
    expect(await within(dialog).findByRole('alert')).toHaveTextContent('Only requests that were forwarded');
  });

  it('shows usage against the quota', async () => {
    renderApp('/usage', {
      routes: {
        'GET /api/usage': () => ({
          plan: 'starter',
          plan_name: 'Starter',
          status: 'active',
          blocked_reason: 'quota',
          cycle_start: '2025-01-01T00:00:00Z',
          cycle_end: '2025-02-01T00:00:00Z',
          requests_used: 50,
          requests_limit: 50,
          requests_left: 0,
          overage_requests: 0,
          overage_blocks: 0,
          blocked_requests: 4,
          automation: automation(50, 40, 10, 1),
        }),
        'GET /api/credits': () => ({
          base: 380,
          prepaid: 0,
          total: 380,
          low: true,
          entries: [
            { at: '2025-01-02T06:00:00Z', kind: 'consume', pool: 'base', amount: -120, balance: 380, detail: {} },
            { at: '2025-01-01T00:00:00Z', kind: 'grant', pool: 'base', amount: 500, balance: 500, detail: {} },
          ],
          packs: [],
        }),
      },
    });
    const meter = await screen.findByRole('meter', { name: 'Support requests used' });
    expect(meter.getAttribute('aria-valuenow')).toBe('50');
    expect(screen.getByText(/quota is used up/)).toBeInTheDocument();
    expect(screen.getByText('4')).toBeInTheDocument();
    expect(screen.getByText('Automated this cycle')).toBeInTheDocument();
    expect(screen.getByText('80 %')).toBeInTheDocument();
    expect(screen.getByText('40 of 50 requests without a person · 10 needed one · 1 wrong action.')).toBeInTheDocument();
    expect(await screen.findByLabelText('Credits left')).toHaveTextContent('380');
    expect(screen.getByText('running low')).toBeInTheDocument();
    const history = screen.getByRole('table', { name: 'Credit history' });
    expect(within(history).getByText('Order checks')).toBeInTheDocument();
    expect(within(history).getByText('+500')).toBeInTheDocument();
  });

  it('lets the owner buy a credit pack and links to the payment page', async () => {
    const { server } = renderApp('/usage', {
      routes: {
        'GET /api/usage': () => ({
          plan: 'starter', plan_name: 'Starter', cycle_start: '2025-01-01T00:00:00Z', cycle_end: '2025-02-01T00:00:00Z',
          requests_used: 1, requests_limit: 50, requests_left: 49, overage_requests: 0, overage_blocks: 0, blocked_requests: 0,
          automation: automation(0, 0),
        }),
        'GET /api/credits': () => ({ base: 0, prepaid: 0, total: 0, low: true, entries: [], packs: [{ code: 'small', credits: 1000, price_cents: 900 }, { code: 'medium', credits: 5000, price_cents: 3900 }], }),
        'POST /api/credits/purchases': () => ({
          id: 'p1', pack: 'medium', credits: 5000, amount: '39.00', currency: 'USD', status: 'pending',
          payment_url: 'https://pay.example/abc', created_at: '2025-01-02T00:00:00Z', paid_at: null,
        }),
      },
    });
    expect(await screen.findByText('tracking paused')).toBeInTheDocument();
    fireEvent.click(screen.getByRole('button', { name: 'Buy 5,000 for $39' }));
    const link = await screen.findByRole('link', { name: 'pay on the payment page' });
    expect(link.getAttribute('href')).toBe('https://pay.example/abc');
    expect(server.callsTo('POST', '/api/credits/purchases')[0].body).toEqual({ pack: 'medium' });
  });
});

describe('feature flags', () => {
  it('hides the pages when the features are off', async () => {
    setFeatures({ requests: false, queue: false, usage: false });
    renderApp('/requests');
    expect(await screen.findByText('Page not found')).toBeInTheDocument();
    expect(screen.queryByRole('link', { name: /Requests/ })).not.toBeInTheDocument();
  });
});
