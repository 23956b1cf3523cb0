// Unit tests of the replayable history: golden states after a short program, seeking in any order gives what
// a fresh fold gives, the compact store gives back the events it was given, stepping by coroutine, and memory
// that stays bounded by forgetting the oldest events.

import assert from 'node:assert/strict';
import type { Trace, TraceEvent } from '../protocol/trace';
import { CoroutineModel, modelAt } from './coroutines';
import { EventStore } from './eventStore';
import { History } from './history';
import { random, syntheticTrace, traceOf } from './syntheticTrace';

/** An event without its time (Omit does not distribute over a union by itself). */
type WithoutTime = TraceEvent extends infer E ? (E extends TraceEvent ? Omit<E, 'time'> : never) : never;

/** Everything a model holds, as text: two models are the same state exactly when these are equal. */
function canon(m: CoroutineModel, skip: ReadonlySet<number> = new Set()): string {
  return JSON.stringify({
    coroutines: [...m.coroutines.values()].filter((c) => !skip.has(c.id)),
    running: m.running,
    warnings: m.warnings,
    output: m.output,
    ending: m.ending ?? null,
    dropped: m.dropped,
    seq: m.seq,
  });
}

/** One line per coroutine, as a person would check it: `name#id state [in → out]`, then the running chain. */
function golden(m: CoroutineModel): string {
  const lines = m.list().map((c) => {
    const s = c.state;
    const state =
      s.kind === 'suspended'
        ? `suspended@${s.site}`
        : s.kind === 'delegating'
          ? `delegating→${s.target}@${s.site}`
          : s.kind === 'closed'
            ? `closed(${s.value.text})`
            : s.kind === 'failed'
              ? `failed(${s.error.text})`
              : s.kind;
    return `${c.name}#${c.id} ${state} in=${c.lastIn?.value.text ?? '-'} out=${c.lastOut?.text ?? '-'}`;
  });
  lines.push(`running: [${m.running.join(' ')}] warnings: ${m.warnings.length} output: ${m.output.length}`);
  return lines.join('\n');
}

function historyOf(trace: Trace, opts: { capacity?: number; minSnapshotEvery?: number } = {}): History {
  const h = new History(trace, opts);
  for (const ev of trace.events) h.push(ev);
  return h;
}

