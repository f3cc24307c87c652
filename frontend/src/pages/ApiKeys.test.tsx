import { describe, expect, it, vi } from 'vitest';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { renderApp } from '../test/renderApp';
import { problem } from '../test/server';

const existing = {
  id: 'k1',
  name: 'Old integration',
  prefix: 'sk_live_ab',
  scopes: ['requests:read'],
  created_at: '2025-01-01T10:00:00Z',
  last_used_at: null,
  revoked_at: null,
};
const SECRET = 'sk_live_cd_4f9b2c1e8a7d6f5e4d3c2b1a';

describe('API keys', () => {
  it('shows a new key once, with a warning and a copy button, then only its prefix', async () => {
    const writeText = vi.fn().mockResolvedValue(undefined);
    Object.defineProperty(navigator, 'clipboard', { value: { writeText }, configurable: true });
    const stored = [existing];
    const { server } = renderApp('/api-keys', {
      routes: {
        'GET /api/api-keys': () => stored,
        'POST /api/api-keys': (req) => {
          const { name, scopes } = req.body as { name: string; scopes: string[] };
          const key = { id: 'k2', name, prefix: 'sk_live_cd', scopes, created_at: '2025-02-01T10:00:00Z', last_used_at: null, revoked_at: null };
          stored.unshift(key);
          return { ...key, key: SECRET };
        },
      },
    });
    expect(await screen.findByText('Old integration')).toBeInTheDocument();

    fireEvent.click(screen.getByRole('button', { name: 'Create API key' }));
    const form = screen.getByRole('dialog');
    fireEvent.change(within(form).getByLabelText('Name'), { target: { value: 'Chat widget' } });
    fireEvent.click(within(form).getByLabelText(/messages:read/));
    fireEvent.click(within(form).getByRole('button', { name: 'Create key' }));

    const shown = await screen.findByRole('dialog', { name: /Chat widget/ });
    expect(within(shown).getByLabelText('New API key')).toHaveProperty('value', SECRET);
    expect(within(shown).getByRole('note')).toHaveTextContent('only time');
    expect(server.callsTo('POST', '/api/api-keys')[0].body).toEqual({ name: 'Chat widget', scopes: ['messages:write', 'messages:read'] });

    fireEvent.click(within(shown).getByRole('button', { name: 'Copy' }));
    await waitFor(() => expect(writeText).toHaveBeenCalledWith(SECRET));
    expect(await within(shown).findByRole('button', { name: 'Copied' })).toBeInTheDocument();

    fireEvent.click(within(shown).getByRole('button', { name: 'Done' }));
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
    expect(document.body.innerHTML).not.toContain(SECRET);
    expect(screen.getByText('sk_live_cd…')).toBeInTheDocument();
    expect(screen.getByText('Chat widget')).toBeInTheDocument();
  });

  it('shows the problem detail when creation fails and keeps the form', async () => {
    renderApp('/api-keys', {
      routes: {
        'GET /api/api-keys': () => [],
        'POST /api/api-keys': () => problem(400, 'Validation failed', { errors: [{ key: 'name', message: 'Name is too long' }] }),
      },
    });
    fireEvent.click(await screen.findByRole('button', { name: 'Create API key' }));
    const form = screen.getByRole('dialog');
    fireEvent.change(within(form).getByLabelText('Name'), { target: { value: 'x'.repeat(300) } });
    fireEvent.click(within(form).getByRole('button', { name: 'Create key' }));
    expect(await within(form).findByRole('alert')).toHaveTextContent('Validation failed');
    expect(within(form).getByText('Name is too long').closest('.field')?.contains(within(form).getByLabelText('Name'))).toBe(true);
  });

  it('lets the owner revoke after confirming; staff cannot', async () => {
    let revokedAt: string | null = null;
    const { server } = renderApp('/api-keys', {
      routes: {
        'GET /api/api-keys': () => [{ ...existing, revoked_at: revokedAt }],
        'DELETE /api/api-keys/k1': () => {
          revokedAt = '2025-02-02T10:00:00Z';
        },
      },
    });
    fireEvent.click(await screen.findByRole('button', { name: 'Revoke' }));
    fireEvent.click(within(screen.getByRole('dialog')).getByRole('button', { name: 'Revoke' }));
    expect(await screen.findByText('revoked')).toBeInTheDocument();
    expect(server.callsTo('DELETE', '/api/api-keys/k1')).toHaveLength(1);
  });

  it('is owner-only: staff see a notice and nothing is fetched', async () => {
    const { server } = renderApp('/api-keys', { role: 'staff', routes: { 'GET /api/api-keys': () => [existing] } });
    expect(await screen.findByText('Only the account owner manages API keys.')).toBeInTheDocument();
    expect(screen.queryByText('Old integration')).not.toBeInTheDocument();
    expect(server.callsTo('GET', '/api/api-keys')).toHaveLength(0);
    expect(screen.queryByRole('link', { name: /API keys/ })).not.toBeInTheDocument();
  });
});
