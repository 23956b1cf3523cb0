// Browser test of the Event loop view and the async parts of the Coroutines view, on real traces: the tracer's
// event-loop, async-function and async-generator fixtures, a program that leaves a promise rejected with no
// handler and one whose unref'd timer never runs, each recorded by the CLI and opened as a standalone report in headless Chromium. Checks what the
// lanes hold at given events and that stepping changes it (items arrive, wait, leave; stepping back restores
// them), the call path running now, await edges between cards, the end-of-program warnings, keyboard access, and
// light, dark and high contrast themes. Screenshots are kept in test-results/ as artifacts.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Page } from 'playwright-core';
import { TraceDecoder } from '../../src/protocol/codec';
import type { TraceEvent } from '../../src/protocol/trace';
import {
  DIST,
  REPO,
  RESULTS,
  buildWebview,
  computedStyle,
  launchBrowser,
  waitForText,
  watchPage,
  type Browser,
  type PageLog,
} from './browser';

const FIXTURES = join(REPO, 'test', 'tracer', 'fixtures');

/** A program whose async function rejects with nobody to catch it, beside one that awaits forever. */
const UNHANDLED = `async function inner(x) {
  await null;
  throw new Error(\`boom \${x}\`);
}
async function outer() {
  await inner(1);
}
async function stuck() {
  await new Promise(() => {});
}
stuck();
outer();
`;

/** A timer that never runs: unref'd, it does not keep the program alive, which ends first. */
const STRANDED = `const later = setTimeout(() => console.log('never'), 60_000);
later.unref();
setTimeout(() => console.log('done'), 1);
`;

interface Recorded {
  readonly url: string;
  readonly events: TraceEvent[];
}

/** Runs `program` under the tracer with the CLI and writes its report; the events, decoded, for the test. */
function record(dir: string, name: string, program: string, status = 0): Recorded {
  const trace = join(dir, `${name}.ystrace`);
  const html = join(dir, `${name}.html`);
  const run = spawnSync(
    process.execPath,
    [join(DIST, 'cli', 'yieldscope.js'), 'run', '--quiet', '--out', trace, '--html', html, program],
    // From the repository, so that sites read test/tracer/fixtures/….
    { cwd: REPO, encoding: 'utf8', env: { ...process.env, YIELDSCOPE_CACHE: join(dir, 'cache') } },
  );
  assert.equal(run.status, status, run.stderr);
  const decoder = new TraceDecoder();
  decoder.push(readFileSync(trace));
  decoder.finish();
  return { url: pathToFileURL(html).href, events: decoder.trace.events };
}

/** What a lane shows: each item's title, marked `+` when it just entered, `-` when it just left, `!` stranded. */
async function lane(page: Page, name: string): Promise<string[]> {
  return page.locator(`.ys-lane.lane-${name} .ys-loop-item`).evaluateAll((els) =>
    els.map((el) => {
      const mark = el.classList.contains('is-entered')
        ? '+'
        : el.classList.contains('is-left')
          ? '-'
          : el.classList.contains('is-stranded')
            ? '!'
            : '';
      return `${mark}${el.querySelector('.li-title')?.textContent ?? ''}`;
    }),
  );
}

/** Every lane with items, as `name: items`, and the running path. */
async function loopText(page: Page): Promise<string> {
  const lanes = await page
    .locator('.ys-lane')
    .evaluateAll((els) => els.map((el) => [...el.classList].find((c) => c.startsWith('lane-'))!.slice(5)));
  const parts: string[] = [];
  for (const l of lanes) parts.push(`${l}: ${(await lane(page, l)).join(' ')}`);
  const path = await page.locator('.ys-path-step .ps-label').allTextContents();
  return `${parts.join(' | ')} || ${path.join(' → ')}`;
}

/** Moves the cursor to event `index` (0-based) with the slider and waits for the drawing. */
async function seek(page: Page, index: number, total: number): Promise<void> {
  await page.fill('.ys-range', String(index));
  await waitForText(page, '.ys-position', `event ${index + 1} of ${total}`);
}

async function step(page: Page, key: 'ArrowRight' | 'ArrowLeft', index: number, total: number): Promise<void> {
  await page.evaluate('document.activeElement?.blur()');
  await page.keyboard.press(key);
  await waitForText(page, '.ys-position', `event ${index + 1} of ${total}`);
}

