// `yieldscope events` with heap samples: each sample's line comes before the event that followed it in the trace,
// with no `seq` of its own; a trace without samples prints its events alone.

import assert from 'node:assert/strict';
import { emptyTrace } from '../protocol/codec';
import { eventLines } from './events';
import { withHeapLines } from './heapLines';

describe('yieldscope events: heap lines', () => {
  it('puts each sample before the event that followed it, and the last ones at the end', () => {
    const trace = emptyTrace();
    trace.events.push(
      { seq: 0, time: 1, co: 0, kind: 'task-run', task: 1 },
      { seq: 1, time: 2, co: 0, kind: 'task-end', task: 1 },
      { seq: 2, time: 3, co: 0, kind: 'end', exitCode: 0, reason: 'exit' },
    );
    const sample = (time: number, seq: number) => ({ time, seq, used: 10, total: 20, rss: 30 });
    trace.heap!.push(sample(0.5, 0), sample(2.5, 2), sample(2.6, 2), sample(3.5, 3));
    const lines = withHeapLines(trace, eventLines(trace, trace.events));
    assert.deepEqual(
      lines.map((l) => ('before' in l ? `heap@${l.time}` : `${l.kind}#${l.seq}`)),
      ['heap@0.5', 'task-run#0', 'task-end#1', 'heap@2.5', 'heap@2.6', 'end#2', 'heap@3.5'],
    );
    assert.deepEqual(lines[0], { kind: 'heap', time: 0.5, before: 0, used: 10, total: 20, rss: 30 });
    const cursor = { next: 0 };
    const names = new Map<number, string>();
    const batched = [
      ...withHeapLines(trace, eventLines(trace, trace.events.slice(0, 2), names), cursor, false),
      ...withHeapLines(trace, eventLines(trace, trace.events.slice(2), names), cursor, true),
    ];
    assert.deepEqual(batched, lines, 'a batch at a time, the same lines');
    trace.heap!.length = 0;
    assert.equal(withHeapLines(trace, eventLines(trace, trace.events)).length, 3);
  });
});
