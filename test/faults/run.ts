// Runs the faults suite's programs: plainly, under the tracer, or through `yieldscope run`, with standard input,
// output of any size, and a signal sent to the program's process group once it prints a marker or after a delay.
// The tracer harness (../tracer/harness.ts) runs programs synchronously, caps their output at 1 MB and cannot
// signal a running program; this adds those and reuses its paths and its list of Node versions. Also reads traces
// of any size with bounded memory, and holds the assertions every misbehaving program shares.

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TraceDecoder } from '../../src/protocol/codec';
import type { EndReasonName, Trace, TraceEvent, TraceHeader } from '../../src/protocol/trace';
import { REGISTER, ROOT } from '../tracer/harness';

export { testNodes } from '../tracer/harness';
export const FAULT_FIXTURES = join(__dirname, 'fixtures');
export const CLI = join(ROOT, 'dist', 'cli', 'yieldscope.js');

export interface StopWhen {
  readonly signal: NodeJS.Signals;
  /** Wait for this text on stdout first (from the start when absent). */
  readonly onOutput?: string;
  /** Then wait this long. */
  readonly delayMs: number;
}

export interface RunOptions {
  readonly input?: string;
  readonly env?: Readonly<Record<string, string>>;
  /** Options for node itself, before the program (and before the tracer's --require). */
  readonly nodeArgs?: readonly string[];
  readonly stop?: StopWhen;
  /** Hard limit: the process group is killed (SIGKILL) and the run marked timed out. */
  readonly timeoutMs?: number;
}

export interface Run {
  readonly stdout: Buffer;
  readonly stderr: string;
  readonly status: number | null;
  readonly signal: NodeJS.Signals | null;
  /** Wall-clock milliseconds from spawn to exit. */
  readonly ms: number;
  readonly timedOut: boolean;
}

export interface TracedRun extends Run {
  /** Where the tracer (or the CLI) was told to write the trace. */
  readonly traceFile: string;
}

/** Environment without anything of ours or of the test runner that could change how node behaves. */
function cleanEnv(extra: Readonly<Record<string, string>> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (k.startsWith('YIELDSCOPE_') || k === 'NODE_OPTIONS' || k.startsWith('MOCHA') || k === 'TSX_TSCONFIG_PATH')
      continue;
    env[k] = v;
  }
  return { ...env, ...extra };
}

let scratch: string | undefined;
/** A private folder for this test process's traces; `cleanupFaultScratch` removes it. */
export function faultScratch(): string {
  scratch ??= mkdtempSync(join(tmpdir(), 'ys-faults-'));
  return scratch;
}

export function cleanupFaultScratch(): void {
  if (scratch) rmSync(scratch, { recursive: true, force: true });
  scratch = undefined;
}

let runs = 0;
/** A fresh trace path in the scratch folder. */
export function freshTracePath(): string {
  return join(faultScratch(), `trace-${process.pid}-${++runs}.ystrace`);
}

/** Spawns `command` in its own process group, feeds `input`, collects all output, and stops it as asked. */
function spawnRun(command: string, args: readonly string[], cwd: string, env: NodeJS.ProcessEnv, o: RunOptions) {
  return new Promise<Run>((resolve, reject) => {
    const started = performance.now();
    const child = spawn(command, args, { cwd, env, stdio: ['pipe', 'pipe', 'pipe'], detached: true });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let timedOut = false;
    const timers: NodeJS.Timeout[] = [];
    const killGroup = (signal: NodeJS.Signals): void => {
      try {
        process.kill(-child.pid!, signal);
      } catch {
        // already gone
      }
    };
    const stop = o.stop;
    let seen = '';
    let armed = false;
    const arm = (): void => {
      if (armed || !stop) return;
      armed = true;
      timers.push(setTimeout(() => killGroup(stop.signal), stop.delayMs));
    };
    if (stop && stop.onOutput === undefined) arm();
    child.stdout.on('data', (chunk: Buffer) => {
      out.push(chunk);
      if (stop?.onOutput !== undefined && !armed) {
        seen = (seen + chunk.toString('utf8')).slice(-4096);
        if (seen.includes(stop.onOutput)) arm();
      }
    });
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    child.stdin.on('error', () => {}); // a program that exits without reading its input
    child.stdin.end(o.input ?? '');
    timers.push(
      setTimeout(() => {
        timedOut = true;
        killGroup('SIGKILL');
      }, o.timeoutMs ?? 60_000),
    );
    child.on('error', reject);
    child.on('close', (status, signal) => {
      for (const t of timers) clearTimeout(t);
      killGroup('SIGKILL'); // whatever the program left behind
      resolve({
        stdout: Buffer.concat(out),
        stderr: Buffer.concat(err).toString('utf8'),
        status,
        signal,
        ms: performance.now() - started,
        timedOut,
      });
    });
  });
}

