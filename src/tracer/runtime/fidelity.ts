// Keeps the traced program's view of itself as it is without the tracer:
//  - Function.prototype.toString gives the original text of instrumented functions (the loader's insertions
//    cut out again) and native-looking text for the tracer's own wrappers;
//  - stack traces leave out the tracer's frames (the generator wrappers, the CommonJS compile hook), keep the
//    number of frames Error.stackTraceLimit asks for, and show original columns on lines that hold probes.
// The stack formatter reproduces Node's default format exactly (checked on Node 20, 22 and 24 by the tests).

import type { Insertion } from '../loader/instrument';
import { lineStarts, lineColumnAt } from '../loader/instrument';

export interface FileText {
  readonly code: string;
  readonly base: string;
  readonly insertions: readonly Insertion[];
}

const nativeToString = Function.prototype.toString;
const errorToString = Error.prototype.toString;
const call = Function.prototype.call;
const ErrorCtor = Error;
const fakeText = new WeakMap<object, string>();

/** How many tracer frames are on the stack now; the stack limit is raised by as many. */
export const wrapperDepth = { value: 0 };

/**
 * Sets Error.stackTraceLimit the way sloppy code does: a read-only property is left alone instead of throwing.
 * (Reflect.set would do the same but costs a hundred times more on the wrappers' hot path.)
 */
export const setLimit = new Function('E', 'v', 'E.stackTraceLimit = v') as (e: ErrorConstructor, v: number) => void;

/** Makes `fn.toString()` return `text` (used for the tracer's wrappers of built-in methods). */
export function markOurs(fn: object, text: string): void {
  fakeText.set(fn, text);
}

const texts = new Map<string, FileText & { shifts?: Map<number, Array<[col0: number, len: number]>> }>();
const instrumented = new Set<string>();
let retransform: ((url: string) => FileText | undefined) | undefined;

/** Remembers the transformed text of a file, under its URL and its path (stack frames use either). */
export function registerFileText(url: string, path: string, text: FileText): void {
  if (text.insertions.length === 0) return;
  texts.set(url, text);
  texts.set(path, text);
}

export function noteInstrumentedFile(url: string): void {
  instrumented.add(url);
}

/** Files transformed on another thread, announced by URL; read synchronously when needed. */
let announced: (() => string[]) | undefined;

/** How to recover a file's transformed text when the transform ran on another thread (Node 20's ESM hooks). */
export function setRetransform(fn: (url: string) => FileText | undefined, announcements: () => string[]): void {
  retransform = fn;
  announced = announcements;
}

function collectAnnounced(): void {
  if (announced) for (const url of announced()) instrumented.add(url);
}

/** The transformed text of an instrumented file, recovered on this thread if it was made on another. */
function textOf(file: string): FileText | undefined {
  const known = texts.get(file);
  if (known || !retransform) return known;
  collectAnnounced();
  const url = file.startsWith('file:') ? file : undefined;
  if (!url || !instrumented.has(url)) return undefined;
  const text = retransform(url);
  if (text) texts.set(url, text);
  return text;
}

function findText(s: string): { text: FileText; at: number } | undefined {
  for (const text of texts.values()) {
    const at = text.code.indexOf(s);
    if (at >= 0) return { text, at };
  }
  if (retransform) {
    collectAnnounced();
    for (const url of instrumented) {
      if (texts.has(url)) continue;
      const text = retransform(url);
      if (!text) continue;
      texts.set(url, text);
      const at = text.code.indexOf(s);
      if (at >= 0) return { text, at };
    }
  }
  return undefined;
}

/** Maps an offset in transformed code to the offset in the code before insertions. */
function baseOffset(text: FileText, generated: number): number {
  let shift = 0;
  for (const ins of text.insertions) {
    const at = ins.offset + shift;
    if (generated >= at + ins.text.length) shift += ins.text.length;
    else if (generated >= at) return ins.offset;
    else break;
  }
  return generated - shift;
}

/** The original text of a function whose transformed text is `s`. */
export function originalFunctionText(s: string): string {
  const found = findText(s);
  if (!found) return s;
  const start = baseOffset(found.text, found.at);
  const end = baseOffset(found.text, found.at + s.length);
  return found.text.base.slice(start, end);
}

