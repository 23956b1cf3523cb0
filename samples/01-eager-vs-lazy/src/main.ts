// Eager versus lazy: the sum of the first million numbers, once from a generator that makes one number at a time,
// once from a list that holds them all. Recorded with the heap sampler on (YIELDSCOPE_HEAP_MS, set by the launch
// configuration), the visualiser draws the program's memory beside its events.

const LIMIT = 1_000_000;

function* newRange(n: number): Generator<number, void, undefined> {
  let i = 0;
  while (i < n) {
    yield i;
    i += 1;
  }
}

function sum(numbers: Iterable<number>): number {
  let total = 0;
  for (const n of numbers) total += n;
  return total;
}

// 1. Lazy: sum pulls the numbers from newRange one at a time; each is forgotten once it is added.
console.log(`lazy:  ${sum(newRange(LIMIT))}, one number at a time`);

// 2. Eager: the same numbers, all kept in a list first (Python's old_range), then summed.
const numbers = [...newRange(LIMIT)];
console.log(`eager: ${sum(numbers)}, from a list of ${numbers.length} numbers`);
