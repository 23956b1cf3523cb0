// Value previews of values built to break inspectors: quick, bounded, right about the type, and never running
// the program's code (the fixture counts every call a careless inspector would make, and prints the count).

import assert from 'node:assert/strict';
import { PREVIEW_MAX_TEXT, type Preview } from '../../src/protocol/trace';
import { FIXTURES, cleanupScratch, runPlain, runTraced, testNodes } from './harness';

describe('previews of hostile values', function () {
  after(cleanupScratch);

  it('run none of the program code, on every Node version, and describe each value', async function () {
    for (const node of await testNodes()) {
      const plain = runPlain(node.path, ['hostile-values.mjs'], FIXTURES);
      const traced = runTraced(node.path, ['hostile-values.mjs'], FIXTURES);
      assert.equal(plain.stdout, 'yielded 26 touched 0\nfast enough true\n');
      assert.equal(traced.stdout, plain.stdout, `Node ${node.version}`);
      assert.equal(traced.stderr, plain.stderr, `Node ${node.version}`);
      assert.deepEqual(traced.trace.problems, []);
      const yields = traced.trace.events.flatMap((e) => (e.kind === 'yield' ? [e.value] : []));
      assert.equal(yields.length, 26);
      const texts = yields.map((p: Preview) => `${p.type}: ${p.text}`);
      const expect = [
        'proxy: Proxy',
        'proxy: Proxy',
        'object: { boom: [Getter], plain: 1 }',
        'object: Liar {}',
        'object: {}',
        'object: { k0: 0, k1: 1, k2: 2, k3: 3, k4: 4, … 999995 more }',
        'object: { name: "loop", self: {…} }',
        'object: { a: {…} }',
        'object: [Object: null prototype] { x: 1 }',
        'function: [Function: (anonymous)]',
        'array: [[Getter], 2]',
        'map: Map(1) {Proxy => {…}}',
        'set: Set(3) {1, "two", Proxy}',
      ];
      assert.deepEqual(texts.slice(0, expect.length), expect, `Node ${node.version}`);
      const rest = yields.slice(expect.length);
      assert.equal(rest[0]!.type, 'string');
      assert.equal(rest[0]!.text.length, PREVIEW_MAX_TEXT);
      assert.equal(rest[0]!.truncated, true);
      assert.match(rest[1]!.text, /^Float64Array\(1000000\) \[0, 0, 0, 0, 0, …\]$/);
      assert.deepEqual(
        rest.slice(2).map((p) => `${p.type}: ${p.text}`),
        [
          'symbol: Symbol(sym)',
          `bigint: ${(10n ** 50n).toString()}n`,
          'date: 1970-01-01T00:00:00.000Z',
          'date: Invalid Date',
          'regexp: /a+b/gi',
          'error: TypeError: bad',
          'error: Error: with props',
          'array: [undefined, null, -0, NaN, Infinity]',
          'object: WeakMap {…}',
          'promise: Promise {…}',
          'function: [GeneratorFunction: gen]',
        ],
      );
      for (const p of yields) assert.ok(p.text.length <= PREVIEW_MAX_TEXT, p.text);
    }
  });
});
