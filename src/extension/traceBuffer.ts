// What the host holds of one recording's trace: incoming bytes are gathered into numbered batches (at most one
// per `batchIntervalMs`, so the webview is not flooded) and kept for snapshots, up to a memory bound. Past the
// bound nothing more is kept or sent, so that a snapshot and the batches always agree; the user is told.
// Batches are also run through the trace decoder to count events and to notice a damaged stream.

import { TraceDecoder } from '../protocol/codec';
import type { EndReasonName, TraceHeader } from '../protocol/trace';
import { Disposable, Emitter } from './dispose';
import type { Logger } from './log';

export interface TraceEnding {
  readonly exitCode: number;
  readonly reason: EndReasonName;
}

export interface TraceBatch {
  /** Consecutive from 1. */
  readonly batch: number;
  readonly bytes: Uint8Array;
}

export interface TraceBufferOptions {
  /** For messages: the recording's title. */
  readonly title: string;
  readonly log: Logger;
  readonly maxKeptBytes?: number | undefined;
  readonly batchIntervalMs?: number | undefined;
}

export const DEFAULT_MAX_KEPT_BYTES = 256 * 1024 * 1024;
export const DEFAULT_BATCH_INTERVAL_MS = 50;

export class TraceBuffer extends Disposable {
  private readonly _onDidBatch = this._register(new Emitter<TraceBatch>((e) => this.listenerError(e)));
  private readonly _onDidWarn = this._register(new Emitter<string>((e) => this.listenerError(e)));
  readonly onDidBatch = this._onDidBatch.event;
  /** Something the user should be told about (the memory bound was reached). */
  readonly onDidWarn = this._onDidWarn.event;

  private pending: Uint8Array[] = [];
  private pendingBytes = 0;
  private kept: Uint8Array[] = [];
  private _keptBytes = 0;
  private keeping = true;
  private _droppedBytes = 0;
  private _batch = 0;
  private lastFlush = 0;
  private flushTimer: NodeJS.Timeout | undefined;
  private readonly decoder = new TraceDecoder();
  private _eventCount = 0;
  private _ending: TraceEnding | undefined;
  private readonly maxKeptBytes: number;
  private readonly interval: number;

  constructor(private readonly options: TraceBufferOptions) {
    super();
    this.maxKeptBytes = options.maxKeptBytes ?? DEFAULT_MAX_KEPT_BYTES;
    this.interval = options.batchIntervalMs ?? DEFAULT_BATCH_INTERVAL_MS;
  }

  /** Number of the last batch sent. */
  get batch(): number {
    return this._batch;
  }
  /** Events decoded from the batches sent so far. */
  get eventCount(): number {
    return this._eventCount;
  }
  get keptBytes(): number {
    return this._keptBytes;
  }
  /** Bytes received past the memory bound and thrown away. */
  get droppedBytes(): number {
    return this._droppedBytes;
  }
  /** Every byte received so far: kept, waiting for the next batch, or dropped. */
  get receivedBytes(): number {
    return this._keptBytes + this.pendingBytes + this._droppedBytes;
  }
  /** The trace's header, once a batch holding it has been sent. */
  get header(): TraceHeader | undefined {
    return this.decoder.trace.header;
  }
  /** How the program ended, as the trace's end record says (once a batch holding it has been sent). */
  get ending(): TraceEnding | undefined {
    return this._ending;
  }

  /** Everything sent so far, as one array, and the number of the last batch in it. Do not modify the bytes. */
  snapshot(): { bytes: Uint8Array; batch: number } {
    if (this.kept.length > 1) this.kept = [concat(this.kept, this._keptBytes)];
    return { bytes: this.kept[0] ?? new Uint8Array(0), batch: this._batch };
  }

  push(chunk: Uint8Array): void {
    if (this.isDisposed) return;
    if (!this.keeping) {
      this._droppedBytes += chunk.length;
      return;
    }
    if (this._keptBytes + this.pendingBytes + chunk.length > this.maxKeptBytes) {
      this.keeping = false;
      this._droppedBytes += chunk.length;
      this.flush();
      const message =
        `The recording "${this.options.title}" reached its memory limit (${formatBytes(this.maxKeptBytes)}). ` +
        `The trace up to that point is kept and shown; what the program does after it is not recorded.`;
      this.options.log.warn(`[${this.options.title}] ${message}`);
      this._onDidWarn.fire(message);
      return;
    }
    this.pending.push(chunk);
    this.pendingBytes += chunk.length;
    if (this.flushTimer) return;
    this.flushTimer = setTimeout(() => this.flush(), Math.max(0, this.lastFlush + this.interval - Date.now()));
  }

  /** Sends what is pending now (at the end of the recording). */
  flush(): void {
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    if (this.pendingBytes === 0 || this.isDisposed) return;
    // Always a fresh array: socket chunks can be views into larger buffers that must not travel with them.
    const bytes = concat(this.pending, this.pendingBytes);
    this.pending = [];
    this.pendingBytes = 0;
    this.kept.push(bytes);
    this._keptBytes += bytes.length;
    this._batch++;
    this.lastFlush = Date.now();
    this.countEvents(bytes);
    this._onDidBatch.fire({ batch: this._batch, bytes });
  }

  override dispose(): void {
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    this.pending = [];
    this.kept = [];
    super.dispose();
  }

  private countEvents(bytes: Uint8Array): void {
    if (this.decoder.failed) return;
    const events = this.decoder.push(bytes);
    this._eventCount += events.length;
    const end = events.findLast((e) => e.kind === 'end');
    if (end?.kind === 'end') this._ending = { exitCode: end.exitCode, reason: end.reason };
    this.decoder.trace.events.length = 0; // only the count is wanted here; the view decodes for itself
    if (this.decoder.failed) {
      this.options.log.warn(
        `[${this.options.title}] the trace stream is damaged: ${this.decoder.trace.problems.join('; ')}`,
      );
    }
  }

  private listenerError(e: unknown): void {
    this.options.log.error(`[${this.options.title}] a listener failed: ${e instanceof Error ? e.message : String(e)}`);
  }
}

function concat(chunks: readonly Uint8Array[], total: number): Uint8Array {
  const out = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

export function formatBytes(n: number): string {
  if (n >= 1024 * 1024) return `${Math.round((n / 1024 / 1024) * 10) / 10} MB`;
  if (n >= 1024) return `${Math.round((n / 1024) * 10) / 10} KB`;
  return `${n} bytes`;
}
