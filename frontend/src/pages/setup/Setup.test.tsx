import { describe, expect, it } from 'vitest';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import type { BotOut, LinkOut, LlmOut, SetupStatus, UserbotOut } from '../../api/gen';
import { renderApp } from '../../test/renderApp';
import { problem, type Handler } from '../../test/server';
import { waitUntil } from './UserbotSection';

const NO_PANEL = { url: null, admin_key_set: false, user_key_set: false, updated_at: null };
const NO_LLM: LlmOut = { url: null, model: null, api_key_set: false };
const LOGGED_OUT: UserbotOut = { phone: null, state: 'needs_login', username: null, flood_wait_until: null, last_error: null };
const BOT: BotOut = {
  id: 'b1',
  username: 'fast_support_bot',
  telegram_id: 4242,
  webhook_url: 'https://supportai.example/telegram/webhook/b1',
  last_update_at: null,
  created_at: '2025-01-01T00:00:00Z',
};

function status(over: Partial<SetupStatus> = {}): SetupStatus {
  return {
    panel_connected: false,
    providers: 0,
    provider_chats: 0,
    customer_bot: null,
    userbot: 'needs_login',
    userbot_login_available: true,
    dispatch_mode: 'bot',
    dispatch_modes: [
      { mode: 'bot', needs: [{ need: 'provider_chat', met: false }, { need: 'customer_bot', met: false }], ready: false },
      { mode: 'userbot', needs: [{ need: 'provider_chat', met: false }, { need: 'userbot', met: false }], ready: false },
      { mode: 'both', needs: [{ need: 'provider_chat', met: false }, { need: 'userbot', met: false }, { need: 'customer_bot', met: false }], ready: false },
    ],
    onboarding_complete: false,
    ...over,
  };
}

/** Every read the Setup page makes, with nothing connected; `routes` replaces any of them. */
function renderSetup(routes: Record<string, Handler> = {}, role: 'owner' | 'staff' = 'owner') {
  return renderApp('/setup', {
    role,
    routes: {
      'GET /api/setup/status': () => status(),
      'GET /api/setup/panel': () => NO_PANEL,
      'GET /api/providers': () => [],
      'GET /api/setup/telegram-bot': () => null,
      'GET /api/telegram/links': () => [],
      'GET /api/setup/userbot': () => LOGGED_OUT,
      'GET /api/setup/llm': () => NO_LLM,
      ...routes,
    },
  });
}

describe('Setup: panel and providers', () => {
  it('saves the panel with both keys and shows connection checks', async () => {
    let panel: object = NO_PANEL;
    const { server } = renderSetup({
      'GET /api/setup/panel': () => panel,
      'PUT /api/setup/panel': (req) =>
        (panel = { url: (req.body as { url: string }).url, admin_key_set: true, user_key_set: true, updated_at: '2025-01-01T00:00:00Z' }),
      'POST /api/setup/panel/test': () => ({
        checks: [
          { name: 'admin API', ok: true, detail: '12 orders visible' },
          { name: 'user API', ok: false, detail: 'HTTP 403' },
        ],
      }),
    });
    const card = within(await screen.findByRole('region', { name: 'Your panel' }));
    fireEvent.change(await card.findByLabelText('Panel URL'), { target: { value: 'https://panel.example.com' } });
    const save = card.getByRole('button', { name: 'Save' });
    expect(save).toBeDisabled();
    fireEvent.change(card.getByLabelText(/Admin API key/), { target: { value: 'admin-secret' } });
    fireEvent.change(card.getByLabelText(/User API key/), { target: { value: 'user-secret' } });
    fireEvent.click(save);
    await waitFor(() => expect(server.callsTo('PUT', '/api/setup/panel')).toHaveLength(1));
    expect(server.callsTo('PUT', '/api/setup/panel')[0].body).toEqual({
      url: 'https://panel.example.com',
      admin_api_key: 'admin-secret',
      user_api_key: 'user-secret',
    });
    // Keys are write-only: the inputs are emptied after saving; the status is read again.
    await waitFor(() => expect(card.getByLabelText(/Admin API key/)).toHaveProperty('value', ''));
    await waitFor(() => expect(server.callsTo('GET', '/api/setup/status').length).toBeGreaterThan(1));
    fireEvent.click(card.getByRole('button', { name: 'Test connection' }));
    const checks = await card.findByRole('list', { name: 'Connection checks' });
    expect(checks).toHaveTextContent('admin API');
    expect(checks).toHaveTextContent('HTTP 403');
  });

  it('adds a Telegram-only provider with a null API URL', async () => {
    const added: object[] = [];
    const { server } = renderSetup({
      'GET /api/providers': () => added,
      'POST /api/providers': (req) => {
        const provider = { id: 'p1', api_key_set: false, created_at: '2025-01-01T00:00:00Z', ...(req.body as object) };
        added.push(provider);
        return provider;
      },
    });
    fireEvent.click(await screen.findByRole('button', { name: 'Add provider' }));
    const dialog = screen.getByRole('dialog');
    fireEvent.change(within(dialog).getByLabelText('Name'), { target: { value: 'TgProvider' } });
    fireEvent.change(within(dialog).getByLabelText('Telegram chat'), { target: { value: '@tgprov' } });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Save' }));
    expect(await screen.findByText('Telegram only')).toBeInTheDocument();
    expect(server.callsTo('POST', '/api/providers')[0].body).toEqual({
      name: 'TgProvider',
      api_url: null,
      telegram_chat: '@tgprov',
      refill_via_api: true,
      cancel_via_api: true,
    });
  });
});

