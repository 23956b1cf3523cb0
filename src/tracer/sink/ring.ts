// The main thread's side of the sink: trace records written straight into a ring of bytes in a
// SharedArrayBuffer. A worker thread (drain.ts) copies them out to the trace file and the editor's socket, so
// events keep flowing while the main thread is busy or paused at a breakpoint.
//
// This is the tracer's hot path. A record is written by one call: `open` reserves room and writes the kind,
// the field writers below take and return a local write position (small pure functions the JIT inlines), and
// `close` frames and publishes it. A record is always written in one piece: one that starts near the end of the
// ring runs on into a spill area past it, and `close` copies that part to the start, so no write wraps. Publishing with a fence costs more than the rest of a record, so the write
// position is fenced every 32 records (and at exit, when the ring is full, or when asked), and stored as an
// unfenced hint after each one (see Ctl.Hint). When the ring is full the writer waits a little for the worker,
// then drops records and counts them, so memory stays bounded whatever the program does.

import { Rec, Tag } from '../../protocol/trace';

// Built-ins this file calls, captured at the tracer's start (uncurried like Node's primordials), so that a
// program that replaces String.prototype.charCodeAt, %TypedArray%.prototype.set, Atomics.store or Date.now
// never has its code called by the tracer, nor its trace damaged.
const uncurryThis = Function.prototype.bind.bind(Function.prototype.call) as <A extends unknown[], R>(
  fn: (...args: A) => R,
) => (self: unknown, ...args: A) => R;
const charCodeAt = uncurryThis(String.prototype.charCodeAt as (i: number) => number);
const stringSlice = uncurryThis(String.prototype.slice as (start?: number, end?: number) => string);
const typedArrayProto = Reflect.getPrototypeOf(Uint8Array.prototype) as Uint8Array;
const bytesSet = uncurryThis(typedArrayProto.set as (source: ArrayLike<number>, offset?: number) => void);
const bytesCopyWithin = uncurryThis(
  typedArrayProto.copyWithin as (target: number, start: number, end?: number) => Uint8Array,
);
const encode = uncurryThis(TextEncoder.prototype.encode as (s: string) => Uint8Array);
const { load, store, add, notify, wait } = Atomics;
const dateNow = Date.now;
const floor = Math.floor;

/** Control cells (Int32) shared with the worker. Positions are byte counters that wrap at 2^32. */
export const Ctl = {
  Write: 0,
  Read: 1,
  /** Bumped to wake the worker early (ring filling up, or closing). */
  Signal: 2,
  /** 0 running, 1 asked to flush and finish, 2 finished. */
  State: 3,
  /**
   * The write position after every record, stored without a fence. The worker trusts it only once it has seen
   * the same value on an earlier poll (milliseconds later), by when every store before it is visible.
   */
  Hint: 4,
  /**
   * Who writes the trace file: 0 nobody right now, 2 the main thread (until the worker runs, see
   * `setPublishHook`), 1 the worker, for good. Taken with compareExchange.
   */
  FileOwner: 5,
  /** The ring position up to which the main thread wrote records to the file before the worker took it over. */
  FileDone: 6,
  Size: 8,
} as const;

/** Largest record; the length field is always two varint bytes. */
export const MAX_RECORD = 16383;
const HEADROOM = MAX_RECORD + 64;
/** Bytes after the ring proper that a record starting near its end runs on into (see `close`). */
export const SPILL = HEADROOM;
const PUBLISH_EVERY = 32;

/**
 * The drain worker's rule: how many bytes past `read` are safe to copy. Up to the fenced position, or up to the
 * hint seen on the previous poll if that reaches further and the writer has moved on from it. Positions wrap at
 * 2^32, so a position behind `read` shows up as a distance larger than the ring: it says nothing new.
 */
export function readable(read: number, published: number, previousHint: number, hint: number, ring: number): number {
  const fenced = (published - read) >>> 0;
  const previous = (previousHint - read) >>> 0;
  const now = (hint - read) >>> 0;
  let n = fenced <= ring ? fenced : 0;
  if (previous <= ring && now <= ring && previous <= now && previous > n) n = previous;
  return n;
}

