// Unit tests of the event loop model: golden states of the queues after each event of a short program (the
// order of tests/tracer/fixtures/event-loop-order.mjs, with an async function), seeking the history forwards,
// backwards and by jumps gives what a fresh fold gives, and undo takes an event back exactly.

import assert from 'node:assert/strict';
import type { Trace, TraceEvent } from '../protocol/trace';
import { CoroutineModel, modelAt } from './coroutines';
import { History } from './history';
import { LANES, QueueModel, queuesAt } from './queues';
import { random, syntheticTrace, traceOf } from './syntheticTrace';

type Body = TraceEvent extends infer E ? (E extends TraceEvent ? Omit<E, 'seq' | 'time'> : never) : never;

/** Everything a queue model holds, as text: equal exactly when the states are the same. */
function canon(m: QueueModel): string {
  return JSON.stringify({
    lanes: LANES.map((l) => m.lane(l)),
    running: m.running,
    main: m.main,
    reaction: m.reaction ?? null,
    ended: m.ended ?? null,
    seq: m.seq,
    size: m.size,
  });
}

/** Applies `events` to a journalling model, then undoes them one by one: each undo gives the state before. */
function assertUndoesExactly(events: readonly TraceEvent[]): void {
  const m = new QueueModel();
  m.journal = [];
  const states: string[] = [canon(m)];
  for (const ev of events) {
    m.apply(ev);
    states.push(canon(m));
  }
  for (let i = events.length - 1; i >= 0; i--) {
    assert.ok(m.undo());
    assert.equal(canon(m), states[i], `undo back to ${i}`);
  }
  assert.equal(m.undo(), false);
}

/** One line per lane with items, as a person checks it, then what runs. */
function golden(m: QueueModel): string {
  const lanes = LANES.filter((l) => m.lane(l).length).map(
    (l) =>
      `${l}: ${m
        .lane(l)
        .map((it) =>
          it.queue === 'await'
            ? `co${it.co}${it.target ? `→co${it.target}` : ''}`
            : `#${it.task}${it.due !== undefined ? `@${it.due}` : ''}${it.runs ? `×${it.runs}` : ''}${it.co ? ` by co${it.co}` : ''}${it.within ? ` in #${it.within}` : ''}`,
        )
        .join(' ')}`,
  );
  const running = m.running.map((t) => `#${t.task}`).join(' ');
  return [...lanes, `running [${running}]${m.main ? ' main' : ''}${m.ended !== undefined ? ' ended' : ''}`].join(' | ');
}

const u = { type: 'undefined', text: 'undefined' } as const;
const promise = { type: 'promise', text: 'Promise' } as const;

/** The program: nextTick, microtask, I/O at the top level; the I/O callback queues timers, an immediate and an
 * interval; the interval runs twice and starts an async function that awaits another. */
