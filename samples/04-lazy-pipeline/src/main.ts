// A lazy pipeline: the first ten even numbers of a million, pulled one at a time through filter and take.

let made = 0; // how many numbers newRange has made so far

function* newRange(n: number): Generator<number, void, undefined> {
  let i = 0;
  while (i < n) {
    made += 1;
    yield i;
    i += 1;
  }
}

const isEven = (n: number): boolean => n % 2 === 0;

// 1. The stages as generators: each one pulls a value from the stage before it only when it is asked for one.
function* filter<T>(source: Iterable<T>, keep: (value: T) => boolean): Generator<T, void, undefined> {
  for (const value of source) {
    if (keep(value)) yield value;
  }
}

function* take<T>(source: Iterable<T>, count: number): Generator<T, void, undefined> {
  if (count <= 0) return;
  let taken = 0;
  for (const value of source) {
    yield value;
    taken += 1;
    // Leaving a for…of early closes what it iterates: return() travels up the pipeline to newRange.
    if (taken === count) return;
  }
}

console.log('generators:', [...take(filter(newRange(1_000_000), isEven), 10)]);
console.log(`newRange made ${made} of its 1,000,000 numbers`);

function hasIteratorHelpers(): boolean {
  return typeof Iterator === 'function' && typeof Iterator.prototype.take === 'function';
}

// Node 20 has no iterator helpers. lazy() stands in for them with the same behaviour, step for step: plain
// iterator objects that pull from their source when asked and close it (return()) when they stop early.
function lazy<T>(source: Iterator<T, unknown>): Helper<T> {
  return new Helper(source, (s) => s.next() as IteratorResult<T, undefined>);
}

type Step<T> = (source: Iterator<T, unknown>) => IteratorResult<T, undefined>;

class Helper<T> implements IterableIterator<T, undefined> {
  private done = false;
  private readonly source: Iterator<T, unknown>;
  private readonly step: Step<T>;

  constructor(source: Iterator<T, unknown>, step: Step<T>) {
    this.source = source;
    this.step = step;
  }

  next(): IteratorResult<T, undefined> {
    if (this.done) return { value: undefined, done: true };
    const result = this.step(this.source);
    if (result.done) this.done = true;
    return result;
  }

  return(): IteratorResult<T, undefined> {
    if (!this.done) {
      this.done = true;
      this.source.return?.();
    }
    return { value: undefined, done: true };
  }

  [Symbol.iterator](): Helper<T> {
    return this;
  }

  filter(keep: (value: T) => boolean): Helper<T> {
    return new Helper(this, (source) => {
      for (;;) {
        const result = source.next();
        if (result.done) return { value: undefined, done: true };
        if (keep(result.value)) return result;
      }
    });
  }

  take(count: number): Helper<T> {
    let left = count;
    return new Helper(this, (source) => {
      if (left <= 0) {
        source.return?.();
        return { value: undefined, done: true };
      }
      left -= 1;
      const result = source.next();
      return result.done ? { value: undefined, done: true } : result;
    });
  }
}

// 2. The same with the built-in iterator helpers (Node 22 and newer): filter and take are methods of every
// iterator. They are plain iterator objects, not generators, so only newRange appears as a coroutine.
made = 0;
const evens = hasIteratorHelpers()
  ? newRange(1_000_000).filter(isEven).take(10)
  : lazy(newRange(1_000_000)).filter(isEven).take(10);
console.log('helpers:   ', [...evens]);
console.log(`newRange made ${made} of its 1,000,000 numbers`);
