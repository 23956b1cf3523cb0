// Sample 01 recorded from a terminal with the heap sampler on (`YIELDSCOPE_HEAP_MS`, as its launch configuration
// sets it), its report opened in headless Chromium: the Heap chart is drawn beside the events from the trace's
// samples, with a text description, and moves with the cursor. A report of a trace without samples has no chart.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Page } from 'playwright-core';
import { decodeTrace } from '../../src/protocol/codec';
import { DIST, REPO, buildWebview, launchBrowser, watchPage, type Browser, type PageLog } from './browser';

const SAMPLE = join(REPO, 'samples', '01-eager-vs-lazy');
const HEAP = /^Heap in use: [\d.]+ MB at [\d.]+ m?s \((\d+) samples?\); lowest [\d.]+ MB, highest ([\d.]+) MB at /;

function record(dir: string, name: string, env: Record<string, string>): { html: string; samples: number } {
  const html = join(dir, `${name}.html`);
  const trace = join(dir, `${name}.ystrace`);
  const run = spawnSync(
    process.execPath,
    [join(DIST, 'cli', 'yieldscope.js'), 'run', '--quiet', '--out', trace, '--html', html, 'src/main.ts'],
    { cwd: SAMPLE, encoding: 'utf8', env: { ...process.env, YIELDSCOPE_CACHE: join(dir, 'cache'), ...env } },
  );
  assert.equal(run.status, 0, run.stderr);
  return { html, samples: decodeTrace(new Uint8Array(readFileSync(trace))).heap?.length ?? 0 };
}

async function description(page: Page): Promise<string> {
  return (await page.textContent('.ys-heap-description')) ?? '';
}

/** Polls the chart's description from here (the page's CSP forbids the eval that waitForFunction may need). */
async function waitForDescription(page: Page, ok: (text: string) => boolean, timeout = 60_000): Promise<string> {
  const until = Date.now() + timeout;
  let text = await description(page);
  while (!ok(text)) {
    if (Date.now() > until) throw new Error(`the heap description still says ${JSON.stringify(text)}`);
    await new Promise((r) => setTimeout(r, 50));
    text = await description(page);
  }
  return text;
}

describe('the Heap chart, in a report of sample 01', function () {
  let browser: Browser;
  let page: Page;
  let log: PageLog;
  let dir: string;
  let recorded: { html: string; samples: number };
  let plain: { html: string; samples: number };

  before(async function () {
    buildWebview();
    dir = mkdtempSync(join(tmpdir(), 'ys-heap-report-'));
    const launch = JSON.parse(readFileSync(join(SAMPLE, '.vscode', 'launch.json'), 'utf8')) as {
      configurations: { type: string; env?: Record<string, string> }[];
    };
    recorded = record(dir, 'heap', launch.configurations.find((c) => c.type === 'yieldscope')?.env ?? {});
    plain = record(dir, 'plain', { YIELDSCOPE_HEAP_MS: '' });
    browser = await launchBrowser();
    page = await browser.context.newPage();
    await page.setViewportSize({ width: 1280, height: 800 });
  });

  after(async function () {
    await browser?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('is drawn beside the events from every sample, described in words, once the trace has loaded', async function () {
    assert.ok(recorded.samples >= 10, `${recorded.samples} samples recorded`);
    const url = pathToFileURL(recorded.html).href;
    log = await watchPage(page, (u) => u === url);
    await page.goto(url);
    await page.waitForSelector('.ys-heap:not(.is-hidden) .ys-heap-line[d^="M"]', { timeout: 60_000 });
    // The report decodes a long trace a slice at a time: wait for the last sample to reach the chart.
    await waitForDescription(page, (text) => text.includes(`(${recorded.samples} samples)`));
    const text = await description(page);
    const match = HEAP.exec(text);
    assert.ok(match, text);
    assert.ok(Number(match[2]) > 16, `the list's peak shows: ${text}`);
    const points = await page.$eval('.ys-heap-line', (el) => (el.getAttribute('d') ?? '').split('L').length);
    assert.equal(points, recorded.samples, 'one point per sample');
    const box = await page.locator('.ys-heap-svg').boundingBox();
    assert.ok(box && box.width > 100 && box.height > 30, `drawn at ${JSON.stringify(box)}`);
    assert.equal(await page.getAttribute('.ys-heap-svg', 'role'), 'img');
    assert.equal(await page.getAttribute('.ys-heap-svg', 'aria-describedby'), 'ys-heap-description');
    const events = await page.locator('.ys-events').boundingBox();
    assert.ok(events && box && box.x >= events.x - 1 && box.x < events.x + events.width, 'in the events column');
    assert.deepEqual(log.errors, []);
  });

  it('shows the series up to the event at the cursor, and dims what comes after it', async function () {
    const atEnd = HEAP.exec(await description(page));
    assert.ok(atEnd);
    // The first event the panel keeps (it keeps the newest 2,000,000 of the sample's 4,000,009; the chart keeps
    // every sample).
    await page.keyboard.press('Home');
    // The seek can take a while under load, and the description may change on the way: wait for the count to drop.
    await waitForDescription(
      page,
      (text) => {
        const m = HEAP.exec(text);
        return m !== null && Number(m[1]) < recorded.samples;
      },
      15_000,
    );
    const atStart = HEAP.exec(await description(page));
    assert.ok(atStart, await description(page));
    assert.ok(Number(atStart[1]) < recorded.samples, `fewer samples up to the first event kept: ${atStart[1]}`);
    assert.ok(Number(atStart[2]) <= Number(atEnd[2]), `${atStart[0]} / ${atEnd[0]}`);
    const cursor = Number(await page.getAttribute('.ys-heap-cursor', 'x1'));
    const future = Number(await page.getAttribute('.ys-heap-future', 'width'));
    assert.ok(cursor > 0 && cursor < 300, `the cursor is inside the chart: ${cursor}`);
    assert.ok(Math.abs(cursor + future - 300) < 0.01, `what comes after the cursor is dimmed: ${future}`);
    await page.keyboard.press('End');
    await waitForDescription(page, (text) => text.includes(`(${recorded.samples} samples)`), 5000);
  });

  it('is not shown for a trace without heap samples', async function () {
    assert.equal(plain.samples, 0);
    const other = await browser.context.newPage();
    await other.goto(pathToFileURL(plain.html).href);
    await other.waitForSelector('.ys-card', { timeout: 60_000 });
    assert.equal(await other.locator('.ys-heap').count(), 1);
    assert.equal(await other.locator('.ys-heap.is-hidden').count(), 1, 'hidden');
    await other.close();
  });
});
