// One run of one workload in one of three modes, each its own Node process: untraced, under the Yieldscope
// tracer, or under the anchor recorder. Every mode preloads bench/measure.cjs last, which reports peak RSS (and
// the anchor's event count) when the process exits. The workload prints {"ms": …} measured around its work.

import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

export const Mode = { Untraced: 'untraced', Traced: 'traced', Anchor: 'anchor' };

/**
 * @param {{ node: string, bench: string, tracer: string, scratch: string }} setup
 * @param {string} file the workload's file name in bench/workloads
 * @param {string} mode one of Mode
 * @param {string} id unique within the invocation: names the trace and measure files
 */
export function runWorkload(setup, file, mode, id) {
  const measureOut = join(setup.scratch, `${id}.measure.json`);
  const traceOut = join(setup.scratch, `${id}.ystrace`);
  const preload =
    mode === Mode.Traced
      ? ['--require', setup.tracer]
      : mode === Mode.Anchor
        ? ['--require', join(setup.bench, 'anchor', 'register.cjs')]
        : [];
  const args = [...preload, '--require', join(setup.bench, 'measure.cjs'), join(setup.bench, 'workloads', file)];
  const env = {
    ...process.env,
    BENCH_MEASURE_OUT: measureOut,
    YIELDSCOPE_OUT: traceOut,
    YIELDSCOPE_CACHE: join(setup.scratch, 'cache'),
  };
  const t0 = performance.now();
  const r = spawnSync(setup.node, args, { encoding: 'utf8', env, maxBuffer: 64 << 20 });
  const wallMs = performance.now() - t0;
  if (r.status !== 0) throw new Error(`${file} (${mode}) exited with ${r.status ?? r.signal}:\n${r.stderr}`);
  const lines = r.stdout.trim().split('\n');
  const { ms } = JSON.parse(lines[lines.length - 1]);
  const measured = JSON.parse(readFileSync(measureOut, 'utf8'));
  rmSync(measureOut);
  return {
    ms,
    wallMs,
    rssMB: measured.maxRssKB / 1024,
    anchorEvents: measured.anchorEvents,
    trace: mode === Mode.Traced ? traceOut : undefined,
  };
}
