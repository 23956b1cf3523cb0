// Sync generators, recorded. Two sources of facts meet here:
//  - wrappers on %GeneratorPrototype%.next/throw/return see every resumption, whoever makes it (user code,
//    for…of, spread, destructuring, Array.from, iterator helpers, yield*, library code), with its mode and
//    value, and how it ended (a yield, a return, an error);
//  - probes inserted by the loader (probes.ts) say where: the creation of a generator object with its site
//    and arguments, the body's first run (which links the object to its creation), each yield's site, each
//    yield*'s delegate.
// The wrappers never catch: they use try/finally only, so an error that escapes a generator keeps its throw
// location in Node's uncaught-error report. The cost is that the escaping value is known only for throw(e).

import { types } from 'node:util';
import { CoKind, Mode } from '../../protocol/trace';
import {
  emitConsume,
  emitCreate,
  emitDelegate,
  emitDelegateIterable,
  emitFinally,
  emitResume,
  emitReturn,
  emitChainStep,
  emitStep,
  emitThrow,
  emitYield,
  emitYieldUnread,
  emitReenter,
  setBeforeEvent,
} from './events';
import { setCoroutineLabeller } from './preview';
import { markOurs, setLimit, wrapperDepth } from './fidelity';
import { claimUnstarted, noteStarted, noteUnstarted } from './unstarted';
import { flushAwait, hasPendingAwait } from './async';
import { breakArmed, breakOnFail, breakOnResume, breakOnYield } from './breakOn';
import { weakMapGet, weakMapSet } from './primordials';
import { StampBase } from './stampBase';

const { isGeneratorObject, isProxy } = types;
const ownDesc = Reflect.getOwnPropertyDescriptor;

/** What the runtime keeps per generator object. */
export interface CoRec {
  readonly id: number;
  running: boolean;
  closed: boolean;
  /** Site of the plain `yield` reached during the current resumption, or 0. */
  yieldSite: number;
  /** Site of the `yield*` the generator is delegating through, or 0. */
  delegateSite: number;
  /** The generator object delegated to, when it is one: while it is open, results pass through from it. */
  delegateObj: object | undefined;
  /** Display label, for previews of the generator object itself. */
  label: string;
  /** A deferred next(value) by `pendingResumer` (see `deferred`). */
  pendingValue: unknown;
  pendingResumer: number;
}

// Private-field stamping: the record lives on the generator object itself, invisible to reflection and fast to
// read. Falls back to a WeakMap for objects that refuse new private fields.
class Stamped extends StampBase {
  #rec: CoRec;
  constructor(o: object, rec: CoRec) {
    super(o);
    this.#rec = rec;
  }
  static get(o: object): CoRec | undefined {
    return #rec in o ? (o as Stamped).#rec : undefined;
  }
}
const fallback = new WeakMap<object, CoRec>();

export function recOf(o: object): CoRec | undefined {
  return Stamped.get(o) ?? (weakMapGet(fallback, o) as CoRec | undefined);
}

function stamp(o: object, rec: CoRec): void {
  try {
    // oxlint-disable-next-line no-new -- the constructor adds the private field to `o`; there is nothing to keep
    new Stamped(o, rec);
  } catch {
    weakMapSet(fallback, o, rec);
  }
}

let lastId = 0;
export function nextCoroutineId(): number {
  return ++lastId;
}

/** The generator whose code is running now (innermost), if the tracer knows it. */
let current: CoRec | undefined;
/** The object the innermost wrapper is resuming. */
let resuming: object | undefined;

/** A first resumption whose RESUME waits for the body to say which creation it belongs to. */
interface PendingFirst {
  readonly obj: object;
  readonly mode: number;
  readonly value: unknown;
  readonly resumer: number;
}
let pendingFirst: PendingFirst | undefined;

/** A `yield*` whose delegate is not known yet: the next generator its generator resumes. */
interface PendingDelegate {
  readonly from: CoRec;
  readonly site: number;
}
let pendingDelegate: PendingDelegate | undefined;

/**
 * Resume records that wait, so that a resumption by next(v) and the yield that ends it are written as one record
 * when nothing else is recorded in between (the common case in a loop). `deferred` is the resumption at the top:
 * its value and resumer are kept on its record. When it is delegating with yield* to a generator, V8 passes the
 * same next(v) down the chain: those forwarded resumptions wait with it (`deferredDepth` levels), and the whole
 * chain is written as one ChainStep that the decoder expands into every level's resume and yield. Any other event
 * writes the waiting records out first (`flushDeferred`). Only immutable values wait: an object could change
 * before the yield.
 */
