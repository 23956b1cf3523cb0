// Browser test of the webview as VS Code hosts it: a stand-in `acquireVsCodeApi` records what the view posts
// and saves, and the test plays the host, posting the typed messages with window.postMessage. Checks the
// ready handshake, streaming in numbered batches, the running chain, resync on a gap, open-source, the
// recording selector, dropped foreign messages, and state that survives a reload.

import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { encodeTrace } from '../../src/protocol/codec';
import type { HostMessage, ViewMessage } from '../../src/protocol/messages';
import { loadWebviewAssets } from '../../src/cli/report';
import { webviewHtml } from '../../webview/shell';
import {
  DIST,
  RESULTS,
  buildWebview,
  launchBrowser,
  serveHtml,
  waitForCount,
  waitForText,
  watchPage,
  type Browser,
  type PageLog,
  type Served,
} from './browser';
import { Co, expectedCards, sampleTrace } from './fixture';

/**
 * Stands in for VS Code: posts and saved state go to window globals, state also to sessionStorage for reloads
 * (which is why the page is served over http: a file:// page does not reliably keep it, see `serveHtml`).
 */
const FAKE_VSCODE = `
  window.__posted = [];
  window.__state = JSON.parse(sessionStorage.getItem('ys-state') || 'null');
  window.acquireVsCodeApi = () => ({
    postMessage: (m) => window.__posted.push(JSON.parse(JSON.stringify(m))),
    getState: () => window.__state,
    setState: (s) => { window.__state = s; sessionStorage.setItem('ys-state', JSON.stringify(s)); },
  });
`;

/** Posts a host message into the page; Uint8Array fields travel as arrays and are rebuilt inside. */
async function postHost(page: Page, msg: HostMessage): Promise<void> {
  const json = JSON.stringify(msg, (_k, v: unknown) => (v instanceof Uint8Array ? { __bytes: [...v] } : v));
  // No named functions inside: tsx would wrap them in a helper that does not exist in the page.
  await page.evaluate((text) => {
    const g = globalThis as unknown as { postMessage(m: unknown, origin: string): void };
    const msg: unknown = JSON.parse(text, (_k: string, v: unknown) =>
      typeof v === 'object' && v !== null && '__bytes' in v ? new Uint8Array((v as { __bytes: number[] }).__bytes) : v,
    );
    g.postMessage(msg, '*');
  }, json);
}

async function posted(page: Page): Promise<ViewMessage[]> {
  return page.evaluate<ViewMessage[]>('window.__posted');
}

async function waitForPost(page: Page, type: ViewMessage['type']): Promise<ViewMessage> {
  for (let i = 0; i < 100; i++) {
    const found = (await posted(page)).filter((m) => m.type === type).at(-1);
    if (found) return found;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`the view never posted ${type}`);
}

/** Bytes of the fixture up to and including event `n` (a prefix of the whole, as a stream delivers it). */
function prefixBytes(n: number): Uint8Array {
  const trace = sampleTrace({ live: true });
  return encodeTrace({ ...trace, events: trace.events.slice(0, n + 1) });
}

