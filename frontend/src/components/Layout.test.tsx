import { describe, expect, it } from 'vitest';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { renderApp } from '../test/renderApp';

const routes = { 'GET /api/services': () => ({ items: [], next_cursor: null }), 'GET /api/templates': () => [] };

describe('Layout', () => {
  it('lists the pages in the order owners work through them, Settings last', async () => {
    renderApp('/services', { routes });
    const nav = await screen.findByRole('navigation', { name: 'Main' });
    expect(within(nav).getAllByRole('link').map((a) => a.textContent)).toEqual([
      'Dashboard', 'Inbox', 'Requests', 'Review queue', 'Notifications', 'Services', 'Templates', 'Saved replies', 'Setup', 'Billing', 'Team', 'API keys', 'Webhooks', 'Audit log', 'Settings',
    ].map((label) => expect.stringContaining(label)));
  });

  it('opens the drawer from the menu button and closes it on navigation and on Escape', async () => {
    renderApp('/services', { routes });
    const menu = await screen.findByRole('button', { name: 'Menu' });
    expect(menu.getAttribute('aria-expanded')).toBe('false');
    fireEvent.click(menu);
    expect(menu.getAttribute('aria-expanded')).toBe('true');
    // Log out is inside the drawer, next to the links.
    expect(within(document.getElementById('sidebar')!).getByRole('button', { name: 'Log out' })).toBeInTheDocument();
    fireEvent.click(within(screen.getByRole('navigation', { name: 'Main' })).getByRole('link', { name: 'Templates' }));
    await waitFor(() => expect(menu.getAttribute('aria-expanded')).toBe('false'));

    fireEvent.click(menu);
    fireEvent.keyDown(document, { key: 'Escape' });
    expect(menu.getAttribute('aria-expanded')).toBe('false');
    expect(document.activeElement).toBe(menu);
  });
});
