// 1,000,000 next() calls through a three-deep yield* chain.
const N = Number(process.argv[2] ?? 1_000_000);
function* inner() {
  let sent = 0;
  for (;;) sent = yield sent + 1;
}
function* middle() {
  yield* inner();
}
function* outer() {
  yield* middle();
}
const g = outer();
g.next();
const t0 = performance.now();
let sum = 0;
for (let i = 0; i < N; i++) sum += g.next(i).value;
const ms = performance.now() - t0;
console.log(JSON.stringify({ ms, sum }));