/** Waits until the first element `selector` matches no longer says `text`. */
async function waitForChange(page: Page, selector: string, text: string): Promise<void> {
  const until = Date.now() + 5000;
  while ((await page.textContent(selector)) === text) {
    if (Date.now() > until) throw new Error(`${selector} still says ${JSON.stringify(text)}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

function split(bytes: Uint8Array, at: readonly number[]): Uint8Array[] {
  const cuts = [0, ...at, bytes.length];
  return cuts.slice(1).map((end, i) => bytes.subarray(cuts[i]!, end));
}

describe('webview in a VS Code host, in Chromium', function () {
  let browser: Browser;
  let page: Page;
  let log: PageLog;
  let served: Served | undefined;
  let pageUrl: string;
  const live = sampleTrace({ live: true });
  const liveBytes = encodeTrace(live);
  // The moment chain2 is resumed by g.next(7): gen → internal → chain2 all running.
  const midSeq = live.events.findIndex((e) => e.kind === 'resume' && e.co === Co.chain2 && e.value.text === '7');
  const midBytes = prefixBytes(midSeq);
  let r1Batch = 0;
  /** Where the rest of the live stream is cut in two batches (a few whole records, then the rest). */
  const SPLIT = 160;

  before(async function () {
    buildWebview();
    const assets = loadWebviewAssets(DIST);
    const html = webviewHtml({
      cspSource: '',
      nonce: 'dGVzdC1ub25jZS0xMjM0NTY3OA==',
      scriptUri: '',
      styleUri: '',
      title: 'Yieldscope',
      inlineScript: assets.script.replace(/\/\/# sourceMappingURL=\S+\s*$/, ''),
      inlineStyle: assets.style.replace(/\/\*# sourceMappingURL=[^*]*\*\/\s*$/, ''),
    });
    mkdirSync(RESULTS, { recursive: true });
    writeFileSync(join(RESULTS, 'webview.html'), html);
    served = await serveHtml('webview.html', html);
    pageUrl = served.url;
    browser = await launchBrowser();
    page = await browser.context.newPage();
    await page.addInitScript({ content: FAKE_VSCODE });
    log = await watchPage(page, (url) => url === pageUrl);
    await page.goto(pageUrl);
    await waitForPost(page, 'ready');
  });

  after(async function () {
    await browser?.close();
    await served?.close();
  });

  it('says ready first and waits for the host', async () => {
    assert.deepEqual(await posted(page), [{ type: 'ready' }]);
    assert.equal(await page.textContent('.ys-title'), 'No recording yet');
    assert.equal(await page.textContent('.ys-status'), 'waiting');
  });

  it('draws a live recording from numbered batches, with the running chain highlighted', async () => {
    await postHost(page, { type: 'recording-started', id: 'r1', title: 'demo live' });
    // Cut through the magic, a record header and a record body.
    const parts = split(midBytes, [5, 150, 301]);
    for (const bytes of parts) await postHost(page, { type: 'trace-bytes', id: 'r1', batch: ++r1Batch, bytes });
    await waitForCount(page, '.ys-ev-body .ev-row', midSeq + 1);
    assert.equal(await page.textContent('.ys-status'), 'live');
    assert.equal(await page.textContent('.ys-title'), 'demo live');
    assert.equal(await page.locator('.ys-picker').isVisible(), false);
    const running = await page
      .locator('.ys-card.is-running')
      .evaluateAll((els) => els.map((el) => el.getAttribute('data-co')));
    assert.deepEqual(running, [String(Co.gen), String(Co.internal), String(Co.chain2)]);
    assert.equal(await page.getAttribute('.ys-card.is-current', 'data-co'), String(Co.chain2));
    assert.equal(await page.locator('.ys-stack.is-running').count(), 1);
    assert.equal(
      await page.textContent(`.ys-card[data-co="${Co.gen}"] .co-state`),
      'running, delegating to internal#2',
    );
    await page.screenshot({ path: join(RESULTS, 'webview-live.png') });
  });

  it('stays where the user scrubbed back while events stream in, and follows again on Follow', async () => {
    assert.equal(await page.locator('.ys-follow').isVisible(), false, 'following: no Follow button');
    await page.evaluate('document.activeElement?.blur()');
    await page.keyboard.press('Home');
    await waitForText(page, '.ys-position', `event 1 of ${midSeq + 1}`);
    assert.equal(await page.locator('.ys-follow').isVisible(), true);
    const rest = liveBytes.subarray(midBytes.length);
    await postHost(page, { type: 'trace-bytes', id: 'r1', batch: ++r1Batch, bytes: rest.subarray(0, SPLIT) });
    // Polled from here: the page's CSP forbids the eval that waitForFunction needs.
    const before = `event 1 of ${midSeq + 1}`;
    await waitForChange(page, '.ys-position', before);
    const position = (await page.textContent('.ys-position')) ?? '';
    assert.match(position, /^event 1 of \d+$/, 'new events do not move the cursor');
    assert.ok(Number(position.split(' ').at(-1)) > midSeq + 1, position);
    await page.click('.ys-follow');
    await waitForText(page, '.ys-position', position.replace(/^event 1/, `event ${position.split(' ').at(-1)}`));
    assert.equal(await page.locator('.ys-follow').isVisible(), false);
  });

  it('follows the rest of the stream and the end of the recording', async () => {
    const rest = liveBytes.subarray(midBytes.length);
    await postHost(page, { type: 'trace-bytes', id: 'r1', batch: ++r1Batch, bytes: rest.subarray(SPLIT) });
    await postHost(page, {
      type: 'recording-ended',
      id: 'r1',
      batch: r1Batch,
      state: { kind: 'ended', exitCode: 0, signal: null },
    });
    await waitForCount(page, '.ys-ev-body .ev-row', live.events.length);
    await waitForCount(page, '.ys-card.is-running', 0);
    await waitForText(page, '.ys-status', 'ended, exit code 0');
    const names = await page.locator('.ys-card .co-name').allTextContents();
    assert.deepEqual(
      names,
      expectedCards.map((c) => c.name),
    );
    assert.deepEqual(
      (await posted(page)).map((m) => m.type),
      ['ready'],
    );
  });

  it('asks the host to open a site, without selecting the card around it', async () => {
    await page.click(`.ys-card[data-co="${Co.chain2}"] .co-state .ys-site-link`);
    const open = await waitForPost(page, 'open-source');
    assert.deepEqual(open, { type: 'open-source', url: 'file:///home/ada/pipeline/src/chain.ts', line: 4, column: 5 });
    await page.click('.ev-row .ys-site-link');
    assert.equal((await posted(page)).filter((m) => m.type === 'open-source').length, 2);
    assert.equal(await page.locator('.ys-card.is-selected').count(), 0);
  });

  it('drops messages that are not host messages', async () => {
    await page.evaluate(() => {
      const g = globalThis as unknown as { postMessage(m: unknown, origin: string): void };
      g.postMessage({ type: 'snapshot', recordings: 'nope' }, '*');
      g.postMessage('<img src=x onerror="window.__pwned=1">', '*');
    });
    await page.waitForTimeout(100);
    assert.equal(log.warnings.filter((w) => w.includes('not a host message')).length, 2);
    assert.equal(await page.evaluate('typeof window.__pwned'), 'undefined');
    assert.equal(await page.locator('.ys-card').count(), expectedCards.length);
  });

  it('asks for a resync when a batch is missing and ignores batches until the snapshot', async () => {
    await postHost(page, { type: 'recording-started', id: 'r2', title: 'second run' });
    await postHost(page, { type: 'trace-bytes', id: 'r2', batch: 2, bytes: liveBytes.subarray(0, 100) });
    const resync = await waitForPost(page, 'resync');
    assert.equal(resync.type === 'resync' && /batch 2 after 0/.test(resync.reason), true, JSON.stringify(resync));
    await postHost(page, { type: 'trace-bytes', id: 'r2', batch: 1, bytes: liveBytes });
    await page.waitForTimeout(100);
    assert.equal(await page.textContent('.fact-events dd'), '0', 'batches wait for the snapshot');
    assert.equal((await posted(page)).filter((m) => m.type === 'resync').length, 1, 'one resync per gap');
  });

  it('takes a snapshot with several recordings and switches between them', async () => {
    await postHost(page, {
      type: 'snapshot',
      recordings: [
        {
          id: 'r1',
          title: 'demo live',
          bytes: liveBytes,
          batch: 6,
          state: { kind: 'ended', exitCode: 0, signal: null },
        },
        {
          id: 'r2',
          title: 'second run',
          bytes: midBytes,
          batch: 1,
          state: { kind: 'failed', message: 'the program could not start' },
        },
      ],
      active: 'r2',
    });
    await page.waitForSelector('.ys-picker:visible');
    assert.deepEqual(await page.locator('.ys-picker option').allTextContents(), ['demo live', 'second run']);
    assert.equal(await page.inputValue('.ys-picker'), 'r2');
    assert.equal(await page.textContent('.ys-status'), 'failed: the program could not start');
    await page.selectOption('.ys-picker', 'r1');
    assert.deepEqual(await waitForPost(page, 'select-recording'), { type: 'select-recording', id: 'r1' });
    await waitForCount(page, '.ys-ev-body .ev-row', live.events.length);
    assert.equal(await page.textContent('.ys-title'), 'demo live');
  });

  it('comes back after a reload with the same recording, selection and filter', async () => {
    await page.click(`.ys-card[data-co="${Co.internal}"]`);
    await page.click('.ys-toggle-finished');
    await waitForCount(page, '.ys-card', expectedCards.length - 3);
    await page.waitForTimeout(300); // state is saved a moment after the last change
    const saved = await page.evaluate<Record<string, unknown>>('window.__state');
    assert.equal(saved['recording'], 'r1');
    assert.equal(saved['coroutine'], Co.internal);
    assert.equal(saved['hideFinished'], true);

    await page.reload();
    await waitForPost(page, 'ready');
    await postHost(page, {
      type: 'snapshot',
      recordings: [
        {
          id: 'r1',
          title: 'demo live',
          bytes: liveBytes,
          batch: 6,
          state: { kind: 'ended', exitCode: 0, signal: null },
        },
        { id: 'r2', title: 'second run', bytes: midBytes, batch: 1, state: { kind: 'live' } },
      ],
      active: undefined,
    });
    await waitForCount(page, '.ys-card', expectedCards.length - 3);
    assert.equal(await page.inputValue('.ys-picker'), 'r1');
    assert.equal(await page.getAttribute('.ys-card.is-selected', 'data-co'), String(Co.internal));
    assert.equal(await page.textContent('.ys-filter'), 'only internal#2 ✕');
    await page.click('.ys-filter');
    await waitForCount(page, '.ys-card.is-selected', 0);
  });

  it('made no request but the page itself and logged no error', () => {
    assert.deepEqual(
      log.requests.filter((u) => u !== pageUrl && !u.startsWith('data:')),
      [],
    );
    assert.deepEqual(log.errors, []);
  });
});
