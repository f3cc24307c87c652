import { afterEach, describe, expect, it, vi } from 'vitest';
import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { renderApp } from '../../test/renderApp';
import type { ChannelsOut, NotificationOut } from '../../api/gen';
import { NOTIFICATIONS_POLL_MS } from './NotificationBadge';

afterEach(() => vi.useRealTimers());

const escalation: NotificationOut = {
  id: 'n1',
  created_at: '2025-01-02T10:00:00Z',
  event: 'escalation',
  title: 'A request needs a person',
  body: 'alice asked about order 1111',
  link: '/queue',
  read: false,
  telegram: 'sent',
  email: 'failed',
  delivery_error: 'SMTP refused the recipient',
};
const payment: NotificationOut = {
  id: 'n2',
  created_at: '2025-01-01T09:00:00Z',
  event: 'payment_confirmed',
  title: 'Payment confirmed',
  body: 'Invoice INV-7 is paid',
  link: null,
  read: true,
  telegram: null,
  email: 'sent',
  delivery_error: null,
};

/** A backend holding `items`, answering the list (with the unread filter) and the count from them. */
function centre(initial: NotificationOut[]) {
  let items = initial;
  return {
    'GET /api/notifications': (req: { query: URLSearchParams }) => ({
      items: req.query.get('unread') === 'true' ? items.filter((n) => !n.read) : items,
      next_cursor: null,
    }),
    'GET /api/notifications/unread-count': () => ({ unread: items.filter((n) => !n.read).length }),
    'POST /api/notifications/n1/read': () => {
      items = items.map((n) => (n.id === 'n1' ? { ...n, read: true } : n));
      return items[0];
    },
    'POST /api/notifications/read-all': () => {
      const marked = items.filter((n) => !n.read).length;
      items = items.map((n) => ({ ...n, read: true }));
      return { marked };
    },
  };
}

const rowOf = (id: string) => screen.getByTestId(`notification-${id}`);

describe('The notification centre', () => {
  it('shows the unread count beside the navigation entry and keeps it live', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    let unread = 3;
    renderApp('/notifications', {
      routes: { ...centre([]), 'GET /api/notifications/unread-count': () => ({ unread }) },
    });
    const nav = await screen.findByRole('navigation', { name: 'Main' });
    const entry = within(nav).getByRole('link', { name: /Notifications/ });
    expect(await within(entry).findByLabelText('3 unread')).toBeInTheDocument();
    unread = 0;
    await act(() => vi.advanceTimersByTimeAsync(NOTIFICATIONS_POLL_MS));
    await waitFor(() => expect(within(entry).queryByLabelText(/unread/)).not.toBeInTheDocument());
  });

  it('lists notifications with where each copy went, and marks one read (the badge follows)', async () => {
    const { server } = renderApp('/notifications', { routes: centre([escalation, payment]) });
    expect(await screen.findByText('alice asked about order 1111')).toBeInTheDocument();
    const first = rowOf('n1');
    expect(within(first).getByText('Unread')).toBeInTheDocument();
    expect(within(first).getByText('Telegram: sent · E-mail: failed — SMTP refused the recipient')).toBeInTheDocument();
    expect(within(first).getByRole('link', { name: 'Open' }).getAttribute('href')).toBe('/queue');
    const second = rowOf('n2');
    expect(within(second).getByText('E-mail: sent')).toBeInTheDocument();
    expect(within(second).queryByText('Unread')).not.toBeInTheDocument();
    expect(within(second).queryByRole('link', { name: 'Open' })).not.toBeInTheDocument();
    const nav = screen.getByRole('navigation', { name: 'Main' });
    expect(await within(nav).findByLabelText('1 unread')).toBeInTheDocument();

    fireEvent.click(within(first).getByRole('button', { name: 'Mark read: A request needs a person' }));
    await waitFor(() => expect(within(rowOf('n1')).queryByText('Unread')).not.toBeInTheDocument());
    expect(server.callsTo('POST', '/api/notifications/n1/read')).toHaveLength(1);
    await waitFor(() => expect(within(nav).queryByLabelText(/unread/)).not.toBeInTheDocument());
    expect(screen.getByRole('button', { name: 'Mark all read' })).toBeDisabled();
  });

  it('narrows to the unread ones and marks them all read', async () => {
    const { server } = renderApp('/notifications', { routes: centre([escalation, { ...payment, read: false }]) });
    expect(await screen.findByText('Invoice INV-7 is paid')).toBeInTheDocument();
    fireEvent.click(screen.getByRole('tab', { name: /Unread/ }));
    await waitFor(() => {
      const calls = server.callsTo('GET', '/api/notifications');
      expect(calls[calls.length - 1].query.get('unread')).toBe('true');
    });
    await waitFor(() => expect(screen.getByRole('button', { name: 'Mark all read' })).not.toBeDisabled());

    fireEvent.click(screen.getByRole('button', { name: 'Mark all read' }));
    expect(await screen.findByText('2 notifications marked read.')).toBeInTheDocument();
    expect(server.callsTo('POST', '/api/notifications/read-all')).toHaveLength(1);
    expect(await screen.findByText('No unread notifications.')).toBeInTheDocument();
  });
});