/** Runs `node [nodeArgs] program [args]` without the tracer. */
export function runPlainAsync(node: string, args: readonly string[], cwd: string, o: RunOptions = {}): Promise<Run> {
  return spawnRun(node, [...(o.nodeArgs ?? []), ...args], cwd, cleanEnv(o.env), o);
}

/** Runs `node [nodeArgs] --require <tracer> program [args]`, writing the trace into the scratch folder. */
export async function runTracedAsync(
  node: string,
  args: readonly string[],
  cwd: string,
  o: RunOptions = {},
): Promise<TracedRun> {
  const traceFile = freshTracePath();
  const env = cleanEnv({ YIELDSCOPE_OUT: traceFile, YIELDSCOPE_CACHE: join(faultScratch(), 'cache'), ...o.env });
  const run = await spawnRun(node, [...(o.nodeArgs ?? []), '--require', REGISTER, ...args], cwd, env, o);
  return { ...run, traceFile };
}

/**
 * Runs `yieldscope run --out <trace> --quiet program [args]` with `node` (the CLI runs the program with the same
 * node). A stop signal goes to the whole process group, as Ctrl+C in a terminal does: the CLI waits for the
 * program and then makes sure the trace says how it ended.
 */
export async function runCli(
  node: string,
  args: readonly string[],
  cwd: string,
  o: RunOptions = {},
): Promise<TracedRun> {
  const traceFile = freshTracePath();
  const env = cleanEnv({ YIELDSCOPE_CACHE: join(faultScratch(), 'cache'), ...o.env });
  const run = await spawnRun(node, [CLI, 'run', '--out', traceFile, '--quiet', ...args], cwd, env, o);
  return { ...run, traceFile };
}

/** What a streaming read of a trace file found, keeping only the first and last events. */
export interface TraceScan {
  readonly header: TraceHeader | undefined;
  readonly problems: readonly string[];
  readonly files: Trace['files'];
  readonly sites: Trace['sites'];
  readonly bytes: number;
  readonly count: number;
  readonly kinds: ReadonlyMap<string, number>;
  /** The first `keepHead` events. */
  readonly head: readonly TraceEvent[];
  /** The last `keepTail` events. */
  readonly tail: readonly TraceEvent[];
  /** Every event's seq is one more than the one before, from 0 (no gaps, no dropped records). */
  readonly contiguous: boolean;
}

/**
 * Reads a trace file in 1 MB chunks with the streaming decoder, forgetting events as it goes, so a trace of any
 * size costs little memory. `check` sees every event, in order. A missing file reads as an empty one.
 */
