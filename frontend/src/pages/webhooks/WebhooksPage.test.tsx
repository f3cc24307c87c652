import { describe, expect, it } from 'vitest';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { renderApp } from '../../test/renderApp';
import { problem } from '../../test/server';

const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const ROTATED = 'whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD';

const endpoint = {
  id: 'e1',
  url: 'https://crm.example.com/hooks',
  description: 'CRM',
  events: ['request.resolved'],
  enabled: true,
  created_at: '2026-12-01T10:00:00Z',
};

const delivery = (over: Record<string, unknown> = {}) => ({
  id: 'd1',
  endpoint_id: 'e1',
  event_type: 'request.resolved',
  message_id: 'msg_d1',
  status: 'failed',
  attempts: 8,
  next_attempt_at: null,
  last_status_code: 500,
  last_error: 'answered HTTP 500',
  created_at: '2026-12-02T10:00:00Z',
  updated_at: '2026-12-03T14:00:00Z',
  ...over,
});

describe('Webhooks', () => {
  it('adds an endpoint with the ticked events and lists it', async () => {
    const stored: (typeof endpoint)[] = [];
    const { server } = renderApp('/webhooks', {
      routes: {
        'GET /api/webhooks/endpoints': () => stored,
        'POST /api/webhooks/endpoints': (req) => {
          const body = req.body as { url: string; description: string; events: string[] };
          const made = { ...endpoint, id: 'e2', ...body };
          stored.push(made);
          return { ...made, secret: SECRET };
        },
      },
    });
    expect(await screen.findByText('No webhook endpoints yet.')).toBeInTheDocument();
    fireEvent.click(screen.getByRole('button', { name: 'Add endpoint' }));
    const form = screen.getByRole('dialog');
    fireEvent.change(within(form).getByLabelText('URL'), { target: { value: ' https://erp.example.com/in ' } });
    fireEvent.change(within(form).getByLabelText('Description'), { target: { value: 'ERP' } });
    fireEvent.click(within(form).getByLabelText(/request\.forwarded/));
    fireEvent.click(within(form).getByLabelText(/payment\.confirmed/));
    fireEvent.click(within(form).getByRole('button', { name: 'Add endpoint' }));

    expect(await screen.findByRole('region', { name: 'https://erp.example.com/in' })).toBeInTheDocument();
    expect(server.callsTo('POST', '/api/webhooks/endpoints')[0].body).toEqual({
      url: 'https://erp.example.com/in',
      description: 'ERP',
      events: ['request.forwarded', 'payment.confirmed'],
    });
    const card = screen.getByRole('region', { name: 'https://erp.example.com/in' });
    expect(within(card).getByText('payment.confirmed')).toBeInTheDocument();
    expect(document.body.innerHTML).not.toContain(SECRET); // shown only when asked for
  });

  it('shows a refused URL as the problem the API answered', async () => {
    renderApp('/webhooks', {
      routes: {
        'GET /api/webhooks/endpoints': () => [],
        'POST /api/webhooks/endpoints': () => problem(400, 'Invalid input', { detail: '`url` must point at a public address' }),
      },
    });
    fireEvent.click(await screen.findByRole('button', { name: 'Add endpoint' }));
    const form = screen.getByRole('dialog');
    fireEvent.change(within(form).getByLabelText('URL'), { target: { value: 'http://10.0.0.1/' } });
    fireEvent.click(within(form).getByRole('button', { name: 'Add endpoint' }));
    expect(await within(form).findByRole('alert')).toHaveTextContent('public address');
  });

  it('shows and rotates the secret, disables, sends a test event and deletes', async () => {
    let current = { ...endpoint };
    let deleted = false;
    const { server } = renderApp('/webhooks', {
      routes: {
        'GET /api/webhooks/endpoints': () => (deleted ? [] : [current]),
        'GET /api/webhooks/endpoints/e1/secret': () => ({ secret: SECRET }),
        'POST /api/webhooks/endpoints/e1/rotate-secret': () => ({ ...current, secret: ROTATED }),
        'PATCH /api/webhooks/endpoints/e1': (req) => {
          current = { ...current, ...(req.body as object) };
          return current;
        },
        'POST /api/webhooks/endpoints/e1/test': () => delivery({ id: 'd2', event_type: 'webhook.test', status: 'pending', attempts: 0 }),
        'GET /api/webhooks/deliveries': () => ({ items: [], next_cursor: null }),
        'DELETE /api/webhooks/endpoints/e1': () => {
          deleted = true;
        },
      },
    });
    const card = await screen.findByRole('region', { name: endpoint.url });
    fireEvent.click(within(card).getByRole('button', { name: 'Show secret' }));
    expect(await within(card).findByLabelText(`Signing secret of ${endpoint.url}`)).toHaveProperty('value', SECRET);

    fireEvent.click(within(card).getByRole('button', { name: 'Rotate secret' }));
    fireEvent.click(within(screen.getByRole('dialog')).getByRole('button', { name: 'Rotate' }));
    await waitFor(() => expect(within(card).getByLabelText(`Signing secret of ${endpoint.url}`)).toHaveProperty('value', ROTATED));

    fireEvent.click(within(card).getByRole('button', { name: 'Disable' }));
    expect(await within(card).findByRole('button', { name: 'Enable' })).toBeInTheDocument();
    expect(server.callsTo('PATCH', '/api/webhooks/endpoints/e1')[0].body).toEqual({ enabled: false });
    expect(within(card).getByRole('button', { name: 'Send test event' })).toBeDisabled();
    await waitFor(() => expect(within(card).getByRole('button', { name: 'Enable' })).not.toBeDisabled());
    fireEvent.click(within(card).getByRole('button', { name: 'Enable' }));
    await waitFor(() => expect(within(card).getByRole('button', { name: 'Send test event' })).not.toBeDisabled());
    fireEvent.click(within(card).getByRole('button', { name: 'Send test event' }));
    await waitFor(() => expect(server.callsTo('POST', '/api/webhooks/endpoints/e1/test')).toHaveLength(1));

    fireEvent.click(within(card).getByRole('button', { name: 'Delete' }));
    fireEvent.click(within(screen.getByRole('dialog')).getByRole('button', { name: 'Delete' }));
    expect(await screen.findByText('No webhook endpoints yet.')).toBeInTheDocument();
    expect(server.callsTo('DELETE', '/api/webhooks/endpoints/e1')).toHaveLength(1);
  });

  it("lists an endpoint's deliveries with their status and redelivers a finished one", async () => {
    let redelivered = false;
    const { server } = renderApp('/webhooks', {
      routes: {
        'GET /api/webhooks/endpoints': () => [endpoint],
        'GET /api/webhooks/deliveries': () => ({
          items: [
            redelivered ? delivery({ status: 'pending', next_attempt_at: '2026-12-03T15:00:00Z' }) : delivery(),
            delivery({ id: 'd0', status: 'succeeded', attempts: 1, last_status_code: 200, last_error: null }),
          ],
          next_cursor: null,
        }),
        'POST /api/webhooks/deliveries/d1/redeliver': () => {
          redelivered = true;
          return delivery({ status: 'pending' });
        },
      },
    });
    const card = await screen.findByRole('region', { name: endpoint.url });
    fireEvent.click(within(card).getByRole('button', { name: 'Deliveries' }));
    const log = await within(card).findByRole('table', { name: `Deliveries to ${endpoint.url}` });
    const [, failed, succeeded] = within(log).getAllByRole('row');
    expect(failed).toHaveTextContent('failed');
    expect(failed).toHaveTextContent('HTTP 500');
    expect(succeeded).toHaveTextContent('succeeded');
    expect(server.calls.find((c) => c.path === '/api/webhooks/deliveries')?.query.get('endpoint_id')).toBe('e1');

    fireEvent.click(within(failed).getByRole('button', { name: 'Redeliver' }));
    await waitFor(() => expect(within(within(log).getAllByRole('row')[1]).getByText('pending')).toBeInTheDocument());
    expect(server.callsTo('POST', '/api/webhooks/deliveries/d1/redeliver')).toHaveLength(1);
    expect(within(within(log).getAllByRole('row')[1]).getByRole('button', { name: 'Redeliver' })).toBeDisabled();
  });

  it('tells staff that only the owner manages webhooks', async () => {
    const { server } = renderApp('/webhooks', { role: 'staff' });
    expect(await screen.findByText('Only the account owner manages webhooks.')).toBeInTheDocument();
    expect(server.callsTo('GET', '/api/webhooks/endpoints')).toHaveLength(0);
  });
});
