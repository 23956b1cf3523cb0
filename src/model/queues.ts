// The event loop model: a pure fold of trace events into what waits in each of Node's queues (nextTick,
// microtasks, timers with their due times, immediates, I/O) and which coroutines are parked on an `await`
// (their continuation is a promise reaction: a microtask once the promise settles), which queued callbacks are
// running now, and whether the main script has finished. Items enter on `task-queue` and `await`, and leave on
// `task-run`, on `task-cancel` (clearTimeout …) and on the resumption after the await; an interval goes back to
// its lane after each run. Nothing leaves at the end of the program: what still waits then never ran.
//
// Like `CoroutineModel`, it can save its state (`save`/`restore`, for `History`'s snapshots) and keep a journal
// of what each event changed, so that stepping back one event is an `undo`, not a replay. No DOM, no I/O.

import type { CoroutineId, Preview, QueueName, TraceEvent } from '../protocol/trace';

/** The lanes of the Event loop view, in the order Node drains them around each callback. */
export type LaneName = 'nextTick' | 'microtask' | 'await' | 'timer' | 'immediate' | 'io';
export const LANES: readonly LaneName[] = ['nextTick', 'microtask', 'await', 'timer', 'immediate', 'io'];

/** The lane a queue's items wait in: intervals wait with the timers. */
export function laneOf(queue: QueueName): LaneName {
  return queue === 'interval' ? 'timer' : queue;
}

/** Something waiting: a queued callback, or a coroutine parked on an `await`. Never changed once made. */
export interface QueueItem {
  /** Counts up in the order items entered: unique, and the order within a lane. */
  readonly serial: number;
  readonly lane: LaneName;
  readonly queue: QueueName | 'await';
  /** The task id; 0 for an await. */
  readonly task: number;
  /** Who queued it (0: the top level); for an await, the coroutine that awaits. */
  readonly co: CoroutineId;
  /** The task whose callback was running when it was queued; 0 for none. */
  readonly within: number;
  /** Seq and time (ms) of the event that put it here. */
  readonly seq: number;
  readonly time: number;
  /** Timers and intervals: the delay asked for (ms) and when it is due (ms since the recording started). */
  readonly delay: number;
  readonly due: number | undefined;
  /** Times the task had run before (an interval that went back to its lane). */
  readonly runs: number;
  /** Awaits: the `await`'s site, the coroutine whose promise it waits for (or 0), and what it awaits. */
  readonly site: number;
  readonly target: CoroutineId;
  readonly value: Preview | undefined;
}

/** A queued callback that is running now. */
export interface RunningTask {
  readonly task: number;
  /** Undefined when it was queued before the recording (or its record was dropped). */
  readonly queue: QueueName | undefined;
  readonly co: CoroutineId;
  readonly within: number;
  readonly queuedSeq: number | undefined;
  readonly delay: number;
  /** Seq and time of its `task-run`. */
  readonly seq: number;
  readonly time: number;
  readonly runs: number;
  /** An interval cleared by its own callback: it is not queued again when this run ends. */
  readonly cleared?: boolean;
}

/** The last coroutine resumed by a promise reaction (the resumption after its await), and when. */
export interface Reaction {
  readonly co: CoroutineId;
  readonly seq: number;
}

/** Everything a queue model holds but its seq, as plain data: what `save` gives and `restore` takes. */
export interface QueueState {
  /** Waiting items, lane by lane, each lane oldest first. */
  readonly items: readonly QueueItem[];
  readonly running: readonly RunningTask[];
  readonly main: boolean;
  readonly reaction: Reaction | undefined;
  readonly ended: number | undefined;
  readonly nextSerial: number;
}

/** What one event changed, so that `undo` can take it back. */
interface QueueUndo {
  readonly added: QueueItem[];
  readonly removed: QueueItem[];
  running: RunningTask[] | undefined;
  readonly main: boolean;
  readonly reaction: Reaction | undefined;
  readonly ended: number | undefined;
  readonly seq: number;
  readonly nextSerial: number;
}

export class QueueModel {
  /** Callbacks running now, outermost first (a callback may run another's queue, as a nextTick inside I/O). */
  readonly running: RunningTask[] = [];
  /** True until the first queued callback or promise reaction runs: the main script is still running. */
  main = true;
  reaction: Reaction | undefined;
  /** Seq of the program's end, if it ended. */
  ended: number | undefined;
  /** Seq of the last event applied, or -1. */
  seq = -1;
  /** Set to an array to keep one entry per applied event, for `undo`; the owner trims it. */
  journal: QueueUndo[] | undefined;
  /** Counts changes (not undone by `undo`): equal counts mean an unchanged state, so a saved one can be reused. */
  changes = 0;
  private readonly lanes = new Map<LaneName, QueueItem[]>(LANES.map((l) => [l, []]));
  private readonly byTask = new Map<number, QueueItem>();
  private readonly byCo = new Map<CoroutineId, QueueItem>();
  private nextSerial = 0;
  private entry: QueueUndo | undefined;

