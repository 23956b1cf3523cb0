// Unit tests of the one-sentence explanations and of the end-of-program warnings, on the browser tests' fixture.

import assert from 'node:assert/strict';
import { sampleTrace, Co } from '../../test/report/fixture';
import { modelAt, CoroutineModel } from './coroutines';
import { endWarnings, explain } from './explain';
import { traceOf } from './syntheticTrace';
import type { TraceEvent } from '../protocol/trace';

describe('why an event happened', () => {
  const trace = sampleTrace();
  const why = (i: number): string =>
    explain(trace.events[i]!, {
      before: i === 0 ? new CoroutineModel(trace) : modelAt(trace, trace.events[i - 1]!.seq),
      trace,
      cwd: trace.header!.cwd,
    });

  it('says who resumed whom with what, where it paused and what came out', () => {
    assert.equal(
      why(0),
      'The top level called gen(), which made gen#1 without running any of its body: it waits for its first next().',
    );
    assert.equal(why(1), 'The top level called next() on gen#1, so its body starts running from the top.');
    assert.equal(why(2), 'gen#1 paused at a yield at src/pipeline.ts:5:5: the top level gets {value: 1, done: false}.');
    assert.equal(
      why(3),
      'The top level called next("a") on gen#1, so the yield where it paused at src/pipeline.ts:5:5 evaluates to "a" and it runs on.',
    );
    assert.equal(
      why(10),
      'gen#1 called next(42) on internal#2, which delegates to it with yield* and passes its own next() on, so the yield where it paused at src/pipeline.ts:12:3 evaluates to 42 and it runs on.',
    );
    assert.equal(
      why(8),
      'gen#1 passes on "x", which internal#2 yielded, through its yield* at src/pipeline.ts:6:5, and pauses.',
    );
    const discarded = trace.events.findIndex((e) => e.kind === 'resume' && e.co === Co.tagged);
    assert.match(why(discarded), /its body starts running from the top \(the "ignored" it was sent is discarded\)\.$/);
    const thrown = trace.events.findIndex((e) => e.kind === 'throw');
    assert.equal(
      why(thrown),
      'failing#5 failed: throw(Error: bad input) raised an error in it that it did not catch, so it propagates to its caller.',
    );
  });

  it('warns at the end about generators that were never closed, and not before', () => {
    const end = modelAt(trace);
    assert.deepEqual(
      endWarnings(end).map((w) => w.co),
      [Co.gen, Co.internal, Co.chain2, Co.selfish, Co.idle],
    );
    assert.deepEqual(endWarnings(modelAt(trace, trace.events.length - 2)), []);
  });
});

describe('why an async event happened, and what the end of an async program warns about', () => {
  const u = { type: 'undefined', text: 'undefined' } as const;
  const boom = { type: 'error', text: 'Error: boom 1' } as const;
  // The events the tracer records for tmp/unhandled.mjs: stuck() awaits a promise that never settles; outer()
  // awaits inner(1), which throws after an await; nothing catches outer's rejection.
  const trace = traceOf(
    (
      [
        { kind: 'create', co: 1, site: 8, parent: 0, coKind: 'async', args: [] },
        { kind: 'resume', co: 1, mode: 'next', value: u, resumer: 0 },
        { kind: 'await', co: 1, site: 9, target: 0, value: { type: 'promise', text: 'Promise' } },
        { kind: 'create', co: 2, site: 8, parent: 0, coKind: 'async', args: [] },
        { kind: 'resume', co: 2, mode: 'next', value: u, resumer: 0 },
        { kind: 'create', co: 3, site: 8, parent: 2, coKind: 'async', args: [] },
        { kind: 'resume', co: 3, mode: 'next', value: u, resumer: 2 },
        { kind: 'await', co: 3, site: 9, target: 0, value: { type: 'null', text: 'null' } },
        { kind: 'await', co: 2, site: 9, target: 3, value: { type: 'promise', text: 'Promise' } },
        { kind: 'resume', co: 3, mode: 'next', value: { type: 'null', text: 'null' }, resumer: 0 },
        { kind: 'throw', co: 3, error: boom },
        { kind: 'resume', co: 2, mode: 'throw', value: boom, resumer: 0 },
        { kind: 'throw', co: 2, error: boom },
        { kind: 'end', co: 0, exitCode: 1, reason: 'uncaught', error: boom },
      ] as const
    ).map((b, seq) => ({ ...b, seq, time: seq }) as TraceEvent),
  );
  const why = (i: number): string =>
    explain(trace.events[i]!, {
      before: i === 0 ? new CoroutineModel(trace) : modelAt(trace, trace.events[i - 1]!.seq),
      trace,
      cwd: trace.header!.cwd,
    });

  it('says a resumption after an await came from a microtask, and how the promise settled', () => {
    assert.equal(
      why(9),
      'fetchData#3 was resumed by a microtask: the promise it awaited (null) fulfilled with null, so the await at main.ts:31:9 evaluates to it and fetchData#3 runs on.',
    );
    assert.equal(
      why(11),
      'fetchData#2 was resumed by a microtask: the promise of fetchData#3 rejected with Error: boom 1, so the await at main.ts:31:9 throws that error in it.',
    );
  });

  it('warns about the rejection nobody handled and the await that never resumed', () => {
    assert.deepEqual(
      endWarnings(modelAt(trace)).map((w) => `${w.kind} ${w.co}: ${w.message}`),
      [
        'unhandled-rejection 2: fetchData#2 rejected with Error: boom 1 and no handler caught it (it came from fetchData#3): the program ended with that error',
        'await-never-resumed 1: fetchData#1 was still awaiting Promise when the program ended: that promise never settled, so the await never resumed',
      ],
    );
    assert.deepEqual(endWarnings(modelAt(trace, 12)), []);
  });
});
