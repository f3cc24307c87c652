import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { renderApp } from '../../test/renderApp';
import { problem } from '../../test/server';
import { setFeatures } from '../../features';
import type { QueueItem, RequestDetail } from '../../api/gen';
import { NO_CONTEXT, describeEvent } from './timeline';
import { requestOut } from '../../test/fixtures';

const detail: RequestDetail = {
  ...requestOut(),
  message_text: 'refill 1111 please',
  reply: null,
  timeline: [],
  facts: { current_count: '1,200' },
  baseline: null,
  service_name: null,
  assignee_name: null,
};
const item = (id: string, customer: string, assignee_id: string | null): QueueItem => ({
  request: { ...detail, id, customer, assignee_id },
  reason: 'needs a person',
  assignee_name: assignee_id ? 'staff@panel.test' : null,
});

let restore: () => void;
beforeEach(() => {
  restore = setFeatures({ requests: true, queue: true, usage: true });
});
afterEach(() => restore());

describe('Queue tools', () => {
  it('shows all, mine or the unassigned items of the queue, kept in the URL', async () => {
    const items = [item('r1', 'alice', null), item('r2', 'bob', 'u-staff')];
    const { server } = renderApp('/queue', {
      role: 'staff',
      routes: {
        'GET /api/queue': (req) => {
          const assignee = req.query.get('assignee');
          return items.filter((i) => !assignee || (assignee === 'me' ? i.request.assignee_id === 'u-staff' : i.request.assignee_id === null));
        },
        'GET /api/queue/count': () => ({ total: 2, escalated: 2, blocked_quota: 0, failed_messages: 0, by_reason: {} }),
        'GET /api/messages': () => ({ items: [], next_cursor: null }),
      },
    });
    const bobRow = (await screen.findByText('bob')).closest('tr') as HTMLElement;
    expect(within(bobRow).getByText('staff@panel.test')).toBeInTheDocument();
    const views = screen.getByRole('group', { name: 'Whose requests' });
    fireEvent.click(within(views).getByRole('button', { name: 'Mine' }));
    expect(await screen.findByText('bob')).toBeInTheDocument();
    expect(screen.queryByText('alice')).not.toBeInTheDocument();
    fireEvent.click(within(views).getByRole('button', { name: 'Unassigned' }));
    expect(await screen.findByText('alice')).toBeInTheDocument();
    await waitFor(() => expect(screen.queryByText('bob')).not.toBeInTheDocument());
    const asked = server.callsTo('GET', '/api/queue').map((c) => c.query.get('assignee'));
    expect(asked.slice(-2)).toEqual(['me', 'unassigned']);
    expect(within(views).getByRole('button', { name: 'Unassigned' }).getAttribute('aria-pressed')).toBe('true');
  });

  it('inserts a saved reply filled with the request’s facts into the manual reply', async () => {
    const { server } = renderApp('/requests', {
      routes: {
        'GET /api/requests': () => ({ items: [{ ...detail, lang: 'en', source: 'ticket' }], next_cursor: null, counts: { escalated: 1 } }),
        'GET /api/requests/r1': () => detail,
        'GET /api/users': () => [],
        'GET /api/saved-replies': () => [
          { id: 's1', title: 'Count', text: '{orders}: {current_count} now.', language: null, created_at: '2025-01-01T00:00:00Z', updated_at: null },
          { id: 's2', title: 'Wait', text: 'Wait {wait}.', language: 'en', created_at: '2025-01-01T00:00:00Z', updated_at: null },
        ],
        'POST /api/saved-replies/s1/preview': () => ({ rendered: 'Order 1111: 1,200 now.', language: 'en' }),
        'POST /api/saved-replies/s2/preview': () => problem(400, 'This request lacks a fact the saved reply needs.', { errors: ["template 'saved_reply' needs {wait}"] }),
      },
    });
    fireEvent.click(await screen.findByRole('button', { name: 'Open request 1111' }));
    const dialog = await screen.findByRole('dialog');
    const picker = await within(dialog).findByRole('combobox', { name: 'Saved replies' });
    await within(picker).findByRole('option', { name: 'Count' });
    fireEvent.change(picker, { target: { value: 's1' } });
    const box = within(dialog).getByLabelText('Reply to the customer by hand') as HTMLTextAreaElement;
    await waitFor(() => expect(box.value).toBe('Order 1111: 1,200 now.'));
    expect(server.callsTo('POST', '/api/saved-replies/s1/preview')[0].body).toEqual({ request_id: 'r1' });

    fireEvent.change(picker, { target: { value: 's2' } });
    expect(await within(dialog).findByText(/needs \{wait\}/)).toBeInTheDocument();
    expect(box.value).toBe('Order 1111: 1,200 now.'); // left as it was
  });

  it('takes, assigns and unassigns the request', async () => {
    let current: RequestDetail = detail;
    const { server } = renderApp('/requests', {
      routes: {
        'GET /api/requests': () => ({ items: [{ ...detail, lang: 'en', source: 'ticket' }], next_cursor: null, counts: { escalated: 1 } }),
        'GET /api/requests/r1': () => current,
        'GET /api/saved-replies': () => [],
        'GET /api/users': () => [
          { id: 'u-owner', email: 'owner@panel.test', role: 'owner', is_active: true, created_at: '2025-01-01T00:00:00Z' },
          { id: 'u-staff', email: 'staff@panel.test', role: 'staff', is_active: true, created_at: '2025-01-01T00:00:00Z' },
        ],
        'POST /api/requests/r1/assign': (req) => {
          const { user_id } = req.body as { user_id: string | null };
          current = { ...current, assignee_id: user_id, assignee_name: user_id === 'u-staff' ? 'staff@panel.test' : user_id ? 'owner@panel.test' : null };
          return current;
        },
      },
    });
    fireEvent.click(await screen.findByRole('button', { name: 'Open request 1111' }));
    const dialog = await screen.findByRole('dialog');
    const control = await within(dialog).findByRole('group', { name: 'Assignee' });
    expect(within(control).getByText('Unassigned')).toBeInTheDocument();
    fireEvent.click(within(control).getByRole('button', { name: 'Take' }));
    expect(await within(control).findByText('Taken by you')).toBeInTheDocument();

    const assignTo = within(control).getByRole('combobox', { name: 'Assign to…' });
    await within(assignTo).findByRole('option', { name: 'staff@panel.test' });
    fireEvent.change(assignTo, { target: { value: 'u-staff' } });
    expect(await within(control).findByText('Taken by staff@panel.test')).toBeInTheDocument();
    fireEvent.click(within(control).getByRole('button', { name: 'Unassign' }));
    expect(await within(control).findByText('Unassigned')).toBeInTheDocument();
    expect(server.callsTo('POST', '/api/requests/r1/assign').map((c) => c.body)).toEqual([
      { user_id: 'u-owner' },
      { user_id: 'u-staff' },
      { user_id: null },
    ]);
  });

  it('tells assignment steps in the timeline by name', () => {
    const by = (kind: string, detail: Record<string, unknown>) => describeEvent({ kind, detail, by_name: 'owner@panel.test' }, NO_CONTEXT);
    expect(by('assigned', { by: 'u1', assignee: 'u1', assignee_name: 'owner@panel.test' })).toBe('Taken by owner@panel.test.');
    expect(by('assigned', { by: 'u1', assignee: 'u2', assignee_name: 'staff@panel.test' })).toBe('owner@panel.test gave it to staff@panel.test.');
    expect(by('unassigned', { by: 'u1', assignee: null })).toBe('owner@panel.test unassigned it.');
  });
});