const findIndex = (events: readonly TraceEvent[], test: (e: TraceEvent) => boolean): number => {
  const i = events.findIndex(test);
  assert.ok(i >= 0, 'the trace has the event the test needs');
  return i;
};

describe('the Event loop view on real traces, in Chromium', function () {
  let browser: Browser;
  let page: Page;
  let log: PageLog;
  let dir: string;
  const traces: Record<string, Recorded> = {};

  before(async function () {
    buildWebview();
    mkdirSync(RESULTS, { recursive: true });
    dir = mkdtempSync(join(tmpdir(), 'ys-loop-report-'));
    for (const name of ['event-loop-order', 'async-basics', 'async-generators']) {
      traces[name] = record(dir, name, join(FIXTURES, `${name}.mjs`));
    }
    writeFileSync(join(dir, 'unhandled.mjs'), UNHANDLED);
    traces['unhandled'] = record(dir, 'unhandled', join(dir, 'unhandled.mjs'), 1);
    writeFileSync(join(dir, 'stranded.mjs'), STRANDED);
    traces['stranded'] = record(dir, 'stranded', join(dir, 'stranded.mjs'));
    browser = await launchBrowser();
    page = await browser.context.newPage();
    await page.setViewportSize({ width: 1400, height: 1000 });
    log = await watchPage(page, (u) => u.startsWith('file:'));
  });

  after(async function () {
    await browser?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  async function open(name: string): Promise<Recorded> {
    const t = traces[name]!;
    await page.goto(t.url);
    await page.waitForSelector('.ys-loop');
    await waitForText(page, '.ys-position', `event ${t.events.length} of ${t.events.length}`);
    return t;
  }

  it('shows what the main script queued, in Node’s lanes, and the main script running', async () => {
    const t = await open('event-loop-order');
    const n = t.events.length;
    // Just before the first callback runs: everything the main script queued is waiting.
    const firstRun = findIndex(t.events, (e) => e.kind === 'task-run');
    await seek(page, firstRun - 1, n);
    assert.equal(
      await loopText(page),
      'nextTick: nextTick #1 nextTick #4 | microtask: microtask #2 +microtask #5 | io: I/O #3 || Main script',
    );
    assert.equal(await page.textContent('.ys-loop .ys-count'), '5');
    assert.equal(
      await page.locator('.lane-nextTick .ys-loop-item').nth(0).locator('.li-by-text').textContent(),
      'queued by the top level',
    );
    await page.screenshot({ path: join(RESULTS, 'loop-main-script.png') });
  });

  it('takes an item out of its lane when it runs, and puts it back on a step back', async () => {
    const t = traces['event-loop-order']!;
    const n = t.events.length;
    const firstRun = findIndex(t.events, (e) => e.kind === 'task-run');
    const before = await loopText(page);
    await step(page, 'ArrowRight', firstRun, n);
    // The first microtask left (drawn once more, struck through) and runs: the call path says so.
    assert.equal(
      await loopText(page),
      'nextTick: nextTick #1 nextTick #4 | microtask: -microtask #2 microtask #5 | io: I/O #3 || microtask #2',
    );
    assert.equal(await page.textContent('.ys-loop .ys-count'), '4');
    assert.match(
      (await page.textContent('.ys-in-why')) ?? '',
      /^The event loop took a microtask \(task #2\) that the top level queued at seq 1/,
    );
    await step(page, 'ArrowLeft', firstRun - 1, n);
    assert.equal(await loopText(page), before);
  });

  it('shows the timers with their due times, who queued them and inside which callback', async () => {
    const t = traces['event-loop-order']!;
    const n = t.events.length;
    const io = t.events.find((e) => e.kind === 'task-queue' && e.queue === 'io')!;
    const ioDone = findIndex(
      t.events,
      (e) => e.kind === 'task-end' && 'task' in e && e.task === (io as { task: number }).task,
    );
    await seek(page, ioDone, n);
    const timers = await lane(page, 'timer');
    // Four timers were set in the I/O callback; the one it cleared (clearTimeout) has left its lane.
    const cleared = t.events.find((e) => e.kind === 'task-cancel') as { task: number } | undefined;
    assert.ok(cleared, 'the trace records the clearTimeout');
    assert.equal(timers.length, 3, timers.join(', '));
    assert.ok(!timers.some((x) => x.endsWith(`#${cleared.task}`)), timers.join(', '));
    assert.equal(timers.filter((x) => x.startsWith('interval')).length, 1);
    assert.deepEqual(await lane(page, 'immediate'), ['immediate #8']);
    const details = await page.locator('.lane-timer .li-detail').allTextContents();
    assert.ok(
      details.every((d) => /due at [\d.]+ ms \(in [\d.]+ ms\)/.test(d)),
      details.join(' / '),
    );
    // Soonest due first.
    const due = details.map((d) => Number(/due at ([\d.]+)/.exec(d)![1]));
    assert.deepEqual(
      due,
      [...due].sort((a, b) => a - b),
    );
    const by = await page.locator('.lane-timer .li-by-text').allTextContents();
    assert.ok(
      by.every((b) => b === 'queued by the top level, in I/O #3'),
      by.join(' / '),
    );
    // Each item says what its callback does when it runs, read ahead in the trace.
    const immediate = (await page.locator('.lane-immediate .li-resumes').textContent()) ?? '';
    assert.match(immediate, /^runs at event \d+: queues #\d+$/);
    await page.screenshot({ path: join(RESULTS, 'loop-timers.png') });
  });

  it('brings an interval back to its lane after each run until its callback clears it', async () => {
    const t = traces['event-loop-order']!;
    const n = t.events.length;
    const interval = t.events.find((e) => e.kind === 'task-queue' && e.queue === 'interval') as { task: number };
    const runs = t.events.flatMap((e, i) => (e.kind === 'task-end' && e.task === interval.task ? [i] : []));
    assert.equal(runs.length, 3, 'the interval runs three times');
    await seek(page, runs[0]!, n);
    assert.ok((await lane(page, 'timer')).includes(`+interval #${interval.task}`));
    assert.match(
      (await page.locator(`.lane-timer .ys-loop-item.is-entered .li-detail`).textContent()) ?? '',
      /^every 5 ms, due at .* ran 1 time$/,
    );
    await seek(page, runs[1]!, n);
    assert.ok((await lane(page, 'timer')).includes(`+interval #${interval.task}`));
    // The third run cleared it (clearInterval in its own callback): it does not come back.
    await seek(page, runs[2]!, n);
    assert.ok(
      !(await lane(page, 'timer')).some((x) => x.endsWith(`interval #${interval.task}`)),
      (await lane(page, 'timer')).join(', '),
    );
    await seek(page, n - 1, n);
    assert.ok(!(await lane(page, 'timer')).some((x) => x.endsWith(`interval #${interval.task}`)));
  });

  it('says what never ran when the program ended', async () => {
    const t = await open('stranded');
    const n = t.events.length;
    await seek(page, n - 1, n);
    const end = await lane(page, 'timer');
    assert.equal(end.length, 1, end.join(', '));
    assert.ok(end[0]!.startsWith('!'), end.join(', '));
    assert.match((await page.locator('.ys-loop-note').textContent()) ?? '', /still waiting: they never ran\./);
    assert.equal(await page.textContent('.ys-path-step .ps-label'), 'The program ended');
  });

  it('parks awaiting coroutines in their lane, with an edge to the coroutine they await', async () => {
    const t = await open('async-basics');
    const n = t.events.length;
    // main awaits triple(…), which awaits a promise.
    const mainAwaitsTriple = findIndex(t.events, (e) => e.kind === 'await' && e.co === 1 && e.target === 3);
    await seek(page, mainAwaitsTriple, n);
    assert.deepEqual(await lane(page, 'await'), ['triple#3', '+main#1']);
    assert.deepEqual(await page.locator('.lane-await .li-detail').allTextContents(), [
      'awaits Promise',
      'awaits triple#3',
    ]);
    assert.equal(await page.textContent('.ys-card[data-co="1"] .co-rel-text'), 'awaits triple#3');
    assert.equal(await page.locator('.ys-edge.edge-awaits').count(), 1);
    assert.match(
      (await page.locator('.lane-await .ys-loop-item').nth(1).locator('.li-resumes').textContent()) ?? '',
      /^resumes main#1 at event \d+$/,
    );
    await page.screenshot({ path: join(RESULTS, 'loop-awaits.png') });

    // The promise settles: a microtask resumes triple, which leaves the lane; main still waits.
    await step(page, 'ArrowRight', mainAwaitsTriple + 1, n);
    assert.deepEqual(await lane(page, 'await'), ['-triple#3', 'main#1']);
    assert.deepEqual(await page.locator('.ys-path-step .ps-label').allTextContents(), ['Promise reaction', 'triple#3']);
    assert.equal(
      await page.textContent('.ys-in-why'),
      'triple#3 was resumed by a microtask: the promise it awaited (Promise) fulfilled with 5, so the await at test/tracer/fixtures/async-basics.mjs:7:30 evaluates to it and triple#3 runs on.',
    );
    assert.equal(await page.locator('.ys-card[data-co="3"].is-running .co-step').textContent(), '1');
  });

  it('says which timer resumes an async generator, and reaches the lanes by keyboard', async () => {
    const t = await open('async-generators');
    const n = t.events.length;
    const queued = findIndex(t.events, (e) => e.kind === 'task-queue' && e.co !== 0);
    await seek(page, queued, n);
    assert.deepEqual(await lane(page, 'timer'), ['+timer #1']);
    assert.equal(await page.textContent('.lane-timer .li-by-text'), 'queued by streamer#2');
    assert.match(
      (await page.textContent('.lane-timer .li-resumes')) ?? '',
      // The timer's callback resolves streamer's promise; streamer yields, and that resumes main's for await.
      /^runs at event \d+: then its promise reactions resume streamer#2, main#1$/,
    );
    // Tab reaches the lane's item; Enter moves the cursor to where it runs.
    await page.focus('.lane-timer .ys-loop-item');
    await page.keyboard.press('ArrowRight');
    assert.equal(await computedStyle(page, '.lane-timer .ys-loop-item:focus-visible', 'outline-style'), 'solid');
    await page.keyboard.press('Enter');
    const run = findIndex(t.events, (e) => e.kind === 'task-run');
    await waitForText(page, '.ys-position', `event ${run + 1} of ${n}`);
    assert.deepEqual(await lane(page, 'timer'), ['-timer #1']);
    assert.equal(await page.textContent('.ys-path-step .ps-label'), 'timer #1');
  });

  it('warns about a promise rejected with no handler and an await that never resumed', async () => {
    const t = await open('unhandled');
    assert.equal(t.events.at(-1)?.kind, 'end');
    const warnings = await page.locator('.ys-warning .w-text').allTextContents();
    assert.ok(
      warnings.includes(
        'outer#2 rejected with Error: boom 1 and no handler caught it (it came from inner#3): the program ended with that error',
      ),
      warnings.join('\n'),
    );
    assert.ok(
      warnings.includes(
        'stuck#1 was still awaiting Promise when the program ended: that promise never settled, so the await never resumed',
      ),
      warnings.join('\n'),
    );
    assert.deepEqual(await lane(page, 'await'), ['!stuck#1']);
    assert.match((await page.textContent('.lane-await .li-resumes')) ?? '', /^never resumed/);
    await page.screenshot({ path: join(RESULTS, 'loop-unhandled.png') });
  });

  it('is readable in the dark and in high contrast themes', async () => {
    await open('async-basics');
    await seek(page, 12, traces['async-basics']!.events.length);
    await page.emulateMedia({ colorScheme: 'dark' });
    const bg = await computedStyle(page, 'body', 'background-color');
    assert.equal(bg, 'rgb(13, 17, 23)');
    await page.screenshot({ path: join(RESULTS, 'loop-dark.png') });
    // What VS Code sets in a high contrast theme: a class on the body and its colours as variables.
    await page.evaluate(`(() => {
      document.body.classList.add('vscode-high-contrast');
      const s = document.documentElement.style;
      s.setProperty('--vscode-editor-background', '#000000');
      s.setProperty('--vscode-foreground', '#ffffff');
      s.setProperty('--vscode-contrastBorder', '#6fc3df');
      s.setProperty('--vscode-contrastActiveBorder', '#f38518');
      s.setProperty('--vscode-focusBorder', '#f38518');
    })()`);
    await page.focus('.lane-await .ys-loop-item');
    await page.keyboard.press('ArrowLeft');
    assert.equal(await computedStyle(page, '.ys-loop-item', 'border-top-color'), 'rgb(111, 195, 223)');
    assert.equal(await computedStyle(page, ':focus-visible', 'outline-color'), 'rgb(243, 133, 24)');
    await page.screenshot({ path: join(RESULTS, 'loop-high-contrast.png') });
    await page.emulateMedia({ colorScheme: 'light' });
  });

  it('logged no error and made no request but its own pages', () => {
    assert.deepEqual(log.errors, []);
    assert.deepEqual(
      log.requests.filter((u) => !u.startsWith('file:') && !u.startsWith('data:')),
      [],
    );
  });
});
