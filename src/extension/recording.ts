// One recording: runs the user's program under the tracer (`node --require <tracer> <program>`), receives the
// trace over its own TraceServer, and hands the bytes on as numbered batches (at most one per
// `batchIntervalMs`), keeping them for snapshots up to a memory bound. It also passes on the program's
// stdout/stderr, reports how the program ended, and stops it (the whole process tree) on request. Plain Node,
// no `vscode`: spawning and killing come in through `ProcessHost`, so tests run it against real processes.

import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import type { RecordingState } from '../protocol/messages';
import type { TraceHeader } from '../protocol/trace';
import { Disposable, Emitter } from './dispose';
import type { Event } from './dispose';
import type { Logger } from './log';
import { resolveNode } from './nodeRuntime';
import { killProcessTree, programEnv, quoteForLog } from './processHost';
import type { ProcessHost } from './processHost';
import { TraceBuffer, formatBytes } from './traceBuffer';
import type { TraceBatch } from './traceBuffer';
import type { ProgramOutput, TraceRecording } from './traceRecording';
import { TraceServer } from './traceServer';

export type { ProcessHost } from './processHost';
export type { TraceBatch } from './traceBuffer';
export type { ProgramOutput } from './traceRecording';

export interface RecordingOptions {
  readonly id: string;
  readonly title: string;
  /** Absolute path of the program to run. */
  readonly program: string;
  readonly args?: readonly string[];
  readonly cwd: string;
  /** Absolute path of the tracer's entry (dist/tracer/register.cjs, preloaded with --require). */
  readonly tracerPath: string;
  /** The yieldscope.nodePath setting. */
  readonly nodePath?: string | undefined;
  /** Also write the trace to this file (YIELDSCOPE_OUT). */
  readonly traceFile?: string | undefined;
  /** Sample the heap at most once per this many ms (YIELDSCOPE_HEAP_MS; the gallery's sample 01). */
  readonly heapIntervalMs?: number | undefined;
  readonly maxKeptBytes?: number;
  readonly batchIntervalMs?: number;
  /** Between SIGTERM and SIGKILL when stopping. */
  readonly stopGraceMs?: number;
  /** How long to wait after the program exits for its output and trace to finish arriving. */
  readonly drainGraceMs?: number;
}

const DEFAULT_STOP_GRACE_MS = 2000;
const DEFAULT_DRAIN_GRACE_MS = 3000;
/** After the program's stdio closes, how long a tracer connection that has not arrived yet may take. */
const LATE_CONNECTION_MS = 250;

type Phase = 'created' | 'starting' | 'running' | 'finished';

export class Recording extends Disposable implements TraceRecording {
  private readonly _onDidOutput = this._register(new Emitter<ProgramOutput>((e) => this.listenerError(e)));
  private readonly _onDidEnd = this._register(new Emitter<RecordingState>((e) => this.listenerError(e)));
  private readonly buffer: TraceBuffer;
  /** Trace bytes in numbered batches. */
  readonly onDidBatch: Event<TraceBatch>;
  readonly onDidOutput = this._onDidOutput.event;
  /** Fires once, with an 'ended' or 'failed' state. */
  readonly onDidEnd = this._onDidEnd.event;
  /** Something the user should be told about (the memory bound was reached). */
  readonly onDidWarn: Event<string>;

  readonly id: string;
  readonly title: string;
  private phase: Phase = 'created';
  private _state: RecordingState = { kind: 'live' };
  private server: TraceServer | undefined;
  private child: ChildProcess | undefined;
  private spawned = false;
  private exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  private childClosed = false;
  private traceFinished = false;
  private stopRequested = false;
  private killSent = false;
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly log: Logger;

  private resolveDone!: (state: RecordingState) => void;
  /** Settles with the final state once the program has ended and everything is cleaned up. */
  readonly done = new Promise<RecordingState>((resolve) => (this.resolveDone = resolve));

  constructor(
    private readonly options: RecordingOptions,
    private readonly host: ProcessHost,
  ) {
    super();
    this.id = options.id;
    this.title = options.title;
    this.log = host.log;
    this.buffer = this._register(
      new TraceBuffer({
        title: options.title,
        log: host.log,
        maxKeptBytes: options.maxKeptBytes,
        batchIntervalMs: options.batchIntervalMs,
      }),
    );
    this.onDidBatch = this.buffer.onDidBatch;
    this.onDidWarn = this.buffer.onDidWarn;
  }

