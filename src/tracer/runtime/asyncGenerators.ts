// Async generators, recorded from their bodies as async functions are (see async.ts), with a creation probe in a
// hidden parameter (as for sync generators, see generators.ts: the body runs only at the first next()), a start
// probe first in the body, `__ys$W(CALL,yield __ys$Y(CALL,SITE,x))` for each `yield x` (the value going out, and
// the value sent back in with next(v)), and `return __ys$T(CALL,SITE,x)` for each `return x`, which awaits x.

import { CoKind, Mode } from '../../protocol/trace';
import { emitCreate, emitYield } from './events';
import { coroutineRecord, currentCoroutine, nextCoroutineId } from './generators';
import { isCall, newCall, park, parkOnAwait, wake, wakeFromLoop, type AsyncCall } from './async';
import { Parked } from './parking';
import { breakArmed, breakOnResume, breakOnYield } from './breakOn';

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
  if (breakArmed.value) breakOnYield(call.rec.id, call.rec.label, value);
}

export function probeAsyncGeneratorResumed(call: AsyncCall, value: unknown): unknown {
  if (isCall(call) && call.parked === Parked.Yield) {
    wake(call, Mode.Next, value, true);
    if (breakArmed.value) breakOnResume(call.rec.id, call.rec.label, Mode.Next, value);
  }
  return value;
}

/** `return x` in an async generator: it awaits x, then completes (or rejects, when x rejects). */
export function probeReturnAwait(call: AsyncCall, site: number, value: unknown): unknown {
  if (!isCall(call)) return value;
  if (call.implicit) wakeFromLoop(call);
  if (call.parked !== Parked.No) return value;
  call.hasResult = true;
  call.result = value;
  call.returning = true;
  parkOnAwait(call, site, value);
  return value;
}
