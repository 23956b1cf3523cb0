// A lazy pipeline of several generators, pulled by for…of: range → map → filter → take. 1,000,000 numbers enter;
// take stops after the last even one, which closes the chain with return() through every stage.
const N = Number(process.argv[2] ?? 1_000_000);
function* range(n) {
  for (let i = 0; i < n; i++) yield i;
}
function* map(source, f) {
  for (const x of source) yield f(x);
}
function* filter(source, keep) {
  for (const x of source) if (keep(x)) yield x;
}
function* take(source, n) {
  if (n <= 0) return;
  for (const x of source) {
    yield x;
    if (--n === 0) return;
  }
}
const t0 = performance.now();
let sum = 0;
const evens = filter(
  map(range(N), (x) => x * 3),
  (x) => x % 2 === 0,
);
for (const x of take(evens, N / 2)) sum += x;
const ms = performance.now() - t0;
console.log(JSON.stringify({ ms, sum }));
