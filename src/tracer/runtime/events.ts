// Event emission: the runtime's vocabulary on top of the ring. Each function writes one whole record with the
// common prefix (time delta, coroutine id). Times come from a monotonic clock, read on every 32nd event and on
// rare kinds, so hot loops pay almost nothing for them; events in between share the last reading.
// `emitStep` is the hot one: a resumption by next(v) and the yield that ended it, in one record, for the common
// case where nothing else happened in between.

import { CoKind, EndReason, Rec, Tag, previewTypes } from '../../protocol/trace';
import { close, open, quickValue, str, u8, vi, writeStep, zz } from '../sink/ring';
import { writePreview } from './preview';
import { floor } from './primordials';
import { heapDue, heapPending, noteHeap, writeHeap } from './heap';

const ERROR_TYPE = previewTypes.indexOf('error');
const OTHER_TYPE = previewTypes.indexOf('other');
const perfNow = performance.now.bind(performance);
const origin = perfNow();
let lastMicros = 0;
let tick = 0;

function dt(force: boolean): number {
  if (!force && (++tick & 31) !== 0) return 0;
  const now = floor((perfNow() - origin) * 1000);
  if (now <= lastMicros) return 0;
  if (now >= heapDue) noteHeap(now);
  const d = now - lastMicros;
  lastMicros = now;
  return d;
}

/** Hook run before every event, so that deferred records keep their place in order (see generators.ts). */
let before: (() => void) | null = null;
export function setBeforeEvent(fn: (() => void) | null): void {
  before = fn;
}

/** Writes out the records that wait for their event (a debugger paused the program and asks for them). */
export function flushWaiting(): void {
  if (before !== null) before();
}

/** A preview the tracer writes itself, with a fixed text (never a value of the program). */
function fixedPreview(p: number, type: number, text: string): number {
  return str(u8(u8(u8(p, Tag.Other), type), 0), text);
}

/** Opens an event record and writes its prefix; -1 when it must be skipped. */
function head(kind: number, co: number, force: boolean): number {
  if (before !== null) before();
  if (heapPending !== 0) writeHeap();
  const p = open(kind);
  return p < 0 ? p : vi(vi(p, dt(force)), co);
}

export const MAX_ARGS = 8;

export function emitCreate(
  co: number,
  site: number,
  parent: number,
  kind: number,
  args: ArrayLike<unknown> | undefined,
): void {
  let p = head(Rec.Create, co, true);
  if (p < 0) return;
  p = u8(vi(vi(p, site), parent), kind);
  const n = args ? (args.length < MAX_ARGS ? args.length : MAX_ARGS) : 0;
  p = vi(p, n);
  for (let i = 0; i < n; i++) p = writePreview(p, args![i]);
  close(p);
}

export function emitResume(co: number, mode: number, value: unknown, resumer: number): void {
  const p = head(Rec.Resume, co, false);
  if (p >= 0) close(vi(writePreview(u8(p, mode), value), resumer));
}

/** A resumption whose value the tracer could not see (an await that rejected into a `finally`). */
export function emitResumeUnobserved(co: number, mode: number, resumer: number): void {
  const p = head(Rec.Resume, co, false);
  if (p >= 0) close(vi(fixedPreview(u8(p, mode), OTHER_TYPE, '(not observed)'), resumer));
}

/**
 * next(value) by `resumer`, then a yield of `out` at `site`, with nothing recorded in between. The hot path:
 * no deferred-event hook (nothing can be pending here), primitives written inline.
 */
export function emitStep(co: number, resumer: number, value: unknown, site: number, out: unknown): void {
  writeStep(Rec.Step, dt(false), co, resumer, value, 0, site, out, writePreview);
}

/**
 * next(value) by `resumer` of a generator delegating with yield*, passed down `depth` levels of its chain, then a
 * yield of `out` at `site` by the innermost, passed back up: the decoder expands it into every level's events.
 */
export function emitChainStep(
  co: number,
  resumer: number,
  value: unknown,
  depth: number,
  site: number,
  out: unknown,
): void {
  writeStep(Rec.ChainStep, dt(false), co, resumer, value, depth, site, out, writePreview);
}

export function emitYield(co: number, site: number, value: unknown): void {
  const p = head(Rec.Yield, co, false);
  if (p >= 0) close(writePreview(vi(p, site), value));
}

/** A yield* into something that is not a generator (its value is not seen: the argument stays untouched). */
export function emitDelegateIterable(co: number, site: number): void {
  const p = head(Rec.Delegate, co, false);
  if (p >= 0) close(fixedPreview(vi(vi(p, site), 0), OTHER_TYPE, '(an iterable)'));
}

