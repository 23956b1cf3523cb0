// Synthetic traces for tests and benchmarks: a seeded simulation of a program that drives a pool of
// generators (next, throw, return, yield* chains, finally blocks, consumers, re-entry, output, drops), so that
// event sequences are plausible and exactly repeatable. Not a tracer: nothing here runs user code. Pure.

import type { Preview, QueueName, Site, SourceFile, Trace, TraceEvent, TraceHeader } from '../protocol/trace';

export interface SyntheticOptions {
  /** About how many events to make (the last step may add a few more). */
  readonly events: number;
  /** Most coroutines alive at once. */
  readonly live?: number;
  /** About how many times a generator is resumed before it finishes (default 10). */
  readonly life?: number;
  readonly seed?: number;
  /** Add the rarer kinds (reenter, dropped, consume, finally) often enough for tests to meet them. */
  readonly rare?: boolean;
  /** End with an `end` record (default true). */
  readonly end?: boolean;
  /**
   * Mix in async functions (awaits, some on each other, resumed later by promise reactions) and queued callbacks
   * (nextTick, microtasks, timers, intervals that run several times, immediates, I/O), about this share of the
   * steps (0 to 1; default 0).
   */
  readonly async?: number;
}

/** A small seeded PRNG (mulberry32): the same seed gives the same trace on every machine. */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SITES: readonly Site[] = [
  { id: 1, file: 1, line: 1, column: 1, kind: 'function', name: 'producer' },
  { id: 2, file: 1, line: 3, column: 5, kind: 'yield', name: 'producer' },
  { id: 3, file: 1, line: 5, column: 5, kind: 'delegate', name: 'producer' },
  { id: 4, file: 1, line: 10, column: 1, kind: 'function', name: 'inner' },
  { id: 5, file: 1, line: 11, column: 3, kind: 'yield', name: 'inner' },
  { id: 6, file: 1, line: 13, column: 3, kind: 'finally', name: 'producer' },
  { id: 7, file: 1, line: 20, column: 1, kind: 'consume', name: 'main' },
  { id: 8, file: 1, line: 30, column: 1, kind: 'function', name: 'fetchData' },
  { id: 9, file: 1, line: 31, column: 9, kind: 'await', name: 'fetchData' },
];

const QUEUES: readonly QueueName[] = ['microtask', 'nextTick', 'timer', 'interval', 'immediate', 'io'];

const num = (n: number): Preview => ({ type: 'number', text: String(n) });
const UNDEF: Preview = { type: 'undefined', text: 'undefined' };

type Body = TraceEvent extends infer E ? (E extends TraceEvent ? Omit<E, 'seq' | 'time'> : never) : never;

interface Sim {
  id: number;
  state: 'created' | 'suspended';
  /** The inner generator it delegates to with yield*, if any. */
  inner: Sim | undefined;
  inDelegation: boolean;
}

