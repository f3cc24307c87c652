import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { renderApp } from '../../test/renderApp';
import { problem } from '../../test/server';
import { setFeatures } from '../../features';
import type { MessageSummary } from '../../api/gen';
import { dashboard } from '../../test/fixtures';

const longText = `Hello, my order 1111 dropped by half, ${'please refill it as soon as you can, '.repeat(6)}thanks.`;

const failedMessage: MessageSummary = {
  id: 'm1',
  created_at: '2025-01-02T10:00:00Z',
  source: 'ticket',
  customer: 'alice',
  ticket_id: 4521,
  text: longText,
  status: 'failed',
  attempts: 5,
  last_error: 'PanelError: the panel refused the reply (HTTP 500)',
  intent: 'refill',
  reply_text: null,
  processed_at: null,
};
const second: MessageSummary = {
  ...failedMessage,
  id: 'm2',
  source: 'telegram',
  customer: 'bob',
  ticket_id: null,
  text: 'cancel 2222',
  last_error: null,
};

let restore: () => void;
beforeEach(() => {
  restore = setFeatures({ requests: true, queue: true, usage: true });
});
afterEach(() => restore());

describe('Failed messages on the review queue', () => {
  it('lists the failed messages with their error and attempts', async () => {
    const { server } = renderApp('/queue', {
      routes: {
        'GET /api/queue': () => [],
        'GET /api/messages': () => ({ items: [failedMessage, second], next_cursor: null }),
      },
    });
    const section = await screen.findByRole('region', { name: /Failed messages/ });
    const table = await within(section).findByRole('table', { name: 'Failed messages' });
    const rows = within(table).getAllByRole('row');
    expect(rows).toHaveLength(3); // header + 2
    const first = rows[1];
    expect(first).toHaveTextContent('alice');
    expect(first).toHaveTextContent('Panel ticket');
    expect(first).toHaveTextContent('#4521');
    expect(first).toHaveTextContent('the panel refused the reply');
    expect(within(first).getByText('5')).toBeInTheDocument();
    expect(rows[2]).toHaveTextContent('Telegram');
    expect(rows[2]).toHaveTextContent('cancel 2222');
    // The long text is cut, the full text is the tooltip and one click away.
    expect(first).not.toHaveTextContent('thanks.');
    expect(within(first).getByTitle(longText)).toBeInTheDocument();
    fireEvent.click(within(first).getByRole('button', { name: 'Show all of the message' }));
    expect(first).toHaveTextContent('thanks.');
    expect(within(section).getByText('2')).toBeInTheDocument(); // the count badge in the title
    expect(screen.getByText('Nothing waits for review.')).toBeInTheDocument();
    const call = server.callsTo('GET', '/api/messages')[0];
    expect(call.query.get('status')).toBe('failed');
  });

  it('retries a message: the row says "Queued again", then the next load drops it', async () => {
    let stillFailed = [failedMessage, second];
    const { server } = renderApp('/queue', {
      role: 'staff',
      routes: {
        'GET /api/queue': () => [],
        'GET /api/messages': () => ({ items: stillFailed, next_cursor: null }),
        'POST /api/messages/m1/retry': () => {
          stillFailed = [second];
          return { ...failedMessage, status: 'received', attempts: 0 };
        },
      },
    });
    fireEvent.click(await screen.findByRole('button', { name: 'Retry the message from alice' }));
    await waitFor(() => expect(server.callsTo('POST', '/api/messages/m1/retry')).toHaveLength(1));
    const table = screen.getByRole('table', { name: 'Failed messages' });
    const row = within(table).getAllByRole('row')[1];
    expect(await within(row).findByText('Queued again')).toBeInTheDocument();
    expect(within(row).queryByRole('button', { name: /Retry/ })).not.toBeInTheDocument();
    expect(server.callsTo('POST', '/api/messages/m2/retry')).toHaveLength(0);
    expect(within(table).getByRole('button', { name: 'Retry the message from bob' })).toBeInTheDocument();

    fireEvent.click(screen.getByRole('button', { name: 'Refresh' }));
    await waitFor(() => expect(screen.queryByText('alice')).not.toBeInTheDocument());
    expect(screen.getByText('bob')).toBeInTheDocument();
  });

  it('retries every listed message at once', async () => {
    const third: MessageSummary = { ...second, id: 'm3', customer: 'carol' };
    const { server } = renderApp('/queue', {
      routes: {
        'GET /api/queue': () => [],
        'GET /api/messages': () => ({ items: [failedMessage, second, third], next_cursor: null }),
        // m3 was retried elsewhere meanwhile: the server skips it.
        'POST /api/queue/rerun': () => ({ requests: [], messages: ['m1', 'm2'], queued: 2, skipped: ['m3'] }),
      },
    });
    fireEvent.click(await screen.findByRole('button', { name: 'Retry all 3' }));
    await waitFor(() => expect(server.callsTo('POST', '/api/queue/rerun')).toHaveLength(1));
    expect(server.callsTo('POST', '/api/queue/rerun')[0].body).toEqual({ message_ids: ['m1', 'm2', 'm3'] });
    expect(await screen.findByText('2 messages queued again.')).toBeInTheDocument();
    const rows = within(screen.getByRole('table', { name: 'Failed messages' })).getAllByRole('row');
    expect(within(rows[1]).getByText('Queued again')).toBeInTheDocument();
    expect(within(rows[2]).getByText('Queued again')).toBeInTheDocument();
    expect(within(rows[3]).getByRole('button', { name: 'Retry the message from carol' })).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: /Retry all/ })).not.toBeInTheDocument();
  });

  it('shows the problem when the message is no longer failed (409)', async () => {
    renderApp('/queue', {
      routes: {
        'GET /api/queue': () => [],
        'GET /api/messages': () => ({ items: [failedMessage], next_cursor: null }),
        'POST /api/messages/m1/retry': () => problem(409, 'Only a failed message can be retried.'),
      },
    });
    fireEvent.click(await screen.findByRole('button', { name: 'Retry the message from alice' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('Only a failed message can be retried.');
    expect(screen.getByRole('button', { name: 'Retry the message from alice' })).toBeInTheDocument();
    expect(screen.queryByText('Queued again')).not.toBeInTheDocument();
  });

  it('says plainly when nothing failed', async () => {
    renderApp('/queue', {
      routes: {
        'GET /api/queue': () => [],
        'GET /api/messages': () => ({ items: [], next_cursor: null }),
      },
    });
    expect(await screen.findByText(/No failed messages/)).toBeInTheDocument();
    expect(screen.queryByRole('table', { name: 'Failed messages' })).not.toBeInTheDocument();
  });
});

describe('Failed messages on the Dashboard', () => {
  it('shows the count and links to the section when some failed', async () => {
    renderApp('/dashboard', {
      routes: {
        'GET /api/dashboard': () => dashboard({ failed_messages: 2 }),
        'GET /api/messages': () => ({ items: [failedMessage, second], next_cursor: null }),
        'GET /api/queue': () => [],
      },
    });
    const notice = await screen.findByText(/could not be processed/);
    expect(notice).toHaveTextContent('2 customer messages could not be processed');
    const link = screen.getByRole('link', { name: 'Review failed messages' });
    expect(link.getAttribute('href')).toBe('/queue#failed');
    fireEvent.click(link);
    expect(await screen.findByRole('region', { name: /Failed messages/ })).toBeInTheDocument();
  });

  it('shows nothing when no message failed', async () => {
    renderApp('/dashboard', { routes: { 'GET /api/dashboard': () => dashboard() } });
    expect(await screen.findByText('Requests today')).toBeInTheDocument();
    expect(screen.queryByText(/could not be processed/)).not.toBeInTheDocument();
    expect(screen.queryByRole('link', { name: 'Review failed messages' })).not.toBeInTheDocument();
  });
});