const bodies: Body[] = [
  { kind: 'task-queue', co: 0, task: 1, queue: 'nextTick', delay: 0 },
  { kind: 'task-queue', co: 0, task: 2, queue: 'microtask', delay: 0 },
  { kind: 'task-queue', co: 0, task: 3, queue: 'io', delay: 0 },
  { kind: 'task-run', co: 0, task: 2 },
  { kind: 'task-end', co: 0, task: 2 },
  { kind: 'task-run', co: 0, task: 1 },
  { kind: 'task-queue', co: 0, task: 4, queue: 'nextTick', delay: 0 },
  { kind: 'task-end', co: 0, task: 1 },
  { kind: 'task-run', co: 0, task: 4 },
  { kind: 'task-end', co: 0, task: 4 },
  { kind: 'task-run', co: 0, task: 3 },
  { kind: 'task-queue', co: 0, task: 5, queue: 'timer', delay: 1 },
  { kind: 'task-queue', co: 0, task: 6, queue: 'immediate', delay: 0 },
  { kind: 'task-queue', co: 0, task: 7, queue: 'interval', delay: 5 },
  { kind: 'task-end', co: 0, task: 3 },
  { kind: 'task-run', co: 0, task: 6 },
  { kind: 'task-end', co: 0, task: 6 },
  { kind: 'task-run', co: 0, task: 5 },
  { kind: 'task-end', co: 0, task: 5 },
  { kind: 'task-run', co: 0, task: 7 },
  { kind: 'task-end', co: 0, task: 7 },
  { kind: 'task-run', co: 0, task: 7 },
  { kind: 'create', co: 1, site: 1, parent: 0, coKind: 'async', args: [] },
  { kind: 'resume', co: 1, mode: 'next', value: u, resumer: 0 },
  { kind: 'create', co: 2, site: 1, parent: 1, coKind: 'async', args: [] },
  { kind: 'resume', co: 2, mode: 'next', value: u, resumer: 1 },
  { kind: 'task-queue', co: 2, task: 8, queue: 'timer', delay: 2 },
  { kind: 'await', co: 2, site: 2, target: 0, value: promise },
  { kind: 'await', co: 1, site: 2, target: 2, value: promise },
  { kind: 'task-end', co: 0, task: 7 },
  { kind: 'task-run', co: 0, task: 8 },
  { kind: 'task-end', co: 0, task: 8 },
  { kind: 'resume', co: 2, mode: 'next', value: u, resumer: 0 },
  { kind: 'return', co: 2, value: u },
  { kind: 'resume', co: 1, mode: 'next', value: u, resumer: 0 },
  { kind: 'await', co: 1, site: 2, target: 0, value: promise },
  { kind: 'end', co: 0, exitCode: 0, reason: 'exit' },
];
const program: Trace = traceOf(bodies.map((b, seq) => ({ ...b, seq, time: seq * 10 }) as TraceEvent));

const expected = [
  'nextTick: #1 | running [] main',
  'nextTick: #1 | microtask: #2 | running [] main',
  'nextTick: #1 | microtask: #2 | io: #3 | running [] main',
  'nextTick: #1 | io: #3 | running [#2]',
  'nextTick: #1 | io: #3 | running []',
  'io: #3 | running [#1]',
  'nextTick: #4 in #1 | io: #3 | running [#1]',
  'nextTick: #4 in #1 | io: #3 | running []',
  'io: #3 | running [#4]',
  'io: #3 | running []',
  'running [#3]',
  'timer: #5@111 in #3 | running [#3]',
  'timer: #5@111 in #3 | immediate: #6 in #3 | running [#3]',
  'timer: #5@111 in #3 #7@135 in #3 | immediate: #6 in #3 | running [#3]',
  'timer: #5@111 in #3 #7@135 in #3 | immediate: #6 in #3 | running []',
  'timer: #5@111 in #3 #7@135 in #3 | running [#6]',
  'timer: #5@111 in #3 #7@135 in #3 | running []',
  'timer: #7@135 in #3 | running [#5]',
  'timer: #7@135 in #3 | running []',
  'running [#7]',
  'timer: #7@205×1 in #3 | running []',
  'running [#7]',
  'running [#7]',
  'running [#7]',
  'running [#7]',
  'running [#7]',
  'timer: #8@262 by co2 in #7 | running [#7]',
  'await: co2 | timer: #8@262 by co2 in #7 | running [#7]',
  'await: co2 co1→co2 | timer: #8@262 by co2 in #7 | running [#7]',
  'await: co2 co1→co2 | timer: #8@262 by co2 in #7 #7@295×2 in #3 | running []',
  'await: co2 co1→co2 | timer: #7@295×2 in #3 | running [#8]',
  'await: co2 co1→co2 | timer: #7@295×2 in #3 | running []',
  'await: co1→co2 | timer: #7@295×2 in #3 | running []',
  'await: co1→co2 | timer: #7@295×2 in #3 | running []',
  'timer: #7@295×2 in #3 | running []',
  'await: co1 | timer: #7@295×2 in #3 | running []',
  'await: co1 | timer: #7@295×2 in #3 | running [] ended',
];