  get state(): RecordingState {
    return this._state;
  }
  /** Not yet ended: being started, or running. */
  get isRunning(): boolean {
    return this.phase !== 'finished';
  }
  /** Number of the last batch sent. */
  get batch(): number {
    return this.buffer.batch;
  }
  /** Events decoded from the batches sent so far. */
  get eventCount(): number {
    return this.buffer.eventCount;
  }
  get keptBytes(): number {
    return this.buffer.keptBytes;
  }
  /** Trace bytes received past the memory bound and thrown away. */
  get droppedBytes(): number {
    return this.buffer.droppedBytes;
  }
  get receivedBytes(): number {
    return this.buffer.receivedBytes;
  }
  get pid(): number | undefined {
    return this.child?.pid;
  }
  get header(): TraceHeader | undefined {
    return this.buffer.header;
  }

  flush(): void {
    if (this.phase !== 'finished') this.buffer.flush();
  }
  /** The private directory holding the socket while the recording runs (POSIX). */
  get tempDir(): string | undefined {
    return this.server?.tempDir;
  }

  /** Everything sent so far, as one array, and the number of the last batch in it. Do not modify the bytes. */
  snapshot(): { bytes: Uint8Array; batch: number } {
    return this.buffer.snapshot();
  }

  /** Starts the program. Failures do not throw: they end the recording in the 'failed' state. */
  async start(): Promise<void> {
    if (this.phase !== 'created') throw new Error('a recording starts once');
    this.phase = 'starting';
    const o = this.options;
    const node = resolveNode(o.nodePath, {
      platform: this.host.platform,
      env: this.host.env,
      execPath: this.host.execPath,
    });
    if (node.kind === 'not-found') return this.fail(node.message);
    if (!fs.existsSync(o.tracerPath))
      return this.fail(`The Yieldscope tracer is missing (${o.tracerPath}). Reinstall the extension.`);
    if (!fs.existsSync(o.program)) return this.fail(`The program ${o.program} does not exist.`);
    const token = randomBytes(32).toString('hex');
    try {
      this.server = this._register(await TraceServer.listen({ token, platform: this.host.platform, log: this.log }));
    } catch (e) {
      return this.fail(`Could not open the trace socket: ${errorMessage(e)}`);
    }
    if (this.stopRequested || this.isDisposed) {
      this.log.info(`[${this.title}] stopped before the program started`);
      return this.finish({ kind: 'ended', exitCode: null, signal: null });
    }
    this.server.onDidData((chunk) => this.buffer.push(chunk));
    this.server.onDidClose(() => this.onTraceClosed());

    const env = programEnv(this.host.env, node.env, { socket: this.server.address, token, traceFile: o.traceFile });
    if (o.heapIntervalMs !== undefined) env['YIELDSCOPE_HEAP_MS'] = String(o.heapIntervalMs);
    // --require, not --import: --import makes Node load a CommonJS entry through its ES module loader.
    const args = ['--require', o.tracerPath, o.program, ...(o.args ?? [])];
    this.log.info(`[${this.title}] starting ${node.description} ${args.map(quoteForLog).join(' ')} in ${o.cwd}`);
    let child: ChildProcess;
    try {
      child = this.host.spawn(node.command, args, {
        cwd: o.cwd,
        env,
        stdio: ['ignore', 'pipe', 'pipe'],
        // Its own process group on POSIX, so that stopping reaches the program's children too.
        detached: this.host.platform !== 'win32',
        windowsHide: true,
        shell: false,
      });
    } catch (e) {
      return this.fail(`Could not start ${node.command}: ${errorMessage(e)}`);
    }
    this.child = child;
    this.phase = 'running';
    child.once('spawn', () => {
      this.spawned = true;
      if (this.stopRequested) void this.stop();
    });
    child.on('error', (e: NodeJS.ErrnoException) => {
      if (this.spawned) {
        this.log.warn(`[${this.title}] ${e.message}`);
        return;
      }
      const hint = e.code === 'ENOENT' ? ` Check that Node.js exists there and that the folder ${o.cwd} exists.` : '';
      this.fail(`Could not start ${node.command}: ${e.message}.${hint}`);
    });
    for (const stream of ['stdout', 'stderr'] as const) {
      const readable = child[stream];
      readable?.setEncoding('utf8');
      readable?.on('data', (text: string) => this._onDidOutput.fire({ stream, text }));
    }
    child.once('exit', (code, signal) => this.onExit(code, signal));
    child.once('close', () => {
      this.childClosed = true;
      if (this.spawned && !this.server?.connected) {
        // A connection made just before the exit may still be queued; one that arrives is waited for.
        this.later(LATE_CONNECTION_MS, () => {
          if (!this.server?.connected) this.onTraceClosed();
        });
      }
      this.maybeFinish();
    });
  }

