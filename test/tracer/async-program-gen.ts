// Random async programs for the tracer's property tests (async-properties.test.ts): async functions (declared,
// expressions, arrows with block and expression bodies, methods), async generators driven by for await…of, by
// awaited next()/throw()/return() calls, by requests queued before the previous one settles and by yield* in
// another async generator, and the task queues (setTimeout, setImmediate, process.nextTick, queueMicrotask).
//
// fast-check generates an `AsyncProgramSpec` (a structure, so that shrinking removes functions, statements and
// steps); `renderAsyncProgram` turns it into a small self-contained program, CommonJS or ES module, plus the
// positions of its awaits and yields and what calls and queues what, so that its trace can be checked.
//
// The program keeps its own exact counts and prints them last (`#counts {...}`, from an exit listener, so they
// are printed after an unhandled rejection too):
//   - `N[u]`: calls of unit u: an async function counts itself first thing in its body, an async generator is
//     counted where it is made (`made(u, …)`), since its body runs only at the first next();
//   - `A[s]`: how many times the await at site s started (`A[s]++` just before it); `F[s]`: how many times it
//     was fulfilled (`fin(s, await …)`, or the first statement of a for await…of turn). For a for await…of
//     loop, site s is the loop: it parks once before the first turn, at the end of each turn and where a break
//     leaves it (for the iterator's return()), and `DONE[s]` counts the loops that ended or were left so; for a
//     yield*, site s is the yield*, and `DONE[s]` counts the delegations the generator went on after;
//   - `Y[s]`: how many times the yield at site s suspended its async generator;
//   - `Q`: tasks queued, by queue; `ran`: task callbacks that ran; `cancelled`: timers cleared before running;
//   - `PAR`: the call site (an index into `calls`) of each call, in order; `QBY`: who queued each task, in
//     order: a unit, -1 for main, -2 for code that runs as no coroutine (the top level, a task's callback, a
//     thenable's then()).
//
// Order is deterministic, so that the plain run can be the oracle: the program is a sequence of steps in an
// async `main`, each starting in an I/O callback (the poll phase of the event loop) once every task and call of
// the previous step has settled (`settle()`). Immediates are queued only by a step's first statements, so they
// run in the check phase right after, before any timer can (the rule event-loop-order.mjs follows: no race
// between a timer and an immediate; from the timers phase, a later setTimeout() in the same turn updates the
// loop's clock and can let an earlier timer run before the immediates). Every timer of a program has the same
// delay, so they share one list and run in the order queued. Task callbacks print, and may queue a microtask or
// a nextTick or call an async function (none queues an immediate). One thing still depends on timing: whether
// two timers are due in the same turn decides which of Node's functions drains the microtask queue after the
// first, and that function is in the stack of everything the queue runs; so the program prints stacks without
// Node's frames (`stackOf`), errors in values as their name and message (`shown`), and, where an error may end
// the program unhandled (Node prints its stack), trims its stack the same way (`T`).
//
// Known tracer bugs are left out through `AsyncExclusions` (below), each naming its bug and fixture.

import * as fc from 'fast-check';
import { LITERALS, type ErrSpec, type Literal } from './program-gen';

// ---------------------------------------------------------------- the structure

export type ModuleKind = 'cjs' | 'esm';

export type FnDef =
  | 'decl' // async function f1(a) {}
  | 'expr' // const f1 = async function (a) {}
  | 'named-expr' // const f1 = async function f1impl(a) {}
  | 'arrow-block' // const f1 = async (a) => {}
  | 'arrow-expr' // const f1 = async (a) => (…)
  | 'obj-method' // const o1 = { async f1(a) {} }
  | 'class-method' // class C1 { async f1(a) {} }
  | 'class-static'; // class C1 { static async f1(a) {} }

export type AgDef =
  | 'decl' // async function* ag1(a) {}
  | 'expr' // const ag1 = async function* (a) {}
  | 'obj-method' // const o1 = { async *ag1(a) {} }
  | 'class-method' // class C1 { async *ag1(a) {} }
  | 'obj-iterator' // const o1 = { async *[Symbol.asyncIterator]() {} }
  | 'class-iterator'; // class C1 { async *[Symbol.asyncIterator]() {} }

/** What an await waits for. */
export type Operand =
  | { readonly k: 'value'; readonly v: Literal }
  | { readonly k: 'resolved'; readonly v: Literal }
  | { readonly k: 'rejected'; readonly e: ErrSpec }
  | { readonly k: 'thenable'; readonly v: Literal; readonly later: boolean }
  | { readonly k: 'thenable-reject'; readonly e: ErrSpec; readonly how: 'reject' | 'throw' }
  | { readonly k: 'call'; readonly to: number; readonly args: readonly Literal[] }
  | { readonly k: 'combine'; readonly how: 'all' | 'race' | 'allSettled'; readonly items: readonly Operand[] }
  | { readonly k: 'sleep'; readonly v: Literal };

export type TaskQueue = 'timer' | 'immediate' | 'nextTick' | 'microtask' | 'io';
/** The queues a generated statement queues a callback on (I/O only starts each step). */
export type QueueKind = Exclude<TaskQueue, 'io'>;
/**
 * What a task callback does after it prints: nothing, queue a nextTick or microtask that prints, print a stack,
 * or call an async function (whose coroutine then has no parent).
 */
export type TaskThen = 'none' | 'nextTick' | 'microtask' | 'stack' | 'call';

export type Op =
  | { readonly k: 'next'; readonly v: Literal | null }
  | { readonly k: 'throw'; readonly e: ErrSpec }
  | { readonly k: 'return'; readonly v: Literal };

export type Drive =
  | { readonly k: 'for-await'; readonly breakAfter: number | null; readonly skipOdd: boolean }
  | { readonly k: 'manual'; readonly ops: readonly Op[] }
  | { readonly k: 'queued'; readonly ops: readonly Op[] };

export type Stmt =
  /** `deferred`: a call's promise is kept, something else awaited, and then the promise. */
  | { readonly k: 'await'; readonly op: Operand; readonly keep: boolean; readonly deferred: boolean }
  | { readonly k: 'print' }
  | { readonly k: 'args' }
  | { readonly k: 'stack' }
  | { readonly k: 'spawn'; readonly to: number; readonly args: readonly Literal[] }
  | { readonly k: 'task'; readonly q: QueueKind; readonly after: TaskThen }
  | { readonly k: 'cancel' }
  | { readonly k: 'drive'; readonly to: number; readonly args: readonly Literal[]; readonly how: Drive }
  | { readonly k: 'yield'; readonly v: Literal } // async generators only
  | { readonly k: 'recv'; readonly v: Literal } // async generators only
  /** `yield*` to a later async generator unit, or to an array when there is none (async generators only). */
  | { readonly k: 'delegate'; readonly to: number; readonly args: readonly Literal[] }
  | {
      readonly k: 'try';
      readonly body: Block;
      readonly handler: Block | null;
      readonly bind: 'name' | 'none' | 'pattern';
      readonly fin: Block | null;
    }
  | { readonly k: 'loop'; readonly n: number; readonly body: Block; readonly breakAt: number | null };

export type Terminal =
  | { readonly k: 'return'; readonly v: Literal | null }
  | { readonly k: 'return-await'; readonly op: Operand }
  | { readonly k: 'return-promise'; readonly op: Operand }
  | { readonly k: 'throw'; readonly e: ErrSpec };

export interface Block {
  readonly stmts: readonly Stmt[];
  readonly end: Terminal | null;
}

