// The event store keeps every id and count of a trace exactly, however large, in its compact columns or in its
// side table, also after the oldest events are forgotten.

import assert from 'node:assert/strict';
import type { Preview, TraceEvent } from '../protocol/trace';
import { EventStore } from './eventStore';

const none: Preview = { type: 'undefined', text: 'undefined' };
const BIG = 2 ** 32 + 5;
const HUGE = Number.MAX_SAFE_INTEGER;

function events(): TraceEvent[] {
  return [
    { seq: 0, time: 0, co: 1, kind: 'create', site: 3, parent: 0, coKind: 'generator', args: [] },
    { seq: 1, time: 1, co: BIG, kind: 'create', site: BIG, parent: 2 ** 31 + 7, coKind: 'generator', args: [] },
    { seq: 2, time: 2, co: BIG, kind: 'resume', mode: 'next', value: none, resumer: 2 ** 33 },
    { seq: 3, time: 3, co: 1, kind: 'resume', mode: 'next', value: none, resumer: BIG },
    { seq: 4, time: 4, co: BIG, kind: 'task-queue', task: 2 ** 35, queue: 'timer', delay: 5 },
    { seq: 5, time: 5, co: HUGE, kind: 'await', site: 2 ** 32 - 1, target: -(2 ** 31), value: none },
    { seq: 6, time: 6, co: 0, kind: 'dropped', count: 2 ** 40 },
    { seq: 7, time: 7, co: 0, kind: 'end', exitCode: -(2 ** 40), reason: 'exit' },
  ];
}

describe('EventStore', function () {
  it('reads back ids, sites, tasks, exit codes and counts past 32 bits exactly, beside ordinary ones', function () {
    const store = new EventStore();
    const evs = events();
    for (const e of evs) store.push(e);
    assert.deepEqual(
      evs.map((_, i) => store.event(i)),
      evs,
    );
    assert.equal(store.coAt(1), BIG);
    assert.equal(store.coAt(0), 1);
    assert.deepEqual(store.eventsOf(BIG), [1, 2, 4]);
    assert.deepEqual(store.eventsOf(HUGE), [5]);
    assert.equal(store.resumerAt(2), 2 ** 33);
    assert.equal(store.resumerAt(3), BIG);
    assert.equal(store.taskAt(4), 2 ** 35);
    assert.deepEqual(store.eventsOfTask(2 ** 35), [4]);
  });

  it('keeps the large values with their events when the oldest events are forgotten', function () {
    const store = new EventStore();
    const evs = events();
    for (const e of evs) store.push(e);
    store.dropBefore(2);
    assert.equal(store.length, evs.length - 2);
    assert.deepEqual(
      evs.slice(2).map((_, i) => store.event(i)),
      evs.slice(2),
    );
    assert.deepEqual(store.eventsOf(BIG), [0, 2]);
    assert.equal(store.coAt(3), HUGE);
  });
});
