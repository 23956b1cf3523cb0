// The recording module against real processes: a fixture program run under a fake tracer that speaks the
// tracer's socket protocol. Checks the token, the batches, output capture, exit reports, stopping the whole
// process tree, clean-up, and the failures a user can meet (no Node.js, a missing program).

import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { decodeTrace } from '../../../src/protocol/codec';
import { Recording } from '../../../src/extension/recording';
import type { ProgramOutput, RecordingOptions, TraceBatch } from '../../../src/extension/recording';
import type { ProcessHost } from '../../../src/extension/processHost';
import {
  FAKE_TRACER,
  FIXTURES,
  concatBytes,
  isAlive,
  memoryLogger,
  tempTraceFile,
  testHost,
  traceBytes,
  waitFor,
} from './helpers';
import type { MemoryLogger } from './helpers';

describe('extension/recording', function () {
  this.timeout(20_000);
  let dir: string;
  const recordings: Recording[] = [];
  const strays: number[] = [];

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ys-rec-test-'));
  });
  afterEach(() => {
    for (const r of recordings.splice(0)) r.dispose();
    for (const pid of strays.splice(0)) if (isAlive(pid)) process.kill(pid, 'SIGKILL');
    fs.rmSync(dir, { recursive: true, force: true });
  });

  function record(
    program: string,
    options: Partial<RecordingOptions> & { env?: Record<string, string>; host?: Partial<ProcessHost> } = {},
  ): { recording: Recording; log: MemoryLogger; batches: TraceBatch[]; output: ProgramOutput[] } {
    const log = memoryLogger();
    const { env, host, ...rest } = options;
    const recording = new Recording(
      {
        id: 'r1',
        title: path.basename(program),
        program: path.join(FIXTURES, program),
        cwd: dir,
        tracerPath: FAKE_TRACER,
        ...rest,
      },
      testHost(log, env, host),
    );
    recordings.push(recording);
    const batches: TraceBatch[] = [];
    const output: ProgramOutput[] = [];
    recording.onDidBatch((b) => batches.push(b));
    recording.onDidOutput((o) => output.push(o));
    void recording.start();
    return { recording, log, batches, output };
  }

  const text = (output: ProgramOutput[], stream: 'stdout' | 'stderr'): string =>
    output
      .filter((o) => o.stream === stream)
      .map((o) => o.text)
      .join('');

  it('streams the trace in numbered batches whose concatenation is what the tracer sent', async () => {
    const sent = traceBytes(400);
    const { recording, batches } = record('hello.mjs', {
      env: { FAKE_TRACE_FILE: tempTraceFile(dir, sent), FAKE_CHUNKS: '40', FAKE_DELAY_MS: '10' },
      batchIntervalMs: 50,
    });
    const state = await recording.done;
    assert.deepEqual(state, { kind: 'ended', exitCode: 0, signal: null });
    assert.ok(batches.length >= 2, `expected several batches, got ${batches.length}`);
    assert.ok(batches.length < 40, `batches should be throttled, got ${batches.length} for 40 writes`);
    assert.deepEqual(
      batches.map((b) => b.batch),
      batches.map((_, i) => i + 1),
    );
    assert.deepEqual(concatBytes(batches.map((b) => b.bytes)), sent);
    const snap = recording.snapshot();
    assert.deepEqual(snap.bytes, sent);
    assert.equal(snap.batch, batches.length);
    assert.equal(recording.eventCount, 400);
    assert.equal(decodeTrace(snap.bytes).events.length, 400);
  });

  it('captures stdout and stderr and reports the exit code', async () => {
    const { recording, output } = record('hello.mjs', { args: ['3'] });
    const state = await recording.done;
    assert.deepEqual(state, { kind: 'ended', exitCode: 3, signal: null });
    assert.equal(text(output, 'stdout'), 'hello out\nsecond line\n');
    assert.equal(text(output, 'stderr'), 'hello err\n');
  });

  it('turns the heap sampler on (YIELDSCOPE_HEAP_MS) when asked, as the gallery does for sample 01, and only then', async () => {
    const seen: (string | undefined)[] = [];
    const spawn: ProcessHost['spawn'] = (command, args, options) => {
      seen.push(options.env?.['YIELDSCOPE_HEAP_MS']);
      return testHost(memoryLogger()).spawn(command, args, options);
    };
    for (const heapIntervalMs of [5, undefined]) {
      const { recording } = record('hello.mjs', { heapIntervalMs, host: { spawn } });
      assert.equal((await recording.done).kind, 'ended');
    }
    assert.deepEqual(seen, ['5', undefined]);
  });

  it('refuses a connection with the wrong token and records nothing from it', async () => {
    const { recording, log, batches, output } = record('hello.mjs', {
      env: { FAKE_TRACE_FILE: tempTraceFile(dir, traceBytes(10)), FAKE_TRACER_MODE: 'wrong-token' },
    });
    const state = await recording.done;
    assert.equal(state.kind, 'ended');
    assert.equal(batches.length, 0);
    assert.ok(
      log.lines.some((l) => /refused a connection .*wrong token/.test(l)),
      log.lines.join('\n'),
    );
    assert.match(text(output, 'stderr'), /connection closed by the host|EPIPE|ECONNRESET/);
  });

  it('keeps the socket in a private directory (mode 0700) and removes it afterwards', async () => {
    const { recording } = record('hello.mjs', { env: { FAKE_TRACE_FILE: tempTraceFile(dir, traceBytes(3)) } });
    await waitFor('the socket directory', () => recording.tempDir !== undefined);
    const tempDir = recording.tempDir!;
    assert.equal(fs.statSync(tempDir).mode & 0o777, 0o700);
    await recording.done;
    assert.equal(fs.existsSync(tempDir), false);
  });

  it('stop() kills the program and its child, and reports the signal', async () => {
    const { recording, output } = record('spawn-child.mjs', { stopGraceMs: 1000 });
    await waitFor('the pids', () => /pids \d+ \d+/.test(text(output, 'stdout')));
    const [, parent, child] = /pids (\d+) (\d+)/.exec(text(output, 'stdout'))!.map(Number) as [number, number, number];
    strays.push(parent, child);
    assert.ok(isAlive(parent) && isAlive(child));
    const tempDir = recording.tempDir!;
    const state = await recording.stop();
    assert.deepEqual(state, { kind: 'ended', exitCode: null, signal: 'SIGTERM' });
    await waitFor('both processes to be gone', () => !isAlive(parent) && !isAlive(child));
    assert.equal(fs.existsSync(tempDir), false);
  });

  it('stop() escalates to SIGKILL when the program ignores SIGTERM', async () => {
    const { recording, output } = record('ignore-term.mjs', { stopGraceMs: 300 });
    await waitFor('the program', () => text(output, 'stdout').includes('ready'));
    const state = await recording.stop();
    assert.deepEqual(state, { kind: 'ended', exitCode: null, signal: 'SIGKILL' });
  });

  it('ends when the program exits even if a leftover child holds its output open', async () => {
    const { recording, output, log } = record('leave-child.mjs', { drainGraceMs: 300 });
    await waitFor('the child pid', () => /left \d+/.test(text(output, 'stdout')));
    strays.push(Number(/left (\d+)/.exec(text(output, 'stdout'))![1]));
    const started = Date.now();
    const state = await recording.done;
    assert.deepEqual(state, { kind: 'ended', exitCode: 0, signal: null });
    assert.ok(Date.now() - started < 5000);
    assert.ok(
      log.lines.some((l) => l.includes('still receiving output')),
      log.lines.join('\n'),
    );
  });

  it('notes a program that ran without the tracer connecting', async () => {
    const { recording, log } = record('hello.mjs', { env: { FAKE_TRACER_MODE: 'silent' } });
    assert.equal((await recording.done).kind, 'ended');
    assert.ok(
      log.lines.some((l) => l.includes('the tracer never connected')),
      log.lines.join('\n'),
    );
  });

  it('stops keeping and sending at the memory bound, and says so', async () => {
    const sent = traceBytes(200);
    const warnings: string[] = [];
    const { recording, batches } = record('hello.mjs', {
      env: { FAKE_TRACE_FILE: tempTraceFile(dir, sent), FAKE_CHUNKS: '20', FAKE_DELAY_MS: '5' },
      maxKeptBytes: 4000,
      batchIntervalMs: 10,
    });
    recording.onDidWarn((w) => warnings.push(w));
    assert.equal((await recording.done).kind, 'ended');
    const snap = recording.snapshot();
    assert.ok(snap.bytes.length <= 4000 && snap.bytes.length > 0);
    assert.deepEqual(snap.bytes, sent.subarray(0, snap.bytes.length));
    assert.deepEqual(concatBytes(batches.map((b) => b.bytes)), snap.bytes);
    assert.equal(recording.droppedBytes, sent.length - snap.bytes.length);
    assert.equal(warnings.length, 1);
    assert.match(warnings[0]!, /memory limit/);
  });

  it('fails clearly when the configured Node.js does not exist', async () => {
    const { recording } = record('hello.mjs', { nodePath: path.join(dir, 'no-such-node') });
    const state = await recording.done;
    assert.equal(state.kind, 'failed');
    assert.match(state.kind === 'failed' ? state.message : '', /Node\.js was not found at .*no-such-node/);
  });

  it('fails clearly when a command name is not on PATH', async () => {
    const { recording } = record('hello.mjs', { nodePath: 'no-such-node-xyz' });
    const state = await recording.done;
    assert.match(state.kind === 'failed' ? state.message : '', /no "no-such-node-xyz" on PATH/);
  });

  it("falls back to the editor's own runtime when there is no node on PATH", async () => {
    const { recording, output } = record('hello.mjs', {
      host: { env: { ...process.env, PATH: dir }, execPath: process.execPath },
    });
    assert.deepEqual(await recording.done, { kind: 'ended', exitCode: 0, signal: null });
    assert.match(text(output, 'stdout'), /hello out/);
  });

  it('fails clearly when the program or the working folder is missing', async () => {
    const missing = record('no-such-program.mjs');
    const state = await missing.recording.done;
    assert.match(state.kind === 'failed' ? state.message : '', /does not exist/);
    const badCwd = record('hello.mjs', { cwd: path.join(dir, 'gone') });
    const state2 = await badCwd.recording.done;
    assert.match(state2.kind === 'failed' ? state2.message : '', /Could not start .*gone/s);
  });

  it('records a TypeScript program with the real, built tracer', async function () {
    const tracer = path.resolve(__dirname, '../../../dist/tracer/register.cjs');
    if (!fs.existsSync(tracer)) this.skip(); // `node esbuild.js` builds it
    const { recording, batches, output } = record('generator.ts', { tracerPath: tracer });
    assert.deepEqual(await recording.done, { kind: 'ended', exitCode: 0, signal: null });
    assert.equal(text(output, 'stdout'), 'got 10\ngot 20\n');
    assert.ok(batches.length >= 1);
    const trace = decodeTrace(recording.snapshot().bytes);
    assert.deepEqual(trace.problems, []);
    const kinds = new Set<string>(trace.events.map((e) => e.kind));
    for (const kind of ['create', 'resume', 'yield', 'return']) assert.ok(kinds.has(kind), `no ${kind} event`);
    assert.equal(recording.eventCount, trace.events.length);
  });

  it('dispose() while running kills the program', async () => {
    const { recording, output } = record('ignore-term.mjs');
    await waitFor('the program', () => text(output, 'stdout').includes('ready'));
    const pid = recording.pid!;
    recording.dispose();
    assert.equal(recording.state.kind, 'ended');
    await waitFor('the program to be gone', () => !isAlive(pid));
  });
});
