// Adding the end record after a signal: a trace cut anywhere inside a record gets its cut bytes dropped and the
// end record after its last whole record; a trace that ended, is not a trace, or is damaged is left alone; and
// a trace of tens of megabytes takes a fraction of a second.

import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeTrace, encodeHeader, ByteWriter } from '../protocol/codec';
import { Rec } from '../protocol/trace';
import { appendSignalEnd } from './traceEnd';

const header = encodeHeader({
  program: '/work/app.js',
  args: [],
  cwd: '/work',
  node: 'v22.0.0',
  pid: 1,
  startTime: 0,
  tracer: 'test',
});

/** A yield record of coroutine 1 with a string value of `n` characters (so some records take 2 length bytes). */
function yieldRecord(n: number): Uint8Array {
  const p = new ByteWriter()
    .varint(1)
    .varint(1)
    .varint(0)
    .preview({ type: 'string', text: 'y'.repeat(n) });
  return new ByteWriter().record(Rec.Yield, p).toBytes();
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

describe('yieldscope run: the end record after a signal', () => {
  let dir = '';
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'ys-trace-end-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));
  const file = (name: string, bytes: Uint8Array): string => {
    const path = join(dir, name);
    writeFileSync(path, bytes);
    return path;
  };

  it('a trace cut at any byte of its records keeps every whole record and ends "signal"', () => {
    const records = [yieldRecord(3), yieldRecord(200), yieldRecord(0)];
    const whole = concat([header, ...records]);
    for (let cut = header.length; cut <= whole.length; cut++) {
      const path = file(`cut-${cut}.ystrace`, whole.subarray(0, cut));
      assert.equal(appendSignalEnd(path, 'SIGTERM', 143), 'added', `cut at ${cut}`);
      const trace = decodeTrace(new Uint8Array(readFileSync(path)));
      assert.deepEqual(trace.problems, [], `cut at ${cut}`);
      let kept = 0;
      for (let i = 0, end = header.length; i < records.length; i++) {
        end += records[i]!.length;
        if (end <= cut) kept++;
      }
      const yields = trace.events.filter((e) => e.kind === 'yield');
      assert.equal(yields.length, kept, `cut at ${cut}`);
      const last = trace.events.at(-1);
      assert.ok(last?.kind === 'end', `cut at ${cut}`);
      assert.deepEqual([last.reason, last.exitCode, last.error?.text], ['signal', 143, 'SIGTERM']);
    }
  });

  it('a trace that already ended, one without a header, one that is not a trace, and a damaged one are left alone', () => {
    const end = new ByteWriter().varint(0).varint(0).zigzag(0).u8(0).u8(0);
    const ended = concat([header, yieldRecord(1), new ByteWriter().record(Rec.End, end).toBytes()]);
    const damaged = concat([header, yieldRecord(1), new Uint8Array([Rec.Yield, 0xff, 0xff, 0x7f, 1, 2, 3])]);
    const cases: [string, Uint8Array, string][] = [
      ['ended', ended, 'ended'],
      ['signature only', header.subarray(0, 8), 'unreadable'],
      ['not a trace', new Uint8Array(100).fill(7), 'unreadable'],
      ['damaged', damaged, 'unreadable'],
    ];
    for (const [name, bytes, outcome] of cases) {
      const path = file(`${name}.ystrace`, bytes);
      assert.equal(appendSignalEnd(path, 'SIGTERM', 143), outcome, name);
      assert.deepEqual(new Uint8Array(readFileSync(path)), bytes, name);
    }
    assert.equal(appendSignalEnd(join(dir, 'missing.ystrace'), 'SIGTERM', 143), 'unreadable');
  });

  it('a 60 MB trace cut inside a record, records across every 1 MB read boundary: quick, every record kept', function () {
    this.timeout(30_000);
    const a = yieldRecord(5);
    const b = yieldRecord(130);
    const pair = concat([a, b]);
    const count = Math.ceil((60 << 20) / pair.length);
    const big = new Uint8Array(header.length + count * pair.length + 2);
    big.set(header, 0);
    for (let i = 0; i < count; i++) big.set(pair, header.length + i * pair.length);
    big.set(b.subarray(0, 2), big.length - 2);
    const path = file('big.ystrace', big);
    const t0 = performance.now();
    assert.equal(appendSignalEnd(path, 'SIGKILL', 137), 'added');
    const ms = performance.now() - t0;
    assert.ok(ms < 1000, `${Math.round(ms)} ms for ${big.length} bytes`);
    const trace = decodeTrace(new Uint8Array(readFileSync(path)));
    assert.deepEqual(trace.problems, []);
    assert.equal(trace.events.length, 2 * count + 1);
    assert.equal(trace.events.at(-1)?.kind, 'end');
  });
});
