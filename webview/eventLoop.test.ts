// Unit tests of the Event loop view's layout, in Node without a DOM: lanes at a given event (who queued each item,
// inside which callback, when a timer is due, what it resumes when it runs), items entering and leaving as the
// cursor steps, the call path from the callback or promise reaction to the innermost coroutine, what the end of
// the program leaves stranded, and lanes with more items than are drawn.

import assert from 'node:assert/strict';
import { History } from '../src/model/history';
import { QueueModel, type QueueItem } from '../src/model/queues';
import { traceOf } from '../src/model/syntheticTrace';
import type { Trace, TraceEvent } from '../src/protocol/trace';
import { layoutEventLoop, soonest, type EventLoopView } from './eventLoop';

type Body = TraceEvent extends infer E ? (E extends TraceEvent ? Omit<E, 'seq' | 'time'> : never) : never;
const u = { type: 'undefined', text: 'undefined' } as const;

/** main() queues a timer, then awaits fetchData(), which awaits a promise that the timer's callback settles. */
const program: Trace = traceOf(
  (
    [
      { kind: 'create', co: 1, site: 8, parent: 0, coKind: 'async', args: [] },
      { kind: 'resume', co: 1, mode: 'next', value: u, resumer: 0 },
      { kind: 'task-queue', co: 1, task: 1, queue: 'timer', delay: 10 },
      { kind: 'create', co: 2, site: 8, parent: 1, coKind: 'async', args: [] },
      { kind: 'resume', co: 2, mode: 'next', value: u, resumer: 1 },
      { kind: 'await', co: 2, site: 9, target: 0, value: { type: 'promise', text: 'Promise' } },
      { kind: 'await', co: 1, site: 9, target: 2, value: { type: 'promise', text: 'Promise' } },
      { kind: 'task-queue', co: 0, task: 2, queue: 'immediate', delay: 0 },
      { kind: 'task-run', co: 0, task: 2 },
      { kind: 'task-queue', co: 0, task: 3, queue: 'nextTick', delay: 0 },
      { kind: 'task-end', co: 0, task: 2 },
      { kind: 'task-run', co: 0, task: 3 },
      { kind: 'task-end', co: 0, task: 3 },
      { kind: 'task-run', co: 0, task: 1 },
      { kind: 'task-end', co: 0, task: 1 },
      { kind: 'resume', co: 2, mode: 'next', value: { type: 'number', text: '7' }, resumer: 0 },
      { kind: 'return', co: 2, value: { type: 'number', text: '7' } },
      { kind: 'resume', co: 1, mode: 'next', value: { type: 'number', text: '7' }, resumer: 0 },
      { kind: 'task-queue', co: 1, task: 4, queue: 'interval', delay: 5 },
      { kind: 'return', co: 1, value: u },
      { kind: 'end', co: 0, exitCode: 0, reason: 'exit' },
    ] as Body[]
  ).map((b, seq) => ({ ...b, seq, time: seq * 2 }) as TraceEvent),
);

function historyOf(trace: Trace): History {
  const h = new History(trace, { minSnapshotEvery: 4 });
  for (const ev of trace.events) h.push(ev);
  return h;
}

const h = historyOf(program);

function viewAt(index: number, perLane = 10): EventLoopView {
  return layoutEventLoop({
    queues: h.queuesAt(index),
    model: h.at(index),
    store: h.store,
    trace: program,
    cwd: '/work/demo',
    index,
    perLane,
    memo: new Map(),
  });
}

/** Each lane as `lane: title (detail; queued by; resumes)`, marks as in the browser test. */
function text(v: EventLoopView): string[] {
  return v.lanes.flatMap((l) =>
    l.items.map(
      (it) =>
        `${l.lane}: ${it.entered ? '+' : it.left ? '-' : it.stranded ? '!' : ''}${it.title} (${it.detail}; ${it.queuedBy}; ${it.resumes})`,
    ),
  );
}

const path = (v: EventLoopView): string => v.path.map((s) => `${s.label}${s.current ? '*' : ''}`).join(' → ');

