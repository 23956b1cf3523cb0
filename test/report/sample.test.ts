// End to end from a terminal: `yieldscope run --html` on a real gallery sample, then the report opened in
// headless Chromium. The tracer, the CLI, the codec, the model and the webview all take part; the screenshot
// is the README's (YIELDSCOPE_UPDATE_DOCS=1 copies it to docs/images/report.png).

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Page } from 'playwright-core';
import { DIST, REPO, RESULTS, buildWebview, launchBrowser, watchPage, type Browser, type PageLog } from './browser';

const SAMPLE = join(REPO, 'samples', '08-yield-star');

describe('a gallery sample, recorded by the CLI and shown in Chromium', function () {
  let browser: Browser;
  let page: Page;
  let log: PageLog;
  let dir: string;
  let programOutput: string;

  before(async function () {
    buildWebview();
    dir = mkdtempSync(join(tmpdir(), 'ys-sample-report-'));
    const html = join(dir, 'report.html');
    const run = spawnSync(
      process.execPath,
      [join(DIST, 'cli', 'yieldscope.js'), 'run', '--out', join(dir, 'trace.ystrace'), '--html', html, 'src/main.ts'],
      { cwd: SAMPLE, encoding: 'utf8', env: { ...process.env, YIELDSCOPE_CACHE: join(dir, 'cache') } },
    );
    assert.equal(run.status, 0, run.stderr);
    programOutput = run.stdout;
    const url = pathToFileURL(html).href;
    browser = await launchBrowser();
    page = await browser.context.newPage();
    await page.setViewportSize({ width: 1280, height: 800 });
    log = await watchPage(page, (u) => u === url);
    await page.goto(url);
    await page.waitForSelector('.ys-card');
  });

  after(async function () {
    await browser?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('leaves the program output as it is', () => {
    assert.match(programOutput, /^\[\s+'h', 'e', 'l', 'l',\s+'o'/);
    assert.equal(programOutput.match(/^A got: 1$/gm)?.length, 3);
    assert.equal(programOutput.match(/^B got: 1$/gm)?.length, 2);
    assert.match(programOutput, /gen returned B finished\n$/);
  });

  it("shows the sample's coroutines by name, with how each ended", async () => {
    const cards = await page.$$eval('.ys-card', (els) =>
      els.map((el) => [
        el.querySelector('.co-name')?.textContent ?? '',
        (el.querySelector('.co-state')?.textContent ?? '').replace(/\s+/g, ' ').trim(),
      ]),
    );
    const names = cards.map(([name]) => name).sort();
    assert.deepEqual(names, ['chain2', 'gen', 'internal', 'internal']);
    const states = new Map(cards.map(([name, state]) => [`${name}:${state}`, true]));
    assert.ok(states.has('gen:closed, returned "B finished"'), JSON.stringify(cards));
    assert.ok(states.has('internal:closed, returned "A finished"'), JSON.stringify(cards));
    assert.ok(states.has('internal:closed, returned "B finished"'), JSON.stringify(cards));
  });

  it('lists the recorded events and reports no problem', async () => {
    const header = await page.textContent('.fact-events dd');
    assert.ok(Number(header) > 20, `events in the header: ${header}`);
    assert.equal(await page.locator('.ys-problems li').count(), 0);
    assert.deepEqual(log.errors, []);
    assert.deepEqual(
      log.requests.filter((u) => !u.startsWith('file:') && !u.startsWith('data:')),
      [],
    );
  });

  it('saves the screenshot the README shows', async () => {
    mkdirSync(RESULTS, { recursive: true });
    const shot = join(RESULTS, 'sample-report.png');
    await page.screenshot({ path: shot });
    assert.ok(readFileSync(shot).length > 10_000);
    if (process.env['YIELDSCOPE_UPDATE_DOCS'] === '1') copyFileSync(shot, join(REPO, 'docs', 'images', 'report.png'));
  });
});
