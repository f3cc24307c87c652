// Chromium and what every page is checked for: axe-core (no serious or critical violation),
// no horizontal overflow of the page body, and a screenshot for review.
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

const require = createRequire(import.meta.url);
const AXE = require.resolve('axe-core/axe.min.js');

export const DESKTOP = { width: 1366, height: 900 };
export const PHONE = { width: 390, height: 844 };
// Generous: the machine running the suite may be loaded; every wait ends as soon as its condition holds.
export const PATIENCE_MS = 60_000;

export async function launchChromium() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
      '--disable-sync', '--no-first-run'],
  });
}

export async function newContext(browser, viewport) {
  const phone = viewport.width < 600;
  const context = await browser.newContext({ baseURL: process.env.SUPPORTAI_URL, viewport, isMobile: phone, hasTouch: phone });
  context.setDefaultTimeout(PATIENCE_MS);
  return context;
}

/** Waits until `check` returns something truthy (re-asked every 250 ms), and returns it. */
export async function until(what, check, timeoutMs = PATIENCE_MS) {
  const deadline = Date.now() + timeoutMs;
  let last;
  for (;;) {
    try {
      const value = await check();
      if (value) return value;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last ? `: ${last.message}` : ''}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** What the checks found, over every page: printed at the end, failing the run if any. */
export class Findings {
  constructor(screenshots) {
    this.screenshots = screenshots;
    this.problems = [];
    mkdirSync(screenshots, { recursive: true });
    // Only this run's pictures: an earlier run's (a failure's among them) would mislead the review.
    for (const old of readdirSync(screenshots).filter((name) => name.endsWith('.png'))) rmSync(join(screenshots, old));
  }

  /** Axe, overflow and a screenshot of the page as it is now, named `name` at its width. */
  async check(page, name) {
    const width = page.viewportSize().width;
    const where = `${name} @ ${width}px`;
    await page.waitForLoadState('networkidle').catch(() => {}); // live pages may never be idle
    await page.screenshot({ path: join(this.screenshots, `${name}-${width}.png`), fullPage: true, animations: 'disabled' });
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    if (overflow > 0) this.problems.push(`${where}: the page is ${overflow}px wider than the viewport`);
    await page.addScriptTag({ path: AXE });
    const violations = await page.evaluate(async () => (await window.axe.run(document)).violations.map((v) => ({
      id: v.id, impact: v.impact, help: v.help, targets: v.nodes.slice(0, 3).map((n) => n.target.join(' ')), count: v.nodes.length,
    })));
    for (const v of violations) {
      console.log(`axe ${where}: ${v.impact} ${v.id} (${v.count}×) ${v.help} — ${v.targets.join(' | ')}`);
      if (v.impact === 'serious' || v.impact === 'critical') this.problems.push(`${where}: ${v.impact} ${v.id} — ${v.help}`);
    }
  }

  report() {
    for (const problem of this.problems) console.log(`PROBLEM ${problem}`);
    return this.problems.length === 0;
  }
}
