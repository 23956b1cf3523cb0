// Async functions, recorded. The loader gives each async function body (see loader/instrument.ts):
//   - `__ys$A(SITE,args)` first, which records the call as a coroutine and makes it the running one;
//   - `__ys$w(ID,await __ys$a(ID,SITE,x))` for each `await x`: the inner probe records what is awaited and gives
//     control back to whoever ran the function; the outer one records the resumption with the fulfilled value;
//   - a probe first in each `catch` and `finally` block, which records a resumption by a rejection when the
//     coroutine was parked on an await (a rejected await shows itself no other way: nothing catches it for us);
//   - `return __ys$t(ID,x)` for each `return x`, and a `try … catch … finally` around the whole body whose catch
//     records the error and rethrows it (an async function never throws to its caller, so the rethrow changes
//     nothing the program can see: the rejection carries the same value and stack), and whose finally records
//     the completion.
// Which coroutine made an awaited promise: V8's promise init hook says which promise was created last, and the
// start probe of an async function runs right after V8 makes the function's promise.

import { types } from 'node:util';
import { promiseHooks } from 'node:v8';
import { CoKind, Mode } from '../../protocol/trace';
import {
  emitAwait,
  emitAwaitPromise,
  emitCreate,
  emitResume,
  emitResumeUnobserved,
  emitReturn,
  emitThrow,
} from './events';
import { coroutineRecord, currentCoroutine, nextCoroutineId, swapCurrent, type CoRec } from './generators';

interface AsyncCall {
  readonly rec: CoRec;
  /** The coroutine to give control back to at the next await or at the end. */
  saved: CoRec | undefined;
  awaiting: boolean;
  hasResult: boolean;
  result: unknown;
  failed: boolean;
  error: unknown;
}

const { isPromise } = types;

/** Calls that have not finished, by coroutine id. */
const live = new Map<number, AsyncCall>();
/** The coroutine whose result each promise is, for promises made by recorded async functions. */
const promiseOf = new WeakMap<object, number>();
let lastPromise: object | undefined;

export function installAsyncHooks(): void {
  promiseHooks.onInit((promise: object) => {
    lastPromise = promise;
  });
}

export function probeAsyncStart(site: number, args: ArrayLike<unknown> | undefined): number {
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
  const call: AsyncCall = {
    rec,
    saved: swapCurrent(rec),
    awaiting: false,
    hasResult: false,
    result: undefined,
    failed: false,
    error: undefined,
  };
  live.set(id, call);
  return id;
}

export function probeAwait(id: number, site: number, value: unknown): unknown {
  const call = live.get(id);
  if (call === undefined || call.awaiting) return value;
  if (typeof value === 'object' && value !== null && isPromise(value)) {
    emitAwaitPromise(id, site, promiseOf.get(value) ?? 0);
  } else emitAwait(id, site, 0, value);
  call.awaiting = true;
  call.rec.running = false;
  swapCurrent(call.saved);
  call.saved = undefined;
  return value;
}

/** The coroutine runs again after an await: from a microtask, so it interrupts nothing but the queue. */
function wake(call: AsyncCall, mode: number, value: unknown, known: boolean): void {
  call.awaiting = false;
  call.rec.running = true;
  call.saved = swapCurrent(call.rec);
  if (known) emitResume(call.rec.id, mode, value, 0);
  else emitResumeUnobserved(call.rec.id, mode, 0);
}

export function probeResumed(id: number, value: unknown): unknown {
  const call = live.get(id);
  if (call !== undefined && call.awaiting) wake(call, Mode.Next, value, true);
  return value;
}

/** First in a `catch` block: a rejected await, when the coroutine was parked on one. */
export function probeCaught(id: number, error: unknown, known: boolean): void {
  const call = live.get(id);
  if (call !== undefined && call.awaiting) wake(call, Mode.Throw, error, known);
}

export function probeReturning(id: number, value: unknown): unknown {
  const call = live.get(id);
  if (call !== undefined) {
    call.hasResult = true;
    call.result = value;
  }
  return value;
}

/** The catch around the whole body: the error that rejects the call's promise. */
export function probeFailing(id: number, error: unknown): void {
  const call = live.get(id);
  if (call === undefined) return;
  if (call.awaiting) wake(call, Mode.Throw, error, true);
  call.failed = true;
  call.error = error;
}

/** The finally around the whole body: the call is over. */
export function probeAsyncEnd(id: number): void {
  const call = live.get(id);
  if (call === undefined) return;
  live.delete(id);
  if (call.awaiting) wake(call, Mode.Throw, undefined, false);
  call.rec.running = false;
  call.rec.closed = true;
  if (call.failed) emitThrow(id, call.error, true);
  else emitReturn(id, call.hasResult ? call.result : undefined);
  swapCurrent(call.saved);
}
