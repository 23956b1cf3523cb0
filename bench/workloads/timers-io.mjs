// A program dominated by timers and file I/O: reads of a file, each followed by an immediate and a timer, in
// four concurrent chains (callbacks and awaits of promises made from them).
import { readFile } from 'node:fs';
import { fileURLToPath } from 'node:url';

const N = Number(process.argv[2] ?? 400);
const file = fileURLToPath(import.meta.url);
const step = () =>
  new Promise((resolve, reject) =>
    readFile(file, (err, data) => {
      if (err) return reject(err);
      setImmediate(() => setTimeout(() => resolve(data.length), 1));
    }),
  );
async function chain(n) {
  let bytes = 0;
  for (let i = 0; i < n; i++) bytes += await step();
  return bytes;
}
const t0 = performance.now();
const totals = await Promise.all([chain(N / 4), chain(N / 4), chain(N / 4), chain(N / 4)]);
const ms = performance.now() - t0;
console.log(JSON.stringify({ ms, sum: totals.reduce((a, b) => a + b, 0) }));