describe('history: state at any event', () => {
  const small = syntheticTrace({ events: 40, live: 3, seed: 7, rare: true });

  it('gives golden states after each event of a short program', () => {
    const u = { type: 'undefined', text: 'undefined' } as const;
    const n = (text: string) => ({ type: 'number', text }) as const;
    // const g = producer(); g.next(); g.next(5) → yield* inner(); g.next(6); inner returns; g.return(9)
    const trace = traceOf(
      (
        [
          { kind: 'create', co: 1, site: 1, parent: 0, coKind: 'generator', args: [] },
          { kind: 'resume', co: 1, mode: 'next', value: n('4'), resumer: 0 },
          { kind: 'yield', co: 1, site: 2, value: n('1') },
          { kind: 'resume', co: 1, mode: 'next', value: n('5'), resumer: 0 },
          { kind: 'create', co: 2, site: 4, parent: 1, coKind: 'generator', args: [] },
          { kind: 'delegate', co: 1, site: 3, target: 2, iterable: { type: 'generator', text: 'inner' } },
          { kind: 'resume', co: 2, mode: 'next', value: u, resumer: 1 },
          { kind: 'yield', co: 2, site: 5, value: n('2') },
          { kind: 'yield', co: 1, site: 3, value: n('2') },
          { kind: 'output', co: 0, stream: 'stdout', text: 'got 2\n' },
          { kind: 'resume', co: 1, mode: 'next', value: n('6'), resumer: 0 },
          { kind: 'resume', co: 2, mode: 'next', value: n('6'), resumer: 1 },
          { kind: 'return', co: 2, value: n('7') },
          { kind: 'yield', co: 1, site: 2, value: n('7') },
          { kind: 'resume', co: 1, mode: 'return', value: n('9'), resumer: 0 },
          { kind: 'return', co: 1, value: n('9') },
          { kind: 'end', co: 0, exitCode: 0, reason: 'exit' },
        ] as const
      ).map((b, seq) => ({ ...b, seq, time: seq }) as TraceEvent),
    );
    const expected = [
      'producer#1 created in=- out=- | running: [] warnings: 0 output: 0',
      'producer#1 running in=4 out=- | running: [1] warnings: 1 output: 0',
      'producer#1 suspended@2 in=4 out=1 | running: [] warnings: 1 output: 0',
      'producer#1 running in=5 out=1 | running: [1] warnings: 1 output: 0',
      'producer#1 running in=5 out=1 | inner#2 created in=- out=- | running: [1] warnings: 1 output: 0',
      'producer#1 running in=5 out=1 | inner#2 created in=- out=- | running: [1] warnings: 1 output: 0',
      'producer#1 running in=5 out=1 | inner#2 running in=undefined out=- | running: [1 2] warnings: 1 output: 0',
      'producer#1 running in=5 out=1 | inner#2 suspended@5 in=undefined out=2 | running: [1] warnings: 1 output: 0',
      'producer#1 delegating→2@3 in=5 out=2 | inner#2 suspended@5 in=undefined out=2 | running: [] warnings: 1 output: 0',
      'producer#1 delegating→2@3 in=5 out=2 | inner#2 suspended@5 in=undefined out=2 | running: [] warnings: 1 output: 1',
      'producer#1 running in=6 out=2 | inner#2 suspended@5 in=undefined out=2 | running: [1] warnings: 1 output: 1',
      'producer#1 running in=6 out=2 | inner#2 running in=6 out=2 | running: [1 2] warnings: 1 output: 1',
      'producer#1 running in=6 out=2 | inner#2 closed(7) in=6 out=7 | running: [1] warnings: 1 output: 1',
      'producer#1 suspended@2 in=6 out=7 | inner#2 closed(7) in=6 out=7 | running: [] warnings: 1 output: 1',
      'producer#1 running in=9 out=7 | inner#2 closed(7) in=6 out=7 | running: [1] warnings: 1 output: 1',
      'producer#1 closed(9) in=9 out=9 | inner#2 closed(7) in=6 out=7 | running: [] warnings: 1 output: 1',
      'producer#1 closed(9) in=9 out=9 | inner#2 closed(7) in=6 out=7 | running: [] warnings: 1 output: 1',
    ];
    const h = historyOf(trace, { minSnapshotEvery: 3 });
    const at = (i: number): string => golden(h.at(i)).replace(/\n/g, ' | ');
    // Forwards, backwards, and by jumps: the same text for the same event.
    for (let i = 0; i < expected.length; i++) assert.equal(at(i), expected[i], `after event ${i}`);
    for (let i = expected.length - 1; i >= 0; i--) assert.equal(at(i), expected[i], `back to event ${i}`);
    for (const i of [12, 2, 15, 0, 8, 9, 4]) assert.equal(at(i), expected[i], `jump to event ${i}`);
    assert.equal(at(-1), 'running: [] warnings: 0 output: 0');
  });

  it('equals a fresh replay whatever the order of seeks', () => {
    for (const seed of [1, 2, 3, 4, 5]) {
      const trace = syntheticTrace({ events: 1500, live: 12, seed, rare: true });
      const h = historyOf(trace, { minSnapshotEvery: 16 });
      const fresh = (i: number): string =>
        canon(i < 0 ? new CoroutineModel(trace) : modelAt(trace, trace.events[i]!.seq));
      const rnd = random(seed * 31);
      for (let k = 0; k < 120; k++) {
        const j = Math.floor(rnd() * h.length) - 1;
        const i = Math.floor(rnd() * h.length) - 1;
        h.at(j);
        assert.equal(canon(h.at(i)), fresh(i), `seed ${seed}: seek to ${i} after ${j}`);
      }
      // Every step forward and then every step back, as the scrubber does.
      for (let i = 0; i < 200; i++) assert.equal(canon(h.at(i)), fresh(i), `seed ${seed}: step to ${i}`);
      for (let i = 200; i >= -1; i--) assert.equal(canon(h.at(i)), fresh(i), `seed ${seed}: step back to ${i}`);
    }
  });

  it('is the latest model at the last event, and clamps seeks outside the events', () => {
    const h = historyOf(small);
    assert.equal(h.at(h.length - 1), h.latest);
    assert.equal(h.at(1e9), h.latest);
    assert.equal(canon(h.at(-50)), canon(new CoroutineModel(small)));
  });

  it('saves the state often enough that a seek replays at most one interval', () => {
    const trace = syntheticTrace({ events: 20_000, live: 20, seed: 9 });
    const h = historyOf(trace, { minSnapshotEvery: 512 });
    // One snapshot per 512 events: a seek never replays more than that.
    assert.equal(h.snapshotCount, Math.floor((h.length - 1) / 512) + 1);
  });

  it('keeps warnings and output in step with the cursor', () => {
    const trace = syntheticTrace({ events: 3000, live: 8, seed: 11, rare: true });
    const h = historyOf(trace, { minSnapshotEvery: 64 });
    const firstOutput = trace.events.findIndex((e) => e.kind === 'output');
    assert.ok(firstOutput > 0);
    assert.equal(h.at(firstOutput - 1).output.length, 0);
    assert.equal(h.at(firstOutput).output.length, 1);
    assert.equal(h.at(firstOutput).output[0]!.seq, trace.events[firstOutput]!.seq);
    assert.ok(h.latest.output.length > 1);
  });
});

