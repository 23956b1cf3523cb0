// The host's side of the webview conversation, against a fake port and real (fake-traced) recordings.

import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { HostMessage, ViewOpenSource } from '../../../src/protocol/messages';
import { PanelSession } from '../../../src/extension/panelSession';
import { Recordings } from '../../../src/extension/recordings';
import { FAKE_TRACER, FIXTURES, concatBytes, memoryLogger, tempTraceFile, testHost, traceBytes } from './helpers';
import type { MemoryLogger } from './helpers';

describe('extension/panelSession', function () {
  this.timeout(20_000);
  let dir: string;
  let recordings: Recordings;
  let session: PanelSession;
  let posted: HostMessage[];
  let opened: ViewOpenSource[];
  let log: MemoryLogger;
  let sent: Uint8Array;

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ys-session-test-'));
    sent = traceBytes(300);
    log = memoryLogger();
    const env = { FAKE_TRACE_FILE: tempTraceFile(dir, sent), FAKE_CHUNKS: '10', FAKE_DELAY_MS: '15' };
    recordings = new Recordings(testHost(memoryLogger(), env), { maxRecordings: 2, maxTotalBytes: 1e9 });
    posted = [];
    opened = [];
    session = new PanelSession(recordings, { post: (m) => posted.push(m) }, log, async (r) => void opened.push(r));
  });
  afterEach(() => {
    session.dispose();
    recordings.dispose();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const start = () =>
    recordings.start({
      title: 'hello.mjs',
      program: path.join(FIXTURES, 'hello.mjs'),
      cwd: dir,
      tracerPath: FAKE_TRACER,
      batchIntervalMs: 20,
    });

  it('sends nothing before ready, then a snapshot that with later batches makes the whole trace', async () => {
    const rec = start();
    await new Promise((r) => setTimeout(r, 60));
    assert.equal(posted.length, 0);
    session.receive({ type: 'ready' });
    const snap = posted[0];
    assert.ok(snap?.type === 'snapshot');
    assert.equal(snap.active, rec.id);
    assert.equal(snap.recordings.length, 1);
    const first = snap.recordings[0]!;
    assert.equal(first.state.kind, 'live');
    await rec.done;
    const later = posted.slice(1);
    const batches = later.filter((m) => m.type === 'trace-bytes');
    assert.deepEqual(
      batches.map((m) => m.batch),
      batches.map((_, i) => first.batch + i + 1),
    );
    assert.deepEqual(concatBytes([first.bytes, ...batches.map((m) => m.bytes)]), sent);
    const end = later.at(-1);
    assert.ok(end?.type === 'recording-ended');
    assert.deepEqual(end.state, { kind: 'ended', exitCode: 0, signal: null });
    assert.equal(end.batch, rec.batch);
  });

  it('announces a new recording, and answers a resync with a snapshot', async () => {
    session.receive({ type: 'ready' });
    assert.deepEqual(posted, [{ type: 'snapshot', recordings: [], active: undefined }]);
    const rec = start();
    assert.deepEqual(posted[1], { type: 'recording-started', id: rec.id, title: rec.title });
    await rec.done;
    session.receive({ type: 'resync', reason: 'gap after 1' });
    const snap = posted.at(-1);
    assert.ok(snap?.type === 'snapshot');
    assert.deepEqual(snap.recordings[0]!.bytes, sent);
    assert.equal(snap.recordings[0]!.batch, rec.batch);
    assert.deepEqual(snap.recordings[0]!.state, { kind: 'ended', exitCode: 0, signal: null });
  });

  it('stops sending when the view is lost, until it is ready again', async () => {
    session.receive({ type: 'ready' });
    session.viewLost();
    await start().done;
    assert.equal(posted.length, 1);
    session.receive({ type: 'ready' });
    assert.equal(posted.length, 2);
    assert.equal(posted[1]!.type, 'snapshot');
  });

  it('remembers the selected recording for the next snapshot, and ignores unknown ones', async () => {
    const a = start();
    const b = start();
    await Promise.all([a.done, b.done]);
    session.receive({ type: 'select-recording', id: a.id });
    session.receive({ type: 'select-recording', id: 'nope' });
    session.receive({ type: 'ready' });
    const snap = posted[0];
    assert.equal(snap?.type === 'snapshot' && snap.active, a.id);
    assert.ok(log.lines.some((l) => l.includes('unknown recording "nope"')));
  });

  it('sends a snapshot when a recording is forgotten', async () => {
    session.receive({ type: 'ready' });
    for (let i = 0; i < 3; i++) await start().done;
    const snaps = posted.flatMap((m) => (m.type === 'snapshot' ? [m] : []));
    assert.equal(snaps.length, 2);
    assert.deepEqual(
      snaps[1]!.recordings.map((r) => r.title),
      ['hello.mjs #2', 'hello.mjs #3'],
    );
  });

  it('passes a valid open-source request on, and drops anything it does not know', async () => {
    session.receive({ type: 'open-source', url: 'file:///work/app.ts', line: 3, column: 5 });
    for (const bad of [
      null,
      'ready',
      { type: 'eval', code: 'process.exit()' },
      { type: 'open-source', url: 'file:///x', line: 0, column: 1 },
      { type: 'open-source', url: 42, line: 1, column: 1 },
      { type: 'resync' },
    ]) {
      session.receive(bad);
    }
    await new Promise((r) => setImmediate(r));
    assert.deepEqual(opened, [{ type: 'open-source', url: 'file:///work/app.ts', line: 3, column: 5 }]);
    assert.equal(posted.length, 0);
    assert.equal(log.lines.filter((l) => l.includes('ignored a message')).length, 6);
  });
});