export function scanTrace(
  file: string,
  opts: { keepHead?: number; keepTail?: number; check?: (ev: TraceEvent) => void } = {},
): TraceScan {
  const keepHead = opts.keepHead ?? 10_000;
  const keepTail = opts.keepTail ?? 50;
  const decoder = new TraceDecoder();
  const head: TraceEvent[] = [];
  let tail: TraceEvent[] = [];
  const kinds = new Map<string, number>();
  let count = 0;
  let contiguous = true;
  let bytes = 0;
  const take = (added: readonly TraceEvent[]): void => {
    for (const ev of added) {
      if (ev.seq !== count) contiguous = false;
      count++;
      kinds.set(ev.kind, (kinds.get(ev.kind) ?? 0) + 1);
      if (head.length < keepHead) head.push(ev);
      opts.check?.(ev);
    }
    tail = [...tail, ...added.slice(-keepTail)].slice(-keepTail);
    decoder.trace.events.length = 0;
  };
  let fd = -1;
  try {
    fd = openSync(file, 'r');
  } catch {
    // no file: the decoder says the input is not a trace
  }
  if (fd >= 0) {
    try {
      const chunk = Buffer.alloc(1 << 20);
      for (;;) {
        const n = readSync(fd, chunk, 0, chunk.length, null);
        if (n === 0) break;
        bytes += n;
        take(decoder.push(new Uint8Array(chunk.subarray(0, n))));
      }
    } finally {
      closeSync(fd);
    }
  }
  const trace = decoder.finish();
  return {
    header: trace.header,
    problems: trace.problems,
    files: trace.files,
    sites: trace.sites,
    bytes,
    count,
    kinds,
    head,
    tail,
    contiguous,
  };
}

/** Size of a file in bytes, or -1 when it does not exist. */
export function fileSize(file: string): number {
  try {
    return statSync(file).size;
  } catch {
    return -1;
  }
}

/** The program behaved exactly as it does without the tracer. */
export function assertSameRun(plain: Run, traced: Run, what: string): void {
  assert.equal(traced.timedOut, false, `${what}: the traced run timed out`);
  assert.equal(plain.timedOut, false, `${what}: the plain run timed out`);
  if (!traced.stdout.equals(plain.stdout)) {
    assert.equal(
      traced.stdout.toString('utf8').slice(0, 20_000),
      plain.stdout.toString('utf8').slice(0, 20_000),
      `${what}: stdout differs (${traced.stdout.length} bytes traced, ${plain.stdout.length} plain)`,
    );
    assert.fail(`${what}: stdout differs after its first 20,000 characters`);
  }
  assert.equal(traced.stderr, plain.stderr, `${what}: stderr`);
  assert.equal(traced.status, plain.status, `${what}: exit code`);
  assert.equal(traced.signal, plain.signal, `${what}: signal`);
}

/** The trace is whole (no damage, no dropped events, no gaps in seq) and its last event is how the run ended. */
export function assertEndsWith(
  scan: TraceScan,
  end: { reason: EndReasonName; exitCode: number; error?: RegExp },
  what: string,
): void {
  assert.ok(scan.header, `${what}: the trace has no header (${scan.problems.join('; ')})`);
  assert.deepEqual(scan.problems, [], `${what}: the trace is damaged`);
  assert.equal(scan.kinds.get('dropped') ?? 0, 0, `${what}: events were dropped`);
  assert.ok(scan.contiguous, `${what}: seq numbers have gaps`);
  assert.equal(scan.kinds.get('end'), 1, `${what}: expected exactly one end record`);
  const last = scan.tail.at(-1);
  assert.ok(last?.kind === 'end', `${what}: the last event is ${last?.kind}, not the end`);
  assert.equal(last.reason, end.reason, `${what}: end reason`);
  assert.equal(last.exitCode, end.exitCode, `${what}: end exit code`);
  if (end.error) assert.match(last.error?.text ?? '(none)', end.error, `${what}: end error`);
}

/** The events of coroutines whose function is named `fn`. */
export function eventsOf(scan: Pick<TraceScan, 'head' | 'sites'>, fn: string): TraceEvent[] {
  const ids = new Set<number>();
  for (const ev of scan.head) {
    if (ev.kind === 'create' && scan.sites.get(ev.site)?.name === fn) ids.add(ev.co);
  }
  return scan.head.filter((ev) => ids.has(ev.co));
}

/** "kind value" lines for a coroutine's events, for readable comparisons. */
export function describeEvents(events: readonly TraceEvent[]): string[] {
  return events.map((ev) => {
    switch (ev.kind) {
      case 'yield':
      case 'return':
        return `${ev.kind} ${ev.value.text}`;
      case 'resume':
        return `resume ${ev.mode} ${ev.value.text}`;
      case 'throw':
        return `throw ${ev.error.text}`;
      default:
        return ev.kind;
    }
  });
}
