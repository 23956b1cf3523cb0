// Helpers for the browser tests: build the webview bundle, start Debian's Chromium headless with a fresh
// profile (so it does not try to reach the network), and collect what a page logs and requests.

import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

export const REPO = resolve(__dirname, '..', '..');
export const DIST = join(REPO, 'dist');
export const RESULTS = join(REPO, 'test-results');
const CHROMIUM = '/usr/bin/chromium';

/**
 * Runs `node esbuild.js` and checks that the webview bundle was written by it. Other bundles may fail while
 * their code is being written; this test needs only the webview.
 */
export function buildWebview(): void {
  const started = Date.now();
  const run = spawnSync(process.execPath, ['esbuild.js'], { cwd: REPO, encoding: 'utf8' });
  for (const file of ['main.js', 'main.css']) {
    const path = join(DIST, 'webview', file);
    if (!existsSync(path) || statSync(path).mtimeMs < started - 2000) {
      throw new Error(`node esbuild.js did not write dist/webview/${file}:\n${run.stdout}${run.stderr}`);
    }
  }
}

export interface Browser {
  readonly context: BrowserContext;
  close(): Promise<void>;
}

export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium`);
  const profile = mkdtempSync(join(tmpdir(), 'yieldscope-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
    viewport: { width: 1280, height: 800 },
    deviceScaleFactor: 1,
    colorScheme: 'light',
  });
  return {
    context,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

export interface Served {
  /** http://127.0.0.1:<port>/<name> */
  readonly url: string;
  close(): Promise<void>;
}

/**
 * Serves one HTML page over http on a free local port. For pages that must keep sessionStorage across
 * page.reload(): Chromium gives a file:// page an opaque origin, and the reloaded document sometimes gets an
 * empty sessionStorage (the value is back on the reload after), so a test that relies on it fails now and then.
 */
export async function serveHtml(name: string, html: string): Promise<Served> {
  const path = `/${encodeURIComponent(name)}`;
  const server = createServer((req, res) => {
    if (req.method !== 'GET' || req.url !== path) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' }).end(html);
  });
  await new Promise<void>((done, fail) => {
    server.once('error', fail);
    server.listen(0, '127.0.0.1', done);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}${path}`,
    close: () =>
      new Promise<void>((done) => {
        server.close(() => done());
        server.closeAllConnections();
      }),
  };
}

export interface PageLog {
  /** Console errors and uncaught exceptions. */
  readonly errors: string[];
  readonly warnings: string[];
  /** Every URL the page asked for. */
  readonly requests: string[];
}

/** Records console output and requests; aborts any request other than `allowed` and data: URLs. */
export async function watchPage(page: Page, allowed: (url: string) => boolean): Promise<PageLog> {
  const log: PageLog = { errors: [], warnings: [], requests: [] };
  page.on('console', (m) => {
    if (m.type() === 'error') log.errors.push(m.text());
    if (m.type() === 'warning') log.warnings.push(m.text());
  });
  page.on('pageerror', (e) => log.errors.push(String(e)));
  page.on('request', (r) => log.requests.push(r.url()));
  await page.route('**/*', (route) => {
    const url = route.request().url();
    return url.startsWith('data:') || allowed(url) ? route.continue() : route.abort();
  });
  return log;
}

/** `data-co` of the focused card, if a card has focus. */
export async function focusedCard(page: Page): Promise<string | undefined> {
  // A string, not a function: the tests' tsconfig has no DOM types.
  return page.evaluate<string | undefined>('document.activeElement?.closest(".ys-card")?.dataset.co');
}

/** A computed style property of the first element `selector` matches. */
export async function computedStyle(page: Page, selector: string, property: string): Promise<string> {
  return page.$eval(
    selector,
    (el, p) => el.ownerDocument.defaultView!.getComputedStyle(el).getPropertyValue(p),
    property,
  );
}

/** Waits until `selector` matches exactly `count` elements (the app draws on the next animation frame). */
export async function waitForCount(page: Page, selector: string, count: number, timeout = 5000): Promise<void> {
  // Polled from here: the page's CSP forbids the eval that a string predicate in waitForFunction needs.
  const until = Date.now() + timeout;
  let seen = await page.locator(selector).count();
  while (seen !== count) {
    if (Date.now() > until) throw new Error(`expected ${count} × ${selector}, found ${seen}`);
    await new Promise((r) => setTimeout(r, 20));
    seen = await page.locator(selector).count();
  }
}

/** Waits until the first element `selector` matches has exactly `text` as its text. */
export async function waitForText(page: Page, selector: string, text: string, timeout = 5000): Promise<void> {
  const until = Date.now() + timeout;
  let seen = await page.locator(selector).first().textContent();
  while (seen !== text) {
    if (Date.now() > until)
      throw new Error(`expected ${selector} to say ${JSON.stringify(text)}, it says ${JSON.stringify(seen)}`);
    await new Promise((r) => setTimeout(r, 20));
    seen = await page.locator(selector).first().textContent();
  }
}
