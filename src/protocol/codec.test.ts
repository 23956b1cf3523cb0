// The codec: what goes in comes out, and damaged input never throws: the valid prefix is kept and the damage
// named in `problems`.

import assert from 'node:assert/strict';
import * as fc from 'fast-check';
import { ByteWriter, TraceDecoder, decodeTrace, encodeHeader, encodeTrace, isUnreadable } from './codec';
import { Rec, TRACE_MAGIC, type Preview, type Trace, type TraceEvent } from './trace';

const header = {
  program: '/work/app.ts',
  args: ['--fast'],
  cwd: '/work',
  node: 'v22.0.0',
  pid: 42,
  startTime: 1_700_000_000_000,
  tracer: 'test',
};

function sample(): Trace {
  const value = (text: string): Preview => ({ type: 'string', text });
  const events: TraceEvent[] = [
    {
      seq: 0,
      time: 0.001,
      kind: 'create',
      co: 1,
      site: 1,
      parent: 0,
      coKind: 'generator',
      args: [{ type: 'number', text: '3' }],
    },
    {
      seq: 1,
      time: 0.002,
      kind: 'resume',
      co: 1,
      mode: 'next',
      value: { type: 'undefined', text: 'undefined' },
      resumer: 0,
    },
    { seq: 2, time: 0.002, kind: 'yield', co: 1, site: 2, value: { type: 'number', text: '-1.5' } },
    { seq: 3, time: 0.01, kind: 'delegate', co: 1, site: 3, target: 0, iterable: value('héllo ✓') },
    { seq: 4, time: 0.01, kind: 'finally', co: 1, site: 4 },
    { seq: 5, time: 0.02, kind: 'throw', co: 1, error: { type: 'error', text: 'TypeError: boom', truncated: true } },
    {
      seq: 6,
      time: 0.02,
      kind: 'reenter',
      co: 1,
      mode: 'throw',
      resumer: 1,
      error: { type: 'error', text: 'TypeError: x' },
    },
    { seq: 7, time: 0.03, kind: 'output', co: 0, stream: 'stderr', text: 'line\n' },
    { seq: 8, time: 0.04, kind: 'dropped', co: 0, count: 5 },
    {
      seq: 14,
      time: 0.05,
      kind: 'end',
      co: 0,
      exitCode: -3,
      reason: 'uncaught',
      error: { type: 'bigint', text: '10n' },
    },
  ];
  return {
    header: { format: 'yieldscope-trace', version: 1, ...header },
    files: new Map([[1, { id: 1, url: 'file:///work/app.ts' }]]),
    sites: new Map([
      [1, { id: 1, file: 1, line: 3, column: 1, kind: 'function', name: 'gen' }],
      [2, { id: 2, file: 1, line: 4, column: 3, kind: 'yield', name: 'gen' }],
      [3, { id: 3, file: 1, line: 5, column: 3, kind: 'delegate', name: 'gen' }],
      [4, { id: 4, file: 1, line: 6, column: 5, kind: 'finally', name: 'gen' }],
    ]),
    events,
    problems: [],
  };
}

