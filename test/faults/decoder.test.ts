// Trace files are untrusted input: the decoder (src/protocol/codec.ts) must turn anything into either a clear
// problem or the valid prefix, never throw, never hang, and never allocate for sizes it was merely told. Beyond
// src/protocol/codec.test.ts (a synthetic trace cut anywhere, random bytes, a newer version, unknown kinds):
// a real trace cut and damaged at every byte, streamed or whole; records that are well framed but wrong in every
// way a field can be; very large numbers; markup in every string; header JSON aimed at prototypes.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ByteWriter, TraceDecoder, decodeTrace, encodeHeader, isUnreadable } from '../../src/protocol/codec';
import { Rec, TRACE_MAGIC, type Trace, type TraceEvent } from '../../src/protocol/trace';
import { EventStore } from '../../src/model/eventStore';
import {
  HEADER,
  chainCycle,
  ev,
  largeIds,
  markupTrace,
  markupTraceBytes,
  okYield,
  seqPastSafe,
  terminalEscapes,
  traceOf,
  withHeaderText,
} from './crafted';
import { FAULT_FIXTURES, cleanupFaultScratch, runTracedAsync } from './run';

/** Decodes, and fails if that took longer than `ms`. */
function timedDecode(bytes: Uint8Array, ms: number, what: string): Trace {
  const t0 = performance.now();
  const t = decodeTrace(bytes);
  const took = performance.now() - t0;
  assert.ok(took < ms, `${what}: decoding ${bytes.length} bytes took ${Math.round(took)} ms`);
  return t;
}

/** Decodes in two pieces split at `at`, as a stream would deliver them. */
function decodeInTwo(bytes: Uint8Array, at: number): Trace {
  const d = new TraceDecoder();
  d.push(bytes.subarray(0, at));
  d.push(bytes.subarray(at));
  return d.finish();
}

/** Offsets where a record starts (and the end of the input): the cuts that leave nothing half written. */
function recordStarts(bytes: Uint8Array): number[] {
  const starts: number[] = [];
  let at = TRACE_MAGIC.length;
  while (at < bytes.length) {
    starts.push(at);
    let len = 0;
    let scale = 1;
    let i = at + 1;
    for (;;) {
      const b = bytes[i++]!;
      len += (b & 0x7f) * scale;
      scale *= 128;
      if (b < 0x80) break;
    }
    at = i + len;
  }
  starts.push(bytes.length);
  return starts;
}

