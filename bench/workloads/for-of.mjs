// A for…of over a 1,000,000-item generator.
const N = Number(process.argv[2] ?? 1_000_000);
function* range(n) {
  for (let i = 0; i < n; i++) yield i;
}
const t0 = performance.now();
let sum = 0;
for (const x of range(N)) sum += x;
const ms = performance.now() - t0;
console.log(JSON.stringify({ ms, sum }));
