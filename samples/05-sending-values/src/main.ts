// Sending values in: next(v) resumes a generator, and v becomes the value of the yield it was paused at.

function* gen(start = 0): Generator<number, never, unknown> {
  let step = start;
  while (true) {
    const value = yield step;
    console.log(`Got ${String(value)}`);
    step += 1;
  }
}

const g = gen(1);
// The first next() starts the body, which runs to the first yield. No yield is waiting yet for a value, so
// JavaScript silently discards one sent now. Python's g.send("lost") here raises TypeError instead.
console.log("g.next('lost') →", g.next('lost'));
console.log("g.next('hello') →", g.next('hello'));
console.log('g.next(42) →', g.next(42));
