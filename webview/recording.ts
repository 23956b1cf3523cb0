// One recording as the webview holds it: a streaming decoder and the replayable history of its events (the
// compact event store, the model at the newest event, and snapshots to seek to any event). Memory stays
// bounded however long the program runs: decoded events are stored in columns and let go, and past the
// history's capacity the oldest events and the coroutines that finished before them are forgotten (and
// counted). Pure; no DOM.

import { TraceDecoder } from '../src/protocol/codec';
import type { CoroutineModel } from '../src/model/coroutines';
import { DEFAULT_HISTORY_CAPACITY, History } from '../src/model/history';
import type { RecordingState } from '../src/protocol/messages';
import type { Trace } from '../src/protocol/trace';

export interface RecordingLimits {
  /** Events kept for replay; past it the oldest half is forgotten. */
  readonly events: number;
  /** Events between two saved states: the most a seek replays. */
  readonly snapshotEvery?: number;
}

export const DEFAULT_LIMITS: RecordingLimits = { events: DEFAULT_HISTORY_CAPACITY };

/** Bytes decoded at a time: the decoder's list of new events stays small however big a snapshot is. */
const CHUNK = 256 * 1024;

let instances = 0;

export class Recording {
  /** Distinguishes this object from an earlier one for the same recording (a snapshot rebuilds them). */
  readonly instance = ++instances;
  readonly decoder = new TraceDecoder();
  readonly history: History;
  /** Events decoded so far, kept or not (records of dropped events count once each). */
  eventCount = 0;
  /** Number of the last batch folded in. */
  batch: number;
  /** Set while a report decodes its embedded trace a slice at a time. */
  loading: { readonly done: number; readonly total: number } | undefined;

  constructor(
    readonly id: string,
    public title: string,
    public state: RecordingState,
    batch = 0,
    limits: RecordingLimits = DEFAULT_LIMITS,
  ) {
    this.batch = batch;
    this.history = new History(this.decoder.trace, {
      capacity: limits.events,
      ...(limits.snapshotEvery ? { minSnapshotEvery: limits.snapshotEvery } : {}),
    });
  }

  get trace(): Trace {
    return this.decoder.trace;
  }

  /** The state after the newest event. */
  get model(): CoroutineModel {
    return this.history.latest;
  }

  /** Finished coroutines forgotten to bound memory. */
  get forgottenCoroutines(): number {
    return this.history.forgottenCoroutines;
  }

  get forgottenWarnings(): number {
    return this.history.forgottenWarnings;
  }

  /** The program's working folder, for showing paths relative to it. */
  get cwd(): string {
    return this.trace.header?.cwd ?? '';
  }

  /** Decodes and stores a chunk of bytes; returns how many events it held. */
  append(bytes: Uint8Array): number {
    let added = 0;
    for (let at = 0; at < bytes.length || (at === 0 && bytes.length === 0); at += CHUNK) {
      const events = this.decoder.push(bytes.subarray(at, at + CHUNK));
      for (const ev of events) this.history.push(ev);
      added += events.length;
      // The history now holds them; the decoder's own list would grow without end.
      this.decoder.trace.events.length = 0;
      if (bytes.length === 0) break;
    }
    this.eventCount += added;
    return added;
  }

  /** No more bytes will come: note a cut-off tail among the trace's problems. */
  finish(state: RecordingState): void {
    this.state = state;
    this.decoder.finish();
  }
}
