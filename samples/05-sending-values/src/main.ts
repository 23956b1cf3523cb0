// Sending values in: next(v) resumes a generator and becomes the value of the yield it was paused at.

function* gen(start = 0): Generator<number, never, unknown> {
  let step = start;
  while (true) {
    const value = yield step;
    console.log(`Got ${String(value)}`);
    step += 1;
  }
}

const g = gen(1);
// In Python, sending a value to a just-started generator is a TypeError. JavaScript silently discards it:
console.log(g.next('lost'));
console.log(g.next('hello'));
console.log(g.next(42));
