// Debugging sessions and their traces, without `vscode`: debugSessions.ts feeds it what VS Code says (a
// configuration to resolve, sessions starting and ending, the debug adapter's `stopped` and `continued` events)
// and reads back which recording belongs to which session and what a paused session shows.
//
// Each traced launch gets a `TraceChannel` of its own; the configuration carries the channel's key, so the session
// that starts from it (and, through `parentSession`, the JavaScript debugger's child sessions, one per process)
// finds it. A session is paired with the recording of its process by process id (from the session's name, which
// the JavaScript debugger ends with `[pid]`, or from the program itself when it pauses); failing that, with its
// channel's newest recording. When a session stops, the tracer in the paused program is asked to write out what it
// holds (the drain worker delivers while the main thread is paused), the recording is flushed once the bytes stop
// coming, and then the pause is published: views show the state at that moment.

import { markerOf, withTracer } from './debugConfig';
import type { DebugConfig, Marker } from './debugConfig';
import { Disposable, Emitter } from './dispose';
import type { Logger } from './log';
import type { Recordings } from './recordings';
import { TraceChannel } from './traceChannel';
import type { TraceRecording } from './traceRecording';

/** The parts of `vscode.DebugSession` used here. */
export interface DebugSessionLike {
  readonly id: string;
  readonly name: string;
  readonly type: string;
  readonly parentSession?: DebugSessionLike | undefined;
  readonly configuration: DebugConfig;
  customRequest(command: string, args?: unknown): PromiseLike<unknown>;
}

export interface FrameLocation {
  /** A local path or a URL, as the debug adapter gives it. */
  readonly path: string;
  /** 1-based. */
  readonly line: number;
  /** 1-based. */
  readonly column: number;
  readonly name: string;
}

/** What the tracer said when asked, at a pause, to write out the records it holds. */
export type TracerAnswer = 'flushed' | 'no-flush' | 'no-tracer' | 'unknown';

export interface PauseState {
  readonly recordingId: string | undefined;
  readonly threadId: number;
  readonly reason: string;
  /** The top frame where the program stopped. */
  readonly frame: FrameLocation | undefined;
  readonly tracer: TracerAnswer;
  /** When a break on a coroutine event paused it: the coroutine's id (its frame names it). */
  readonly coroutine?: number | undefined;
}

export type SessionState =
  | { readonly kind: 'running' }
  /** Stopped; the trace is still being gathered. */
  | { readonly kind: 'settling' }
  | { readonly kind: 'paused'; readonly pause: PauseState };

export interface DebugTracesOptions {
  readonly recordings: Recordings;
  readonly log: Logger;
  readonly platform: NodeJS.Platform;
  /** dist/tracer/register.cjs. */
  readonly tracerPath: string;
  /** Ends a debugging session (VS Code's `debug.stopDebugging`). */
  readonly stopSession: (session: DebugSessionLike) => void;
  /** A channel no session claims within this time is closed. */
  readonly unclaimedMs?: number;
  /** At a pause, the trace counts as complete once no bytes came for this long. */
  readonly quietMs?: number;
  /** At a pause, the longest wait for the trace. */
  readonly settleMs?: number;
  /** Where channels put their private folders (tests). */
  readonly tmpdir?: string;
}

/**
 * Evaluated in the paused program: asks the tracer to write out what it holds and start delivering if it has
 * not yet, and says which process this is. It reads only the tracer's own global and `process.pid`.
 */
export const FLUSH_EXPRESSION =
  "(() => { const t = globalThis[Symbol.for('yieldscope.tracer')]; " +
  "const pid = typeof process === 'object' && process ? process.pid : 0; " +
  "if (!t) return 'yieldscope:no-tracer:' + pid; " +
  "if (typeof t.flush !== 'function') return 'yieldscope:no-flush:' + pid; " +
  "t.flush(); return 'yieldscope:flushed:' + pid; })()";

const DEFAULT_UNCLAIMED_MS = 60_000;
const DEFAULT_QUIET_MS = 150;
const DEFAULT_SETTLE_MS = 2000;
const POLL_MS = 25;
/** A debug terminal lives long and starts many processes (test runs); a launch's channel takes 64. */
const UNOWNED_MAX_CONNECTIONS = 1024;

interface ChannelEntry {
  readonly channel: TraceChannel;
  readonly origin: Marker['origin'];
  owner: string | undefined;
  unclaimed: NodeJS.Timeout | undefined;
}

