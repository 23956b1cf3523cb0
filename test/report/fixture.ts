// A synthetic but realistic trace for browser and report tests: a generator pipeline with a three-deep
// yield* chain left suspended at exit, a send before start, a return() and a throw() from outside, an async
// function, a re-entrant call, program output, and values and names that look like HTML. Built with the
// protocol encoder, so it is exactly what the tracer would write.

import { encodeTrace } from '../../src/protocol/codec';
import type { Preview, Site, SourceFile, Trace, TraceEvent, TraceHeader } from '../../src/protocol/trace';

/** A string value that would run script if anything rendered it as HTML. */
export const HOSTILE_VALUE = '<img src=x onerror="window.__pwned=1">';
/** A function name (a computed method key) that looks like markup. */
export const HOSTILE_NAME = '<b>bold</b>';

export const FIXTURE_CWD = '/home/ada/pipeline';

/** Coroutine ids in the fixture, by role. */
export const Co = { gen: 1, internal: 2, chain2: 3, tagged: 4, failing: 5, fetchUser: 6, selfish: 7, idle: 8 } as const;

/** What each coroutine's card should say at the end of the fixture. */
export const expectedCards: readonly { id: number; name: string; state: string }[] = [
  { id: Co.gen, name: 'gen', state: 'delegating to internal#2 at src/pipeline.ts:6:5' },
  { id: Co.internal, name: 'internal', state: 'delegating to chain2#3 at src/pipeline.ts:13:3' },
  { id: Co.chain2, name: 'chain2', state: 'suspended at src/chain.ts:4:5' },
  { id: Co.tagged, name: HOSTILE_NAME, state: 'closed, returned "done"' },
  { id: Co.failing, name: 'failing', state: 'failed: Error: bad input' },
  { id: Co.fetchUser, name: 'fetchUser', state: 'closed, returned {name: "Ada", id: 7}' },
  { id: Co.selfish, name: 'selfish', state: 'suspended at src/pipeline.ts:30:3' },
  { id: Co.idle, name: 'gen', state: 'created, not started' },
];

const num = (n: number): Preview => ({ type: 'number', text: String(n) });
const str = (text: string): Preview => ({ type: 'string', text });
const undef: Preview = { type: 'undefined', text: 'undefined' };

export interface FixtureOptions {
  /** Leave out the final `end` record, as in a recording that is still live. */
  readonly live?: boolean;
}

