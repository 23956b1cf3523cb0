// Async functions and async generators, recorded from their bodies. The loader gives each async function (see
// loader/instrument.ts):
//   - `var __ys$i=__ys$A(SITE,args)` first, which records the call as a coroutine, makes it the running one and
//     returns the call's record (`AsyncCall`), which every other probe is handed back (no lookups);
//   - `__ys$w(CALL,await __ys$a(CALL,SITE,x))` for each `await x`: the inner probe records what is awaited and
//     gives control back to whoever ran the function; the outer one records the resumption with the value;
//   - a probe first in each `catch` and `finally` block, which records a resumption by a rejection when the
//     coroutine was parked on an await (a rejected await shows itself no other way: nothing catches it for us);
//   - `return __ys$t(CALL,x)` for each `return x`, and a `try … catch … finally` around the whole body whose catch
//     records the error and rethrows it (an async function never throws to its caller, so the rethrow changes
//     nothing the program can see: the rejection carries the same value and stack), and whose finally records
//     the completion;
//   - for `for await` loops, probes where the loop parks (after its iterable, at the end of a turn, at `continue`)
//     and where a turn starts.
// An async generator gets the same, except that its record is made by a creation probe in a hidden parameter
// (as for sync generators, see generators.ts), and each `yield` records the value going out and, on the way back
// in, the value sent with next(v).
// Which coroutine made an awaited promise: V8's promise init hook says which promise was created last, and the
// start probe of an async function runs right after V8 makes the function's promise.
// An await and the resumption after it are written as one record when nothing else is recorded in between (a
// loop of awaits, typically): the await waits in `pendingAwait` until then.

import { types } from 'node:util';
import { promiseHooks } from 'node:v8';
import { CoKind, Mode } from '../../protocol/trace';
import {
  emitAwait,
  emitAwaitPromise,
  emitAwaitStep,
  emitCreate,
  emitResume,
  emitResumeUnobserved,
  emitReturn,
  emitThrow,
  emitYield,
} from './events';
import { coroutineRecord, currentCoroutine, nextCoroutineId, swapCurrent, type CoRec } from './generators';

/** Where an async call is parked: nowhere (running, or finished), on an await, at a yield, not started yet. */
const Parked = { No: 0, Await: 1, Yield: 2, Created: 3 } as const;

export interface AsyncCall {
  readonly rec: CoRec;
  /** The coroutine to give control back to at the next await or yield, or at the end. */
  saved: CoRec | undefined;
  parked: number;
  hasResult: boolean;
  result: unknown;
  failed: boolean;
  error: unknown;
  /** The await it is parked on, while its record waits (see `pendingAwait`). */
  awaitSite: number;
  awaitTarget: number;
  awaitPromise: boolean;
  /** Parked on the implicit await of a `for await` loop, which no probe sees end when the loop does. */
  implicit: boolean;
}

const { isPromise } = types;

/** The coroutine whose result each promise is, for promises made by recorded async functions. */
const promiseOf = new WeakMap<object, number>();
let lastPromise: object | undefined;
/** An await of a promise whose record waits for the resumption after it, to be written with it as one record. */
let pendingAwait: AsyncCall | undefined;

export function installAsyncHooks(): void {
  promiseHooks.onInit((promise: object) => {
    lastPromise = promise;
  });
}

/** Writes a waiting await record: something else is about to be recorded. */
export function flushAwait(): void {
  const call = pendingAwait!;
  pendingAwait = undefined;
  emitAwaitPromise(call.rec.id, call.awaitSite, call.awaitTarget);
}

export function hasPendingAwait(): boolean {
  return pendingAwait !== undefined;
}

export function probeAsyncStart(site: number, args: ArrayLike<unknown> | undefined): AsyncCall {
  const id = nextCoroutineId();
  const parent = currentCoroutine();
  if (lastPromise !== undefined) {
    promiseOf.set(lastPromise, id);
    lastPromise = undefined;
  }
  emitCreate(id, site, parent, CoKind.Async, args);
  emitResume(id, Mode.Next, undefined, parent);
  const rec = coroutineRecord(id, site);
  rec.running = true;
  return newCall(rec, swapCurrent(rec), Parked.No);
}

