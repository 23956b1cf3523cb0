// Trace files as the editor opens them: a good file, one cut short, one corrupted in the middle, one from a newer
// tracer, a foreign file and an empty one, each with a sentence that says what is wrong; and the file as the one
// recording of the editor's webview.

import * as assert from 'node:assert/strict';
import { ByteWriter } from '../../../src/protocol/codec';
import { TRACE_MAGIC } from '../../../src/protocol/trace';
import {
  FileRecording,
  StaticRecordings,
  checkTraceFile,
  fileState,
  traceFileName,
} from '../../../src/extension/traceFileSource';
import { bytesOf, sendingValues } from './traces';

describe('extension/traceFileSource', () => {
  const good = bytesOf(sendingValues('ended'));

  it('opens a whole trace without a word', () => {
    const check = checkTraceFile(good, 'main.ystrace');
    assert.equal(check.kind, 'ok');
    assert.deepEqual(fileState(check), { kind: 'ended', exitCode: 0, signal: null });
  });

  it('says a file cut short keeps what came before the cut', () => {
    const check = checkTraceFile(good.subarray(0, good.length - 3), 'cut.ystrace');
    assert.equal(check.kind, 'damaged');
    const message = (check as { message: string }).message;
    assert.match(message, /^cut\.ystrace: /);
    assert.match(message, /ends inside a record/);
    assert.match(message, /no end record/);
    assert.match(message, /Everything before that is shown\.$/);
    assert.deepEqual(fileState(check), { kind: 'ended', exitCode: null, signal: null });
  });

  it('says a file damaged near its end is read up to the damage', () => {
    const bad = good.slice();
    const at = bad.length - 12; // inside the last events
    bad[at] = 0xff; // a record length or kind that makes no sense
    bad[at + 1] = 0xff;
    bad[at + 2] = 0xff;
    const check = checkTraceFile(bad, 'bad.ystrace');
    assert.equal(check.kind, 'damaged');
    assert.ok((check as { trace: { events: unknown[] } }).trace.events.length > 0);
  });

  it('says a file from a newer trace format needs a newer Yieldscope', () => {
    const w = new ByteWriter().bytes(TRACE_MAGIC);
    const header = {
      format: 'yieldscope-trace',
      version: 99,
      program: '/a.ts',
      args: [],
      cwd: '/',
      node: 'v30',
      pid: 1,
      startTime: 0,
      tracer: 'x',
    };
    w.record(1, new ByteWriter().string(JSON.stringify(header)));
    const check = checkTraceFile(w.toBytes(), 'new.ystrace');
    assert.equal(check.kind, 'unreadable');
    assert.match(
      (check as { message: string }).message,
      /^new\.ystrace cannot be read .*version 99 .*update Yieldscope/,
    );
  });

  it('says a foreign or empty file is not a trace, and never throws', () => {
    const png = checkTraceFile(new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0]), 'image.ystrace');
    assert.equal(png.kind, 'unreadable');
    assert.match((png as { message: string }).message, /^image\.ystrace is not a Yieldscope trace \(/);
    const json = checkTraceFile(new TextEncoder().encode('{"traceEvents": []}'), 'x.ystrace');
    assert.equal(json.kind, 'unreadable');
    const empty = checkTraceFile(new Uint8Array(0), 'empty.ystrace');
    assert.match((empty as { message: string }).message, /empty/);
    assert.deepEqual(fileState(empty), { kind: 'failed', message: (empty as { message: string }).message });
    const onlyMagic = checkTraceFile(TRACE_MAGIC, 'magic.ystrace');
    assert.equal(onlyMagic.kind, 'unreadable');
    for (let seed = 1; seed < 200; seed++) {
      const noise = good.map((b, i) => (i > 8 && (i * seed) % 13 === 0 ? (b * seed) & 0xff : b));
      checkTraceFile(noise, 'noise.ystrace');
    }
  });

  it('holds the file as the one finished recording of the editor', () => {
    const recording = new FileRecording('file-1', 'main.ystrace', good, checkTraceFile(good, 'main.ystrace'));
    const source = new StaticRecordings(recording);
    assert.deepEqual(source.list(), [recording]);
    assert.equal(source.get('file-1'), recording);
    assert.equal(source.get('other'), undefined);
    assert.equal(recording.isRunning, false);
    assert.equal(recording.pid, 4242);
    assert.deepEqual(recording.snapshot(), { bytes: good, batch: 0 });
  });

  it('names a saved trace after its program', () => {
    assert.equal(traceFileName({ program: '/w/src/main.ts' }), 'main.ystrace');
    assert.equal(traceFileName({ program: '/w/my app.mjs' }), 'my_app.ystrace');
    assert.equal(traceFileName(undefined), 'recording.ystrace');
  });
});
