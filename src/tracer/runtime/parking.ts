// The `for await…of` loops that are parking. A loop parks in two steps: its probe runs (see forAwait.ts), then the
// loop calls the iterator's next() (or, leaving early, its return()), still as the loop's coroutine: an async
// generator it resumes, or an async call that next() makes, has it as its resumer or parent. Only then does it
// await, and gives control back to whoever ran it.
// That await is seen through V8's promise init hook: an await makes a throwaway promise whose parent is the promise
// it awaits, and the loop's is the first promise with a parent made while its coroutine is the current one again.
// (An await inside the iterator's next() makes one too, but only after its coroutine parked, back to the loop's,
// with nothing recorded before the loop's own await: taking the step there early records the same events.)
// A loop can start parking inside another loop's call of next() (a loop in the async generator another loop
// drives), so the parking loops are a stack, innermost last.
// `yield*` in an async generator parks the same way (see asyncDelegate.ts): it calls the delegate's next(), then
// awaits what that gives.

import { currentCoroutine, swapCurrent, type CoRec } from './generators';
import { removeAt } from './primordials';

/** Where an async call is parked: nowhere (running, or finished), on an await, at a yield, not started yet. */
export const Parked = { No: 0, Await: 1, Yield: 2, Created: 3 } as const;

/** What parking needs of an async call (see async.ts, `AsyncCall`). */
export interface Parker {
  readonly rec: CoRec;
  /** The coroutine to give control back to. */
  saved: CoRec | undefined;
  parked: number;
  /** The site of the `yield*` it delegates through, or 0. */
  delegateSite: number;
  /** Its `delegate` record is written (the delegate was resumed by it, or it awaited without resuming one). */
  delegateKnown: boolean;
  /** The delegate's coroutine, once known, or 0. */
  delegateTarget: number;
}

/**
 * Each parking loop, and what its second step does (by default: give control back). Read at their last index
 * only when not empty: `loops[-1]` is a slow property lookup, and these run at every await.
 */
const loops: Parker[] = [];
const steps: Array<(call: Parker) => void> = [];

/** A loop has taken its first step: it is parked, but still the current coroutine. */
export function startLoopPark(call: Parker, step: (call: Parker) => void = giveBack): void {
  // Indexing, not push/pop/splice: those would be the program's if it replaced them (the tracer calls no method
  // of Array.prototype as the program left it).
  loops[loops.length] = call;
  steps[steps.length] = step;
}

/** A promise with a parent was made: the innermost parking loop awaits now, if its coroutine is current again. */
export function promiseWithParent(): void {
  if (loops.length === 0) return;
  const call = loops[loops.length - 1]!;
  if (currentCoroutine() !== call.rec.id) return;
  takeLast(call);
}

/** Code runs from a queue: every loop that was parking has parked. */
export function allLoopsParked(): void {
  while (loops.length > 0) takeLast(loops[loops.length - 1]!);
}

/** True (and it parks no more) if the call is the innermost parking loop: it runs again before it awaited. */
export function stopLoopPark(call: Parker): boolean {
  if (loops.length === 0 || loops[loops.length - 1] !== call) return false;
  loops.length--;
  steps.length--;
  return true;
}

/** The call ends: it parks nowhere any more (a `yield*` whose delegate threw before anything was awaited). */
export function dropLoopPark(call: Parker): void {
  let i = loops.length - 1;
  while (i >= 0 && loops[i] !== call) i--;
  if (i < 0) return;
  removeAt(loops, i);
  removeAt(steps, i);
}

/** Takes the innermost loop, `call`, off the stack and runs its second step. */
function takeLast(call: Parker): void {
  const step = steps[steps.length - 1]!;
  loops.length--;
  steps.length--;
  step(call);
}

export function isParkingLoop(): boolean {
  return loops.length > 0;
}

/** The coroutine running now, if it is delegating through a `yield*` whose delegate is not known yet. */
export function delegatingNow(): Parker | undefined {
  if (loops.length === 0) return undefined;
  const call = loops[loops.length - 1]!;
  return call.delegateSite !== 0 && !call.delegateKnown && currentCoroutine() === call.rec.id ? call : undefined;
}

function giveBack(call: Parker): void {
  if (call.parked !== Parked.Await) return;
  swapCurrent(call.saved);
  call.saved = undefined;
}