describe('trace codec', () => {
  it('decodes what it encodes, field for field', () => {
    const t = sample();
    const back = decodeTrace(encodeTrace(t));
    assert.deepEqual(back.problems, []);
    assert.deepEqual(back.header, t.header);
    assert.deepEqual(back.files, t.files);
    assert.deepEqual(back.sites, t.sites);
    assert.deepEqual(back.events, t.events);
  });

  it('decodes the same in chunks of any size as in one piece', () => {
    const bytes = encodeTrace(sample());
    const whole = decodeTrace(bytes);
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 40 }), { minLength: 1, maxLength: 30 }), (sizes) => {
        const d = new TraceDecoder();
        let at = 0;
        for (let i = 0; at < bytes.length; i++) {
          const n = sizes[i % sizes.length]!;
          d.push(bytes.subarray(at, at + n));
          at += n;
        }
        const t = d.finish();
        assert.deepEqual(t.events, whole.events);
        assert.deepEqual(t.problems, []);
      }),
      { seed: 7, numRuns: 200 },
    );
  });

  it('expands a step record into the resume and the yield it stands for', () => {
    const w = new ByteWriter().bytes(encodeHeader(header));
    const p = new ByteWriter().varint(5).varint(2).varint(0).preview({ type: 'number', text: '7' }).varint(9);
    p.preview({ type: 'string', text: 'out' });
    w.record(Rec.Step, p);
    const t = decodeTrace(w.toBytes());
    assert.deepEqual(t.events, [
      { seq: 0, time: 0.005, co: 2, kind: 'resume', mode: 'next', value: { type: 'number', text: '7' }, resumer: 0 },
      { seq: 1, time: 0.005, co: 2, kind: 'yield', site: 9, value: { type: 'string', text: 'out' } },
    ]);
  });

  it('expands a chain step into every level of the yield* chain the delegate records describe', () => {
    const w = new ByteWriter().bytes(encodeHeader(header));
    const none = { type: 'other', text: 'g' } as const;
    // 1 delegates to 2 at site 11, 2 to 3 at site 12; then next(4) on 1 reaches a yield of 5 at site 13 in 3.
    w.record(Rec.Delegate, new ByteWriter().varint(0).varint(1).varint(11).varint(2).preview(none));
    w.record(Rec.Delegate, new ByteWriter().varint(0).varint(2).varint(12).varint(3).preview(none));
    const p = new ByteWriter().varint(0).varint(1).varint(0).preview({ type: 'number', text: '4' });
    p.varint(2).varint(13).preview({ type: 'number', text: '5' });
    w.record(Rec.ChainStep, p);
    const t = decodeTrace(w.toBytes());
    const shown = t.events
      .slice(2)
      .map((e) =>
        e.kind === 'resume'
          ? `${e.seq} resume ${e.co} by ${e.resumer} with ${e.value.text}`
          : `${e.seq} ${e.kind} ${e.co} at ${'site' in e ? e.site : ''} ${'value' in e ? e.value.text : ''}`,
      );
    assert.deepEqual(shown, [
      '2 resume 1 by 0 with 4',
      '3 resume 2 by 1 with 4',
      '4 resume 3 by 2 with 4',
      '5 yield 3 at 13 5',
      '6 yield 2 at 12 5',
      '7 yield 1 at 11 5',
    ]);
    assert.deepEqual(t.problems, []);
  });

  it('keeps what it can of a chain step whose delegates it never saw, and says so', () => {
    const w = new ByteWriter().bytes(encodeHeader(header));
    const p = new ByteWriter().varint(0).varint(1).varint(0).preview({ type: 'number', text: '4' });
    p.varint(2).varint(13).preview({ type: 'number', text: '5' });
    w.record(Rec.ChainStep, p);
    const t = decodeTrace(w.toBytes());
    assert.deepEqual(
      t.events.map((e) => `${e.kind} ${e.co}`),
      ['resume 1', 'yield 1'],
    );
    assert.match(t.problems.join('\n'), /chain step goes past the known delegates of coroutine 1/);
  });

  it('keeps everything before the cut when a trace is cut at any byte, and says so', () => {
    const bytes = encodeTrace(sample());
    const full = decodeTrace(bytes).events;
    // Record boundaries: where a cut leaves nothing half-written.
    const boundaries = new Set<number>();
    for (let at = TRACE_MAGIC.length; at < bytes.length;) {
      boundaries.add(at);
      let len = 0;
      let shift = 1;
      let i = at + 1;
      for (;;) {
        const b = bytes[i++]!;
        len += (b & 0x7f) * shift;
        shift *= 128;
        if (b < 0x80) break;
      }
      at = i + len;
    }
    for (let n = 0; n < bytes.length; n++) {
      const t = decodeTrace(bytes.subarray(0, n));
      assert.deepEqual(t.events, full.slice(0, t.events.length), `cut at ${n}`);
      if (t.problems.length === 0) {
        assert.ok(boundaries.has(n) && t.header !== undefined, `cut at ${n}: damage not reported`);
      }
    }
  });

  it('says plainly when a file is not a trace', () => {
    for (const input of ['', 'hello world', '{"format":"yieldscope-trace"}', '\x89YST\r\n\x1a']) {
      const t = decodeTrace(new TextEncoder().encode(input));
      assert.ok(isUnreadable(t), JSON.stringify(input));
      assert.match(t.problems[0] ?? '', /not a Yieldscope trace|no header/);
    }
  });

  it('refuses a trace from a newer format version with a message that says to update', () => {
    const w = new ByteWriter().bytes(TRACE_MAGIC);
    w.record(Rec.Header, new ByteWriter().string(JSON.stringify({ format: 'yieldscope-trace', version: 99 })));
    const t = decodeTrace(w.toBytes());
    assert.ok(isUnreadable(t));
    assert.match(t.problems[0]!, /version 99 is newer .* update Yieldscope/);
  });

  it('skips records of unknown kinds and keeps counting', () => {
    const w = new ByteWriter().bytes(encodeHeader(header));
    w.record(99, new ByteWriter().varint(1).string('future'));
    w.record(Rec.Return, new ByteWriter().varint(0).varint(1).preview({ type: 'null', text: 'null' }));
    const t = decodeTrace(w.toBytes());
    assert.equal(t.events.length, 1);
    assert.equal(t.events[0]!.seq, 0);
    assert.deepEqual(t.problems, ['skipped unknown record kind 99']);
  });

  it('never throws on random bytes, with or without a valid start', () => {
    const start = encodeHeader(header);
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), fc.boolean(), (noise, valid) => {
        const bytes = valid ? new Uint8Array([...start, ...noise]) : noise;
        const t = decodeTrace(bytes);
        assert.ok(Array.isArray(t.events));
        for (const e of t.events) assert.equal(typeof e.seq, 'number');
      }),
      { seed: 11, numRuns: 2000 },
    );
  });

  it('rejects impossible lengths and counts instead of allocating for them', () => {
    const w = new ByteWriter().bytes(encodeHeader(header));
    w.u8(Rec.Create).varint(2 ** 40);
    const t = decodeTrace(w.toBytes());
    assert.equal(t.events.length, 0);
    assert.match(t.problems.join(), /too large/);
    const w2 = new ByteWriter().bytes(encodeHeader(header));
    w2.record(Rec.Create, new ByteWriter().varint(0).varint(1).varint(1).varint(0).u8(1).varint(1_000_000));
    assert.match(decodeTrace(w2.toBytes()).problems.join(), /too many arguments/);
  });
});
