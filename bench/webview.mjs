// The visualiser at scale: a synthetic trace of 1,000,000 events (a pool of 1,000 live generators, yield*
// chains, output; with --async, async functions parked on awaits and queued callbacks too; see
// src/model/syntheticTrace.ts) in a standalone report, opened in headless Chromium. Prints the time to the
// first drawing and until the whole trace is loaded, the JavaScript heap, and what a seek costs: the model's
// part (state at the new cursor), the app's drawing (`render`), and the whole frame (from the frame's start to
// after the browser's style, layout and paint), for random jumps, a drag of the scrubber and steps back; then
// the frames while playing at full speed. `--codec-patch` builds the page with the decoder change proposed in
// docs/visualiser.md (object literals instead of spreads), to show what it would change.
//
//   node bench/webview.mjs [--events N] [--live N] [--async SHARE] [--codec-patch] [--profile FILE] [--json]
//   node bench/webview.mjs --live 10000 --async 0.3      (10,000 live coroutines, thousands parked on awaits)
//   node bench/webview.mjs --live 65000                  (65,000 generators at once: about 78,000 live at the end)
//   node bench/webview.mjs --seeks 30 --profile jumps.cpuprofile   (fewer jumps, with a CPU profile of them)
//
// Under the seek lines, "app drawing by part" splits the app's drawing of a jump (medians of `data-parts`).

import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import esbuild from 'esbuild';
import { chromium } from 'playwright-core';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { values: opts } = parseArgs({
  options: {
    events: { type: 'string', default: '1000000' },
    live: { type: 'string', default: '1000' },
    life: { type: 'string', default: '100' },
    async: { type: 'string', default: '0' },
    seeks: { type: 'string', default: '100' },
    'codec-patch': { type: 'boolean', default: false },
    profile: { type: 'string' },
    json: { type: 'boolean', default: false },
  },
});
const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';

/** Spreads of a shared base object are many times slower in V8 than object literals (see docs/visualiser.md). */
const codecPatch = {
  name: 'codec-patch',
  setup(build) {
    build.onLoad({ filter: /src[\\/]protocol[\\/]codec\.ts$/ }, (args) => ({
      contents: readFileSync(args.path, 'utf8').replace(
        /\{ \.\.\.base, kind:/g,
        '{ seq: base.seq, time: base.time, co: base.co, kind:',
      ),
      loader: 'ts',
    }));
  },
};

async function buildAll(dir) {
  // The webview bundle, as esbuild.js builds it (optionally with the decoder patch).
  await esbuild.build({
    entryPoints: { main: join(root, 'webview', 'main.ts') },
    outdir: dir,
    bundle: true,
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
    loader: { '.css': 'css' },
    logLevel: 'silent',
    plugins: opts['codec-patch'] ? [codecPatch] : [],
  });
  // The trace generator and the report writer, for this script.
  const tool = join(dir, 'tool.mjs');
  await esbuild.build({
    stdin: {
      contents: `export { syntheticTrace } from './src/model/syntheticTrace';
                 export { encodeTrace } from './src/protocol/codec';
                 export { renderReport } from './src/cli/report';`,
      resolveDir: root,
      loader: 'ts',
    },
    outfile: tool,
    bundle: true,
    platform: 'node',
    format: 'esm',
    logLevel: 'silent',
  });
  return import(pathToFileURL(tool).href);
}

/** Medians of the app's `data-parts` ("name ms, name ms") over several drawings. */
function medianParts(all) {
  const byName = new Map();
  for (const text of all) {
    for (const part of (text ?? '').split(', ').filter(Boolean)) {
      const at = part.lastIndexOf(' ');
      const name = part.slice(0, at);
      if (!byName.has(name)) byName.set(name, []);
      byName.get(name).push(Number(part.slice(at + 1)));
    }
  }
  return Object.fromEntries([...byName].map(([name, xs]) => [name, median(xs)]));
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.floor(s.length / 2)] : NaN;
};
const p95 = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.floor(s.length * 0.95))] : NaN;
};

