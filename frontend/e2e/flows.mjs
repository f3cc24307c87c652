// The web app in Chromium against a running SupportAI (the API serving the built app, a
// worker) and the simulator: an owner's first session at 1366 px, then every page at 1366 and
// 390 px checked with axe-core, for overflow, and screenshotted. Run by
// tests/browser/test_web_app.py, which starts the stack:
//   SUPPORTAI_URL=http://… SIM_URL=http://… [SCREENSHOTS=dir] [CHROMIUM=path] node e2e/flows.mjs
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DESKTOP, Findings, PHONE, launchChromium, newContext } from './browser.mjs';
import { buyCredits, connectPanel, createApiKey, logIn, openFromNav, resolveFromQueue, signUp, syncServices, watchMessageArrive } from './owner.mjs';
import { checkEveryPage, checkPublicPages, useTheDrawer } from './pages.mjs';
import { Customer, SimulatedPanel } from './world.mjs';

const apiUrl = process.env.SUPPORTAI_URL;
const panel = new SimulatedPanel(process.env.SIM_URL);
const findings = new Findings(process.env.SCREENSHOTS ?? fileURLToPath(new URL('./screenshots', import.meta.url)));
const email = `owner-${Date.now()}@browser.example`;

/** Runs one step; when it fails, the page as it then was is kept beside the screenshots. */
async function step(page, name, run) {
  const started = Date.now();
  try {
    await run();
  } catch (err) {
    await page.screenshot({ path: join(findings.screenshots, `FAILED-${name.replace(/\W+/g, '-')}.png`), fullPage: true });
    throw new Error(`${name}: ${err.message}`, { cause: err });
  }
  console.log(`ok   ${name} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
}

async function ownerSession(browser) {
  const context = await newContext(browser, DESKTOP);
  const page = await context.newPage();
  const completed = await panel.completedOrder();
  let customer;
  await step(page, 'sign up', () => signUp(page, email));
  await step(page, 'connect the simulated panel', () => connectPanel(page, panel));
  await step(page, 'sync services', () => syncServices(page));
  await step(page, 'create an API key', async () => {
    customer = new Customer(apiUrl, await createApiKey(page), completed.user);
  });
  await step(page, 'a customer message arrives; its request and reply appear live', () => watchMessageArrive(page, customer, completed));
  await findings.check(page, 'conversation');
  const failed = await panel.newOrder(completed, 'Failed');
  await step(page, 'resolve an escalated request from the review queue', () => resolveFromQueue(page, customer, failed));
  await step(page, 'buy credits through the payment stand-in', () => buyCredits(page));
  await context.close();
  return { customer, completed };
}

async function phoneSession(browser, { customer, completed }) {
  const context = await newContext(browser, PHONE);
  const page = await context.newPage();
  await step(page, 'log in at 390 px', () => logIn(page, email));
  await step(page, 'the navigation drawer at 390 px', () => useTheDrawer(page));
  await step(page, 'a conversation and a request opened at 390 px', async () => {
    await openFromNav(page, /Inbox/);
    await page.getByRole('link', { name: /cancel order/ }).first().click();
    await findings.check(page, 'conversation');
    await openFromNav(page, /Requests/);
    await page.getByRole('button', { name: /^Open request/ }).first().click();
    await page.getByRole('dialog').waitFor();
    await findings.check(page, 'request-dialog');
    await page.keyboard.press('Escape');
  });
  const failed = await panel.newOrder(completed, 'Failed');
  await step(page, 'resolve an escalated request at 390 px', () => resolveFromQueue(page, customer, failed));
  await context.close();
}

async function everyPage(browser) {
  for (const viewport of [DESKTOP, PHONE]) {
    const context = await newContext(browser, viewport);
    const page = await context.newPage();
    await step(page, `public pages at ${viewport.width} px`, () => checkPublicPages(page, findings));
    await logIn(page, email);
    await step(page, `every page at ${viewport.width} px`, () => checkEveryPage(page, findings));
    await context.close();
  }
}

const browser = await launchChromium();
let passed = false;
try {
  await phoneSession(browser, await ownerSession(browser));
  await everyPage(browser);
  passed = findings.report();
} catch (err) {
  console.log(`FAILED ${err.stack ?? err}`);
  findings.report();
} finally {
  await browser.close();
}
process.exit(passed ? 0 : 1);
