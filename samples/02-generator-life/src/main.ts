// A generator's life: created, then suspended and running by turns, one next() at a time, then closed.

// The article's new_range: a range that makes one number at a time instead of a list of all of them.
function* newRange(n: number): Generator<number, void, undefined> {
  let i = 0;
  while (i < n) {
    yield i;
    i += 1;
  }
}

// JavaScript has no inspect.getgeneratorstate(): the visualiser shows each generator's state instead.
const r = newRange(1_000_000);
console.log('r = newRange(1_000_000): created; its body has not run yet');
console.log('r.next() →', r.next());
console.log('r.next() →', r.next());
console.log('r is suspended at `yield i`: no other number has been made, and none will be');

// The article's f: two yields, then the end.
function* f(): Generator<number, void, undefined> {
  console.log('  f: running until the first yield');
  yield 1;
  console.log('  f: running again, until the second yield');
  yield 2;
  console.log('  f: running again, to the end of its body');
}

const g = f();
console.log('g = f(): created');
console.log('g.next() →', g.next());
console.log('g.next() →', g.next());
// Python raises StopIteration here; JavaScript returns a result with done: true.
console.log('g.next() →', g.next());
// A closed generator stays closed: every later next() says done without running anything.
console.log('g.next() →', g.next());

// for…of, spread and Array.from call next() until done, like Python's for loop and list().
console.log('[...f()] →', [...f()]);
