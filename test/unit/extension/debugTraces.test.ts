// Debugging sessions and their traces without VS Code: fake sessions (as the JavaScript debugger makes them: a
// launch session and a child session per process, named `main.ts [pid]`), real trace channels, and tracer
// connections made by hand. Pairing by process id, a pause that gathers the trace first, continuing, parallel
// sessions, and nothing left open when sessions end.

import * as assert from 'node:assert/strict';
import * as net from 'node:net';
import { markerOf } from '../../../src/extension/debugConfig';
import type { DebugConfig } from '../../../src/extension/debugConfig';
import {
  DebugTraces,
  FLUSH_EXPRESSION,
  parseTracerAnswer,
  pidFromSessionName,
} from '../../../src/extension/debugTraces';
import type { DebugSessionLike } from '../../../src/extension/debugTraces';
import { nodeProcessHost } from '../../../src/extension/processHost';
import { Recordings } from '../../../src/extension/recordings';
import { memoryLogger, waitFor } from './helpers';
import type { MemoryLogger } from './helpers';
import { bytesOf, sendingValues } from './traces';

interface FakeSession extends DebugSessionLike {
  readonly requests: { command: string; args: unknown }[];
}

function session(
  id: string,
  name: string,
  configuration: DebugConfig,
  parentSession?: DebugSessionLike,
  answer: (command: string, args: unknown) => unknown = () => ({}),
): FakeSession {
  const requests: { command: string; args: unknown }[] = [];
  return {
    id,
    name,
    type: 'pwa-node',
    parentSession,
    configuration,
    requests,
    customRequest: async (command: string, args?: unknown) => {
      requests.push({ command, args });
      return answer(command, args);
    },
  };
}

/** A traced process: connects to the channel in `env`, sends the token line and `bytes`. */
function tracerConnection(env: Record<string, string | null>, bytes: Uint8Array): net.Socket {
  const socket = net.connect(env['YIELDSCOPE_SOCKET']!);
  socket.on('error', () => {});
  socket.write(`${env['YIELDSCOPE_TOKEN']}\n`);
  socket.write(bytes);
  return socket;
}

