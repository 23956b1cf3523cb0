// The coroutine model of one recording, kept up to date in the host for the Coroutines view and the editor: its
// trace bytes are decoded as their batches arrive and folded into a `CoroutineModel` (src/model) and the recent
// history of each yield and await site (siteHistory.ts, for the inline values). Decoded events are dropped once
// folded, and so is the program's output (the view does not show it), so what it keeps is the model itself.
// A gap in the batch numbers (a batch missed) makes it start again from the recording's snapshot. Plain Node.

import { TraceDecoder } from '../protocol/codec';
import type { Trace } from '../protocol/trace';
import { CoroutineModel } from '../model/coroutines';
import { Disposable, Emitter } from './dispose';
import { SiteHistory } from './siteHistory';
import type { TraceBatch } from './traceBuffer';
import type { TraceRecording } from './traceRecording';

export class RecordingModel extends Disposable {
  private readonly _onDidChange = this._register(new Emitter<void>());
  /** New events were folded in, or the recording ended. */
  readonly onDidChange = this._onDidChange.event;
  private decoder = new TraceDecoder();
  private _model = new CoroutineModel(this.decoder.trace);
  private _history = new SiteHistory();
  private applied = 0;

  constructor(readonly recording: TraceRecording) {
    super();
    this.reload();
    this._register(recording.onDidBatch((b) => this.onBatch(b)));
    this._register(recording.onDidEnd(() => this._onDidChange.fire()));
  }

  get model(): CoroutineModel {
    return this._model;
  }

  /** The recent values at each yield and await site. */
  get history(): SiteHistory {
    return this._history;
  }

  /** Files, sites and header of the trace so far (its events are not kept). */
  get trace(): Trace {
    return this.decoder.trace;
  }

  private onBatch(batch: TraceBatch): void {
    if (batch.batch <= this.applied) return;
    if (batch.batch !== this.applied + 1) this.reload();
    else this.fold(batch.bytes, batch.batch);
    this._onDidChange.fire();
  }

  private reload(): void {
    this.decoder = new TraceDecoder();
    this._model = new CoroutineModel(this.decoder.trace);
    this._history = new SiteHistory();
    const { bytes, batch } = this.recording.snapshot();
    this.fold(bytes, batch);
  }

  private fold(bytes: Uint8Array, batch: number): void {
    const events = this.decoder.push(bytes);
    for (const ev of events) {
      this._model.apply(ev);
      this._history.apply(ev);
    }
    this.decoder.trace.events.length = 0;
    this._model.output.length = 0;
    this.applied = batch;
  }
}
