// Browser test of the standalone HTML report: render the fixture trace with renderReport, open the file in
// headless Chromium, and check what a reader sees: cards, the yield* chain, the events, literal text where
// the program produced markup, no requests and no errors. Saves test-results/report.png.

import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Page } from 'playwright-core';
import { loadWebviewAssets, renderReport } from '../../src/cli/report';
import {
  DIST,
  RESULTS,
  buildWebview,
  computedStyle,
  focusedCard,
  launchBrowser,
  waitForCount,
  watchPage,
  type Browser,
  type PageLog,
} from './browser';
import { Co, HOSTILE_NAME, HOSTILE_VALUE, expectedCards, sampleTrace, sampleTraceBytes } from './fixture';

export { sampleTrace, sampleTraceBytes } from './fixture';

describe('standalone HTML report in Chromium', function () {
  let browser: Browser;
  let page: Page;
  let log: PageLog;
  let reportUrl: string;
  let html: string;

  before(async function () {
    buildWebview();
    html = renderReport(sampleTraceBytes(), 'pipeline demo', loadWebviewAssets(DIST));
    mkdirSync(RESULTS, { recursive: true });
    const file = join(RESULTS, 'report.html');
    writeFileSync(file, html);
    reportUrl = pathToFileURL(file).href;
    browser = await launchBrowser();
    page = await browser.context.newPage();
    log = await watchPage(page, (url) => url === reportUrl);
    await page.goto(reportUrl);
    await page.waitForSelector('.ys-card');
  });

  after(async function () {
    await browser?.close();
  });

  it('is one file that names no other resource', () => {
    assert.doesNotMatch(html, /\b(src|href)=/);
    assert.doesNotMatch(html, /sourceMappingURL/);
    assert.match(html, /<meta http-equiv="Content-Security-Policy" content="default-src &#39;none&#39;;/);
  });

  it('shows the program, its end and the counts in the header', async () => {
    assert.equal(await page.textContent('.ys-title'), 'pipeline demo');
    assert.equal(await page.title(), 'pipeline demo · Yieldscope');
    assert.equal(await page.textContent('.ys-status'), 'ended, exit code 0');
    assert.equal(await page.textContent('.fact-program dd'), 'src/pipeline.ts --limit 3');
    assert.equal(await page.textContent('.fact-node dd'), 'v20.20.2');
    assert.equal(await page.textContent('.fact-events dd'), String(sampleTrace().events.length));
    assert.equal(await page.textContent('.fact-dropped dd'), '0');
    assert.equal(await page.locator('.ys-problems li').count(), 0);
    assert.equal(await page.locator('.ys-picker').isVisible(), false, 'no recording selector for one recording');
  });

  it("shows each coroutine's card with its name and state", async () => {
    const cards = await page.$$eval('.ys-card', (els) =>
      els.map((el) => ({
        id: Number(el.getAttribute('data-co')),
        name: el.querySelector('.co-name')?.textContent ?? '',
        state: (el.querySelector('.co-state')?.textContent ?? '').replace(/\s+/g, ' ').trim(),
      })),
    );
    assert.deepEqual(cards, expectedCards);
  });

  it('draws the yield* chain as one connected stack', async () => {
    const chain = page.locator('.ys-stack.is-chain');
    assert.equal(await chain.count(), 1);
    const ids = await chain
      .locator('.ys-card')
      .evaluateAll((els) => els.map((el) => Number(el.getAttribute('data-co'))));
    assert.deepEqual(ids, [Co.gen, Co.internal, Co.chain2]);
    const links = await chain
      .locator('.ys-link')
      .evaluateAll((els) => els.map((el) => el.getBoundingClientRect().height > 0));
    assert.deepEqual(links, [false, true, true], 'a connector above each delegate');
    const x = await chain.locator('.ys-card').evaluateAll((els) => els.map((el) => el.getBoundingClientRect().left));
    assert.ok(x[0]! < x[1]! && x[1]! < x[2]!, `each delegate is indented under its delegator: ${x.join(', ')}`);
  });

  it('fades closed coroutines and hides them on request', async () => {
    const opacity = await computedStyle(page, `.ys-card[data-co="${Co.failing}"]`, 'opacity');
    assert.ok(Number(opacity) < 1);
    await page.click('.ys-toggle-finished');
    await waitForCount(page, '.ys-card', expectedCards.length - 3);
    assert.equal(await page.getAttribute('.ys-toggle-finished', 'aria-pressed'), 'true');
    assert.equal(await page.textContent('.ys-toggle-finished'), 'Show closed (3)');
    await page.keyboard.press('Enter'); // the toggle keeps focus; Enter shows them again
    await waitForCount(page, '.ys-card', expectedCards.length);
    assert.equal(await page.getAttribute('.ys-toggle-finished', 'aria-pressed'), 'false');
  });

  it('lists every event with seq, kind, coroutine, value and site', async () => {
    const rows = page.locator('.ys-ev-body .ev-row');
    assert.equal(await rows.count(), sampleTrace().events.length);
    const first = await rows.nth(0).locator(':scope > span').allTextContents();
    assert.deepEqual(first, ['0', 'create', 'gen#1', 'generator(3, "alpha")', 'pipeline.ts:3:1']);
    assert.equal(await page.locator('.ys-events-note').isVisible(), false);
  });

  it('lists the warnings, with the generators never closed when the program ended', async () => {
    const warnings = await page.locator('.ys-warning .w-text').allTextContents();
    assert.equal(warnings.length, 7, warnings.join('\n'));
    assert.equal(
      warnings[0],
      `${HOSTILE_NAME} was sent ignored before it started; a just-started generator discards that value`,
    );
    assert.match(warnings[1]!, /^selfish was resumed with next\(\) while already running/);
    assert.deepEqual(warnings.slice(2), [
      'gen#1 was never closed: it was still in a yield* when the program ended (its finally blocks never ran)',
      'internal#2 was never closed: it was still in a yield* when the program ended (its finally blocks never ran)',
      'chain2#3 was never closed: it was still suspended when the program ended (its finally blocks never ran)',
      'selfish#7 was never closed: it was still suspended when the program ended (its finally blocks never ran)',
      'gen#8 was made but never started or closed',
    ]);
  });

  it('shows markup from the program as literal text and runs none of it', async () => {
    assert.equal(await page.evaluate('typeof window.__pwned'), 'undefined');
    assert.equal(await page.locator('.ys-app img, .ys-app b').count(), 0);
    const out = await page.textContent(`.ys-card[data-co="${Co.chain2}"] .co-out dd`);
    assert.equal(out, JSON.stringify(HOSTILE_VALUE));
    const name = await page.textContent(`.ys-card[data-co="${Co.tagged}"] .co-name`);
    assert.equal(name, HOSTILE_NAME);
    const detail = await page.locator('.ev-row.k-output .ev-detail').nth(1).textContent();
    assert.equal(detail, `stdout: got ${HOSTILE_VALUE.replace(/"/g, '\\"')}`);
  });

  it('shows sites as text with the full location in the title, and does nothing on a click', async () => {
    const site = page.locator(`.ys-card[data-co="${Co.chain2}"] .co-state .ys-site`);
    assert.equal(await site.evaluate((el) => el.tagName), 'SPAN');
    assert.equal(await site.getAttribute('title'), '/home/ada/pipeline/src/chain.ts:4:5');
    const inRow = page.locator('.ev-row .ys-site').first();
    assert.equal(await inRow.evaluate((el) => el.tagName), 'SPAN');
    const before = page.url();
    await inRow.click();
    assert.equal(page.url(), before);
    assert.equal(await page.locator('.ys-ev-body .ev-row').count(), sampleTrace().events.length);
  });

  it('moves between cards with the arrow keys and selects with Enter', async () => {
    await page.focus(`.ys-card[data-co="${Co.gen}"]`);
    await page.keyboard.press('ArrowDown');
    assert.equal(await focusedCard(page), String(Co.internal));
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await page.waitForSelector(`.ys-card[data-co="${Co.chain2}"].is-selected`);
    await waitForCount(page, '.ys-ev-body .ev-row', 5);
    assert.equal(await focusedCard(page), String(Co.chain2));
    const rows = await page.locator('.ys-ev-body .ev-row .ev-who').allTextContents();
    assert.ok(rows.length > 0 && rows.every((w) => w === 'chain2#3'), rows.join(', '));
    assert.equal(await page.textContent('.ys-filter'), 'only chain2#3 ✕');
    const outline = await computedStyle(page, ':focus-visible', 'outline-style');
    assert.equal(outline, 'solid');
    await page.keyboard.press('Space');
    await waitForCount(page, '.ys-card.is-selected', 0);
    await waitForCount(page, '.ys-ev-body .ev-row', sampleTrace().events.length);
  });

  it('saves a screenshot for the README', async () => {
    await page.mouse.move(0, 0);
    await page.evaluate('document.activeElement?.blur()');
    await page.screenshot({ path: join(RESULTS, 'report.png') });
  });

  it('made no request but the page itself and logged no error', () => {
    assert.deepEqual(
      log.requests.filter((u) => u !== reportUrl && !u.startsWith('data:')),
      [],
    );
    assert.deepEqual(log.errors, []);
  });
});
