// Coroutines before async/await: a generator yields the promises it waits for, and a runner resumes it with each
// result. Beside it, the same code written with async/await, which does the runner's job itself.

const names = new Map([
  [1, 'Ada'],
  [2, 'Grace'],
]);

/** A stand-in for I/O: the name of a user, a few milliseconds later, or a rejection for an unknown id. */
function fetchName(id: number): Promise<string> {
  return new Promise((resolve, reject) => {
    setTimeout(() => {
      const name = names.get(id);
      if (name) resolve(name);
      else reject(new Error(`no user ${id}`));
    }, 5);
  });
}

/**
 * Drives a generator-based coroutine: every value it yields is waited for, and the generator is resumed with the
 * outcome: next(value) when it fulfils, throw(error) when it rejects. The promise it returns settles with what the
 * generator returns (or throws). This is what an event loop did for Python's generator-based coroutines.
 */
function run<T>(coroutine: Generator<unknown, T, unknown>): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const step = (resume: () => IteratorResult<unknown, T>): void => {
      let result: IteratorResult<unknown, T>;
      try {
        result = resume();
      } catch (error) {
        reject(error);
        return;
      }
      if (result.done) {
        resolve(result.value);
        return;
      }
      Promise.resolve(result.value).then(
        (value) => step(() => coroutine.next(value)),
        (error: unknown) => step(() => coroutine.throw(error)),
      );
    };
    step(() => coroutine.next());
  });
}

// 1. A generator-based coroutine: `yield` hands a promise to the runner, and the runner sends back its result.
function* greetAll(ids: number[]): Generator<Promise<string>, string, string> {
  const greeted: string[] = [];
  for (const id of ids) {
    try {
      const name = yield fetchName(id);
      console.log(`  generator: got ${name}`);
      greeted.push(name);
    } catch (error) {
      console.log(`  generator: ${(error as Error).message}`);
    }
  }
  return `hello, ${greeted.join(' and ')}`;
}

// 2. The same coroutine as an async function: `await` where the generator had `yield`, and no runner.
async function greetAllAsync(ids: number[]): Promise<string> {
  const greeted: string[] = [];
  for (const id of ids) {
    try {
      const name = await fetchName(id);
      console.log(`  async function: got ${name}`);
      greeted.push(name);
    } catch (error) {
      console.log(`  async function: ${(error as Error).message}`);
    }
  }
  return `hello, ${greeted.join(' and ')}`;
}

console.log('run(greetAll(…)) →', await run(greetAll([1, 3, 2])));
console.log('greetAllAsync(…) →', await greetAllAsync([1, 3, 2]));
