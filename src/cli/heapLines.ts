// `yieldscope events`: the heap samples of a trace (Heap records, when the tracer sampled the heap) as JSON lines
// among the event lines, each before the event that followed it in the trace. A sample is not an event: its line
// has no `seq`, and says which event it came before (`before`, the seq of that event).

import type { HeapSample, Trace } from '../protocol/trace';
import type { EventLine } from './events';

export interface HeapLine {
  kind: 'heap';
  /** Milliseconds since the recording started, when the sample was taken. */
  time: number;
  /** The seq of the event the sample came before in the trace. */
  before: number;
  /** Bytes: V8 heap in use and reserved, and the process's resident set size. */
  used: number;
  total: number;
  rss: number;
}

export function heapLine(s: HeapSample): HeapLine {
  return {
    kind: 'heap',
    time: Math.round(s.time * 1000) / 1000,
    before: s.seq,
    used: s.used,
    total: s.total,
    rss: s.rss,
  };
}

/**
 * The event lines with the trace's heap samples put in between, in the order the trace holds them. For lines made
 * a batch at a time, `cursor` carries the next sample over from one batch to the next, and `last` says whether
 * this batch is the last (the samples after the last event follow it).
 */
export function withHeapLines(
  trace: Trace,
  lines: readonly EventLine[],
  cursor = { next: 0 },
  last = true,
): Array<EventLine | HeapLine> {
  const heap = trace.heap ?? [];
  const out: Array<EventLine | HeapLine> = [];
  for (const line of lines) {
    for (; cursor.next < heap.length && heap[cursor.next]!.seq <= line.seq; cursor.next++) {
      out.push(heapLine(heap[cursor.next]!));
    }
    out.push(line);
  }
  if (last) for (; cursor.next < heap.length; cursor.next++) out.push(heapLine(heap[cursor.next]!));
  return out;
}
