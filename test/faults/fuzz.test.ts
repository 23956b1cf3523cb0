// A fuzz test of everything a trace file goes through before a view draws it: the decoder, whole and streamed,
// then the webview's own ingestion (webview/recording.ts: the event store, the model, the queues, snapshots for
// seeking) and its header view. Inputs: random bytes, a real trace damaged by random edits, and well-framed
// records with random fields (huge numbers, markup, junk previews). For a bounded time (10 s by default,
// YIELDSCOPE_FUZZ_MS to change), with a random seed that a failure prints (YIELDSCOPE_FUZZ_SEED to replay it).

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as fc from 'fast-check';
import { ByteWriter, TraceDecoder, decodeTrace, encodeHeader } from '../../src/protocol/codec';
import { Rec, TRACE_MAGIC, eventKinds, previewTypes, type Preview, type Trace } from '../../src/protocol/trace';
import { headerView } from '../../webview/headerView';
import { Recording } from '../../webview/recording';
import { HEADER, MARKUP, markupTraceBytes } from './crafted';
import { FAULT_FIXTURES, cleanupFaultScratch, runTracedAsync } from './run';

const FUZZ_MS = Number(process.env['YIELDSCOPE_FUZZ_MS']) || 10_000;
const SEED = Number(process.env['YIELDSCOPE_FUZZ_SEED']) || Math.floor(Math.random() * 2 ** 31);
/** The most one input may take through the decoder and the webview's ingestion. */
const PER_INPUT_MS = 500;

const KINDS = Object.values(Rec) as number[];

/** A varint-sized number: usually small, sometimes at the edges of what the format carries. */
const number = fc.oneof(
  { weight: 6, arbitrary: fc.nat(300) },
  { weight: 1, arbitrary: fc.constantFrom(127, 128, 2 ** 31 - 1, 2 ** 31, 2 ** 32 - 1, 2 ** 32, 2 ** 53 - 1) },
  { weight: 1, arbitrary: fc.maxSafeNat() },
);
const text = fc.oneof(fc.constantFrom(...MARKUP, '', 'x'.repeat(5000)), fc.string({ maxLength: 40, unit: 'grapheme' }));
const preview: fc.Arbitrary<Preview> = fc.oneof(
  fc.record({ type: fc.constantFrom(...previewTypes), text }),
  fc.record({ type: fc.constant('number' as const), text: fc.constantFrom('0', '-0', 'NaN', '1e308', '-5', '2.5') }),
  fc.record({ type: fc.constant('string' as const), text, truncated: fc.boolean() }),
);
/** One field of a record payload, written with the codec's own writer. */
const field = fc.oneof(
  { weight: 4, arbitrary: number.map((n) => (w: ByteWriter) => w.varint(n)) },
  { weight: 3, arbitrary: fc.nat(255).map((n) => (w: ByteWriter) => w.u8(n)) },
  { weight: 2, arbitrary: preview.map((p) => (w: ByteWriter) => w.preview(p)) },
  { weight: 1, arbitrary: text.map((s) => (w: ByteWriter) => w.string(s)) },
  { weight: 1, arbitrary: fc.uint8Array({ maxLength: 8 }).map((b) => (w: ByteWriter) => w.bytes(b)) },
);
/** A well-framed record: a known kind (mostly) and random fields. */
const record = fc.tuple(
  fc.oneof({ weight: 9, arbitrary: fc.constantFrom(...KINDS) }, { weight: 1, arbitrary: fc.nat(255) }),
  fc.array(field, { maxLength: 8 }),
);
const structured = fc.array(record, { maxLength: 40 }).map((records) => {
  const w = new ByteWriter().bytes(encodeHeader(HEADER));
  for (const [kind, fields] of records) {
    const payload = new ByteWriter();
    for (const f of fields) f(payload);
    w.record(kind, payload);
  }
  return w.toBytes();
});

