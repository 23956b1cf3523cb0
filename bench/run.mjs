// The benchmark suite, one command: `npm run bench` prints one table, `npm run bench -- --json` the same rows as
// JSON. It builds the tracer, freezes a copy of it for the whole run (others may rebuild dist/ meanwhile), then
// runs every workload untraced, traced and under the anchor recorder (bench/anchor), in rounds: each round runs
// the three back to back, in a rotating order, so each traced and anchor run is paired with an untraced run of
// the same workload taken a moment before or after. Ratios are medians of the per-round ratios. Then the loader
// (bench/loader.mjs) and the webview (bench/webview.mjs, headless Chromium).
//
//   node bench/run.mjs [--json] [--only NAME,…] [--no-loader] [--no-webview]
//   BENCH_RUNS=N (rounds, default 9)   BENCH_NODE=path (the Node that runs the workloads)

import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { loaderBench } from './loader.mjs';
import { Mode, runWorkload } from './lib/workload-run.mjs';
import { textReport } from './lib/report.mjs';
import { traceCounter } from './lib/trace-count.mjs';

const bench = dirname(fileURLToPath(import.meta.url));
const root = join(bench, '..');
const { values: opts } = parseArgs({
  options: {
    json: { type: 'boolean', default: false },
    only: { type: 'string' },
    'no-loader': { type: 'boolean', default: false },
    'no-webview': { type: 'boolean', default: false },
  },
});
const runs = Math.max(1, Number(process.env.BENCH_RUNS ?? 9));
const node = process.env.BENCH_NODE ?? process.execPath;

/** The workloads; `target` is the ratio the project aims for (README, issue 9), null where none is set. */
const WORKLOADS = [
  { name: 'next() through 3-deep yield* (1e6)', file: 'yield-chain.mjs', target: 2 },
  { name: 'for…of over a 1e6-item generator', file: 'for-of.mjs', target: 2 },
  { name: 'lazy pipeline of 4 generators (1e6)', file: 'pipeline.mjs', target: 2 },
  { name: '1e6 sequential awaits', file: 'awaits.mjs', target: 2.5 },
  { name: '10k concurrent async tasks + timers', file: 'async-tasks.mjs', target: 2.5 },
  { name: 'async generator pipeline (2e5)', file: 'async-gen.mjs', target: 2.5 },
  { name: 'file I/O (1,600 files, fs callbacks)', file: 'file-io.mjs', target: 1.1 },
  { name: 'file reads + immediates + 1 ms timers', file: 'timers-io.mjs', target: 1.1 },
  { name: 'HTTP server + client, 2,000 requests', file: 'http.mjs', target: null },
];

const log = (text) => process.stderr.write(`${text}\n`);
const median = (xs) => {
  const s = xs.filter((x) => typeof x === 'number').sort((a, b) => a - b);
  if (s.length === 0) return undefined;
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
};
const round = (v, digits = 1) => (typeof v === 'number' ? +v.toFixed(digits) : undefined);
/** The lowest and highest of the paired ratios: how much the rounds disagreed. */
const spread = (xs) => [round(Math.min(...xs), 2), round(Math.max(...xs), 2)];

/** Builds dist/ from the current source, then copies the tracer aside so that every run measures one build. */
function buildTracer() {
  const build = spawnSync(process.execPath, [join(root, 'esbuild.js')], { stdio: ['ignore', 2, 2] });
  if (build.status !== 0) throw new Error('the build failed');
  // Inside node_modules so that the copy still resolves oxc-parser from the project's node_modules.
  const frozen = join(root, 'node_modules', '.cache', 'yieldscope-bench', String(process.pid));
  cpSync(join(root, 'dist', 'tracer'), join(frozen, 'tracer'), { recursive: true });
  return { dir: frozen, register: join(frozen, 'tracer', 'register.cjs') };
}

async function workloadRows(setup, countEvents) {
  const chosen = opts.only
    ? WORKLOADS.filter((w) => opts.only.split(',').some((s) => w.file.startsWith(s) || w.name.includes(s)))
    : WORKLOADS;
  const rows = [];
  const orders = [
    [Mode.Untraced, Mode.Traced, Mode.Anchor],
    [Mode.Anchor, Mode.Untraced, Mode.Traced],
    [Mode.Traced, Mode.Anchor, Mode.Untraced],
  ];
  for (const w of chosen) {
    const results = { [Mode.Untraced]: [], [Mode.Traced]: [], [Mode.Anchor]: [] };
    let lastTrace;
    for (let i = 0; i < runs; i++) {
      log(`  ${w.file}: round ${i + 1} of ${runs}`);
      for (const mode of orders[i % orders.length]) {
        const r = runWorkload(setup, w.file, mode, `${w.file}-${mode}-${i}`);
        results[mode].push(r);
        if (r.trace) {
          if (lastTrace) rmSync(lastTrace, { force: true });
          lastTrace = r.trace;
        }
      }
    }
    const pick = (mode, key) => results[mode].map((r) => r[key]);
    const paired = (mode) => results[mode].map((r, i) => r.ms / results[Mode.Untraced][i].ms);
    const traced = median(pick(Mode.Traced, 'ms'));
    const { events, dropped, bytes, problems } = await countEvents(lastTrace);
    rmSync(lastTrace, { force: true });
    if (problems.length) log(`  ${w.file}: the trace has problems: ${problems.join('; ')}`);
    if (dropped) log(`  ${w.file}: the tracer dropped ${dropped} events (its ring was full)`);
    rows.push({
      group: 'workload',
      name: w.name,
      file: w.file,
      baseline_ms: round(median(pick(Mode.Untraced, 'ms'))),
      traced_ms: round(traced),
      ratio: round(median(paired(Mode.Traced)), 2),
      ratio_range: spread(paired(Mode.Traced)),
      anchor_ms: round(median(pick(Mode.Anchor, 'ms'))),
      anchor_ratio: round(median(paired(Mode.Anchor)), 2),
      anchor_ratio_range: spread(paired(Mode.Anchor)),
      target: w.target,
      events,
      dropped_events: dropped,
      trace_bytes: bytes,
      bytes_per_event: round(bytes / events, 2),
      events_per_s: Math.round(events / (traced / 1000)),
      anchor_events: median(pick(Mode.Anchor, 'anchorEvents')),
      rss_baseline_mb: round(median(pick(Mode.Untraced, 'rssMB'))),
      rss_traced_mb: round(median(pick(Mode.Traced, 'rssMB'))),
      rss_anchor_mb: round(median(pick(Mode.Anchor, 'rssMB'))),
      wall_baseline_ms: round(median(pick(Mode.Untraced, 'wallMs'))),
      wall_traced_ms: round(median(pick(Mode.Traced, 'wallMs'))),
      wall_anchor_ms: round(median(pick(Mode.Anchor, 'wallMs'))),
    });
  }
  return rows;
}

