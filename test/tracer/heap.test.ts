// The heap sampler (YIELDSCOPE_HEAP_MS) changes nothing the program does and nothing the trace says about it: with
// samples as often as it allows, fixture programs print the same, exit the same and record the same events (kinds,
// coroutines, values, in the same order) as without; the trace only gains Heap records, at the start, at exit and
// in between, in time order, none of them an event. Off by default.

import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { TraceEvent } from '../../src/protocol/trace';
import { FIXTURES, cleanupScratch, runPlain, runTraced } from './harness';

/** The events without their times (which differ from run to run). */
function facts(events: readonly TraceEvent[]): string[] {
  return events.map((e) => JSON.stringify({ ...e, time: undefined }));
}

const PROGRAMS = ['event-loop-order.mjs', 'article.mjs', 'exit-code.mjs', 'uncaught.cjs', 'many-events.mjs'];

describe('the heap sampler', function () {
  after(cleanupScratch);

  for (const program of PROGRAMS) {
    it(`leaves ${program} and its events as they are, and adds samples in time order`, function () {
      const file = join(FIXTURES, program);
      const plain = runPlain(process.execPath, [file], FIXTURES);
      const off = runTraced(process.execPath, [file], FIXTURES);
      const on = runTraced(process.execPath, [file], FIXTURES, { YIELDSCOPE_HEAP_MS: '0.1' });
      for (const run of [off, on]) {
        assert.equal(run.stdout, plain.stdout);
        assert.equal(run.stderr.replace(/\(node:\d+\)/g, ''), plain.stderr.replace(/\(node:\d+\)/g, ''));
        assert.equal(run.status, plain.status);
      }
      assert.deepEqual(on.trace.problems, []);
      assert.deepEqual(facts(on.trace.events), facts(off.trace.events), 'the same events');
      assert.deepEqual(off.trace.heap, [], 'off by default');
      const heap = on.trace.heap ?? [];
      assert.ok(heap.length >= 2, `a sample at the start and one at exit: ${heap.length}`);
      const end = on.trace.events.at(-1)!;
      assert.equal(end.kind, 'end');
      assert.equal(heap[0]!.seq, 0, 'the start sample is written before the first event');
      assert.ok(heap.at(-1)!.time <= end.time, 'the last sample comes before the end');
      assert.equal(heap.at(-1)!.seq, end.seq, 'the exit sample is written just before the end record');
      const sorted = [...heap].sort((a, b) => a.time - b.time);
      assert.deepEqual(heap, sorted, 'in time order');
      for (const s of heap) assert.ok(s.used > 0 && s.total >= s.used && s.rss >= s.total, JSON.stringify(s));
    });
  }
});