/** A yield whose value could not be read without running the program's code. */
export function emitYieldUnread(co: number, site: number): void {
  const p = head(Rec.Yield, co, false);
  if (p >= 0) close(fixedPreview(vi(p, site), OTHER_TYPE, '(not read: an iterator result with accessors or a proxy)'));
}

export function emitDelegate(co: number, site: number, target: number, iterable: unknown): void {
  const p = head(Rec.Delegate, co, false);
  if (p >= 0) close(writePreview(vi(vi(p, site), target), iterable));
}

export function emitReturn(co: number, value: unknown): void {
  const p = head(Rec.Return, co, false);
  if (p >= 0) close(writePreview(p, value));
}

export function emitFinally(co: number, site: number): void {
  const p = head(Rec.Finally, co, false);
  if (p >= 0) close(vi(p, site));
}

export function emitConsume(co: number, site: number, how: number): void {
  const p = head(Rec.Consume, co, false);
  if (p >= 0) close(u8(vi(p, site), how));
}

/** Completion by an error. `known` is false when the value that escaped was not observed. */
export function emitThrow(co: number, error: unknown, known: boolean): void {
  const p = head(Rec.Throw, co, true);
  if (p < 0) return;
  close(known ? writePreview(p, error) : fixedPreview(p, OTHER_TYPE, '(error not observed)'));
}

export function emitReenter(co: number, mode: number, resumer: number): void {
  const p = head(Rec.Reenter, co, true);
  if (p >= 0) close(fixedPreview(vi(u8(p, mode), resumer), ERROR_TYPE, 'TypeError: Generator is already running'));
}

export function emitEnd(exitCode: number, reason: number, error: { value: unknown } | undefined): void {
  let p = head(Rec.End, 0, true);
  if (p < 0) return;
  p = u8(zz(p, exitCode), reason);
  close(error ? writePreview(u8(p, 1), error.value) : u8(p, 0));
}

/** File and site records describe the program, not its run: they never flush deferred events. */
export function emitFile(id: number, url: string): void {
  const p = open(Rec.File);
  if (p >= 0) close(str(vi(p, id), url));
}

export function emitSite(id: number, file: number, line: number, column: number, kind: number, name: string): void {
  const p = open(Rec.Site);
  if (p >= 0) close(str(u8(vi(vi(vi(vi(p, id), file), line), column), kind), name, 200));
}

export { CoKind, EndReason };

const PROMISE_TYPE = previewTypes.indexOf('promise');

export function emitAwait(co: number, site: number, target: number, value: unknown): void {
  const p = head(Rec.Await, co, false);
  if (p >= 0) close(writePreview(vi(vi(p, site), target), value));
}

/**
 * An await of a native promise and the resumption after it, with nothing recorded in between: decoded as the
 * `await` and the `resume` (by a microtask: resumer 0) with the fulfilled value.
 */
export function emitAwaitStep(co: number, site: number, target: number, value: unknown): void {
  const p = head(Rec.AwaitStep, co, false);
  if (p < 0) return;
  const q = vi(vi(p, site), target);
  const r = quickValue(q, value);
  close(r >= 0 ? r : writePreview(q, value));
}

/** An await of a native promise: the common case, with a fixed preview (its state cannot be read anyway). */
export function emitAwaitPromise(co: number, site: number, target: number): void {
  const p = head(Rec.Await, co, false);
  if (p >= 0) close(fixedPreview(vi(vi(p, site), target), PROMISE_TYPE, 'Promise'));
}

/** `co` queued task `task` on `queue`; `delay` in milliseconds for timers. */
export function emitTaskQueue(co: number, task: number, queue: number, delay: number): void {
  const p = head(Rec.TaskQueue, co, false);
  if (p >= 0) close(vi(u8(vi(p, task), queue), delay));
}

export function emitTaskRun(task: number): void {
  const p = head(Rec.TaskRun, 0, true);
  if (p >= 0) close(vi(p, task));
}

export function emitTaskEnd(task: number): void {
  const p = head(Rec.TaskEnd, 0, false);
  if (p >= 0) close(vi(p, task));
}

/** `co` started a worker thread (`what` 0) or a child process (1), described by `command`. */
export function emitSpawn(co: number, what: number, command: string): void {
  const p = head(Rec.Spawn, co, true);
  if (p >= 0) close(str(u8(p, what), command, 300));
}

/** `co` cleared queued task `task` (a timer, an interval, an immediate). */
export function emitTaskCancel(co: number, task: number): void {
  const p = head(Rec.TaskCancel, co, false);
  if (p >= 0) close(vi(p, task));
}