describe('Setup: customer bot and links', () => {
  it('connects the bot with its token, then shows it with the webhook and the last update', async () => {
    let bot: BotOut | null = null;
    const { server } = renderSetup({
      'GET /api/setup/telegram-bot': () => bot,
      'PUT /api/setup/telegram-bot': (req) =>
        (req.body as { token: string }).token === '1:bad'
          ? problem(400, 'Telegram does not accept this bot token.', { field: 'token' })
          : (bot = BOT),
    });
    const card = within(await screen.findByRole('region', { name: 'Customer bot' }));
    fireEvent.change(await card.findByLabelText(/Bot token/), { target: { value: '1:bad' } });
    fireEvent.click(card.getByRole('button', { name: 'Connect bot' }));
    expect(await card.findByText('Telegram does not accept this bot token.')).toBeInTheDocument();

    fireEvent.change(card.getByLabelText(/Bot token/), { target: { value: '4242:AAE-good' } });
    fireEvent.click(card.getByRole('button', { name: 'Connect bot' }));
    expect(await card.findByRole('link', { name: '@fast_support_bot' })).toBeInTheDocument();
    expect(server.callsTo('PUT', '/api/setup/telegram-bot')[1].body).toEqual({ token: '4242:AAE-good' });
    expect(card.getByText('webhook set')).toBeInTheDocument();
    expect(card.getByText(/None yet: write to @fast_support_bot/)).toBeInTheDocument();
    expect(document.body.innerHTML).not.toContain('AAE-good');
  });

  it('shows when the last update arrived', async () => {
    renderSetup({ 'GET /api/setup/telegram-bot': () => ({ ...BOT, last_update_at: '2025-03-04T10:20:00Z' }) });
    const card = within(await screen.findByRole('region', { name: 'Customer bot' }));
    expect(await card.findByText('Last update from Telegram')).toBeInTheDocument();
    expect(card.queryByText(/None yet/)).not.toBeInTheDocument();
    expect(card.getByText(/2025/)).toBeInTheDocument();
  });

  it('lists customer links and revokes one', async () => {
    let links: LinkOut[] = [
      { id: 'l1', telegram_user_id: 901, telegram_username: 'anna', panel_username: 'anna_smm', state: 'linked', linked_at: '2025-01-02T00:00:00Z', created_at: '2025-01-01T00:00:00Z' },
      { id: 'l2', telegram_user_id: 902, telegram_username: null, panel_username: null, state: 'awaiting_code', linked_at: null, created_at: '2025-01-01T00:00:00Z' },
    ];
    const { server } = renderSetup({
      'GET /api/telegram/links': () => links,
      'DELETE /api/telegram/links/l1': () => {
        links = links.map((l) => (l.id === 'l1' ? { ...l, state: 'revoked' } : l));
      },
    });
    const card = within(await screen.findByRole('region', { name: 'Customer links' }));
    expect(await card.findByText('@anna')).toBeInTheDocument();
    expect(card.getByText('user 902')).toBeInTheDocument();
    expect(card.getByText('Code sent to the panel account')).toBeInTheDocument();
    expect(card.getAllByRole('button', { name: 'Revoke' })).toHaveLength(2);

    fireEvent.click(card.getAllByRole('button', { name: 'Revoke' })[0]);
    fireEvent.click(within(screen.getByRole('dialog')).getByRole('button', { name: 'Revoke' }));
    expect(await card.findByText('Revoked')).toBeInTheDocument();
    expect(server.callsTo('DELETE', '/api/telegram/links/l1')).toHaveLength(1);
    expect(card.getAllByRole('button', { name: 'Revoke' })).toHaveLength(1);
  });
});

