// Unit tests of the heap series: Heap records survive the codec (and an older or newer trace still opens), samples
// are placed by time however they arrive, the series up to any moment is what a seek shows, a phase's peak is
// found, and the bound on samples keeps the peaks.

import assert from 'node:assert/strict';
import { ByteWriter, MAX_HEAP_SAMPLES, decodeTrace, emptyTrace, encodeHeader, encodeTrace } from '../protocol/codec';
import { Rec, type HeapSample, type Trace } from '../protocol/trace';
import { HeapSeries, describeHeap, megabytes } from './heap';

const MB = 1048576;

function sample(time: number, usedMb: number, seq = 0): HeapSample {
  return { time, seq, used: usedMb * MB, total: (usedMb + 4) * MB, rss: (usedMb + 40) * MB };
}

function traceWithHeap(): Trace {
  const t = emptyTrace();
  t.header = {
    format: 'yieldscope-trace',
    version: 1,
    program: 'main.ts',
    args: [],
    cwd: '/w',
    node: 'v20',
    pid: 1,
    startTime: 0,
    tracer: 't',
  };
  t.events.push(
    { seq: 0, time: 1, co: 0, kind: 'task-run', task: 1 },
    { seq: 1, time: 9, co: 0, kind: 'task-end', task: 1 },
    { seq: 2, time: 10, co: 0, kind: 'end', exitCode: 0, reason: 'exit' },
  );
  t.heap!.push(sample(0.5, 4, 0), sample(5.25, 30, 1), sample(9.5, 6, 2), sample(10.001, 6, 3));
  return t;
}

describe('heap samples in the trace', () => {
  it('decode as they were encoded, beside the events and without taking sequence numbers', () => {
    const t = traceWithHeap();
    const back = decodeTrace(encodeTrace(t));
    assert.deepEqual(back.problems, []);
    assert.deepEqual(back.events, t.events);
    assert.deepEqual(back.heap, t.heap);
  });

  it('decode from a trace without any (an older tracer, or the sampler off) as none', () => {
    const t = traceWithHeap();
    t.heap!.length = 0;
    const back = decodeTrace(encodeTrace(t));
    assert.deepEqual(back.heap, []);
    assert.equal(back.events.length, 3);
  });

  it('stay bounded in a decoded trace: past MAX_HEAP_SAMPLES every other one is let go, the newest kept', () => {
    const t = traceWithHeap();
    t.heap!.length = 0;
    const n = MAX_HEAP_SAMPLES + 10;
    for (let i = 0; i < n; i++) t.heap!.push(sample(i / 1000, 4 + (i % 7), 3));
    const back = decodeTrace(encodeTrace(t));
    assert.deepEqual(back.problems, []);
    assert.ok(
      back.heap!.length <= MAX_HEAP_SAMPLES && back.heap!.length > MAX_HEAP_SAMPLES / 2,
      `${back.heap!.length}`,
    );
    assert.deepEqual(back.heap!.at(-1), t.heap!.at(-1));
    const times = back.heap!.map((h) => h.time);
    assert.ok(
      times.every((x, i) => i === 0 || x > times[i - 1]!),
      'still in time order',
    );
  });

  it('keep their four fields when a newer tracer appends more, and a cut record is reported', () => {
    const w = new ByteWriter().bytes(
      encodeHeader({ program: 'p', args: [], cwd: '', node: '', pid: 1, startTime: 0, tracer: '' }),
    );
    w.record(
      Rec.Heap,
      new ByteWriter()
        .varint(2500)
        .varint(7 * MB)
        .varint(9 * MB)
        .varint(50 * MB)
        .varint(123),
    );
    const wide = decodeTrace(w.toBytes());
    assert.deepEqual(wide.problems, []);
    assert.deepEqual(wide.heap, [{ time: 2.5, seq: 0, used: 7 * MB, total: 9 * MB, rss: 50 * MB }]);
    const cut = new ByteWriter().bytes(
      encodeHeader({ program: 'p', args: [], cwd: '', node: '', pid: 1, startTime: 0, tracer: '' }),
    );
    cut.record(Rec.Heap, new ByteWriter().varint(2500).varint(7 * MB));
    const damaged = decodeTrace(cut.toBytes());
    assert.deepEqual(damaged.heap, []);
    assert.equal(damaged.problems.length, 1);
    assert.match(damaged.problems[0]!, /record ends early/);
  });
});

