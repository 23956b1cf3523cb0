// The Chrome Trace Event export: valid JSON in the shape Perfetto reads, a thread per coroutine with a slice per
// run, each coroutine's life as nestable async events, flows for who resumed whom, awaits and queued tasks, and
// time that never goes backwards. Checked on hand-made traces and on long synthetic ones.

import * as assert from 'node:assert/strict';
import { ChromeTraceWriter, chromeTraceText, toChromeTraceJson } from '../../../src/extension/chromeTrace';
import type { ChromeEvent } from '../../../src/extension/chromeTrace';
import { syntheticTrace } from '../../../src/model/syntheticTrace';
import { encodeTrace } from '../../../src/protocol/codec';
import type { Trace } from '../../../src/protocol/trace';
import { everyState, sendingValues, traceWith } from './traces';

interface ChromeFile {
  traceEvents: ChromeEvent[];
  displayTimeUnit: string;
  otherData: Record<string, unknown>;
}

function exported(trace: Trace): ChromeFile {
  return JSON.parse(toChromeTraceJson(trace)) as ChromeFile;
}

/** The checks any export must pass: balanced async spans per id, paired flows, slices that do not overlap per thread. */
function checkShape(file: ChromeFile): void {
  const events = file.traceEvents;
  const open = new Map<string, string[]>();
  for (const e of events.filter((e) => e.ph === 'b' || e.ph === 'e').sort((a, b) => a.ts! - b.ts!)) {
    const stack = open.get(e.id!) ?? [];
    open.set(e.id!, stack);
    if (e.ph === 'b') stack.push(e.name);
    else assert.equal(stack.pop(), e.name, `async events of ${e.id} nest`);
  }
  for (const [id, stack] of open) assert.deepEqual(stack, [], `async events of ${id} are all closed`);
  const starts = new Set(events.filter((e) => e.ph === 's').map((e) => e.id));
  const ends = events.filter((e) => e.ph === 'f');
  for (const f of ends) assert.ok(starts.has(f.id), `flow ${f.id} starts somewhere`);
  const byThread = new Map<number, ChromeEvent[]>();
  for (const x of events.filter((e) => e.ph === 'X')) {
    assert.ok(x.dur! > 0);
    const list = byThread.get(x.tid!) ?? [];
    byThread.set(x.tid!, list);
    list.push(x);
  }
  for (const [tid, list] of byThread) {
    list.sort((a, b) => a.ts! - b.ts!);
    for (let i = 1; i < list.length; i++)
      assert.ok(list[i]!.ts! >= list[i - 1]!.ts! + list[i - 1]!.dur!, `slices of thread ${tid} do not overlap`);
  }
  // Every flow end binds to a slice that starts at its time on its thread (what "bp": "e" asks of Perfetto).
  for (const f of ends) {
    const slices = byThread.get(f.tid!) ?? [];
    assert.ok(
      slices.some((x) => x.ts! <= f.ts! && f.ts! <= x.ts! + x.dur!),
      `flow ${f.id} (${f.name}) ends inside a slice of thread ${f.tid}`,
    );
  }
}

