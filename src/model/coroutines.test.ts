// Unit tests of the coroutine model's yield* bookkeeping: a delegate that finishes releases whoever
// delegated to it, through the index of delegators rather than a scan of every coroutine.

import assert from 'node:assert/strict';
import type { Preview, Site, TraceEvent } from '../protocol/trace';
import { CoroutineModel } from './coroutines';

/** An event without seq and time, for each kind (Omit does not distribute over a union by itself). */
type Body = TraceEvent extends infer E ? (E extends TraceEvent ? Omit<E, 'seq' | 'time'> : never) : never;

const undef: Preview = { type: 'undefined', text: 'undefined' };
const sites = new Map<number, Site>([
  [1, { id: 1, file: 1, line: 1, column: 1, kind: 'function', name: 'g' }],
  [2, { id: 2, file: 1, line: 2, column: 3, kind: 'delegate', name: 'g' }],
  [3, { id: 3, file: 1, line: 3, column: 3, kind: 'yield', name: 'g' }],
]);

/** Applies events with seq numbers filled in. */
function run(model: CoroutineModel, events: readonly Body[]): CoroutineModel {
  for (const ev of events) model.apply({ ...ev, seq: model.seq + 1, time: 0 } as TraceEvent);
  return model;
}

const create = (co: number): Body => ({
  kind: 'create',
  co,
  site: 1,
  parent: 0,
  coKind: 'generator',
  args: [],
});
const resume = (co: number, resumer = 0): Body => ({
  kind: 'resume',
  co,
  mode: 'next',
  value: undef,
  resumer,
});
const delegate = (co: number, target: number): Body => ({
  kind: 'delegate',
  co,
  site: 2,
  target,
  iterable: { type: 'generator', text: 'g' },
});
const ret = (co: number): Body => ({ kind: 'return', co, value: undef });
const fail = (co: number): Body => ({ kind: 'throw', co, error: undef });
const yieldAt = (co: number, site: number): Body => ({
  kind: 'yield',
  co,
  site,
  value: undef,
});

describe('coroutine model: yield* delegation', () => {
  it('releases the delegator when its delegate returns, and again after it delegates elsewhere', () => {
    const m = run(new CoroutineModel({ sites }), [
      create(1),
      resume(1),
      create(2),
      delegate(1, 2),
      resume(2, 1),
      yieldAt(2, 3),
      yieldAt(1, 2),
    ]);
    assert.deepEqual(m.coroutines.get(1)?.state, { kind: 'delegating', site: 2, target: 2 });
    assert.deepEqual(
      m.chain(1).map((c) => c.id),
      [1, 2],
    );
    run(m, [resume(1), resume(2, 1), ret(2)]);
    assert.equal(m.coroutines.get(1)?.delegate, undefined);
    assert.equal(m.coroutines.get(1)?.state.kind, 'running');
    run(m, [create(3), delegate(1, 3), resume(3, 1), fail(3)]);
    assert.equal(m.coroutines.get(1)?.delegate, undefined);
    assert.equal(m.coroutines.get(1)?.state.kind, 'running');
  });

  it('does not release a delegator that has moved on to another delegate', () => {
    const m = run(new CoroutineModel({ sites }), [
      create(1),
      create(2),
      create(3),
      delegate(1, 2),
      delegate(1, 3),
      ret(2),
    ]);
    assert.equal(m.coroutines.get(1)?.delegate, 3);
    run(m, [ret(3)]);
    assert.equal(m.coroutines.get(1)?.delegate, undefined);
  });

  it('releases every coroutine that delegated to the one that finished', () => {
    const m = run(new CoroutineModel({ sites }), [
      create(1),
      create(2),
      create(9),
      delegate(1, 9),
      delegate(2, 9),
      ret(9),
    ]);
    assert.equal(m.coroutines.get(1)?.delegate, undefined);
    assert.equal(m.coroutines.get(2)?.delegate, undefined);
  });

  it('stays fast with many suspended coroutines while others finish', () => {
    const m = new CoroutineModel({ sites });
    const events: Body[] = [];
    for (let co = 1; co <= 30_000; co++) events.push(create(co), resume(co), yieldAt(co, 3));
    for (let co = 30_001; co <= 60_000; co++) events.push(create(co), resume(co), ret(co));
    const started = Date.now();
    run(m, events);
    // A scan of every coroutine per return made this take seconds.
    assert.ok(Date.now() - started < 1500, `took ${Date.now() - started} ms`);
  });
});

describe('coroutine model: untraced workers and child processes', () => {
  it('warns once per spawn, naming who started what, and takes the warning back on undo', () => {
    const model = new CoroutineModel({ sites });
    model.journal = [];
    run(model, [
      create(1),
      resume(1),
      { kind: 'spawn', co: 1, what: 'child', command: 'sh -c echo spawned' },
      { kind: 'spawn', co: 0, what: 'worker', command: 'a worker thread' },
    ]);
    assert.deepEqual(
      model.warnings.map((w) => [w.kind, w.co, w.message]),
      [
        ['untraced-spawn', 1, 'g#1 started a child process (sh -c echo spawned): its coroutines are not traced'],
        ['untraced-spawn', 0, 'The top level started a worker thread: its coroutines are not traced'],
      ],
    );
    assert.ok(model.undo());
    assert.equal(model.warnings.length, 1);
    assert.ok(model.undo());
    assert.equal(model.warnings.length, 0);
  });
});
