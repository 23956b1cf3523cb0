// Iterables and iterators: a range written by hand as two classes, beside the generator that replaces them.

// An iterator: next() makes the following value and says when there are no more.
class RangeIterator implements Iterator<number, undefined> {
  private i = 0;
  private readonly n: number;

  constructor(n: number) {
    this.n = n;
  }

  next(): IteratorResult<number, undefined> {
    if (this.i < this.n) {
      const value = this.i;
      this.i += 1;
      return { value, done: false };
    }
    return { value: undefined, done: true };
  }

  // An iterator is iterable too: it returns itself (Python: __iter__ returns self).
  [Symbol.iterator](): RangeIterator {
    return this;
  }
}

// An iterable: every [Symbol.iterator]() call makes a new iterator (Python: __iter__ builds a new one).
class NumberRange implements Iterable<number> {
  private readonly n: number;

  constructor(n: number) {
    this.n = n;
  }

  [Symbol.iterator](): RangeIterator {
    return new RangeIterator(this.n);
  }
}

// The same range as a generator: the loop keeps its place between values, so no class has to.
function* newRange(n: number): Generator<number, void, undefined> {
  let i = 0;
  while (i < n) {
    yield i;
    i += 1;
  }
}

// Step by step, both answer next() the same way.
const byHand = new NumberRange(3)[Symbol.iterator]();
const byGenerator = newRange(3);
for (let step = 1; step <= 4; step++) {
  console.log(`next() #${step}: by hand`, byHand.next(), '| generator', byGenerator.next());
}

// for…of asks for an iterator, then calls next() until done.
const range = new NumberRange(3);
console.log('iterable, first pass: ', [...range]);
console.log('iterable, second pass:', [...range], '(each pass gets a new iterator)');

// A generator object is an iterator: [Symbol.iterator]() returns the object itself, so it makes one pass only.
const numbers = newRange(3);
console.log('generator object is its own iterator:', numbers[Symbol.iterator]() === numbers);
console.log('generator, first pass: ', [...numbers]);
console.log('generator, second pass:', [...numbers], '(already used up)');

// A generator function is the iterable: call it again for a new pass.
const reusable = { [Symbol.iterator]: () => newRange(3) };
console.log('a generator behind [Symbol.iterator]:', [...reusable], [...reusable]);