function newCall(rec: CoRec, saved: CoRec | undefined, parked: number): AsyncCall {
  return {
    rec,
    saved,
    parked,
    hasResult: false,
    result: undefined,
    failed: false,
    error: undefined,
    awaitSite: 0,
    awaitTarget: 0,
    awaitPromise: false,
    implicit: false,
  };
}

function isCall(call: unknown): call is AsyncCall {
  return typeof call === 'object' && call !== null && 'rec' in call;
}

export function probeAwait(call: AsyncCall, site: number, value: unknown): unknown {
  if (!isCall(call)) return value;
  if (call.implicit) wakeFromLoop(call);
  if (call.parked !== Parked.No) return value;
  if (pendingAwait !== undefined) flushAwait();
  call.awaitSite = site;
  if (typeof value === 'object' && value !== null && isPromise(value)) {
    // A promise's preview is fixed: its record can wait, to be written with the resumption.
    call.awaitPromise = true;
    call.awaitTarget = promiseOf.get(value) ?? 0;
    pendingAwait = call;
  } else {
    // Anything else is previewed now, as it is at the await (a thenable's then() runs before the resumption).
    call.awaitPromise = false;
    emitAwait(call.rec.id, site, 0, value);
  }
  park(call, Parked.Await);
  return value;
}

/** The call gives control back to whoever ran it. */
function park(call: AsyncCall, where: number): void {
  call.parked = where;
  call.rec.running = false;
  swapCurrent(call.saved);
  call.saved = undefined;
  if (loopParking !== undefined) finishLoopPark(false);
}

/**
 * A `for await` loop parks in two steps: its probe runs at the end of a turn, then the loop calls the iterator's
 * next() (still as the loop's coroutine: an async generator it resumes says so), and only then awaits. The
 * second step is taken when that call gives control back (the iterator's coroutine parks or ends), or, for an
 * iterator that is not recorded, when anything else runs from a queue.
 */
let loopParking: AsyncCall | undefined;

function finishLoopPark(fromQueue: boolean): void {
  const call = loopParking!;
  if (!fromQueue && currentCoroutine() !== call.rec.id) return; // still inside the iterator's next()
  loopParking = undefined;
  if (call.parked !== Parked.Await) return;
  swapCurrent(call.saved);
  call.saved = undefined;
}

/** Code from a queue starts (a task, a resumption after an await): a loop that was parking has parked. */
export function enteringFromQueue(): void {
  if (loopParking !== undefined) finishLoopPark(true);
}

/**
 * The call runs again: after an await from a microtask (resumer 0); after a yield, from whoever called next(),
 * throw() or return() on the async generator (the coroutine running now), or from a queued request.
 */
function wake(call: AsyncCall, mode: number, value: unknown, known: boolean): void {
  if (loopParking === call) loopParking = undefined;
  else if (call.parked === Parked.Await && loopParking !== undefined) finishLoopPark(true);
  const resumer = call.parked === Parked.Await ? 0 : currentCoroutine();
  call.parked = Parked.No;
  call.implicit = false;
  call.rec.running = true;
  call.saved = swapCurrent(call.rec);
  if (pendingAwait !== undefined) flushAwait();
  if (known) emitResume(call.rec.id, mode, value, resumer);
  else emitResumeUnobserved(call.rec.id, mode, resumer);
}

export function probeResumed(call: AsyncCall, value: unknown): unknown {
  if (!isCall(call) || call.parked !== Parked.Await) return value;
  resumeFromAwait(call, value);
  return value;
}

/** Back from an await with its fulfilled value: one record with the await when nothing came between. */
function resumeFromAwait(call: AsyncCall, value: unknown): void {
  call.implicit = false;
  if (pendingAwait === call && call.awaitPromise) {
    // Nothing was recorded since the await: one record for both.
    if (loopParking === call) loopParking = undefined;
    else if (loopParking !== undefined) finishLoopPark(true);
    pendingAwait = undefined;
    call.parked = Parked.No;
    call.rec.running = true;
    call.saved = swapCurrent(call.rec);
    emitAwaitStep(call.rec.id, call.awaitSite, call.awaitTarget, value);
  } else wake(call, Mode.Next, value, true);
}