interface SessionEntry {
  readonly session: DebugSessionLike;
  /** The process, as the program itself said at a pause. */
  pid: number | undefined;
  state: SessionState;
  /** Counts stops and continues, so that a stale pause is not published. */
  generation: number;
}

export class DebugTraces extends Disposable {
  private readonly _onDidChange = this._register(new Emitter<DebugSessionLike>());
  /** A session's recording or state changed (it started, stopped, continued, ended, or its trace arrived). */
  readonly onDidChange = this._onDidChange.event;
  private readonly _onDidOpenChannel = this._register(
    new Emitter<{ channel: TraceChannel; origin: Marker['origin'] }>(),
  );
  readonly onDidOpenChannel = this._onDidOpenChannel.event;
  /** Channels that sessions may still claim or use, by key. */
  private readonly channels = new Map<string, ChannelEntry>();
  /** Every channel not yet disposed, those closing included. */
  private readonly live = new Set<TraceChannel>();
  private readonly sessions = new Map<string, SessionEntry>();

  constructor(private readonly options: DebugTracesOptions) {
    super();
  }

  /**
   * Adds the tracer to a launch configuration, with a new trace channel for it. A configuration that already
   * carries a live channel (a restart) keeps it.
   */
  async inject(config: DebugConfig, marker: Marker, label: string): Promise<DebugConfig> {
    const existing = marker.channel === undefined ? undefined : this.channels.get(marker.channel);
    if (existing && !existing.channel.isClosing) return config;
    const channel = await this.openChannel(label);
    this.adoptChannel(channel, marker.origin, this.options.unclaimedMs ?? DEFAULT_UNCLAIMED_MS);
    return withTracer(config, marker, {
      tracerPath: this.options.tracerPath,
      channel: { key: channel.key, env: { ...channel.env } },
    });
  }

  /**
   * A channel that no configuration names (a JavaScript Debug Terminal): its processes' sessions are paired by
   * process id. The caller closes it.
   */
  async openUnownedChannel(label: string): Promise<TraceChannel> {
    const channel = await this.openChannel(label, UNOWNED_MAX_CONNECTIONS);
    this.adoptChannel(channel, 'all', undefined);
    return channel;
  }

  sessionStarted(session: DebugSessionLike): void {
    if (this.sessions.has(session.id)) return;
    const key = markerOf(session.configuration)?.channel;
    const entry = key === undefined ? undefined : this.channels.get(key);
    if (entry && entry.owner === undefined) {
      entry.owner = session.id;
      clearTimeout(entry.unclaimed);
      entry.unclaimed = undefined;
    }
    this.sessions.set(session.id, { session, pid: undefined, state: { kind: 'running' }, generation: 0 });
    if (this.isTraced(session)) this._onDidChange.fire(session);
  }

  sessionEnded(session: DebugSessionLike): void {
    const known = this.sessions.delete(session.id);
    for (const [key, entry] of this.channels) {
      if (entry.owner !== session.id) continue;
      this.channels.delete(key);
      if (entry.origin === 'launch' && entry.channel.recordings.length === 0) {
        this.options.log.warn(
          `[${entry.channel.label}] the program sent no trace: the tracer needs Node.js 20.6 or newer, and a program that Node runs (not a shell script)`,
        );
      }
      entry.channel.close();
    }
    if (known) this._onDidChange.fire(session);
  }

  /** The debug adapter said the program stopped: gather the trace up to here, then publish the pause. */
  async stopped(session: DebugSessionLike, threadId: number, reason: string): Promise<void> {
    const entry = this.sessions.get(session.id);
    if (!entry || !this.isTraced(session)) return;
    const generation = ++entry.generation;
    entry.state = { kind: 'settling' };
    this._onDidChange.fire(session);
    const frame = await topFrame(session, threadId);
    const answer = await askTracer(session, frame?.id);
    const coroutine = frame?.name === BREAK_FRAME ? await brokenCoroutine(session, frame.id) : undefined;
    if (answer.pid) entry.pid = answer.pid;
    if (answer.kind === 'no-flush')
      this.options.log.info(
        `[${session.name}] the tracer cannot write out what it holds at a pause; showing what arrived`,
      );
    else if (answer.kind === 'flushed')
      this.options.log.info(`[${session.name}] paused (${reason}); the tracer wrote out what it held`);
    const recording = await this.settle(session, () => entry.generation === generation);
    if (entry.generation !== generation || this.sessions.get(session.id) !== entry) return;
    entry.state = {
      kind: 'paused',
      pause: {
        recordingId: recording?.id,
        threadId,
        reason,
        frame: frame && { path: frame.path, line: frame.line, column: frame.column, name: frame.name },
        tracer: answer.kind,
        coroutine,
      },
    };
    this._onDidChange.fire(session);
  }

