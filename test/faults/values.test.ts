// Values built to break inspectors, beyond what test/tracer/previews.test.ts yields: here each value also goes
// in as arguments, is sent with next(v), thrown in, passed to return(v), returned, delegated to and awaited;
// traps print when called, so the output shows any preview that runs the program's code. Then: how long a
// preview of a very large value takes, an uncaught error whose own accessors print, and built-ins that the
// program replaced. Previews must be quick, bounded, right about the type, and never run the program's code.

import assert from 'node:assert/strict';
import { PREVIEW_MAX_TEXT, type Preview, type PreviewType, type TraceEvent } from '../../src/protocol/trace';
import {
  FAULT_FIXTURES,
  assertEndsWith,
  assertSameRun,
  cleanupFaultScratch,
  runPlainAsync,
  runTracedAsync,
  scanTrace,
  testNodes,
  type TraceScan,
} from './run';

/** The values of hostile-positions.mjs, in order, with the type each preview must have. */
const EXPECTED: readonly [string, PreviewType][] = [
  ['proxy', 'proxy'],
  ['fnProxy', 'proxy'],
  ['revoked', 'proxy'],
  ['protoProxy', 'object'],
  ['errorOnProxy', 'error'],
  ['errorGetters', 'error'],
  ['loopingGetter', 'object'],
  ['printOnCall', 'object'],
  ['getterConstructor', 'object'],
  ['tagLiar', 'object'],
  ['fakeSet', 'map'],
  ['dateLiar', 'date'],
  ['nullProto', 'object'],
  ['deep', 'object'],
  ['cyclic', 'array'],
  ['manyKeys', 'object'],
  ['sparse', 'array'],
  ['huge', 'string'],
  ['detached', 'typedarray'],
  ['typed', 'typedarray'],
  ['view', 'object'],
  ['shared', 'typedarray'],
  ['arguments', 'object'],
  ['boxed', 'object'],
];
/** Not awaited by the fixture: an await reads their `then` (the language does, with or without the tracer). */
const THEN_READERS = new Set(['proxy', 'fnProxy', 'revoked', 'protoProxy', 'errorOnProxy']);

/** Texts that must be exactly so: what a person reads, made without calling anything of the program's. */
const EXACT: Readonly<Record<string, string>> = {
  errorOnProxy: 'Error: on a proxy',
  errorGetters: 'Error',
  loopingGetter: '{ forever: [Getter], x: 1 }',
  fakeSet: 'FakeSet(1) {1 => 2}',
  dateLiar: '1970-01-01T00:00:00.000Z',
  nullProto: '[Object: null prototype] { secret: [Getter], shown: 2 }',
  deep: '{ next: {…} }',
  sparse: '[<empty>, <empty>, <empty>, <empty>, <empty>, … 4294967290 more]',
  typed: 'BigInt64Array(4) [0n, 0n, 0n, 0n]',
};

/** The coroutines of one function, in creation order, with their events. */
function coroutinesOf(scan: TraceScan, fn: string): TraceEvent[][] {
  const byCo = new Map<number, TraceEvent[]>();
  const named = new Set<number>();
  for (const ev of scan.head) {
    if (ev.kind === 'create' && scan.sites.get(ev.site)?.name === fn) {
      named.add(ev.co);
      byCo.set(ev.co, []);
    }
    if (named.has(ev.co)) byCo.get(ev.co)!.push(ev);
  }
  return [...byCo.values()];
}

const typeOf = (p: Preview | undefined): string => p?.type ?? '(missing)';

