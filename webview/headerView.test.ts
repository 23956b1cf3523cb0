// Unit tests of the header text: program, status for each way a recording ends, counts and problems.

import assert from 'node:assert/strict';
import { encodeTrace } from '../src/protocol/codec';
import type { RecordingState } from '../src/protocol/messages';
import { sampleTrace, sampleTraceBytes } from '../test/report/fixture';
import { headerView } from './headerView';
import { Recording } from './recording';

function recordingOf(bytes: Uint8Array, state: RecordingState, title = 'demo'): Recording {
  const rec = new Recording('r', title, { kind: 'live' });
  rec.append(bytes);
  if (state.kind === 'live') return rec;
  rec.finish(state);
  return rec;
}

const ended: RecordingState = { kind: 'ended', exitCode: 0, signal: null };

describe('webview header', () => {
  it('shows the program relative to its folder, Node, and the counts', () => {
    const view = headerView(recordingOf(sampleTraceBytes(), ended));
    assert.equal(view.title, 'demo');
    assert.equal(view.program, 'src/pipeline.ts --limit 3');
    assert.equal(view.programTitle, '/home/ada/pipeline/src/pipeline.ts --limit 3');
    assert.equal(view.node, 'v20.20.2');
    assert.equal(view.events, sampleTrace().events.length);
    assert.equal(view.coroutines, 8);
    assert.equal(view.dropped, 0);
    assert.deepEqual(view.problems, []);
    assert.deepEqual([view.status, view.statusText], ['ended', 'ended, exit code 0']);
  });

  it('says live, failed, signalled, uncaught and cut', () => {
    const live = headerView(recordingOf(sampleTraceBytes({ live: true }), { kind: 'live' }));
    assert.deepEqual([live.status, live.statusText], ['live', 'live']);
    const failed = headerView(recordingOf(sampleTraceBytes(), { kind: 'failed', message: 'could not start node' }));
    assert.deepEqual([failed.status, failed.statusText], ['failed', 'failed: could not start node']);
    const signal = headerView(
      recordingOf(sampleTraceBytes({ live: true }), { kind: 'ended', exitCode: null, signal: 'SIGTERM' }),
    );
    assert.deepEqual([signal.status, signal.statusText], ['ended', 'ended by SIGTERM']);
    const code = headerView(
      recordingOf(sampleTraceBytes({ live: true }), { kind: 'ended', exitCode: 3, signal: null }),
    );
    assert.deepEqual([code.status, code.statusText], ['failed', 'ended, exit code 3']);

    const trace = sampleTrace({ live: true });
    const n = trace.events.length;
    trace.events.push({
      seq: n,
      time: 9,
      kind: 'end',
      co: 0,
      exitCode: 1,
      reason: 'uncaught',
      error: { type: 'error', text: 'Error: boom' },
    });
    const uncaught = headerView(recordingOf(encodeTrace(trace), { kind: 'ended', exitCode: 1, signal: null }));
    assert.deepEqual([uncaught.status, uncaught.statusText], ['failed', 'ended, uncaught: Error: boom (exit code 1)']);

    trace.events[n] = { seq: n, time: 9, kind: 'end', co: 0, exitCode: 0, reason: 'cut' };
    const cut = headerView(recordingOf(encodeTrace(trace), ended));
    assert.deepEqual([cut.status, cut.statusText], ['problem', 'recording cut short']);
  });

  it('lists dropped events and damage among the problems', () => {
    const trace = sampleTrace();
    trace.events.splice(3, 0, { seq: 3, time: 0, kind: 'dropped', co: 0, count: 1200 });
    const bytes = encodeTrace(trace);
    const view = headerView(recordingOf(bytes.subarray(0, bytes.length - 2), ended, ''));
    assert.equal(view.dropped, 1200);
    assert.equal(view.title, 'src/pipeline.ts --limit 3', 'the program stands in for a missing title');
    assert.equal(view.problems.length, 2);
    assert.match(view.problems[0]!, /ends inside a record/);
    assert.match(view.problems[1]!, /dropped 1,200 events/);
  });

  it('calls a trace without a header unreadable', () => {
    const view = headerView(recordingOf(new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8, 9]), ended));
    assert.deepEqual([view.status, view.statusText], ['problem', 'unreadable trace']);
    assert.equal(view.program, '');
    assert.equal(view.problems.length, 1);
  });
});
