// Unit tests of the webview's side of streaming: snapshots, numbered batches, resync on a gap, bounded memory.

import assert from 'node:assert/strict';
import type { HostMessage, RecordingSnapshot } from '../src/protocol/messages';
import { Co, sampleTraceBytes } from '../test/report/fixture';
import { Recording } from './recording';
import { RecordingStore } from './store';
import { encodeTrace } from '../src/protocol/codec';
import type { Trace, TraceEvent } from '../src/protocol/trace';

/** Splits bytes into `n` nearly equal chunks (cutting through records on purpose). */
function chunks(bytes: Uint8Array, n: number): Uint8Array[] {
  const size = Math.ceil(bytes.length / n);
  const out: Uint8Array[] = [];
  for (let i = 0; i < bytes.length; i += size) out.push(bytes.subarray(i, i + size));
  return out;
}

function snapshot(recordings: RecordingSnapshot[], active?: string): HostMessage {
  return { type: 'snapshot', recordings, active };
}

describe('webview recording store', () => {
  const bytes = sampleTraceBytes();

  it('folds numbered batches into the model as they arrive', () => {
    const store = new RecordingStore();
    assert.equal(store.receive({ type: 'recording-started', id: 'r1', title: 'demo' }).kind, 'changed');
    chunks(bytes, 7).forEach((chunk, i) => {
      assert.equal(store.receive({ type: 'trace-bytes', id: 'r1', batch: i + 1, bytes: chunk }).kind, 'changed');
    });
    const rec = store.active!;
    assert.equal(rec.id, 'r1');
    assert.equal(rec.batch, 7);
    assert.equal(rec.model.coroutines.get(Co.chain2)?.state.kind, 'suspended');
    assert.equal(rec.eventCount, rec.history.length);
    assert.equal(rec.state.kind, 'live');
    const ended = store.receive({
      type: 'recording-ended',
      id: 'r1',
      batch: 7,
      state: { kind: 'ended', exitCode: 0, signal: null },
    });
    assert.equal(ended.kind, 'changed');
    assert.equal(rec.state.kind, 'ended');
    assert.deepEqual(rec.trace.problems, []);
  });

  it('asks for a resync on a gap and ignores batches until the snapshot', () => {
    const store = new RecordingStore();
    const parts = chunks(bytes, 4);
    store.receive({ type: 'recording-started', id: 'r1', title: 'demo' });
    store.receive({ type: 'trace-bytes', id: 'r1', batch: 1, bytes: parts[0]! });
    const gap = store.receive({ type: 'trace-bytes', id: 'r1', batch: 3, bytes: parts[2]! });
    assert.equal(gap.kind, 'resync');
    assert.match(gap.kind === 'resync' ? gap.reason : '', /batch 3 after 1/);
    assert.equal(store.receive({ type: 'trace-bytes', id: 'r1', batch: 4, bytes: parts[3]! }).kind, 'ignored');
    assert.equal(store.receive({ type: 'recording-started', id: 'r2', title: 'other' }).kind, 'ignored');
    const snap = snapshot([{ id: 'r1', title: 'demo', bytes, batch: 4, state: { kind: 'live' } }]);
    assert.equal(store.receive(snap).kind, 'changed');
    assert.equal(store.awaitingSnapshot, false);
    assert.equal(store.active?.batch, 4);
    assert.equal(store.receive({ type: 'trace-bytes', id: 'r1', batch: 5, bytes: new Uint8Array(0) }).kind, 'changed');
  });

  it('asks for a resync when bytes or an end come for an unknown recording, or an end skips a batch', () => {
    const store = new RecordingStore();
    assert.equal(store.receive({ type: 'trace-bytes', id: 'nope', batch: 1, bytes }).kind, 'resync');
    const other = new RecordingStore();
    other.receive({ type: 'recording-started', id: 'r1', title: 'demo' });
    other.receive({ type: 'trace-bytes', id: 'r1', batch: 1, bytes });
    const end = other.receive({
      type: 'recording-ended',
      id: 'r1',
      batch: 2,
      state: { kind: 'ended', exitCode: 0, signal: null },
    });
    assert.equal(end.kind, 'resync');
  });

  it('replaces everything on a snapshot and picks the active recording', () => {
    const store = new RecordingStore();
    store.receive({ type: 'recording-started', id: 'old', title: 'old' });
    const recs: RecordingSnapshot[] = [
      { id: 'a', title: 'A', bytes, batch: 2, state: { kind: 'ended', exitCode: 0, signal: null } },
      { id: 'b', title: 'B', bytes: bytes.subarray(0, 100), batch: 1, state: { kind: 'live' } },
    ];
    store.receive(snapshot(recs, 'a'));
    assert.deepEqual(
      store.recordings.map((r) => r.id),
      ['a', 'b'],
    );
    assert.equal(store.activeId, 'a');
    store.receive(snapshot(recs), 'b');
    assert.equal(store.activeId, 'b', 'the view remembers its own choice when the host names none');
    store.receive(snapshot(recs), 'gone');
    assert.equal(store.activeId, 'b', 'an unknown preference falls back to the current one');
    store.receive(snapshot([]));
    assert.equal(store.activeId, undefined);
  });

  it('selects a newly started recording and only known ones on request', () => {
    const store = new RecordingStore();
    store.receive({ type: 'recording-started', id: 'r1', title: 'one' });
    store.receive({ type: 'recording-started', id: 'r2', title: 'two' });
    assert.equal(store.activeId, 'r2');
    assert.equal(store.select('r1'), true);
    assert.equal(store.select('zz'), false);
    assert.equal(store.activeId, 'r1');
  });
});

