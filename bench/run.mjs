// Benchmarks: each workload runs untraced and traced in the same invocation, alternating, several times; the
// table shows medians and the ratio traced/untraced (time measured inside the program, around the workload).

import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const register = join(here, '..', 'dist', 'tracer', 'register.cjs');
const json = process.argv.includes('--json');
const runs = Number(process.env.BENCH_RUNS ?? 5);
const workloads = [
  { name: 'next() through 3-deep yield*', file: 'yield-chain.mjs' },
  { name: 'for…of over a 1e6-item generator', file: 'for-of.mjs' },
  { name: '1e6 sequential awaits', file: 'awaits.mjs' },
  { name: 'timers and file I/O', file: 'timers-io.mjs' },
];

// Measure what the source says now: build the tracer first.
const build = spawnSync(process.execPath, [join(here, '..', 'esbuild.js')], { stdio: 'inherit' });
if (build.status !== 0) process.exit(build.status ?? 1);

const scratch = mkdtempSync(join(tmpdir(), 'ys-bench-'));
function once(file, traced) {
  const args = traced ? ['--require', register, join(here, 'workloads', file)] : [join(here, 'workloads', file)];
  const env = {
    ...process.env,
    YIELDSCOPE_OUT: join(scratch, 'bench.ystrace'),
    YIELDSCOPE_CACHE: join(scratch, 'cache'),
  };
  const r = spawnSync(process.execPath, args, { encoding: 'utf8', env });
  if (r.status !== 0) throw new Error(`${file} failed: ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').pop()).ms;
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const rows = [];
for (const w of workloads) {
  const base = [];
  const traced = [];
  for (let i = 0; i < runs; i++) {
    base.push(once(w.file, false));
    traced.push(once(w.file, true));
  }
  const b = median(base);
  const t = median(traced);
  rows.push({ name: w.name, baseline_ms: +b.toFixed(1), traced_ms: +t.toFixed(1), ratio: +(t / b).toFixed(2) });
}
rmSync(scratch, { recursive: true, force: true });
if (json) console.log(JSON.stringify(rows, null, 2));
else {
  console.log(`Node ${process.version}, ${runs} runs each, medians`);
  for (const r of rows)
    console.log(
      `${r.name.padEnd(36)} ${String(r.baseline_ms).padStart(8)} ms ${String(r.traced_ms).padStart(8)} ms  ×${r.ratio}`,
    );
}