interface UnitBase {
  /** Number of parameters; the last one may have a default value. */
  readonly params: number;
  readonly withDefault: boolean;
  /** The default value is a promise (`Promise.resolve('default')`), made when the call starts. */
  readonly defaultPromise: boolean;
  /** Written on one line, so that probes share lines with everything else in it. */
  readonly compact: boolean;
  readonly body: Block;
}

export type UnitSpec =
  | (UnitBase & { readonly kind: 'fn'; readonly def: FnDef; readonly expr: Operand | null })
  | (UnitBase & { readonly kind: 'ag'; readonly def: AgDef });

export interface StepSpec {
  /** Queued first thing in the step (the only place immediates are queued). */
  readonly tasks: readonly { readonly q: QueueKind; readonly after: TaskThen }[];
  readonly stmts: readonly Stmt[];
  /** In a try/catch that reports the error, with its stack when `stack`. */
  readonly guard: 'none' | 'report' | 'stack';
}

export type Ending =
  | { readonly k: 'none' }
  | { readonly k: 'exit-code'; readonly code: number }
  | { readonly k: 'throw'; readonly e: ErrSpec }
  | { readonly k: 'unhandled'; readonly to: number; readonly args: readonly Literal[] }
  | { readonly k: 'throw-in-task'; readonly q: QueueKind; readonly e: ErrSpec };

export interface AsyncProgramSpec {
  readonly module: ModuleKind;
  /** CommonJS only: a `'use strict'` directive at the top of the file. */
  readonly strictFile: boolean;
  /** The delay of every timer: left out, 0 or 1 (all mean 1 ms, one timer list), or 2 ms for all of them. */
  readonly delay: 'short' | 'two';
  /** Microtasks and nextTicks queued at the top level before main runs. */
  readonly prologue: readonly ('nextTick' | 'microtask')[];
  readonly units: readonly UnitSpec[];
  readonly steps: readonly StepSpec[];
  readonly ending: Ending;
  /** How the top level calls main: `main();`, with a rejection handler, or `await main();` (ES modules). */
  readonly mainCall: 'bare' | 'handled' | 'tla';
}

// ---------------------------------------------------------------- values

const literal: fc.Arbitrary<Literal> = fc.constantFrom(...Object.keys(LITERALS));

export const ERROR_CLASSES = ['Error', 'TypeError', 'RangeError', 'MyError', 'OtherError'] as const;
/** Thrown values that are not errors, with the preview type the tracer should give them. */
export const RAW_ERRORS: Readonly<Record<string, string>> = {
  "'a plain string'": 'string',
  '{ code: 7 }': 'object',
  '42': 'number',
  null: 'null',
  undefined: 'undefined',
};

const errSpec: fc.Arbitrary<ErrSpec> = fc.oneof(
  { withCrossShrink: true },
  {
    weight: 4,
    arbitrary: fc.record({
      cls: fc.constantFrom(...ERROR_CLASSES),
      msg: fc.constantFrom('boom', 'bad value', ''),
    }),
  },
  { weight: 1, arbitrary: fc.record({ raw: fc.constantFrom(...Object.keys(RAW_ERRORS)) }) },
);

/** The preview the tracer gives an error value: its type, and its text when it can be predicted. */
export function errorPreview(e: ErrSpec): { type: string; text?: string } {
  if ('raw' in e) return { type: RAW_ERRORS[e.raw]!, text: e.raw === "'a plain string'" ? 'a plain string' : e.raw };
  const name = e.cls === 'OtherError' ? 'MyError' : e.cls;
  return { type: 'error', text: e.msg ? `${name}: ${e.msg}` : name };
}

// ---------------------------------------------------------------- arbitraries

const args = fc.array(literal, { maxLength: 2 });

function operandArb(depth: number): fc.Arbitrary<Operand> {
  const leaves: fc.WeightedArbitrary<Operand>[] = [
    { weight: 3, arbitrary: fc.record({ k: fc.constant('value' as const), v: literal }) },
    { weight: 3, arbitrary: fc.record({ k: fc.constant('resolved' as const), v: literal }) },
    { weight: 2, arbitrary: fc.record({ k: fc.constant('rejected' as const), e: errSpec }) },
    {
      weight: 2,
      arbitrary: fc.record({ k: fc.constant('thenable' as const), v: literal, later: fc.boolean() }),
    },
    {
      weight: 1,
      arbitrary: fc.record({
        k: fc.constant('thenable-reject' as const),
        e: errSpec,
        how: fc.constantFrom('reject' as const, 'throw' as const),
      }),
    },
    { weight: 6, arbitrary: fc.record({ k: fc.constant('call' as const), to: fc.nat(7), args }) },
    { weight: 1, arbitrary: fc.record({ k: fc.constant('sleep' as const), v: literal }) },
  ];
  if (depth <= 0) return fc.oneof({ withCrossShrink: true }, ...leaves);
  return fc.oneof({ withCrossShrink: true }, ...leaves, {
    weight: 2,
    arbitrary: fc.record({
      k: fc.constant('combine' as const),
      how: fc.constantFrom('all' as const, 'race' as const, 'allSettled' as const),
      items: fc.array(operandArb(depth - 1), { minLength: 1, maxLength: 3 }),
    }),
  });
}

const operand = operandArb(1);

const opArb: fc.Arbitrary<Op> = fc.oneof(
  { withCrossShrink: true },
  {
    weight: 6,
    arbitrary: fc.record({ k: fc.constant('next' as const), v: fc.option(literal, { nil: null, freq: 2 }) }),
  },
  { weight: 1, arbitrary: fc.record({ k: fc.constant('throw' as const), e: errSpec }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constant('return' as const), v: literal }) },
);

const driveArb: fc.Arbitrary<Drive> = fc.oneof(
  { withCrossShrink: true },
  {
    weight: 3,
    arbitrary: fc.record({
      k: fc.constant('for-await' as const),
      breakAfter: fc.option(fc.integer({ min: 1, max: 3 }), { nil: null }),
      skipOdd: fc.boolean(),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({ k: fc.constant('manual' as const), ops: fc.array(opArb, { minLength: 1, maxLength: 4 }) }),
  },
  {
    weight: 2,
    arbitrary: fc.record({ k: fc.constant('queued' as const), ops: fc.array(opArb, { minLength: 1, maxLength: 4 }) }),
  },
);

const afterArb: fc.Arbitrary<TaskThen> = fc.constantFrom('none', 'none', 'nextTick', 'microtask', 'stack', 'call');

const terminal: fc.Arbitrary<Terminal> = fc.oneof(
  { withCrossShrink: true },
  { weight: 3, arbitrary: fc.record({ k: fc.constant('return' as const), v: fc.option(literal, { nil: null }) }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constant('return-await' as const), op: operand }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constant('return-promise' as const), op: operand }) },
  { weight: 2, arbitrary: fc.record({ k: fc.constant('throw' as const), e: errSpec }) },
);

