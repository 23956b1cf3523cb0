// A file-I/O-bound program: 16 concurrent workers write, stat, read back and delete 1,600 small files in all, with
// fs callbacks wrapped in promises and awaited (the usual shape of code written before fs/promises).
import { mkdtempSync, readFile, rmSync, stat, unlink, writeFile } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const FILES = Number(process.argv[2] ?? 1600);
const WORKERS = 16;
const dir = mkdtempSync(join(tmpdir(), 'ys-bench-io-'));
const call = (fn, ...args) =>
  new Promise((resolve, reject) => fn(...args, (err, value) => (err ? reject(err) : resolve(value))));
const content = (i) => `file ${i}\n`.repeat(64);
async function worker(first) {
  let bytes = 0;
  for (let i = first; i < FILES; i += WORKERS) {
    const path = join(dir, `f${i}.txt`);
    await call(writeFile, path, content(i));
    const { size } = await call(stat, path);
    const text = await call(readFile, path, 'utf8');
    if (text.length !== size) throw new Error(`${path}: read ${text.length} of ${size} bytes`);
    await call(unlink, path);
    bytes += size;
  }
  return bytes;
}
const t0 = performance.now();
const totals = await Promise.all(Array.from({ length: WORKERS }, (_, k) => worker(k)));
const ms = performance.now() - t0;
rmSync(dir, { recursive: true, force: true });
console.log(JSON.stringify({ ms, sum: totals.reduce((a, b) => a + b, 0) }));
