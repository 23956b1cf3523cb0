// The whole recording, replayable: every event in a compact store, the model folded to the newest event, and
// saved states (snapshots) at intervals, so that the state at any event is a snapshot plus a short replay.
// Seeking forwards and backwards gives exactly the state a fresh fold up to that event gives (tested).
//
// Costs: a snapshot is taken every `minSnapshotEvery` events and keeps a saved copy of each coroutine that
// changed since the previous one (its "version" at that snapshot), so saved states cost at most one small copy
// per event, usually far less. To seek, the history moves its cursor model to the snapshot before the target by
// rewriting only the coroutines that changed between where the cursor is and that snapshot (found by a scan of
// two integers per coroutine), then replays at most one interval of events; a short seek forward just replays.
// Nothing is copied when a seek writes a version in: the model copies a coroutine when an event changes it.
//
// The event loop (`QueueModel`: what waits in each queue, which callbacks run) is folded, saved and moved
// alongside, so `queuesAt(i)` costs what `at(i)` costs. The cursor keeps a journal of what each replayed event
// changed, so stepping back is an undo of one event, not a replay, and `beforeAt(i)` (the state just before an
// event, which explains it) costs nothing more.
//
// Memory stays bounded: past `capacity` events the oldest half is forgotten, together with the coroutines that
// had finished before what is kept (counted, so the view can say so). Pure; no DOM, no I/O.

import type { CoroutineId, Trace, TraceEvent } from '../protocol/trace';
import { CoroutineModel, savedCopy, type Coroutine, type Ending, type StateBefore } from './coroutines';
import { EventStore } from './eventStore';
import { QueueModel, type QueueState } from './queues';

export interface HistoryOptions {
  /** Most events kept; past it the oldest half is forgotten. */
  readonly capacity?: number;
  /** Events between two snapshots: the most a seek replays. */
  readonly minSnapshotEvery?: number;
}

export const DEFAULT_HISTORY_CAPACITY = 2_000_000;
const DEFAULT_SNAPSHOT_EVERY = 2048;

/** The state after the event at `index` (-1: before the first event kept), but for the coroutines. */
interface Snapshot {
  /** Counts up from 0 and never changes (unlike `index`, which shifts when old events are forgotten). */
  readonly serial: number;
  index: number;
  readonly seq: number;
  readonly running: readonly CoroutineId[];
  /** How many of the history's warnings and output lines had been raised by then. */
  warnings: number;
  output: number;
  readonly ending: Ending | undefined;
  readonly dropped: number;
  /** The event loop then (shared with the snapshot before when nothing changed in between). */
  readonly queues: QueueState;
}

/** Saved copies of one coroutine, with the serial of the snapshot each was saved at (ascending). */
interface Versions {
  serials: number[];
  copies: Coroutine[];
}

export class History {
  readonly store = new EventStore();
  /** The state after the newest event. Do not change it. */
  readonly latest: CoroutineModel;
  /** The event loop after the newest event. Do not change it. */
  readonly latestQueues = new QueueModel();
  /** Events forgotten to stay within `capacity`. */
  forgottenEvents = 0;
  /** Finished coroutines forgotten with them. */
  forgottenCoroutines = 0;
  /** Warnings forgotten with them. */
  forgottenWarnings = 0;
  private readonly capacity: number;
  private readonly every: number;
  private readonly cursor: CoroutineModel;
  private readonly cursorQueues = new QueueModel();
  /** The cursor's journals hold the events after this index, up to `cursorIndex`. */
  private journalBase = -1;
  /** `latestQueues.changes` when the last snapshot saved it, to share an unchanged state. */
  private savedQueueChanges = -1;
  /** The snapshot the cursor model's coroutines were last made to match (its events since are in `touched`). */
  private cursorSnap: Snapshot;
  /** Index the cursor model is at. */
  private cursorIndex = -1;
  private snapshots: Snapshot[] = [];
  /** Each coroutine's versions, at its position in `order`. */
  private versions: Versions[] = [];
  /** Every coroutine with a version, in the order they first got one (creation order) … */
  private order: CoroutineId[] = [];
  /** … with the serials of its first and last versions, at the same positions. */
  private firstSerial: number[] = [];
  private lastSerial: number[] = [];
  private positionOf = new Map<CoroutineId, number>();

  constructor(trace: Pick<Trace, 'sites'>, opts: HistoryOptions = {}) {
    this.capacity = Math.max(16, opts.capacity ?? DEFAULT_HISTORY_CAPACITY);
    this.every = Math.max(1, opts.minSnapshotEvery ?? DEFAULT_SNAPSHOT_EVERY);
    this.latest = new CoroutineModel(trace);
    this.latest.touched = new Set();
    this.latest.journal = [];
    this.latestQueues.journal = [];
    this.cursor = new CoroutineModel(trace);
    this.cursor.touched = new Set();
    this.cursor.journal = [];
    this.cursorQueues.journal = [];
    this.cursorSnap = this.snapshot(-1);
    this.snapshots.push(this.cursorSnap);
  }