  /** Items waiting in `lane`, oldest first. The array is the model's own: do not change it. */
  lane(lane: LaneName): readonly QueueItem[] {
    return this.lanes.get(lane)!;
  }

  /** Items waiting in every lane. */
  get size(): number {
    let n = 0;
    for (const items of this.lanes.values()) n += items.length;
    return n;
  }

  /** The await a coroutine is parked on, if it is. */
  awaitOf(co: CoroutineId): QueueItem | undefined {
    return this.byCo.get(co);
  }

  /** The waiting item of a task, if it waits. */
  taskItem(task: number): QueueItem | undefined {
    return this.byTask.get(task);
  }

  apply(ev: TraceEvent): void {
    this.entry = undefined;
    if (this.journal) {
      this.entry = {
        added: [],
        removed: [],
        running: undefined,
        main: this.main,
        reaction: this.reaction,
        ended: this.ended,
        seq: this.seq,
        nextSerial: this.nextSerial,
      };
      this.journal.push(this.entry);
    }
    this.seq = ev.seq;
    switch (ev.kind) {
      case 'task-queue': {
        this.add(taskItem(this.nextSerial++, ev.queue, ev.task, ev.co, this.current(), ev.seq, ev.time, ev.delay, 0));
        return;
      }
      case 'task-run': {
        const item = this.byTask.get(ev.task);
        if (item) this.remove(item);
        this.changeRunning();
        this.running.push({
          task: ev.task,
          queue: item?.queue === 'await' ? undefined : item?.queue,
          co: item?.co ?? 0,
          within: item?.within ?? 0,
          queuedSeq: item?.seq,
          delay: item?.delay ?? 0,
          seq: ev.seq,
          time: ev.time,
          runs: item?.runs ?? 0,
        });
        this.main = false;
        return;
      }
      case 'task-end': {
        const at = this.running.findLastIndex((t) => t.task === ev.task);
        if (at < 0) return;
        this.changeRunning();
        const [t] = this.running.splice(at, 1);
        // An interval waits for its next run, unless it was cleared meanwhile (task-cancel).
        if (t?.queue === 'interval' && !t.cleared && this.ended === undefined) {
          const next = taskItem(
            this.nextSerial++,
            'interval',
            t.task,
            t.co,
            t.within,
            ev.seq,
            ev.time,
            t.delay,
            t.runs + 1,
          );
          this.add(next);
        }
        return;
      }
      case 'task-cancel': {
        const item = this.byTask.get(ev.task);
        if (item) {
          this.remove(item);
          return;
        }
        const at = this.running.findLastIndex((t) => t.task === ev.task);
        if (at < 0) return;
        this.changeRunning();
        this.running[at] = { ...this.running[at]!, cleared: true };
        return;
      }
      case 'await':
        this.add(awaitItem(this.nextSerial++, ev.co, this.current(), ev.seq, ev.time, ev.site, ev.target, ev.value));
        return;
      case 'resume': {
        const item = this.byCo.get(ev.co);
        if (!item) return;
        this.remove(item);
        // Resumed after an await: by a promise reaction, a microtask, so the main script has finished.
        this.changes++;
        this.main = false;
        this.reaction = { co: ev.co, seq: ev.seq };
        return;
      }
      case 'return':
      case 'throw':
      case 'create': {
        // Only a damaged trace finishes (or makes again) a coroutine that is parked.
        const item = this.byCo.get(ev.co);
        if (item) this.remove(item);
        return;
      }
      case 'end':
        this.changes++;
        this.ended = ev.seq;
        if (this.running.length) {
          this.changeRunning();
          this.running.length = 0;
        }
        return;
      default:
        return;
    }
  }

  /** The items the last event applied put in and took out (while `journal` is set); undefined otherwise. */
  lastChange(): { readonly added: readonly QueueItem[]; readonly removed: readonly QueueItem[] } | undefined {
    return this.journal?.[this.journal.length - 1];
  }

