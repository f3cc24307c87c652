import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { renderApp } from '../../test/renderApp';
import { problem } from '../../test/server';
import { setFeatures } from '../../features';
import type { RequestDetail, SupportRequest } from '../../api/types';

const base: SupportRequest = {
  id: 'r1',
  created_at: '2025-01-02T10:00:00Z',
  updated_at: null,
  message_id: 'm1',
  customer: 'alice',
  order_id: '1111',
  external_order_id: '48213',
  provider: 'ProvA',
  service_id: 7,
  intent: 'refill',
  outcome: 'forward_refill',
  status: 'forwarded',
  reason: null,
  drop: 120,
  provider_refill_id: null,
  follow_ups: 1,
  next_check_at: '2025-01-02T16:00:00Z',
};
const detail: RequestDetail = {
  ...base,
  message_text: 'please refill 1111',
  reply: 'Order 1111: we have asked the provider for a refill.',
  timeline: [{ at: '2025-01-02T10:00:05Z', kind: 'forwarded', detail: { channel: 'api' } }],
};

let restore: () => void;
beforeEach(() => {
  restore = setFeatures({ requests: true, queue: true, usage: true });
});
afterEach(() => restore());

describe('Requests (feature-flagged)', () => {
  it('lists requests with status counts and filters by status', async () => {
    const { server } = renderApp('/requests', {
      routes: {
        'GET /api/requests': (req) => ({
          items: req.query.get('status') === 'escalated' ? [] : [base],
          next_cursor: null,
          counts: { forwarded: 1, escalated: 2 },
        }),
      },
    });
    expect(await screen.findByText('alice')).toBeInTheDocument();
    expect(screen.getByRole('link', { name: /Requests/ })).toBeInTheDocument();
    const tabs = screen.getByRole('tablist', { name: 'Status' });
    expect(within(tabs).getByRole('tab', { name: /All\s*3/ })).toBeInTheDocument();
    fireEvent.click(within(tabs).getByRole('tab', { name: /Escalated/ }));
    expect(await screen.findByText('No requests match.')).toBeInTheDocument();
    const calls = server.callsTo('GET', '/api/requests');
    expect(calls[calls.length - 1].query.get('status')).toBe('escalated');
  });

  it('opens a request and resolves it with a note', async () => {
    const { server } = renderApp('/requests', {
      routes: {
        'GET /api/requests': () => ({ items: [base], next_cursor: null, counts: { forwarded: 1 } }),
        'GET /api/requests/r1': () => detail,
        'POST /api/requests/r1/resolve': () => ({ ...base, status: 'resolved' }),
      },
    });
    fireEvent.click(await screen.findByRole('button', { name: 'Open request 1111' }));
    const dialog = await screen.findByRole('dialog');
    expect(await within(dialog).findByText('please refill 1111')).toBeInTheDocument();
    expect(within(dialog).getByText(/provider's ID 48213/)).toBeInTheDocument();
    expect(within(dialog).getByText('Next check')).toBeInTheDocument();
    fireEvent.change(within(dialog).getByLabelText(/Note/), { target: { value: 'refilled by hand' } });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Mark resolved' }));
    await waitFor(() => expect(server.callsTo('POST', '/api/requests/r1/resolve')).toHaveLength(1));
    expect(server.callsTo('POST', '/api/requests/r1/resolve')[0].body).toEqual({ note: 'refilled by hand' });
    await waitFor(() => expect(within(screen.getByRole('table')).getByText('Resolved')).toBeInTheDocument());
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
