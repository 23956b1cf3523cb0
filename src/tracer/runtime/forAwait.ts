// `for await…of` loops, recorded from the body of the async function or generator they are in. The loader gives
// each loop (see loader/instrument.ts):
//   - `__ys$fq(CALL,SITE,y)` around its iterable, and `__ys$fp(CALL,SITE)` at the end of each turn and before each
//     `continue` to it: the coroutine parks at the loop's implicit await of the iterator's next();
//   - `__ys$fr(CALL,SITE,x)` first in its body: a turn starts, the await is resumed with the next value;
//   - `__ys$fe(CALL,SITE)` right after it: the loop ended, the iterator was done (or it was left);
//   - `__ys$fb(CALL,SITE)` before each `break` that leaves it: it calls the iterator's return() and awaits that;
//     and `__ys$fc(CALL,SITE,x)` in each `return` that leaves it, once the value is known (`return;` too).
// Each park takes two steps (see parking.ts): the await is recorded at the probe, and the coroutine gives control
// back when the loop awaits, after it called the iterator.

import { Mode } from '../../protocol/trace';
import { isCall, parkAtLoop, resumeFromAwait, unparkLoop, wake, type AsyncCall } from './async';
import { Parked, startLoopPark } from './parking';

/** Parks at a `for await` loop's implicit await: of the iterator's next(), or of its return() when left. */
export function probeForAwaitPark(call: AsyncCall, site: number): void {
  if (!isCall(call) || call.parked !== Parked.No) return;
  parkAtLoop(call, site);
  startLoopPark(call);
}

/**
 * A `return` leaves a `for await` loop: it awaits the iterator's return(), and then the call completes (a
 * `finally` reached from there cannot tell whether that return() rejected: it says next, not observed).
 */
export function probeForAwaitClose(call: AsyncCall, site: number): void {
  if (!isCall(call) || call.parked !== Parked.No) return;
  parkAtLoop(call, site);
  call.closing = true;
  startLoopPark(call);
}

/** A `for await` turn starts with the next value. */
export function probeForAwaitTurn(call: AsyncCall, value: unknown): void {
  if (isCall(call) && call.parked === Parked.Await) resumeFromAwait(call, value);
}

/**
 * After a `for await` loop: running again after its last await, whose value (the iterator's last result, or what
 * its return() gave) is not seen; or never parked, when it was left by an iterator without a return().
 */
export function probeForAwaitEnd(call: AsyncCall): void {
  if (!isCall(call) || call.parked !== Parked.Await || !call.implicit) return;
  if (!unparkLoop(call)) wake(call, Mode.Next, undefined, false);
}
