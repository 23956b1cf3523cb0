// `yield*` in an async generator, recorded from the generator's body. The loader puts `__ys$D(CALL,SITE)` just
// before each `yield*` (its argument stays as written: V8 words its errors from the argument's text) and
// `__ys$E(CALL)` after the statement that holds it (see loader/instrument.ts).
// The generator delegates in two steps, as a `for await` loop parks (see parking.ts): it evaluates the argument
// and calls the delegate's next() while it is still the running coroutine (an async generator it resumes so is
// its delegate: the `delegate` record names it), then awaits what next() gives. From then on it is parked at the
// `yield*` (an `await` at its site) until the delegation ends: V8 passes the values and the calls of next(),
// throw() and return() through without running any of its code, so the delegate is resumed by whoever called the
// generator's own next(). The generator runs again at its next probe, after the `yield*` (or in a catch or
// finally block, or at its end, when the delegation threw or was closed).

import { emitDelegateIterable } from './events';
import { isCall, parkDelegating, wakeFromLoop, type AsyncCall } from './async';
import { Parked, startLoopPark, type Parker } from './parking';

export function probeAsyncDelegate(call: AsyncCall, site: number): void {
  if (!isCall(call) || call.parked !== Parked.No) return;
  call.delegateSite = site;
  call.delegateKnown = false;
  call.delegateTarget = 0;
  startLoopPark(call, delegationAwaits);
}

/** Second step: the generator awaits its delegate's next(). */
function delegationAwaits(parker: Parker): void {
  const call = parker as AsyncCall;
  if (call.parked !== Parked.No || call.rec.closed || call.delegateSite === 0) return; // it ended meanwhile
  if (!call.delegateKnown) {
    // No generator of ours was resumed: an iterator object, or a sync iterable.
    call.delegateKnown = true;
    emitDelegateIterable(call.rec.id, call.delegateSite);
  }
  parkDelegating(call);
}

/** After the statement that holds a `yield*`: the delegation is over, its result is not seen. */
export function probeAsyncDelegateEnd(call: AsyncCall): void {
  if (!isCall(call)) return;
  if (call.implicit) wakeFromLoop(call);
  call.delegateSite = 0;
}