describe('webview recording memory bounds', () => {
  /** A long trace: many short-lived generators, each created, resumed and returned. */
  function longTrace(generators: number): Uint8Array {
    const events: TraceEvent[] = [];
    let seq = 0;
    const undef = { type: 'undefined', text: 'undefined' } as const;
    for (let co = 1; co <= generators; co++) {
      events.push({ seq: seq++, time: 0, kind: 'create', co, site: 1, parent: 0, coKind: 'generator', args: [] });
      events.push({
        seq: seq++,
        time: 0,
        kind: 'resume',
        co,
        mode: 'next',
        value: { type: 'number', text: '1' },
        resumer: 0,
      });
      events.push({ seq: seq++, time: 0, kind: 'return', co, value: undef });
    }
    const trace: Trace = {
      header: {
        format: 'yieldscope-trace',
        version: 1,
        program: '/p/main.js',
        args: [],
        cwd: '/p',
        node: 'v20',
        pid: 1,
        startTime: 0,
        tracer: 'test',
      },
      files: new Map([[1, { id: 1, url: 'file:///p/main.js' }]]),
      sites: new Map([[1, { id: 1, file: 1, line: 1, column: 1, kind: 'function', name: 'g' }]]),
      events,
      problems: [],
    };
    return encodeTrace(trace);
  }

  it('keeps the newest events, forgets old finished coroutines and warnings, and counts what it let go', () => {
    const rec = new Recording('r', 't', { kind: 'live' }, 0, { events: 600, snapshotEvery: 50 });
    for (const chunk of chunks(longTrace(1000), 40)) rec.append(chunk);
    assert.equal(rec.eventCount, 3000);
    assert.ok(rec.history.length <= 600 && rec.history.length >= 300, `kept ${rec.history.length} events`);
    assert.equal(rec.history.store.event(rec.history.length - 1).seq, 2999, 'the newest event is kept');
    assert.equal(rec.trace.events.length, 0, 'the decoder does not hold decoded events');
    assert.ok(rec.model.coroutines.size <= 200 + 1, `kept ${rec.model.coroutines.size} coroutines`);
    assert.equal(rec.model.coroutines.size + rec.forgottenCoroutines, 1000);
    assert.ok(rec.model.coroutines.has(1000), 'the newest is kept');
    // every generator was sent 1 before it started: one warning each
    assert.ok(rec.model.warnings.length <= 200, `kept ${rec.model.warnings.length} warnings`);
    assert.equal(rec.model.warnings.length + rec.forgottenWarnings, 1000);
  });

  it('notes a trace cut inside a record when it ends', () => {
    const bytes = sampleTraceBytes();
    const rec = new Recording('r', 't', { kind: 'live' });
    rec.append(bytes.subarray(0, bytes.length - 3));
    rec.finish({ kind: 'ended', exitCode: 0, signal: null });
    assert.equal(rec.trace.problems.length, 1);
    assert.match(rec.trace.problems[0]!, /ends inside a record/);
  });
});