describe('Setup: userbot login', () => {
  it('goes phone → code → password and shows the connected account', async () => {
    let account: UserbotOut = LOGGED_OUT;
    const { server } = renderSetup({
      'GET /api/setup/userbot': () => account,
      'POST /api/setup/userbot/start': () => (account = { ...account, phone: '+49•••••••89', state: 'code_sent' }),
      'POST /api/setup/userbot/code': (req) =>
        (req.body as { code: string }).code === '11111'
          ? problem(400, 'Telegram did not accept it: The phone code entered was invalid')
          : (account = { ...account, state: 'password_needed' }),
      'POST /api/setup/userbot/password': () => (account = { ...account, state: 'connected', username: 'panel_owner' }),
    });
    const card = within(await screen.findByRole('region', { name: /Your Telegram account/ }));
    fireEvent.change(await card.findByLabelText('Phone number'), { target: { value: '+49 151 2345 6789' } });
    fireEvent.click(card.getByRole('button', { name: 'Send code' }));

    const code = await card.findByLabelText('Login code');
    expect(card.getByText(/Telegram sent it to \+49•••••••89/)).toBeInTheDocument();
    fireEvent.change(code, { target: { value: '11111' } });
    fireEvent.click(card.getByRole('button', { name: 'Log in' }));
    expect(await card.findByText(/phone code entered was invalid/)).toBeInTheDocument();
    fireEvent.change(card.getByLabelText('Login code'), { target: { value: '12345' } });
    fireEvent.click(card.getByRole('button', { name: 'Log in' }));

    fireEvent.change(await card.findByLabelText('Two-step verification password'), { target: { value: 'pony staple' } });
    fireEvent.click(card.getByRole('button', { name: 'Log in' }));
    expect(await card.findByText('@panel_owner')).toBeInTheDocument();
    expect(card.getByText('connected')).toBeInTheDocument();
    expect(server.callsTo('POST', '/api/setup/userbot/start')[0].body).toEqual({ phone: '+49 151 2345 6789' });
    expect(server.callsTo('POST', '/api/setup/userbot/password')[0].body).toEqual({ password: 'pony staple' });
    expect(card.getByRole('button', { name: 'Remove' })).toBeInTheDocument();
  });

  it("says how long Telegram asks to wait, in the server's words", async () => {
    renderSetup({
      'POST /api/setup/userbot/start': () => problem(429, 'Telegram asks to wait 21 minutes before trying again.', {}, { 'Retry-After': '1250' }),
    });
    const card = within(await screen.findByRole('region', { name: /Your Telegram account/ }));
    fireEvent.change(await card.findByLabelText('Phone number'), { target: { value: '+49 151 2345 6789' } });
    fireEvent.click(card.getByRole('button', { name: 'Send code' }));
    const alert = await card.findByRole('alert');
    expect(alert.textContent).toBe('Telegram asks to wait 21 minutes before trying again.');
  });

  it('says when the server cannot log accounts in', async () => {
    renderSetup({ 'GET /api/setup/status': () => status({ userbot_login_available: false }) });
    const card = within(await screen.findByRole('region', { name: /Your Telegram account/ }));
    expect(await card.findByText(/not set up to log in Telegram accounts/)).toBeInTheDocument();
    expect(card.queryByLabelText('Phone number')).not.toBeInTheDocument();
  });

  it('turns a flood wait into the minutes left', () => {
    const now = Date.parse('2025-01-01T10:00:00Z');
    expect(waitUntil('2025-01-01T10:04:30Z', now)).toBe('5 minutes');
    expect(waitUntil('2025-01-01T10:01:00Z', now)).toBe('1 minute');
    expect(waitUntil('2025-01-01T13:00:00Z', now)).toBe('3 hours');
    expect(waitUntil('2025-01-01T09:00:00Z', now)).toBeNull();
  });
});

describe('Setup: LLM endpoint', () => {
  it('saves the endpoint, then tests it and shows how it read the sample', async () => {
    let llm = NO_LLM;
    const { server } = renderSetup({
      'GET /api/setup/llm': () => llm,
      'PUT /api/setup/llm': (req) => (llm = { url: (req.body as { url: string }).url, model: 'gpt-4o-mini', api_key_set: true }),
      'POST /api/setup/llm/test': () => ({ sample: 'order 4410293 dropped 300 followers, please refill', intent: 'refill', order_ids: ['4410293'] }),
    });
    const card = within(await screen.findByRole('region', { name: /LLM endpoint/ }));
    expect(await card.findByRole('button', { name: 'Test' })).toBeDisabled();
    fireEvent.change(await card.findByLabelText('Endpoint URL'), { target: { value: 'https://llm.example.com/v1' } });
    fireEvent.change(card.getByLabelText('Model'), { target: { value: 'gpt-4o-mini' } });
    fireEvent.change(card.getByLabelText(/API key/), { target: { value: 'sk-secret' } });
    fireEvent.click(card.getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(card.getByRole('button', { name: 'Test' })).not.toBeDisabled());
    expect(server.callsTo('PUT', '/api/setup/llm')[0].body).toEqual({ url: 'https://llm.example.com/v1', model: 'gpt-4o-mini', api_key: 'sk-secret' });

    fireEvent.click(card.getByRole('button', { name: 'Test' }));
    expect(await card.findByRole('status')).toHaveTextContent('as Refill for order 4410293');
  });

  it('shows why a test failed', async () => {
    renderSetup({
      'GET /api/setup/llm': () => ({ url: 'https://llm.example.com/v1', model: 'm', api_key_set: true }),
      'POST /api/setup/llm/test': () => problem(502, 'The LLM endpoint did not give a usable answer: no answer within 8 s'),
    });
    const card = within(await screen.findByRole('region', { name: /LLM endpoint/ }));
    fireEvent.click(await card.findByRole('button', { name: 'Test' }));
    expect(await card.findByRole('alert')).toHaveTextContent('no answer within 8 s');
  });
});

