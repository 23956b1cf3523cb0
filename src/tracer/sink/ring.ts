// The main thread's side of the sink: trace records written straight into a ring of bytes in a
// SharedArrayBuffer. A worker thread (drain.ts) copies them out to the trace file and the editor's socket, so
// events keep flowing while the main thread is busy or paused at a breakpoint. Writing is plain stores and
// one atomic publish per record; when the ring is full the writer waits a little for the worker, then drops
// records and counts them, so memory stays bounded whatever the program does.

import { Rec } from '../../protocol/trace';

/** Control cells (Int32) shared with the worker. Positions are byte counters that wrap at 2^32. */
export const Ctl = {
  Write: 0,
  Read: 1,
  /** Bumped to wake the worker early (ring filling up, or closing). */
  Signal: 2,
  /** 0 running, 1 asked to flush and finish, 2 finished. */
  State: 3,
  Size: 8,
} as const;

/** Largest record the writer makes; the length field is always two varint bytes. */
export const MAX_RECORD = 16383;
const HEADROOM = MAX_RECORD + 64;

let data: Uint8Array<ArrayBufferLike> = new Uint8Array(0);
let ctl: Int32Array<ArrayBufferLike> = new Int32Array(Ctl.Size);
let mask = 0;
let capacity = 0;
let w = 0;
let readSeen = 0;
let recStart = 0;
let dropped = 0;
let dropping = false;
let waitBudgetMs = 0;
let closed = true;
/** Write position at which the worker was last woken; it is woken again only after another eighth of the ring. */
let signalledAt = 0;

let starter: (() => void) | undefined;

/** Sets what to call when the ring needs draining and the worker may not be running yet. */
export function setStarter(fn: (() => void) | undefined): void {
  starter = fn;
}

/** Drops since the last `Dropped` record; read by the runtime to decide when to report. */
export function droppedCount(): number {
  return dropped;
}

export function initRing(dataBuffer: SharedArrayBuffer, ctlBuffer: SharedArrayBuffer, maxWaitMs: number): void {
  data = new Uint8Array(dataBuffer);
  ctl = new Int32Array(ctlBuffer);
  capacity = data.length;
  mask = capacity - 1;
  w = Atomics.load(ctl, Ctl.Write);
  readSeen = Atomics.load(ctl, Ctl.Read);
  waitBudgetMs = maxWaitMs;
  closed = false;
}

export function closeRing(): void {
  closed = true;
}

function used(): number {
  return (w - readSeen) >>> 0;
}

/** Wakes the worker now instead of at its next poll. */
export function signal(): void {
  Atomics.add(ctl, Ctl.Signal, 1);
  Atomics.notify(ctl, Ctl.Signal);
}

/** Makes room for one record, waiting for the worker if needed. False means: drop this record. */
function room(): boolean {
  readSeen = Atomics.load(ctl, Ctl.Read);
  if (capacity - used() >= HEADROOM) {
    if (dropping && used() < capacity / 2) dropping = false;
    return !dropping;
  }
  if (dropping) return false;
  starter?.();
  signal();
  const deadline = Date.now() + waitBudgetMs;
  while (capacity - used() < HEADROOM) {
    const left = deadline - Date.now();
    if (left <= 0 || Atomics.load(ctl, Ctl.State) !== 0) {
      dropping = true;
      return false;
    }
    Atomics.wait(ctl, Ctl.Read, readSeen, Math.min(left, 50));
    readSeen = Atomics.load(ctl, Ctl.Read);
  }
  return true;
}

/**
 * Starts a record. Returns false when the record must be skipped (ring full, or closed); the caller then
 * writes nothing. A pending count of dropped records is reported first.
 */
export function begin(kind: number): boolean {
  if (closed) return false;
  if (capacity - used() < HEADROOM && !room()) {
    dropped++;
    return false;
  }
  if (dropped > 0) {
    const n = dropped;
    dropped = 0;
    open(Rec.Dropped);
    varint(0);
    varint(0);
    varint(n);
    end();
  }
  open(kind);
  return true;
}

function open(kind: number): void {
  recStart = w;
  data[w & mask] = kind;
  w = (w + 3) >>> 0;
}

/** Finishes the record begun last and publishes it to the worker. */
export function end(): void {
  const len = (w - recStart - 3) >>> 0;
  if (len > MAX_RECORD) {
    // A bug in a caller, not in the program: throw away the record rather than corrupt the stream.
    w = recStart;
    return;
  }
  data[(recStart + 1) & mask] = (len & 0x7f) | 0x80;
  data[(recStart + 2) & mask] = len >>> 7;
  Atomics.store(ctl, Ctl.Write, w | 0);
  if ((w - signalledAt) >>> 0 > capacity >>> 3) {
    signalledAt = w;
    readSeen = Atomics.load(ctl, Ctl.Read);
    if (used() > capacity >>> 2) signal();
  }
}

/** Bytes written into the current record so far. */
export function recordLength(): number {
  return (w - recStart - 3) >>> 0;
}

export function u8(b: number): void {
  data[w & mask] = b;
  w = (w + 1) >>> 0;
}

export function varint(n: number): void {
  if (n < 0x80) {
    data[w & mask] = n;
    w = (w + 1) >>> 0;
    return;
  }
  if (n <= 0xffffffff) {
    while (n >= 0x80) {
      data[w & mask] = (n & 0x7f) | 0x80;
      w = (w + 1) >>> 0;
      n >>>= 7;
    }
  } else {
    while (n >= 0x80) {
      data[w & mask] = (n % 0x80) | 0x80;
      w = (w + 1) >>> 0;
      n = Math.floor(n / 0x80);
    }
  }
  data[w & mask] = n;
  w = (w + 1) >>> 0;
}

export function zigzag(n: number): void {
  varint(n >= 0 ? n * 2 : -n * 2 - 1);
}

const f64 = new Float64Array(1);
const f64Bytes = new Uint8Array(f64.buffer);

export function float(n: number): void {
  f64[0] = n;
  for (let i = 0; i < 8; i++) u8(f64Bytes[i]!);
}

const encoder = new TextEncoder();

/** Writes a string as byte length + UTF-8, cut to `maxChars` UTF-16 units (never inside a surrogate pair). */
export function string(s: string, maxChars = 4096): void {
  let n = s.length;
  if (n > maxChars) {
    n = maxChars;
    const last = s.charCodeAt(n - 1);
    if (last >= 0xd800 && last <= 0xdbff) n--;
  }
  let ascii = true;
  for (let i = 0; i < n; i++) {
    if (s.charCodeAt(i) > 0x7f) {
      ascii = false;
      break;
    }
  }
  if (ascii) {
    varint(n);
    for (let i = 0; i < n; i++) {
      data[w & mask] = s.charCodeAt(i);
      w = (w + 1) >>> 0;
    }
    return;
  }
  const bytes = encoder.encode(n === s.length ? s : s.slice(0, n));
  varint(bytes.length);
  for (let i = 0; i < bytes.length; i++) {
    data[w & mask] = bytes[i]!;
    w = (w + 1) >>> 0;
  }
}
