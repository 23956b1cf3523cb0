// A compact, append-only store of trace events: one typed-array column per field instead of one object per
// event, so that a million events cost tens of megabytes, not hundreds. Value previews are interned (most
// programs yield the same few values again and again). Each coroutine's events are indexed, for timeline lanes
// and for "step to the next event of this coroutine". Pure; no DOM, no I/O.
//
// Positions in the store ("indexes") are dense, from 0; an event's `seq` may jump (a `dropped` record stands
// for many events). When the oldest part is forgotten (`dropBefore`), indexes shift; seq numbers never do.
//
// Ids and counts in a trace may be any safe integer. The columns hold the common range (coroutine and site ids
// below 2^32 - 1, parents, resumers, targets, tasks, exit codes and counts within ±(2^31 - 1)); a value past it
// is written as the column's sentinel and kept exactly in a side table keyed by index (`wide`), so a real
// program pays nothing for it and a crafted or very long trace still reads back unchanged.

import {
  eventKinds,
  type ConsumerName,
  type CoroutineId,
  type CoroutineKind,
  type EndReasonName,
  type Preview,
  type QueueName,
  type ResumeMode,
  type TraceEvent,
  type TraceEventKind,
} from '../protocol/trace';

const MODES: readonly ResumeMode[] = ['next', 'throw', 'return'];
const CO_KINDS: readonly CoroutineKind[] = ['generator', 'async', 'async-generator', 'iterator'];
const CONSUMERS: readonly ConsumerName[] = ['for-of', 'spread', 'destructuring', 'array-from', 'collection'];
const REASONS: readonly EndReasonName[] = ['exit', 'uncaught', 'signal', 'cut'];
const QUEUES: readonly QueueName[] = ['microtask', 'nextTick', 'timer', 'interval', 'immediate', 'io'];
const KIND_CODE = new Map<TraceEventKind, number>(eventKinds.map((k, i) => [k, i]));

/** Most distinct previews kept in the intern table; past it, new previews are stored without sharing. */
const MAX_INTERNED = 200_000;

/** Preview slot 0 means "no value" (an `end` without an error). */
const NONE = 0;
/** Column values that mean "see the side table": outside the range each column holds. */
const WIDE_U32 = 0xffffffff;
const WIDE_I32 = -0x80000000;

export class EventStore {
  private cap = 0;
  private n = 0;
  private kind = new Uint8Array(0);
  private co = new Uint32Array(0);
  private seq = new Float64Array(0);
  private time = new Float64Array(0);
  /** site for create/yield/delegate/finally/consume. */
  private site = new Uint32Array(0);
  /** parent, resumer, target, exit code, count, task: whichever the kind has. */
  private aux = new Int32Array(0);
  /** mode, coroutine kind, consumer, stream, end reason, queue. */
  private small = new Uint8Array(0);
  /** Index into `values` (or into `argLists` for create; a timer's delay is a number preview). */
  private value = new Uint32Array(0);
  private readonly values: Preview[] = [{ type: 'undefined', text: '' }];
  private readonly argLists: (readonly Preview[])[] = [];
  private readonly interned = new Map<string, number>();
  /** Indexes of each coroutine's events (0: the top level's output, end and dropped records). */
  private lanes = new Map<CoroutineId, number[]>();
  /** Indexes of each task's task-queue, task-run and task-end events. */
  private tasks = new Map<number, number[]>();
  /** Values that do not fit their column, by index (see the file's comment); empty for real programs. */
  private wide = { co: new Map<number, number>(), site: new Map<number, number>(), aux: new Map<number, number>() };

  get length(): number {
    return this.n;
  }

