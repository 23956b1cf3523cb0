// Async tasks taking turns: each await gives the event loop back, so that the other tasks run while a timer
// counts down. Promise.all waits for every one of them.

/** Resolves after `ms` milliseconds: a timer promise, JavaScript's asyncio.sleep. */
function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * The pause after each job. Every task pauses as long: timers of the same length fire in the order they were set,
 * so the tasks take their turns in the same order on every run, however busy the machine.
 */
const PAUSE = 50;

/** Does `jobs` jobs, pausing after each. It prints the time each job is planned for (not measured). */
async function task(name: string, jobs: number): Promise<string> {
  let clock = 0;
  for (let job = 1; job <= jobs; job++) {
    console.log(`${String(clock).padStart(3)} ms: ${name} does job ${job} of ${jobs}`);
    await sleep(PAUSE); // the turn goes back to the event loop until the timer fires
    clock += PAUSE;
  }
  console.log(`${String(clock).padStart(3)} ms: ${name} finished`);
  return `${name} did ${jobs} jobs`;
}

// The three calls start the three tasks at once: each runs to its first await and leaves a pending promise.
const results = await Promise.all([task('A', 4), task('B', 3), task('C', 2)]);
// The results come in the order of the promises given to Promise.all, not in the order the tasks finished.
console.log(results);
console.log('all finished after 200 ms, as long as the longest task; one after the other they would take 450 ms');