  /** Takes back the last event applied while `journal` was set; false when there is nothing to take back. */
  undo(): boolean {
    const e = this.journal?.pop();
    if (!e) return false;
    this.changes++;
    for (let k = e.added.length - 1; k >= 0; k--) this.unlink(e.added[k]!);
    for (let k = e.removed.length - 1; k >= 0; k--) this.link(e.removed[k]!);
    if (e.running) replace(this.running, e.running);
    this.main = e.main;
    this.reaction = e.reaction;
    this.ended = e.ended;
    this.seq = e.seq;
    this.nextSerial = e.nextSerial;
    return true;
  }

  /** The state as plain data; items are shared (they never change). */
  save(): QueueState {
    const items: QueueItem[] = [];
    for (const lane of this.lanes.values()) for (const item of lane) items.push(item);
    return {
      items,
      running: this.running.slice(),
      main: this.main,
      reaction: this.reaction,
      ended: this.ended,
      nextSerial: this.nextSerial,
    };
  }

  /** Makes this model hold `state` (made by `save`) as it was after the event `seq`. The journal is emptied. */
  restore(state: QueueState, seq: number): void {
    this.changes++;
    for (const lane of this.lanes.values()) lane.length = 0;
    this.byTask.clear();
    this.byCo.clear();
    for (const item of state.items) this.link(item);
    replace(this.running, state.running);
    this.main = state.main;
    this.reaction = state.reaction;
    this.ended = state.ended;
    this.seq = seq;
    this.nextSerial = state.nextSerial;
    if (this.journal) this.journal.length = 0;
  }

  /** The task running now (innermost), or 0. */
  private current(): number {
    return this.running[this.running.length - 1]?.task ?? 0;
  }

  private add(item: QueueItem): void {
    this.changes++;
    // A task or coroutine waits in one place at a time: a second record for it replaces the first.
    const old = item.task ? this.byTask.get(item.task) : this.byCo.get(item.co);
    if (old) this.remove(old);
    this.link(item);
    this.entry?.added.push(item);
  }

  private remove(item: QueueItem): void {
    this.changes++;
    this.unlink(item);
    this.entry?.removed.push(item);
  }

  private changeRunning(): void {
    this.changes++;
    if (this.entry && !this.entry.running) this.entry.running = this.running.slice();
  }

  private link(item: QueueItem): void {
    const lane = this.lanes.get(item.lane)!;
    // Items almost always arrive newest last; an undo puts one back in its place.
    const last = lane[lane.length - 1];
    if (!last || last.serial < item.serial) lane.push(item);
    else lane.splice(lowerBoundSerial(lane, item.serial), 0, item);
    if (item.task) this.byTask.set(item.task, item);
    else this.byCo.set(item.co, item);
  }

  private unlink(item: QueueItem): void {
    const lane = this.lanes.get(item.lane)!;
    const at = lowerBoundSerial(lane, item.serial);
    if (lane[at] === item) lane.splice(at, 1);
    if (item.task) {
      if (this.byTask.get(item.task) === item) this.byTask.delete(item.task);
    } else if (this.byCo.get(item.co) === item) this.byCo.delete(item.co);
  }
}

// Items are made by these two only, field by field in one order, so that every item has one hidden class.

function taskItem(
  serial: number,
  queue: QueueName,
  task: number,
  co: CoroutineId,
  within: number,
  seq: number,
  time: number,
  delay: number,
  runs: number,
): QueueItem {
  const timed = queue === 'timer' || queue === 'interval';
  return {
    serial,
    lane: laneOf(queue),
    queue,
    task,
    co,
    within,
    seq,
    time,
    delay,
    due: timed ? time + delay : undefined,
    runs,
    site: 0,
    target: 0,
    value: undefined,
  };
}

function awaitItem(
  serial: number,
  co: CoroutineId,
  within: number,
  seq: number,
  time: number,
  site: number,
  target: CoroutineId,
  value: Preview,
): QueueItem {
  return {
    serial,
    lane: 'await',
    queue: 'await',
    task: 0,
    co,
    within,
    seq,
    time,
    delay: 0,
    due: undefined,
    runs: 0,
    site,
    target,
    value,
  };
}

function lowerBoundSerial(a: readonly QueueItem[], serial: number): number {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (a[mid]!.serial < serial) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function replace<T>(target: T[], source: readonly T[]): void {
  target.length = source.length;
  for (let i = 0; i < source.length; i++) target[i] = source[i]!;
}

/** The queue model after the events up to and including `seq` (all of them when omitted). */
export function queuesAt(events: readonly TraceEvent[], seq = Infinity): QueueModel {
  const m = new QueueModel();
  for (const ev of events) {
    if (ev.seq > seq) break;
    m.apply(ev);
  }
  return m;
}
