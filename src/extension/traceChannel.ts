// The trace socket of one debugging session (or of one traced debug terminal): a `TraceServer` that takes a
// connection from every process the session traces (the program, its child processes, the program again after
// a restart) and turns each into a recording of its own, titled after the program its trace header names.
// The environment it hands out (`env`) is what the tracer in those processes needs to find it. Closing it stops
// new connections; the processes still connected finish their traces, then the socket goes. Plain Node, no
// `vscode`.

import { randomBytes } from 'node:crypto';
import { TraceDecoder } from '../protocol/codec';
import type { TraceHeader } from '../protocol/trace';
import type { ConnectedRecording } from './connectedRecording';
import { Disposable, Emitter } from './dispose';
import type { Logger } from './log';
import type { Recordings } from './recordings';
import { TraceServer } from './traceServer';
import type { TraceConnection } from './traceServer';

export interface TraceChannelOptions {
  readonly recordings: Recordings;
  readonly log: Logger;
  readonly platform: NodeJS.Platform;
  /** For the log: what the channel belongs to ("debugging session 'Visualize sample'"). */
  readonly label: string;
  /** Processes it accepts in all (a fork bomb must not become thousands of recordings). */
  readonly maxConnections?: number;
  /** A connection that has not sent its trace header after this many bytes is dropped. */
  readonly maxHeaderBytes?: number;
  /** After `close()`, how long connections still open may go on before they are cut. */
  readonly closeGraceMs?: number;
  /** Stops the process `pid` (ends its debugging session); see `ConnectedRecording`. */
  readonly stopProgram?: (pid: number) => void;
  /** Where the private directory goes (tests). */
  readonly tmpdir?: string;
}

/** What the tracer reads from its environment to stream to a channel. */
export interface ChannelEnv {
  readonly YIELDSCOPE_SOCKET: string;
  readonly YIELDSCOPE_TOKEN: string;
}

const DEFAULT_MAX_CONNECTIONS = 64;
const DEFAULT_MAX_HEADER_BYTES = 64 * 1024;
const DEFAULT_CLOSE_GRACE_MS = 10_000;

export class TraceChannel extends Disposable {
  private readonly _onDidRecord = this._register(new Emitter<ConnectedRecording>());
  /** A process connected and sent its header: its recording has been added. */
  readonly onDidRecord = this._onDidRecord.event;
  private readonly _onDidDispose = new Emitter<void>();
  /** The socket is gone: closed, and every process has finished or been cut. */
  readonly onDidDispose = this._onDidDispose.event;
  /** Names the channel in debug configurations (`__yieldscope`), so that sessions can be paired with it. */
  readonly key: string;
  private readonly _recordings: ConnectedRecording[] = [];
  private closing: NodeJS.Timeout | undefined;

  static async open(options: TraceChannelOptions): Promise<TraceChannel> {
    const token = randomBytes(32).toString('hex');
    const server = await TraceServer.listen({
      token,
      platform: options.platform,
      log: options.log,
      maxConnections: options.maxConnections ?? DEFAULT_MAX_CONNECTIONS,
      tmpdir: options.tmpdir,
    });
    return new TraceChannel(server, token, options);
  }

  private constructor(
    private readonly server: TraceServer,
    private readonly token: string,
    private readonly options: TraceChannelOptions,
  ) {
    super();
    this.key = randomBytes(9).toString('base64url');
    this._register(server);
    this._register(server.onDidAccept((c) => this.accept(c)));
    // A recording forgotten to stay within the limits is no longer this channel's either.
    this._register(
      options.recordings.onDidRemove((r) => {
        const i = this._recordings.indexOf(r as ConnectedRecording);
        if (i >= 0) this._recordings.splice(i, 1);
      }),
    );
  }

  get env(): ChannelEnv {
    return { YIELDSCOPE_SOCKET: this.server.address, YIELDSCOPE_TOKEN: this.token };
  }

  get label(): string {
    return this.options.label;
  }

  /** The recordings of the processes that connected so far, oldest first. */
  get recordings(): readonly ConnectedRecording[] {
    return this._recordings;
  }

  get isClosing(): boolean {
    return this.closing !== undefined || this.isDisposed;
  }

  /**
   * Takes no more processes. The recordings still running end when their process does; after the grace period
   * whatever is still open is cut, and the socket and its folder are removed.
   */
  close(): void {
    if (this.isClosing) return;
    this.server.stopListening();
    const open = this._recordings.filter((r) => r.isRunning);
    if (open.length === 0 && this.server.openConnections === 0) {
      this.dispose();
      return;
    }
    this.closing = setTimeout(() => this.dispose(), this.options.closeGraceMs ?? DEFAULT_CLOSE_GRACE_MS);
    void Promise.all(open.map((r) => r.done)).then(() => {
      if (this.server.openConnections === 0) this.dispose();
    });
  }

  override dispose(): void {
    if (this.isDisposed) return;
    clearTimeout(this.closing);
    super.dispose();
    this._onDidDispose.fire();
    this._onDidDispose.dispose();
  }

  /** Reads the connection until its header is complete, then hands it to a new recording. */
  private accept(connection: TraceConnection): void {
    const decoder = new TraceDecoder();
    const chunks: Uint8Array[] = [];
    let bytes = 0;
    const max = this.options.maxHeaderBytes ?? DEFAULT_MAX_HEADER_BYTES;
    const onData = connection.onDidData((chunk) => {
      chunks.push(chunk);
      bytes += chunk.length;
      decoder.push(chunk);
      const header = decoder.trace.header;
      if (header) {
        stop();
        this.record(connection, header, chunks);
      } else if (decoder.failed || bytes > max) {
        stop();
        this.options.log.warn(
          `[${this.label}] dropped a trace connection that does not start like a trace: ${decoder.failed?.message ?? `no header in ${bytes} bytes`}`,
        );
        connection.destroy();
      }
    });
    const onClose = connection.onDidClose(() => {
      stop();
      if (bytes > 0) this.options.log.warn(`[${this.label}] a trace connection closed before its header was complete`);
    });
    const stop = (): void => {
      onData.dispose();
      onClose.dispose();
    };
  }

  private record(connection: TraceConnection, header: TraceHeader, chunks: readonly Uint8Array[]): void {
    if (this.isDisposed) {
      connection.destroy();
      return;
    }
    const stop = this.options.stopProgram;
    const recording = this.options.recordings.attach(
      { title: programTitle(header), header, stopProgram: stop && (() => stop(header.pid)) },
      connection,
      chunks,
    );
    this.options.log.info(`[${recording.title}] recording process ${header.pid} of ${this.label}`);
    this._recordings.push(recording);
    this._onDidRecord.fire(recording);
  }
}

/** `main.ts` for a program, `node` when there is none (a REPL, `node -e`). */
export function programTitle(header: Pick<TraceHeader, 'program'>): string {
  const program = header.program.trim().replace(/[\\/]+$/, '');
  if (!program) return 'node';
  // The program may come from another platform (a trace from Windows read on Linux): split on both separators.
  return program.split(/[\\/]/).at(-1) || program;
}