describe('event loop model', () => {
  it('gives golden queue states after each event of a short program', () => {
    assert.equal(expected.length, program.events.length);
    for (let i = 0; i < program.events.length; i++) {
      assert.equal(golden(queuesAt(program.events, i)), expected[i], `after event ${i}`);
    }
    const m = queuesAt(program.events);
    assert.equal(m.reaction?.co, 1, 'the last promise reaction resumed co1');
    assert.equal(m.awaitOf(1)?.seq, 35);
    assert.equal(m.taskItem(7)?.runs, 2);
  });

  it('gives the same golden states when the history seeks forwards, backwards and by jumps', () => {
    const h = new History(program, { minSnapshotEvery: 4 });
    for (const ev of program.events) h.push(ev);
    const at = (i: number): string => golden(h.queuesAt(i));
    for (let i = 0; i < expected.length; i++) assert.equal(at(i), expected[i], `after event ${i}`);
    for (let i = expected.length - 1; i >= 0; i--) assert.equal(at(i), expected[i], `back to event ${i}`);
    for (const i of [30, 2, 21, 0, 35, 13, 14, 12, 5]) assert.equal(at(i), expected[i], `jump to event ${i}`);
    assert.equal(at(-1), 'running [] main');
  });

  it('takes an event back exactly with undo', () => {
    assertUndoesExactly(syntheticTrace({ events: 3000, live: 10, seed: 12, async: 0.5, rare: true }).events);
  });
});

describe('history: the event loop at any event', () => {
  it('equals a fresh fold whatever the order of seeks, for coroutines and queues alike', () => {
    for (const seed of [1, 2, 3]) {
      const trace = syntheticTrace({ events: 2500, live: 12, seed, rare: true, async: 0.5 });
      const kinds = new Set(trace.events.map((e) => e.kind));
      for (const k of ['await', 'task-queue', 'task-run', 'task-end'] as const) assert.ok(kinds.has(k), k);
      const h = new History(trace, { minSnapshotEvery: 32 });
      for (const ev of trace.events) h.push(ev);
      const fresh = (i: number): string =>
        i < 0 ? canon(new QueueModel()) : canon(queuesAt(trace.events, trace.events[i]!.seq));
      const rnd = random(seed * 17);
      for (let k = 0; k < 150; k++) {
        const j = Math.floor(rnd() * h.length) - 1;
        const i = Math.floor(rnd() * h.length) - 1;
        h.at(j);
        assert.equal(canon(h.queuesAt(i)), fresh(i), `seed ${seed}: seek to ${i} after ${j}`);
      }
      // Walk forwards, then back one event at a time (undo), then back by short jumps within the journal.
      for (let i = 0; i < 300; i++) assert.equal(canon(h.queuesAt(i)), fresh(i), `step to ${i}`);
      for (let i = 299; i >= -1; i--) {
        assert.equal(canon(h.queuesAt(i)), fresh(i), `step back to ${i}`);
        assert.equal(
          JSON.stringify([...h.at(i).coroutines.values()]),
          JSON.stringify([
            ...(i < 0 ? new CoroutineModel(trace) : modelAt(trace, trace.events[i]!.seq)).coroutines.values(),
          ]),
          `coroutines, step back to ${i}`,
        );
      }
      for (let i = 1500; i > 1000; i -= 7) assert.equal(canon(h.queuesAt(i)), fresh(i), `back by 7 to ${i}`);
    }
  });

  it('gives the state just before an event, for explaining it, without moving away from the event', () => {
    const trace = syntheticTrace({ events: 2000, live: 8, seed: 4, rare: true, async: 0.4 });
    const h = new History(trace, { minSnapshotEvery: 64 });
    for (const ev of trace.events) h.push(ev);
    const rnd = random(99);
    const check = (i: number): void => {
      const ev = trace.events[i]!;
      const fresh = i === 0 ? new CoroutineModel(trace) : modelAt(trace, trace.events[i - 1]!.seq);
      const before = h.beforeAt(i);
      const ids = new Set([ev.co, 'resumer' in ev ? ev.resumer : 0, 'target' in ev ? ev.target : 0]);
      for (const id of ids)
        assert.deepEqual(before.coroutines.get(id), fresh.coroutines.get(id), `coroutine ${id} before event ${i}`);
      assert.deepEqual([...before.running], fresh.running, `running before event ${i}`);
      assert.equal(h.at(i).seq, ev.seq, 'the history stays at the event');
    };
    for (let k = 0; k < 200; k++) check(Math.floor(rnd() * h.length));
    for (let i = h.length - 1; i > h.length - 300; i--) check(i);
  });
});

