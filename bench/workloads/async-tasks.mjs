// Many concurrent async tasks with timers: 10,000 async functions, each sleeping five times on a timer of 0–2 ms
// and awaiting a small async computation after each sleep.
const TASKS = Number(process.argv[2] ?? 10_000);
const ROUNDS = 5;
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
async function compute(id, round) {
  return (id * 31 + round) % 7;
}
async function task(id) {
  let total = 0;
  for (let round = 0; round < ROUNDS; round++) {
    await sleep((id + round) % 3);
    total += await compute(id, round);
  }
  return total;
}
const t0 = performance.now();
const totals = await Promise.all(Array.from({ length: TASKS }, (_, id) => task(id)));
const ms = performance.now() - t0;
console.log(JSON.stringify({ ms, sum: totals.reduce((a, b) => a + b, 0) }));
