// The collection of recordings: ids and titles, forwarded events in order, limits, stopping all.

import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { Recordings } from '../../../src/extension/recordings';
import { FAKE_TRACER, FIXTURES, memoryLogger, tempTraceFile, testHost, traceBytes } from './helpers';
import * as fs from 'node:fs';
import * as os from 'node:os';

describe('extension/recordings', function () {
  this.timeout(20_000);
  let dir: string;
  let recordings: Recordings;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ys-recs-test-'));
  });
  afterEach(() => {
    recordings.dispose();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const options = (program: string, extra: { nodePath?: string } = {}) => ({
    title: program,
    program: path.join(FIXTURES, program),
    cwd: dir,
    tracerPath: FAKE_TRACER,
    ...extra,
  });

  it('numbers titles, and reports added → batches → ended in that order', async () => {
    const events: string[] = [];
    recordings = new Recordings(testHost(memoryLogger(), { FAKE_TRACE_FILE: tempTraceFile(dir, traceBytes(20)) }));
    recordings.onDidAdd((r) => events.push(`add ${r.title}`));
    recordings.onDidBatch(({ recording, value }) => events.push(`batch ${recording.title} ${value.batch}`));
    recordings.onDidEnd(({ recording, value }) => events.push(`end ${recording.title} ${value.kind}`));
    const a = recordings.start(options('hello.mjs'));
    const b = recordings.start(options('hello.mjs', { nodePath: '/no/such/node' }));
    assert.notEqual(a.id, b.id);
    assert.deepEqual([a.title, b.title], ['hello.mjs #1', 'hello.mjs #2']);
    assert.equal(b.state.kind, 'failed', 'a missing Node.js fails at once');
    assert.deepEqual(recordings.running(), [a], 'a recording counts as running from the moment it is added');
    await Promise.all([a.done, b.done]);
    assert.deepEqual(events, [
      'add hello.mjs #1',
      'add hello.mjs #2',
      'end hello.mjs #2 failed',
      'batch hello.mjs #1 1',
      'end hello.mjs #1 ended',
    ]);
    assert.equal(recordings.running().length, 0);
  });

  it('forgets the oldest finished recordings beyond the limit, never a running one', async () => {
    recordings = new Recordings(testHost(memoryLogger()), { maxRecordings: 2, maxTotalBytes: 1e9 });
    const removed: string[] = [];
    recordings.onDidRemove((r) => removed.push(r.title));
    const running = recordings.start(options('ignore-term.mjs'));
    for (let i = 0; i < 3; i++) await recordings.start(options('hello.mjs', { nodePath: '/no/such/node' })).done;
    assert.deepEqual(removed, ['hello.mjs #2', 'hello.mjs #3']);
    assert.deepEqual(
      recordings.list().map((r) => r.title),
      ['ignore-term.mjs #1', 'hello.mjs #4'],
    );
    assert.ok(recordings.get(running.id));
    assert.equal(recordings.get('nope'), undefined);
  });

  it('stopAll() stops every running recording', async () => {
    recordings = new Recordings(testHost(memoryLogger()));
    const a = recordings.start({ ...options('spawn-child.mjs'), stopGraceMs: 500 });
    const b = recordings.start({ ...options('spawn-child.mjs'), stopGraceMs: 500 });
    await new Promise((r) => setTimeout(r, 300));
    await recordings.stopAll();
    assert.equal(a.state.kind, 'ended');
    assert.equal(b.state.kind, 'ended');
    assert.equal(recordings.running().length, 0);
  });
});