/** The fixture as a decoded trace (seq and time filled in). */
export function sampleTrace(opts: FixtureOptions = {}): Trace {
  const header: TraceHeader = {
    format: 'yieldscope-trace',
    version: 1,
    program: `${FIXTURE_CWD}/src/pipeline.ts`,
    args: ['--limit', '3'],
    cwd: FIXTURE_CWD,
    node: 'v20.20.2',
    pid: 4242,
    startTime: Date.UTC(2025, 0, 15, 9, 30),
    tracer: '0.1.0',
  };
  const files: SourceFile[] = [
    { id: 1, url: `file://${FIXTURE_CWD}/src/pipeline.ts` },
    { id: 2, url: `file://${FIXTURE_CWD}/src/chain.ts` },
  ];
  const sites: Site[] = [
    { id: 1, file: 1, line: 3, column: 1, kind: 'function', name: 'gen' },
    { id: 2, file: 1, line: 5, column: 5, kind: 'yield', name: 'gen' },
    { id: 3, file: 1, line: 6, column: 5, kind: 'delegate', name: 'gen' },
    { id: 4, file: 1, line: 10, column: 1, kind: 'function', name: 'internal' },
    { id: 5, file: 1, line: 12, column: 3, kind: 'yield', name: 'internal' },
    { id: 6, file: 1, line: 13, column: 3, kind: 'delegate', name: 'internal' },
    { id: 7, file: 2, line: 1, column: 8, kind: 'function', name: 'chain2' },
    { id: 8, file: 2, line: 4, column: 5, kind: 'yield', name: 'chain2' },
    { id: 9, file: 1, line: 17, column: 3, kind: 'function', name: HOSTILE_NAME },
    { id: 10, file: 1, line: 18, column: 5, kind: 'yield', name: HOSTILE_NAME },
    { id: 11, file: 1, line: 21, column: 1, kind: 'function', name: 'failing' },
    { id: 12, file: 1, line: 22, column: 3, kind: 'yield', name: 'failing' },
    { id: 13, file: 1, line: 25, column: 1, kind: 'function', name: 'fetchUser' },
    { id: 14, file: 1, line: 26, column: 16, kind: 'await', name: 'fetchUser' },
    { id: 15, file: 1, line: 29, column: 1, kind: 'function', name: 'selfish' },
    { id: 16, file: 1, line: 30, column: 3, kind: 'yield', name: 'selfish' },
  ];
  type Body = TraceEvent extends infer E ? (E extends TraceEvent ? Omit<E, 'seq' | 'time'> : never) : never;
  const bodies: Body[] = [
    // const g = gen(3, 'alpha'); g.next(); g.next('a') → delegates to internal()
    { kind: 'create', co: Co.gen, site: 1, parent: 0, coKind: 'generator', args: [num(3), str('alpha')] },
    { kind: 'resume', co: Co.gen, mode: 'next', value: undef, resumer: 0 },
    { kind: 'yield', co: Co.gen, site: 2, value: num(1) },
    { kind: 'resume', co: Co.gen, mode: 'next', value: str('a'), resumer: 0 },
    { kind: 'create', co: Co.internal, site: 4, parent: Co.gen, coKind: 'generator', args: [] },
    {
      kind: 'delegate',
      co: Co.gen,
      site: 3,
      target: Co.internal,
      iterable: { type: 'generator', text: 'internal {<suspended>}' },
    },
    { kind: 'resume', co: Co.internal, mode: 'next', value: undef, resumer: Co.gen },
    { kind: 'yield', co: Co.internal, site: 5, value: str('x') },
    { kind: 'yield', co: Co.gen, site: 3, value: str('x') },
    // g.next(42): internal delegates on to chain2
    { kind: 'resume', co: Co.gen, mode: 'next', value: num(42), resumer: 0 },
    { kind: 'resume', co: Co.internal, mode: 'next', value: num(42), resumer: Co.gen },
    { kind: 'create', co: Co.chain2, site: 7, parent: Co.internal, coKind: 'generator', args: [num(42)] },
    {
      kind: 'delegate',
      co: Co.internal,
      site: 6,
      target: Co.chain2,
      iterable: { type: 'generator', text: 'chain2 {<suspended>}' },
    },
    { kind: 'resume', co: Co.chain2, mode: 'next', value: undef, resumer: Co.internal },
    { kind: 'yield', co: Co.chain2, site: 8, value: { type: 'object', text: '{id: 7, ok: true}' } },
    { kind: 'yield', co: Co.internal, site: 6, value: { type: 'object', text: '{id: 7, ok: true}' } },
    { kind: 'yield', co: Co.gen, site: 3, value: { type: 'object', text: '{id: 7, ok: true}' } },
    { kind: 'output', co: 0, stream: 'stdout', text: 'got { id: 7, ok: true }\n' },
    // g.next(7): the whole chain resumes, and chain2 yields markup
    { kind: 'resume', co: Co.gen, mode: 'next', value: num(7), resumer: 0 },
    { kind: 'resume', co: Co.internal, mode: 'next', value: num(7), resumer: Co.gen },
    { kind: 'resume', co: Co.chain2, mode: 'next', value: num(7), resumer: Co.internal },
    { kind: 'yield', co: Co.chain2, site: 8, value: str(HOSTILE_VALUE) },
    { kind: 'yield', co: Co.internal, site: 6, value: str(HOSTILE_VALUE) },
    { kind: 'yield', co: Co.gen, site: 3, value: str(HOSTILE_VALUE) },
    { kind: 'output', co: 0, stream: 'stdout', text: `got ${HOSTILE_VALUE}\n` },
    // A computed method with a name like markup: sent a value before it started, then return()ed
    { kind: 'create', co: Co.tagged, site: 9, parent: 0, coKind: 'generator', args: [] },
    { kind: 'resume', co: Co.tagged, mode: 'next', value: str('ignored'), resumer: 0 },
    { kind: 'yield', co: Co.tagged, site: 10, value: num(1) },
    { kind: 'resume', co: Co.tagged, mode: 'return', value: str('done'), resumer: 0 },
    { kind: 'return', co: Co.tagged, value: str('done') },
    // it.throw(new Error('bad input')) on a generator that does not catch
    { kind: 'create', co: Co.failing, site: 11, parent: 0, coKind: 'generator', args: [] },
    { kind: 'resume', co: Co.failing, mode: 'next', value: undef, resumer: 0 },
    { kind: 'yield', co: Co.failing, site: 12, value: num(0) },
    { kind: 'resume', co: Co.failing, mode: 'throw', value: { type: 'error', text: 'Error: bad input' }, resumer: 0 },
    { kind: 'throw', co: Co.failing, error: { type: 'error', text: 'Error: bad input' } },
    { kind: 'output', co: 0, stream: 'stderr', text: 'caught Error: bad input\n' },
    // await fetchUser('u1')
    { kind: 'create', co: Co.fetchUser, site: 13, parent: 0, coKind: 'async', args: [str('u1')] },
    { kind: 'resume', co: Co.fetchUser, mode: 'next', value: undef, resumer: 0 },
    { kind: 'yield', co: Co.fetchUser, site: 14, value: { type: 'promise', text: 'Promise {<pending>}' } },
    {
      kind: 'resume',
      co: Co.fetchUser,
      mode: 'next',
      value: { type: 'object', text: '{name: "Ada", id: 7}' },
      resumer: 0,
    },
    { kind: 'return', co: Co.fetchUser, value: { type: 'object', text: '{name: "Ada", id: 7}' } },
    // A generator that calls its own next() while running
    { kind: 'create', co: Co.selfish, site: 15, parent: 0, coKind: 'generator', args: [] },
    { kind: 'resume', co: Co.selfish, mode: 'next', value: undef, resumer: 0 },
    {
      kind: 'reenter',
      co: Co.selfish,
      mode: 'next',
      resumer: Co.selfish,
      error: { type: 'error', text: 'TypeError: Generator is already running' },
    },
    { kind: 'yield', co: Co.selfish, site: 16, value: str('recovered') },
    // A second gen() that is never started
    { kind: 'create', co: Co.idle, site: 1, parent: 0, coKind: 'generator', args: [num(10), str('beta')] },
  ];
  if (!opts.live) bodies.push({ kind: 'end', co: 0, exitCode: 0, reason: 'exit' });
  const events = bodies.map((b, seq) => ({ ...b, seq, time: seq * 0.125 + (seq > 20 ? 3.5 : 0) }) as TraceEvent);
  return {
    header,
    files: new Map(files.map((f) => [f.id, f])),
    sites: new Map(sites.map((s) => [s.id, s])),
    events,
    problems: [],
  };
}

/** The fixture as trace bytes, as a file or a stream would hold them. */
export function sampleTraceBytes(opts: FixtureOptions = {}): Uint8Array {
  return encodeTrace(sampleTrace(opts));
}
