// A trace file, checked and held as a recording: what the trace file editor shows. `checkTraceFile` decodes the
// bytes (the decoder never throws) and says in a sentence what is wrong, if anything: not a trace, empty,
// cut short, damaged, of a newer trace format. `StaticRecordings` is the one-recording `RecordingSource` the editor's
// webview reads, through the same PanelSession as the live panel. Plain Node, no `vscode`.

import * as path from 'node:path';
import { decodeTrace } from '../protocol/codec';
import type { RecordingState } from '../protocol/messages';
import type { Trace, TraceHeader } from '../protocol/trace';
import { Emitter } from './dispose';
import type { Event } from './dispose';
import type { TraceBatch } from './traceBuffer';
import type { ProgramOutput, RecordingSource, TraceRecording } from './traceRecording';

export type TraceFileCheck =
  | { readonly kind: 'ok'; readonly trace: Trace }
  /** Readable up to some damage: what comes before it is shown. */
  | { readonly kind: 'damaged'; readonly trace: Trace; readonly message: string }
  | { readonly kind: 'unreadable'; readonly message: string };

/** Larger files are not opened (the host would hold them whole). */
export const MAX_TRACE_FILE_BYTES = 512 * 1024 * 1024;

export function checkTraceFile(bytes: Uint8Array, name: string): TraceFileCheck {
  if (bytes.length === 0) return { kind: 'unreadable', message: `${name} is empty: it holds no trace.` };
  const trace = decodeTrace(bytes);
  if (trace.header === undefined) {
    const why = trace.problems[0] ?? 'it has no trace header';
    return {
      kind: 'unreadable',
      message: /signature|too short/.test(why)
        ? `${name} is not a Yieldscope trace (${why}).`
        : `${name} cannot be read as a Yieldscope trace: ${why}.`,
    };
  }
  const notes: string[] = [];
  if (trace.problems.length) notes.push(...trace.problems.slice(0, 3));
  if (trace.problems.length > 3) notes.push(`and ${trace.problems.length - 3} more problems`);
  if (!trace.events.some((e) => e.kind === 'end'))
    notes.push('it has no end record: the program was stopped, or the recording was cut short');
  if (notes.length === 0) return { kind: 'ok', trace };
  return { kind: 'damaged', trace, message: `${name}: ${notes.join('; ')}. Everything before that is shown.` };
}

/** The final state a trace file describes, as the webview's header reads it. */
export function fileState(check: TraceFileCheck): RecordingState {
  if (check.kind === 'unreadable') return { kind: 'failed', message: check.message };
  const end = check.trace.events.findLast((e) => e.kind === 'end');
  return { kind: 'ended', exitCode: end?.kind === 'end' ? end.exitCode : null, signal: null };
}

/** One trace file as a finished recording. */
export class FileRecording implements TraceRecording {
  readonly isRunning = false;
  readonly batch = 0;
  readonly droppedBytes = 0;
  readonly state: RecordingState;
  readonly header: TraceHeader | undefined;
  readonly eventCount: number;
  readonly done: Promise<RecordingState>;
  private readonly never = new Emitter<never>();
  readonly onDidBatch: Event<TraceBatch> = this.never.event;
  readonly onDidOutput: Event<ProgramOutput> = this.never.event;
  readonly onDidEnd: Event<RecordingState> = this.never.event;
  readonly onDidWarn: Event<string> = this.never.event;

  constructor(
    readonly id: string,
    readonly title: string,
    private readonly bytes: Uint8Array,
    check: TraceFileCheck,
  ) {
    this.state = fileState(check);
    this.header = check.kind === 'unreadable' ? undefined : check.trace.header;
    this.eventCount = check.kind === 'unreadable' ? 0 : check.trace.events.length;
    this.done = Promise.resolve(this.state);
  }

  get keptBytes(): number {
    return this.bytes.length;
  }
  get receivedBytes(): number {
    return this.bytes.length;
  }
  get pid(): number | undefined {
    return this.header?.pid;
  }
  snapshot(): { bytes: Uint8Array; batch: number } {
    return { bytes: this.bytes, batch: 0 };
  }
  flush(): void {}
  stop(): Promise<RecordingState> {
    return this.done;
  }
  dispose(): void {
    this.never.dispose();
  }
}

/** A `RecordingSource` that holds one recording and never changes. */
export class StaticRecordings implements RecordingSource {
  private readonly never = new Emitter<never>();
  readonly onDidAdd: Event<TraceRecording> = this.never.event;
  readonly onDidRemove: Event<TraceRecording> = this.never.event;
  readonly onDidBatch: Event<{ recording: TraceRecording; value: TraceBatch }> = this.never.event;
  readonly onDidEnd: Event<{ recording: TraceRecording; value: RecordingState }> = this.never.event;

  constructor(private readonly recording: TraceRecording) {}

  list(): readonly TraceRecording[] {
    return [this.recording];
  }
  get(id: string): TraceRecording | undefined {
    return id === this.recording.id ? this.recording : undefined;
  }
}

/** `main.ystrace` for a program `…/src/main.ts`. */
export function traceFileName(header: Pick<TraceHeader, 'program'> | undefined, fallback = 'recording'): string {
  const program = header?.program ? path.basename(header.program) : fallback;
  const stem = program.replace(/\.[cm]?[jt]sx?$/i, '') || fallback;
  return `${stem.replace(/[^\w.-]+/g, '_')}.ystrace`;
}