describe('extension/debugTraces', function () {
  this.timeout(10_000);
  let log: MemoryLogger;
  let recordings: Recordings;
  let traces: DebugTraces;
  let stopped: DebugSessionLike[];
  const sockets: net.Socket[] = [];

  beforeEach(() => {
    log = memoryLogger();
    recordings = new Recordings(nodeProcessHost(log));
    stopped = [];
    traces = new DebugTraces({
      recordings,
      log,
      platform: process.platform,
      tracerPath: '/ext/dist/tracer/register.cjs',
      stopSession: (s) => stopped.push(s),
      quietMs: 40,
      settleMs: 1500,
    });
  });
  afterEach(() => {
    for (const s of sockets.splice(0)) s.destroy();
    traces.dispose();
    recordings.dispose();
  });

  async function launch(name = 'Visualize sample'): Promise<DebugConfig> {
    const config = await traces.inject(
      { type: 'node', request: 'launch', name, program: '/w/src/main.ts', env: { A: '1' } },
      { origin: 'launch' },
      `debugging session "${name}"`,
    );
    return config;
  }

  it('gives a launch its own trace channel, through NODE_OPTIONS and the socket variables', async () => {
    const config = await launch();
    const env = config['env'] as Record<string, string>;
    assert.equal(env['A'], '1');
    assert.equal(env['NODE_OPTIONS'], '--require /ext/dist/tracer/register.cjs');
    assert.ok(env['YIELDSCOPE_SOCKET'] && env['YIELDSCOPE_TOKEN']?.length === 64);
    assert.ok(markerOf(config)?.channel);
    assert.equal(traces.openChannels, 1);
    const again = await traces.inject(config, markerOf(config)!, 'restart');
    assert.equal(again, config, 'a configuration whose channel is alive keeps it');
    assert.equal(traces.openChannels, 1);
  });

  it("pairs each process's session with its own recording, by process id", async () => {
    const config = await launch();
    const env = config['env'] as Record<string, string>;
    const root = session('root', 'Visualize sample', config);
    const child = session('c1', 'main.ts [4242] « Visualize sample', {}, root);
    const other = session('c2', 'worker.js [4343] « Visualize sample', {}, root);
    for (const s of [root, child, other]) traces.sessionStarted(s);
    assert.ok(traces.isTraced(child));
    assert.equal(traces.recordingOf(child), undefined, 'no trace yet');

    sockets.push(tracerConnection(env, bytesOf(sendingValues('paused', 4242))));
    sockets.push(tracerConnection(env, bytesOf(sendingValues('paused', 4343))));
    await waitFor('two recordings', () => recordings.list().length === 2);
    const first = traces.recordingOf(child)!;
    const second = traces.recordingOf(other)!;
    assert.equal(first.pid, 4242);
    assert.equal(second.pid, 4343);
    assert.match(first.title, /^main\.ts #\d+$/);
    assert.equal(traces.recordingOf(root)?.isRunning, true, 'the launch session gets the newest running one');

    // Stopping a recording stops the session of its process.
    void first.stop();
    assert.deepEqual(stopped, [child]);
  });

  it('at a pause, asks the tracer to hand over what it holds, waits for it, then publishes the pause', async () => {
    const config = await launch();
    const env = config['env'] as Record<string, string>;
    const all = bytesOf(sendingValues('paused', 4242));
    const root = session('root', 'Visualize sample', config);
    // Paused before its first turn of the event loop, the program has not connected yet: asked, the tracer starts
    // delivering (as its drain worker would), in two pieces.
    const child = session('c1', 'main.ts [4242]', {}, root, (command) => {
      if (command === 'stackTrace') {
        return { stackFrames: [{ id: 7, name: 'gen', line: 7, column: 5, source: { path: '/w/src/main.ts' } }] };
      }
      if (command === 'evaluate') {
        const half = Math.floor(all.length / 2);
        const socket = tracerConnection(env, all.subarray(0, half));
        sockets.push(socket);
        setTimeout(() => socket.write(all.subarray(half)), 30);
        return { result: "'yieldscope:flushed:4242'" };
      }
      return {};
    });
    traces.sessionStarted(root);
    traces.sessionStarted(child);

    const changes: string[] = [];
    traces.onDidChange((s) => changes.push(`${s.id}:${traces.stateOf(s)?.kind}`));
    await traces.stopped(child, 1, 'breakpoint');
    const state = traces.stateOf(child);
    assert.equal(state?.kind, 'paused');
    const pause = (state as { pause: { recordingId: string; frame: unknown; tracer: string } }).pause;
    const recording = recordings.list()[0]!;
    assert.equal(pause.recordingId, recording.id);
    assert.equal(pause.tracer, 'flushed');
    assert.deepEqual(pause.frame, { path: '/w/src/main.ts', line: 7, column: 5, name: 'gen' });
    assert.equal(recording.snapshot().bytes.length, all.length, 'every byte up to the pause is in the recording');
    assert.equal(changes[0], 'c1:settling');
    assert.equal(changes.at(-1), 'c1:paused');
    const evaluate = child.requests.find((r) => r.command === 'evaluate')!.args as {
      expression: string;
      frameId: number;
    };
    assert.equal(evaluate.expression, FLUSH_EXPRESSION);
    assert.equal(evaluate.frameId, 7);

    traces.continued(child);
    assert.equal(traces.stateOf(child)?.kind, 'running');
  });

  it('names the coroutine when a break on a coroutine event paused the program', async () => {
    const config = await launch();
    const env = config['env'] as Record<string, string>;
    const root = session('root', 'Visualize sample', config);
    const child = session('c1', 'main.ts [4242]', {}, root, (command, args) => {
      if (command === 'stackTrace') {
        return { stackFrames: [{ id: 3, name: 'yieldscopeBreak', line: 10, column: 3, source: { path: '' } }] };
      }
      const expression = (args as { expression?: string }).expression;
      if (command === 'evaluate' && expression === 'coroutine') return { result: "'gen#1'" };
      if (command === 'evaluate') return { result: "'yieldscope:flushed:4242'" };
      return {};
    });
    traces.sessionStarted(root);
    traces.sessionStarted(child);
    sockets.push(tracerConnection(env, bytesOf(sendingValues('paused', 4242))));
    await waitFor('the recording', () => recordings.list().length === 1);
    await traces.stopped(child, 1, 'debugger statement');
    const state = traces.stateOf(child) as { kind: string; pause: { coroutine?: number } };
    assert.equal(state.kind, 'paused');
    assert.equal(state.pause.coroutine, 1);
    const asked = child.requests.find((r) => (r.args as { expression?: string }).expression === 'coroutine');
    assert.equal((asked!.args as { frameId?: number }).frameId, 3, 'asked in the paused frame');
  });

  it('does not publish a pause the program has already left', async () => {
    const config = await launch();
    const root = session('root', 'Visualize sample', config);
    let release!: () => void;
    const child = session('c1', 'main.ts [4242]', {}, root, (command) =>
      command === 'evaluate' ? new Promise((r) => (release = () => r({ result: 'yieldscope:no-flush:4242' }))) : {},
    );
    traces.sessionStarted(root);
    traces.sessionStarted(child);
    const stopping = traces.stopped(child, 1, 'step');
    await waitFor('the evaluate request', () => release !== undefined);
    traces.continued(child);
    release();
    await stopping;
    assert.equal(traces.stateOf(child)?.kind, 'running');
    assert.ok(log.lines.some((l) => l.includes('cannot write out what it holds')));
  });

  it('keeps parallel sessions apart, and leaves nothing open when they end', async () => {
    const a = await launch('A');
    const b = await launch('B');
    const rootA = session('a', 'A', a);
    const rootB = session('b', 'B', b);
    const childA = session('a1', 'main.ts [1001]', {}, rootA);
    const childB = session('b1', 'main.ts [1002]', {}, rootB);
    for (const s of [rootA, rootB, childA, childB]) traces.sessionStarted(s);
    const socketA = tracerConnection(a['env'] as Record<string, string>, bytesOf(sendingValues('paused', 1001)));
    const socketB = tracerConnection(b['env'] as Record<string, string>, bytesOf(sendingValues('paused', 1002)));
    sockets.push(socketA, socketB);
    await waitFor('two recordings', () => recordings.list().length === 2);
    assert.equal(traces.recordingOf(rootA)?.pid, 1001);
    assert.equal(traces.recordingOf(rootB)?.pid, 1002);
    assert.equal(traces.openChannels, 2);

    // A ends: its process closes the connection, its sessions end; B goes on.
    socketA.end();
    traces.sessionEnded(childA);
    traces.sessionEnded(rootA);
    await waitFor('the channel of A to close', () => traces.openChannels === 1);
    assert.equal(recordings.list().find((r) => r.pid === 1001)?.isRunning, false);
    assert.equal(recordings.list().find((r) => r.pid === 1002)?.isRunning, true);
    assert.equal(traces.stateOf(childA), undefined);

    socketB.end();
    traces.sessionEnded(childB);
    traces.sessionEnded(rootB);
    await waitFor('every channel to close', () => traces.openChannels === 0);
  });

  it('pairs the processes of a traced debug terminal with their sessions by process id', async () => {
    const channel = await traces.openUnownedChannel('JavaScript Debug Terminal');
    const root = session('t', 'Node.js Process', { type: 'node-terminal', request: 'attach' });
    const child = session('t1', 'app.js [5151] « Node.js Process', {}, root);
    traces.sessionStarted(root);
    traces.sessionStarted(child);
    assert.ok(traces.isTraced(child), 'a traced terminal is open: its processes may be traced');
    sockets.push(tracerConnection({ ...channel.env }, bytesOf(sendingValues('paused', 5151))));
    await waitFor('the recording', () => recordings.list().length === 1);
    assert.equal(traces.recordingOf(child)?.pid, 5151);
    channel.close();
  });

  it('closes a channel no session claims', async () => {
    traces.dispose();
    traces = new DebugTraces({
      recordings,
      log,
      platform: process.platform,
      tracerPath: '/t.cjs',
      stopSession: () => {},
      unclaimedMs: 50,
    });
    await launch();
    assert.equal(traces.openChannels, 1);
    await waitFor('the unclaimed channel to close', () => traces.openChannels === 0);
  });

  it("reads a process id from a session's name and the tracer's answer", () => {
    assert.equal(pidFromSessionName('main.ts [4242]'), 4242);
    assert.equal(pidFromSessionName('main.ts [4242] « Visualize sample'), 4242);
    assert.equal(pidFromSessionName('Visualize sample'), undefined);
    assert.deepEqual(parseTracerAnswer("'yieldscope:flushed:12'"), { kind: 'flushed', pid: 12 });
    assert.deepEqual(parseTracerAnswer('"yieldscope:no-tracer:0"'), { kind: 'no-tracer', pid: undefined });
    assert.deepEqual(parseTracerAnswer(undefined), { kind: 'unknown', pid: undefined });
  });
});