export function syntheticTrace(opts: SyntheticOptions): Trace {
  const rnd = random(opts.seed ?? 1);
  const liveMax = Math.max(1, opts.live ?? 50);
  const rare = opts.rare ?? false;
  const life = Math.max(1, opts.life ?? 10);
  const events: TraceEvent[] = [];
  let seq = 0;
  let time = 0;
  const emit = (b: Body): void => {
    time += 0.001 + (rnd() < 0.01 ? rnd() * 5 : 0);
    events.push({ ...b, seq: seq++, time: Math.round(time * 1000) / 1000 } as TraceEvent);
    if (b.kind === 'dropped') seq += b.count;
  };
  let nextId = 1;
  const live: Sim[] = [];
  const create = (parent: number, inner: boolean): Sim => {
    const sim: Sim = { id: nextId++, state: 'created', inner: undefined, inDelegation: inner };
    emit({
      kind: 'create',
      co: sim.id,
      site: inner ? 4 : 1,
      parent,
      coKind: 'generator',
      args: inner ? [] : [num(sim.id % 7)],
    });
    return sim;
  };
  const value = (): Preview => (rnd() < 0.3 ? UNDEF : num(Math.floor(rnd() * 100)));
  const asyncShare = Math.max(0, Math.min(1, opts.async ?? 0));
  /** Async functions parked on an await, and tasks waiting in their queues (intervals: runs left). */
  const parked: number[] = [];
  const tasks: { task: number; queue: QueueName; left: number }[] = [];
  let nextTask = 1;
  const queueTask = (co: number): void => {
    const queue = QUEUES[Math.floor(rnd() * QUEUES.length)]!;
    const delay = queue === 'timer' || queue === 'interval' ? Math.floor(rnd() * 20) : 0;
    const task = nextTask++;
    emit({ kind: 'task-queue', co, task, queue, delay });
    tasks.push({ task, queue, left: queue === 'interval' ? 1 + Math.floor(rnd() * 3) : 1 });
  };
  /** An async function runs from a (re)start to its next await, or to its end. */
  const runAsync = (co: number): void => {
    if (rnd() < 0.3) queueTask(co);
    const r = rnd();
    if (r < 0.6 || parked.length + live.length < 3) {
      const target = parked.length && rnd() < 0.3 ? parked[Math.floor(rnd() * parked.length)]! : 0;
      emit({ kind: 'await', co, site: 9, target, value: { type: 'promise', text: 'Promise' } });
      parked.push(co);
    } else if (r < 0.9) emit({ kind: 'return', co, value: num(co) });
    else emit({ kind: 'throw', co, error: { type: 'error', text: 'Error: fetch failed' } });
  };
  const asyncStep = (): void => {
    const r = rnd();
    if (r < 0.3 && parked.length < liveMax) {
      const co = nextId++;
      emit({ kind: 'create', co, site: 8, parent: 0, coKind: 'async', args: [num(co % 5)] });
      emit({ kind: 'resume', co, mode: 'next', value: UNDEF, resumer: 0 });
      runAsync(co);
    } else if (r < 0.6 && parked.length) {
      // A promise reaction: the first few parked are likelier, as promises settle roughly in order.
      const k = Math.floor(rnd() * rnd() * parked.length);
      const [co] = parked.splice(k, 1);
      const failed = rnd() < 0.1;
      emit({
        kind: 'resume',
        co: co!,
        mode: failed ? 'throw' : 'next',
        value: failed ? { type: 'error', text: 'Error: rejected' } : value(),
        resumer: 0,
      });
      runAsync(co!);
    } else if (r < 0.8 || !tasks.length) {
      queueTask(0);
    } else {
      const k = Math.floor(rnd() * Math.min(tasks.length, 3));
      const t = tasks[k]!;
      emit({ kind: 'task-run', co: 0, task: t.task });
      if (rnd() < 0.3) queueTask(0);
      if (rnd() < 0.2 && live.length) {
        const g = live.find((x) => !x.inner && x.state === 'suspended');
        if (g) {
          emit({ kind: 'resume', co: g.id, mode: 'next', value: UNDEF, resumer: 0 });
          emit({ kind: 'yield', co: g.id, site: 2, value: value() });
        }
      }
      emit({ kind: 'task-end', co: 0, task: t.task });
      if (--t.left <= 0) tasks.splice(k, 1);
    }
  };

  while (events.length < opts.events) {
    if (asyncShare > 0 && rnd() < asyncShare) {
      asyncStep();
      continue;
    }
    if (live.length < liveMax && (live.length === 0 || rnd() < 0.2)) {
      const sim = create(0, false);
      live.push(sim);
      if (rare && rnd() < 0.2) emit({ kind: 'consume', co: sim.id, site: 7, how: 'for-of' });
      continue;
    }
    const k = Math.floor(rnd() * live.length);
    const g = live[k]!;
    const r = rnd() * life;
    const mode = r < 0.3 ? 'throw' : r < 0.6 ? 'return' : 'next';
    const sent = mode === 'throw' ? ({ type: 'error', text: 'Error: stop' } as Preview) : value();
    emit({ kind: 'resume', co: g.id, mode, value: sent, resumer: 0 });
    if (rare && rnd() < 0.02) {
      emit({
        kind: 'reenter',
        co: g.id,
        mode: 'next',
        resumer: g.id,
        error: { type: 'error', text: 'TypeError: Generator is already running' },
      });
    }
    if (rnd() < 0.04) emit({ kind: 'output', co: 0, stream: rnd() < 0.1 ? 'stderr' : 'stdout', text: `line ${seq}\n` });
    if (rare && rnd() < 0.002) emit({ kind: 'dropped', co: 0, count: 1 + Math.floor(rnd() * 5) });

    if (g.inner && mode === 'next') {
      // Passes through the yield* chain: the inner one yields (or finishes and the outer goes on).
      const inner = g.inner;
      emit({ kind: 'resume', co: inner.id, mode: 'next', value: sent, resumer: g.id });
      if (rnd() < 0.25) {
        emit({ kind: 'return', co: inner.id, value: num(inner.id) });
        g.inner = undefined;
        emit({ kind: 'yield', co: g.id, site: 2, value: num(inner.id) });
      } else {
        const v = value();
        emit({ kind: 'yield', co: inner.id, site: 5, value: v });
        emit({ kind: 'yield', co: g.id, site: 3, value: v });
      }
      g.state = 'suspended';
      continue;
    }
    const end = mode !== 'next' || rnd() < 1 / life;
    if (end) {
      if (g.inner) {
        emit({ kind: 'resume', co: g.inner.id, mode, value: sent, resumer: g.id });
        emit({ kind: 'return', co: g.inner.id, value: UNDEF });
        g.inner = undefined;
      }
      if (rare && rnd() < 0.3) emit({ kind: 'finally', co: g.id, site: 6 });
      if (mode === 'throw') emit({ kind: 'throw', co: g.id, error: sent });
      else emit({ kind: 'return', co: g.id, value: mode === 'return' ? sent : num(g.id) });
      live.splice(k, 1);
      continue;
    }
    if (rnd() < 0.1) {
      const inner = create(g.id, true);
      g.inner = inner;
      emit({
        kind: 'delegate',
        co: g.id,
        site: 3,
        target: inner.id,
        iterable: { type: 'generator', text: 'inner {<suspended>}' },
      });
      emit({ kind: 'resume', co: inner.id, mode: 'next', value: UNDEF, resumer: g.id });
      const v = value();
      emit({ kind: 'yield', co: inner.id, site: 5, value: v });
      emit({ kind: 'yield', co: g.id, site: 3, value: v });
    } else {
      emit({ kind: 'yield', co: g.id, site: 2, value: value() });
    }
    g.state = 'suspended';
  }
  if (opts.end ?? true) emit({ kind: 'end', co: 0, exitCode: 0, reason: 'exit' });
  return traceOf(events);
}

const HEADER: TraceHeader = {
  format: 'yieldscope-trace',
  version: 1,
  program: '/work/demo/main.ts',
  args: [],
  cwd: '/work/demo',
  node: 'v20.0.0',
  pid: 1,
  startTime: 0,
  tracer: 'synthetic',
};

/** A trace around `events`, with the synthetic program's file and sites. */
export function traceOf(events: TraceEvent[]): Trace {
  const files: SourceFile[] = [{ id: 1, url: 'file:///work/demo/main.ts' }];
  return {
    header: HEADER,
    files: new Map(files.map((f) => [f.id, f])),
    sites: new Map(SITES.map((s) => [s.id, s])),
    events,
    problems: [],
  };
}
