// One recording as the webview holds it: a streaming decoder, the coroutine model folded from its events as
// they arrive, and the newest events for the Events list. Memory stays bounded however long the program runs:
// decoded events are folded and let go, old finished coroutines, warnings and output lines are forgotten
// (and counted). Pure; no DOM.

import { TraceDecoder } from '../src/protocol/codec';
import { CoroutineModel } from '../src/model/coroutines';
import type { RecordingState } from '../src/protocol/messages';
import type { Trace } from '../src/protocol/trace';
import { EventRing } from './eventRows';
import { isFinished } from './cards';

export interface RecordingLimits {
  /** Events kept for the Events list. */
  readonly events: number;
  /** Finished coroutines kept in the model; older ones are forgotten first. */
  readonly finishedCoroutines: number;
  readonly warnings: number;
  readonly output: number;
}

export const DEFAULT_LIMITS: RecordingLimits = { events: 1000, finishedCoroutines: 2000, warnings: 200, output: 200 };

let instances = 0;

export class Recording {
  /** Distinguishes this object from an earlier one for the same recording (a snapshot rebuilds them). */
  readonly instance = ++instances;
  readonly decoder = new TraceDecoder();
  readonly model: CoroutineModel;
  readonly recent: EventRing;
  /** Events decoded so far (records of dropped events count once each, not by what they stand for). */
  eventCount = 0;
  /** Finished coroutines dropped from the model to bound memory. */
  forgottenCoroutines = 0;
  forgottenWarnings = 0;
  /** Number of the last batch folded in. */
  batch: number;

  constructor(
    readonly id: string,
    public title: string,
    public state: RecordingState,
    batch = 0,
    private readonly limits: RecordingLimits = DEFAULT_LIMITS,
  ) {
    this.batch = batch;
    this.model = new CoroutineModel(this.decoder.trace);
    this.recent = new EventRing(limits.events);
  }

  get trace(): Trace {
    return this.decoder.trace;
  }

  /** The program's working folder, for showing paths relative to it. */
  get cwd(): string {
    return this.trace.header?.cwd ?? '';
  }

  /** Decodes and folds a chunk; returns how many events it held. */
  append(bytes: Uint8Array): number {
    const added = this.decoder.push(bytes);
    for (const ev of added) {
      this.model.apply(ev);
      this.recent.push(ev);
    }
    this.eventCount += added.length;
    // The model and the ring now hold what the view needs; the decoder's own list would grow without end.
    this.decoder.trace.events.length = 0;
    this.trim();
    return added.length;
  }

  /** No more bytes will come: note a cut-off tail among the trace's problems. */
  finish(state: RecordingState): void {
    this.state = state;
    this.decoder.finish();
  }

  private trim(): void {
    const m = this.model;
    const excessWarnings = m.warnings.length - this.limits.warnings;
    if (excessWarnings > 0) {
      m.warnings.splice(0, excessWarnings);
      this.forgottenWarnings += excessWarnings;
    }
    if (m.output.length > this.limits.output) m.output.splice(0, m.output.length - this.limits.output);
    // Sweep only once the slack is used up, so that the cost is spread over many events.
    const slack = Math.max(16, this.limits.finishedCoroutines >> 2);
    if (m.coroutines.size <= this.limits.finishedCoroutines + slack) return;
    let finished = 0;
    for (const c of m.coroutines.values()) if (isFinished(c)) finished++;
    let excess = finished - this.limits.finishedCoroutines;
    if (excess <= 0) return;
    const delegates = new Set<number>();
    for (const c of m.coroutines.values()) if (c.delegate) delegates.add(c.delegate);
    // Map order is creation order: the oldest finished go first.
    for (const c of m.coroutines.values()) {
      if (excess <= 0) break;
      if (!isFinished(c) || delegates.has(c.id) || m.running.includes(c.id)) continue;
      m.coroutines.delete(c.id);
      this.forgottenCoroutines++;
      excess--;
    }
  }
}
