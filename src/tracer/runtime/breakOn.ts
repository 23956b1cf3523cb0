// Break on coroutine events: when the editor asks, the program pauses in an attached debugger as a chosen
// generator yields, as a value is sent (next) or thrown (throw) into one, or as a coroutine fails. The pause is a
// `debugger` statement in a tiny function compiled apart from the tracer's bundle: the debugger skips the tracer's
// files (skipFiles), and V8 ignores a `debugger` statement whose frame is in a skipped file. Without a debugger the
// statement does nothing. Disarmed (the default), every hook costs one property read at its call site.
//
// What to break on comes as JSON text, never evaluated: at start from YIELDSCOPE_BREAK_ON, later from the editor
// through `globalThis[Symbol.for('yieldscope.breakOn')].set(text)`, which it calls with a debug `evaluate`
// request. The shape: {"yield": F, "send": F, "throw": F, "fail": F}, each F either "*" (every coroutine) or a
// list of function names ("counter") and coroutine ids ("#3"). Anything else is ignored.
//
// The hooks receive the coroutine's id, its label (`name#id`) and the value; they never read the value (it is only
// handed to the paused frame, where the debugger shows it as the debugger shows any variable).

import { runInThisContext } from 'node:vm';

export type BreakKind = 'yield' | 'send' | 'throw' | 'fail';
export const BREAK_KINDS: readonly BreakKind[] = ['yield', 'send', 'throw', 'fail'];

/** Which coroutines an event breaks for: all of them, or these function names and ids (null-prototype sets). */
type Filter =
  | { readonly all: true }
  | { readonly all: false; readonly names: Record<string, true>; readonly ids: Record<string, true> };

export type BreakSpec = Partial<Record<BreakKind, Filter>>;

/** Read by the call sites before calling a hook: false unless some event is asked for. */
export const breakArmed = { value: false };

export const BREAK_ON_KEY = Symbol.for('yieldscope.breakOn');
const MAX_TEXT = 64 * 1024;
const MAX_ENTRIES = 1000;
const MAX_NAME = 200;

// Taken before the program runs: `set` is called while it runs, and must not call anything it may have replaced
// (JSON.parse, array and string methods, RegExp.prototype.exec). Hence plain loops and indexing below.
const parseJson = JSON.parse;
const ownDesc = Object.getOwnPropertyDescriptor;
const isArray = Array.isArray;
const createObject = Object.create;
const toText = String;
const toNumber = Number;

let spec: BreakSpec = {};
let pause: ((what: string, coroutine: string, value: unknown) => void) | undefined;

/** `#123` → "123"; anything else → undefined. */
function idOf(entry: string): string | undefined {
  if (entry.length < 2 || entry.length > 16 || entry[0] !== '#') return undefined;
  for (let i = 1; i < entry.length; i++) {
    const c = entry[i]!;
    if (c < '0' || c > '9') return undefined;
  }
  let digits = '';
  for (let i = 1; i < entry.length; i++) digits += entry[i];
  return toText(toNumber(digits));
}

/** A function name as the loader records it: any short text without `#` or white space. */
function isName(entry: string): boolean {
  if (entry.length === 0 || entry.length > MAX_NAME) return false;
  for (let i = 0; i < entry.length; i++) {
    const c = entry[i]!;
    if (c === '#' || c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '(' || c === ')') return false;
  }
  return true;
}

/** Parses a break specification; undefined when the text is not one. Never throws, never runs program code. */
export function parseBreakSpec(text: unknown): BreakSpec | undefined {
  if (typeof text !== 'string' || text.length > MAX_TEXT) return undefined;
  let raw: unknown;
  try {
    raw = parseJson(text);
  } catch {
    return undefined;
  }
  if (typeof raw !== 'object' || raw === null || isArray(raw)) return undefined;
  const out: { [K in BreakKind]?: Filter } = {};
  for (let k = 0; k < BREAK_KINDS.length; k++) {
    const kind = BREAK_KINDS[k]!;
    const d = ownDesc(raw, kind);
    if (d === undefined || !('value' in d)) continue;
    const v: unknown = d.value;
    if (v === '*') out[kind] = { all: true };
    else if (isArray(v)) {
      const names = createObject(null) as Record<string, true>;
      const ids = createObject(null) as Record<string, true>;
      let any = false;
      const n = v.length < MAX_ENTRIES ? v.length : MAX_ENTRIES;
      for (let i = 0; i < n; i++) {
        const entry: unknown = v[i];
        if (typeof entry !== 'string') continue;
        const id = idOf(entry);
        if (id !== undefined) ids[id] = true;
        else if (isName(entry)) names[entry] = true;
        else continue;
        any = true;
      }
      if (any) out[kind] = { all: false, names, ids };
    }
  }
  return out;
}