describe('faults: values built to break inspectors', function () {
  this.timeout(120_000);
  after(cleanupFaultScratch);

  it('in every position (arguments, yield, next/throw/return, return value, yield*, await): no code of theirs runs, types right, quick', async function () {
    for (const node of await testNodes()) {
      const what = `Node ${node.version}`;
      const [plain, traced] = await Promise.all([
        runPlainAsync(node.path, ['hostile-positions.mjs'], FAULT_FIXTURES),
        runTracedAsync(node.path, ['hostile-positions.mjs'], FAULT_FIXTURES),
      ]);
      assertSameRun(plain, traced, what);
      assert.equal(plain.stdout.toString(), 'values 24 caught 24 settled 19\n', what);
      assert.doesNotMatch(traced.stdout.toString() + traced.stderr, /TRAP/, what);
      // 24 hostile values, each previewed about 20 times: a few seconds at most beyond the plain run.
      assert.ok(
        traced.ms < plain.ms + 5000,
        `${what}: ${Math.round(traced.ms)} ms traced, ${Math.round(plain.ms)} plain`,
      );

      const scan = scanTrace(traced.traceFile, { keepHead: 100_000 });
      assertEndsWith(scan, { reason: 'exit', exitCode: 0 }, what);
      for (const ev of scan.head) {
        for (const p of previewsOf(ev)) {
          assert.ok(p.text.length <= PREVIEW_MAX_TEXT, `${what}: a preview of ${p.text.length} characters`);
        }
      }

      const receivers = coroutinesOf(scan, 'receiver');
      // receiver(v, v) at the top level, then receiver(v) inside delegateTo(v), for each value in turn.
      const direct = receivers.filter((evs) => evs[0]?.kind === 'create' && evs[0].parent === 0);
      const delegated = receivers.filter((evs) => evs[0]?.kind === 'create' && evs[0].parent !== 0);
      const throwers = coroutinesOf(scan, 'thrower');
      const delegators = coroutinesOf(scan, 'delegateTo');
      const settles = coroutinesOf(scan, 'settle');
      assert.equal(direct.length, EXPECTED.length, what);
      assert.equal(settles.length, EXPECTED.length - THEN_READERS.size, what);
      let awaited = 0;
      EXPECTED.forEach(([name, type], i) => {
        const at = `${what}, ${name}`;
        const r = direct[i]!;
        const create = r[0]!;
        assert.ok(create.kind === 'create');
        assert.deepEqual(create.args.map(typeOf), [type, type], `${at}: arguments`);
        const resumes = r.filter((e) => e.kind === 'resume');
        assert.deepEqual(
          resumes.map((e) => (e.kind === 'resume' ? `${e.mode} ${e.value.type}` : '')),
          ['next undefined', `next ${type}`, `throw ${type}`, `return ${type}`],
          `${at}: values sent in`,
        );
        const yields = r.filter((e) => e.kind === 'yield').map((e) => (e.kind === 'yield' ? e.value.type : ''));
        assert.deepEqual(yields, ['number', type, type], `${at}: values yielded`);
        const ret = r.at(-1)!;
        assert.equal(ret.kind === 'return' ? ret.value.type : ret.kind, type, `${at}: returned`);
        const shown = create.args[0]!;
        if (EXACT[name]) assert.equal(shown.text, EXACT[name], at);
        if (name === 'huge') assert.ok(shown.truncated && shown.text.length === PREVIEW_MAX_TEXT, at);

        const t = throwers[i]!;
        assert.deepEqual(t[0]?.kind === 'create' ? t[0].args.map(typeOf) : [], [type], `${at}: thrower argument`);
        assert.equal(t.at(-1)?.kind, 'throw', `${at}: thrower ends by throwing`);

        const d = delegators[i]!;
        const delegate = d.find((e) => e.kind === 'delegate');
        assert.ok(delegate?.kind === 'delegate' && delegate.target === delegated[i]![0]!.co, `${at}: yield* target`);
        const dret = d.at(-1)!;
        assert.equal(dret.kind === 'return' ? dret.value.type : dret.kind, type, `${at}: yield* returned`);

        if (THEN_READERS.has(name)) return;
        const s = settles[awaited++]!;
        const wait = s.find((e) => e.kind === 'await');
        assert.equal(wait?.kind === 'await' ? wait.value.type : '(no await)', type, `${at}: awaited`);
        assert.deepEqual(s[0]?.kind === 'create' ? s[0].args.map(typeOf) : [], [type], `${at}: async argument`);
      });
    }
  });

  it('an uncaught error whose accessors print: the same report, and the end record calls none of them', async function () {
    for (const node of await testNodes()) {
      const what = `Node ${node.version}`;
      const [plain, traced] = await Promise.all([
        runPlainAsync(node.path, ['uncaught-hostile.cjs'], FAULT_FIXTURES),
        runTracedAsync(node.path, ['uncaught-hostile.cjs'], FAULT_FIXTURES),
      ]);
      // Node's own report calls them (the same number of times with and without the tracer).
      assertSameRun(plain, traced, what);
      assert.match(plain.stderr, /TRAP name 1\n/, what);
      assertEndsWith(
        scanTrace(traced.traceFile),
        { reason: 'uncaught', exitCode: 1, error: /^Error: real message$/ },
        what,
      );
    }
  });

  const QUICK = [
    'string of 50 MB',
    'array of a million',
    'sparse array of 2^32-1',
    'map of a million',
    'set of a million',
    'typed array of 100 MB',
    'array of huge strings',
  ];
  const SLOW = [
    'bigint of 2.8 million bits',
    'key of 50 MB',
    'error message of 50 MB',
    'function name of 50 MB',
    'class name of 50 MB',
    'toStringTag of 50 MB',
    'symbol description of 50 MB',
  ];
  const KEY_LISTS = ['object with a million keys', 'object with a million index keys'];
  /** 20 yields of one value: the previews must cost no more than 12.5 ms each, whatever the value's size. */
  const BUDGET_MS = 250;

  async function timeTwentyPreviews(kinds: readonly string[]): Promise<void> {
    for (const node of await testNodes()) {
      for (const kind of kinds) {
        const traced = await runTracedAsync(node.path, ['hostile-sizes.cjs', kind], FAULT_FIXTURES);
        const what = `${kind} on Node ${node.version}`;
        assert.equal(traced.status, 0, `${what}: ${traced.stderr}`);
        const ms = Number(traced.stdout.toString());
        assert.ok(ms < BUDGET_MS, `${what}: 20 previews took ${ms} ms`);
        const scan = scanTrace(traced.traceFile);
        assertEndsWith(scan, { reason: 'exit', exitCode: 0 }, what);
        const yields = scan.head.filter((e) => e.kind === 'yield');
        assert.equal(yields.length, 20, what);
        for (const y of yields) if (y.kind === 'yield') assert.ok(y.value.text.length <= PREVIEW_MAX_TEXT, what);
      }
    }
  }

  it('of very large values that previews only sample (strings, arrays, maps, sets, typed arrays): each preview is quick', async function () {
    await timeTwentyPreviews(QUICK);
  });

  it('of very large bigints, keys and names (a bigint of 2.8 million bits, a key, message, name, toStringTag or symbol description of 50 MB): each preview is quick', async function () {
    await timeTwentyPreviews(SLOW);
  });

  it.skip('BUG: previews of an object with a million keys cost time in proportion to its key count (about 500 ms a preview for named keys, 130 ms for index keys): listing the first five keys in order means Object.keys, which V8 builds whole (a dictionary-mode object keeps no order but enumeration indices, and sorts them all); no API of V8 or Node lists the first keys or counts them in bounded time without running code (for…in builds the same list)', async function () {
    await timeTwentyPreviews(KEY_LISTS);
  });

  it('previews call none of Array.prototype.push and join, RegExp.prototype.exec and %ArrayIteratorPrototype%.next as the program left them: preview-patched-builtins.mjs', async function () {
    for (const node of await testNodes()) {
      const what = `Node ${node.version}`;
      const [plain, traced] = await Promise.all([
        runPlainAsync(node.path, ['preview-patched-builtins.mjs'], FAULT_FIXTURES),
        runTracedAsync(node.path, ['preview-patched-builtins.mjs'], FAULT_FIXTURES),
      ]);
      assert.equal(plain.stdout.toString(), 'yielded 8 calls 0 {}\n', what);
      assertSameRun(plain, traced, what);
    }
  });
});

/** Every preview an event carries. */
function previewsOf(ev: TraceEvent): Preview[] {
  switch (ev.kind) {
    case 'create':
      return [...ev.args];
    case 'resume':
    case 'yield':
    case 'return':
    case 'await':
      return [ev.value];
    case 'delegate':
      return [ev.iterable];
    case 'throw':
    case 'reenter':
      return [ev.error];
    case 'end':
      return ev.error ? [ev.error] : [];
    default:
      return [];
  }
}