  continued(session: DebugSessionLike): void {
    const entry = this.sessions.get(session.id);
    if (!entry || entry.state.kind === 'running') return;
    entry.generation++;
    entry.state = { kind: 'running' };
    this._onDidChange.fire(session);
  }

  /**
   * True when the session's program is traced by one of our channels, or may be: a traced debug terminal is open
   * and the process's trace has not come yet.
   */
  isTraced(session: DebugSessionLike): boolean {
    if (this.channelOf(session)) return true;
    const pid = this.pidOf(session);
    if (pid !== undefined && this.byPid(pid) !== undefined) return true;
    return [...this.channels.values()].some((e) => e.origin === 'all' && e.owner === undefined && !e.unclaimed);
  }

  /** The session's state, if it is a traced one. */
  stateOf(session: DebugSessionLike): SessionState | undefined {
    return this.sessions.get(session.id)?.state;
  }

  /** The recording of the session's process: by process id, else its channel's newest. */
  recordingOf(session: DebugSessionLike): TraceRecording | undefined {
    const pid = this.pidOf(session);
    const found = pid === undefined ? undefined : this.byPid(pid);
    if (found) return found;
    const channel = this.channelOf(session);
    if (!channel) return undefined;
    const all = channel.recordings;
    return all.findLast((r) => r.isRunning) ?? all.at(-1);
  }

  /** The sessions whose program's trace has arrived (its tracer is loaded and can be asked things). */
  tracedSessions(): DebugSessionLike[] {
    return [...this.sessions.values()].map((e) => e.session).filter((s) => this.recordingOf(s) !== undefined);
  }

  override dispose(): void {
    for (const entry of this.channels.values()) clearTimeout(entry.unclaimed);
    this.channels.clear();
    this.sessions.clear();
    for (const channel of [...this.live]) channel.dispose();
    super.dispose();
  }

  /** Channels open now (closing ones included): what is left to clean up. */
  get openChannels(): number {
    return this.live.size;
  }

  private async openChannel(label: string, maxConnections?: number): Promise<TraceChannel> {
    const channel: TraceChannel = await TraceChannel.open({
      maxConnections,
      recordings: this.options.recordings,
      log: this.options.log,
      platform: this.options.platform,
      label,
      stopProgram: (pid) => this.stopProcess(channel.key, pid),
      tmpdir: this.options.tmpdir,
    });
    if (this.isDisposed) {
      channel.dispose();
      throw new Error('Yieldscope is shutting down');
    }
    this.live.add(channel);
    channel.onDidDispose(() => {
      this.live.delete(channel);
      const entry = this.channels.get(channel.key);
      if (entry?.channel === channel) {
        clearTimeout(entry.unclaimed);
        this.channels.delete(channel.key);
      }
    });
    return channel;
  }

  private adoptChannel(channel: TraceChannel, origin: Marker['origin'], unclaimedMs: number | undefined): void {
    const entry: ChannelEntry = { channel, origin, owner: undefined, unclaimed: undefined };
    if (unclaimedMs !== undefined) {
      entry.unclaimed = setTimeout(() => {
        this.options.log.info(`[${channel.label}] no debugging session started with its trace socket; closing it`);
        this.channels.delete(channel.key);
        channel.close();
      }, unclaimedMs);
    }
    this.channels.set(channel.key, entry);
    channel.onDidRecord((recording) => {
      for (const s of this.sessions.values()) {
        if (this.recordingOf(s.session) === recording) this._onDidChange.fire(s.session);
      }
      recording.onDidEnd(() => this.changedRecording(recording));
    });
    this._onDidOpenChannel.fire({ channel, origin });
  }

  private changedRecording(recording: TraceRecording): void {
    for (const s of this.sessions.values()) {
      if (this.recordingOf(s.session) === recording) this._onDidChange.fire(s.session);
    }
  }

  /** Waits for the session's recording to exist and for its bytes to stop coming; flushes it. */
  private async settle(session: DebugSessionLike, current: () => boolean): Promise<TraceRecording | undefined> {
    const quietMs = this.options.quietMs ?? DEFAULT_QUIET_MS;
    const until = Date.now() + (this.options.settleMs ?? DEFAULT_SETTLE_MS);
    let recording = this.recordingOf(session);
    let lastBytes = -1;
    let quietSince = Date.now();
    while (Date.now() < until && this.sessions.has(session.id) && current()) {
      recording = this.recordingOf(session);
      if (recording) {
        const bytes = recording.receivedBytes;
        if (bytes !== lastBytes) {
          lastBytes = bytes;
          quietSince = Date.now();
        } else if (Date.now() - quietSince >= quietMs || !recording.isRunning) {
          break;
        }
      }
      await sleep(POLL_MS);
    }
    recording?.flush();
    return recording;
  }

