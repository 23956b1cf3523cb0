// Small hand-made traces for the extension's tests: the sending-values sample up to a point, and a program with
// a coroutine in each state (a yield* chain, an await, one returned, one failed, one not started).

import { encodeTrace, emptyTrace } from '../../../src/protocol/codec';
import type { Preview, Trace, TraceEvent } from '../../../src/protocol/trace';

type Body = TraceEvent extends infer E ? (E extends TraceEvent ? Omit<E, 'seq' | 'time'> : never) : never;

const num = (n: number): Preview => ({ type: 'number', text: String(n) });
const str = (s: string): Preview => ({ type: 'string', text: s });

export function traceWith(events: readonly Body[], pid = 4242): Trace {
  const trace = emptyTrace();
  trace.header = {
    format: 'yieldscope-trace',
    version: 1,
    program: '/work/app/src/main.ts',
    args: [],
    cwd: '/work/app',
    node: 'v22.0.0',
    pid,
    startTime: Date.UTC(2026, 0, 1),
    tracer: 'test',
  };
  trace.files.set(1, { id: 1, url: 'file:///work/app/src/main.ts' });
  const sites = [
    { id: 1, file: 1, line: 3, column: 1, kind: 'function', name: 'gen' },
    { id: 2, file: 1, line: 6, column: 19, kind: 'yield', name: 'gen' },
    { id: 3, file: 1, line: 12, column: 3, kind: 'delegate', name: 'outer' },
    { id: 4, file: 1, line: 10, column: 1, kind: 'function', name: 'outer' },
    { id: 5, file: 1, line: 20, column: 1, kind: 'function', name: 'load' },
    { id: 6, file: 1, line: 21, column: 9, kind: 'await', name: 'load' },
  ] as const;
  for (const s of sites) trace.sites.set(s.id, { ...s });
  events.forEach((e, i) => trace.events.push({ ...e, seq: i, time: i * 0.5 } as TraceEvent));
  return trace;
}

/** samples/05-sending-values: after next('lost') and next('hello'), paused inside gen() resumed by next(42). */
export function sendingValues(upTo: 'paused' | 'ended' = 'ended', pid = 4242): Trace {
  const events: Body[] = [
    { kind: 'create', co: 1, site: 1, parent: 0, coKind: 'generator', args: [num(1)] },
    { kind: 'resume', co: 1, mode: 'next', value: str('lost'), resumer: 0 },
    { kind: 'yield', co: 1, site: 2, value: num(1) },
    { kind: 'resume', co: 1, mode: 'next', value: str('hello'), resumer: 0 },
    { kind: 'yield', co: 1, site: 2, value: num(2) },
    { kind: 'resume', co: 1, mode: 'next', value: num(42), resumer: 0 },
  ];
  if (upTo === 'ended') {
    events.push({ kind: 'yield', co: 1, site: 2, value: num(3) });
    events.push({ kind: 'end', co: 0, exitCode: 0, reason: 'exit' });
  }
  return traceWith(events, pid);
}

/** One coroutine in each state: a yield* chain (outer#1 → gen#2), load#3 awaiting, gen#4 returned, gen#5 failed, gen#6 new. */
export function everyState(): Trace {
  return traceWith([
    { kind: 'create', co: 1, site: 4, parent: 0, coKind: 'generator', args: [] },
    { kind: 'resume', co: 1, mode: 'next', value: { type: 'undefined', text: 'undefined' }, resumer: 0 },
    { kind: 'create', co: 2, site: 1, parent: 1, coKind: 'generator', args: [num(0)] },
    { kind: 'delegate', co: 1, site: 3, target: 2, iterable: { type: 'generator', text: 'gen#2' } },
    { kind: 'resume', co: 2, mode: 'next', value: { type: 'undefined', text: 'undefined' }, resumer: 1 },
    { kind: 'yield', co: 2, site: 2, value: str('a') },
    { kind: 'yield', co: 1, site: 3, value: str('a') },
    { kind: 'create', co: 3, site: 5, parent: 0, coKind: 'async', args: [] },
    { kind: 'resume', co: 3, mode: 'next', value: { type: 'undefined', text: 'undefined' }, resumer: 0 },
    { kind: 'await', co: 3, site: 6, target: 0, value: { type: 'promise', text: 'Promise' } },
    { kind: 'create', co: 4, site: 1, parent: 0, coKind: 'generator', args: [] },
    { kind: 'resume', co: 4, mode: 'next', value: { type: 'undefined', text: 'undefined' }, resumer: 0 },
    { kind: 'return', co: 4, value: num(42) },
    { kind: 'create', co: 5, site: 1, parent: 0, coKind: 'generator', args: [] },
    { kind: 'resume', co: 5, mode: 'throw', value: { type: 'error', text: 'Error: boom' }, resumer: 0 },
    { kind: 'throw', co: 5, error: { type: 'error', text: 'Error: boom' } },
    { kind: 'create', co: 6, site: 1, parent: 0, coKind: 'generator', args: [] },
  ]);
}

export function bytesOf(trace: Trace): Uint8Array {
  return encodeTrace(trace);
}
