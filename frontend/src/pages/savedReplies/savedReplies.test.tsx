import { describe, expect, it } from 'vitest';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { renderApp } from '../../test/renderApp';
import { noContent, problem } from '../../test/server';
import type { SavedReplyIn, SavedReplyOut } from '../../api/gen';

const stored = (id: string, body: SavedReplyIn): SavedReplyOut => ({ id, ...body, language: body.language ?? null, created_at: '2025-01-02T10:00:00Z', updated_at: null });

function savedReplyRoutes(initial: SavedReplyOut[]) {
  let replies = [...initial];
  return {
    'GET /api/saved-replies': () => replies,
    'POST /api/saved-replies': (req: { body: unknown }) => {
      const body = req.body as SavedReplyIn;
      if (body.text.includes('{customer_name}')) {
        return problem(400, 'The saved reply has errors.', { errors: ['unknown placeholder {customer_name} (allowed: {orders})'] });
      }
      const created = stored(`s${replies.length + 1}`, body);
      replies = [...replies, created];
      return new Response(JSON.stringify(created), { status: 201, headers: { 'content-type': 'application/json' } });
    },
    'PUT /api/saved-replies/s1': (req: { body: unknown }) => {
      const updated = stored('s1', req.body as SavedReplyIn);
      replies = replies.map((r) => (r.id === 's1' ? updated : r));
      return updated;
    },
    'DELETE /api/saved-replies/s1': () => {
      replies = replies.filter((r) => r.id !== 's1');
      return noContent();
    },
  };
}

describe('Saved replies', () => {
  it('creates a saved reply, showing the server’s placeholder errors first', async () => {
    const { server } = renderApp('/saved-replies', { routes: savedReplyRoutes([]), role: 'staff' });
    expect(await screen.findByText('No saved replies yet.')).toBeInTheDocument();
    fireEvent.click(screen.getByRole('button', { name: 'New saved reply' }));
    const form = screen.getByRole('form', { name: 'New saved reply' });
    fireEvent.change(within(form).getByLabelText('Title'), { target: { value: 'Greeting' } });
    fireEvent.change(within(form).getByLabelText('Text'), { target: { value: 'Hi {customer_name}' } });
    fireEvent.click(within(form).getByRole('button', { name: 'Save' }));
    expect(await within(form).findByText(/unknown placeholder \{customer_name\}/)).toBeInTheDocument();

    fireEvent.change(within(form).getByLabelText('Text'), { target: { value: '{orders}: on its way.' } });
    fireEvent.change(within(form).getByLabelText(/Language/), { target: { value: 'pl' } });
    fireEvent.click(within(form).getByRole('button', { name: 'Save' }));
    const list = await screen.findByRole('list', { name: 'Saved replies' });
    expect(within(list).getByText('{orders}: on its way.')).toBeInTheDocument();
    expect(server.callsTo('POST', '/api/saved-replies').map((c) => c.body)).toEqual([
      { title: 'Greeting', text: 'Hi {customer_name}', language: null },
      { title: 'Greeting', text: '{orders}: on its way.', language: 'pl' },
    ]);
    expect(screen.queryByRole('form')).not.toBeInTheDocument();
  });

  it('edits and deletes a saved reply', async () => {
    const { server } = renderApp('/saved-replies', { routes: savedReplyRoutes([stored('s1', { title: 'Refill', text: 'Soon.', language: null })]) });
    fireEvent.click(await screen.findByRole('button', { name: 'Edit Refill' }));
    const form = screen.getByRole('form', { name: 'Edit saved reply' });
    expect((within(form).getByLabelText('Text') as HTMLTextAreaElement).value).toBe('Soon.');
    fireEvent.change(within(form).getByLabelText('Text'), { target: { value: '{orders}: very soon.' } });
    fireEvent.click(within(form).getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(screen.queryByRole('form')).not.toBeInTheDocument());
    expect(await within(screen.getByRole('list', { name: 'Saved replies' })).findByText('{orders}: very soon.')).toBeInTheDocument();
    expect(server.callsTo('PUT', '/api/saved-replies/s1')[0].body).toEqual({ title: 'Refill', text: '{orders}: very soon.', language: null });

    fireEvent.click(screen.getByRole('button', { name: 'Delete Refill' }));
    expect(await screen.findByText('No saved replies yet.')).toBeInTheDocument();
    await waitFor(() => expect(server.callsTo('DELETE', '/api/saved-replies/s1')).toHaveLength(1));
  });
});