describe('history: the event loop when the oldest events are forgotten', () => {
  it('keeps what still waits, and stays replayable', () => {
    const trace = syntheticTrace({ events: 6000, live: 8, seed: 21, async: 0.5 });
    const h = new History(trace, { capacity: 1000, minSnapshotEvery: 50 });
    for (const ev of trace.events) h.push(ev);
    assert.ok(h.forgottenEvents > 0);
    const offset = h.forgottenEvents;
    for (const i of [0, 1, 17, 250, h.length - 2, 400, 3, h.length - 1]) {
      const fresh = queuesAt(trace.events, trace.events[offset + i]!.seq);
      assert.equal(canon(h.queuesAt(i)), canon(fresh), `queues after kept event ${i}`);
    }
  });
});

describe('event loop model: cleared tasks', () => {
  // clear-timers.mjs (tests/tracer/fixtures): a timeout and an immediate cleared before they run, an interval
  // cleared by its own callback on its second run.
  const cleared: Body[] = [
    { kind: 'task-queue', co: 0, task: 1, queue: 'timer', delay: 10 },
    { kind: 'task-queue', co: 0, task: 2, queue: 'immediate', delay: 0 },
    { kind: 'task-queue', co: 0, task: 3, queue: 'interval', delay: 1 },
    { kind: 'task-cancel', co: 0, task: 2 },
    { kind: 'task-cancel', co: 0, task: 1 },
    { kind: 'task-run', co: 0, task: 3 },
    { kind: 'task-end', co: 0, task: 3 },
    { kind: 'task-run', co: 0, task: 3 },
    { kind: 'task-cancel', co: 0, task: 3 },
    { kind: 'task-end', co: 0, task: 3 },
    { kind: 'end', co: 0, exitCode: 0, reason: 'exit' },
  ];
  const trace: Trace = traceOf(cleared.map((b, seq) => ({ ...b, seq, time: seq * 10 }) as TraceEvent));
  const states = [
    'timer: #1@10 | running [] main',
    'timer: #1@10 | immediate: #2 | running [] main',
    'timer: #1@10 #3@21 | immediate: #2 | running [] main',
    'timer: #1@10 #3@21 | running [] main',
    'timer: #3@21 | running [] main',
    'running [#3]',
    'timer: #3@61×1 | running []',
    'running [#3]',
    'running [#3]',
    'running []',
    'running [] ended',
  ];

  it('takes a cleared task out of its lane, and does not queue a cleared interval again', () => {
    for (let i = 0; i < trace.events.length; i++) {
      assert.equal(golden(queuesAt(trace.events, i)), states[i], `after event ${i}`);
    }
  });

  it('gives the same states seeking backwards, and undoes a clear exactly', () => {
    const h = new History(trace, { minSnapshotEvery: 2 });
    for (const ev of trace.events) h.push(ev);
    for (let i = states.length - 1; i >= 0; i--) assert.equal(golden(h.queuesAt(i)), states[i], `back to ${i}`);
    assertUndoesExactly(trace.events);
  });
});