function loaderRows(register) {
  log('  loader: 5,000-line TypeScript module');
  const r = loaderBench({ register, runs, node });
  const detail = `instrumenting a ${r.lines}-line TypeScript module under the tracer, over importing a 1-line module (${r.importSmallMs} ms)`;
  return [
    { group: 'loader', name: 'first load (empty cache)', ms: r.firstLoadMs, detail },
    { group: 'loader', name: 'cached load', ms: r.cachedLoadMs, detail },
    { group: 'loader', name: 'without a cache', ms: r.noCacheMs, detail },
  ];
}

function webviewRows() {
  log('  webview: 1,000,000-event trace in headless Chromium');
  const r = spawnSync(process.execPath, [join(bench, 'webview.mjs'), '--json'], {
    encoding: 'utf8',
    maxBuffer: 16 << 20,
  });
  if (r.status !== 0) {
    const why = r.stderr.trim().split('\n')[0] || `exit ${r.status}`;
    return [{ group: 'skipped', name: 'Webview', detail: why }];
  }
  const w = JSON.parse(r.stdout.trim().split('\n').pop());
  const detail =
    `${w.events.toLocaleString('en-US')} events, ${w.coroutines.toLocaleString('en-US')} coroutines, ` +
    `${(w.traceBytes / 1e6).toFixed(1)} MB trace in a report page; JS heap after load ${w.heapUsedMB} MB`;
  const row = (name, ms, target) => ({ group: 'webview', name, ms, target, detail });
  return [
    row('open → first drawing', w.firstDrawMs, 2000),
    row('open → whole trace loaded', w.loadedMs),
    row('seek, random jump: model (median)', w.seekJump.modelMedianMs, 16),
    row('seek, random jump: model (p95)', w.seekJump.modelP95Ms, 16),
    row('seek, random jump: app drawing (median)', w.redrawJump.medianMs),
    row('seek, random jump: whole frame (median)', w.frameJump.medianMs, 16),
    row('seek, scrubber drag: whole frame (median)', w.seekDrag.frameMedianMs, 16),
  ];
}

async function main() {
  const started = performance.now();
  log('bench: building the tracer');
  const frozen = buildTracer();
  const scratch = mkdtempSync(join(tmpdir(), 'ys-bench-'));
  const cleanUp = () => {
    rmSync(scratch, { recursive: true, force: true });
    rmSync(frozen.dir, { recursive: true, force: true });
  };
  // Ctrl+C also stops the running workload, whose failure ends up in the finally below; a signal to this process
  // alone is handled at its next turn of the event loop (after the current workload's rounds).
  for (const signal of ['SIGINT', 'SIGTERM'])
    process.once(signal, () => {
      cleanUp();
      process.exit(130);
    });
  const nodeVersion = spawnSync(node, ['-v'], { encoding: 'utf8' }).stdout.trim();
  const rows = [
    {
      group: 'machine',
      name: 'machine',
      node: nodeVersion,
      platform: `${process.platform} ${process.arch}`,
      cpus: cpus().length,
      cpu_model: cpus()[0]?.model.trim() ?? 'unknown',
      runs,
      load_before: round(loadavg()[0], 2),
      tracer_version: JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).version,
    },
  ];
  try {
    const countEvents = await traceCounter(root, scratch);
    const setup = { node, bench, tracer: frozen.register, scratch };
    log(`bench: workloads, ${runs} rounds each (untraced, Yieldscope, anchor)`);
    rows.push(...(await workloadRows(setup, countEvents)));
    // Before the loader and the webview: Chromium's own processes would count as other work.
    rows[0].load_after = round(loadavg()[0], 2);
    if (!opts['no-loader']) rows.push(...loaderRows(frozen.register));
    if (!opts['no-webview']) rows.push(...webviewRows());
  } finally {
    cleanUp();
  }
  rows[0].total_s = Math.round((performance.now() - started) / 1000);
  if (Math.max(rows[0].load_before, rows[0].load_after ?? 0) > cpus().length)
    log('bench: warning: the load average was above the CPU count: other work shared the machine');
  log(`bench: done in ${rows[0].total_s} s`);
  if (opts.json) console.log(JSON.stringify(rows, null, 2));
  else console.log(textReport(rows));
}

await main();
