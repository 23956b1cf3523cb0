// The program's memory over time: the heap samples of a trace (Heap records), kept in time order with a bound on
// how many, and what they say up to any moment (the chart beside the events draws the samples up to the event the
// view is at). Samples are placed by their time, not by their position in the stream: the tracer writes the
// samples it takes during a loop of generator steps after the loop, each with the time it was taken. Pure; no DOM.

import type { HeapSample } from '../protocol/trace';

/** Samples kept at most, by default: past it, neighbours are merged two into one (the higher heap kept). */
export const DEFAULT_HEAP_CAPACITY = 4096;

/** What a run of samples says about the heap in use. Sizes in bytes, times in milliseconds. */
export interface HeapSummary {
  readonly count: number;
  readonly minUsed: number;
  readonly maxUsed: number;
  /** When the heap in use was highest (the first time, if more than once). */
  readonly maxAt: number;
  /** The latest sample. */
  readonly last: HeapSample;
}

export class HeapSeries {
  private readonly list: HeapSample[] = [];
  /** Samples merged away to stay within the capacity. */
  merged = 0;

  constructor(private readonly capacity = DEFAULT_HEAP_CAPACITY) {
    if (!(capacity >= 2)) throw new RangeError('a heap series keeps at least 2 samples');
  }

  /** Every sample kept, oldest first. */
  get samples(): readonly HeapSample[] {
    return this.list;
  }

  get length(): number {
    return this.list.length;
  }

  /** Adds samples, each at its place in time; ignores samples whose fields are not finite non-negative numbers. */
  add(samples: Iterable<HeapSample>): void {
    for (const s of samples) {
      if (!isSample(s)) continue;
      const at =
        this.list.length === 0 || this.list[this.list.length - 1]!.time <= s.time
          ? this.list.length
          : this.countUntil(s.time);
      this.list.splice(at, 0, s);
      if (this.list.length > this.capacity) this.halve();
    }
  }

  /** How many samples were taken at or before `time`. */
  countUntil(time: number): number {
    let lo = 0;
    let hi = this.list.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.list[mid]!.time <= time) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** How many samples were taken before `time`. */
  private countBefore(time: number): number {
    let lo = 0;
    let hi = this.list.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.list[mid]!.time < time) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** The samples taken at or before `time` (the series as it was at that moment). */
  until(time: number): readonly HeapSample[] {
    return this.list.slice(0, this.countUntil(time));
  }

  /** The latest sample at or before `time`, if any. */
  at(time: number): HeapSample | undefined {
    const n = this.countUntil(time);
    return n > 0 ? this.list[n - 1] : undefined;
  }

  /** The summary of the samples taken from `from` to `to` (inclusive); undefined when there are none. */
  summary(from = Number.NEGATIVE_INFINITY, to = Number.POSITIVE_INFINITY): HeapSummary | undefined {
    let count = 0;
    let minUsed = Number.POSITIVE_INFINITY;
    let maxUsed = Number.NEGATIVE_INFINITY;
    let maxAt = 0;
    let last: HeapSample | undefined;
    for (let i = this.countBefore(from); i < this.list.length; i++) {
      const s = this.list[i]!;
      if (s.time > to) break;
      count++;
      if (s.used < minUsed) minUsed = s.used;
      if (s.used > maxUsed) {
        maxUsed = s.used;
        maxAt = s.time;
      }
      last = s;
    }
    return last ? { count, minUsed, maxUsed, maxAt, last } : undefined;
  }

  /** Merges neighbours two into one, keeping the one with more heap in use, so that peaks survive. */
  private halve(): void {
    const kept: HeapSample[] = [];
    for (let i = 0; i < this.list.length; i += 2) {
      const a = this.list[i]!;
      const b = this.list[i + 1];
      kept.push(b === undefined || a.used >= b.used ? a : b);
    }
    this.merged += this.list.length - kept.length;
    this.list.length = 0;
    this.list.push(...kept);
  }
}

function isSample(s: HeapSample): boolean {
  const ok = (n: unknown): boolean => typeof n === 'number' && Number.isFinite(n) && n >= 0;
  return ok(s.time) && ok(s.used) && ok(s.total) && ok(s.rss) && ok(s.seq);
}

/** Bytes as the chart and its description show them: `12.3 MB` (megabytes of 2^20 bytes). */
export function megabytes(bytes: number): string {
  const mb = bytes / 1048576;
  return `${mb >= 100 ? mb.toFixed(0) : mb.toFixed(1)} MB`;
}

/** A sentence about the samples up to `time`, for screen readers and the chart's tooltip. */
export function describeHeap(series: HeapSeries, time = Number.POSITIVE_INFINITY): string {
  const s = series.summary(Number.NEGATIVE_INFINITY, time);
  if (!s) return 'Heap: no sample yet.';
  const samples = s.count === 1 ? '1 sample' : `${s.count} samples`;
  return (
    `Heap in use: ${megabytes(s.last.used)} at ${msText(s.last.time)} (${samples}); ` +
    `lowest ${megabytes(s.minUsed)}, highest ${megabytes(s.maxUsed)} at ${msText(s.maxAt)}; ` +
    `process size ${megabytes(s.last.rss)}.`
  );
}

function msText(ms: number): string {
  return ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${Math.round(ms)} ms`;
}
