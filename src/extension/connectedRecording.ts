// A recording of a process that Yieldscope did not start: a program launched by the JavaScript debugger with
// the tracer injected (NODE_OPTIONS), one of its child processes, or a restart. Its trace arrives on one
// connection of a debugging session's socket (`TraceChannel`); it ends when that connection closes, with the
// exit code the trace's end record gives. Stopping it asks its owner (the debugging session) to stop the program.
// Plain Node, no `vscode`.

import type { RecordingState } from '../protocol/messages';
import type { TraceHeader } from '../protocol/trace';
import { Disposable, Emitter } from './dispose';
import type { Event } from './dispose';
import type { Logger } from './log';
import { TraceBuffer, formatBytes } from './traceBuffer';
import type { TraceBatch } from './traceBuffer';
import type { ProgramOutput, TraceRecording } from './traceRecording';
import type { TraceConnection } from './traceServer';

export interface ConnectedRecordingOptions {
  readonly id: string;
  readonly title: string;
  readonly log: Logger;
  /** The header the channel read from the first bytes. */
  readonly header: TraceHeader;
  readonly maxKeptBytes?: number | undefined;
  readonly batchIntervalMs?: number | undefined;
  /**
   * Stops the program (ends its debugging session). Without it, stopping closes the connection: the program
   * goes on, untraced.
   */
  readonly stopProgram?: (() => void) | undefined;
  /** How long `stop()` waits for the connection to close before giving up on the rest of the trace. */
  readonly stopGraceMs?: number | undefined;
}

const DEFAULT_STOP_GRACE_MS = 5000;

export class ConnectedRecording extends Disposable implements TraceRecording {
  private readonly _onDidEnd = this._register(new Emitter<RecordingState>((e) => this.listenerError(e)));
  private readonly _onDidOutput = this._register(new Emitter<ProgramOutput>());
  private readonly buffer: TraceBuffer;
  readonly onDidBatch: Event<TraceBatch>;
  /** Never fires: the debugger holds the program's output. */
  readonly onDidOutput = this._onDidOutput.event;
  readonly onDidEnd = this._onDidEnd.event;
  readonly onDidWarn: Event<string>;
  readonly id: string;
  readonly title: string;
  readonly header: TraceHeader;
  private _state: RecordingState = { kind: 'live' };
  private finished = false;
  private stopTimer: NodeJS.Timeout | undefined;
  private resolveDone!: (state: RecordingState) => void;
  readonly done = new Promise<RecordingState>((resolve) => (this.resolveDone = resolve));

  /** `initial` holds the bytes the channel read before the header was complete. */
  constructor(
    private readonly options: ConnectedRecordingOptions,
    private readonly connection: TraceConnection,
    initial: readonly Uint8Array[],
  ) {
    super();
    this.id = options.id;
    this.title = options.title;
    this.header = options.header;
    this.buffer = this._register(
      new TraceBuffer({
        title: options.title,
        log: options.log,
        maxKeptBytes: options.maxKeptBytes,
        batchIntervalMs: options.batchIntervalMs,
      }),
    );
    this.onDidBatch = this.buffer.onDidBatch;
    this.onDidWarn = this.buffer.onDidWarn;
    for (const chunk of initial) this.buffer.push(chunk);
    this._register(connection.onDidData((chunk) => this.buffer.push(chunk)));
    this._register(connection.onDidClose(() => this.finish()));
    if (connection.closed) queueMicrotask(() => this.finish());
  }

  get state(): RecordingState {
    return this._state;
  }
  get isRunning(): boolean {
    return !this.finished;
  }
  get batch(): number {
    return this.buffer.batch;
  }
  get eventCount(): number {
    return this.buffer.eventCount;
  }
  get keptBytes(): number {
    return this.buffer.keptBytes;
  }
  get droppedBytes(): number {
    return this.buffer.droppedBytes;
  }
  get receivedBytes(): number {
    return this.buffer.receivedBytes;
  }
  get pid(): number {
    return this.header.pid;
  }

  snapshot(): { bytes: Uint8Array; batch: number } {
    return this.buffer.snapshot();
  }

  flush(): void {
    if (!this.finished) this.buffer.flush();
  }

  stop(): Promise<RecordingState> {
    if (this.finished) return this.done;
    if (this.options.stopProgram) {
      this.options.log.info(`[${this.title}] stopping its debugging session`);
      this.options.stopProgram();
    } else {
      this.connection.destroy();
    }
    this.stopTimer ??= setTimeout(() => {
      this.options.log.warn(`[${this.title}] the trace did not end after the program was stopped; closing it`);
      this.connection.destroy();
      this.finish();
    }, this.options.stopGraceMs ?? DEFAULT_STOP_GRACE_MS);
    return this.done;
  }

  override dispose(): void {
    if (!this.finished) {
      this.connection.destroy();
      this.finish();
    }
    super.dispose();
  }

  private finish(): void {
    if (this.finished) return;
    this.finished = true;
    clearTimeout(this.stopTimer);
    this.buffer.flush();
    const dropped = this.buffer.droppedBytes;
    if (dropped)
      this.options.log.warn(`[${this.title}] ${formatBytes(dropped)} of trace past the memory limit were not kept`);
    const ending = this.buffer.ending;
    // Without an end record the process was killed (the session stopped) or the tracer could not finish.
    this._state = { kind: 'ended', exitCode: ending ? ending.exitCode : null, signal: null };
    this.options.log.info(
      `[${this.title}] the trace ended (${ending ? `exit code ${ending.exitCode}` : 'no end record: the process was stopped'})`,
    );
    this._onDidEnd.fire(this._state);
    this.resolveDone(this._state);
  }

  private listenerError(e: unknown): void {
    this.options.log.error(`[${this.title}] a listener failed: ${e instanceof Error ? e.message : String(e)}`);
  }
}
