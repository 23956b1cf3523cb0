// yield* as a chain, and as delegation that carries values both ways (the article's chain2, internal and gen).

function* chain2(...iterables: Iterable<string>[]): Generator<string> {
  for (const it of iterables) yield* it;
}

console.log(Array.from(chain2('hello', ' ', 'world')));

function* internal(name: string, limit: number): Generator<number, string, unknown> {
  for (let i = 0; i < limit; i++) {
    const got = yield i;
    console.log(`${name} got: ${String(got)}`);
  }
  return `${name} finished`;
}

function* gen(): Generator<number, string, unknown> {
  yield* internal('A', 3);
  return yield* internal('B', 2);
}

const g = gen();
console.log(g.next());
let r = g.next(1);
while (!r.done) {
  console.log(r);
  r = g.next(1);
}
console.log('gen returned', r.value);
