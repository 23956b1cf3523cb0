// Async functions and async generators, recorded from their bodies. The loader gives each async function (see
// loader/instrument.ts):
//   - `var __ys$i=__ys$A(SITE,args)` first, which records the call as a coroutine, makes it the running one and
//     returns the call's record (`AsyncCall`), which every other probe is handed back (no lookups);
//   - `__ys$w(CALL,await __ys$a(CALL,SITE,x))` for each `await x`: the inner probe records what is awaited and
//     gives control back to whoever ran the function; the outer one records the resumption with the value;
//   - a probe first in each `catch` and `finally` block, which records a resumption by a rejection when the
//     coroutine was parked on an await (a rejected await shows itself no other way: nothing catches it for us);
//   - `return __ys$t(CALL,x)` for each `return x` (and `__ys$t(CALL,void 0)` before each `return;`), and a
//     `try … catch … finally` around the whole body whose catch records the error and rethrows it (an async
//     function never throws to its caller, so the rethrow changes nothing the program can see: the rejection
//     carries the same value and stack), and whose finally records the completion;
//   - around each parameter default that may run code, `__ys$pr(__ys$ps(),x)`, which keeps the promise V8 made
//     for the call from being taken for one the default makes (see `promiseOf`);
//   - for `for await` loops, the probes of forAwait.ts.
// An async generator gets the same, and the probes of asyncGenerators.ts (creation, yield, `return x`, which
// awaits x there) and asyncDelegate.ts (`yield*`).
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
  emitDelegate,
  emitResume,
  emitResumeUnobserved,
  emitReturn,
  emitThrow,
} from './events';
import { coroutineRecord, currentCoroutine, nextCoroutineId, swapCurrent, type CoRec } from './generators';
import { breakArmed, breakOnFail } from './breakOn';
import { weakMapGet, weakMapSet } from './primordials';
import {
  Parked,
  allLoopsParked,
  delegatingNow,
  dropLoopPark,
  isParkingLoop,
  promiseWithParent,
  stopLoopPark,
} from './parking';

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
  /** Parked on the await of an async generator's `return x`, which ends at the next catch, finally or the end. */
  returning: boolean;
  /** Parked on the await of a loop's iterator's return(), left by a `return` (see forAwait.ts). */
  closing: boolean;
  /** The `yield*` an async generator delegates through (see asyncDelegate.ts), or 0. */
  delegateSite: number;
  delegateKnown: boolean;
  delegateTarget: number;
}

const { isPromise, isProxy } = types;

/** The coroutine whose result each promise is, for promises made by recorded async functions. */
const promiseOf = new WeakMap<object, number>();
let lastPromise: object | undefined;
/** An await of a promise whose record waits for the resumption after it, to be written with it as one record. */
let pendingAwait: AsyncCall | undefined;

export function installAsyncHooks(): void {
  promiseHooks.onInit((promise: object, parent: object | undefined) => {
    lastPromise = promise;
    if (parent !== undefined && isParkingLoop()) promiseWithParent();
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
    weakMapSet(promiseOf, lastPromise, id);
    lastPromise = undefined;
  }
  emitCreate(id, site, parent, CoKind.Async, args);
  emitResume(id, Mode.Next, undefined, parent);
  const rec = coroutineRecord(id, site);
  rec.running = true;
  return newCall(rec, swapCurrent(rec), Parked.No);
}

/** A parameter default of an async function starts: the promise made last is the call's own, kept aside. */
export function probeDefaultStart(): object | undefined {
  return lastPromise;
}

/** The default has its value: promises it made are not the call's, the one kept aside is again the last. */
export function probeDefaultEnd(kept: object | undefined): void {
  lastPromise = kept;
}

export function newCall(rec: CoRec, saved: CoRec | undefined, parked: number): AsyncCall {
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
    returning: false,
    closing: false,
    delegateSite: 0,
    delegateKnown: false,
    delegateTarget: 0,
  };
}

export function isCall(call: unknown): call is AsyncCall {
  return typeof call === 'object' && call !== null && 'rec' in call;
}

