// A debugging session's trace channel: one recording per traced process, titled after its program; a connection
// that is not a trace, or that breaks before its header, makes none; a recording ends with the exit code its trace
// gives; the host's model of a recording follows its batches; closing lets running processes finish.

import * as assert from 'node:assert/strict';
import * as net from 'node:net';
import { nodeProcessHost } from '../../../src/extension/processHost';
import { RecordingModel } from '../../../src/extension/recordingModel';
import { Recordings } from '../../../src/extension/recordings';
import { TraceChannel, programTitle } from '../../../src/extension/traceChannel';
import { TraceServer } from '../../../src/extension/traceServer';
import { memoryLogger, waitFor } from './helpers';
import type { MemoryLogger } from './helpers';
import { bytesOf, sendingValues } from './traces';

describe('extension/traceChannel', function () {
  this.timeout(10_000);
  let log: MemoryLogger;
  let recordings: Recordings;
  let channel: TraceChannel;
  const sockets: net.Socket[] = [];

  beforeEach(async () => {
    log = memoryLogger();
    recordings = new Recordings(nodeProcessHost(log), { maxRecordings: 10, maxTotalBytes: 1e9 });
    channel = await TraceChannel.open({
      recordings,
      log,
      platform: process.platform,
      label: 'test session',
      closeGraceMs: 300,
    });
  });
  afterEach(() => {
    for (const s of sockets.splice(0)) s.destroy();
    channel.dispose();
    recordings.dispose();
  });

  function connect(token = channel.env.YIELDSCOPE_TOKEN): net.Socket {
    const s = net.connect(channel.env.YIELDSCOPE_SOCKET);
    s.on('error', () => {});
    s.write(`${token}\n`);
    sockets.push(s);
    return s;
  }

  it('makes a recording of each process that connects, with its own bytes and exit code', async () => {
    const a = connect();
    const b = connect();
    const bytesA = bytesOf(sendingValues('ended', 11));
    const bytesB = bytesOf(sendingValues('paused', 22));
    // Byte by byte for one of them: the header may arrive in pieces.
    for (const byte of bytesA.subarray(0, 40)) a.write(Uint8Array.of(byte));
    a.end(bytesA.subarray(40));
    b.write(bytesB);
    await waitFor('two recordings', () => channel.recordings.length === 2);
    const [first, second] = [...channel.recordings].sort((x, y) => x.pid - y.pid);
    assert.equal(first!.pid, 11);
    assert.match(first!.title, /^main\.ts #\d$/);
    await first!.done;
    assert.deepEqual(first!.state, { kind: 'ended', exitCode: 0, signal: null });
    assert.deepEqual(first!.snapshot().bytes, bytesA);
    assert.equal(second!.isRunning, true);
    second!.flush();
    assert.deepEqual(second!.snapshot().bytes, bytesB);

    // The host's model of the running one follows its batches.
    const model = new RecordingModel(second!);
    assert.equal(model.model.coroutines.get(1)?.state.kind, 'running');
    b.end();
    await second!.done;
    assert.deepEqual(second!.state, { kind: 'ended', exitCode: null, signal: null }, 'no end record: stopped');
    model.dispose();
  });

  it('makes no recording of a connection that is not a trace, or that ends before its header', async () => {
    const junk = connect();
    junk.write('GET / HTTP/1.1\r\n\r\n');
    const cut = connect();
    cut.end(bytesOf(sendingValues()).subarray(0, 12));
    await waitFor('the refusal', () => log.lines.some((l) => l.includes('does not start like a trace')));
    await waitFor('the cut one', () => log.lines.some((l) => l.includes('before its header was complete')));
    assert.equal(recordings.list().length, 0);
    const wrong = net.connect(channel.env.YIELDSCOPE_SOCKET);
    wrong.on('error', () => {});
    wrong.write(`${'0'.repeat(64)}\n`);
    sockets.push(wrong);
    await waitFor('the wrong token to be refused', () => log.lines.some((l) => l.includes('wrong token')));
  });

  it('on close takes no new process, lets running ones finish, then goes', async () => {
    const a = connect();
    a.write(bytesOf(sendingValues('paused', 33)));
    await waitFor('the recording', () => channel.recordings.length === 1);
    let gone = false;
    channel.onDidDispose(() => (gone = true));
    channel.close();
    assert.equal(gone, false, 'a process is still connected');
    a.end();
    await waitFor('the channel to go once the process finished', () => gone);
    assert.equal(channel.recordings[0]!.isRunning, false);
  });

  it('cuts processes still connected after the grace period', async () => {
    const a = connect();
    a.write(bytesOf(sendingValues('paused', 44)));
    await waitFor('the recording', () => channel.recordings.length === 1);
    channel.close();
    await channel.recordings[0]!.done;
    assert.equal(channel.isClosing, true);
  });

  it('titles a recording after its program', () => {
    assert.equal(programTitle({ program: '/w/src/main.ts' }), 'main.ts');
    assert.equal(programTitle({ program: 'C:\\w\\app.js' }), 'app.js');
    assert.equal(programTitle({ program: '' }), 'node');
  });
});

describe('extension/traceServer with several connections', () => {
  it('hands each accepted connection on by itself, up to the limit', async () => {
    const log = memoryLogger();
    const server = await TraceServer.listen({
      token: 't'.repeat(64),
      platform: process.platform,
      log,
      maxConnections: 2,
    });
    const got: string[] = [];
    server.onDidAccept((c) => c.onDidData((d) => got.push(Buffer.from(d).toString())));
    const sockets = [1, 2, 3].map((n) => {
      const s = net.connect(server.address);
      s.on('error', () => {});
      s.write(`${'t'.repeat(64)}\nconnection ${n}`);
      return s;
    });
    try {
      await waitFor('two connections', () => got.length === 2);
      await new Promise((r) => setTimeout(r, 100));
      assert.deepEqual(got.sort(), ['connection 1', 'connection 2']);
      assert.equal(server.connectionCount, 2);
    } finally {
      for (const s of sockets) s.destroy();
      server.dispose();
    }
  });
});
