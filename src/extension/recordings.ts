// The recordings the host holds, oldest first: starts new ones (programs it runs itself) or adopts them
// (processes traced inside a debugging session), forwards their events under one roof (so the panel, the status
// bar, the Coroutines view and the output channel each subscribe once), stops them, and forgets the oldest
// finished ones when there are too many or they hold too much. Plain Node, no `vscode`.

import type { RecordingState } from '../protocol/messages';
import { ConnectedRecording } from './connectedRecording';
import type { ConnectedRecordingOptions } from './connectedRecording';
import { Disposable, Emitter } from './dispose';
import type { Event } from './dispose';
import type { ProcessHost } from './processHost';
import { Recording } from './recording';
import type { RecordingOptions, TraceBatch } from './recording';
import type { ProgramOutput, RecordingSource, TraceRecording } from './traceRecording';
import type { TraceConnection } from './traceServer';

export interface RecordingEvent<T> {
  readonly recording: TraceRecording;
  readonly value: T;
}

export interface RecordingsLimits {
  /** Finished recordings beyond this many are forgotten, oldest first. */
  readonly maxRecordings: number;
  /** Finished recordings are forgotten, oldest first, while all recordings together keep more than this. */
  readonly maxTotalBytes: number;
}

export const DEFAULT_LIMITS: RecordingsLimits = { maxRecordings: 10, maxTotalBytes: 512 * 1024 * 1024 };

export class Recordings extends Disposable implements RecordingSource {
  private readonly _onDidAdd = this._register(new Emitter<TraceRecording>());
  private readonly _onDidRemove = this._register(new Emitter<TraceRecording>());
  private readonly _onDidBatch = this._register(new Emitter<RecordingEvent<TraceBatch>>());
  private readonly _onDidOutput = this._register(new Emitter<RecordingEvent<ProgramOutput>>());
  private readonly _onDidEnd = this._register(new Emitter<RecordingEvent<RecordingState>>());
  private readonly _onDidWarn = this._register(new Emitter<RecordingEvent<string>>());
  readonly onDidAdd: Event<TraceRecording> = this._onDidAdd.event;
  /** A finished recording was forgotten to stay within the limits. */
  readonly onDidRemove: Event<TraceRecording> = this._onDidRemove.event;
  readonly onDidBatch: Event<RecordingEvent<TraceBatch>> = this._onDidBatch.event;
  readonly onDidOutput: Event<RecordingEvent<ProgramOutput>> = this._onDidOutput.event;
  readonly onDidEnd: Event<RecordingEvent<RecordingState>> = this._onDidEnd.event;
  readonly onDidWarn: Event<RecordingEvent<string>> = this._onDidWarn.event;

  private readonly items: TraceRecording[] = [];
  private counter = 0;
  private readonly prefix = Date.now().toString(36);

  constructor(
    private readonly host: ProcessHost,
    private readonly limits: RecordingsLimits = DEFAULT_LIMITS,
  ) {
    super();
  }

  /** All recordings, oldest first. */
  list(): readonly TraceRecording[] {
    return this.items;
  }

  get(id: string): TraceRecording | undefined {
    return this.items.find((r) => r.id === id);
  }

  running(): TraceRecording[] {
    return this.items.filter((r) => r.isRunning);
  }

  /**
   * Creates and starts a recording; its title gets the run's number (`app.ts #2`). Start failures end it in
   * the 'failed' state; they do not throw.
   */
  start(options: Omit<RecordingOptions, 'id'>): Recording {
    const n = ++this.counter;
    const recording = new Recording(
      { ...options, id: `${this.prefix}-${n}`, title: `${options.title} #${n}` },
      this.host,
    );
    this.adopt(recording);
    recording.start().catch((e: unknown) => this.host.log.error(`[${recording.title}] ${String(e)}`));
    return recording;
  }

  /**
   * Adopts the trace arriving on `connection` (a process traced inside a debugging session) as a new recording,
   * numbered like the others. `initial` holds the bytes already read from it.
   */
  attach(
    options: Omit<ConnectedRecordingOptions, 'id' | 'log'>,
    connection: TraceConnection,
    initial: readonly Uint8Array[],
  ): ConnectedRecording {
    const n = ++this.counter;
    const recording = new ConnectedRecording(
      { ...options, id: `${this.prefix}-${n}`, title: `${options.title} #${n}`, log: this.host.log },
      connection,
      initial,
    );
    this.adopt(recording);
    return recording;
  }

  /** Stops every running recording; settles when all have ended. */
  async stopAll(): Promise<void> {
    await Promise.all(this.running().map((r) => r.stop()));
  }

  override dispose(): void {
    for (const r of this.items.splice(0)) r.dispose();
    super.dispose();
  }

  private adopt(recording: TraceRecording): void {
    recording.onDidBatch((value) => this._onDidBatch.fire({ recording, value }));
    recording.onDidOutput((value) => this._onDidOutput.fire({ recording, value }));
    recording.onDidWarn((value) => this._onDidWarn.fire({ recording, value }));
    recording.onDidEnd((value) => this._onDidEnd.fire({ recording, value }));
    this.items.push(recording);
    this.prune(recording);
    this._onDidAdd.fire(recording);
  }

  /** Forgets the oldest finished recordings (never `keep`) while over either limit. */
  private prune(keep: TraceRecording): void {
    const total = (): number => this.items.reduce((sum, r) => sum + r.keptBytes, 0);
    while (this.items.length > this.limits.maxRecordings || total() > this.limits.maxTotalBytes) {
      const victim = this.items.find((r) => r !== keep && !r.isRunning);
      if (!victim) return;
      this.items.splice(this.items.indexOf(victim), 1);
      this.host.log.info(`[${victim.title}] forgotten, to stay within the limits of recordings kept in memory`);
      this._onDidRemove.fire(victim);
      victim.dispose();
    }
  }
}