/** Statements of a unit body (`ag`: an async generator's, with yields) or of a step of main. */
function stmtArb(depth: number, where: 'fn' | 'ag' | 'main'): fc.Arbitrary<Stmt> {
  const leaves: fc.WeightedArbitrary<Stmt>[] = [
    {
      weight: 8,
      arbitrary: fc.record({
        k: fc.constant('await' as const),
        op: operand,
        keep: fc.boolean(),
        deferred: fc.constantFrom(false, false, true),
      }),
    },
    { weight: 1, arbitrary: fc.constant({ k: 'print' as const }) },
    { weight: 1, arbitrary: fc.constant({ k: 'args' as const }) },
    { weight: 1, arbitrary: fc.constant({ k: 'stack' as const }) },
    { weight: 2, arbitrary: fc.record({ k: fc.constant('spawn' as const), to: fc.nat(7), args }) },
    {
      weight: 2,
      arbitrary: fc.record({
        k: fc.constant('task' as const),
        // Immediates only at the start of a step (StepSpec.tasks): see the header.
        q: fc.constantFrom('timer' as const, 'nextTick' as const, 'microtask' as const),
        after: afterArb,
      }),
    },
    { weight: 1, arbitrary: fc.constant({ k: 'cancel' as const }) },
    {
      weight: 3,
      arbitrary: fc.record({ k: fc.constant('drive' as const), to: fc.nat(7), args, how: driveArb }),
    },
  ];
  if (where === 'ag') {
    leaves.push(
      { weight: 6, arbitrary: fc.record({ k: fc.constant('yield' as const), v: literal }) },
      { weight: 3, arbitrary: fc.record({ k: fc.constant('recv' as const), v: literal }) },
      { weight: 2, arbitrary: fc.record({ k: fc.constant('delegate' as const), to: fc.nat(7), args }) },
    );
  }
  if (depth <= 0) return fc.oneof({ withCrossShrink: true }, ...leaves);
  const inner = blockArb(depth - 1, 3, where);
  return fc.oneof(
    { withCrossShrink: true },
    ...leaves,
    {
      weight: 3,
      arbitrary: fc
        .record({
          k: fc.constant('try' as const),
          body: inner,
          handler: fc.option(inner, { nil: null }),
          bind: fc.constantFrom('name' as const, 'name' as const, 'none' as const, 'pattern' as const),
          fin: fc.option(inner, { nil: null }),
        })
        .map((t) => (t.handler === null && t.fin === null ? { ...t, fin: { stmts: [], end: null } } : t)),
    },
    {
      weight: 2,
      arbitrary: fc.record({
        k: fc.constant('loop' as const),
        n: fc.integer({ min: 1, max: 3 }),
        body: inner,
        breakAt: fc.option(fc.nat(2), { nil: null }),
      }),
    },
  );
}

function blockArb(depth: number, maxStmts: number, where: 'fn' | 'ag' | 'main'): fc.Arbitrary<Block> {
  return fc.record({
    stmts: fc.array(stmtArb(depth, where), { minLength: 0, maxLength: maxStmts }),
    end: where === 'main' ? fc.constant(null) : fc.option(terminal, { nil: null, freq: 3 }),
  });
}

const FN_DEFS: readonly FnDef[] = [
  'decl',
  'expr',
  'named-expr',
  'arrow-block',
  'arrow-expr',
  'obj-method',
  'class-method',
  'class-static',
];
const AG_DEFS: readonly AgDef[] = ['decl', 'expr', 'obj-method', 'class-method', 'obj-iterator', 'class-iterator'];

const unitArb: fc.Arbitrary<UnitSpec> = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('fn' as const),
      def: fc.constantFrom(...FN_DEFS),
      params: fc.nat(2),
      withDefault: fc.boolean(),
      defaultPromise: fc.constantFrom(false, false, true),
      compact: fc.constantFrom(false, false, false, true),
      body: blockArb(2, 4, 'fn'),
      expr: fc.option(operand, { nil: null, freq: 4 }),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('ag' as const),
      def: fc.constantFrom(...AG_DEFS),
      params: fc.nat(2),
      withDefault: fc.boolean(),
      defaultPromise: fc.constantFrom(false, false, true),
      compact: fc.constantFrom(false, false, false, true),
      body: blockArb(2, 4, 'ag'),
    }),
  },
);

const taskArb = fc.record({
  q: fc.constantFrom('timer' as const, 'immediate' as const, 'nextTick' as const, 'microtask' as const),
  after: afterArb,
});

const stepArb: fc.Arbitrary<StepSpec> = fc.record({
  tasks: fc.array(taskArb, { maxLength: 3 }),
  stmts: fc.array(stmtArb(1, 'main'), { minLength: 1, maxLength: 3 }),
  guard: fc.constantFrom('report' as const, 'report' as const, 'stack' as const, 'none' as const),
});

const endingArb: fc.Arbitrary<Ending> = fc.oneof(
  { withCrossShrink: true },
  { weight: 5, arbitrary: fc.constant({ k: 'none' as const }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constant('exit-code' as const), code: fc.integer({ min: 2, max: 9 }) }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constant('throw' as const), e: errSpec }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constant('unhandled' as const), to: fc.nat(7), args }) },
  {
    weight: 1,
    arbitrary: fc.record({
      k: fc.constant('throw-in-task' as const),
      q: fc.constantFrom('timer' as const, 'immediate' as const, 'nextTick' as const, 'microtask' as const),
      e: errSpec,
    }),
  },
);

/** Upper bound on the coroutines one program may make, to keep programs and traces small. */
export const MAX_CALLS = 150;

export const asyncProgramArb: fc.Arbitrary<AsyncProgramSpec> = fc
  .record({
    module: fc.constantFrom('cjs' as const, 'esm' as const),
    strictFile: fc.boolean(),
    delay: fc.constantFrom('short' as const, 'short' as const, 'two' as const),
    prologue: fc.array(fc.constantFrom('nextTick' as const, 'microtask' as const), { maxLength: 2 }),
    units: fc.array(unitArb, { minLength: 1, maxLength: 5 }),
    steps: fc.array(stepArb, { minLength: 1, maxLength: 4 }),
    ending: endingArb,
    mainCall: fc.constantFrom('bare' as const, 'handled' as const, 'handled' as const, 'tla' as const),
  })
  .map((p) => (p.module === 'cjs' && p.mainCall === 'tla' ? { ...p, mainCall: 'bare' as const } : p))
  .filter((p) => maxCalls(p) <= MAX_CALLS);

// ---------------------------------------------------------------- static facts

/** The unit of `kind` that unit `from` (or main, -1) calls for `to`: a later one, so that nothing recurses. */
export function targetOf(
  units: readonly Pick<UnitSpec, 'kind'>[],
  from: number,
  to: number,
  kind: 'fn' | 'ag',
): number | undefined {
  const later: number[] = [];
  for (let i = from + 1; i < units.length; i++) if (units[i]!.kind === kind) later.push(i);
  return later.length ? later[to % later.length] : undefined;
}

/** An upper bound on the coroutines each unit (and the program) makes, counting itself. */
export function maxCalls(p: Pick<AsyncProgramSpec, 'units' | 'steps' | 'ending'>): number {
  const bound: number[] = p.units.map(() => 1);
  const operandCalls = (from: number, o: Operand): number => {
    if (o.k === 'call') {
      const t = targetOf(p.units, from, o.to, 'fn');
      return t === undefined ? 0 : bound[t]!;
    }
    if (o.k === 'combine') return o.items.reduce((s, i) => s + operandCalls(from, i), 0);
    return 0;
  };
  const taskCalls = (from: number, then: TaskThen): number => {
    const t = then === 'call' ? targetOf(p.units, from, 0, 'fn') : undefined;
    return t === undefined ? 0 : bound[t]!;
  };
  const block = (from: number, b: Block): number =>
    b.stmts.reduce((sum, s) => sum + stmt(from, s), 0) +
    (b.end && (b.end.k === 'return-await' || b.end.k === 'return-promise') ? operandCalls(from, b.end.op) : 0);
  const stmt = (from: number, s: Stmt): number => {
    switch (s.k) {
      case 'await':
        return operandCalls(from, s.op);
      case 'spawn': {
        const t = targetOf(p.units, from, s.to, 'fn');
        return t === undefined ? 0 : bound[t]!;
      }
      case 'drive':
      case 'delegate': {
        const t = targetOf(p.units, from, s.to, 'ag');
        return t === undefined ? 0 : bound[t]!;
      }
      case 'task':
        return taskCalls(from, s.after);
      case 'try':
        return block(from, s.body) + (s.handler ? block(from, s.handler) : 0) + (s.fin ? block(from, s.fin) : 0);
      case 'loop':
        return s.n * block(from, s.body);
      default:
        return 0;
    }
  };
  for (let i = p.units.length - 1; i >= 0; i--) {
    const u = p.units[i]!;
    bound[i] =
      1 + (u.kind === 'fn' && u.def === 'arrow-expr' ? (u.expr ? operandCalls(i, u.expr) : 0) : block(i, u.body));
  }
  const steps = p.steps.reduce(
    (sum, s) =>
      sum + s.stmts.reduce((n, st) => n + stmt(-1, st), 0) + s.tasks.reduce((n, t) => n + taskCalls(-1, t.after), 0),
    0,
  );
  const end = p.ending.k === 'unhandled' ? (bound[targetOf(p.units, -1, p.ending.to, 'fn') ?? -1] ?? 0) : 0;
  return 1 + steps + end;
}

