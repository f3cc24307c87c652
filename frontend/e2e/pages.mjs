// Every page of the app, found from the main navigation (so pages added later are checked
// too), and the navigation drawer at phone width.
import { until } from './browser.mjs';

const nav = (page) => page.getByRole('navigation', { name: 'Main' });
const menuButton = (page) => page.getByRole('button', { name: /menu|navigation/i });

/** The main navigation can be used now: its first link is shown inside the viewport (a
 * closed drawer may be hidden or just moved off the screen). */
export async function navInView(page) {
  const link = nav(page).getByRole('link').first();
  if (!(await link.isVisible())) return false;
  const box = await link.boundingBox();
  const { width, height } = page.viewportSize();
  return box !== null && box.x >= 0 && box.x + box.width <= width && box.y + box.height > 0 && box.y < height;
}

/** The drawer is all the way closed: nothing of it left on the screen. */
export async function drawerClosed(page) {
  const link = nav(page).getByRole('link').first();
  if (!(await link.isVisible())) return true;
  const box = await link.boundingBox();
  return box === null || box.x + box.width <= 0;
}

/** The paths the main navigation links to (read from the drawer, opened and closed again, when
 * it is folded away). */
async function navPaths(page) {
  const folded = !(await navInView(page));
  if (folded) await openDrawer(page);
  const paths = await nav(page).getByRole('link').evaluateAll((links) => links.map((a) => new URL(a.href).pathname));
  if (folded) {
    await page.keyboard.press('Escape');
    await until('the drawer to close', () => drawerClosed(page));
  }
  return paths;
}

export async function openDrawer(page) {
  await menuButton(page).click();
  await until('the drawer to open', () => navInView(page));
}

/** The page has drawn its data: nothing is still loading. */
export async function settled(page) {
  await page.getByRole('heading', { level: 1 }).first().waitFor();
  await until(`${page.url()} to load`, async () => (await page.locator('[aria-busy="true"]').count()) === 0);
}

export async function checkPublicPages(page, findings) {
  for (const path of ['/login', '/signup']) {
    await page.goto(path);
    await settled(page);
    await findings.check(page, path.slice(1));
  }
}

export async function checkEveryPage(page, findings) {
  await settled(page);
  for (const path of await navPaths(page)) {
    await page.goto(path);
    await settled(page);
    await findings.check(page, path.slice(1).replaceAll('/', '-'));
  }
  await page.goto('/no-such-page');
  await findings.check(page, 'not-found');
}

/** At 390 px the navigation is a drawer: closed at first, it opens, leads to a page and closes. */
export async function useTheDrawer(page) {
  await settled(page);
  if (await navInView(page)) throw new Error('the navigation is not folded away at 390 px');
  const paths = await navPaths(page);
  if (paths.length < 5) throw new Error(`the navigation has only ${paths.length} links`);
  for (const path of paths.slice(1, 4)) {
    await openDrawer(page);
    await nav(page).locator(`a[href="${path}"]`).click();
    await page.waitForURL((url) => url.pathname === path);
    await until('the drawer to close', () => drawerClosed(page));
  }
}
