// The queues, recorded: `setTimeout`, `setInterval`, `setImmediate`, `process.nextTick` and `queueMicrotask`
// are replaced by look-alikes (same name, length, source text, own properties such as util.promisify.custom, on
// the global and on the `timers` module alike) that record the queuing and hand Node a runner in place of the
// callback. The runner records the start and the end of the task around the callback. It never catches: an
// error thrown by the callback leaves exactly as it would have, and its frame is hidden from stack traces.
// Nothing runs earlier or later than it would have: the runner is called where the callback would have been.
// `clearTimeout`, `clearInterval` and `clearImmediate` are look-alikes too: clearing a task that could still run
// is recorded (task-cancel), so that it leaves its queue in the views.

import fs from 'node:fs';
import timers from 'node:timers';
import { Queue } from '../../protocol/trace';
import { emitTaskCancel, emitTaskEnd, emitTaskQueue, emitTaskRun } from './events';
import { callerFile, setLimit, wrapperDepth } from './fidelity';
import { lookAlike, replaceFunction, type Fn } from './lookAlike';
import { toNumber, trunc } from './primordials';
import { StampBase } from './stampBase';
import { currentCoroutine, swapCurrent } from './generators';
import { enteringFromQueue } from './async';

const ErrorCtor = Error;
const apply = Reflect.apply;
let lastTask = 0;
/** Set while the tracer itself queues work (starting its worker): that is not the program's. */
let quiet = false;

/** A new task id (the promise-returning forms in promiseTasks.ts share the numbering). */
export function nextTaskId(): number {
  return ++lastTask;
}

/** Whether the tracer itself is queuing work or starting its worker right now (see `whileQuiet`). */
export function isQuiet(): boolean {
  return quiet;
}

export function whileQuiet<T>(fn: () => T): T {
  quiet = true;
  try {
    return fn();
  } finally {
    quiet = false;
  }
}

/**
 * Node's own reading of a timer delay: a number ≥ 1 (anything else, or more than 2^31 − 1, is 1). Only a number,
 * a string or a boolean is read: an object's valueOf is the program's code, which Node itself runs once, and a
 * symbol would throw; either is recorded as 1.
 */
export function delayOf(d: unknown): number {
  if (typeof d !== 'number' && typeof d !== 'string' && typeof d !== 'boolean') return 1;
  const n = toNumber(d);
  return n >= 1 && n <= 2147483647 ? trunc(n) : 1;
}

