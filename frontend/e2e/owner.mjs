// An owner's first session, step by step, as they would click through it. Each step finds
// controls by role, label and visible text, and waits for what the owner would wait for.
import { until } from './browser.mjs';
import { drawerClosed, navInView, openDrawer, settled } from './pages.mjs';

export const PASSWORD = 'a long browser password';

export async function signUp(page, email) {
  await page.goto('/signup');
  await page.getByLabel('Panel name').fill('Browser Panel');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
  await page.getByRole('button', { name: 'Create account' }).click();
  await page.waitForURL((url) => !url.pathname.startsWith('/signup'));
}

export async function logIn(page, email) {
  await page.goto('/login');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
  await page.getByRole('button', { name: /^Log in/ }).click();
  await page.waitForURL((url) => !url.pathname.startsWith('/login'));
}

/** Opens a page from the main navigation, as a click (the app stays loaded). */
export async function openFromNav(page, name) {
  const folded = !(await navInView(page));
  if (folded) await openDrawer(page);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name }).first().click();
  if (folded) await until('the drawer to close', () => drawerClosed(page));
}

export async function connectPanel(page, panel) {
  const { panel: keys } = await panel.info();
  await page.goto('/setup');
  const form = page.locator('form', { has: page.getByLabel('Panel URL') });
  await form.getByLabel('Panel URL').fill(panel.url);
  await form.getByLabel('Admin API key').fill(keys.admin_key);
  await form.getByLabel('User API key').fill(keys.user_key);
  await form.getByRole('button', { name: 'Save' }).click();
  await page.getByRole('status').filter({ hasText: /saved/i }).first().waitFor();
  await form.getByRole('button', { name: 'Test connection' }).click();
  const checks = page.getByRole('list', { name: 'Connection checks' });
  await checks.waitFor();
  const failed = await checks.getByText('failed').count();
  if (failed) throw new Error(`the panel's connection checks failed: ${await checks.innerText()}`);
}

export async function syncServices(page) {
  await openFromNav(page, /Services/);
  await page.getByRole('button', { name: /Sync/ }).click();
  await page.getByRole('status').filter({ hasText: /Sync/ }).waitFor();
  // The sync is a worker job: the catalogue shows the panel's services once it is done (the
  // page says to reload, unless it refreshes by itself).
  await until('the synced services to show', async () => {
    await settled(page);
    if ((await page.getByRole('row').count()) > 1) return true;
    await page.reload();
    return false;
  });
}

/** Creates an API key that writes and reads messages; returns the key, shown once. */
export async function createApiKey(page) {
  await openFromNav(page, 'API keys');
  await page.getByRole('button', { name: 'Create API key' }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByLabel('Name').fill('browser test');
  await dialog.getByRole('checkbox', { name: /messages:read/ }).check();
  await dialog.getByRole('button', { name: 'Create key' }).click();
  const key = await page.getByLabel('New API key').inputValue();
  await page.getByRole('dialog').getByRole('button', { name: /saved it|Done/ }).click();
  return key;
}

/** The customer writes while the owner watches the inbox: the message and its request show up
 * without a reload, and the conversation shows the reply. */
export async function watchMessageArrive(page, customer, order) {
  await openFromNav(page, /Inbox/);
  let loads = 0;
  const loaded = () => { loads += 1; };
  page.on('load', loaded);
  const text = `cancel order ${order.id} please, I ordered the wrong thing`;
  const id = await customer.write(text);
  const row = page.getByRole('row').filter({ hasText: text });
  // The request made from it: the order on its own (the message's text names it too).
  await row.getByText(String(order.id), { exact: true }).first().waitFor();
  const reply = await until('the reply', async () => (await customer.message(id)).reply);
  await row.getByRole('link', { name: text }).click();
  await page.getByText(reply.slice(0, 40)).first().waitFor();
  page.off('load', loaded);
  if (loads > 0) throw new Error('the page was reloaded: the message did not appear live');
}

/** The customer asks for a refill of a failed order: a person must look, so it waits in the
 * review queue, where the owner resolves it. At phone width the queue's rows are cards. */
export async function resolveFromQueue(page, customer, order) {
  await customer.write(`refill ${order.id} please, the followers never came`);
  await openFromNav(page, /Review queue|Queue/);
  const row = page.locator('tr', { hasText: String(order.id) });
  await row.getByRole('button', { name: /Open/ }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByRole('button', { name: /resolved/i }).click();
  await row.waitFor({ state: 'detached' });
  await dialog.getByRole('button', { name: 'Close', exact: true }).click();
}

/** Buys the smallest credit pack on the payment stand-in's page; the credits show once paid. */
export async function buyCredits(page) {
  await openFromNav(page, /Billing/);
  await page.getByRole('button', { name: /^Buy / }).first().click();
  const [payment] = await Promise.all([
    page.context().waitForEvent('page'),
    page.getByRole('link', { name: /pay on the payment page/i }).click(),
  ]);
  await payment.getByRole('button', { name: 'Paid' }).click();
  await payment.getByText(/Statuses sent: .*paid/).waitFor();
  await payment.close();
  await page.reload();
  await page.getByText('Credits bought').first().waitFor();
}