describe('event loop view layout', () => {
  it('shows what waits at an event: who queued it, when a timer is due, what it will do', () => {
    const v = viewAt(7);
    assert.deepEqual(text(v), [
      'await: fetchData#2 (awaits Promise; parked since 10.0 ms; resumes fetchData#2 at event 16)',
      'await: fetchData#1 (awaits fetchData#2; parked since 12.0 ms; resumes fetchData#1 at event 18)',
      'timer: timer #1 (due at 14.0 ms (in 0.0 ms); queued by fetchData#1; runs at event 14: then its promise reactions resume fetchData#2, fetchData#1)',
      'immediate: +immediate #2 (queued at 14.0 ms; queued by the top level; runs at event 9: queues #3)',
    ]);
    assert.deepEqual(v.empty, ['nextTick', 'Microtasks', 'I/O']);
    assert.equal(v.waiting, 4);
    assert.equal(path(v), 'Main script*');
    assert.equal(v.lanes.find((l) => l.lane === 'await')!.items[0]!.site?.label, 'main.ts:31:9');
  });

  it('marks what leaves at the cursor and what runs: the callback, then the coroutines it runs', () => {
    let v = viewAt(8);
    assert.deepEqual(
      text(v).filter((t) => t.startsWith('immediate')),
      ['immediate: -immediate #2 (queued at 14.0 ms; queued by the top level; runs now)'],
    );
    assert.equal(path(v), 'immediate #2*');
    v = viewAt(9);
    assert.deepEqual(
      text(v).filter((t) => t.startsWith('nextTick')),
      [
        'nextTick: +nextTick #3 (queued at 18.0 ms; queued by the top level, in immediate #2; runs at event 12; resumes no coroutine)',
      ],
    );
    // A promise reaction resumed fetchData#2: it is the one running, below a "Promise reaction" step.
    v = viewAt(15);
    assert.equal(path(v), 'Promise reaction → fetchData#2*');
    assert.equal(v.path[1]!.detail, 'async function');
    v = viewAt(17);
    assert.equal(path(v), 'Promise reaction → fetchData#1*');
  });

  it('says what never ran when the program ended', () => {
    const v = viewAt(program.events.length - 1);
    assert.deepEqual(text(v), [
      'timer: !interval #4 (every 5 ms, due at 41.0 ms (in 1.0 ms); queued by fetchData#1; never ran: the program ended first (or it was cleared))',
    ]);
    assert.equal(path(v), 'The program ended*');
    assert.deepEqual(v.notes, ['The program ended with 1 item still waiting: they never ran.']);
  });

  it('draws at most so many items per lane, soonest timers first, and says how many are left out', () => {
    const events: TraceEvent[] = [];
    for (let t = 1; t <= 30; t++) {
      events.push({ seq: t - 1, time: 0, kind: 'task-queue', co: 0, task: t, queue: 'timer', delay: (t * 7) % 31 });
    }
    const trace = traceOf(events);
    const hist = historyOf(trace);
    const v = layoutEventLoop({
      queues: hist.queuesAt(29),
      model: hist.at(29),
      store: hist.store,
      trace,
      cwd: '',
      index: 29,
      perLane: 5,
    });
    const timers = v.lanes[0]!;
    assert.equal(timers.total, 30);
    assert.deepEqual(
      timers.items.map((i) => i.detail.replace(/ \(.*/, '')),
      ['due at 1.0 ms', 'due at 2.0 ms', 'due at 3.0 ms', 'due at 4.0 ms', 'due at 5.0 ms'],
    );
    assert.deepEqual(v.notes, ['Timers: showing 5 of 30 items; the rest are counted, not drawn.']);
  });

  it('picks the soonest timers without sorting them all, ties in the order they were queued', () => {
    const q = new QueueModel();
    const items: QueueItem[] = [];
    for (let i = 0; i < 50; i++) {
      q.apply({ seq: i, time: 0, kind: 'task-queue', co: 0, task: i + 1, queue: 'timer', delay: (i * 13) % 17 });
    }
    items.push(...q.lane('timer'));
    const sorted = [...items].sort((a, b) => a.due! - b.due! || a.serial - b.serial);
    for (const k of [1, 3, 10, 50, 80]) assert.deepEqual(soonest(items, k), sorted.slice(0, k), `k = ${k}`);
  });
});
