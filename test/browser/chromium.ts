import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

/** Debian's Chromium (apt-get install chromium); Playwright never downloads a browser here. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export interface Browser {
  context: BrowserContext;
  /** A new tab (its own sessionStorage) that records page errors and CSP violations. */
  page(): Promise<Page & { problems: string[] }>;
  /** Runs `fn` on a new tab; on failure saves a screenshot to a temp dir and prints its path. */
  withPage(name: string, fn: (page: Page & { problems: string[] }) => Promise<void>): Promise<void>;
  close(): Promise<void>;
}

/** Headless Chromium with a fresh profile, every wait bounded. */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`no Chromium at ${CHROMIUM}: apt-get install -y chromium (or set CHROMIUM_PATH)`);
  const profile = mkdtempSync(path.join(tmpdir(), 'herald-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ARGS,
    viewport: { width: 1280, height: 800 },
    timeout: 30_000,
  });
  context.setDefaultTimeout(10_000);
  context.setDefaultNavigationTimeout(15_000);

  const page = async () => {
    const tab = Object.assign(await context.newPage(), { problems: [] as string[] });
    tab.on('pageerror', (err) => tab.problems.push(`page error: ${err.message}`));
    tab.on('console', (msg) => {
      if (msg.type() === 'error' && /Content Security Policy|Refused to/i.test(msg.text())) tab.problems.push(`CSP: ${msg.text()}`);
    });
    return tab;
  };

  return {
    context,
    page,
    async withPage(name, fn) {
      const tab = await page();
      try {
        await fn(tab);
      } catch (err) {
        const file = path.join(mkdtempSync(path.join(tmpdir(), 'herald-console-failure-')), `${name.replace(/[^a-z0-9-]+/gi, '-')}.png`);
        await tab.screenshot({ path: file, fullPage: true, timeout: 5_000 }).then(
          () => console.error(`# screenshot of the failure: ${file}`),
          (shotErr: unknown) => console.error(`# no screenshot: ${String(shotErr)}`),
        );
        throw err;
      } finally {
        await tab.close();
      }
    },
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