/** True if awaiting the operand may reject. */
function mayReject(o: Operand): boolean {
  switch (o.k) {
    case 'rejected':
    case 'thenable-reject':
    case 'call':
      return true;
    case 'combine':
      return o.how !== 'allSettled' && o.items.some(mayReject);
    default:
      return false;
  }
}

// ---------------------------------------------------------------- known bugs

/**
 * Constructs left out while a known tracer bug makes them fail a property. Each names its bug and the fixture
 * or test that shows it; remove the exclusion when the bug is fixed.
 */
export interface AsyncExclusions {
  /**
   * Fidelity bug (async-throw-on-probe-line.mjs): Node's report of an unhandled rejection quotes the source line
   * where the error was made, and under the tracer that line is the instrumented one when it holds probes (an
   * await, a return, a one-line function, a `catch` that destructures its error). Excluded: in programs that may
   * end on an unhandled rejection, errors are made by a helper `E(…)` on a line of its own (and a `catch` clause
   * there never destructures null, whose TypeError V8 would make on the catch line).
   */
  readonly rejectionMadeOnProbeLine?: boolean;
  /**
   * Trace gap, documented (docs/trace-format.md; async-return-rejects-finally.mjs): `return x` in an async
   * generator awaits x, and when x rejects into a `finally` block, that block's probe cannot tell a rejection
   * from a fulfilment: the resumption is recorded in mode next, not observed. Excluded: where an async
   * generator would return a promise that may reject, it returns with `return;`.
   */
  readonly returnAwaitRejects?: boolean;
}

/**
 * True if the program may end on an unhandled rejection: main's or a call's the program leaves unhandled on
 * purpose, or a promise returned by an async function whose `finally` then returns or throws instead.
 */
export function mayEndUnhandled(spec: AsyncProgramSpec): boolean {
  const inBlock = (b: Block): boolean => b.end?.k === 'return-promise' || b.stmts.some(inStmt);
  const inStmt = (s: Stmt): boolean =>
    (s.k === 'try' &&
      (inBlock(s.body) || (s.handler !== null && inBlock(s.handler)) || (s.fin !== null && inBlock(s.fin)))) ||
    (s.k === 'loop' && inBlock(s.body));
  return (
    spec.ending.k === 'unhandled' ||
    spec.ending.k === 'throw-in-task' ||
    spec.mainCall !== 'handled' ||
    spec.units.some((u) => inBlock(u.body)) ||
    spec.steps.some((st) => st.stmts.some(inStmt))
  );
}

// ---------------------------------------------------------------- rendering

/** Where an await or a for await…of loop is in the source: its counter index and position (1-based). */
export interface AwaitSite {
  readonly index: number;
  readonly line: number;
  readonly column: number;
  /** The unit it is in, or -1 for main. */
  readonly unit: number;
  /** What it awaits, when the renderer can say what the fulfilled value and the await's value must be. */
  readonly op:
    | Operand
    | { readonly k: 'for-await' }
    | { readonly k: 'delegate'; readonly target?: number }
    | { readonly k: 'other' };
  /** For `call` operands: the unit whose coroutine's promise it awaits. */
  readonly target?: number;
  /**
   * The await of `return x` in an async generator, whose end the program cannot count (`F` stays 0): resumed in
   * mode next, with what x settles to when the tracer can tell it without running code, else `(not observed)`.
   */
  readonly ret?: boolean;
}

export interface YieldSite {
  readonly index: number;
  readonly line: number;
  readonly column: number;
  readonly unit: number;
  readonly value: Literal;
}

/** Where a call is made: by the code of which unit, of which unit, with what arguments. */
export interface CallSite {
  /** A unit, MAIN or NO_COROUTINE. */
  readonly from: number;
  readonly unit: number;
  readonly args: readonly Literal[];
}

export interface RenderedAsyncProgram {
  readonly spec: AsyncProgramSpec;
  readonly source: string;
  /** `.cjs` or `.mjs`. */
  readonly extension: string;
  readonly awaitSites: readonly AwaitSite[];
  readonly yieldSites: readonly YieldSite[];
  /** Line (1-based) of each unit's header, where its creations are recorded; `mainLine` for main. */
  readonly unitLines: readonly number[];
  readonly mainLine: number;
  /** The call sites that `PAR` indexes. */
  readonly calls: readonly CallSite[];
  /** The delay every timer is recorded with. */
  readonly timerDelay: number;
}

/** No coroutine: the top level, a task callback, a thenable's then(). */
export const NO_COROUTINE = -2;
export const MAIN = -1;

/**
 * An expression that makes the error: `new C(msg)`; where it may end the program unhandled, with its stack
 * trimmed (`T(new C(msg))`), or made on a line of its own (`E(C, msg)`, see `rejectionMadeOnProbeLine`).
 */