  private channelOf(session: DebugSessionLike): TraceChannel | undefined {
    for (let s: DebugSessionLike | undefined = session; s; s = s.parentSession) {
      const key = markerOf(s.configuration)?.channel;
      if (key !== undefined) return this.channels.get(key)?.channel;
    }
    return undefined;
  }

  private pidOf(session: DebugSessionLike): number | undefined {
    return this.sessions.get(session.id)?.pid ?? pidFromSessionName(session.name);
  }

  private byPid(pid: number): TraceRecording | undefined {
    let found: TraceRecording | undefined;
    for (const { channel } of this.channels.values()) {
      for (const r of channel.recordings) if (r.pid === pid) found = r; // the newest: pids are reused
    }
    return found;
  }

  private stopProcess(channelKey: string, pid: number): void {
    const sessions = [...this.sessions.values()].map((e) => e.session);
    const own = sessions.find((s) => this.pidOf(s) === pid);
    const owner = this.channels.get(channelKey)?.owner;
    const target = own ?? sessions.find((s) => s.id === owner);
    if (target) this.options.stopSession(target);
    else this.options.log.warn(`no debugging session to stop for process ${pid}`);
  }
}

/**
 * The JavaScript debugger names a process's session `main.ts [1234]`, and VS Code may add the parent's name
 * (`main.ts [1234] « Visualize sample`): the first `[digits]` is the process id.
 */
export function pidFromSessionName(name: string): number | undefined {
  const m = /\[(\d+)\]/.exec(name);
  const pid = m ? Number(m[1]) : NaN;
  return Number.isSafeInteger(pid) && pid > 0 ? pid : undefined;
}

/** Parses what FLUSH_EXPRESSION evaluated to (the adapter may quote a string result). */
export function parseTracerAnswer(result: unknown): { kind: TracerAnswer; pid: number | undefined } {
  const text = typeof result === 'string' ? result : '';
  const m = /yieldscope:(flushed|no-flush|no-tracer):(\d+)/.exec(text);
  if (!m) return { kind: 'unknown', pid: undefined };
  const pid = Number(m[2]);
  return { kind: m[1] as TracerAnswer, pid: pid > 0 ? pid : undefined };
}

async function topFrame(
  session: DebugSessionLike,
  threadId: number,
): Promise<(FrameLocation & { id: number }) | undefined> {
  try {
    const body = (await session.customRequest('stackTrace', { threadId, startFrame: 0, levels: 1 })) as {
      stackFrames?: { id: number; name: string; line: number; column: number; source?: { path?: string } }[];
    };
    const f = body?.stackFrames?.[0];
    if (!f || typeof f.id !== 'number') return undefined;
    const path = f.source?.path;
    return typeof path === 'string'
      ? { id: f.id, name: String(f.name), line: f.line, column: f.column, path }
      : { id: f.id, name: String(f.name), line: f.line, column: f.column, path: '' };
  } catch {
    return undefined;
  }
}

async function askTracer(
  session: DebugSessionLike,
  frameId: number | undefined,
): Promise<{ kind: TracerAnswer; pid: number | undefined }> {
  try {
    const body = (await session.customRequest('evaluate', {
      expression: FLUSH_EXPRESSION,
      context: 'watch',
      ...(frameId !== undefined && { frameId }),
    })) as { result?: unknown };
    return parseTracerAnswer(body?.result);
  } catch {
    return { kind: 'unknown', pid: undefined };
  }
}

/** The function the tracer pauses in for a break on a coroutine event (src/tracer/runtime/breakOn.ts). */
export const BREAK_FRAME = 'yieldscopeBreak';

/** The coroutine a break on a coroutine event names: its `coroutine` argument is a label like `counter#3`. */
async function brokenCoroutine(session: DebugSessionLike, frameId: number): Promise<number | undefined> {
  try {
    const body = (await session.customRequest('evaluate', { expression: 'coroutine', context: 'watch', frameId })) as {
      result?: unknown;
    };
    const m = /#(\d{1,15})['"]?$/.exec(typeof body?.result === 'string' ? body.result : '');
    return m ? Number(m[1]) : undefined;
  } catch {
    return undefined;
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