let deferred: CoRec | undefined;
let deferredDepth = 0;
/** The delegate that V8's yield* in `forwardFrom` (the innermost waiting level) is about to resume. */
let forwardTo: object | undefined;
let forwardFrom: CoRec | undefined;
/** The site of the plain yield that ended the innermost waiting level. */
let chainSite = 0;
/** Counts flushes, so that a waiting level can tell at its end whether its resume record was written meanwhile. */
let flushes = 0;

function flushDeferred(): void {
  const top = deferred!;
  deferred = undefined;
  forwardTo = undefined;
  forwardFrom = undefined;
  flushes++;
  const value = top.pendingValue;
  emitResume(top.id, Mode.Next, value, top.pendingResumer);
  let from = top;
  for (let i = 0; i < deferredDepth; i++) {
    const to = from.delegateObj === undefined ? undefined : recOf(from.delegateObj);
    if (to === undefined) break;
    emitResume(to.id, Mode.Next, value, from.id);
    from = to;
  }
  deferredDepth = 0;
}

/**
 * Makes `rec` the coroutine running now and returns the one it replaces (async functions: they start, resume
 * after an await, and give control back at the next await or at their end).
 */
export function swapCurrent(rec: CoRec | undefined): CoRec | undefined {
  const prev = current;
  current = rec;
  return prev;
}

/** A record for a coroutine that is not a generator object (an async function call). */
export function coroutineRecord(id: number, site: number): CoRec {
  const rec = newRec(id, site);
  rec.running = false;
  return rec;
}

export function currentCoroutine(): number {
  return current ? current.id : 0;
}

/** Names for site ids, filled in by probes.ts as files register. */
export const siteNames: string[] = [];

function newRec(id: number, site: number): CoRec {
  return {
    id,
    running: true,
    closed: false,
    yieldSite: 0,
    delegateSite: 0,
    delegateObj: undefined,
    label: `${siteNames[site] || 'generator'}#${id}`,
    pendingValue: undefined,
    pendingResumer: 0,
  };
}

/** Begins the life of a generator object that has run for the first time. */
function adopt(p: PendingFirst, id: number, site: number, args: ArrayLike<unknown> | undefined): CoRec {
  pendingFirst = undefined;
  if (id === 0) {
    id = nextCoroutineId();
    emitCreate(id, site, p.resumer, CoKind.Generator, args);
  } else noteStarted(p.obj, id);
  const rec = newRec(id, site);
  stamp(p.obj, rec);
  const d = pendingDelegate;
  if (d !== undefined && d.from.id === p.resumer) {
    pendingDelegate = undefined;
    d.from.delegateObj = p.obj;
    emitDelegate(d.from.id, d.site, id, p.obj);
  }
  const consumer = weakMapGet(consumers, p.obj) as { site: number; how: number } | undefined;
  if (consumer !== undefined) emitConsume(id, consumer.site, consumer.how);
  emitResume(id, p.mode, p.value, p.resumer);
  current = rec;
  return rec;
}

/** Runs before any event: a pending first resumption of an uninstrumented generator is reported first. */
function flushPending(): void {
  const p = pendingFirst;
  if (p !== undefined && resuming === p.obj) adopt(p, 0, 0, undefined);
}

// ---- probes (called through probes.ts with global site ids) ----

export function probeCreate(site: number, args: ArrayLike<unknown>, fn?: unknown): number {
  const id = nextCoroutineId();
  emitCreate(id, site, current ? current.id : 0, CoKind.Generator, args);
  if (typeof fn === 'function') {
    const d = ownDesc(fn, 'prototype');
    if (d && 'value' in d && typeof d.value === 'object' && d.value !== null)
      noteUnstarted(d.value as object, id, site);
  }
  return id;
}

export function probeStart(id: number, site: number, args: ArrayLike<unknown> | undefined): void {
  const p = pendingFirst;
  if (p === undefined || p.obj !== resuming) return;
  adopt(p, id, site, args);
}

export function probeYield(site: number): void {
  const rec = current;
  if (rec !== undefined) {
    rec.yieldSite = site;
    rec.delegateSite = 0;
    rec.delegateObj = undefined;
  }
}

/** Consumers waiting for their generator's first run (it has no record before then). */
const consumers = new WeakMap<object, { site: number; how: number }>();

/** `value` is about to be driven by a for…of, a spread, a destructuring, Array.from … at `site`. */
export function probeConsume(site: number, how: number, value: unknown): void {
  if (typeof value !== 'object' || value === null) return;
  const rec = recOf(value);
  if (rec !== undefined) emitConsume(rec.id, site, how);
  else if (isGeneratorObject(value)) weakMapSet(consumers, value, { site, how });
}