let data: Uint8Array<ArrayBufferLike> = new Uint8Array(0);
let ctl: Int32Array<ArrayBufferLike> = new Int32Array(Ctl.Size);
let mask = 0;
let capacity = 0;
/** Write position: a plain number that only grows; `& mask` finds the byte. */
let w = 0;
/** Where in `data` the record being written starts. */
let start = 0;
let readSeen = 0;
let dropped = 0;
let dropping = false;
let waitBudgetMs = 0;
let closed = true;
let signalledAt = 0;
let unpublished = 0;
let starter: (() => void) | undefined;
/** Whether the worker starts with the first record (see `startEarly`), or only on the first loop turn or a full ring. */
let early = true;
/** Called with the write position after each publish, until it returns false (see `setPublishHook`). */
let published: ((upTo: number) => boolean) | undefined;
/** Records still to publish one by one, for the publish hook. */
let eager = 0;
const EAGER_RECORDS = 256;

export function initRing(dataBuffer: SharedArrayBuffer, ctlBuffer: SharedArrayBuffer, maxWaitMs: number): void {
  data = new Uint8Array(dataBuffer);
  ctl = new Int32Array(ctlBuffer);
  capacity = data.length - SPILL;
  mask = capacity - 1;
  w = load(ctl, Ctl.Write) >>> 0;
  readSeen = w;
  waitBudgetMs = maxWaitMs;
  closed = false;
}

/**
 * Sets what to call when the ring needs draining and the worker may not be running yet; with `atFirstRecord`,
 * the first record calls it too.
 */
export function setStarter(fn: (() => void) | undefined, atFirstRecord = early): void {
  starter = fn;
  early = atFirstRecord;
}

/**
 * Sets what runs after each publish, with the position published, until it returns false: the sink writes the
 * records to the trace file there until the worker runs, so that a program that dies or blocks before then still
 * leaves them. The first EAGER_RECORDS records after it is set are published one by one (a program that blocks
 * or dies right after it starts leaves every one); after them, every PUBLISH_EVERY records as usual, so that a
 * busy start does not make a system call per record.
 */
export function setPublishHook(fn: ((upTo: number) => boolean) | undefined): void {
  published = fn;
  eager = fn === undefined ? 0 : EAGER_RECORDS;
}

/** Where records are read from: the ring and its control cells (for the main thread's own writes to the file). */
export function ringView(): { readonly data: Uint8Array<ArrayBufferLike>; readonly capacity: number } {
  return { data, capacity };
}

/** Publishes everything written so far (exit, a pause in the debugger, a full ring). */
export function publish(): void {
  unpublished = 0;
  store(ctl, Ctl.Write, w | 0);
  if (published !== undefined && !published(w >>> 0)) {
    published = undefined;
    eager = 0;
  }
}

export function closeRing(): void {
  if (!closed) publish();
  closed = true;
}

/** Wakes the worker now instead of at its next poll. */
export function signal(): void {
  add(ctl, Ctl.Signal, 1);
  notify(ctl, Ctl.Signal);
}

function used(): number {
  return (w - readSeen) >>> 0;
}

/** Makes room for one record, waiting for the worker if needed. False means: drop this record. */
function room(): boolean {
  readSeen = load(ctl, Ctl.Read) >>> 0;
  if (capacity - used() >= HEADROOM) {
    if (dropping && used() < capacity / 2) dropping = false;
    return !dropping;
  }
  if (dropping) return false;
  if (starter !== undefined) startEarly();
  publish();
  signal();
  const deadline = dateNow() + waitBudgetMs;
  while (capacity - used() < HEADROOM) {
    const left = deadline - dateNow();
    if (left <= 0 || load(ctl, Ctl.State) !== 0) {
      dropping = true;
      return false;
    }
    wait(ctl, Ctl.Read, readSeen | 0, left < 50 ? left : 50);
    readSeen = load(ctl, Ctl.Read) >>> 0;
  }
  return true;
}

// ---- field writers: (position, value) → new position ----

export function vi(p: number, n: number): number {
  const d = data;
  if (n < 0x80) {
    d[p] = n;
    return p + 1;
  }
  if (n <= 0xffffffff) {
    while (n >= 0x80) {
      d[p++] = (n & 0x7f) | 0x80;
      n >>>= 7;
    }
  } else {
    while (n >= 0x80) {
      d[p++] = (n % 0x80) | 0x80;
      n = floor(n / 0x80);
    }
  }
  d[p] = n;
  return p + 1;
}

export function zz(p: number, n: number): number {
  return vi(p, n >= 0 ? n * 2 : -n * 2 - 1);
}

export function u8(p: number, b: number): number {
  data[p] = b;
  return p + 1;
}

const f64 = new Float64Array(1);
const f64Bytes = new Uint8Array(f64.buffer);

export function float(p: number, n: number): number {
  f64[0] = n;
  bytesSet(data, f64Bytes, p);
  return p + 8;
}

const encoder = new TextEncoder();

