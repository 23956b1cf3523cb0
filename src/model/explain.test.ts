// Unit tests of the one-sentence explanations and of the end-of-program warnings, on the browser tests' fixture.

import assert from 'node:assert/strict';
import { sampleTrace, Co } from '../../test/report/fixture';
import { modelAt, CoroutineModel } from './coroutines';
import { endWarnings, explain } from './explain';

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