  /** Stops the program and its children: SIGTERM to the process group, SIGKILL after a grace period. */
  stop(): Promise<RecordingState> {
    if (this.phase === 'finished') return this.done;
    this.stopRequested = true;
    if (this.phase === 'running' && this.spawned && !this.killSent) {
      this.killSent = true;
      if (!this.exit) {
        this.log.info(`[${this.title}] stopping`);
        this.killTree('SIGTERM');
        // Not cleared when the recording finishes: it also reaches children that outlive the program.
        setTimeout(() => this.killTree('SIGKILL'), this.options.stopGraceMs ?? DEFAULT_STOP_GRACE_MS).unref();
      } else {
        this.killTree('SIGKILL'); // the program is gone; what still holds its output open goes too
        this.finish(this.endedState());
      }
    }
    return this.done;
  }

  override dispose(): void {
    if (this.phase !== 'finished') {
      if (this.spawned && !this.exit) this.killTree('SIGKILL');
      this.finish(
        this.spawned
          ? { kind: 'ended', exitCode: null, signal: 'SIGKILL' }
          : { kind: 'failed', message: 'Closed before the program started.' },
      );
    }
    super.dispose();
  }

  private onTraceClosed(): void {
    if (this.traceFinished) return;
    this.traceFinished = true;
    this.maybeFinish();
  }

  private onExit(code: number | null, signal: NodeJS.Signals | null): void {
    this.exit = { code, signal };
    this.log.info(`[${this.title}] the program exited (${signal ? `signal ${signal}` : `code ${code}`})`);
    // Output or trace bytes held open by a leftover child must not keep the recording alive for ever.
    this.later(this.options.drainGraceMs ?? DEFAULT_DRAIN_GRACE_MS, () => {
      if (this.phase === 'finished') return;
      this.log.warn(`[${this.title}] still receiving output after the program exited; closing the recording`);
      this.finish(this.endedState());
    });
    this.maybeFinish();
  }

  private maybeFinish(): void {
    if (this.exit && this.childClosed && this.traceFinished) this.finish(this.endedState());
  }

  private endedState(): RecordingState {
    return { kind: 'ended', exitCode: this.exit?.code ?? null, signal: this.exit?.signal ?? null };
  }

  private fail(message: string): void {
    this.log.error(`[${this.title}] ${message}`);
    this.finish({ kind: 'failed', message });
  }

  private finish(state: RecordingState): void {
    if (this.phase === 'finished') return;
    this.phase = 'finished';
    this.buffer.flush();
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    this.child?.stdout?.destroy();
    this.child?.stderr?.destroy();
    if (this.spawned && this.server && !this.server.connected) {
      this.log.warn(
        `[${this.title}] the tracer never connected: the program ran without a trace (it needs Node.js 20.6 or newer)`,
      );
    }
    const dropped = this.buffer.droppedBytes;
    if (dropped) this.log.warn(`[${this.title}] ${formatBytes(dropped)} of trace past the memory limit were not kept`);
    this.server?.dispose();
    this._state = state;
    this._onDidEnd.fire(state);
    this.resolveDone(state);
  }

  private killTree(signal: NodeJS.Signals): void {
    const pid = this.child?.pid;
    if (pid !== undefined) killProcessTree(this.host, pid, signal);
  }

  private later(ms: number, fn: () => void): void {
    const t = setTimeout(() => {
      this.timers.delete(t);
      fn();
    }, ms);
    this.timers.add(t);
  }

  private listenerError(e: unknown): void {
    this.log.error(`[${this.title}] a listener failed: ${errorMessage(e)}`);
  }
}

function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