const channels = (patch: Partial<ChannelsOut> = {}): ChannelsOut => ({
  events: [
    { event: 'escalation', label: 'A request needs a person', telegram: true, email: false },
    { event: 'payment_failed', label: 'Payment failed or expired', telegram: false, email: true },
  ],
  email_to: 'owner@panel.test',
  notification_email: null,
  email_ready: true,
  telegram_ready: true,
  ...patch,
});

const settingsRoutes = (current: ChannelsOut) => ({
  'GET /api/tenant': () => ({ id: 't1', name: 'FastFollowers' }),
  'GET /api/notifications/channels': () => current,
  'PUT /api/notifications/channels': () => current,
});

describe('The Notifications card in Settings', () => {
  it('saves the chosen channels and the address, sending only what changed', async () => {
    const { server } = renderApp('/settings', { routes: settingsRoutes(channels()) });
    const card = await screen.findByRole('region', { name: 'Notifications' });
    const address = await within(card).findByLabelText('Send e-mail to');
    expect(address.getAttribute('placeholder')).toBe('owner@panel.test');
    expect(within(card).getByLabelText('A request needs a person: in-app (always)')).toBeDisabled();
    expect(within(card).queryByText(/Set the owner chat and a bot in Setup/)).not.toBeInTheDocument();

    fireEvent.click(within(card).getByLabelText('A request needs a person: e-mail'));
    fireEvent.change(address, { target: { value: 'alerts@panel.test' } });
    fireEvent.click(within(card).getByRole('button', { name: 'Save notifications' }));
    await waitFor(() => expect(server.callsTo('PUT', '/api/notifications/channels')).toHaveLength(1));
    expect(server.callsTo('PUT', '/api/notifications/channels')[0].body).toEqual({
      events: [{ event: 'escalation', telegram: true, email: true }],
      notification_email: 'alerts@panel.test',
    });
  });

  it('clears the address back to the owner login with null', async () => {
    const { server } = renderApp('/settings', { routes: settingsRoutes(channels({ notification_email: 'alerts@panel.test', email_to: 'alerts@panel.test' })) });
    const card = await screen.findByRole('region', { name: 'Notifications' });
    fireEvent.change(await within(card).findByLabelText('Send e-mail to'), { target: { value: '' } });
    fireEvent.click(within(card).getByLabelText('Payment failed or expired: Telegram'));
    fireEvent.click(within(card).getByRole('button', { name: 'Save notifications' }));
    await waitFor(() => expect(server.callsTo('PUT', '/api/notifications/channels')).toHaveLength(1));
    expect(server.callsTo('PUT', '/api/notifications/channels')[0].body).toEqual({
      events: [{ event: 'payment_failed', telegram: true, email: true }],
      notification_email: null,
    });
  });

  it('says which channels cannot deliver, and is read-only for staff', async () => {
    const { server } = renderApp('/settings', { role: 'staff', routes: settingsRoutes(channels({ telegram_ready: false, email_ready: false })) });
    const card = await screen.findByRole('region', { name: 'Notifications' });
    expect(await within(card).findByText('Set the owner chat and a bot in Setup')).toBeInTheDocument();
    expect(within(card).getByText(/no SMTP server configured \(SUPPORTAI_SMTP_HOST\)/)).toBeInTheDocument();
    expect(within(card).getByLabelText('A request needs a person: Telegram')).toBeDisabled();
    expect(within(card).getByLabelText('Send e-mail to')).toBeDisabled();
    expect(within(card).queryByRole('button', { name: 'Save notifications' })).not.toBeInTheDocument();
    expect(server.callsTo('PUT', '/api/notifications/channels')).toHaveLength(0);
  });
});