  /** Events kept. */
  get length(): number {
    return this.store.length;
  }

  /** Snapshots held (for tests and the benchmark). */
  get snapshotCount(): number {
    return this.snapshots.length;
  }

  push(ev: TraceEvent): void {
    this.store.push(ev);
    // The latest model keeps the journal entry of its newest event only: what `beforeAt` needs there.
    this.latest.journal!.length = 0;
    this.latestQueues.journal!.length = 0;
    this.latest.apply(ev);
    this.latestQueues.apply(ev);
    const index = this.store.length - 1;
    if (index - this.snapshots[this.snapshots.length - 1]!.index >= this.every) {
      this.snapshots.push(this.snapshot(index));
    }
    if (this.store.length > this.capacity) this.forgetOldest();
  }

  /**
   * The state after the event at `index` (clamped to -1 … length - 1; -1 is the state before the first kept
   * event). The model returned is the history's own: read it, do not change it, and do not keep it across
   * calls (the next call moves it).
   */
  at(index: number): CoroutineModel {
    const i = this.clamp(index);
    if (i === this.store.length - 1) return this.latest;
    this.moveTo(i);
    return this.cursor;
  }

  /** The event loop after the event at `index`, under the same terms as `at`. */
  queuesAt(index: number): QueueModel {
    const i = this.clamp(index);
    if (i === this.store.length - 1) return this.latestQueues;
    this.moveTo(i);
    return this.cursorQueues;
  }

  /**
   * The state just before the event at `index`, read through the state after it (see `StateBefore`), for
   * explaining the event; `at(index)` is where it leaves the history. Valid until the next call.
   */
  beforeAt(index: number): StateBefore {
    const i = this.clamp(index);
    const model = this.at(i);
    return model.before() ?? { coroutines: model.coroutines, running: model.running };
  }

  private clamp(index: number): number {
    return Math.max(-1, Math.min(Math.floor(index), this.store.length - 1));
  }

  /**
   * Moves the cursor models to the state after event `i` (not the newest): back by undoing events when its
   * journal reaches there and that is shorter than a replay, else from the snapshot before `i` (strictly, so
   * that at least event `i` is replayed and journaled) or from where it is, forward.
   */
  private moveTo(i: number): void {
    if (i === this.cursorIndex && (i < 0 || this.journalBase < i)) return;
    const snap = this.snapshots[this.snapshotBefore(i - 1)]!;
    if (i < this.cursorIndex && i > this.journalBase && this.cursorIndex - i <= i - snap.index + 64) {
      while (this.cursorIndex > i) {
        this.cursor.undo();
        this.cursorQueues.undo();
        this.cursorIndex--;
      }
      return;
    }
    // Replay on from where the cursor is when it lies between that snapshot and the target.
    if (!(this.cursorIndex >= snap.index && this.cursorIndex < i)) {
      this.moveCursor(snap);
      this.cursorIndex = snap.index;
    }
    for (let k = this.cursorIndex + 1; k <= i; k++) {
      const ev = this.store.event(k);
      this.cursor.apply(ev);
      this.cursorQueues.apply(ev);
    }
    this.cursorIndex = i;
    // The journals cover at most a few intervals back: forget the oldest part of a long walk forwards.
    const journal = this.cursor.journal!;
    if (journal.length > 4 * this.every) {
      const drop = journal.length - 2 * this.every;
      journal.splice(0, drop);
      this.cursorQueues.journal!.splice(0, drop);
      this.journalBase += drop;
    }
  }

  /** Makes the cursor model the state of `target`. */
  private moveCursor(target: Snapshot): void {
    const model = this.cursor;
    model.journal!.length = 0;
    this.journalBase = target.index;
    // What the cursor replayed since its snapshot: back to the version at the target (or gone).
    for (const id of model.touched!) {
      const p = this.positionOf.get(id);
      model.restore(id, p === undefined ? undefined : versionAt(this.versions[p]!, target.serial));
    }
    model.touched!.clear();
    // What changed between the two snapshots: only coroutines that first existed by the later one and last
    // changed after the earlier one can differ.
    const serial = target.serial;
    const lo = Math.min(this.cursorSnap.serial, serial);
    const hi = Math.max(this.cursorSnap.serial, serial);
    const { order, firstSerial, lastSerial, versions } = this;
    for (let p = 0; p < order.length; p++) {
      const first = firstSerial[p]!;
      if (first > hi) break;
      const last = lastSerial[p]!;
      if (last <= lo) continue;
      const id = order[p]!;
      // A long jump meets thousands: most were made after the target (gone) or last changed before it (their
      // newest copy), which need no search through their versions.
      let saved: Coroutine | undefined;
      if (first > serial) saved = undefined;
      else if (last <= serial) saved = lastCopy(versions[p]!);
      else saved = versionAt(versions[p]!, serial);
      const current = model.coroutines.get(id);
      // New ones go last, in creation order, as they would have arrived.
      if (current !== saved) model.restore(id, saved, current);
    }
    this.restoreRest(target);
  }