export function probeFinally(site: number): void {
  if (current !== undefined) emitFinally(current.id, site);
}

/**
 * A yield* starts at `site`. Its delegate is not seen here (the argument stays untouched, see the instrumenter):
 * it is the next generator this one resumes, reported then; if none is (an array, a string, an iterator object),
 * the delegation is reported when this resumption ends.
 */
export function probeDelegate(site: number): void {
  const rec = current;
  if (rec === undefined) return;
  rec.delegateSite = site;
  rec.yieldSite = 0;
  rec.delegateObj = undefined;
  pendingDelegate = { from: rec, site };
}

/**
 * A yield* of `rec` that no generator took (its delegation ended, or its resumption did) went to something that
 * is not a generator: an array, a string, an iterator object.
 */
function endPendingDelegation(rec: CoRec): void {
  if (pendingDelegate !== undefined && pendingDelegate.from === rec) {
    pendingDelegate = undefined;
    emitDelegateIterable(rec.id, rec.delegateSite);
  }
}

/** A yield* finished normally: if no generator took the delegation, it went to a plain iterable. */
export function probeDelegateEnd(): void {
  const rec = current;
  if (rec === undefined) return;
  endPendingDelegation(rec);
  rec.delegateSite = 0;
  rec.delegateObj = undefined;
}

// ---- the wrappers ----

const call = Function.prototype.call;
const ErrorCtor = Error;

/** Reads `{done, value}` of an iterator result without running code: own data properties of a non-proxy. */
function readResult(r: unknown): { done: boolean; value: unknown } | undefined {
  if (typeof r !== 'object' || r === null || isProxy(r)) return undefined;
  const d = ownDesc(r, 'done');
  const v = ownDesc(r, 'value');
  if (d === undefined || !('value' in d)) return undefined;
  if (v !== undefined && !('value' in v)) return undefined;
  return { done: !!d.value, value: v?.value };
}

function makeWrapper(name: 'next' | 'throw' | 'return', mode: number, orig: (v: unknown) => IteratorResult<unknown>) {
  const invoke = call.bind(orig) as (self: unknown, v: unknown) => IteratorResult<unknown>;
  const wrapper = {
    [name](this: unknown, v: unknown): IteratorResult<unknown> {
      if (typeof this !== 'object' || this === null) return invoke(this, v);
      // oxlint-disable-next-line typescript/no-this-alias -- a name for the narrowed receiver, used throughout
      const self: object = this;
      if (pendingFirst !== undefined) flushPending();
      let rec = recOf(self);
      if (rec === undefined) {
        if (!isGeneratorObject(self)) return invoke(self, v);
      } else if (rec.running) {
        emitReenter(rec.id, mode, current ? current.id : 0);
        return invoke(self, v);
      }
      const outer = current;
      const outerResuming = resuming;
      /** This resumption's resume record waits (see `deferred`), as of flush number `mark`. */
      let waits = false;
      let mark = 0;
      if (rec === undefined) {
        pendingFirst = { obj: self, mode, value: v, resumer: outer ? outer.id : 0 };
        current = undefined;
      } else {
        if (self === forwardTo && outer === forwardFrom && mode === Mode.Next && v === deferred?.pendingValue) {
          // V8's yield* passing the waiting next(v) down to its delegate: this resumption waits with it.
          deferredDepth++;
          waits = true;
        } else {
          waits = beginResume(self, rec, outer, mode, v);
        }
        if (waits) {
          mark = flushes;
          forwardTo = rec.delegateObj;
          forwardFrom = rec;
        }
        rec.running = true;
        rec.yieldSite = 0;
        current = rec;
      }
      if (breakArmed.value && rec !== undefined) breakOnResume(rec.id, rec.label, mode, v);
      resuming = self;
      // One frame of ours sits between the generator and its caller; give the stack that frame back.
      const limit = ErrorCtor.stackTraceLimit;
      const bumped = typeof limit === 'number';
      if (bumped) setLimit(ErrorCtor, limit + 1);
      wrapperDepth.value++;
      let ok = false;
      let r: IteratorResult<unknown>;
      try {
        r = invoke(self, v);
        ok = true;
      } finally {
        wrapperDepth.value--;
        if (bumped && ErrorCtor.stackTraceLimit === limit + 1) setLimit(ErrorCtor, limit);
        if (pendingFirst !== undefined && pendingFirst.obj === self) {
          // The body never ran an instrumented statement: an uninstrumented generator, or closed before start.
          const known = claimUnstarted(self);
          adopt(pendingFirst, known ? known.id : 0, known ? known.site : 0, undefined);
        }
        current = outer;
        resuming = outerResuming;
        rec ??= recOf(self)!;
        rec.running = false;
        endPendingDelegation(rec);
        if (!ok) {
          rec.closed = true;
          emitThrow(rec.id, v, mode === Mode.Throw);
          if (breakArmed.value) breakOnFail(rec.id, rec.label, mode === Mode.Throw ? v : undefined);
        }
      }
      if (waits && flushes === mark) {
        // Nothing was recorded since this resumption began. If it (or the delegate it passed next(v) down to)
        // stopped at a plain yield, the waiting records are written now as one.
        if (rec.yieldSite !== 0) chainSite = rec.yieldSite;
        if (chainSite !== 0) {
          if (deferred === rec) endDeferred(rec, r!.value);
          if (breakArmed.value && rec.yieldSite !== 0) breakOnYield(rec.id, rec.label, r!.value);
          return r!;
        }
      }
      endResume(rec, r!);
      if (breakArmed.value && rec.yieldSite !== 0) breakOnYield(rec.id, rec.label, r!.value);
      return r!;
    },
  }[name]!;
  markOurs(wrapper, `function ${name}() { [native code] }`);
  return wrapper;
}