  push(ev: TraceEvent): void {
    if (this.n === this.cap) this.grow();
    const i = this.n++;
    this.kind[i] = KIND_CODE.get(ev.kind)!;
    this.co[i] = fitsU32(ev.co) ? ev.co : this.keepWide(this.wide.co, i, ev.co, WIDE_U32);
    this.seq[i] = ev.seq;
    this.time[i] = ev.time;
    let site = 0;
    let aux = 0;
    let small = 0;
    let value = NONE;
    switch (ev.kind) {
      case 'create':
        site = ev.site;
        aux = ev.parent;
        small = CO_KINDS.indexOf(ev.coKind);
        value = this.argLists.push(ev.args.map((a) => this.values[this.intern(a)]!)) - 1;
        break;
      case 'resume':
        small = MODES.indexOf(ev.mode);
        aux = ev.resumer;
        value = this.intern(ev.value);
        break;
      case 'yield':
        site = ev.site;
        value = this.intern(ev.value);
        break;
      case 'delegate':
        site = ev.site;
        aux = ev.target;
        value = this.intern(ev.iterable);
        break;
      case 'return':
        value = this.intern(ev.value);
        break;
      case 'finally':
        site = ev.site;
        break;
      case 'consume':
        site = ev.site;
        small = CONSUMERS.indexOf(ev.how);
        break;
      case 'throw':
        value = this.intern(ev.error);
        break;
      case 'reenter':
        small = MODES.indexOf(ev.mode);
        aux = ev.resumer;
        value = this.intern(ev.error);
        break;
      case 'output':
        small = ev.stream === 'stderr' ? 1 : 0;
        value = this.intern({ type: 'string', text: ev.text });
        break;
      case 'end':
        aux = ev.exitCode;
        small = REASONS.indexOf(ev.reason);
        value = ev.error ? this.intern(ev.error) : NONE;
        break;
      case 'dropped':
        aux = ev.count;
        break;
      case 'await':
        site = ev.site;
        aux = ev.target;
        value = this.intern(ev.value);
        break;
      case 'spawn':
        small = ev.what === 'child' ? 1 : 0;
        value = this.intern({ type: 'string', text: ev.command });
        break;
      case 'task-queue':
        aux = ev.task;
        small = QUEUES.indexOf(ev.queue);
        value = this.intern({ type: 'number', text: String(ev.delay) });
        this.noteTask(ev.task, i);
        break;
      case 'task-run':
      case 'task-end':
      case 'task-cancel':
        aux = ev.task;
        this.noteTask(ev.task, i);
        break;
    }
    this.site[i] = fitsU32(site) ? site : this.keepWide(this.wide.site, i, site, WIDE_U32);
    this.aux[i] = fitsI32(aux) ? aux : this.keepWide(this.wide.aux, i, aux, WIDE_I32);
    this.small[i] = small;
    this.value[i] = value;
    let lane = this.lanes.get(ev.co);
    if (!lane) this.lanes.set(ev.co, (lane = []));
    lane.push(i);
  }

  kindAt(i: number): TraceEventKind {
    return eventKinds[this.kind[i]!]!;
  }

  coAt(i: number): CoroutineId {
    const co = this.co[i]!;
    return co === WIDE_U32 ? this.wide.co.get(i)! : co;
  }

  seqAt(i: number): number {
    return this.seq[i]!;
  }

  timeAt(i: number): number {
    return this.time[i]!;
  }

