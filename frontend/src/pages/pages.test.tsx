import { describe, expect, it } from 'vitest';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { renderApp } from '../test/renderApp';
import { problem } from '../test/server';
import type { SettingsOut } from '../api/gen';
import { settingsPatch } from './Settings';

const SETTINGS: SettingsOut = {
  tolerance: null,
  refill_partial: true,
  lifetime_cap_days: 365,
  reply_in_customer_language: false,
  dispatch_mode: 'bot',
  dispatch_window_s: 60,
  follow_up_hours: 24,
  max_follow_ups: 3,
  tracking_interval_hours: 6,
  repeat_cooldown_hours: 24,
  silent_mode: false,
  sla_person_minutes: 240,
  sla_provider_minutes: null,
  ticket_poll_interval_s: 120,
  panel_requests_per_s: 5,
  owner_telegram_chat_id: null,
  count_source_url: null,
};

describe('Settings', () => {
  it('sends only what changed, with blanks clearing nullable fields', async () => {
    const { server } = renderApp('/settings', {
      routes: {
        'GET /api/tenant': () => ({ id: 't1', name: 'FastFollowers' }),
        'GET /api/tenant/settings': () => SETTINGS,
        'PATCH /api/tenant/settings': (req) => ({ ...SETTINGS, ...(req.body as object) }),
      },
    });
    fireEvent.change(await screen.findByLabelText('Drop tolerance'), { target: { value: '5' } });
    fireEvent.change(screen.getByLabelText('Lifetime cap (days)'), { target: { value: '' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save settings' }));
    await waitFor(() => expect(server.callsTo('PATCH', '/api/tenant/settings')).toHaveLength(1));
    expect(server.callsTo('PATCH', '/api/tenant/settings')[0].body).toEqual({ tolerance: 5, lifetime_cap_days: null });
  });

  it('shows a server field error under its input', async () => {
    renderApp('/settings', {
      routes: {
        'GET /api/tenant': () => ({ id: 't1', name: 'FastFollowers' }),
        'GET /api/tenant/settings': () => SETTINGS,
        'PATCH /api/tenant/settings': () =>
          problem(400, 'Validation failed for PATCH /api/tenant/settings', {
            errors: [{ key: 'ticket_poll_interval_s', message: 'Expected `int` >= 30', source: 'body' }],
          }),
      },
    });
    fireEvent.change(await screen.findByLabelText('Ticket polling (seconds)'), { target: { value: '5' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save settings' }));
    expect(await screen.findByText('Expected `int` >= 30')).toBeInTheDocument();
    expect(screen.getByText('Expected `int` >= 30').closest('.field')?.contains(screen.getByLabelText('Ticket polling (seconds)'))).toBe(true);
  });

  it('rejects fractions for whole-number settings before sending', () => {
    const form = {
      tolerance: '',
      lifetime_cap_days: '365',
      dispatch_window_s: '60',
      follow_up_hours: '1.5',
      max_follow_ups: '3',
      tracking_interval_hours: '6',
      ticket_poll_interval_s: '120',
      panel_requests_per_s: '2.5',
      repeat_cooldown_hours: '24',
      sla_person_minutes: '240',
      sla_provider_minutes: '',
      refill_partial: true,
      reply_in_customer_language: false,
      silent_mode: false,
      owner_telegram_chat_id: '',
      count_source_url: '',
    };
    expect(settingsPatch(SETTINGS, form)).toBe('Follow up after (hours) must be a whole number.');
    expect(settingsPatch(SETTINGS, { ...form, follow_up_hours: '24' })).toEqual({ panel_requests_per_s: 2.5 });
    expect(settingsPatch(SETTINGS, { ...form, follow_up_hours: '24', panel_requests_per_s: '5', sla_person_minutes: '', silent_mode: true })).toEqual({
      sla_person_minutes: null,
      silent_mode: true,
    });
  });

  it('is read-only for staff', async () => {
    renderApp('/settings', {
      role: 'staff',
      routes: { 'GET /api/tenant': () => ({ id: 't1', name: 'FastFollowers' }), 'GET /api/tenant/settings': () => SETTINGS },
    });
    expect(await screen.findByLabelText('Drop tolerance')).toBeDisabled();
    expect(screen.queryByRole('button', { name: 'Save settings' })).not.toBeInTheDocument();
  });
});

describe('Team', () => {
  it('shows the invitation link once', async () => {
    const { server } = renderApp('/team', {
      routes: {
        'GET /api/users': () => [{ id: 'u-owner', email: 'owner@panel.test', role: 'owner', is_active: true, created_at: '2025-01-01T00:00:00Z' }],
        'POST /api/users/invitations': () => ({ id: 'i1', email: 'new@panel.test', role: 'staff', expires_at: '2025-01-08T00:00:00Z', token: 'tok-xyz' }),
      },
    });
    fireEvent.change(await screen.findByLabelText('Email'), { target: { value: 'new@panel.test' } });
    fireEvent.click(screen.getByRole('button', { name: 'Create invitation' }));
    const dialog = await screen.findByRole('dialog');
    expect(within(dialog).getByLabelText('New invitation link')).toHaveProperty('value', `${window.location.origin}/accept-invitation?token=tok-xyz`);
    expect(server.callsTo('POST', '/api/users/invitations')[0].body).toEqual({ email: 'new@panel.test' });
    fireEvent.click(within(dialog).getByRole('button', { name: "I've saved it" }));
    expect(document.body.innerHTML).not.toContain('tok-xyz');
  });

  it('is not available to staff', async () => {
    const { server } = renderApp('/team', { role: 'staff' });
    expect(await screen.findByText('Only the account owner manages the team.')).toBeInTheDocument();
    expect(server.callsTo('GET', '/api/users')).toHaveLength(0);
  });
});

describe('Audit log', () => {
  const entry = (id: string, action: string) => ({
    id,
    created_at: '2025-01-01T10:00:00Z',
    actor_id: 'u-owner',
    actor_kind: 'user',
    action,
    target: 'x',
    detail: { name: 'Widget' },
    ip: '203.0.113.9',
  });

  it('pages with the cursor, filters by action and names actors', async () => {
    const { server } = renderApp('/audit', {
      routes: {
        'GET /api/users': () => [{ id: 'u-owner', email: 'owner@panel.test', role: 'owner', is_active: true, created_at: '2025-01-01T00:00:00Z' }],
        'GET /api/audit': (req) =>
          req.query.get('cursor') === 'next-1'
            ? { items: [entry('a2', 'user.invited')], next_cursor: null }
            : { items: [entry('a1', req.query.get('action') || 'api_key.created')], next_cursor: 'next-1' },
      },
    });
    expect(await screen.findByText('api_key.created')).toBeInTheDocument();
    expect(await screen.findAllByText('owner@panel.test')).not.toHaveLength(0);
    fireEvent.click(screen.getByRole('button', { name: 'Load more' }));
    expect(await screen.findByText('user.invited')).toBeInTheDocument();
    expect(screen.getByText('api_key.created')).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Load more' })).not.toBeInTheDocument();

    fireEvent.change(screen.getByLabelText('Action'), { target: { value: 'tenant.signup' } });
    fireEvent.click(screen.getByRole('button', { name: 'Filter' }));
    expect(await screen.findByText('tenant.signup')).toBeInTheDocument();
    const calls = server.callsTo('GET', '/api/audit');
    expect(calls[calls.length - 1].query.get('action')).toBe('tenant.signup');
    expect(calls[calls.length - 1].query.has('cursor')).toBe(false);
  });
});