/** Records the start of a resumption that is not a forwarded one; true when its resume record waits. */
function beginResume(self: object, rec: CoRec, outer: CoRec | undefined, mode: number, v: unknown): boolean {
  if (deferred !== undefined) flushDeferred();
  const resumer = outer ? outer.id : 0;
  if (pendingDelegate !== undefined && pendingDelegate.from === outer) {
    // A generator that already ran, resumed by a yield* that just started: it is the delegate.
    const d = pendingDelegate;
    pendingDelegate = undefined;
    d.from.delegateObj = self;
    emitDelegate(d.from.id, d.site, rec.id, self);
  }
  if (mode === Mode.Next && (typeof v !== 'object' || v === null) && typeof v !== 'function') {
    rec.pendingValue = v;
    rec.pendingResumer = resumer;
    deferred = rec;
    deferredDepth = 0;
    chainSite = 0;
    return true;
  }
  emitResume(rec.id, mode, v, resumer);
  return false;
}

/** Writes the waiting chain whose top is `top`: one Step, or one ChainStep through its forwarded levels. */
function endDeferred(top: CoRec, out: unknown): void {
  deferred = undefined;
  forwardTo = undefined;
  forwardFrom = undefined;
  if (deferredDepth === 0) emitStep(top.id, top.pendingResumer, top.pendingValue, chainSite, out);
  else emitChainStep(top.id, top.pendingResumer, top.pendingValue, deferredDepth, chainSite, out);
  deferredDepth = 0;
}

/** Records how a resumption ended, once its resume record has been written. */
function endResume(rec: CoRec, r: IteratorResult<unknown>): void {
  if (rec.yieldSite !== 0) {
    emitYield(rec.id, rec.yieldSite, r.value);
  } else if (rec.delegateObj !== undefined && recOf(rec.delegateObj)?.closed === false) {
    // Passed through from a generator that is still open: a fresh engine-made result, and not done.
    emitYield(rec.id, rec.delegateSite, r.value);
  } else {
    const res = readResult(r);
    if (res === undefined) emitYieldUnread(rec.id, rec.delegateSite);
    else if (res.done) {
      rec.closed = true;
      rec.delegateSite = 0;
      emitReturn(rec.id, res.value);
    } else emitYield(rec.id, rec.delegateSite, res.value);
  }
}

let installed = false;

/** Replaces next/throw/return on %GeneratorPrototype%, keeping their attributes, names and lengths. */
export function installGeneratorHooks(): void {
  if (installed) return;
  installed = true;
  const proto = Object.getPrototypeOf(function* () {}).prototype as Record<string, unknown>;
  const modes = { next: Mode.Next, throw: Mode.Throw, return: Mode.Return } as const;
  for (const name of ['next', 'throw', 'return'] as const) {
    const desc = ownDesc(proto, name)!;
    const orig = desc.value as (v: unknown) => IteratorResult<unknown>;
    Object.defineProperty(proto, name, { ...desc, value: makeWrapper(name, modes[name], orig) });
  }
  setBeforeEvent(() => {
    if (pendingFirst !== undefined) flushPending();
    if (deferred !== undefined) flushDeferred();
    if (hasPendingAwait()) flushAwait();
  });
  setCoroutineLabeller((o) => recOf(o)?.label);
}
