// The heap sampler: the program's memory (V8 heap used and total, resident set size) at most once per interval
// of wall time, written as Heap records beside the events. It has no timer of its own (a timer would show up in
// the event loop, and could keep it alive or change what runs when): it piggybacks on the events the tracer
// records anyway. `events.ts` calls `noteHeap` when it reads its clock (every 32nd hot event and on rare kinds),
// which measures only; `writeHeap` writes what was measured just before the next record that is not a step (the
// hot step records are written in one piece, with no room for another record in between). So in a loop of
// plain next() steps the samples are written when the loop ends, each with the time it was taken. One sample is
// taken when the tracer starts and one at exit. Off unless YIELDSCOPE_HEAP_MS is set (see config.ts).
//
// Cost, measured on the project's 2-core machine: v8.getHeapStatistics() about 0.3 µs, process.memoryUsage.rss()
// about 6 µs; at one sample per 5 ms that is about 0.1% of the program's time.

import { getHeapStatistics } from 'node:v8';
import { Rec } from '../../protocol/trace';
import { close, open, vi } from '../sink/ring';
import { floor, max, round } from './primordials';

/** Samples measured but not written yet, at most: past it every other one is let go (the resolution halves). */
const MAX_PENDING = 256;
const FIELDS = 4;

const perfNow = performance.now.bind(performance);
const origin = perfNow();
const rss = process.memoryUsage.rss.bind(process.memoryUsage);

/** The clock reading (microseconds) at or after which `events.ts` asks for the next sample; never when off. */
export let heapDue = Number.POSITIVE_INFINITY;
/** How many samples wait to be written (`events.ts` checks it before each record that is not a step). */
export let heapPending = 0;

let intervalMicros = 0;
let lastMicros = -1;
/** How far this file's clock runs ahead of the events' (their origins are read at different moments). */
let skew = 0;
let calibrated = false;
const pending = new Float64Array(MAX_PENDING * FIELDS);

/** Turns sampling on: one sample now, then at most one per `intervalMs`. 0 (or less) leaves it off. */
export function startHeapSampler(intervalMs: number): void {
  if (!(intervalMs > 0)) return;
  intervalMicros = max(100, round(intervalMs * 1000));
  sampleNow();
}

/** Measures now (called with the events' clock reading, in microseconds); written later by `writeHeap`. */
export function noteHeap(nowMicros: number): void {
  if (intervalMicros === 0) return;
  if (!calibrated) {
    // The first reading of the events' clock: calibrate once.
    skew = ownMicros() - nowMicros;
    calibrated = true;
  }
  take(nowMicros);
}

function take(nowMicros: number): void {
  heapDue = nowMicros + intervalMicros;
  if (nowMicros <= lastMicros) return;
  lastMicros = nowMicros;
  if (heapPending === MAX_PENDING) halvePending();
  const stats = getHeapStatistics();
  const at = heapPending * FIELDS;
  pending[at] = nowMicros;
  pending[at + 1] = stats.used_heap_size;
  pending[at + 2] = stats.total_heap_size;
  pending[at + 3] = rss();
  heapPending++;
}

/** Writes the samples that wait. Called only between records. */
export function writeHeap(): void {
  const n = heapPending;
  heapPending = 0;
  for (let i = 0; i < n; i++) {
    const at = i * FIELDS;
    const p = open(Rec.Heap);
    if (p < 0) continue;
    close(vi(vi(vi(vi(p, pending[at]!), pending[at + 1]!), pending[at + 2]!), pending[at + 3]!));
  }
}

/** A sample now, whatever the interval, written at once (the start, the exit). Only between records. */
export function sampleNow(): void {
  if (intervalMicros === 0) return;
  take(max(lastMicros + 1, ownMicros() - skew));
  writeHeap();
}

function ownMicros(): number {
  return floor((perfNow() - origin) * 1000);
}

/** Keeps every other pending sample (the newest among them), so that a long loop of steps stays bounded. */
function halvePending(): void {
  let kept = 0;
  for (let i = 1; i < heapPending; i += 2, kept++) {
    pending.copyWithin(kept * FIELDS, i * FIELDS, i * FIELDS + FIELDS);
  }
  heapPending = kept;
}
