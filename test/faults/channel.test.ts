// The tracer channel and the editor's side of a recording, with the real tracer: `Recording` (what "Visualize
// Current File" runs) streams a misbehaving program's trace over its private socket. Checks that a crash reaches
// the editor with its end record, that stopping from the editor kills the program and its child and keeps the
// trace undamaged, that a forked child presenting the inherited token is turned away without harm, and that no
// first line but the recording's token gets a byte into the recording. (test/unit/extension covers the rest of
// the socket: its 0700 folder, the handshake timeout, clean-up.)

import assert from 'node:assert/strict';
import * as net from 'node:net';
import * as fc from 'fast-check';
import { join } from 'node:path';
import { decodeTrace } from '../../src/protocol/codec';
import type { RecordingState } from '../../src/protocol/messages';
import { Recording } from '../../src/extension/recording';
import { TraceServer } from '../../src/extension/traceServer';
import { concatBytes, isAlive, memoryLogger, testHost, waitFor, type MemoryLogger } from '../unit/extension/helpers';
import { REGISTER } from '../tracer/harness';
import { FAULT_FIXTURES, describeEvents, eventsOf, runPlainAsync, type TraceScan } from './run';

interface Recorded {
  readonly recording: Recording;
  readonly log: MemoryLogger;
  readonly bytes: () => Uint8Array;
  readonly stdout: () => string;
}

function record(program: string): Recorded {
  const log = memoryLogger();
  const recording = new Recording(
    { id: 'r1', title: program, program: join(FAULT_FIXTURES, program), cwd: FAULT_FIXTURES, tracerPath: REGISTER },
    testHost(log),
  );
  const chunks: Uint8Array[] = [];
  let out = '';
  recording.onDidBatch((b) => chunks.push(b.bytes));
  recording.onDidOutput((o) => {
    if (o.stream === 'stdout') out += o.text;
  });
  void recording.start();
  return { recording, log, bytes: () => concatBytes(chunks), stdout: () => out };
}

/** A decoded trace in the shape the run helpers read. */
function asScan(bytes: Uint8Array): TraceScan & { events: ReturnType<typeof decodeTrace>['events'] } {
  const t = decodeTrace(bytes);
  const kinds = new Map<string, number>();
  for (const e of t.events) kinds.set(e.kind, (kinds.get(e.kind) ?? 0) + 1);
  return {
    header: t.header,
    problems: t.problems,
    files: t.files,
    sites: t.sites,
    bytes: bytes.length,
    count: t.events.length,
    kinds,
    head: t.events,
    tail: t.events.slice(-50),
    contiguous: t.events.every((e, i) => e.seq === i),
    events: t.events,
  };
}