  private restoreRest(target: Snapshot): void {
    this.cursor.restoreRest({
      running: target.running,
      warnings: this.latest.warnings.slice(0, target.warnings),
      output: this.latest.output.slice(0, target.output),
      ending: target.ending,
      dropped: target.dropped,
      seq: target.seq,
    });
    this.cursorQueues.restore(target.queues, target.seq);
    this.cursorSnap = target;
  }

  /** Position in `snapshots` of the last snapshot at or before `index`. */
  private snapshotBefore(index: number): number {
    let lo = 0;
    let hi = this.snapshots.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.snapshots[mid]!.index <= index) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  private snapshot(index: number): Snapshot {
    const m = this.latest;
    const prev = this.snapshots[this.snapshots.length - 1];
    const serial = prev ? prev.serial + 1 : 0;
    for (const id of m.touched!) {
      const c = m.coroutines.get(id);
      if (!c) continue;
      let p = this.positionOf.get(id);
      if (p === undefined) {
        p = this.order.length;
        this.positionOf.set(id, p);
        this.order.push(id);
        this.versions.push({ serials: [], copies: [] });
        this.firstSerial.push(serial);
      }
      this.lastSerial[p] = serial;
      const v = this.versions[p]!;
      v.serials.push(serial);
      v.copies.push(savedCopy(c));
    }
    m.touched!.clear();
    const q = this.latestQueues;
    const queues = prev && q.changes === this.savedQueueChanges ? prev.queues : q.save();
    this.savedQueueChanges = q.changes;
    return {
      serial,
      index,
      seq: m.seq,
      running: [...m.running],
      warnings: m.warnings.length,
      output: m.output.length,
      ending: m.ending,
      dropped: m.dropped,
      queues,
    };
  }

  /**
   * Keeps the newest half of the events: the last snapshot before that point becomes the state before the
   * first kept event. Coroutines that had finished by then and have no kept events are forgotten everywhere.
   */
  private forgetOldest(): void {
    const target = this.store.length - (this.capacity >> 1);
    const at = this.snapshotBefore(target - 1);
    const base = this.snapshots[at]!;
    if (base.index < 0) return; // no snapshot to start from yet: keep going until there is one
    const dropped = base.index + 1;
    this.store.dropBefore(dropped);
    this.forgottenEvents += dropped;

    const gone = new Set<CoroutineId>();
    this.order.forEach((id, p) => {
      const v = this.versions[p]!;
      const i = lastAtOrBefore(v.serials, base.serial);
      if (i < 0) return;
      const c = v.copies[i]!;
      if ((c.state.kind === 'closed' || c.state.kind === 'failed') && this.store.eventsOf(id).length === 0) {
        gone.add(id);
      } else if (i > 0) {
        // Versions older than the new first snapshot can no longer be asked for.
        v.serials = v.serials.slice(i);
        v.copies = v.copies.slice(i);
      }
    });
    const keep = this.order.map((id) => !gone.has(id));
    this.order = this.order.filter((_, p) => keep[p]);
    this.versions = this.versions.filter((_, p) => keep[p]);
    this.firstSerial = this.firstSerial.filter((_, p) => keep[p]);
    this.lastSerial = this.lastSerial.filter((_, p) => keep[p]);
    this.positionOf = new Map(this.order.map((id, p) => [id, p]));
    const warnings = base.warnings;
    const output = base.output;
    this.snapshots = this.snapshots.slice(at);
    for (const s of this.snapshots) {
      s.index -= dropped;
      s.warnings -= warnings;
      s.output -= output;
    }
    for (const id of gone) {
      this.latest.coroutines.delete(id);
      this.cursor.restore(id, undefined);
    }
    this.latest.warnings.splice(0, warnings);
    this.latest.output.splice(0, output);
    this.forgottenCoroutines += gone.size;
    this.forgottenWarnings += warnings;
    // The cursor's place may have been forgotten: bring it to the new first snapshot, looking at everything.
    for (const id of [...this.cursor.coroutines.keys()])
      if (!this.positionOf.has(id)) this.cursor.restore(id, undefined);
    this.cursor.touched!.clear();
    this.order.forEach((id, p) => this.cursor.restore(id, versionAt(this.versions[p]!, base.serial)));
    this.cursor.journal!.length = 0;
    this.restoreRest(base);
    this.cursorIndex = base.index;
    this.journalBase = base.index;
  }
}

/** The newest saved copy. */
function lastCopy(v: Versions): Coroutine | undefined {
  return v.copies[v.copies.length - 1];
}

/** The saved copy as it was at the snapshot `serial`; undefined when the coroutine did not exist yet. */
function versionAt(v: Versions, serial: number): Coroutine | undefined {
  return v.copies[lastAtOrBefore(v.serials, serial)];
}

function lastAtOrBefore(a: readonly number[], x: number): number {
  let lo = 0;
  let hi = a.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (a[mid]! <= x) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}