/** A string as byte length + UTF-8, cut to `maxChars` UTF-16 units (never inside a surrogate pair). */
export function str(p: number, s: string, maxChars = 4096): number {
  let n = s.length;
  if (n > maxChars) {
    n = maxChars;
    const last = charCodeAt(s, n - 1);
    if (last >= 0xd800 && last <= 0xdbff) n--;
  }
  let ascii = true;
  for (let i = 0; i < n; i++) {
    if (charCodeAt(s, i) > 0x7f) {
      ascii = false;
      break;
    }
  }
  const d = data;
  if (ascii) {
    p = vi(p, n);
    for (let i = 0; i < n; i++) d[p + i] = charCodeAt(s, i);
    return p + n;
  }
  const bytes = encode(encoder, n === s.length ? s : stringSlice(s, 0, n));
  p = vi(p, bytes.length);
  bytesSet(d, bytes, p);
  return p + bytes.length;
}

/** Writes a primitive inline; returns -1 when the value needs a full preview (objects, long strings …). */
export function quickValue(p: number, v: unknown): number {
  switch (typeof v) {
    case 'number':
      if (v === (v | 0) && (v !== 0 || 1 / v > 0)) return zz(u8(p, Tag.Int), v);
      return float(u8(p, Tag.Float), v);
    case 'undefined':
      return u8(p, Tag.Undefined);
    case 'boolean':
      return u8(p, v ? Tag.True : Tag.False);
    case 'object':
      return v === null ? u8(p, Tag.Null) : -1;
    default:
      return -1;
  }
}

/**
 * The Step record, the hot path of a loop over a generator: kind, length, time delta, coroutine, resumer, sent
 * value, site, yielded value. A ChainStep (depth > 0) has the depth of the yield* chain before the site. Small numbers and primitives are written in place; anything else goes through
 * `preview` (the full preview writer, passed in to keep this file free of value inspection).
 */
export function writeStep(
  kind: number,
  dt: number,
  co: number,
  resumer: number,
  value: unknown,
  depth: number,
  site: number,
  out: unknown,
  preview: (p: number, v: unknown) => number,
): void {
  let p = open(kind);
  if (p < 0) return;
  const d = data;
  if (dt < 0x80 && co < 0x80 && resumer < 0x80) {
    d[p] = dt;
    d[p + 1] = co;
    d[p + 2] = resumer;
    p += 3;
  } else {
    p = vi(vi(vi(p, dt), co), resumer);
  }
  let q = quickValue(p, value);
  p = q >= 0 ? q : preview(p, value);
  if (depth > 0) p = vi(p, depth);
  if (site < 0x80) {
    d[p] = site;
    p++;
  } else {
    p = vi(p, site);
  }
  q = quickValue(p, out);
  close(q >= 0 ? q : preview(p, out));
}

// ---- records ----

/**
 * Starts a record and returns the position after its kind and length bytes, or -1 when the record must be
 * skipped (ring full, or closed). A pending count of dropped records is reported first.
 */
export function open(kind: number): number {
  if (closed) return -1;
  if (capacity - ((w - readSeen) >>> 0) < HEADROOM && !room()) {
    dropped++;
    return -1;
  }
  if (dropped > 0) {
    const n = dropped;
    dropped = 0;
    const at = open(Rec.Dropped);
    close(vi(vi(vi(at, 0), 0), n));
  }
  start = w & mask;
  data[start] = kind;
  if (starter !== undefined && early) startEarly();
  return start + 3;
}

/**
 * The program has started (it made its first event): the worker may start now, so that records keep leaving even
 * if the program then blocks before its event loop first turns, or is killed there.
 */
function startEarly(): void {
  const s = starter!;
  starter = undefined;
  s();
}

/** Finishes the record opened last, ending at position `p`. */
export function close(p: number): void {
  const len = p - start - 3;
  if (len > MAX_RECORD || len < 0) return; // a bug in a caller: drop the record rather than corrupt the stream
  const d = data;
  d[start + 1] = (len & 0x7f) | 0x80;
  d[start + 2] = len >>> 7;
  if (p > capacity) bytesCopyWithin(d, 0, capacity, p);
  w += p - start;
  ctl[Ctl.Hint] = w | 0;
  if (++unpublished >= PUBLISH_EVERY) publish();
  else if (eager > 0) {
    eager--;
    publish();
  }
  if (w - signalledAt > capacity >>> 3) {
    signalledAt = w;
    readSeen = load(ctl, Ctl.Read) >>> 0;
    if (used() > capacity >>> 2) signal();
  }
}