function shiftsOf(
  text: FileText & { shifts?: Map<number, Array<[number, number]>> },
): Map<number, Array<[number, number]>> {
  if (text.shifts) return text.shifts;
  const starts = lineStarts(text.base);
  const shifts = new Map<number, Array<[number, number]>>();
  for (const ins of text.insertions) {
    const { line, column } = lineColumnAt(starts, ins.offset);
    let row = shifts.get(line);
    if (!row) shifts.set(line, (row = []));
    row[row.length] = [column - 1, ins.text.length];
  }
  text.shifts = shifts;
  return shifts;
}

/** The original 1-based column for a 1-based column in transformed code, on a given line. */
export function originalColumn(file: string, line: number, column: number): number {
  const text = texts.get(file);
  if (!text) return column;
  const row = shiftsOf(text).get(line);
  if (!row) return column;
  const gen0 = column - 1;
  let acc = 0;
  for (const [col0, len] of row) {
    const at = col0 + acc;
    if (gen0 >= at + len) acc += len;
    else if (gen0 >= at) return col0 + 1;
    else break;
  }
  return gen0 - acc + 1;
}

/** Replaces Function.prototype.toString with one that shows original text. */
export function installToString(): void {
  const patched = {
    toString(this: unknown): string {
      const fake = fakeText.get(this as object);
      if (fake !== undefined) return fake;
      const s = call.call(nativeToString, this) as string;
      return s.includes('__ys$') ? originalFunctionText(s) : s;
    },
  }.toString;
  markOurs(patched, 'function toString() { [native code] }');
  const desc = Reflect.getOwnPropertyDescriptor(Function.prototype, 'toString')!;
  Object.defineProperty(Function.prototype, 'toString', { ...desc, value: patched });
}

interface CallSite {
  getFileName(): string | null | undefined;
  getFunctionName(): string | null;
  getMethodName(): string | null;
  getTypeName(): string | null;
  getLineNumber(): number | null;
  getColumnNumber(): number | null;
  toString(): string;
}

let callSiteMethods: string[] | undefined;

/** A stand-in for a CallSite on a line that holds probes: every method delegates, the column is the original. */
function mappedCallSite(cs: CallSite, file: string, line: number, column: number, mapped: number): CallSite {
  callSiteMethods ??= Object.getOwnPropertyNames(Object.getPrototypeOf(cs)).filter((m) => m !== 'constructor');
  const site: Record<string, unknown> = {};
  for (const m of callSiteMethods) {
    site[m] = (...args: unknown[]) => (cs as unknown as Record<string, (...a: unknown[]) => unknown>)[m]!(...args);
  }
  const needle = `${file}:${line}:${column}`;
  site['getColumnNumber'] = () => mapped;
  site['toString'] = () => {
    const s = String(cs);
    const at = s.lastIndexOf(needle);
    return at < 0 ? s : `${s.slice(0, at)}${file}:${line}:${mapped}${s.slice(at + needle.length)}`;
  };
  return site as unknown as CallSite;
}

/**
 * The callback's frame as V8 prints it when the callback itself is the method Node calls (`timer._onTimeout()`,
 * `immediate._onImmediate()`): the tracer's task runner sits in that place, so V8 cannot see the method name.
 */
function asMethodCall(cs: CallSite, method: string): CallSite {
  const name = cs.getFunctionName();
  const text = String(cs);
  let fixed: string;
  if (name) {
    if (name === method || name.endsWith(`.${method}`)) return cs;
    const at = text.indexOf(name);
    if (at < 0) return cs;
    fixed = `${text.slice(0, at + name.length)} [as ${method}]${text.slice(at + name.length)}`;
  } else {
    fixed = text.replace('.<anonymous>', `.${method}`);
  }
  callSiteMethods ??= Object.getOwnPropertyNames(Object.getPrototypeOf(cs)).filter((m) => m !== 'constructor');
  const site: Record<string, unknown> = {};
  for (const m of callSiteMethods) {
    site[m] = (...args: unknown[]) => (cs as unknown as Record<string, (...a: unknown[]) => unknown>)[m]!(...args);
  }
  site['getMethodName'] = () => method;
  site['toString'] = () => fixed;
  return site as unknown as CallSite;
}

