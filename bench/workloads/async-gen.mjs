// An async generator pipeline, pulled by for await…of: source → map → filter → batch, 200,000 numbers entering.
const N = Number(process.argv[2] ?? 200_000);
async function* source(n) {
  for (let i = 0; i < n; i++) yield i;
}
async function* map(items, f) {
  for await (const x of items) yield f(x);
}
async function* filter(items, keep) {
  for await (const x of items) if (keep(x)) yield x;
}
async function* batch(items, size) {
  let group = [];
  for await (const x of items) {
    group.push(x);
    if (group.length === size) {
      yield group;
      group = [];
    }
  }
  if (group.length > 0) yield group;
}
const t0 = performance.now();
let sum = 0;
const pipeline = batch(
  filter(
    map(source(N), (x) => x * 3),
    (x) => x % 2 === 0,
  ),
  100,
);
for await (const group of pipeline) for (const x of group) sum += x;
const ms = performance.now() - t0;
console.log(JSON.stringify({ ms, sum }));