/** Coroutines neither closed nor failed after the last event. */
function liveAtEnd(events) {
  const live = new Set();
  for (const e of events) {
    if (e.kind === 'create') live.add(e.co);
    else if (e.kind === 'return' || e.kind === 'throw') live.delete(e.co);
  }
  return live.size;
}

async function main() {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium`);
  const dir = mkdtempSync(join(tmpdir(), 'ys-bench-webview-'));
  try {
    const tool = await buildAll(dir);
    const t0 = performance.now();
    const trace = tool.syntheticTrace({
      events: Number(opts.events),
      live: Number(opts.live),
      life: Number(opts.life),
      seed: 42,
      async: Number(opts.async),
    });
    const live = liveAtEnd(trace.events);
    const bytes = tool.encodeTrace(trace);
    const coroutines = trace.events.filter((e) => e.kind === 'create').length;
    const events = trace.events.length;
    trace.events.length = 0;
    const html = tool.renderReport(bytes, 'bench', {
      script: readFileSync(join(dir, 'main.js'), 'utf8'),
      style: readFileSync(join(dir, 'main.css'), 'utf8'),
    });
    const file = join(dir, 'report.html');
    writeFileSync(file, html);
    const generateMs = performance.now() - t0;

    const profile = mkdtempSync(join(tmpdir(), 'ys-bench-chromium-'));
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
        '--enable-precise-memory-info',
        '--js-flags=--expose-gc',
      ],
      viewport: { width: 1400, height: 900 },
    });
    try {
      const page = await context.newPage();
      const errors = [];
      page.on('pageerror', (e) => errors.push(String(e)));
      await page.goto(pathToFileURL(file).href);
      const mark = (name) => page.evaluate((n) => performance.getEntriesByName(n)[0]?.startTime ?? null, name);
      let firstDraw = null;
      let loaded = null;
      for (let i = 0; i < 1200 && loaded === null; i++) {
        firstDraw ??= await mark('ys-first-draw');
        loaded = await mark('ys-loaded');
        if (loaded === null) await page.waitForTimeout(50);
      }
      firstDraw ??= await mark('ys-first-draw');
      await page.waitForTimeout(300);
      const heap = await page.evaluate(() => {
        globalThis.gc?.();
        const m = performance.memory;
        return m ? { used: m.usedJSHeapSize, total: m.totalJSHeapSize } : null;
      });
      const cdp = await context.newCDPSession(page);
      const metrics = Object.fromEntries(
        (await cdp.send('Performance.enable').then(() => cdp.send('Performance.getMetrics'))).metrics.map((m) => [
          m.name,
          m.value,
        ]),
      );

      /** Moves the scrubber to `index` as a user would, waits for the drawing, reads what it cost. */
      const seek = (index) =>
        page.evaluate(
          (i) =>
            new Promise((done) => {
              const range = document.querySelector('.ys-range');
              const app = document.getElementById('app');
              const start = performance.now();
              range.value = String(i);
              range.dispatchEvent(new Event('input', { bubbles: true }));
              // The app drew in an earlier callback of this frame; `frameStart` is when the frame began, and
              // the timeout runs after the browser's style, layout and paint of it.
              requestAnimationFrame((frameStart) =>
                setTimeout(() =>
                  done({
                    total: performance.now() - start,
                    frame: performance.now() - frameStart,
                    seek: Number(app.dataset.seekMs),
                    render: Number(app.dataset.renderMs),
                    cursor: Number(app.dataset.cursor),
                    heavy: app.dataset.heavy,
                    parts: app.dataset.parts,
                  }),
                ),
              );
            }),
          index,
        );
      const n = Number(opts.seeks);
      let x = 12345;
      const jumps = [];
      // `--profile FILE`: a CPU profile of the random jumps (open it in Chromium's DevTools, Performance panel).
      if (opts.profile) await cdp.send('Profiler.enable').then(() => cdp.send('Profiler.start'));
      for (let k = 0; k < n; k++) {
        x = (x * 48271) % 2147483647;
        // Apart enough that each jump is drawn in full (inputs close together are a drag, drawn lighter).
        await page.waitForTimeout(250);
        const r = await seek(x % events);
        if (r.heavy !== 'true') throw new Error('a jump was not drawn in full');
        if (r.cursor !== x % events) throw new Error(`the cursor went to ${r.cursor}, not ${x % events}`);
        jumps.push(r);
      }
      if (opts.profile) {
        const { profile: cpu } = await cdp.send('Profiler.stop');
        writeFileSync(opts.profile, JSON.stringify(cpu));
      }
      const drag = [];
      for (let k = 0; k < n; k++) drag.push(await seek(400_000 + k * 500));
      // Steps back one event at a time with the ← key (each drawn in full: a key press is not a drag).
      const steps = [];
      const stepFrom = Math.min(events - 1, 600_000);
      await seek(stepFrom + 1);
      await page.waitForTimeout(250);
      for (let k = 0; k < n; k++) {
        const r = await page.evaluate(
          () =>
            new Promise((done) => {
              const app = document.getElementById('app');
              document.activeElement?.blur();
              document.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowLeft', bubbles: true }));
              requestAnimationFrame((frameStart) =>
                setTimeout(() =>
                  done({
                    frame: performance.now() - frameStart,
                    seek: Number(app.dataset.seekMs),
                    render: Number(app.dataset.renderMs),
                    cursor: Number(app.dataset.cursor),
                  }),
                ),
              );
            }),
        );
        if (r.cursor !== stepFrom - k) throw new Error(`stepped to ${r.cursor}, not ${stepFrom - k}`);
        steps.push(r);
      }
      // Drags the scrubber for real: inputs 8 ms apart, as fast as a mouse sends them; the cards, Inspector and
      // Events are drawn at most every 50 ms meanwhile, so the frames of the drag are what to look at.
      const dragFrames = await page.evaluate(
        ({ from, count }) =>
          new Promise((done) => {
            const range = document.querySelector('.ys-range');
            const frames = [];
            let last = 0;
            let k = 0;
            const tick = (t) => {
              if (last) frames.push(t - last);
              last = t;
              if (frames.length < 90) requestAnimationFrame(tick);
            };
            requestAnimationFrame(tick);
            const timer = setInterval(() => {
              range.value = String(from + k++ * 997);
              range.dispatchEvent(new Event('input', { bubbles: true }));
              if (k >= count) clearInterval(timer);
            }, 8);
            setTimeout(() => done(frames), 2500);
          }),
        { from: 100_000, count: 180 },
      );
      // Plays at the fastest speed from the first event for two seconds; frame intervals as the page saw them.
      await page.selectOption('.ys-speed', '8192');
      await page.keyboard.press('Home');
      await page.waitForTimeout(200);
      const playFrames = await page.evaluate(
        () =>
          new Promise((done) => {
            const frames = [];
            let last = 0;
            const app = document.getElementById('app');
            const tick = (t) => {
              if (last) frames.push(t - last);
              last = t;
              if (frames.length < 120) requestAnimationFrame(tick);
              else {
                document.querySelector('.ys-play').click();
                done({ frames, cursor: Number(app.dataset.cursor) });
              }
            };
            document.querySelector('.ys-play').click();
            requestAnimationFrame(tick);
          }),
      );
      const cardsInDom = await page.evaluate(() => document.querySelectorAll('.ys-card').length);
      const rowsInDom = await page.evaluate(() => document.querySelectorAll('.ev-row').length);
      const notes = await page.evaluate(() =>
        [...document.querySelectorAll('.ys-coroutines > .ys-note, .ys-loop-note, .ys-tl-note')]
          .map((e) => e.textContent)
          .filter(Boolean),
      );

      const result = {
        events,
        coroutines,
        traceBytes: bytes.length,
        codecPatch: opts['codec-patch'],
        generateMs: Math.round(generateMs),
        firstDrawMs: firstDraw === null ? null : Math.round(firstDraw),
        loadedMs: loaded === null ? null : Math.round(loaded),
        heapUsedMB: heap ? Math.round(heap.used / 1e6) : Math.round(metrics.JSHeapUsedSize / 1e6),
        heapTotalMB: heap ? Math.round(heap.total / 1e6) : Math.round(metrics.JSHeapTotalSize / 1e6),
        seekJump: { modelMedianMs: median(jumps.map((j) => j.seek)), modelP95Ms: p95(jumps.map((j) => j.seek)) },
        liveCoroutines: live,
        redrawJump: { medianMs: median(jumps.map((j) => j.render)), p95Ms: p95(jumps.map((j) => j.render)) },
        frameJump: { medianMs: median(jumps.map((j) => j.frame)), p95Ms: p95(jumps.map((j) => j.frame)) },
        partsJump: medianParts(jumps.map((j) => j.parts)),
        seekDrag: {
          modelMedianMs: median(drag.map((j) => j.seek)),
          redrawMedianMs: median(drag.map((j) => j.render)),
          frameMedianMs: median(drag.map((j) => j.frame)),
        },
        seekStepBack: {
          modelMedianMs: median(steps.map((j) => j.seek)),
          redrawMedianMs: median(steps.map((j) => j.render)),
          frameMedianMs: median(steps.map((j) => j.frame)),
        },
        dragFrames: { medianMs: median(dragFrames), p95Ms: p95(dragFrames) },
        play: {
          frameMedianMs: median(playFrames.frames),
          frameP95Ms: p95(playFrames.frames),
          reached: playFrames.cursor,
        },
        dom: { cards: cardsInDom, eventRows: rowsInDom },
        notes,
        pageErrors: errors,
      };
      if (opts.json) console.log(JSON.stringify(result));
      else printResult(result);
    } finally {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function printResult(r) {
  const ms = (v) => (typeof v === 'number' ? `${v.toFixed(v < 10 ? 2 : 0)} ms` : 'n/a');
  console.log(
    `webview bench: ${r.events.toLocaleString('en-US')} events, ${r.coroutines.toLocaleString('en-US')} coroutines, ` +
      `${(r.traceBytes / 1e6).toFixed(1)} MB trace${r.codecPatch ? ' (with the proposed decoder patch)' : ''}`,
  );
  console.log(`  open → first drawing   ${ms(r.firstDrawMs)}   (target < 2000 ms)`);
  console.log(`  open → all loaded      ${ms(r.loadedMs)}`);
  console.log(`  JS heap after load     ${r.heapUsedMB} MB used, ${r.heapTotalMB} MB allocated   (target < 500 MB)`);
  console.log(`  live coroutines at the end: ${r.liveCoroutines.toLocaleString('en-US')}`);
  console.log(
    `  seek, random jumps     model ${ms(r.seekJump.modelMedianMs)} median (p95 ${ms(r.seekJump.modelP95Ms)}), app drawing ${ms(r.redrawJump.medianMs)} median (p95 ${ms(r.redrawJump.p95Ms)}), whole frame ${ms(r.frameJump.medianMs)} median (p95 ${ms(r.frameJump.p95Ms)})   (target < 16 ms)`,
  );
  const parts = Object.entries(r.partsJump).map(([k, v]) => `${k} ${ms(v)}`);
  console.log(`    app drawing by part, medians: ${parts.join(', ')}`);
  console.log(
    `  seek, scrubber drag    model ${ms(r.seekDrag.modelMedianMs)} median, app drawing ${ms(r.seekDrag.redrawMedianMs)} median, whole frame ${ms(r.seekDrag.frameMedianMs)} median`,
  );
  console.log(
    `  seek, step back        model ${ms(r.seekStepBack.modelMedianMs)} median, app drawing ${ms(r.seekStepBack.redrawMedianMs)} median, whole frame ${ms(r.seekStepBack.frameMedianMs)} median`,
  );
  console.log(
    `  dragging (inputs 8 ms apart)   frame interval ${ms(r.dragFrames.medianMs)} median (p95 ${ms(r.dragFrames.p95Ms)})   (60 fps: 16.7 ms)`,
  );
  console.log(
    `  playing at 8,192 events/s      frame interval ${ms(r.play.frameMedianMs)} median (p95 ${ms(r.play.frameP95Ms)})`,
  );
  console.log(`  in the page: ${r.dom.cards} cards, ${r.dom.eventRows} event rows`);
  for (const note of r.notes) console.log(`  on screen: ${note}`);
  if (r.pageErrors.length) console.log(`  page errors: ${r.pageErrors.join('; ')}`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
