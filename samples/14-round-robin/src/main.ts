// A round-robin scheduler: generators as lightweight threads that take turns, each yield giving the turn back.

/** A task runs until it yields (gives up its turn) and returns a result when it is done. What it yields (here,
 * how many turns it still means to sleep) is for whoever watches; this scheduler does not look at it. */
type Task = Generator<number, string, undefined>;

/** The scheduler's clock, which tasks may read, like an event loop's time. */
let turn = 0;

/** Waits for `turns` turns, giving each one back to the scheduler (asyncio.sleep was a generator like this). */
function* sleep(turns: number): Generator<number, void, undefined> {
  for (let left = turns; left > 0; left--) yield left;
}

function* worker(name: string, jobs: number, pause: number): Task {
  for (let job = 1; job <= jobs; job++) {
    console.log(`turn ${turn}: ${name} does job ${job} of ${jobs}`);
    // Delegating to sleep: its yields hand the turn back to the scheduler, through this generator.
    yield* sleep(pause);
  }
  return `${name} did ${jobs} jobs`;
}

/** Runs the ready tasks in turn, one step each, until every one of them has returned. */
function roundRobin(tasks: ReadonlyArray<readonly [string, Task]>): void {
  const ready = [...tasks];
  while (ready.length > 0) {
    const [name, task] = ready.shift() as readonly [string, Task];
    turn += 1;
    const result = task.next();
    if (result.done) console.log(`turn ${turn}: ${name} finished: ${result.value}`);
    else ready.push([name, task]);
  }
  console.log(`all tasks finished after ${turn} turns`);
}

roundRobin([
  ['A', worker('A', 3, 1)],
  ['B', worker('B', 2, 2)],
  ['C', worker('C', 2, 3)],
]);