describe('HeapSeries', () => {
  it('places samples by time, whatever order they are written in', () => {
    const series = new HeapSeries();
    // The tracer writes samples taken during a loop of steps after the loop: a later one can come first.
    series.add([sample(0, 4), sample(30, 9), sample(10, 5), sample(20, 7)]);
    assert.deepEqual(
      series.samples.map((s) => s.time),
      [0, 10, 20, 30],
    );
  });

  it('gives the series as it was at any moment, for seeking', () => {
    const series = new HeapSeries();
    series.add([sample(0, 4), sample(10, 5), sample(20, 7), sample(30, 9)]);
    assert.deepEqual(
      series.until(19.9).map((s) => s.time),
      [0, 10],
    );
    assert.equal(series.until(20).length, 3, 'a sample taken at the moment counts');
    assert.equal(series.until(-1).length, 0);
    assert.equal(series.at(25)?.used, 7 * MB);
    assert.equal(series.at(-1), undefined);
  });

  it("finds each phase's peak and when it was reached", () => {
    const series = new HeapSeries();
    series.add([sample(0, 4), sample(5, 6), sample(10, 5), sample(15, 20), sample(20, 31), sample(25, 12)]);
    const lazy = series.summary(0, 10)!;
    assert.equal(lazy.maxUsed, 6 * MB);
    assert.equal(lazy.maxAt, 5);
    assert.equal(lazy.minUsed, 4 * MB);
    const eager = series.summary(10, 25)!;
    assert.equal(eager.count, 4, 'the bounds are inclusive');
    assert.equal(eager.maxUsed, 31 * MB);
    assert.equal(eager.maxAt, 20);
    assert.equal(eager.last.time, 25);
    assert.equal(series.summary(26, 40), undefined);
  });

  it('stays within its capacity and keeps the highest heap of each merged pair', () => {
    const series = new HeapSeries(8);
    const used = [4, 5, 4, 6, 4, 50, 4, 5, 4, 6, 4, 5];
    series.add(used.map((mb, i) => sample(i, mb)));
    assert.ok(series.length <= 8, `${series.length} samples kept`);
    assert.ok(series.merged > 0);
    assert.equal(series.summary()!.maxUsed, 50 * MB, 'the peak survives');
    assert.equal(series.summary()!.maxAt, 5);
  });

  it('ignores samples that are not numbers (a trace is untrusted input)', () => {
    const series = new HeapSeries();
    series.add([
      sample(1, 4),
      { ...sample(2, 4), used: Number.NaN },
      { ...sample(3, 4), time: -1 },
      { ...sample(4, 4), rss: '5' as unknown as number },
    ]);
    assert.equal(series.length, 1);
  });

  it('describes itself in words, up to the moment shown', () => {
    const series = new HeapSeries();
    assert.equal(describeHeap(series), 'Heap: no sample yet.');
    series.add([sample(0, 4), sample(400, 31.5), sample(1500, 6)]);
    assert.equal(
      describeHeap(series, 500),
      'Heap in use: 31.5 MB at 400 ms (2 samples); lowest 4.0 MB, highest 31.5 MB at 400 ms; process size 71.5 MB.',
    );
    assert.match(describeHeap(series), /^Heap in use: 6\.0 MB at 1\.50 s \(3 samples\)/);
    assert.equal(megabytes(150 * MB), '150 MB');
  });
});
