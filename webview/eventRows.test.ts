// Unit tests of the Events list rows and of the bounded ring of recent events.

import assert from 'node:assert/strict';
import { modelAt } from '../src/model/coroutines';
import type { TraceEvent } from '../src/protocol/trace';
import { Co, FIXTURE_CWD, HOSTILE_VALUE, sampleTrace } from '../test/report/fixture';
import { EventRing, eventRow } from './eventRows';

describe('webview event rows', () => {
  const trace = sampleTrace();
  const ctx = { model: modelAt(trace), trace, cwd: FIXTURE_CWD };
  const rows = trace.events.map((ev) => eventRow(ev, ctx));

  it('gives one row per event with seq, kind and coroutine', () => {
    assert.equal(rows.length, trace.events.length);
    assert.deepEqual(
      rows.map((r) => r.seq),
      trace.events.map((e) => e.seq),
    );
    assert.deepEqual(
      rows.slice(0, 3).map((r) => [r.kind, r.who]),
      [
        ['create', 'gen#1'],
        ['resume', 'gen#1'],
        ['yield', 'gen#1'],
      ],
    );
  });

  it('says what moved: resumptions, values, delegation, errors, the end', () => {
    const detail = (pred: (e: TraceEvent) => boolean): string => rows[trace.events.findIndex(pred)]!.detail;
    assert.equal(
      detail((e) => e.kind === 'create' && e.co === Co.gen),
      'generator(3, "alpha")',
    );
    assert.equal(
      detail((e) => e.kind === 'create' && e.co === Co.internal),
      'generator() in gen#1',
    );
    assert.equal(
      detail((e) => e.kind === 'resume' && e.co === Co.gen),
      'next()',
    );
    assert.equal(
      detail((e) => e.kind === 'resume' && e.co === Co.internal && e.value.text === '42'),
      'next(42) from gen#1',
    );
    assert.equal(
      detail((e) => e.kind === 'delegate' && e.co === Co.gen),
      'yield* internal#2',
    );
    assert.equal(
      detail((e) => e.kind === 'yield' && e.co === Co.chain2),
      '{id: 7, ok: true}',
    );
    assert.equal(
      detail((e) => e.kind === 'yield' && e.co === Co.chain2 && e.value.type === 'string'),
      JSON.stringify(HOSTILE_VALUE),
    );
    assert.equal(
      detail((e) => e.kind === 'resume' && e.mode === 'throw'),
      'throw(Error: bad input)',
    );
    assert.equal(
      detail((e) => e.kind === 'reenter'),
      'next() while running: TypeError: Generator is already running',
    );
    assert.equal(
      detail((e) => e.kind === 'output' && e.stream === 'stderr'),
      'stderr: caught Error: bad input',
    );
    assert.equal(
      detail((e) => e.kind === 'end'),
      'exit code 0',
    );
  });

  it('links create, yield and delegate events to their sites', () => {
    const site = (i: number): string | undefined => rows[i]!.site?.label;
    assert.equal(site(0), 'src/pipeline.ts:3:1');
    assert.equal(site(2), 'src/pipeline.ts:5:5');
    assert.equal(site(1), undefined);
    const yieldChain2 = trace.events.findIndex((e) => e.kind === 'yield' && e.co === Co.chain2);
    assert.equal(site(yieldChain2), 'src/chain.ts:4:5');
    assert.equal(rows[yieldChain2]!.site?.title, `${FIXTURE_CWD}/src/chain.ts:4:5`);
  });

  it('names the top level and coroutines it has not seen', () => {
    const row = eventRow({ seq: 99, time: 0, kind: 'return', co: 77, value: { type: 'number', text: '1' } }, ctx);
    assert.equal(row.who, '#77');
    const out = rows.find((r) => r.kind === 'output')!;
    assert.equal(out.who, 'top level');
  });
});

describe('webview event ring', () => {
  const ev = (seq: number, co = 1): TraceEvent => ({
    seq,
    time: 0,
    kind: 'return',
    co,
    value: { type: 'undefined', text: 'undefined' },
  });

  it('keeps the newest events, oldest first', () => {
    const ring = new EventRing(3);
    for (let i = 0; i < 7; i++) ring.push(ev(i));
    assert.equal(ring.size, 3);
    assert.deepEqual(
      ring.toArray().map((e) => e.seq),
      [4, 5, 6],
    );
  });

  it('filters without disturbing the order', () => {
    const ring = new EventRing(4);
    for (let i = 0; i < 6; i++) ring.push(ev(i, i % 2));
    assert.deepEqual(
      ring.toArray((e) => e.co === 1).map((e) => e.seq),
      [3, 5],
    );
  });

  it('holds everything while under capacity, nothing at capacity 0', () => {
    const ring = new EventRing(10);
    for (let i = 0; i < 4; i++) ring.push(ev(i));
    assert.deepEqual(
      ring.toArray().map((e) => e.seq),
      [0, 1, 2, 3],
    );
    const none = new EventRing(0);
    none.push(ev(1));
    assert.equal(none.size, 0);
  });
});
