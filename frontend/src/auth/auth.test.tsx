import { describe, expect, it } from 'vitest';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { renderApp } from '../test/renderApp';
import { problem, tokenPair } from '../test/server';

function fillLogin(email: string, password: string) {
  fireEvent.change(screen.getByLabelText('Email'), { target: { value: email } });
  fireEvent.change(screen.getByLabelText('Password'), { target: { value: password } });
  fireEvent.click(screen.getByRole('button', { name: 'Log in' }));
}

describe('login', () => {
  it("shows the problem's detail when the server refuses", async () => {
    const { server, tokens } = renderApp('/login', {
      role: null,
      routes: { 'POST /api/auth/login': () => problem(401, 'Wrong email or password.') },
    });
    fillLogin('owner@panel.test', 'not-the-password');
    expect(await screen.findByRole('alert')).toHaveTextContent('Wrong email or password.');
    expect(server.callsTo('POST', '/api/auth/login')[0].body).toEqual({ email: 'owner@panel.test', password: 'not-the-password' });
    expect(tokens.getRefreshToken()).toBeNull();
    expect(screen.getByRole('heading', { name: 'Log in' })).toBeInTheDocument();
  });

  it('tells a rate-limited user when to try again', async () => {
    renderApp('/login', {
      role: null,
      routes: { 'POST /api/auth/login': () => problem(429, 'Too many attempts.', {}, { 'Retry-After': '30' }) },
    });
    fillLogin('owner@panel.test', 'whatever-password');
    expect(await screen.findByRole('alert')).toHaveTextContent('Too many attempts. Try again in 30 s.');
  });

  it('stores the tokens and opens the dashboard on success', async () => {
    const { tokens } = renderApp('/login', { role: null, routes: { 'POST /api/auth/login': () => tokenPair(5) } });
    fillLogin('owner@panel.test', 'correct-horse-battery');
    expect(await screen.findByRole('heading', { name: 'FastFollowers' })).toBeInTheDocument();
    expect(tokens.getAccessToken()).toBe('access-5');
    expect(tokens.getRefreshToken()).toBe('refresh-5');
    expect(await screen.findByText('All systems running')).toBeInTheDocument();
  });
});

describe('logout', () => {
  it("forgets the account's cached answers, so the next sign-in reads afresh", async () => {
    const key = (name: string) => ({ id: name, name, prefix: 'sk_x', scopes: [], created_at: '2025-01-01T00:00:00Z', last_used_at: null, revoked_at: null });
    const { server } = renderApp('/api-keys', {
      routes: {
        'GET /api/api-keys': (req) => [key(req.headers.authorization === 'Bearer access-2' ? 'Second account key' : 'First account key')],
        'POST /api/auth/login': () => tokenPair(2),
      },
    });
    expect(await screen.findByText('First account key')).toBeInTheDocument();
    fireEvent.click(screen.getByRole('button', { name: 'Log out' }));
    await screen.findByRole('heading', { name: 'Log in' });
    fillLogin('other@panel.test', 'correct-horse-battery');
    fireEvent.click(await within(await screen.findByRole('navigation', { name: 'Main' })).findByRole('link', { name: 'API keys' }));
    expect(await screen.findByText('Second account key')).toBeInTheDocument();
    expect(screen.queryByText('First account key')).not.toBeInTheDocument();
    expect(server.callsTo('GET', '/api/api-keys')).toHaveLength(2);
  });
});

describe('signup', () => {
  it('checks the password length before calling the server', async () => {
    const { server } = renderApp('/signup', { role: null, routes: { 'POST /api/auth/signup': () => tokenPair(1) } });
    fireEvent.change(screen.getByLabelText('Panel name'), { target: { value: 'My Panel' } });
    fireEvent.change(screen.getByLabelText('Email'), { target: { value: 'me@panel.test' } });
    fireEvent.change(screen.getByLabelText('Password'), { target: { value: 'short' } });
    fireEvent.click(screen.getByRole('button', { name: 'Create account' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('at least 10 characters');
    expect(server.callsTo('POST', '/api/auth/signup')).toHaveLength(0);
  });

  it('shows field errors from a validation problem under the field', async () => {
    renderApp('/signup', {
      role: null,
      routes: {
        'POST /api/auth/signup': () =>
          problem(400, 'Validation failed', { errors: [{ key: 'email', message: 'Expected a valid email address', source: 'body' }] }),
      },
    });
    fireEvent.change(screen.getByLabelText('Panel name'), { target: { value: 'My Panel' } });
    fireEvent.change(screen.getByLabelText('Email'), { target: { value: 'me@panel' } });
    fireEvent.change(screen.getByLabelText('Password'), { target: { value: 'long-enough-password' } });
    fireEvent.click(screen.getByRole('button', { name: 'Create account' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('Validation failed');
    // Shown once, under the email input (not repeated in the summary box).
    const message = screen.getByText('Expected a valid email address');
    expect(message.closest('.field')?.contains(screen.getByLabelText('Email'))).toBe(true);
  });
});

describe('session', () => {
  it('sends a signed-out visitor to the login page', async () => {
    renderApp('/services', { role: null });
    expect(await screen.findByRole('heading', { name: 'Log in' })).toBeInTheDocument();
  });

  it('returns to login when the session cannot be refreshed', async () => {
    renderApp('/dashboard', {
      routes: {
        'GET /api/auth/me': () => problem(401, 'expired'),
        'POST /api/auth/refresh': () => problem(401, 'revoked'),
      },
    });
    expect(await screen.findByRole('heading', { name: 'Log in' })).toBeInTheDocument();
  });

  it('accepts an invitation and signs the new staff member in', async () => {
    const { server } = renderApp('/accept-invitation?token=inv-123', {
      role: null,
      routes: {
        'POST /api/auth/accept-invitation': () => tokenPair(3),
        'GET /api/auth/me': () => ({ kind: 'user', id: 'u2', tenant_id: 't1', tenant_name: 'FastFollowers', role: 'staff', email: 's@x.y', scopes: [] }),
      },
    });
    fireEvent.change(screen.getByLabelText('Password'), { target: { value: 'a-good-password' } });
    fireEvent.change(screen.getByLabelText('Repeat password'), { target: { value: 'a-good-password' } });
    fireEvent.click(screen.getByRole('button', { name: 'Accept invitation' }));
    await waitFor(() => expect(server.callsTo('POST', '/api/auth/accept-invitation')[0]?.body).toEqual({ token: 'inv-123', password: 'a-good-password' }));
    expect(await screen.findByRole('heading', { name: 'FastFollowers' })).toBeInTheDocument();
    // Staff do not see owner-only navigation.
    expect(screen.queryByRole('link', { name: /Team/ })).not.toBeInTheDocument();
    expect(screen.queryByRole('link', { name: /Audit log/ })).not.toBeInTheDocument();
    expect(screen.queryByRole('link', { name: /^Setup$/ })).not.toBeInTheDocument();
    expect(screen.queryByRole('link', { name: /API keys/ })).not.toBeInTheDocument();
    expect(within(screen.getByRole('navigation', { name: 'Main' })).getByRole('link', { name: /Services/ })).toBeInTheDocument();
  });
});
