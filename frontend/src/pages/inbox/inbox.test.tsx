import { afterEach, describe, expect, it, vi } from 'vitest';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { renderApp } from '../../test/renderApp';
import type { InboxMessage } from '../../api/gen';

const question: InboxMessage = {
  id: 'm1',
  created_at: '2025-01-02T10:00:00Z',
  source: 'telegram',
  customer: 'alice',
  ticket_id: null,
  text: 'my followers dropped, can you refill?',
  has_attachment: false,
  status: 'processed',
  intent: 'refill',
  lang: 'en',
  reply_text: 'Please send the order ID.',
  replied_at: '2025-01-02T10:00:05Z',
  requests: [],
};
const refill: InboxMessage = {
  ...question,
  id: 'm2',
  created_at: '2025-01-02T11:00:00Z',
  text: 'refill 1111 please',
  reply_text: 'Order 1111: a refill is on its way.',
  requests: [
    {
      id: 'r1', order_id: '1111', intent: 'refill', outcome: 'forward_refill', status: 'forwarded',
      waiting_on: 'provider', waiting_since: '2025-01-02T11:00:00Z', sla_due_at: '2025-01-04T11:00:00Z', overdue: true,
    },
  ],
};

afterEach(() => vi.restoreAllMocks());

describe('Inbox', () => {
  it('lists messages with or without orders, filters from the URL', async () => {
    const { server } = renderApp('/inbox?orders=without&source=telegram', {
      routes: { 'GET /api/inbox': () => ({ items: [question, refill], next_cursor: null }) },
    });
    const table = await screen.findByRole('table', { name: 'Messages' });
    expect(within(table).getByText('my followers dropped, can you refill?')).toBeInTheDocument();
    expect(within(table).getByText('No order')).toBeInTheDocument();
    expect(within(table).getByText('1111')).toBeInTheDocument();
    const first = server.callsTo('GET', '/api/inbox')[0].query;
    expect([first.get('has_orders'), first.get('source')]).toEqual(['false', 'telegram']);

    fireEvent.change(screen.getByRole('searchbox', { name: 'Search' }), { target: { value: 'dropped' } });
    fireEvent.click(screen.getByRole('button', { name: 'Search' }));
    fireEvent.change(screen.getByRole('combobox', { name: 'Status' }), { target: { value: 'failed' } });
    await waitFor(() => {
      const calls = server.callsTo('GET', '/api/inbox');
      const last = calls[calls.length - 1].query;
      expect([last.get('search'), last.get('status'), last.get('has_orders')]).toEqual(['dropped', 'failed', 'false']);
    });
  });

  it('exports the filtered list as CSV', async () => {
    const createObjectURL = vi.fn(() => 'blob:csv');
    Object.assign(URL, { createObjectURL, revokeObjectURL: vi.fn() });
    const click = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(() => undefined);
    const { server } = renderApp('/inbox?search=refill', {
      routes: {
        'GET /api/inbox': () => ({ items: [refill], next_cursor: null }),
        'GET /api/inbox/export': () => new Response('created_at,customer\n2025-01-02,alice\n', { headers: { 'Content-Type': 'text/csv' } }),
      },
    });
    fireEvent.click(await screen.findByRole('button', { name: 'Export CSV' }));
    await waitFor(() => expect(click).toHaveBeenCalled());
    const call = server.callsTo('GET', '/api/inbox/export')[0];
    expect(call.query.get('search')).toBe('refill');
    expect(call.headers.authorization).toBe('Bearer access-1');
    const blob = (createObjectURL.mock.calls[0] as unknown[])[0] as Blob;
    const text = await new Promise<string>((done) => {
      const reader = new FileReader();
      reader.onload = () => done(String(reader.result));
      reader.readAsText(blob);
    });
    expect(text).toContain('2025-01-02,alice');
  });

  it('shows a conversation with its requests and replies, and opens a request', async () => {
    renderApp('/inbox/m2', {
      routes: {
        'GET /api/inbox/m2': () => ({ message_id: 'm2', customer: 'alice', source: 'telegram', ticket_id: null, messages: [question, refill] }),
        'GET /api/requests/r1': () => ({
          ...refill.requests[0], created_at: refill.created_at, updated_at: null, message_id: 'm2', customer: 'alice',
          external_order_id: null, provider: null, service_id: null, reason: null, drop: null, provider_refill_id: null,
          follow_ups: 0, next_check_at: null, message_text: refill.text, reply: refill.reply_text, timeline: [], facts: {},
          baseline: null, service_name: null,
        }),
      },
    });
    expect(await screen.findByRole('heading', { name: 'Conversation with alice' })).toBeInTheDocument();
    const messages = screen.getAllByRole('article');
    expect(messages).toHaveLength(2);
    expect(within(messages[0]).getByText(/names no order/)).toBeInTheDocument();
    expect(within(messages[1]).getByText('Order 1111: a refill is on its way.')).toBeInTheDocument();
    fireEvent.click(within(messages[1]).getByRole('button', { name: /Order 1111/ }));
    expect(await screen.findByRole('dialog', { name: /order 1111/ })).toBeInTheDocument();
  });

  it("shows a customer's history", async () => {
    const { server } = renderApp('/inbox/customers?customer=alice', {
      routes: {
        'GET /api/inbox/customers/alice': () => ({
          customer: 'alice', first_seen: question.created_at, last_seen: refill.created_at, message_count: 2,
          request_count: 1, requests_by_status: { forwarded: 1 }, messages: [refill, question],
        }),
      },
    });
    expect(await screen.findByRole('heading', { name: 'Customer alice' })).toBeInTheDocument();
    expect(await screen.findAllByRole('article')).toHaveLength(2);
    expect(server.callsTo('GET', '/api/inbox/customers/alice')).toHaveLength(1);
    expect(screen.getByRole('link', { name: 'Their requests' }).getAttribute('href')).toBe('/requests?search=alice');
  });
});