describe('extension/chromeTrace', () => {
  it('draws the sending-values sample: a thread for gen#1, a slice per next(), flows from the top level', () => {
    const file = exported(sendingValues('ended'));
    checkShape(file);
    assert.equal(file.displayTimeUnit, 'ms');
    assert.equal(file.otherData['program'], '/work/app/src/main.ts');
    const names = (ph: string, tid?: number) =>
      file.traceEvents.filter((e) => e.ph === ph && (tid === undefined || e.tid === tid)).map((e) => e.name);
    const threads = file.traceEvents.filter((e) => e.name === 'thread_name').map((e) => e.args!['name']);
    assert.deepEqual(threads, ['top level', 'gen#1']);
    assert.deepEqual(names('X', 2), ['next("lost") → yield 1', 'next("hello") → yield 2', 'next(42) → yield 3']);
    assert.deepEqual(names('X', 1), ['main script']);
    assert.deepEqual(names('b', 2), [
      'gen#1',
      'not started',
      'suspended at main.ts:6',
      'suspended at main.ts:6',
      'suspended at main.ts:6',
    ]);
    assert.deepEqual(names('n', 2), ['yield 1', 'yield 2', 'yield 3']);
    const flows = file.traceEvents.filter((e) => e.ph === 's');
    assert.equal(flows.length, 3);
    assert.ok(
      flows.every((f) => f.tid === 1 && f.name === 'resume'),
      'each next() comes from the top level',
    );
    assert.ok(names('i').includes('end: exit'));
    const life = file.traceEvents.filter((e) => e.name === 'gen#1' && e.ph === 'e')[0]!;
    assert.deepEqual(life.args, { state: 'never finished' });
  });

  it('draws every state, a yield* resumption as a flow between coroutine threads, and endings', () => {
    const file = exported(everyState());
    checkShape(file);
    const resumeOfInner = file.traceEvents.find((e) => e.ph === 'f' && e.tid === 3)!;
    const start = file.traceEvents.find((e) => e.ph === 's' && e.id === resumeOfInner.id)!;
    assert.equal(start.tid, 2, 'gen#2 is resumed by outer#1');
    const ends = file.traceEvents.filter((e) => e.ph === 'e' && e.cat === 'coroutine' && e.args?.['ended']);
    assert.deepEqual(
      ends.map((e) => `${e.name}: ${String(e.args!['ended'])}`),
      ['gen#4: return 42', 'gen#5: throw Error: boom'],
    );
    assert.ok(file.traceEvents.some((e) => e.ph === 'b' && e.name === 'awaiting Promise'));
  });

  it('ties an await to the call it waited for, and a task to the code that queued it', () => {
    const undef = { type: 'undefined', text: 'undefined' } as const;
    const trace = traceWith([
      { kind: 'create', co: 1, site: 5, parent: 0, coKind: 'async', args: [] },
      { kind: 'resume', co: 1, mode: 'next', value: undef, resumer: 0 },
      { kind: 'create', co: 2, site: 5, parent: 1, coKind: 'async', args: [] },
      { kind: 'resume', co: 2, mode: 'next', value: undef, resumer: 1 },
      { kind: 'task-queue', co: 2, task: 9, queue: 'timer', delay: 10 },
      { kind: 'await', co: 2, site: 6, target: 0, value: { type: 'promise', text: 'Promise' } },
      { kind: 'await', co: 1, site: 6, target: 2, value: { type: 'promise', text: 'Promise' } },
      { kind: 'task-run', co: 0, task: 9 },
      { kind: 'task-end', co: 0, task: 9 },
      { kind: 'resume', co: 2, mode: 'next', value: undef, resumer: 0 },
      { kind: 'return', co: 2, value: { type: 'number', text: '7' } },
      { kind: 'resume', co: 1, mode: 'next', value: { type: 'number', text: '7' }, resumer: 0 },
      { kind: 'return', co: 1, value: undef },
    ]);
    const file = exported(trace);
    checkShape(file);
    const flow = (name: string) =>
      file.traceEvents.filter((e) => e.name === name && (e.ph === 's' || e.ph === 'f')).map((e) => `${e.ph}@${e.tid}`);
    assert.deepEqual(flow('task'), ['s@3', 'f@1'], 'load#2 queued the timer that runs on the top level');
    assert.deepEqual(flow('await'), ['s@3', 'f@2'], "load#2's end resumes load#1's await");
    assert.ok(file.traceEvents.some((e) => e.ph === 'X' && e.name === 'timer callback'));
  });

  it('keeps time moving forward even where the tracer gave events one time', () => {
    const file = exported(sendingValues('ended'));
    const stamped = file.traceEvents.filter((e) => e.ph === 'X' && e.tid === 2).map((e) => e.ts!);
    for (let i = 1; i < stamped.length; i++) assert.ok(stamped[i]! > stamped[i - 1]!);
  });

  it('gives the same file whole or a slice at a time, on long synthetic traces', () => {
    for (const seed of [1, 2, 3]) {
      const trace = syntheticTrace({ events: 3000, seed, rare: true, async: 0.3 });
      const whole = toChromeTraceJson(trace);
      checkShape(JSON.parse(whole) as ChromeFile);
      assert.equal(chromeTraceText(encodeTrace(trace), 997), whole, `seed ${seed}`);
    }
  });

  it('writes a valid file for a trace with no events', () => {
    const trace = traceWith([]);
    const w = new ChromeTraceWriter(trace);
    const file = JSON.parse(w.start() + w.push([]) + w.finish()) as ChromeFile;
    assert.ok(Array.isArray(file.traceEvents));
  });
});
