// Browser test of replay in the standalone report: the scrubber, the arrow keys, stepping by coroutine, play,
// the Timeline (lanes, a click that moves the cursor and selects a lane), the Inspector's explanation and
// resumption table, and program output that follows the cursor. Saves screenshots as test artifacts.

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
  launchBrowser,
  waitForText,
  watchPage,
  type Browser,
  type PageLog,
} from './browser';
import { Co, sampleTrace, sampleTraceBytes } from './fixture';

const EVENTS = sampleTrace().events.length;

/** The card's state text, spaces collapsed. */
async function cardState(page: Page, co: number): Promise<string> {
  const text = await page.locator(`.ys-card[data-co="${co}"] .co-state`).textContent();
  return (text ?? '').replace(/\s+/g, ' ').trim();
}

describe('replay in the standalone report, in Chromium', function () {
  let browser: Browser;
  let page: Page;
  let log: PageLog;
  let url: string;

  before(async function () {
    buildWebview();
    mkdirSync(RESULTS, { recursive: true });
    const file = join(RESULTS, 'replay.html');
    writeFileSync(file, renderReport(sampleTraceBytes(), 'replay demo', loadWebviewAssets(DIST)));
    url = pathToFileURL(file).href;
    browser = await launchBrowser();
    page = await browser.context.newPage();
    log = await watchPage(page, (u) => u === url);
    await page.goto(url);
    await page.waitForSelector('.ys-card');
  });

  after(async function () {
    await browser?.close();
  });

  it('opens at the last event, with a lane per coroutine', async () => {
    assert.equal(await page.textContent('.ys-position'), `event ${EVENTS} of ${EVENTS}`);
    assert.equal(await page.inputValue('.ys-range'), String(EVENTS - 1));
    // The top level's lane (output, end) and one per coroutine.
    assert.equal(await page.getAttribute('.ys-tl-canvas', 'data-lanes'), '9');
    assert.equal(await page.getAttribute('.ys-tl-canvas', 'data-aggregated'), 'false');
    assert.equal(await page.textContent('.ys-in-why'), 'The program ended with exit code 0.');
    assert.equal(await page.locator('.ys-follow').isVisible(), false, 'no Follow button for a finished trace');
  });

  it('goes back to the first event with Home and steps with the arrow keys', async () => {
    await page.evaluate('document.activeElement?.blur()');
    await page.keyboard.press('Home');
    await waitForText(page, '.ys-position', `event 1 of ${EVENTS}`);
    assert.deepEqual(await page.locator('.ys-card').evaluateAll((els) => els.map((e) => e.getAttribute('data-co'))), [
      String(Co.gen),
    ]);
    assert.equal(await cardState(page, Co.gen), 'created, not started');
    assert.match((await page.textContent('.ys-in-why')) ?? '', /^The top level called gen\(\), which made gen#1/);
    assert.equal(await page.locator('.ys-output').isVisible(), false, 'nothing printed yet');

    await page.keyboard.press('ArrowRight');
    await waitForText(page, '.ys-position', `event 2 of ${EVENTS}`);
    assert.equal(await cardState(page, Co.gen), 'running');
    assert.equal(
      await page.textContent('.ys-in-why'),
      'The top level called next() on gen#1, so its body starts running from the top.',
    );
    await page.keyboard.press('ArrowRight');
    await waitForText(page, '.ys-position', `event 3 of ${EVENTS}`);
    assert.equal(await cardState(page, Co.gen), 'suspended at src/pipeline.ts:5:5');
    assert.equal(await page.textContent('.ys-in-fields .in-out dd'), '1');
    await page.keyboard.press('ArrowLeft');
    await waitForText(page, '.ys-position', `event 2 of ${EVENTS}`);
    assert.equal(await cardState(page, Co.gen), 'running');
    assert.equal(await page.textContent('.ev-row.is-cursor .ev-seq'), '1');
  });

  it('steps to the next and previous event of the selected coroutine', async () => {
    await page.click(`.ys-card[data-co="${Co.gen}"]`);
    await page.evaluate('document.activeElement?.blur()');
    await page.keyboard.press('Shift+ArrowRight');
    // gen's next event after its first resume is its yield of 1 (seq 2).
    await waitForText(page, '.ys-in-title', 'yield · gen#1 · seq 2 · 0.250 ms');
    await page.keyboard.press('Shift+ArrowRight');
    await waitForText(page, '.ys-in-title', 'resume · gen#1 · seq 3 · 0.375 ms');
    await page.keyboard.press('Shift+ArrowRight');
    await waitForText(page, '.ys-in-title', 'delegate · gen#1 · seq 5 · 0.625 ms');
    await page.keyboard.press('Shift+ArrowLeft');
    await waitForText(page, '.ys-in-title', 'resume · gen#1 · seq 3 · 0.375 ms');
    // The Inspector's table lists gen's resumptions so far, the current one last.
    const rows = await page
      .locator('.ys-in-history tbody tr')
      .evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent)));
    assert.deepEqual(rows, [
      ['1', 'next()', 'top level', 'yielded 1'],
      ['3', 'next("a")', 'top level', 'running'],
    ]);
    assert.equal(await page.locator('.ys-in-history tr.is-current').count(), 1);
    assert.deepEqual(await page.locator('.ys-in-count').allTextContents(), ['2 resumptions up to the cursor.']);
  });

  it('shows program output up to the cursor, and a line moves the cursor to where it was written', async () => {
    await page.fill('.ys-range', '30');
    await waitForText(page, '.ys-position', `event 31 of ${EVENTS}`);
    // Newest first in the document: the list is drawn bottom up, so that it shows its newest line.
    assert.deepEqual(await page.locator('.ys-out-line .o-text').allTextContents(), [
      'got <img src=x onerror="window.__pwned=1">',
      'got { id: 7, ok: true }',
    ]);
    await page.click('.ys-out-line .o-seq >> nth=1');
    await waitForText(page, '.ys-position', `event 18 of ${EVENTS}`);
    assert.equal(await page.textContent('.ys-in-why'), 'The program wrote a line to stdout.');
    assert.equal(await page.evaluate('typeof window.__pwned'), 'undefined');
    await page.screenshot({ path: join(RESULTS, 'replay-output.png') });
  });

  it('moves the cursor and selects a lane on a click in the Timeline', async () => {
    const box = (await page.locator('.ys-tl-canvas').boundingBox())!;
    // The lane of failing#5 (the sixth lane) at the right edge: its last event there is its throw.
    await page.mouse.click(box.x + box.width - 3, box.y + 5 * 18 + 9);
    await page.waitForSelector(`.ys-card[data-co="${Co.failing}"].is-selected`);
    const title = (await page.textContent('.ys-in-co-title')) ?? '';
    assert.equal(title, 'failing#5 · generator');
    assert.notEqual(await page.textContent('.ys-position'), `event 18 of ${EVENTS}`);
  });

  it('plays to the end and stops there', async () => {
    await page.keyboard.press('Home');
    await page.selectOption('.ys-speed', '1024');
    await page.click('.ys-play');
    await waitForText(page, '.ys-position', `event ${EVENTS} of ${EVENTS}`);
    await waitForText(page, '.ys-play', 'Play');
    assert.equal(await page.getAttribute('.ys-play', 'aria-pressed'), 'false');
  });

  it('reaches every control by keyboard, with a visible focus', async () => {
    await page.focus('.step-start');
    await page.keyboard.press('Tab');
    const focused = await page.evaluate<string>('document.activeElement.className');
    assert.match(focused, /step-previous-of/);
    assert.equal(await computedStyle(page, ':focus-visible', 'outline-style'), 'solid');
    await page.keyboard.press('Shift+Tab');
    await page.keyboard.press('Enter');
    await waitForText(page, '.ys-position', `event 1 of ${EVENTS}`);
    await page.focus('.ys-tl-canvas');
    await page.keyboard.press('+');
    await page.keyboard.press('+');
    assert.equal(await page.getAttribute('.ys-tl-canvas', 'data-aggregated'), 'false');
    await page.screenshot({ path: join(RESULTS, 'replay-start.png') });
  });

  it('logged no error and made no request', () => {
    assert.deepEqual(log.errors, []);
    assert.deepEqual(
      log.requests.filter((u) => u !== url && !u.startsWith('data:')),
      [],
    );
  });
});