// Timers, intervals and immediates that can still run carry their task id in a private field of the handle their
// scheduler returned (invisible to the program, and cheaper than a WeakMap for the many timers a program makes),
// so that clearing one is recorded (task-cancel). Node calls the callback with the handle as `this`: a timeout or
// an immediate sets its id to 0 when it runs; an interval keeps it until cleared.
class TaskStamp extends StampBase {
  #task: number;
  constructor(o: object, task: number) {
    super(o);
    this.#task = task;
  }
  /** The task id on `o`, or 0. */
  static read(o: object): number {
    return #task in o ? (o as TaskStamp).#task : 0;
  }
  /** Puts `task` on `o`, which may already carry one. */
  static write(o: object, task: number): void {
    if (#task in o) (o as TaskStamp).#task = task;
    else if (task !== 0) {
      try {
        // oxlint-disable-next-line no-new -- the constructor adds the private field to `o`
        new TaskStamp(o, task);
      } catch {
        // an object that takes no private fields (a proxy's target is not reached): its clearing is not recorded
      }
    }
  }
}

function runnerFor(
  callback: (...args: unknown[]) => unknown,
  task: number,
  oneShot = false,
): (...args: unknown[]) => unknown {
  return function (this: unknown, ...args: unknown[]): unknown {
    if (oneShot && typeof this === 'object' && this !== null) TaskStamp.write(this, 0);
    enteringFromQueue();
    emitTaskRun(task);
    const prev = swapCurrent(undefined);
    const limit = ErrorCtor.stackTraceLimit;
    const bumped = typeof limit === 'number';
    if (bumped) setLimit(ErrorCtor, limit + 1);
    wrapperDepth.value++;
    try {
      return apply(callback, this, args);
    } finally {
      wrapperDepth.value--;
      if (bumped && ErrorCtor.stackTraceLimit === limit + 1) setLimit(ErrorCtor, limit);
      swapCurrent(prev);
      emitTaskEnd(task);
    }
  };
}

type Scheduler = Fn;

// Callbacks that Node's own code has queued: streams queue the same few functions (afterWriteTick, emitReadable_
// …) over and over, so a callback seen once from Node's code is taken as Node's from then on, without walking the
// stack again. The methods are Node's originals, whatever the program does to WeakSet.prototype later.
const nodeCallbacks = new WeakSet<object>();
const isNodeCallback = Function.prototype.call.bind(WeakSet.prototype.has) as (set: object, key: object) => boolean;
const addNodeCallback = Function.prototype.call.bind(WeakSet.prototype.add) as (set: object, key: object) => unknown;

/** Whether Node's own code (a `node:` module) made this call of `wrapper` with `callback`. */
function queuedByNode(callback: object, wrapper: Scheduler): boolean {
  if (isNodeCallback(nodeCallbacks, callback)) return true;
  if (!callerFile(wrapper)?.startsWith('node:')) return false;
  addNodeCallback(nodeCallbacks, callback);
  return true;
}

/**
 * The file system's callback functions: the callback is the last argument, and runs as an I/O task. Those of
 * them that fs/promises has too (all but the file-descriptor ones) start one I/O operation there (promiseTasks.ts).
 */
export const FS_CALLBACK_FUNCTIONS = [
  'access',
  'appendFile',
  'chmod',
  'chown',
  'close',
  'copyFile',
  'cp',
  'fchmod',
  'fchown',
  'fdatasync',
  'fstat',
  'fsync',
  'ftruncate',
  'futimes',
  'lchown',
  'link',
  'lstat',
  'lutimes',
  'mkdir',
  'mkdtemp',
  'open',
  'opendir',
  'read',
  'readdir',
  'readFile',
  'readlink',
  'readv',
  'realpath',
  'rename',
  'rm',
  'rmdir',
  'stat',
  'statfs',
  'symlink',
  'truncate',
  'unlink',
  'utimes',
  'write',
  'writeFile',
  'writev',
];

/** A look-alike of an fs function that records its callback as an I/O task. */
function recordingIo(orig: Scheduler): Scheduler {
  const wrapper = {
    [orig.name](this: unknown, ...args: unknown[]): unknown {
      const last = args.length - 1;
      const callback = args[last];
      if (typeof callback !== 'function' || quiet) return apply(orig, this, args);
      const task = ++lastTask;
      emitTaskQueue(currentCoroutine(), task, Queue.Io, 0);
      args[last] = runnerFor(callback as (...a: unknown[]) => unknown, task);
      return apply(orig, this, args);
    },
  }[orig.name]!;
  return lookAlike(wrapper, orig);
}

/**
 * A look-alike of `orig` that records each call as a task on `queue`. With `ownOnly`, calls from Node's own code
 * are left out (streams queue a nextTick for every write: that is Node's bookkeeping, not the program's).
 */
function recording(orig: Scheduler, queue: number, timed: boolean, ownOnly = false): Scheduler {
  const wrapper = {
    [orig.name](this: unknown, ...args: unknown[]): unknown {
      const callback = args[0];
      if (typeof callback !== 'function' || quiet) return apply(orig, this, args);
      if (ownOnly && queuedByNode(callback, wrapper)) return apply(orig, this, args);
      const task = ++lastTask;
      emitTaskQueue(currentCoroutine(), task, queue, timed ? delayOf(args[1]) : 0);
      if (!clearableQueue(queue)) {
        args[0] = runnerFor(callback as (...a: unknown[]) => unknown, task);
        return apply(orig, this, args);
      }
      args[0] = runnerFor(callback as (...a: unknown[]) => unknown, task, queue !== Queue.Interval);
      const handle = apply(orig, this, args);
      if (typeof handle === 'object' && handle !== null) TaskStamp.write(handle, task);
      return handle;
    },
  }[orig.name]!;
  return lookAlike(wrapper, orig);
}

function clearableQueue(queue: number): boolean {
  return queue === Queue.Timer || queue === Queue.Interval || queue === Queue.Immediate;
}

/**
 * A look-alike of clearTimeout, clearInterval or clearImmediate that records the clearing of a task that could
 * still run. Only handles are followed: a timer cleared by its number (or by its close()) is not recorded.
 */
function recordingClear(orig: Scheduler): Scheduler {
  const wrapper = {
    [orig.name](this: unknown, ...args: unknown[]): unknown {
      const handle = args[0];
      if (typeof handle === 'object' && handle !== null && !quiet) {
        const task = TaskStamp.read(handle);
        if (task !== 0) {
          TaskStamp.write(handle, 0);
          emitTaskCancel(currentCoroutine(), task);
        }
      }
      return apply(orig, this, args);
    },
  }[orig.name]!;
  return lookAlike(wrapper, orig);
}

export function installTaskHooks(): void {
  const g = globalThis as unknown as Record<string, unknown>;
  const t = timers as unknown as Record<string, unknown>;
  // The timers module hands out the same functions as the globals: keep them the same.
  const alsoInTimers = (name: string, orig: Fn | undefined): void => {
    if (orig !== undefined && t[name] === orig) replaceFunction(t, name, () => g[name] as Fn);
  };
  for (const [name, queue, timed] of [
    ['setTimeout', Queue.Timer, true],
    ['setInterval', Queue.Interval, true],
    ['setImmediate', Queue.Immediate, false],
  ] as const) {
    alsoInTimers(
      name,
      replaceFunction(g, name, (o) => recording(o, queue, timed)),
    );
  }
  for (const name of ['clearTimeout', 'clearInterval', 'clearImmediate']) {
    alsoInTimers(name, replaceFunction(g, name, recordingClear));
  }
  replaceFunction(g, 'queueMicrotask', (o) => recording(o, Queue.Microtask, false));
  replaceFunction(process, 'nextTick', (o) => recording(o, Queue.NextTick, false, true));
  const f = fs as unknown as Record<string, unknown>;
  for (const name of FS_CALLBACK_FUNCTIONS) replaceFunction(f, name, recordingIo);
}