export function probeAwait(call: AsyncCall, site: number, value: unknown): unknown {
  if (!isCall(call)) return value;
  if (call.implicit) wakeFromLoop(call);
  if (call.parked === Parked.No) parkOnAwait(call, site, value);
  return value;
}

export function parkOnAwait(call: AsyncCall, site: number, value: unknown): void {
  if (pendingAwait !== undefined) flushAwait();
  call.awaitSite = site;
  if (typeof value === 'object' && value !== null && isPromise(value)) {
    // A promise's preview is fixed: its record can wait, to be written with the resumption.
    call.awaitPromise = true;
    call.awaitTarget = (weakMapGet(promiseOf, value) as number | undefined) ?? 0;
    pendingAwait = call;
  } else {
    // Anything else is previewed now, as it is at the await (a thenable's then() runs before the resumption).
    call.awaitPromise = false;
    emitAwait(call.rec.id, site, 0, value);
  }
  park(call, Parked.Await);
}

/** The call gives control back to whoever ran it. */
export function park(call: AsyncCall, where: number): void {
  call.parked = where;
  call.rec.running = false;
  swapCurrent(call.saved);
  call.saved = undefined;
}

/** Parks at a `for await` loop's implicit await: first step (see parking.ts). */
export function parkAtLoop(call: AsyncCall, site: number): void {
  if (pendingAwait !== undefined) flushAwait();
  call.awaitSite = site;
  call.awaitPromise = true;
  call.awaitTarget = 0;
  call.implicit = true;
  pendingAwait = call;
  call.parked = Parked.Await;
  call.rec.running = false;
}

/** Parks on the await of a `yield*`'s delegate, until the delegation ends (its end is not seen: see `implicit`). */
export function parkDelegating(call: AsyncCall): void {
  if (pendingAwait !== undefined) flushAwait();
  emitAwaitPromise(call.rec.id, call.delegateSite, call.delegateTarget);
  if (currentCoroutine() === call.rec.id) park(call, Parked.Await);
  else {
    // Seen late (from a queue, something else running): it parked without being the current coroutine.
    call.parked = Parked.Await;
    call.rec.running = false;
    call.saved = undefined;
  }
  call.implicit = true;
}

/**
 * A loop that parked at its first step runs on without having awaited (an iterator without a return() when the
 * loop is left): nothing happened, and its await record is taken back if it is still waiting.
 */
export function unparkLoop(call: AsyncCall): boolean {
  if (pendingAwait !== call || !stopLoopPark(call)) return false;
  pendingAwait = undefined;
  call.parked = Parked.No;
  call.implicit = false;
  call.rec.running = true;
  return true;
}

/** The call becomes the running one again; returns its resumer. */
function runAgain(call: AsyncCall): number {
  let resumer = 0;
  if (!stopLoopPark(call)) {
    // Back from an await, from a microtask: every loop that was parking has parked.
    if (call.parked === Parked.Await) allLoopsParked();
    else resumer = currentCoroutine();
    call.saved = swapCurrent(call.rec);
  }
  // (Else its own loop's call of next() threw: it is still the current coroutine, with whoever ran it saved.)
  call.parked = Parked.No;
  call.implicit = false;
  call.returning = false;
  call.closing = false;
  call.delegateSite = 0;
  call.rec.running = true;
  return resumer;
}

/**
 * The call runs again: after an await from a microtask (resumer 0); after a yield, from whoever called next(),
 * throw() or return() on the async generator (the coroutine running now), or from a queued request.
 */
export function wake(call: AsyncCall, mode: number, value: unknown, known: boolean): void {
  const delegator = call.parked === Parked.Await ? undefined : delegatingNow();
  const resumer = runAgain(call);
  if (pendingAwait !== undefined) flushAwait();
  if (delegator !== undefined) {
    // Resumed by the first step of a `yield*`: the delegate is this generator.
    delegator.delegateKnown = true;
    delegator.delegateTarget = call.rec.id;
    emitDelegate(delegator.rec.id, delegator.delegateSite, call.rec.id, undefined);
  }
  if (known) emitResume(call.rec.id, mode, value, resumer);
  else emitResumeUnobserved(call.rec.id, mode, resumer);
}