describe('Setup: dispatch mode', () => {
  it('shows what each mode needs, and switches the mode', async () => {
    const ready = status({
      provider_chats: 1,
      customer_bot: 'fast_support_bot',
      dispatch_modes: [
        { mode: 'bot', needs: [{ need: 'provider_chat', met: true }, { need: 'customer_bot', met: true }], ready: true },
        { mode: 'userbot', needs: [{ need: 'provider_chat', met: true }, { need: 'userbot', met: false }], ready: false },
        { mode: 'both', needs: [{ need: 'provider_chat', met: true }, { need: 'userbot', met: false }, { need: 'customer_bot', met: true }], ready: false },
      ],
    });
    let current = ready;
    const { server } = renderSetup({
      'GET /api/setup/status': () => current,
      'PATCH /api/tenant/settings': (req) => {
        current = { ...current, ...(req.body as object) };
        return {};
      },
    });
    const card = within(await screen.findByRole('region', { name: 'Provider dispatch' }));
    const bot = (await card.findByLabelText('Telegram bot')).closest('.radio-card') as HTMLElement;
    expect(bot).toHaveTextContent('ready');
    expect(bot).toHaveTextContent('current');
    const userbot = card.getByLabelText('Your Telegram account').closest('.radio-card') as HTMLElement;
    expect(userbot).toHaveTextContent('needs setup');
    expect(within(userbot).getByRole('link', { name: 'Your Telegram account logged in' })).toHaveProperty('hash', '#userbot');
    expect(card.queryByText(/cannot send to providers yet/)).not.toBeInTheDocument();

    const use = card.getByRole('button', { name: 'Use this mode' });
    expect(use).toBeDisabled();
    fireEvent.click(card.getByLabelText('Your Telegram account'));
    fireEvent.click(use);
    await waitFor(() => expect(server.callsTo('PATCH', '/api/tenant/settings')).toHaveLength(1));
    expect(server.callsTo('PATCH', '/api/tenant/settings')[0].body).toEqual({ dispatch_mode: 'userbot' });
    expect(await card.findByText(/cannot send to providers yet/)).toBeInTheDocument();
  });
});

describe('Setup: onboarding checklist', () => {
  it('lists the steps left, linking to their sections', async () => {
    renderSetup({ 'GET /api/setup/status': () => status({ panel_connected: true }) });
    const list = await screen.findByRole('list', { name: 'Setup steps' });
    expect(screen.getByText('1 of 3 steps left before SupportAI answers your customers.')).toBeInTheDocument();
    expect(within(list).getByRole('link', { name: 'Add a provider' })).toHaveProperty('hash', '#providers');
    expect(within(list).queryByRole('link', { name: 'Connect your panel' })).not.toBeInTheDocument();
    expect(list).toHaveTextContent("Your panel's tickets are read");
  });

  it('is gone once the panel, a provider and a channel are connected', async () => {
    renderSetup({ 'GET /api/setup/status': () => status({ panel_connected: true, providers: 1, onboarding_complete: true }) });
    expect(await screen.findByRole('region', { name: 'Provider dispatch' })).toBeInTheDocument();
    expect(screen.queryByRole('list', { name: 'Setup steps' })).not.toBeInTheDocument();
  });
});

describe('Setup for staff', () => {
  it('is the owner’s: staff see a note and nothing is loaded', async () => {
    const { server } = renderSetup({}, 'staff');
    expect(await screen.findByText(/Only the account owner manages/)).toBeInTheDocument();
    expect(server.callsTo('GET', '/api/setup/panel')).toHaveLength(0);
    expect(server.callsTo('GET', '/api/setup/userbot')).toHaveLength(0);
  });
});