describe('event store', () => {
  it('gives back every event exactly as it was given, for every kind', () => {
    const trace = syntheticTrace({ events: 5000, live: 10, seed: 3, rare: true });
    const kinds = new Set(trace.events.map((e) => e.kind));
    for (const k of ['create', 'resume', 'yield', 'delegate', 'return', 'throw', 'reenter', 'output', 'end'])
      assert.ok(kinds.has(k as TraceEvent['kind']), `the synthetic trace has ${k}`);
    const extra: TraceEvent[] = [
      { seq: 1e6, time: 9, kind: 'end', co: 0, exitCode: -3, reason: 'uncaught', error: { type: 'error', text: 'E' } },
      { seq: 1e6 + 1, time: 9, kind: 'output', co: 0, stream: 'stderr', text: '<b>x</b>\n' },
      {
        seq: 1e6 + 2,
        time: 9,
        kind: 'yield',
        co: 4,
        site: 2,
        value: { type: 'string', text: 'long', truncated: true },
      },
      { seq: 1e6 + 3, time: 9, kind: 'await', co: 5, site: 2, target: 6, value: { type: 'promise', text: 'Promise' } },
      { seq: 1e6 + 4, time: 9, kind: 'task-queue', co: 5, task: 77, queue: 'timer', delay: 12.5 },
      { seq: 1e6 + 5, time: 9, kind: 'task-run', co: 0, task: 77 },
      { seq: 1e6 + 6, time: 9, kind: 'task-end', co: 0, task: 77 },
    ];
    const store = new EventStore();
    const all = [...trace.events, ...extra];
    for (const ev of all) store.push(ev);
    assert.equal(store.length, all.length);
    for (let i = 0; i < all.length; i++) assert.deepEqual(store.event(i), all[i], `event ${i}`);
  });

  it('finds events by seq across a drop, and steps to the next or previous event of one coroutine', () => {
    const events: TraceEvent[] = traceOf([]).events;
    const push = (ev: WithoutTime): void => void events.push({ ...ev, time: 0 } as TraceEvent);
    push({ seq: 0, kind: 'create', co: 1, site: 1, parent: 0, coKind: 'generator', args: [] });
    push({ seq: 1, kind: 'create', co: 2, site: 1, parent: 0, coKind: 'generator', args: [] });
    push({ seq: 2, kind: 'dropped', co: 0, count: 10 });
    push({ seq: 13, kind: 'resume', co: 1, mode: 'next', value: { type: 'undefined', text: '' }, resumer: 0 });
    push({ seq: 14, kind: 'resume', co: 2, mode: 'next', value: { type: 'undefined', text: '' }, resumer: 0 });
    push({ seq: 15, kind: 'return', co: 1, value: { type: 'number', text: '1' } });
    const store = new EventStore();
    for (const ev of events) store.push(ev);
    assert.deepEqual(
      [store.indexOfSeq(-1), store.indexOfSeq(2), store.indexOfSeq(7), store.indexOfSeq(13)],
      [-1, 2, 2, 3],
    );
    assert.deepEqual(store.eventsOf(1), [0, 3, 5]);
    assert.equal(store.nextOf(1, 0, 1), 3);
    assert.equal(store.nextOf(1, 3, 1), 5);
    assert.equal(store.nextOf(1, 4, 1), 5);
    assert.equal(store.nextOf(1, 5, 1), -1);
    assert.equal(store.nextOf(1, 5, -1), 3);
    assert.equal(store.nextOf(1, 4, -1), 3);
    assert.equal(store.nextOf(1, 0, -1), -1);
    assert.equal(store.nextOf(9, 0, 1), -1);
    store.dropBefore(3);
    assert.equal(store.length, 3);
    assert.deepEqual(store.eventsOf(1), [0, 2]);
    assert.deepEqual(store.eventsOf(2), [1]);
    assert.equal(store.event(0).seq, 13);
  });
});

describe('history: bounded memory', () => {
  it('forgets the oldest events and the coroutines that finished before them, and stays replayable', () => {
    const trace = syntheticTrace({ events: 6000, live: 6, seed: 5, rare: true });
    const h = historyOf(trace, { capacity: 1000, minSnapshotEvery: 50 });
    assert.ok(h.length <= 1000, `kept ${h.length}`);
    assert.ok(h.length >= 500, `kept ${h.length}`);
    assert.equal(h.forgottenEvents + h.length, trace.events.length);
    assert.ok(h.forgottenCoroutines > 0);
    const created = new Set(trace.events.filter((e) => e.kind === 'create').map((e) => e.co));
    assert.equal(h.latest.coroutines.size + h.forgottenCoroutines, created.size);
    // Every kept state is the fresh fold's state without the forgotten coroutines, warnings and output.
    const kept = new Set(h.latest.coroutines.keys());
    const forgotten = new Set([...created].filter((id) => !kept.has(id)));
    const offset = h.forgottenEvents;
    for (const i of [0, 1, 17, 250, h.length - 2, 400, 3]) {
      const fresh = modelAt(trace, trace.events[offset + i]!.seq);
      const firstKeptSeq = h.store.seqAt(0);
      fresh.warnings.splice(0, fresh.warnings.filter((w) => w.seq < firstKeptSeq).length);
      fresh.output.splice(0, fresh.output.filter((o) => o.seq < firstKeptSeq).length);
      assert.equal(canon(h.at(i)), canon(fresh, forgotten), `state after kept event ${i}`);
    }
  });
});