export function probeResumed(call: AsyncCall, value: unknown): unknown {
  if (!isCall(call) || call.parked !== Parked.Await) return value;
  resumeFromAwait(call, value);
  return value;
}

/** Back from an await with its fulfilled value: one record with the await when nothing came between. */
export function resumeFromAwait(call: AsyncCall, value: unknown): void {
  if (pendingAwait === call && call.awaitPromise) {
    // Nothing was recorded since the await: one record for both.
    pendingAwait = undefined;
    runAgain(call);
    emitAwaitStep(call.rec.id, call.awaitSite, call.awaitTarget, value);
  } else wake(call, Mode.Next, value, true);
}

/**
 * Running again after a `for await` loop's await without a turn starting: the loop ended (its iterator was done)
 * or was left; the value of that await is not seen.
 */
export function wakeFromLoop(call: AsyncCall): void {
  if (call.parked === Parked.Await && !unparkLoop(call)) wake(call, Mode.Next, undefined, false);
  call.implicit = false;
}

/**
 * Back from the await of `return x` in an async generator, fulfilled: with x when that is what it settles to
 * (not a promise, nor anything else with a then() to call), unobserved otherwise.
 */
function wakeFromReturn(call: AsyncCall): void {
  if (settlesAsItself(call.result)) wake(call, Mode.Next, call.result, true);
  else wake(call, Mode.Next, undefined, false);
}

/** True if awaiting the value gives the value itself; found without running any of the program's code. */
function settlesAsItself(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return typeof value !== 'function';
  for (let o: object | null = value; o !== null; o = Reflect.getPrototypeOf(o)) {
    if (isProxy(o)) return false;
    const then = Reflect.getOwnPropertyDescriptor(o, 'then');
    if (then !== undefined) return !('get' in then) && typeof then.value !== 'function';
  }
  return true;
}

/**
 * First in a `catch` block (`known`, with the error) or a `finally` block: a rejected await, or an async
 * generator closed at its yield by throw() or return() (a `finally` cannot tell which: it says return). After the
 * await of `return x`, or of a `yield*` closed by return() (it awaits the delegate's return()), a `finally` cannot
 * tell a fulfilment from a rejection: it says next, not observed.
 */
export function probeCaught(call: AsyncCall, error: unknown, known: boolean): void {
  if (!isCall(call)) return;
  if (call.parked === Parked.Await) {
    if (call.returning && !known) wakeFromReturn(call);
    else if ((call.delegateSite !== 0 || call.closing) && !known) wake(call, Mode.Next, undefined, false);
    else wake(call, Mode.Throw, error, known);
  } else if (call.parked === Parked.Yield) wake(call, known ? Mode.Throw : Mode.Return, error, known);
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
  if (breakArmed.value) breakOnFail(call.rec.id, call.rec.label, error);
}

/** The finally around the whole body: the call is over. */
export function probeAsyncEnd(call: AsyncCall): void {
  if (!isCall(call) || call.rec.closed) return;
  if (call.implicit) wakeFromLoop(call);
  if (call.parked === Parked.Await) {
    if (call.returning) wakeFromReturn(call);
    else wake(call, Mode.Throw, undefined, false);
  } else if (call.parked === Parked.Yield) wake(call, Mode.Return, undefined, false);
  else if (call.parked === Parked.Created) return; // return() before it started: its body never ran
  dropLoopPark(call);
  const id = call.rec.id;
  call.rec.running = false;
  call.rec.closed = true;
  if (call.failed) emitThrow(id, call.error, true);
  else emitReturn(id, call.hasResult ? call.result : undefined);
  call.result = undefined;
  call.error = undefined;
  swapCurrent(call.saved);
  call.saved = undefined;
}

/** Code from a queue starts (a task, a resumption after an await): a loop that was parking has parked. */
export function enteringFromQueue(): void {
  if (isParkingLoop()) allLoopsParked();
}