/** Random edits to a base trace: set, insert or delete bytes, or cut it short. */
function damaged(base: Uint8Array): fc.Arbitrary<Uint8Array> {
  const edit = fc.record({
    op: fc.constantFrom('set', 'insert', 'delete', 'cut'),
    at: fc.nat(base.length + 16),
    bytes: fc.uint8Array({ minLength: 1, maxLength: 6 }),
  });
  return fc.array(edit, { minLength: 1, maxLength: 6 }).map((edits) => {
    let b = base.slice();
    for (const e of edits) {
      const at = Math.min(e.at, b.length);
      if (e.op === 'set') {
        b = b.slice();
        b.set(e.bytes.subarray(0, b.length - at), at);
      } else if (e.op === 'insert') {
        b = new Uint8Array([...b.subarray(0, at), ...e.bytes, ...b.subarray(at)]);
      } else if (e.op === 'delete') {
        b = new Uint8Array([...b.subarray(0, at), ...b.subarray(at + e.bytes.length)]);
      } else {
        b = b.subarray(0, at);
      }
    }
    return b;
  });
}

/** Decodes in the pieces `cuts` makes, as a stream delivers them. */
function streamed(bytes: Uint8Array, cuts: readonly number[]): Trace {
  const d = new TraceDecoder();
  let from = 0;
  for (const c of [...cuts].map((x) => x % (bytes.length + 1)).sort((a, b) => a - b)) {
    d.push(bytes.subarray(from, c));
    from = c;
  }
  d.push(bytes.subarray(from));
  return d.finish();
}

function checkWellFormed(t: Trace): void {
  let last = -1;
  for (const e of t.events) {
    assert.ok(eventKinds.includes(e.kind), e.kind);
    assert.ok(Number.isFinite(e.seq) && e.seq > last, `seq ${e.seq} after ${last}`);
    assert.ok(Number.isFinite(e.time), `time ${e.time}`);
    last = e.seq;
  }
  for (const p of t.problems) assert.equal(typeof p, 'string');
}

describe('faults: fuzzing the decoder and the webview ingestion', function () {
  this.timeout(FUZZ_MS + 60_000);
  let real: Uint8Array;

  before(async function () {
    const run = await runTracedAsync(process.execPath, ['small-real.mjs'], FAULT_FIXTURES);
    real = new Uint8Array(readFileSync(run.traceFile));
  });
  after(cleanupFaultScratch);

  it(`never throws, hangs or disagrees with itself, for ${FUZZ_MS / 1000} s of inputs (seed ${SEED})`, function () {
    let runs = 0;
    const input = fc.oneof(
      { weight: 2, arbitrary: fc.uint8Array({ maxLength: 600 }) },
      { weight: 1, arbitrary: fc.uint8Array({ maxLength: 200 }).map((b) => new Uint8Array([...TRACE_MAGIC, ...b])) },
      { weight: 3, arbitrary: damaged(real) },
      { weight: 1, arbitrary: damaged(markupTraceBytes()) },
      { weight: 4, arbitrary: structured },
    );
    fc.assert(
      fc.property(input, fc.array(fc.nat(), { maxLength: 5 }), (bytes, cuts) => {
        runs++;
        const t0 = performance.now();
        const whole = decodeTrace(bytes);
        checkWellFormed(whole);
        // Streamed in any pieces, the decoder reads the same events and the same problems.
        const pieces = streamed(bytes, cuts);
        assert.deepEqual(pieces.events, whole.events);
        assert.deepEqual(pieces.problems, whole.problems);
        // The webview's path: store, model, queues, snapshots, seeking, the header.
        const rec = new Recording('r', 'fuzz', { kind: 'live' }, 0, { events: 64, snapshotEvery: 8 });
        rec.append(bytes);
        rec.finish({ kind: 'ended', exitCode: 0, signal: null });
        const view = headerView(rec);
        assert.equal(typeof view.statusText, 'string');
        for (const i of [-1, 0, rec.history.length >> 1, rec.history.length - 1]) rec.history.at(i);
        const took = performance.now() - t0;
        assert.ok(took < PER_INPUT_MS, `one input of ${bytes.length} bytes took ${Math.round(took)} ms`);
      }),
      { seed: SEED, numRuns: 1e9, interruptAfterTimeLimit: FUZZ_MS, markInterruptAsFailure: false },
    );
    assert.ok(runs > 100, `only ${runs} inputs in ${FUZZ_MS} ms`);
  });
});
