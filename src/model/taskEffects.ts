// What a queued callback does when it runs and how an await ends, read ahead in the event store: the Event
// loop view says what each waiting item will resume. Only a finished recording (or one that has got that far)
// knows; while a program runs, the future is unknown and these say so. Pure; no DOM.

import type { CoroutineId } from '../protocol/trace';
import { lowerBound, upperBound, type EventStore } from './eventStore';

type Store = Pick<
  EventStore,
  'length' | 'kindAt' | 'coAt' | 'eventsOfTask' | 'eventsOf' | 'taskAt' | 'resumerAt' | 'nextOf'
>;

export interface TaskRun {
  /** Index of the task-run, and of its task-end (-1 when the recording stops before it). */
  readonly run: number;
  readonly end: number;
  /** Coroutines its callback resumed or started, in order, each once. */
  readonly resumed: readonly CoroutineId[];
  /** Tasks its callback queued. */
  readonly queued: readonly number[];
  /**
   * Coroutines resumed from their awaits right after it, before the next callback: the promise reactions it
   * set off (the microtasks Node runs after each callback), as far as the trace shows.
   */
  readonly reactions: readonly CoroutineId[];
}

/** Most events read inside one run, and after it. */
const SCAN_RUN = 4000;
const SCAN_AFTER = 400;

/** The first run of `task` after index `from`, and what it did; undefined when it has not run (yet). */
export function taskRunAfter(store: Store, task: number, from: number): TaskRun | undefined {
  const events = store.eventsOfTask(task);
  let k = upperBound(events, from);
  while (k < events.length && store.kindAt(events[k]!) !== 'task-run') k++;
  if (k >= events.length) return undefined;
  const run = events[k]!;
  let end = -1;
  for (let j = k + 1; j < events.length; j++) {
    if (store.kindAt(events[j]!) === 'task-end') {
      end = events[j]!;
      break;
    }
  }
  const resumed: CoroutineId[] = [];
  const queued: number[] = [];
  const stop = Math.min(end < 0 ? store.length - 1 : end, run + SCAN_RUN);
  for (let i = run + 1; i < stop; i++) {
    const kind = store.kindAt(i);
    if (kind === 'resume' && !resumed.includes(store.coAt(i))) resumed.push(store.coAt(i));
    else if (kind === 'task-queue') queued.push(store.taskAt(i));
  }
  const reactions: CoroutineId[] = [];
  if (end >= 0) {
    const last = Math.min(store.length - 1, end + SCAN_AFTER);
    for (let i = end + 1; i <= last; i++) {
      const kind = store.kindAt(i);
      if (kind === 'task-run' || kind === 'end') break;
      // A resumption by nobody (0) of a coroutine whose last event was an await: a promise reaction.
      if (kind === 'resume' && store.resumerAt(i) === 0) {
        const co = store.coAt(i);
        const prev = store.nextOf(co, i, -1);
        if (prev >= 0 && store.kindAt(prev) === 'await' && !reactions.includes(co)) reactions.push(co);
      }
    }
  }
  return { run, end, resumed, queued, reactions };
}

/** The index of the resumption that ends `co`'s await at index `at`, or -1 when it has not come (yet). */
export function awaitEnd(store: Store, co: CoroutineId, at: number): number {
  const lane = store.eventsOf(co);
  const k = lowerBound(lane, at + 1);
  for (let j = k; j < lane.length; j++) {
    const kind = store.kindAt(lane[j]!);
    if (kind === 'resume') return lane[j]!;
    if (kind === 'return' || kind === 'throw') return -1;
  }
  return -1;
}