/** Parks at a `for await` loop's implicit await of the iterator's next(). */
export function probeForAwaitPark(call: AsyncCall, site: number): void {
  if (!isCall(call) || call.parked !== Parked.No) return;
  if (pendingAwait !== undefined) flushAwait();
  call.awaitSite = site;
  call.awaitPromise = true;
  call.awaitTarget = 0;
  call.implicit = true;
  pendingAwait = call;
  // Parked, but still the running coroutine until the loop's call of next() returns (see `loopParking`).
  call.parked = Parked.Await;
  call.rec.running = false;
  if (loopParking !== undefined) finishLoopPark(true);
  loopParking = call;
}

/** A `for await` turn starts with the next value. */
export function probeForAwaitTurn(call: AsyncCall, value: unknown): void {
  if (isCall(call) && call.parked === Parked.Await) resumeFromAwait(call, value);
}

/**
 * Running again after a `for await` loop's await without a turn starting: the loop ended (its iterator was done)
 * or was left; the value of that await is not seen.
 */
function wakeFromLoop(call: AsyncCall): void {
  if (call.parked === Parked.Await) wake(call, Mode.Next, undefined, false);
  call.implicit = false;
}

/**
 * First in a `catch` block (`known`, with the error) or a `finally` block: a rejected await, or an async
 * generator closed at its yield by throw() or return() (a `finally` cannot tell which: it says return).
 */
export function probeCaught(call: AsyncCall, error: unknown, known: boolean): void {
  if (!isCall(call)) return;
  if (call.parked === Parked.Await) wake(call, Mode.Throw, error, known);
  else if (call.parked === Parked.Yield) wake(call, known ? Mode.Throw : Mode.Return, error, known);
}

export function probeReturning(call: AsyncCall, value: unknown): unknown {
  if (isCall(call)) {
    if (call.implicit) wakeFromLoop(call);
    call.hasResult = true;
    call.result = value;
  }
  return value;
}

/** The catch around the whole body: the error that rejects the call's promise. */
export function probeFailing(call: AsyncCall, error: unknown): void {
  if (!isCall(call)) return;
  if (call.parked === Parked.Await || call.parked === Parked.Yield) wake(call, Mode.Throw, error, true);
  call.failed = true;
  call.error = error;
}

/** The finally around the whole body: the call is over. */
export function probeAsyncEnd(call: AsyncCall): void {
  if (!isCall(call) || call.rec.closed) return;
  if (call.implicit) wakeFromLoop(call);
  if (call.parked === Parked.Await) wake(call, Mode.Throw, undefined, false);
  else if (call.parked === Parked.Yield) wake(call, Mode.Return, undefined, false);
  else if (call.parked === Parked.Created) return; // return() before it started: its body never ran
  const id = call.rec.id;
  call.rec.running = false;
  call.rec.closed = true;
  if (call.failed) emitThrow(id, call.error, true);
  else emitReturn(id, call.hasResult ? call.result : undefined);
  call.result = undefined;
  call.error = undefined;
  swapCurrent(call.saved);
  call.saved = undefined;
  if (loopParking !== undefined) finishLoopPark(false);
}

// ---- async generators: created at the call, started by the first next(), parked at each yield ----

export function probeAsyncGeneratorCreate(site: number, args: ArrayLike<unknown>): AsyncCall {
  const id = nextCoroutineId();
  emitCreate(id, site, currentCoroutine(), CoKind.AsyncGenerator, args);
  return newCall(coroutineRecord(id, site), undefined, Parked.Created);
}

export function probeAsyncGeneratorStart(call: AsyncCall): void {
  if (!isCall(call) || call.parked !== Parked.Created) return;
  call.parked = Parked.Yield; // a first resumption, as from a yield
  wake(call, Mode.Next, undefined, true);
}

export function probeAsyncGeneratorYield(call: AsyncCall, site: number, value: unknown): void {
  if (!isCall(call)) return;
  if (call.implicit) wakeFromLoop(call);
  if (call.parked !== Parked.No) return;
  emitYield(call.rec.id, site, value);
  park(call, Parked.Yield);
}

export function probeAsyncGeneratorResumed(call: AsyncCall, value: unknown): unknown {
  if (isCall(call) && call.parked === Parked.Yield) wake(call, Mode.Next, value, true);
  return value;
}
