// Batching, keeping and counting trace bytes, without processes.

import * as assert from 'node:assert/strict';
import { TraceBuffer } from '../../../src/extension/traceBuffer';
import type { TraceBatch } from '../../../src/extension/traceBuffer';
import { concatBytes, memoryLogger, traceBytes, waitFor } from './helpers';

describe('extension/traceBuffer', () => {
  const buffers: TraceBuffer[] = [];
  afterEach(() => buffers.splice(0).forEach((b) => b.dispose()));

  function buffer(options: { maxKeptBytes?: number; batchIntervalMs?: number } = {}) {
    const log = memoryLogger();
    const b = new TraceBuffer({ title: 't', log, ...options });
    buffers.push(b);
    const batches: TraceBatch[] = [];
    b.onDidBatch((x) => batches.push(x));
    return { b, batches, log };
  }

  it('gathers pushes into one batch per interval, numbered from 1', async () => {
    const { b, batches } = buffer({ batchIntervalMs: 40 });
    const bytes = traceBytes(50);
    for (let i = 0; i < bytes.length; i += 100) b.push(bytes.subarray(i, i + 100));
    await waitFor('a batch', () => batches.length === 1);
    b.push(new Uint8Array(0));
    b.flush();
    assert.deepEqual(
      batches.map((x) => x.batch),
      [1],
    );
    assert.deepEqual(batches[0]!.bytes, bytes);
    assert.equal(b.eventCount, 50);
  });

  it('never sends two batches closer than the interval', async () => {
    const { b, batches } = buffer({ batchIntervalMs: 60 });
    const times: number[] = [];
    b.onDidBatch(() => times.push(Date.now()));
    const until = Date.now() + 400;
    while (Date.now() < until) {
      b.push(new Uint8Array([1, 2, 3]));
      await new Promise((r) => setTimeout(r, 5));
    }
    b.flush();
    assert.ok(batches.length <= 9, `${batches.length} batches in 400 ms`);
    for (let i = 1; i < times.length - 1; i++)
      assert.ok(times[i]! - times[i - 1]! >= 55, `gap ${times[i]! - times[i - 1]!}`);
  });

  it('gives a snapshot that matches the batches sent, and hands out fresh arrays', () => {
    const { b, batches } = buffer();
    const backing = new Uint8Array(100).fill(7);
    b.push(backing.subarray(10, 20));
    b.flush();
    b.push(new Uint8Array([1, 2]));
    b.flush();
    assert.equal(batches[0]!.bytes.buffer.byteLength, 10, 'a batch must not drag a larger buffer along');
    const snap = b.snapshot();
    assert.equal(snap.batch, 2);
    assert.deepEqual(snap.bytes, concatBytes(batches.map((x) => x.bytes)));
    assert.equal(b.snapshot().bytes, snap.bytes, 'a second snapshot reuses the joined bytes');
  });

  it('stops at the memory bound, warns once, and counts what it dropped', () => {
    const { b, batches, log } = buffer({ maxKeptBytes: 25 });
    const warnings: string[] = [];
    b.onDidWarn((w) => warnings.push(w));
    for (let i = 0; i < 5; i++) b.push(new Uint8Array(10));
    b.flush();
    assert.equal(b.keptBytes, 20);
    assert.equal(b.droppedBytes, 30);
    assert.equal(concatBytes(batches.map((x) => x.bytes)).length, 20);
    assert.equal(warnings.length, 1);
    assert.ok(log.lines.some((l) => l.startsWith('warn') && l.includes('memory limit (25 bytes)')));
  });

  it('notes a stream that is not a trace, once', () => {
    const { b, log } = buffer();
    b.push(new TextEncoder().encode('this is not a trace at all'));
    b.flush();
    b.push(new Uint8Array([1, 2, 3]));
    b.flush();
    assert.equal(log.lines.filter((l) => l.includes('the trace stream is damaged')).length, 1);
    assert.equal(b.eventCount, 0);
  });
});
