// The promise-returning forms of the queues, recorded as tasks: `setTimeout` and `setImmediate` of
// `timers/promises` (also reached as `require('timers').promises` and through util.promisify(setTimeout)), and
// the I/O functions of `fs/promises`. Each call is a `task-queue` on the timer, immediate or I/O queue; when
// Node settles the promise (in the timer callback, the immediate, the I/O completion), the task runs and ends at
// once: what it does is resolve the promise, and the reactions to it (an await resuming) follow as microtasks.
//
// Settlement is observed with a V8 promise hook, never with `.then` (that would mark the promise handled and
// change what an unhandled rejection does). The hook is on only while such a promise is pending, so programs that
// never use these forms pay nothing. A promise that is already rejected when the call returns (an invalid
// argument, an aborted signal) never ran: its task is cancelled. A timer rejected later by its abort signal is
// recorded as run (telling the two apart would mean reading the signal, which can run the program's code).

import fsPromises from 'node:fs/promises';
import timersPromises from 'node:timers/promises';
import { promisify, types } from 'node:util';
import { promiseHooks } from 'node:v8';
import { Queue } from '../../protocol/trace';
import { emitTaskCancel, emitTaskEnd, emitTaskQueue, emitTaskRun } from './events';
import { namedLookAlike, replaceFunction, type Fn } from './lookAlike';
import { currentCoroutine } from './generators';
import { enteringFromQueue } from './async';
import { FS_CALLBACK_FUNCTIONS, delayOf, nextTaskId } from './tasks';

const apply = Reflect.apply;
const { isPromise } = types;
const taskOf = Function.prototype.call.bind(WeakMap.prototype.get) as (map: object, key: object) => number | undefined;
const setTaskOf = Function.prototype.call.bind(WeakMap.prototype.set) as (map: object, k: object, v: number) => unknown;
const forget = Function.prototype.call.bind(WeakMap.prototype.delete) as (map: object, key: object) => boolean;

/** Promises whose settlement runs a recorded task, by the task's id. */
const watched = new WeakMap<object, number>();
let pending = 0;
let stopHook: (() => void) | undefined;
/** While a look-alike calls Node's function: a promise settled meanwhile was settled before it was returned. */
let calling = false;
let settledInCall: object | undefined;

function settled(promise: object): void {
  const task = taskOf(watched, promise);
  if (task === undefined) {
    if (calling) settledInCall = promise;
    return;
  }
  forget(watched, promise);
  if (--pending === 0 && stopHook !== undefined) {
    stopHook();
    stopHook = undefined;
  }
  enteringFromQueue();
  emitTaskRun(task);
  emitTaskEnd(task);
}

/** Calls Node's `orig` as `this` did, recording it as task on `queue` (with `delay` for timers). */
function callRecorded(orig: Fn, self: unknown, args: ArrayLike<unknown>, queue: number, delay: number): unknown {
  const task = nextTaskId();
  emitTaskQueue(currentCoroutine(), task, queue, delay);
  if (stopHook === undefined) stopHook = promiseHooks.onSettled(settled) as () => void;
  const outer = calling;
  calling = true;
  settledInCall = undefined;
  let result: unknown;
  try {
    result = apply(orig, self, args);
  } finally {
    calling = outer;
  }
  if (!isPromise(result) || result === settledInCall) {
    settledInCall = undefined;
    emitTaskCancel(currentCoroutine(), task);
    if (pending === 0 && stopHook !== undefined) {
      stopHook();
      stopHook = undefined;
    }
    return result;
  }
  settledInCall = undefined;
  setTaskOf(watched, result, task);
  pending++;
  return result;
}

export function installPromiseTaskHooks(): void {
  const t = timersPromises as unknown as Record<string, unknown>;
  const g = globalThis as unknown as Record<string, unknown>;
  for (const [name, queue] of [
    ['setTimeout', Queue.Timer],
    ['setImmediate', Queue.Immediate],
  ] as const) {
    const orig = replaceFunction(t, name, (o) =>
      namedLookAlike(o, (self, args) =>
        callRecorded(o, self, args, queue, queue === Queue.Timer ? delayOf(args[0]) : 0),
      ),
    );
    // util.promisify(setTimeout) hands out what the global function names as its promisified form: Node's
    // timers/promises function, the same object. Keep it the same as the module's.
    const holder = g[name];
    if (orig === undefined || typeof holder !== 'function') continue;
    const desc = Reflect.getOwnPropertyDescriptor(holder, promisify.custom);
    if (desc && 'value' in desc && desc.value === orig)
      Reflect.defineProperty(holder, promisify.custom, { ...desc, value: t[name] });
  }
  const f = fsPromises as unknown as Record<string, unknown>;
  // The functions of fs/promises that start one I/O operation (or a few, settled together) and settle with it:
  // those of the callback API it has (replaceFunction passes over the rest).
  for (const name of FS_CALLBACK_FUNCTIONS) {
    replaceFunction(f, name, (orig) =>
      namedLookAlike(orig, (self, args) => callRecorded(orig, self, args, Queue.Io, 0)),
    );
  }
}