describe('faults: trace files as untrusted input to the decoder', function () {
  this.timeout(60_000);
  let real: Uint8Array;
  let full: Trace;

  before(async function () {
    const run = await runTracedAsync(process.execPath, ['small-real.mjs'], FAULT_FIXTURES);
    assert.equal(run.status, 2, run.stderr);
    real = new Uint8Array(readFileSync(run.traceFile));
    full = decodeTrace(real);
    assert.deepEqual(full.problems, []);
    assert.ok(full.events.length > 30 && full.events.at(-1)?.kind === 'end');
  });
  after(cleanupFaultScratch);

  it('reads empty input, stray bytes, a cut signature, text, JSON and other formats as "not a trace"', function () {
    const inputs: [string, Uint8Array][] = [
      ['empty', new Uint8Array(0)],
      ['one zero byte', new Uint8Array(1)],
      ['the first byte of the signature', TRACE_MAGIC.subarray(0, 1)],
      ['the signature cut at 7', TRACE_MAGIC.subarray(0, 7)],
      ['the signature alone', TRACE_MAGIC],
      ['text', new TextEncoder().encode('hello\n')],
      ['JSON', new TextEncoder().encode('{"format":"yieldscope-trace","version":1}')],
      ['a PNG signature', new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13])],
      ['gzip', new Uint8Array([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3])],
      ['the signature with CRLF turned into LF', new Uint8Array([0x89, 0x59, 0x53, 0x54, 0x0a, 0x1a, 0x0a, 1, 2])],
      ['10 MB of zeros', new Uint8Array(10 * 1024 * 1024)],
    ];
    for (const [what, bytes] of inputs) {
      for (const t of [timedDecode(bytes, 200, what), decodeInTwo(bytes, bytes.length >> 1)]) {
        assert.ok(isUnreadable(t), what);
        assert.equal(t.problems.length, 1, `${what}: ${t.problems.join('; ')}`);
        assert.match(t.problems[0]!, /^not a Yieldscope trace|^the trace has no header( \(at byte \d+\))?$/, what);
        assert.equal(t.events.length, 0, what);
      }
    }
  });

  it('keeps every complete record of a real trace cut at any byte, whole or streamed, and names the cut', function () {
    const starts = new Set(recordStarts(real));
    const headerEnd = recordStarts(real)[1]!;
    const t0 = performance.now();
    for (let n = 0; n <= real.length; n++) {
      const prefix = real.subarray(0, n);
      const whole = decodeTrace(prefix);
      const what = `cut at ${n} of ${real.length}`;
      assert.deepEqual(whole.events, full.events.slice(0, whole.events.length), what);
      if (n >= headerEnd && starts.has(n)) {
        assert.deepEqual(whole.problems, [], what);
      } else {
        assert.equal(whole.problems.length, 1, `${what}: ${whole.problems.join('; ')}`);
        assert.match(
          whole.problems[0]!,
          /^the trace ends inside a record \(\d+ bytes cut\)$|^not a Yieldscope trace \(too short\)$|^the trace has no header \(at byte 8\)$/,
          what,
        );
      }
      const streamed = decodeInTwo(prefix, (n * 7919) % (n + 1));
      assert.deepEqual(streamed.events, whole.events, `${what}, streamed`);
      assert.deepEqual(streamed.problems, whole.problems, `${what}, streamed`);
    }
    // One byte at a time, the whole trace.
    const d = new TraceDecoder();
    for (let i = 0; i < real.length; i++) d.push(real.subarray(i, i + 1));
    assert.deepEqual(d.finish().events, full.events);
    assert.ok(performance.now() - t0 < 10_000, 'cutting at every byte took too long');
  });

  it('damage to any byte of a real trace never throws or hangs, and keeps every record before it', function () {
    const starts = recordStarts(real);
    /** Events in the records that start before `offset`'s record. */
    const eventsBefore = (offset: number): number => {
      let i = 0;
      while (starts[i + 1]! <= offset) i++;
      return decodeTrace(real.subarray(0, starts[i]!)).events.length;
    };
    const t0 = performance.now();
    for (let i = 0; i < real.length; i++) {
      const keep = eventsBefore(i);
      for (const b of [0x00, 0xff, real[i]! ^ 0x80, real[i]! ^ 0x01]) {
        if (b === real[i]) continue;
        const bytes = real.slice();
        bytes[i] = b;
        const what = `byte ${i} set to ${b}`;
        const t = timedDecode(bytes, 250, what);
        assert.deepEqual(t.events.slice(0, keep), full.events.slice(0, keep), what);
        assert.ok(t.events.length <= 2 * bytes.length, `${what}: ${t.events.length} events`);
        for (const p of t.problems) assert.equal(typeof p, 'string', what);
      }
    }
    assert.ok(performance.now() - t0 < 20_000, 'damaging every byte took too long');
  });

  it('a valid header followed by nonsense: each unreadable record ends the decode with a plain message, the rest kept', function () {
    const s = (text: string): ByteWriter => new ByteWriter().string(text);
    const cases: [string, [number, ByteWriter][], RegExp][] = [
      [
        'a second header',
        [[Rec.Header, s(JSON.stringify({ format: 'yieldscope-trace', version: 1 }))]],
        /a second header/,
      ],
      [
        'a coroutine kind that does not exist',
        [[Rec.Create, ev(1).varint(1).varint(0).u8(9).varint(0)]],
        /unknown coroutine kind 9/,
      ],
      ['a resume mode that does not exist', [[Rec.Resume, ev(1).u8(7).u8(0).varint(0)]], /unknown resume mode 7/],
      ['a value tag that does not exist', [[Rec.Yield, ev(1).varint(1).u8(77)]], /unknown value tag 77/],
      [
        'a value type that does not exist',
        [[Rec.Yield, ev(1).varint(1).u8(9).u8(200).u8(0).string('x')]],
        /unknown value type/,
      ],
      ['an end reason that does not exist', [[Rec.End, ev(0).zigzag(0).u8(9).u8(0)]], /unknown end reason 9/],
      [
        'a site kind that does not exist',
        [[Rec.Site, new ByteWriter().varint(1).varint(1).varint(1).varint(1).u8(0).string('f')]],
        /unknown site kind 0/,
      ],
      ['a queue that does not exist', [[Rec.TaskQueue, ev(0).varint(1).u8(0).varint(0)]], /unknown queue 0/],
      ['a consumer that does not exist', [[Rec.Consume, ev(1).varint(1).u8(9)]], /unknown consumer 9/],
      [
        'a string longer than its record',
        [[Rec.Output, ev(0).u8(1).varint(1000).string('short')]],
        /text runs past its record/,
      ],
      ['a record shorter than its fields', [[Rec.Resume, ev(1)]], /record ends early/],
      [
        'a number of nine bytes',
        [[Rec.Return, new ByteWriter().bytes(new Uint8Array([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f]))]],
        /number too large/,
      ],
      ['65 arguments', [[Rec.Create, ev(1).varint(1).varint(0).u8(1).varint(65)]], /too many arguments/],
    ];
    for (const [what, records, problem] of cases) {
      const bytes = traceOf([okYield('before'), ...records, okYield('after')]);
      const t = timedDecode(bytes, 100, what);
      assert.ok(t.header, what);
      assert.deepEqual(
        t.events.map((e) => (e.kind === 'yield' ? e.value.text : e.kind)),
        ['before'],
        what,
      );
      assert.equal(t.problems.length, 1, `${what}: ${t.problems.join('; ')}`);
      assert.match(t.problems[0]!, problem, what);
      assert.match(t.problems[0]!, / \(at byte \d+\)$/, `${what}: the message says where`);
    }
    // Unknown kinds are skipped (a newer tracer's records), not fatal.
    const skipped = decodeTrace(traceOf([okYield('before'), [200, s('<script>future</script>')], okYield('after')]));
    assert.deepEqual(
      skipped.events.map((e) => (e.kind === 'yield' ? e.value.text : e.kind)),
      ['before', 'after'],
    );
    assert.deepEqual(skipped.problems, ['skipped unknown record kind 200']);
    // Records before the header, and a record too long to be real.
    assert.match(
      decodeTrace(new ByteWriter().bytes(TRACE_MAGIC).record(Rec.Yield, ev(1)).toBytes()).problems[0]!,
      /records before the header/,
    );
    const long = new ByteWriter()
      .bytes(encodeHeader(HEADER))
      .u8(Rec.Output)
      .varint(2 ** 50)
      .toBytes();
    assert.match(timedDecode(long, 100, 'a record of 2^50 bytes').problems[0]!, /record of \d+ bytes is too large/);
  });

  it('very large ids and counts decode exactly as written', function () {
    const t = timedDecode(largeIds(), 100, 'large ids');
    assert.deepEqual(t.problems, []);
    const big = 2 ** 32 + 5;
    assert.deepEqual(t.sites.get(big), {
      id: big,
      file: 1,
      line: 2 ** 40,
      column: 2 ** 40,
      kind: 'function',
      name: 'g',
    });
    const [c1, c2, resume, queue, end] = t.events as [TraceEvent, TraceEvent, TraceEvent, TraceEvent, TraceEvent];
    assert.ok(c1.kind === 'create' && c1.co === big && c1.site === big && c1.parent === 2 ** 31 + 7);
    assert.ok(c2.kind === 'create' && c2.co === 5);
    assert.ok(resume.kind === 'resume' && resume.co === big && resume.resumer === 2 ** 33);
    assert.ok(queue.kind === 'task-queue' && queue.task === 2 ** 35 && queue.delay === 2 ** 31);
    assert.ok(end.kind === 'end' && end.exitCode === -(2 ** 40));
    // The biggest count a varint carries is read; one byte more is refused, not allocated for.
    const most = decodeTrace(traceOf([[Rec.Dropped, ev(0).varint(Number.MAX_SAFE_INTEGER)]]));
    assert.ok(most.events[0]?.kind === 'dropped' && most.events[0].count === Number.MAX_SAFE_INTEGER);
    const tooMany = new ByteWriter()
      .varint(0)
      .varint(0)
      .bytes(new Uint8Array([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f]));
    assert.match(decodeTrace(traceOf([[Rec.Dropped, tooMany]])).problems[0]!, /number too large/);
  });

  it('a dropped count that would take seq past 2^53 is damage: every event is kept, every seq is exact and increasing, with a problem: decoder/seq-past-safe.bin', function () {
    const t = decodeTrace(readFileSync(join(FAULT_FIXTURES, 'decoder', 'seq-past-safe.bin')));
    for (let i = 1; i < t.events.length; i++) {
      const [a, b] = [t.events[i - 1]!.seq, t.events[i]!.seq];
      assert.ok(Number.isSafeInteger(b) && b > a, `seq ${b} after ${a}`);
    }
    assert.ok(t.events.length > 2, 'the events after the damage are kept');
    assert.match(t.problems.join('; '), /dropped count of \d+ is too large/);
  });

  it('the event store (model, webview) keeps coroutine and site ids past 32 bits and parents, resumers, tasks and exit codes past 31 exactly: decoder/large-ids.bin', function () {
    const t = decodeTrace(readFileSync(join(FAULT_FIXTURES, 'decoder', 'large-ids.bin')));
    const store = new EventStore();
    for (const e of t.events) store.push(e);
    assert.deepEqual(
      t.events.map((_, i) => store.event(i)),
      t.events,
    );
  });

  it('a chain step through delegates that loop (1 → 2 → 1) stops at the loop and says so: decoder/chain-cycle.bin', function () {
    const bytes = new Uint8Array(readFileSync(join(FAULT_FIXTURES, 'decoder', 'chain-cycle.bin')));
    const t = timedDecode(bytes, 250, 'chain-cycle.bin');
    assert.ok(t.events.length < 10 * bytes.length, `${t.events.length} events from ${bytes.length} bytes`);
    assert.match(t.problems.join('\n'), /chain/);
  });

  it('the repro files of the bugs above hold what crafted.ts builds', function () {
    const files: [string, Uint8Array][] = [
      ['chain-cycle.bin', chainCycle()],
      ['seq-past-safe.bin', seqPastSafe()],
      ['large-ids.bin', largeIds()],
      ['terminal-escapes.bin', terminalEscapes()],
    ];
    for (const [name, bytes] of files) {
      assert.deepEqual(new Uint8Array(readFileSync(join(FAULT_FIXTURES, 'decoder', name))), bytes, name);
    }
  });

  it('refuses a trace from a future version or another format, saying what to do, with nothing half-read', function () {
    for (const version of [2, 99, 1e300]) {
      const t = decodeTrace(
        withHeaderText(JSON.stringify({ format: 'yieldscope-trace', version, program: '<b>x</b>' })),
      );
      assert.ok(isUnreadable(t), String(version));
      assert.match(t.problems[0]!, /newer than this Yieldscope understands .* update Yieldscope/, String(version));
    }
    const other = decodeTrace(withHeaderText(JSON.stringify({ format: '<script>x</script>', version: 1 })));
    assert.ok(isUnreadable(other));
    assert.match(other.problems[0]!, /the header names another format/);
    for (const version of ['2', null, [2], { v: 2 }]) {
      const t = decodeTrace(withHeaderText(JSON.stringify({ format: 'yieldscope-trace', version })));
      assert.ok(isUnreadable(t), JSON.stringify(version));
      assert.match(t.problems[0]!, /the header has no version/, JSON.stringify(version));
    }
  });

  it('keeps markup and script in every string exactly as written (the views must show them as text)', function () {
    const t = decodeTrace(markupTraceBytes());
    const want = markupTrace();
    assert.deepEqual(t.problems, []);
    assert.deepEqual(t.header, want.header);
    assert.deepEqual(t.files, want.files);
    assert.deepEqual(t.sites, want.sites);
    assert.deepEqual(
      t.events.map(({ time: _t, ...rest }) => rest),
      want.events.map(({ time: _t, ...rest }) => rest),
    );
  });

  it('header JSON reaches no prototype and adds no field; wrong types become empty, deep nesting a problem', function () {
    const t = decodeTrace(
      withHeaderText(
        '{"__proto__":{"polluted":1},"constructor":{"prototype":{"polluted":2}},"format":"yieldscope-trace",' +
          '"version":1,"program":{"toString":"x"},"args":["a",1,null,{"x":1},"<b>"],"pid":"12","startTime":1e999,' +
          '"extra":"<script>"}',
      ),
    );
    assert.deepEqual(t.problems, []);
    assert.deepEqual(t.header, {
      format: 'yieldscope-trace',
      version: 1,
      program: '',
      args: ['a', '<b>'],
      cwd: '',
      node: '',
      pid: 0,
      startTime: 0,
      tracer: '',
    });
    assert.equal(({} as Record<string, unknown>)['polluted'], undefined);
    assert.equal(Object.getPrototypeOf(t.header), Object.prototype);
    const deep = timedDecode(withHeaderText('['.repeat(16_000)), 250, 'deep JSON');
    assert.ok(isUnreadable(deep));
    assert.match(deep.problems[0]!, /not valid JSON/);
  });
});
