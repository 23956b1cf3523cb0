// A generator's return value: the last result, { done: true, value }, carries what the generator returned.

function* gen(): Generator<number, string, undefined> {
  yield 1;
  yield 2;
  return 'returned value';
}

// Python catches StopIteration and reads e.value. JavaScript reads it from the result that says done.
const g = gen();
let result = g.next();
while (!result.done) {
  console.log(result.value);
  result = g.next();
}
console.log(result.value);

// for…of, spread and Array.from stop at done and drop the return value, like Python's for loop and list().
for (const value of gen()) console.log('for…of got', value);
console.log('[...gen()] →', [...gen()]);

// yield* is the construct that keeps it: the delegate's return value becomes the value of the yield* expression.
function* outer(): Generator<number, string, undefined> {
  const inner: string = yield* gen();
  console.log(`outer: gen returned "${inner}"`);
  return `outer saw "${inner}"`;
}

console.log('[...outer()] →', [...outer()]);