function errSource(e: ErrSpec, how: 'new' | 'trimmed' | 'helper'): string {
  if ('raw' in e) return e.raw;
  const msg = JSON.stringify(e.msg).replace(/"/g, "'");
  if (how === 'helper') return `E(${e.cls}, ${msg})`;
  return how === 'trimmed' ? `T(new ${e.cls}(${msg}))` : `new ${e.cls}(${msg})`;
}

const PARAM_NAMES = ['a', 'b'];

class Writer {
  readonly lines: string[] = [];
  private names = 0;
  /** While set, lines are appended to the current line instead: a unit written on one line. */
  compact = false;

  /** Adds a statement; returns its line (1-based) and the column where its text starts. */
  line(indent: number, text: string): { line: number; column: number } {
    if (this.compact) {
      const before = this.lines[this.lines.length - 1]! + ' ';
      this.lines[this.lines.length - 1] = before + text;
      return { line: this.lines.length, column: before.length + 1 };
    }
    const before = '  '.repeat(indent);
    this.lines.push(before + text);
    return { line: this.lines.length, column: before.length + 1 };
  }

  fresh(prefix: string): string {
    return `${prefix}${++this.names}`;
  }
}

/** Position of `token` in `text`, added to where `text` starts. */
function at(pos: { line: number; column: number }, text: string, token: string): { line: number; column: number } {
  const i = text.indexOf(token);
  if (i < 0) throw new Error(`renderer: no ${JSON.stringify(token)} in ${JSON.stringify(text)}`);
  return { line: pos.line, column: pos.column + i };
}

/** Renders a spec; deterministic. */
export function renderAsyncProgram(spec: AsyncProgramSpec, ex: AsyncExclusions = {}): RenderedAsyncProgram {
  const w = new Writer();
  const units = spec.units;
  const unhandled = mayEndUnhandled(spec);
  const errHow = !unhandled ? 'new' : ex.rejectionMadeOnProbeLine ? 'helper' : 'trimmed';
  const err = (e: ErrSpec): string => errSource(e, errHow);
  const awaitSites: AwaitSite[] = [];
  const yieldSites: YieldSite[] = [];
  const short = ['', ', 0', ', 1'];
  let delayTurn = 0;
  /** The delay argument of the next timer: one timer list for the whole program (see the header). */
  const delayArg = (): string => (spec.delay === 'two' ? ', 2' : short[delayTurn++ % short.length]!);
  const timerDelay = spec.delay === 'two' ? 2 : 1;

  const name = (i: number): string => (units[i]!.kind === 'fn' ? `f${i}` : `ag${i}`);
  const defaultValue = (u: UnitSpec): string => (u.defaultPromise ? "Promise.resolve('default')" : "'default'");
  const isIterator = (i: number): boolean => units[i]!.def === 'obj-iterator' || units[i]!.def === 'class-iterator';
  /** A call of unit i: a promise (async function) or an async generator object. */
  const callOf = (i: number, a: readonly Literal[]): string => {
    const u = units[i]!;
    const list = isIterator(i) ? '' : a.join(', ');
    switch (u.def) {
      case 'decl':
      case 'expr':
      case 'named-expr':
      case 'arrow-block':
      case 'arrow-expr':
        return `${name(i)}(${list})`;
      case 'obj-method':
        return `o${i}.${name(i)}(${list})`;
      case 'class-method':
        return `new C${i}().${name(i)}(${list})`;
      case 'class-static':
        return `C${i}.${name(i)}(${list})`;
      case 'obj-iterator':
        return `o${i}[Symbol.asyncIterator]()`;
      case 'class-iterator':
        return `new C${i}()[Symbol.asyncIterator]()`;
    }
  };
  /** An async iterable that makes one object of async generator i when a for await…of iterates it. */
  const iterableOf = (i: number, a: readonly Literal[]): string => {
    const u = units[i]!;
    if (u.def === 'obj-iterator') return `o${i}`;
    if (u.def === 'class-iterator') return `new C${i}()`;
    return callOf(i, a);
  };

  /** For each unit, whether running it may run a for await…of loop (its own, or one of a unit it runs). */
  /** Call sites: main's first (called at the top level), then one per call expression. */
  const calls: CallSite[] = [{ from: NO_COROUTINE, unit: MAIN, args: [] }];
  /** A new call site: the program says in PAR when it is about to make a call there. */
  const callSite = (from: number, unit: number, a: readonly Literal[]): number => {
    calls.push({ from, unit, args: isIterator(unit) ? [] : a });
    return calls.length - 1;
  };
  /** A call of unit i by code of unit `from` (-1: main, -2: no coroutine). */
  const callBy = (from: number, i: number, a: readonly Literal[]): string => {
    const site = callSite(from, i, a);
    return units[i]!.kind === 'fn'
      ? `(PAR.push(${site}), ${callOf(i, a)})`
      : `(PAR.push(${site}), made(${i}, ${callOf(i, a)}))`;
  };

  // -- prelude
  if (spec.module === 'cjs' && spec.strictFile) w.line(0, "'use strict';");
  w.line(0, `// Generated by test/tracer/async-program-gen.ts (${spec.module === 'esm' ? 'ES module' : 'CommonJS'}).`);
  const countersLine = w.lines.length;
  w.line(0, ''); // N, A, F, DONE, Y: filled in once their sizes are known
  w.line(0, spec.module === 'esm' ? "import fs from 'node:fs';" : "const fs = require('node:fs');");
  w.line(0, 'const Q = { timer: 0, immediate: 0, nextTick: 0, microtask: 0, io: 0 };');
  w.line(0, 'let RAN = 0;');
  w.line(0, 'let CANCELLED = 0;');
  w.line(0, 'let OPEN = 0;');
  w.line(0, 'let WAKE;');
  w.line(0, 'const P = [];');
  w.line(0, '// Who made each coroutine and who queued each task, in order: a unit, -1 for main, -2 for no coroutine.');
  w.line(0, 'const PAR = [0];');
  w.line(0, 'const QBY = [];');
  const classesLine = w.lines.length;
  w.line(0, ''); // the error classes, if used (see below)
  w.line(0, 'function made(k, x) {');
  w.line(1, 'N[k]++;');
  w.line(1, 'return x;');
  w.line(0, '}');
  w.line(0, 'function fin(k, v) {');
  w.line(1, 'F[k]++;');
  w.line(1, 'return v;');
  w.line(0, '}');
  w.line(0, "// A stack without the frames of Node's own code, which say when a queue was drained: timing.");
  w.line(0, 'function stackOf(e) {');
  w.line(1, "return String(e.stack).split('\\n').filter((l) => !/^ +at (.*\\()?node:/.test(l)).join('\\n');");
  w.line(0, '}');
  w.line(0, '// A value to print: errors as their name and message, since util.inspect would print their stacks.');
  w.line(0, 'function shown(v) {');
  w.line(1, 'if (v instanceof Error) return `[${v.name}: ${v.message}]`;');
  w.line(1, 'if (Array.isArray(v)) return v.map(shown);');
  w.line(1, "if (v && typeof v === 'object' && 'status' in v) return { ...v, reason: shown(v.reason) };");
  w.line(1, 'return v;');
  w.line(0, '}');
  w.line(0, '// An error that may end the program: Node prints its stack.');
  w.line(0, 'function T(e) {');
  w.line(1, 'e.stack = stackOf(e);');
  w.line(1, 'return e;');
  w.line(0, '}');
  w.line(0, 'function E(C, message) {');
  w.line(1, 'return T(new C(message));');
  w.line(0, '}');
  w.line(0, 'function report(label, e, stack) {');
  w.line(1, 'if (stack && e instanceof Error) console.log(label, stackOf(e));');
  w.line(1, 'else console.log(label, e == null ? e : e.constructor.name, e instanceof Error ? e.message : e);');
  w.line(0, '}');
  w.line(0, '// A task ran: when none is left, settle() may go on.');
  w.line(0, 'function done() {');
  w.line(1, 'RAN++;');
  w.line(1, 'if (--OPEN === 0 && WAKE) {');
  w.line(2, 'const wake = WAKE;');
  w.line(2, 'WAKE = undefined;');
  w.line(2, 'wake();');
  w.line(1, '}');
  w.line(0, '}');
  w.line(0, 'function sleep(by, v) {');
  w.line(1, 'QBY.push(by);');
  w.line(1, 'Q.timer++;');
  w.line(1, 'OPEN++;');
  w.line(1, `return new Promise((resolve) => setTimeout(() => { done(); resolve(v); }${delayArg()}));`);
  w.line(0, '}');
  w.line(0, '// Each step starts in an I/O callback: immediates queued then run before any timer can.');
  w.line(0, 'function io() {');
  w.line(1, 'QBY.push(-1);');
  w.line(1, 'Q.io++;');
  w.line(1, 'OPEN++;');
  w.line(1, "return new Promise((resolve) => fs.stat('.', () => { done(); resolve(); }));");
  w.line(0, '}');
  w.line(0, '// Waits until every call spawned and every task queued so far has settled or run.');
  w.line(0, 'function settle() {');
  w.line(1, 'return Promise.allSettled(P.splice(0)).then(() =>');
  w.line(2, 'P.length ? settle() : OPEN > 0 ? new Promise((resolve) => { WAKE = resolve; }).then(settle) : undefined,');
  w.line(1, ');');
  w.line(0, '}');
  w.line(0, 'function track(label, p) {');
  w.line(
    1,
    "P.push(p.then((v) => console.log(label, 'resolved', shown(v)), (e) => report(label + ' rejected', e, false)));",
  );
  w.line(0, '}');
  w.line(0, "process.on('exit', () => {");
  w.line(1, 'const counts = { N, A, F, DONE, Y, Q, ran: RAN, cancelled: CANCELLED, PAR, QBY };');
  w.line(1, "console.log('#counts ' + JSON.stringify(counts));");
  w.line(0, '});');

  // -- awaits, tasks, statements; `from` is the unit the code is in (-1: main)
  const newAwait = (
    pos: { line: number; column: number },
    unit: number,
    op: AwaitSite['op'],
    target?: number,
    ret = false,
  ): number => {
    const index = awaitSites.length;
    awaitSites.push({ index, ...pos, unit, op, ...(target !== undefined ? { target } : {}), ...(ret ? { ret } : {}) });
    return index;
  };

  /** The operand as an expression, in code of unit `from`. */
  const operandExpr = (from: number, o: Operand): string => {
    switch (o.k) {
      case 'value':
        return o.v;
      case 'resolved':
        return `Promise.resolve(${o.v})`;
      case 'rejected':
        return `Promise.reject(${err(o.e)})`;
      case 'thenable':
        if (!o.later) return `{ then(resolve) { resolve(${o.v}); } }`;
        // then() runs in a microtask job of its own: no coroutine queues this.
        return `{ then(resolve) { QBY.push(${NO_COROUTINE}); Q.microtask++; OPEN++; queueMicrotask(() => { done(); resolve(${o.v}); }); } }`;
      case 'thenable-reject':
        return o.how === 'reject'
          ? `{ then(resolve, reject) { reject(${err(o.e)}); } }`
          : `{ then() { throw ${err(o.e)}; } }`;
      case 'call': {
        const t = targetOf(units, from, o.to, 'fn');
        if (t === undefined) return `Promise.resolve(${o.args[0] ?? 'undefined'})`;
        return callBy(from, t, o.args);
      }
      case 'combine':
        return `Promise.${o.how}([${o.items.map((i) => operandExpr(from, i)).join(', ')}])`;
      case 'sleep':
        return `sleep(${from}, ${o.v})`;
    }
  };
  /** The operand as the renderer will write it (a call with no callee becomes a resolved promise). */
  const normalized = (from: number, o: Operand): Operand =>
    o.k === 'call' && targetOf(units, from, o.to, 'fn') === undefined
      ? { k: 'resolved', v: o.args[0] ?? 'undefined' }
      : o;

  /**
   * One line: `A[s]++;` and `text` of `fin(s, await <operand>)` (or of `expression`, which stands for the
   * operand); records the await's site.
   */
  const awaitLine = (
    from: number,
    indent: number,
    o: Operand,
    text: (awaited: string) => string,
    expression?: string,
  ): void => {
    const op = normalized(from, o);
    const target = op.k === 'call' ? targetOf(units, from, op.to, 'fn') : undefined;
    const expr = expression ?? operandExpr(from, op);
    const index = awaitSites.length;
    const line = `A[${index}]++; ${text(`fin(${index}, await ${expr})`)}`;
    const pos = w.line(indent, line);
    newAwait(at(pos, line, 'await '), from, op, target);
  };

  const owner = (from: number): string => (from === MAIN ? 'main' : name(from));

  const taskLine = (from: number, indent: number, q: QueueKind, then: TaskThen): void => {
    const queue = `QBY.push(${from}); Q.${q}++;`;
    const label = w.fresh('t');
    let inner = `console.log('${owner(from)} ${q} ${label}');`;
    const callee = then === 'call' ? targetOf(units, from, 0, 'fn') : undefined;
    if (callee !== undefined) {
      inner += ` track('${label} calls ${name(callee)}', ${callBy(NO_COROUTINE, callee, [])});`;
    } else if (then === 'nextTick' || then === 'microtask') {
      const call = then === 'nextTick' ? 'process.nextTick' : 'queueMicrotask';
      inner += ` QBY.push(${NO_COROUTINE}); Q.${then}++; OPEN++; ${call}(() => { done(); console.log('${label} then ${then}'); });`;
    } else if (then === 'stack') inner += ` console.log(stackOf(new Error('${label} stack')));`;
    const body = `{ done(); ${inner} }`;
    switch (q) {
      case 'timer':
        w.line(indent, `${queue} OPEN++; setTimeout(() => ${body}${delayArg()});`);
        return;
      case 'immediate':
        w.line(indent, `${queue} OPEN++; setImmediate(function ${label}() ${body});`);
        return;
      case 'nextTick':
        w.line(indent, `${queue} OPEN++; process.nextTick((x) => ${body}, '${label}');`);
        return;
      case 'microtask':
        w.line(indent, `${queue} OPEN++; queueMicrotask(() => ${body});`);
        return;
    }
  };

  const renderBlock = (from: number, b: Block, indent: number): void => {
    for (const s of b.stmts) renderStmt(from, s, indent);
    if (b.end) renderTerminal(from, b.end, indent);
  };

  const renderTerminal = (from: number, t: Terminal, indent: number): void => {
    if (from !== MAIN && units[from]!.kind === 'ag' && t.k !== 'throw') {
      renderGeneratorReturn(from, t, indent);
      return;
    }
    switch (t.k) {
      case 'return':
        w.line(indent, t.v === null ? 'return;' : `return ${t.v};`);
        return;
      case 'return-await':
        awaitLine(from, indent, t.op, (a) => `return ${a};`);
        return;
      case 'return-promise':
        w.line(indent, `return ${operandExpr(from, normalized(from, t.op))};`);
        return;
      case 'throw':
        w.line(indent, `throw ${err(t.e)};`);
        return;
    }
  };

  /**
   * `return x` in an async generator awaits x (counted by `A[s]` as it starts; the program cannot count its end),
   * and so does `return await x`, after the await of x. `return;` does not await.
   */
  const renderGeneratorReturn = (from: number, t: Exclude<Terminal, { k: 'throw' }>, indent: number): void => {
    const ret = awaitSites.length;
    if (t.k === 'return') {
      if (t.v === null) {
        w.line(indent, 'return;');
        return;
      }
      const line = `A[${ret}]++; return ${t.v};`;
      newAwait(at(w.line(indent, line), line, 'return '), from, { k: 'value', v: t.v }, undefined, true);
      return;
    }
    const op = normalized(from, t.op);
    if (t.k === 'return-promise') {
      if (ex.returnAwaitRejects && mayReject(op)) {
        w.line(indent, 'return;');
        return;
      }
      const target = op.k === 'call' ? targetOf(units, from, op.to, 'fn') : undefined;
      const line = `return (A[${ret}]++, ${operandExpr(from, op)});`;
      newAwait(at(w.line(indent, line), line, 'return '), from, op, target, true);
      return;
    }
    // The value `await x` gave is awaited again, counted once x is fulfilled (fin() ignores a third argument):
    // nothing is said about that await but that it is resumed in mode next.
    const target = op.k === 'call' ? targetOf(units, from, op.to, 'fn') : undefined;
    const line = `A[${ret}]++; return fin(${ret}, await ${operandExpr(from, op)}, A[${ret + 1}]++);`;
    const pos = w.line(indent, line);
    newAwait(at(pos, line, 'await '), from, op, target);
    newAwait(at(pos, line, 'return '), from, { k: 'other' }, undefined, true);
  };

  const renderDrive = (from: number, s: Extract<Stmt, { k: 'drive' }>, indent: number): void => {
    const t = targetOf(units, from, s.to, 'ag');
    const label = w.fresh('d');
    const how = s.how;
    if (t === undefined && how.k !== 'for-await') {
      w.line(indent, `console.log('${label}: no async generator to drive');`);
      return;
    }
    if (how.k === 'for-await') {
      const iterable =
        t === undefined
          ? '[1, Promise.resolve(2)]'
          : `(PAR.push(${callSite(from, t, s.args)}), made(${t}, ${iterableOf(t, s.args)}))`;
      const index = awaitSites.length;
      w.line(indent, `let ${label}n = 0;`);
      const head = `A[${index}]++; for await (const v of ${iterable}) {`;
      const pos = w.line(indent, head);
      newAwait(at(pos, head, 'for await'), from, { k: 'for-await' });
      w.line(indent + 1, `F[${index}]++;`);
      w.line(indent + 1, `const ${label}k = ++${label}n;`);
      w.line(indent + 1, `console.log('${label} for await', v);`);
      if (how.breakAfter !== null) {
        w.line(indent + 1, `if (${label}k === ${how.breakAfter}) {`);
        // Leaving early awaits the iterator's return(): an await at the loop, resumed unobserved as at its end.
        w.line(indent + 2, `A[${index}]++;`);
        w.line(indent + 2, 'break;');
        w.line(indent + 1, '}');
      }
      if (how.skipOdd) {
        w.line(indent + 1, `if (${label}k % 2 === 1) {`);
        w.line(indent + 2, `A[${index}]++;`);
        w.line(indent + 2, 'continue;');
        w.line(indent + 1, '}');
      }
      w.line(indent + 1, `A[${index}]++;`);
      w.line(indent, '}');
      w.line(indent, `DONE[${index}]++;`);
      return;
    }
    w.line(indent, `const ${label} = ${callBy(from, t!, s.args)};`);
    const call = (op: Op): string =>
      op.k === 'next'
        ? `${label}.next(${op.v ?? ''})`
        : op.k === 'throw'
          ? `${label}.throw(${err(op.e)})`
          : `${label}.return(${op.v})`;
    if (how.k === 'manual') {
      for (const op of how.ops) {
        w.line(indent, 'try {');
        const line = `A[${awaitSites.length}]++; console.log('${label}.${op.k}', fin(${awaitSites.length}, await ${call(op)}));`;
        const pos = w.line(indent + 1, line);
        newAwait(at(pos, line, 'await '), from, { k: 'other' });
        w.line(indent, '} catch (e) {');
        w.line(indent + 1, `report('${label}.${op.k} threw', e, false);`);
        w.line(indent, '}');
      }
      return;
    }
    // Queued: every request is made before the first settles; the generator serves them in order.
    w.line(indent, `const ${label}q = [${how.ops.map(call).join(', ')}];`);
    const line = `A[${awaitSites.length}]++; const ${label}r = fin(${awaitSites.length}, await Promise.allSettled(${label}q));`;
    const pos = w.line(indent, line);
    newAwait(at(pos, line, 'await '), from, { k: 'other' });
    w.line(indent, `for (const r of ${label}r) console.log('${label} queued', r.status, shown(r.value ?? r.reason));`);
  };

  const renderStmt = (from: number, s: Stmt, indent: number): void => {
    const who = owner(from);
    switch (s.k) {
      case 'await': {
        const v = w.fresh('v');
        let expression: string | undefined;
        if (s.deferred && normalized(from, s.op).k === 'call') {
          // The call runs now; its promise is awaited after an await of something else.
          w.line(indent, `const ${v}p = ${operandExpr(from, s.op)};`);
          awaitLine(from, indent, { k: 'value', v: 'null' }, (a) => `${a};`);
          expression = `${v}p`;
        }
        if (s.keep) {
          awaitLine(from, indent, s.op, (a) => `const ${v} = ${a};`, expression);
          w.line(indent, `console.log('${who} got', shown(${v}));`);
        } else awaitLine(from, indent, s.op, (a) => `${a};`, expression);
        return;
      }
      case 'print':
        w.line(indent, `console.log('${who} runs');`);
        return;
      case 'args': {
        const params = from === MAIN || isIterator(from) ? 0 : units[from]!.params;
        if (params === 0) w.line(indent, `console.log('${who} this', typeof this);`);
        else w.line(indent, `console.log('${who} args', ${PARAM_NAMES.slice(0, params).join(', ')});`);
        return;
      }
      case 'stack':
        w.line(indent, `console.log(stackOf(new Error('${who} stack')));`);
        return;
      case 'spawn': {
        const t = targetOf(units, from, s.to, 'fn');
        if (t === undefined) {
          w.line(indent, `console.log('${who}: nothing to spawn');`);
          return;
        }
        w.line(indent, `track('${w.fresh('s')} ${name(t)}', ${callBy(from, t, s.args)});`);
        return;
      }
      case 'task':
        // Immediates only at the start of a step (see the header).
        taskLine(from, indent, s.q === 'immediate' ? 'timer' : s.q, s.after);
        return;
      case 'cancel':
        w.line(
          indent,
          `QBY.push(${from}); Q.timer++; CANCELLED++; ` +
            `clearTimeout(setTimeout(() => console.log('${who}: cancelled, never runs')${delayArg()}));`,
        );
        return;
      case 'drive':
        renderDrive(from, s, indent);
        return;
      case 'delegate': {
        // The generator parks at the yield* once, when it first awaits its delegate, until the delegation ends.
        const t = targetOf(units, from, s.to, 'ag');
        const iterable =
          t === undefined ? '[1, 2]' : `(PAR.push(${callSite(from, t, s.args)}), made(${t}, ${iterableOf(t, s.args)}))`;
        const index = awaitSites.length;
        const r = w.fresh('r');
        const text = `A[${index}]++; const ${r} = yield* ${iterable};`;
        newAwait(
          at(w.line(indent, text), text, 'yield*'),
          from,
          t === undefined ? { k: 'delegate' } : { k: 'delegate', target: t },
        );
        w.line(indent, `DONE[${index}]++; console.log('${who} delegated', shown(${r}));`);
        return;
      }
      case 'yield':
      case 'recv': {
        const index = yieldSites.length;
        const x = w.fresh('x');
        const text = s.k === 'yield' ? `Y[${index}]++; yield ${s.v};` : `Y[${index}]++; const ${x} = yield ${s.v};`;
        const pos = at(w.line(indent, text), text, 'yield ');
        yieldSites.push({ index, ...pos, unit: from, value: s.v });
        if (s.k === 'recv') w.line(indent, `console.log('${who} got', ${x});`);
        return;
      }
      case 'try': {
        w.line(indent, 'try {');
        renderBlock(from, s.body, indent + 1);
        if (s.handler) {
          const e = w.fresh('e');
          if (s.bind === 'none') {
            w.line(indent, '} catch {');
            w.line(indent + 1, `console.log('${who} caught');`);
          } else if (s.bind === 'pattern' && !unhandled) {
            w.line(indent, `} catch ({ message: ${e} }) {`);
            w.line(indent + 1, `console.log('${who} caught', ${e});`);
          } else if (s.bind === 'pattern') {
            // Not V8's TypeError of destructuring null: it may end the program, with Node's frames in its stack.
            w.line(indent, `} catch (${e}) {`);
            w.line(indent + 1, `const { message: ${e}m } = ${e} ?? {};`);
            w.line(indent + 1, `console.log('${who} caught', ${e}m);`);
          } else {
            w.line(indent, `} catch (${e}) {`);
            w.line(indent + 1, `report('${who} caught', ${e}, false);`);
          }
          renderBlock(from, s.handler, indent + 1);
        }
        if (s.fin) {
          w.line(indent, '} finally {');
          w.line(indent + 1, `console.log('${who} finally');`);
          renderBlock(from, s.fin, indent + 1);
        }
        w.line(indent, '}');
        return;
      }
      case 'loop': {
        const i = w.fresh('i');
        w.line(indent, `for (let ${i} = 0; ${i} < ${s.n}; ${i}++) {`);
        renderBlock(from, s.body, indent + 1);
        if (s.breakAt !== null) w.line(indent + 1, `if (${i} === ${s.breakAt}) break;`);
        w.line(indent, '}');
        return;
      }
    }
  };

  // -- units
  const unitLines: number[] = [];
  units.forEach((u, i) => {
    const params = PARAM_NAMES.slice(0, isIterator(i) ? 0 : u.params)
      .map((p, j, all) => (u.withDefault && j === all.length - 1 ? `${p} = ${defaultValue(u)}` : p))
      .join(', ');
    const nm = name(i);
    const star = u.kind === 'ag' ? '*' : '';
    const empty = u.kind === 'ag' && u.compact && u.body.stmts.length === 0 && u.body.end === null;
    const open = (header: string, indent: number): void => {
      // An empty body is written `{}` (async-empty-body.mjs: the tracer once failed to load it).
      w.line(indent, `${header} {`);
      unitLines.push(w.lines.length);
      w.compact = u.compact && !empty;
      if (u.kind === 'fn') w.line(indent + 1, `N[${i}]++;`);
      renderBlock(i, u.body, indent + 1);
    };
    const close = (indent: number, text: string): void => {
      if (empty) w.lines[w.lines.length - 1] += text;
      else w.line(indent, text);
      w.compact = false;
    };
    if (u.kind === 'fn' && u.def === 'arrow-expr') {
      // One line: the body is an expression, counted first with a comma.
      const head = `const ${nm} = async (${params}) => (N[${i}]++, `;
      if (!u.expr) {
        w.line(0, `${head}'${nm} result');`);
      } else {
        const op = normalized(i, u.expr);
        const target = op.k === 'call' ? targetOf(units, i, op.to, 'fn') : undefined;
        const index = awaitSites.length;
        const text = `${head}A[${index}]++, fin(${index}, await ${operandExpr(i, op)}));`;
        const pos = w.line(0, text);
        newAwait(at(pos, text, 'await '), i, op, target);
      }
      unitLines.push(w.lines.length);
      return;
    }
    switch (u.def) {
      case 'decl':
        open(`async function${star} ${nm}(${params})`, 0);
        close(0, '}');
        break;
      case 'expr':
        open(`const ${nm} = async function${star} (${params})`, 0);
        close(0, '};');
        break;
      case 'named-expr':
        open(`const ${nm} = async function ${nm}impl(${params})`, 0);
        close(0, '};');
        break;
      case 'arrow-block':
        open(`const ${nm} = async (${params}) =>`, 0);
        close(0, '};');
        break;
      case 'obj-method':
      case 'obj-iterator':
        w.line(0, `const o${i} = {`);
        open(u.def === 'obj-method' ? `async ${star}${nm}(${params})` : 'async *[Symbol.asyncIterator]()', 1);
        close(1, '},');
        w.line(0, '};');
        break;
      case 'class-method':
      case 'class-static':
      case 'class-iterator':
        w.line(0, `class C${i} {`);
        open(
          u.def === 'class-method'
            ? `async ${star}${nm}(${params})`
            : u.def === 'class-static'
              ? `static async ${nm}(${params})`
              : 'async *[Symbol.asyncIterator]()',
          1,
        );
        close(1, '}');
        w.line(0, '}');
        break;
    }
  });

  // -- main: the steps, one after the other
  w.line(0, 'async function main() {');
  const mainLine = w.lines.length;
  spec.steps.forEach((step, k) => {
    w.line(1, `// step ${k + 1}`);
    const io = awaitSites.length;
    const ioText = `A[${io}]++; fin(${io}, await io());`;
    newAwait(at(w.line(1, ioText), ioText, 'await '), MAIN, { k: 'other' });
    for (const t of step.tasks) taskLine(MAIN, 1, t.q, t.after);
    const indent = step.guard === 'none' ? 1 : 2;
    if (step.guard !== 'none') w.line(1, 'try {');
    for (const s of step.stmts) renderStmt(MAIN, s, indent);
    if (step.guard !== 'none') {
      w.line(1, '} catch (e) {');
      w.line(2, `report('step ${k + 1} threw', e, ${step.guard === 'stack'});`);
      w.line(1, '}');
    }
    const index = awaitSites.length;
    const text = `A[${index}]++; fin(${index}, await settle());`;
    newAwait(at(w.line(1, text), text, 'await '), MAIN, { k: 'other' });
  });
  const ending = spec.ending;
  switch (ending.k) {
    case 'none':
      break;
    case 'exit-code':
      w.line(1, `process.exitCode = ${ending.code};`);
      break;
    case 'throw':
      w.line(1, `throw ${err(ending.e)};`);
      break;
    case 'throw-in-task': {
      // Nothing else is pending: the queue can be any.
      const call = {
        timer: 'setTimeout',
        immediate: 'setImmediate',
        nextTick: 'process.nextTick',
        microtask: 'queueMicrotask',
      }[ending.q];
      const delay = ending.q === 'timer' ? delayArg() : '';
      w.line(1, `QBY.push(${MAIN}); Q.${ending.q}++; OPEN++; ${call}(() => {`);
      w.line(2, 'done();');
      w.line(2, `throw ${err(ending.e)};`);
      w.line(1, `}${delay});`);
      break;
    }
    case 'unhandled': {
      const t = targetOf(units, MAIN, ending.to, 'fn');
      if (t === undefined) w.line(1, `throw ${err({ cls: 'Error', msg: 'no function to leave unhandled' })};`);
      else {
        w.line(1, `${callBy(MAIN, t, ending.args)};`);
      }
      break;
    }
  }
  w.line(1, "return 'main done';");
  w.line(0, '}');

  // -- the top level
  for (const q of spec.prologue) {
    const call = q === 'nextTick' ? 'process.nextTick' : 'queueMicrotask';
    w.line(
      0,
      `QBY.push(${NO_COROUTINE}); Q.${q}++; OPEN++; ${call}(() => { done(); console.log('top-level ${q}'); });`,
    );
  }
  if (spec.mainCall === 'bare') w.line(0, 'main();');
  else if (spec.mainCall === 'tla') w.line(0, "console.log('main returned', await main());");
  else w.line(0, "main().then((v) => console.log(v), (e) => report('main rejected', e, true));");
  w.line(0, "console.log('top level done');");

  const zeros = (n: number): string => `new Array(${n}).fill(0)`;
  w.lines[countersLine] =
    `const N = ${zeros(units.length)}; const A = ${zeros(awaitSites.length)}; const F = ${zeros(awaitSites.length)};` +
    ` const DONE = ${zeros(awaitSites.length)}; const Y = ${zeros(yieldSites.length)};`;
  // Error classes only where used, so that a shrunk program reads short. On one line: nothing moves.
  const body = w.lines.slice(classesLine + 1).join('\n');
  const classes: string[] = [];
  if (/\b(MyError|OtherError)\b/.test(body)) {
    classes.push("class MyError extends Error { constructor(message) { super(message); this.name = 'MyError'; } }");
  }
  if (/\bOtherError\b/.test(body)) classes.push('class OtherError extends MyError {}');
  w.lines[classesLine] = classes.join(' ');
  return {
    spec,
    source: w.lines.join('\n') + '\n',
    extension: spec.module === 'esm' ? '.mjs' : '.cjs',
    awaitSites,
    yieldSites,
    unitLines,
    mainLine,
    calls,
    timerDelay,
  };
}