/** Sets what to break on; returns what the editor reads back ("yieldscope:break:…"). */
export function setBreakSpec(text: unknown): string {
  const parsed = parseBreakSpec(text);
  if (parsed === undefined) return 'yieldscope:break:invalid';
  spec = parsed;
  let on = '';
  for (let k = 0; k < BREAK_KINDS.length; k++) {
    const kind = BREAK_KINDS[k]!;
    if (spec[kind] !== undefined) on += (on ? ',' : '') + kind;
  }
  breakArmed.value = on !== '';
  return `yieldscope:break:${on || 'off'}`;
}

/** True when an event of `kind` for coroutine `co` labelled `label` (`name#id`) should pause. */
export function shouldBreak(kind: BreakKind, co: number, label: string): boolean {
  const f = spec[kind];
  if (f === undefined) return false;
  if (f.all) return true;
  if (f.ids[toText(co)] === true) return true;
  let end = label.length;
  while (end > 0 && label[end - 1] !== '#') end--;
  let name = '';
  const stop = end > 0 ? end - 1 : label.length;
  for (let i = 0; i < stop && i < MAX_NAME; i++) name += label[i];
  return f.names[name] === true;
}

const SOURCE = `/*
 * Yieldscope paused your program here: a coroutine event you asked to break on
 * (Yieldscope: Break on Coroutine Events…).
 *   what       the event: "yielded", "sent a value into", "threw into", "failed"
 *   coroutine  which one, as the Coroutines view names it
 *   value      the value yielded, sent or thrown, or the error
 * The frames below are your code (the tracer's own are skipped). Continue (F5) to go on.
 */
(function yieldscopeBreak(what, coroutine, value) {
  debugger;
})`;

function pauser(): (what: string, coroutine: string, value: unknown) => void {
  pause ??= runInThisContext(SOURCE, { filename: 'yieldscope-break-on-coroutine-events.js' }) as (
    what: string,
    coroutine: string,
    value: unknown,
  ) => void;
  return pause;
}

function hit(kind: BreakKind, what: string, co: number, label: string, value: unknown): void {
  if (!shouldBreak(kind, co, label)) return;
  try {
    pauser()(what, label, value);
  } catch {
    // Compiling the pause failed (a locked-down vm): never let the tracer change what the program does.
  }
}

/** A generator (or async generator) yielded `value`. */
export function breakOnYield(co: number, label: string, value: unknown): void {
  hit('yield', 'yielded', co, label, value);
}

/** A value was sent into a generator with next(value) (mode 0) or thrown into it with throw(value) (mode 1). */
export function breakOnResume(co: number, label: string, mode: number, value: unknown): void {
  if (mode === 0) hit('send', 'sent a value into', co, label, value);
  else if (mode === 1) hit('throw', 'threw into', co, label, value);
}

/** A coroutine completed with an error. */
export function breakOnFail(co: number, label: string, error: unknown): void {
  hit('fail', 'failed', co, label, error);
}

/** Reads YIELDSCOPE_BREAK_ON and makes `set` reachable for the editor. Once per process. */
export function installBreakOn(env: Record<string, string | undefined>): void {
  if (BREAK_ON_KEY in globalThis) return;
  const initial = env['YIELDSCOPE_BREAK_ON'];
  if (initial) setBreakSpec(initial);
  Object.defineProperty(globalThis, BREAK_ON_KEY, {
    value: Object.freeze({ set: (text: unknown) => setBreakSpec(text) }),
    enumerable: false,
    writable: false,
    configurable: false,
  });
}