  /** The event at index `i`, rebuilt as the decoder made it. */
  event(i: number): TraceEvent {
    if (!(i >= 0 && i < this.n)) throw new RangeError(`no event at index ${i} (have ${this.n})`);
    // Fields written out, not spread from a shared base: V8 builds spread objects many times slower.
    const seq = this.seq[i]!;
    const time = this.time[i]!;
    const co = this.coAt(i);
    const site = this.siteAt(i);
    const aux = this.auxAt(i);
    const small = this.small[i]!;
    const value = this.values[this.value[i]!]!;
    const kind = this.kindAt(i);
    switch (kind) {
      case 'create':
        return {
          seq,
          time,
          co,
          kind,
          site,
          parent: aux,
          coKind: CO_KINDS[small]!,
          args: this.argLists[this.value[i]!]!,
        };
      case 'resume':
        return { seq, time, co, kind, mode: MODES[small]!, value, resumer: aux };
      case 'yield':
        return { seq, time, co, kind, site, value };
      case 'delegate':
        return { seq, time, co, kind, site, target: aux, iterable: value };
      case 'return':
        return { seq, time, co, kind, value };
      case 'finally':
        return { seq, time, co, kind, site };
      case 'consume':
        return { seq, time, co, kind, site, how: CONSUMERS[small]! };
      case 'throw':
        return { seq, time, co, kind, error: value };
      case 'reenter':
        return { seq, time, co, kind, mode: MODES[small]!, resumer: aux, error: value };
      case 'output':
        return { seq, time, co, kind, stream: small === 1 ? 'stderr' : 'stdout', text: value.text };
      case 'end':
        return this.value[i] === NONE
          ? { seq, time, co, kind, exitCode: aux, reason: REASONS[small]! }
          : { seq, time, co, kind, exitCode: aux, reason: REASONS[small]!, error: value };
      case 'dropped':
        return { seq, time, co, kind, count: aux };
      case 'await':
        return { seq, time, co, kind, site, target: aux, value };
      case 'spawn':
        return { seq, time, co, kind, what: small === 1 ? 'child' : 'worker', command: value.text };
      case 'task-queue':
        return { seq, time, co, kind, task: aux, queue: QUEUES[small]!, delay: Number(value.text) };
      case 'task-run':
      case 'task-end':
      case 'task-cancel':
        return { seq, time, co, kind, task: aux };
    }
    // A kind added to the protocol needs a column layout here (and in `push`) before it can be stored.
    const unknown: never = kind;
    throw new Error(`cannot store events of kind ${String(unknown)}`);
  }

