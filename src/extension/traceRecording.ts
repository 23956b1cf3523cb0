// What the rest of the host sees of a recording, whatever feeds it: a program that Yieldscope started itself
// (`Recording`, recording.ts) or a process that connected to the socket of a debugging session
// (`ConnectedRecording`, connectedRecording.ts). The panel, the status bar, the Coroutines view and the trace
// files read recordings only through this. Plain Node, no `vscode`.

import type { RecordingState } from '../protocol/messages';
import type { TraceHeader } from '../protocol/trace';
import type { Event, IDisposable } from './dispose';
import type { TraceBatch } from './traceBuffer';

export interface ProgramOutput {
  readonly stream: 'stdout' | 'stderr';
  readonly text: string;
}

export interface TraceRecording extends IDisposable {
  readonly id: string;
  /** What the user reads: `main.ts #2`. */
  readonly title: string;
  readonly state: RecordingState;
  /** Not yet ended. */
  readonly isRunning: boolean;
  /** Number of the last batch sent. */
  readonly batch: number;
  /** Events decoded from the batches sent so far. */
  readonly eventCount: number;
  readonly keptBytes: number;
  /** Trace bytes received past the memory bound and thrown away. */
  readonly droppedBytes: number;
  /** Every trace byte received so far, kept or not: grows while the tracer is still delivering. */
  readonly receivedBytes: number;
  /** The traced process, once known. */
  readonly pid: number | undefined;
  /** The trace's header, once the batch holding it has been sent. */
  readonly header: TraceHeader | undefined;
  /** Trace bytes in numbered batches. */
  readonly onDidBatch: Event<TraceBatch>;
  /** The program's stdout and stderr, when the host holds them (not in a debugging session: the debugger does). */
  readonly onDidOutput: Event<ProgramOutput>;
  /** Fires once, with an 'ended' or 'failed' state. */
  readonly onDidEnd: Event<RecordingState>;
  /** Something the user should be told about (the memory bound was reached). */
  readonly onDidWarn: Event<string>;
  /** Settles with the final state. */
  readonly done: Promise<RecordingState>;
  /** Everything sent so far, as one array, and the number of the last batch in it. Do not modify the bytes. */
  snapshot(): { bytes: Uint8Array; batch: number };
  /** Sends what has arrived now rather than at the next batch interval (a debugger paused the program). */
  flush(): void;
  /** Stops the program; settles when the recording has ended. */
  stop(): Promise<RecordingState>;
}

/**
 * The recordings a webview shows: all of them (the panel) or one trace file (the custom editor). `Recordings`
 * is one; `StaticRecordings` (traceFileSource.ts) another.
 */
export interface RecordingSource {
  list(): readonly TraceRecording[];
  get(id: string): TraceRecording | undefined;
  readonly onDidAdd: Event<TraceRecording>;
  readonly onDidRemove: Event<TraceRecording>;
  readonly onDidBatch: Event<{ readonly recording: TraceRecording; readonly value: TraceBatch }>;
  readonly onDidEnd: Event<{ readonly recording: TraceRecording; readonly value: RecordingState }>;
}