describe('faults: the tracer channel and the editor, with the real tracer', function () {
  this.timeout(60_000);
  const recordings: Recording[] = [];
  const strays: number[] = [];
  afterEach(() => {
    for (const r of recordings.splice(0)) r.dispose();
    for (const pid of strays.splice(0)) if (isAlive(pid)) process.kill(pid, 'SIGKILL');
  });

  it('a program that throws: the editor receives every event and the "uncaught" end record', async function () {
    const r = record('throw-in-generator.mjs');
    recordings.push(r.recording);
    const state = await r.recording.done;
    assert.deepEqual(state, { kind: 'ended', exitCode: 1, signal: null } satisfies RecordingState);
    const scan = asScan(r.bytes());
    assert.deepEqual(scan.problems, []);
    const end = scan.events.at(-1);
    assert.ok(end?.kind === 'end' && end.reason === 'uncaught' && end.error?.text === 'TypeError: no more at 1');
    assert.equal(eventsOf(scan, 'countdown').at(-1)?.kind, 'throw');
  });

  it('stopped from the editor: the program and its child are killed, the trace so far arrives undamaged', async function () {
    const r = record('stop-me.cjs');
    recordings.push(r.recording);
    await waitFor('the pids', () => /pids \d+ \d+/.test(r.stdout()), 15_000);
    const [, parent, child] = /pids (\d+) (\d+)/.exec(r.stdout())!.map(Number) as [number, number, number];
    strays.push(parent, child);
    const state = await r.recording.stop();
    assert.deepEqual(state, { kind: 'ended', exitCode: null, signal: 'SIGTERM' } satisfies RecordingState);
    await waitFor('both processes to be gone', () => !isAlive(parent) && !isAlive(child));
    const scan = asScan(r.bytes());
    assert.deepEqual(scan.problems, []);
    assert.ok(scan.contiguous);
    // The tracer could not write an end record; the recording's state carries the signal to the view.
    assert.equal(scan.kinds.get('end') ?? 0, 0);
    assert.deepEqual(
      describeEvents(eventsOf(scan, 'tick')).filter((e) => e.startsWith('yield')),
      ['yield 0', 'yield 1', 'yield 2'],
    );
  });

  it('a forked child presenting the inherited token is turned away; it and the program run on unharmed', async function () {
    const plain = await runPlainAsync(process.execPath, ['spawns.mjs'], FAULT_FIXTURES);
    const r = record('spawns.mjs');
    recordings.push(r.recording);
    const state = await r.recording.done;
    assert.deepEqual(state, { kind: 'ended', exitCode: 0, signal: null } satisfies RecordingState);
    assert.equal(r.stdout(), plain.stdout.toString());
    // The socket stops listening once the program connected: the child's connection is refused by the system
    // (or, if it raced in, by the server with a log line), and its tracer goes on without a socket.
    assert.ok(!r.log.lines.some((l) => /wrong token|listener failed/.test(l)), r.log.lines.join('\n'));
    const scan = asScan(r.bytes());
    assert.deepEqual(scan.problems, []);
    assert.equal(scan.header?.program, join(FAULT_FIXTURES, 'spawns.mjs'), "the parent's trace, not the child's");
    const end = scan.events.at(-1);
    assert.ok(end?.kind === 'end' && end.reason === 'exit' && end.exitCode === 0);
  });

  it('takes nothing from a connection whose first line is not the token; the channel is a local socket', async function () {
    const token = 'f'.repeat(64);
    const log = memoryLogger();
    const server = await TraceServer.listen({ token, platform: process.platform, log, handshakeTimeoutMs: 500 });
    try {
      if (process.platform !== 'win32') assert.ok(server.address.startsWith(server.tempDir!), server.address);
      const received: Uint8Array[] = [];
      server.onDidData((c) => received.push(c));
      const attempt = (first: Uint8Array): Promise<void> =>
        new Promise((resolve) => {
          const s = net.connect(server.address);
          s.on('error', () => {});
          s.on('connect', () => s.write(first));
          s.on('close', () => resolve());
          setTimeout(() => {
            s.destroy();
            resolve();
          }, 1500);
        });
      const line = fc.oneof(
        fc.string({ maxLength: 80 }).map((s) => `${s}\n`),
        fc.constantFrom(
          `${token.slice(1)}\n`,
          `${token}x\n`,
          `x${token}\n`,
          ` ${token}\n`,
          `${token.toUpperCase()}\n`,
          '\n',
        ),
        fc.constantFrom(token, `${token}\r\n`),
      );
      await fc.assert(
        fc.asyncProperty(line, fc.uint8Array({ maxLength: 64 }), async (first, rest) => {
          fc.pre(first !== `${token}\n`);
          await attempt(new Uint8Array([...new TextEncoder().encode(first), ...rest]));
        }),
        { seed: 7, numRuns: 20 },
      );
      assert.equal(server.connected, false);
      assert.equal(received.length, 0);
      assert.ok(log.lines.filter((l) => /refused a connection/.test(l)).length >= 20, log.lines.join('\n'));
    } finally {
      server.dispose();
    }
  });
});