  /** The last index whose seq is at most `seq`; -1 when every event is later (or there are none). */
  indexOfSeq(seq: number): number {
    let lo = 0;
    let hi = this.n - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (this.seq[mid]! <= seq) {
        found = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return found;
  }

  /** Indexes of a coroutine's events, ascending. The array is the store's own: do not change it. */
  eventsOf(co: CoroutineId): readonly number[] {
    return this.lanes.get(co) ?? NO_EVENTS;
  }

  /** Indexes of a task's task-queue, task-run and task-end events, ascending. The store's own array. */
  eventsOfTask(task: number): readonly number[] {
    return this.tasks.get(task) ?? NO_EVENTS;
  }

  /** The task id of a task-queue, task-run, task-end or task-cancel event (0 for other kinds). */
  taskAt(i: number): number {
    const kind = this.kindAt(i);
    return kind === 'task-queue' || kind === 'task-run' || kind === 'task-end' || kind === 'task-cancel'
      ? this.auxAt(i)
      : 0;
  }

  /** The queue of a task-queue event (undefined for other kinds). */
  queueAt(i: number): QueueName | undefined {
    return this.kindAt(i) === 'task-queue' ? QUEUES[this.small[i]!] : undefined;
  }

  /** The last position in `list` (ascending indexes of this store) whose event's seq is at most `seq`, or -1. */
  lastAtOrBeforeSeq(list: readonly number[], seq: number): number {
    let lo = 0;
    let hi = list.length - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (this.seq[list[mid]!]! <= seq) {
        found = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return found;
  }

  /** The resumer of a resume event (undefined for other kinds). */
  resumerAt(i: number): CoroutineId | undefined {
    return this.kindAt(i) === 'resume' ? this.auxAt(i) : undefined;
  }

  /** Coroutines (and 0 for the top level) with events in the store, in order of their first event. */
  coroutines(): CoroutineId[] {
    return [...this.lanes.keys()];
  }

  /** The nearest event of `co` after (`dir` 1) or before (`dir` -1) index `from`; -1 when there is none. */
  nextOf(co: CoroutineId, from: number, dir: 1 | -1): number {
    const lane = this.lanes.get(co);
    if (!lane?.length) return -1;
    // First position in the lane whose index is greater than `from`.
    const after = upperBound(lane, from);
    if (dir === 1) return after < lane.length ? lane[after]! : -1;
    const before = lane[after - 1] === from ? after - 2 : after - 1;
    return before >= 0 ? lane[before]! : -1;
  }

  /** Forgets events [0, count): later indexes shift down by `count`. */
  dropBefore(count: number): void {
    const k = Math.max(0, Math.min(count, this.n));
    if (k === 0) return;
    for (const col of [this.kind, this.co, this.seq, this.time, this.site, this.aux, this.small, this.value]) {
      col.copyWithin(0, k, this.n);
    }
    this.n -= k;
    this.lanes = shifted(this.lanes, k);
    this.tasks = shifted(this.tasks, k);
    for (const table of [this.wide.co, this.wide.site, this.wide.aux]) shiftKeys(table, k);
    // Argument lists and interned previews of forgotten events stay; they are small next to the columns.
  }

  private siteAt(i: number): number {
    const site = this.site[i]!;
    return site === WIDE_U32 ? this.wide.site.get(i)! : site;
  }

  private auxAt(i: number): number {
    const aux = this.aux[i]!;
    return aux === WIDE_I32 ? this.wide.aux.get(i)! : aux;
  }

  /** Keeps `value` of event `i` in `table`; returns the sentinel its column holds instead. */
  private keepWide(table: Map<number, number>, i: number, value: number, sentinel: number): number {
    table.set(i, value);
    return sentinel;
  }

  private noteTask(task: number, i: number): void {
    let list = this.tasks.get(task);
    if (!list) this.tasks.set(task, (list = []));
    list.push(i);
  }

  private intern(p: Preview): number {
    const key = p.truncated ? `${p.type}\u0001${p.text}` : `${p.type}\u0000${p.text}`;
    const known = this.interned.get(key);
    if (known !== undefined) return known;
    const id = this.values.push(p) - 1;
    if (this.interned.size < MAX_INTERNED) this.interned.set(key, id);
    return id;
  }

  private grow(): void {
    const cap = Math.max(1024, this.cap * 2);
    const grown = <T extends { set(a: T): void }>(old: T, make: (n: number) => T): T => {
      const next = make(cap);
      next.set(old);
      return next;
    };
    this.kind = grown(this.kind, (c) => new Uint8Array(c));
    this.co = grown(this.co, (c) => new Uint32Array(c));
    this.seq = grown(this.seq, (c) => new Float64Array(c));
    this.time = grown(this.time, (c) => new Float64Array(c));
    this.site = grown(this.site, (c) => new Uint32Array(c));
    this.aux = grown(this.aux, (c) => new Int32Array(c));
    this.small = grown(this.small, (c) => new Uint8Array(c));
    this.value = grown(this.value, (c) => new Uint32Array(c));
    this.cap = cap;
  }
}

const NO_EVENTS: readonly number[] = [];

/** Fits a Uint32Array column without being its sentinel. */
function fitsU32(x: number): boolean {
  return x >= 0 && x < WIDE_U32 && Number.isInteger(x);
}

/** Fits an Int32Array column without being its sentinel. */
function fitsI32(x: number): boolean {
  return x > WIDE_I32 && x <= 0x7fffffff && Number.isInteger(x);
}

/** Drops keys below `k` and shifts the rest down by `k` (side tables of `dropBefore`). */
function shiftKeys(table: Map<number, number>, k: number): void {
  if (table.size === 0) return;
  const kept = [...table].filter(([i]) => i >= k);
  table.clear();
  for (const [i, v] of kept) table.set(i - k, v);
}

/** Lists of indexes without those below `k`, the rest shifted down by `k`; empty lists are left out. */
function shifted<K>(lists: Map<K, number[]>, k: number): Map<K, number[]> {
  const out = new Map<K, number[]>();
  for (const [key, list] of lists) {
    const from = lowerBound(list, k);
    if (from < list.length)
      out.set(
        key,
        list.slice(from).map((x) => x - k),
      );
  }
  return out;
}

/** First position in ascending `a` whose value is ≥ `x`. */
export function lowerBound(a: ArrayLike<number>, x: number): number {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (a[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** First position in ascending `a` whose value is > `x`. */
export function upperBound(a: ArrayLike<number>, x: number): number {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (a[mid]! <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
