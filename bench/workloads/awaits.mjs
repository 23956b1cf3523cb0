// 1,000,000 sequential awaits of resolved promises, in one async function.
const N = Number(process.argv[2] ?? 1_000_000);
async function main() {
  const t0 = performance.now();
  let sum = 0;
  for (let i = 0; i < N; i++) sum += await Promise.resolve(i);
  const ms = performance.now() - t0;
  console.log(JSON.stringify({ ms, sum }));
}
main();