/** Methods through which Node calls a timer's, an immediate's or an I/O request's callback (the tracer's runner takes its place). */
const runnerMethods = new Set(['_onTimeout', '_onImmediate', 'oncomplete']);

function adjusted(cs: CallSite, file: string | null | undefined): CallSite {
  if (!file || !textOf(file)) return cs;
  const line = cs.getLineNumber();
  const column = cs.getColumnNumber();
  if (line === null || column === null) return cs;
  const mapped = originalColumn(file, line, column);
  return mapped === column ? cs : mappedCallSite(cs, file, line, column, mapped);
}

/** Node's formatting when its own is not available (older versions): `String(error)` and the frames. */
function plainFormat(error: unknown, trace: CallSite[]): string {
  let out = call.call(errorToString, error) as string;
  for (const cs of trace) out += '\n    at ' + String(cs);
  return out;
}

/** While set, stacks are not formatted but handed back as file names (see `callerFile`). */
let rawFrames = false;
const fileNames = (_error: unknown, trace: CallSite[]): Array<string | null | undefined> =>
  trace.map((cs) => cs.getFileName());
const captureStackTrace = ErrorCtor.captureStackTrace;

/**
 * The file of the code that called `fn` (a `node:` URL for Node's own code), read from a one-frame stack trace
 * without running anything of the program's (its own Error.prepareStackTrace is not consulted).
 */
export function callerFile(fn: (...args: never[]) => unknown): string | undefined {
  const holder: { stack?: unknown } = {};
  const limit = ErrorCtor.stackTraceLimit;
  rawFrames = true;
  try {
    ErrorCtor.stackTraceLimit = 1;
    captureStackTrace(holder, fn);
    const files = holder.stack;
    return Array.isArray(files) && typeof files[0] === 'string' ? files[0] : undefined;
  } catch {
    return undefined;
  } finally {
    rawFrames = false;
    ErrorCtor.stackTraceLimit = limit;
  }
}

/**
 * Drops the tracer's frames before Node formats a stack. Node keeps its default formatter in
 * Error.prepareStackTrace and skips it when it finds it there; so the property becomes an accessor that hands
 * out a look-alike of Node's function (same name, same source text) which filters, then calls Node's. A
 * program that sets its own formatter reads it back and gets called as before.
 */
export function installStackFilter(ourFiles: readonly string[]): void {
  const existing = Reflect.getOwnPropertyDescriptor(ErrorCtor, 'prepareStackTrace');
  const nodeDefault = existing && 'value' in existing ? existing.value : undefined;
  // Anything other than Node's own default (or nothing) means another tool got here first: leave it in charge.
  if (existing && !('value' in existing)) return;
  if (nodeDefault !== undefined && (typeof nodeDefault !== 'function' || nodeDefault.name !== 'ErrorPrepareStackTrace'))
    return;
  const ours = new Set(ourFiles);
  const format =
    typeof nodeDefault === 'function' ? (nodeDefault as (e: unknown, t: CallSite[]) => string) : plainFormat;
  const filtering = {
    ErrorPrepareStackTrace(error: unknown, trace: CallSite[]): string {
      const limit = ErrorCtor.stackTraceLimit;
      const keep = typeof limit === 'number' ? limit - wrapperDepth.value : Infinity;
      const frames: CallSite[] = [];
      let previousKept = false;
      for (const cs of trace) {
        const file = cs.getFileName();
        if (file && ours.has(file)) {
          const method = cs.getMethodName();
          if (previousKept && method !== null && runnerMethods.has(method) && frames.length > 0)
            frames[frames.length - 1] = asMethodCall(frames[frames.length - 1]!, method);
          previousKept = false;
          continue;
        }
        if (frames.length >= keep) break;
        frames[frames.length] = adjusted(cs, file);
        previousKept = true;
      }
      return format.call(ErrorCtor, error, frames);
    },
  }.ErrorPrepareStackTrace;
  if (typeof nodeDefault === 'function') markOurs(filtering, call.call(nativeToString, nodeDefault) as string);
  let user: unknown = filtering;
  Object.defineProperty(ErrorCtor, 'prepareStackTrace', {
    get: () => (rawFrames ? fileNames : user),
    set: (v: unknown) => {
      user = v;
    },
    enumerable: false,
    configurable: true,
  });
}
