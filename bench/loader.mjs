// The loader's cost on a large file: a program that imports a generated 5,000-line TypeScript module, run
// under the tracer with no cache, with an empty cache (first load) and with a warm cache, against the same
// program importing a one-line module. The difference is what instrumenting the big file costs.

import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');
const defaults = {
  register: join(root, 'dist', 'tracer', 'register.cjs'),
  runs: Number(process.env.BENCH_RUNS ?? 7),
  node: process.env.BENCH_NODE ?? process.execPath,
};

/** Medians over `runs`; `register` is the tracer to load (bench/run.mjs passes its frozen copy of the build). */
export function loaderBench({ register, runs, node } = defaults) {
  const dir = mkdtempSync(join(tmpdir(), 'ys-loader-'));
  const gen = spawnSync(
    process.execPath,
    [
      '--import',
      'tsx',
      '-e',
      "import('./test/unit/strip-types-gen.ts').then(m => process.stdout.write((m.generateLargeFile ?? m.default.generateLargeFile)(5000)))",
    ],
    { cwd: root, encoding: 'utf8', maxBuffer: 64 << 20 },
  );
  if (gen.status !== 0) throw new Error(gen.stderr);
  writeFileSync(join(dir, 'big.mts'), gen.stdout);
  writeFileSync(join(dir, 'small.mts'), 'export const x = 1;\n');
  writeFileSync(join(dir, 'package.json'), '{ "type": "module" }\n');
  const main = (mod) => `const t = performance.now(); await import('./${mod}'); console.log(performance.now() - t);\n`;
  writeFileSync(join(dir, 'big-main.mjs'), main('big.mts'));
  writeFileSync(join(dir, 'small-main.mjs'), main('small.mts'));
  const once = (file, env) => {
    const r = spawnSync(node, ['--require', register, file], {
      cwd: dir,
      encoding: 'utf8',
      env: { ...process.env, YIELDSCOPE_OUT: join(dir, 'out.ystrace'), ...env },
    });
    rmSync(join(dir, 'out.ystrace'), { force: true });
    if (r.status !== 0) throw new Error(r.stderr);
    return Number(r.stdout.trim());
  };
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const noCache = [];
  const cold = [];
  const warm = [];
  const small = [];
  for (let i = 0; i < runs; i++) {
    const cache = join(dir, `cache-${i}`);
    noCache.push(once('big-main.mjs', { YIELDSCOPE_NO_CACHE: '1' }));
    cold.push(once('big-main.mjs', { YIELDSCOPE_CACHE: cache }));
    warm.push(once('big-main.mjs', { YIELDSCOPE_CACHE: cache }));
    small.push(once('small-main.mjs', { YIELDSCOPE_CACHE: cache }));
  }
  rmSync(dir, { recursive: true, force: true });
  const base = median(small);
  return {
    lines: gen.stdout.split('\n').length,
    importSmallMs: +base.toFixed(1),
    firstLoadMs: +(median(cold) - base).toFixed(1),
    cachedLoadMs: +(median(warm) - base).toFixed(1),
    noCacheMs: +(median(noCache) - base).toFixed(1),
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const r = loaderBench();
  console.log(
    `Node ${spawnSync(defaults.node, ['-v'], { encoding: 'utf8' }).stdout.trim()}: instrumenting a ${r.lines}-line TypeScript module`,
  );
  console.log(
    `  first load (empty cache) ${r.firstLoadMs} ms, cached ${r.cachedLoadMs} ms, without cache ${r.noCacheMs} ms (over importing a 1-line module: ${r.importSmallMs} ms)`,
  );
}
