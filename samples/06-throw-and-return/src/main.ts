// throw() and return(): making a suspended generator fail, or finish, at the yield where it waits.

// A worker that handles the errors it is sent, and cleans up however it ends.
function* worker(): Generator<string, string, unknown> {
  let job = 0;
  try {
    while (true) {
      job += 1;
      try {
        yield `job ${job}`;
      } catch (error) {
        console.log(`  worker: caught "${(error as Error).message}", carries on`);
      }
    }
  } finally {
    console.log('  worker: finally, cleaning up');
  }
}

// 1. throw(e), handled: the error is raised at the yield, the generator catches it and runs to its next yield,
// whose value is what throw() returns.
const handled = worker();
console.log('handled.next() →', handled.next());
console.log("handled.throw(new Error('retry')) →", handled.throw(new Error('retry')));

// 2. return(v): the generator finishes at the yield where it waits. Its finally block runs, and the result is
// { value: v, done: true }. This is Python's close(), which raises GeneratorExit at the yield instead.
console.log("handled.return('stopped') →", handled.return('stopped'));
console.log('handled.next() →', handled.next(), '(closed for good)');

// 3. throw(e), not handled: the error goes through the generator, which closes, and out to the caller.
function* fragile(): Generator<number, void, unknown> {
  yield 1;
  yield 2;
}

const unhandled = fragile();
console.log('unhandled.next() →', unhandled.next());
try {
  unhandled.throw(new Error('boom'));
} catch (error) {
  console.log(`the caller caught "${(error as Error).message}"`);
}
console.log('unhandled.next() →', unhandled.next(), '(closed: 2 is never yielded)');

// 4. Before the first next(), the body has not started and no try block is active: return() closes the
// generator without running its finally block, and throw() closes it and throws straight back to the caller.
const early = worker();
console.log("early.return('never ran') →", early.return('never ran'));
const earlier = worker();
try {
  earlier.throw(new Error('too early'));
} catch (error) {
  console.log(`the caller caught "${(error as Error).message}"`);
}
