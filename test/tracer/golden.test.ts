// Golden traces: the events of fixture programs as readable lines, stored beside this test. A diff of a golden
// file is a review of behaviour. Times are left out; everything else must be identical on every Node version.
// Regenerate with YIELDSCOPE_UPDATE_GOLDEN=1.

import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { eventLines } from '../../src/cli/events';
import { CoroutineModel } from '../../src/model/coroutines';
import type { Trace } from '../../src/protocol/trace';
import { FIXTURES, cleanupScratch, runTraced, testNodes } from './harness';

const GOLDEN = join(__dirname, 'golden');
const update = process.env['YIELDSCOPE_UPDATE_GOLDEN'] === '1';

/** One line per event: what a reviewer reads. */
function goldenText(trace: Trace): string {
  return (
    eventLines(trace, trace.events)
      .map(({ time: _time, ...line }) => JSON.stringify(line))
      .join('\n') + '\n'
  );
}

function traceOf(file: string, node: string): Trace {
  const r = runTraced(node, [file], FIXTURES);
  assert.equal(r.trace.problems.length, 0, r.trace.problems.join('; '));
  return r.trace;
}

describe('golden traces', function () {
  after(cleanupScratch);

  for (const file of [
    'article.mjs',
    'protocol.cjs',
    'consume.mjs',
    'chain-loop.mjs',
    'async-basics.mjs',
    'event-loop-order.mjs',
    'async-generators.mjs',
    'unhandled-rejection.mjs',
    'for-await-turns.mjs',
    'clear-timers.mjs',
    'promise-tasks.mjs',
    'spawns.mjs',
  ]) {
    it(`${file}: the events match ${file}.events.txt on every Node version`, async function () {
      const nodes = await testNodes();
      const goldenPath = join(GOLDEN, `${file}.events.txt`);
      const texts = nodes.map((n) => ({ version: n.version, text: goldenText(traceOf(file, n.path)) }));
      if (update || !existsSync(goldenPath)) writeFileSync(goldenPath, texts[0]!.text);
      const expected = readFileSync(goldenPath, 'utf8');
      for (const t of texts) assert.equal(t.text, expected, `Node ${t.version}: events differ from ${goldenPath}`);
    });
  }
});

describe('what the trace says about the article', function () {
  let trace: Trace;
  let model: CoroutineModel;
  before(async function () {
    const [node] = await testNodes();
    trace = traceOf('article.mjs', node!.path);
    model = new CoroutineModel(trace).applyAll(trace.events);
  });
  after(cleanupScratch);

  const byName = (name: string) => model.list().filter((c) => c.name === name);

  it('records every generator object with its function name and arguments', function () {
    assert.equal(byName('internal').length, 2);
    assert.deepEqual(
      byName('internal').map((c) => c.args.map((a) => a.text)),
      [
        ['A', '3'],
        ['B', '2'],
      ],
    );
    assert.equal(byName('newRange').length, 1);
    assert.equal(byName('newRange')[0]!.yields, 50);
  });

  it('warns about the value sent to a just-started generator', function () {
    const w = model.warnings.filter((x) => x.kind === 'discarded-send');
    assert.equal(w.length, 1);
    assert.match(w[0]!.message, /gen was sent discarded before it started/);
  });

  it('follows yield* into internal and back out with the delegate return value', function () {
    const outer = byName('outer')[0]!;
    const delegates = trace.events.filter((e) => e.kind === 'delegate' && e.co === outer.id);
    assert.deepEqual(
      delegates.map((d) => (d.kind === 'delegate' ? d.target : -1)),
      byName('internal').map((c) => c.id),
    );
    assert.deepEqual(outer.state, { kind: 'closed', value: { type: 'string', text: 'B finished' } });
    const sentToB = trace.events
      .filter((e) => e.kind === 'resume' && e.co === byName('internal')[1]!.id)
      .map((e) => (e.kind === 'resume' ? e.value.text : ''));
    assert.deepEqual(sentToB, ['undefined', '3', '4']);
  });

  it('marks yields with their original line and column', function () {
    const gen = byName('gen')[0]!;
    const y = trace.events.find((e) => e.kind === 'yield' && e.co === gen.id);
    assert.ok(y && y.kind === 'yield');
    const site = trace.sites.get(y.site)!;
    const line = readFileSync(join(FIXTURES, 'article.mjs'), 'utf8').split('\n')[site.line - 1]!;
    assert.equal(line.slice(site.column - 1, site.column - 1 + 'yield step'.length), 'yield step');
  });

  it('sees chain2 delegate three times to iterables that are not generators, and pass their values through', function () {
    const chain = byName('chain2')[0]!;
    const delegates = trace.events.filter((e) => e.kind === 'delegate' && e.co === chain.id);
    // The strings themselves are not previewed: the yield* argument is left untouched so that V8's own errors
    // about it (not iterable, no throw method) stay exactly as without the tracer.
    assert.deepEqual(
      delegates.map((e) => (e.kind === 'delegate' ? [e.target, e.iterable.text] : [])),
      [
        [0, '(an iterable)'],
        [0, '(an iterable)'],
        [0, '(an iterable)'],
      ],
    );
    assert.equal(chain.yields, 11);
  });
});

describe('a loop through a yield* chain', function () {
  after(cleanupScratch);

  it('is written as one small record per next(), and read back as every level of the chain', async function () {
    const [node] = await testNodes();
    const few = runTraced(node!.path, ['chain-loop.mjs', '10'], FIXTURES);
    const many = runTraced(node!.path, ['chain-loop.mjs', '10010'], FIXTURES);
    assert.equal(many.trace.problems.length, 0, many.trace.problems.join('; '));
    // Each next() on the outer generator is a resume and a yield at each of its three levels: six events, which
    // as separate records would take about 60 bytes.
    assert.equal(many.trace.events.length - few.trace.events.length, 10_000 * 6);
    const bytesPerNext = (many.bytes - few.bytes) / 10_000;
    assert.ok(bytesPerNext < 20, `${bytesPerNext} bytes per next()`);
    const last = many.trace.events.slice(-7, -1).map((e) => `${e.kind} ${'value' in e ? e.value.text : ''}`);
    assert.deepEqual(last, [
      'resume 10009',
      'resume 10009',
      'resume 10009',
      'yield 10009',
      'yield 10009',
      'yield 10009',
    ]);
  });
});

describe('a loop of awaits', function () {
  after(cleanupScratch);

  it('is written as one small record per await, and read back as the await and the resumption', async function () {
    const [node] = await testNodes();
    const few = runTraced(node!.path, ['await-loop.mjs', '10'], FIXTURES);
    const many = runTraced(node!.path, ['await-loop.mjs', '10010'], FIXTURES);
    assert.equal(many.stdout, '50095045\n');
    assert.equal(many.trace.problems.length, 0, many.trace.problems.join('; '));
    assert.equal(many.trace.events.length - few.trace.events.length, 10_000 * 2);
    const bytesPerAwait = (many.bytes - few.bytes) / 10_000;
    assert.ok(bytesPerAwait < 12, `${bytesPerAwait} bytes per await`);
    const last = many.trace.events.slice(-4, -2).map((e) => `${e.kind} ${'value' in e ? e.value.text : ''}`);
    assert.deepEqual(last, ['await Promise', 'resume 10009']);
  });
});
