// Crafted trace files in the real view, in Chromium: the standalone report (the same bundle and document shell
// as the VS Code panel, under the same kind of Content Security Policy) opens a trace whose every string is
// markup or script, and traces that are empty, random, from a future version or cut short. Nothing of theirs may
// run, every string must show as text, and a damaged trace shows a plain problem, never a blank page or an
// error. Reuses the browser helpers of test/report.

import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Page } from 'playwright-core';
import { loadWebviewAssets, renderReport, type WebviewAssets } from '../../src/cli/report';
import { DIST, buildWebview, launchBrowser, watchPage, type Browser } from '../report/browser';
import { MARKUP, markupTraceBytes, withHeaderText } from './crafted';
import { cleanupFaultScratch, faultScratch } from './run';

/** What a page shows once it has drawn the trace: the status line, the problems and all its text. */
interface Shown {
  readonly status: string;
  readonly problems: string[];
  readonly text: string;
  readonly pwned: unknown;
  /** Elements and attributes that could run script or load something, if any appeared. */
  readonly dangerous: string[];
  readonly scripts: number;
}

async function open(
  browser: Browser,
  name: string,
  bytes: Uint8Array,
  assets: WebviewAssets,
): Promise<Shown & { errors: string[]; requests: string[] }> {
  const file = join(faultScratch(), `${name}.html`);
  mkdirSync(faultScratch(), { recursive: true });
  writeFileSync(file, renderReport(bytes, MARKUP[0]!, assets));
  const url = pathToFileURL(file).href;
  const page: Page = await browser.context.newPage();
  const log = await watchPage(page, (u) => u === url);
  await page.goto(url);
  // The app decodes the embedded trace a slice at a time; wait until the status says it is done.
  const until = Date.now() + 10_000;
  let status = '';
  while (Date.now() < until) {
    status = ((await page.textContent('.ys-status').catch(() => null)) ?? '').trim();
    if (status && !status.startsWith('loading')) break;
    await new Promise((r) => setTimeout(r, 20));
  }
  await new Promise((r) => setTimeout(r, 100)); // one more frame for the panels
  const shown = await page.evaluate<Shown>(`(() => {
    const dangerous = [];
    for (const el of document.querySelectorAll('*')) {
      const tag = el.tagName.toLowerCase();
      if (['img', 'iframe', 'object', 'embed', 'frame', 'base', 'form', 'meta', 'link'].includes(tag) && !el.closest('head')) dangerous.push(tag);
      for (const a of el.attributes) {
        if (a.name.startsWith('on')) dangerous.push(tag + '[' + a.name + ']');
        const url = ['href', 'src', 'action', 'formaction', 'data', 'xlink:href', 'poster'].includes(a.name);
        if (url && /^\\s*(javascript|data|vbscript):/i.test(a.value)) dangerous.push(tag + '[' + a.name + '=' + a.value.slice(0, 20) + ']');
        if (a.name === 'srcdoc') dangerous.push(tag + '[srcdoc]');
      }
    }
    return {
      status: (document.querySelector('.ys-status')?.textContent ?? '').trim(),
      problems: [...document.querySelectorAll('.ys-problems li')].map((li) => li.textContent ?? ''),
      text: document.body.textContent ?? '',
      pwned: window.__pwned,
      dangerous,
      scripts: document.scripts.length,
    };
  })()`);
  await page.close();
  return { ...shown, errors: log.errors, requests: log.requests.filter((u) => u !== url && !u.startsWith('data:')) };
}

describe('faults: crafted traces in the view (Chromium)', function () {
  this.timeout(120_000);
  let browser: Browser;
  let assets: WebviewAssets;

  before(async function () {
    buildWebview();
    assets = loadWebviewAssets(DIST);
    browser = await launchBrowser();
  });
  after(async function () {
    await browser?.close();
    cleanupFaultScratch();
  });

  it('shows markup and script from every field of a trace as text, and runs none of it', async function () {
    const shown = await open(browser, 'markup', markupTraceBytes(), assets);
    assert.equal(shown.pwned, undefined);
    assert.deepEqual(shown.dangerous, []);
    assert.equal(shown.scripts, 2, 'the embedded trace and the app, nothing more');
    assert.deepEqual(shown.errors, []);
    assert.deepEqual(shown.requests, []);
    assert.match(shown.status, /^ended, uncaught/);
    // Names of functions (sites) and values that are not strings are shown as they are, markup and all.
    for (const m of [MARKUP[1]!, MARKUP[2]!, MARKUP[3]!]) {
      assert.ok(shown.text.includes(m), `the page does not show ${JSON.stringify(m)} as text`);
    }
  });

  it('opens empty, random, future-version and cut traces with a plain problem, no error, nothing run', async function () {
    const markup = markupTraceBytes();
    const random = new Uint8Array(4096).map((_, i) => (i * 2654435761) >>> 24);
    const cases: [string, Uint8Array, RegExp, RegExp][] = [
      ['empty', new Uint8Array(0), /^unreadable trace$/, /not a Yieldscope trace/],
      ['random', random, /^unreadable trace$/, /not a Yieldscope trace/],
      [
        'future',
        withHeaderText(JSON.stringify({ format: 'yieldscope-trace', version: 2, program: MARKUP[0] })),
        /^unreadable trace$/,
        /newer than this Yieldscope understands .* update Yieldscope/,
      ],
      ['cut', markup.subarray(0, markup.length - 3), /^ended/, /the trace ends inside a record/],
    ];
    for (const [name, bytes, status, problem] of cases) {
      const shown = await open(browser, name, bytes, assets);
      assert.match(shown.status, status, name);
      assert.ok(
        shown.problems.some((p) => problem.test(p)),
        `${name}: problems shown: ${JSON.stringify(shown.problems)}`,
      );
      assert.equal(shown.pwned, undefined, name);
      assert.deepEqual(shown.dangerous, [], name);
      assert.deepEqual(shown.errors, [], name);
      assert.deepEqual(shown.requests, [], name);
    }
  });
});
