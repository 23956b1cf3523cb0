// Safe value previews. A preview is a type and a short text, written straight into the ring. Making one never
// runs the program's code: no getters, no proxy traps, no toString/valueOf/toJSON/Symbol.toPrimitive, no
// custom inspect. It only reads own data properties through descriptors, with intrinsics captured before the
// program started, and its cost is bounded by fixed limits on entries, depth and text.

import { types } from 'node:util';
import { PREVIEW_MAX_ENTRIES, PREVIEW_MAX_TEXT, Tag, previewTypes, type PreviewType } from '../../protocol/trace';
import { quickValue, str, u8, vi } from '../sink/ring';
import { bigintText } from './previewBigint';
import {
  ErrorPrototype,
  charCodeAt,
  dateIso,
  dateTime,
  getProto,
  hasOwn,
  isArray,
  isNaN,
  jsonString,
  mapEntries,
  mapIterNext,
  mapSize,
  numberToString,
  ownDescriptor,
  ownKeys,
  regexpFlags,
  regexpSource,
  setIterNext,
  setSize,
  setValues,
  stringSlice,
  symbolDescription,
  typedLength,
  typedTag,
} from './primordials';

const {
  isProxy,
  isMap,
  isSet,
  isWeakMap,
  isWeakSet,
  isPromise,
  isGeneratorObject,
  isDate,
  isRegExp,
  isNativeError,
  isTypedArray,
  isBoxedPrimitive,
  isAsyncFunction,
  isGeneratorFunction,
  isArrayBuffer,
  isModuleNamespaceObject,
} = types;

/** Longest name, key, message or description a preview reads before it builds any text from it. */
const MAX_NAME = PREVIEW_MAX_TEXT;
/** Longest text of a nested value (inside an array, object, map or set preview). */
const MAX_INNER = 40;

/** Names the tracer gives coroutine objects it knows (set by the generator hooks). */
let coroutineLabel: (o: object) => string | undefined = () => undefined;
export function setCoroutineLabeller(fn: (o: object) => string | undefined): void {
  coroutineLabel = fn;
}

const typeIndex = (t: PreviewType): number => previewTypes.indexOf(t);
const T = {
  function: typeIndex('function'),
  object: typeIndex('object'),
  array: typeIndex('array'),
  map: typeIndex('map'),
  set: typeIndex('set'),
  error: typeIndex('error'),
  date: typeIndex('date'),
  regexp: typeIndex('regexp'),
  promise: typeIndex('promise'),
  generator: typeIndex('generator'),
  typedarray: typeIndex('typedarray'),
  proxy: typeIndex('proxy'),
  bigint: typeIndex('bigint'),
  other: typeIndex('other'),
};

/** The type of the value `describe` described last (a second result without an array to destructure). */
let describedType = T.other;

/** At most `max` characters of `s`, with "…" when there were more. Never copies or flattens all of a long `s`. */
function cut(s: string, max: number): string {
  return s.length > max ? stringSlice(s, 0, max) + '…' : s;
}

/** Writes the preview of any value at position `p`, returns the position after it. Never throws, never runs user code. */
export function writePreview(p: number, v: unknown): number {
  const q = quickValue(p, v);
  if (q >= 0) return q;
  switch (typeof v) {
    case 'string':
      return str(vi(u8(p, Tag.String), v.length), v, PREVIEW_MAX_TEXT);
    case 'bigint': {
      const b = bigintText(v);
      if (b.exact) return str(u8(p, Tag.BigInt), b.text, PREVIEW_MAX_TEXT);
      return str(u8(u8(u8(p, Tag.Other), T.bigint), 1), b.text, PREVIEW_MAX_TEXT);
    }
    case 'symbol':
      return str(u8(p, Tag.Symbol), symbolText(v), PREVIEW_MAX_TEXT);
    default: {
      let type = T.other;
      let text = '?';
      try {
        text = describe(v as object, 0);
        type = describedType;
      } catch {
        // an exotic object we cannot read safely: say so rather than guess
      }
      return str(u8(u8(u8(p, Tag.Other), type), text.length > PREVIEW_MAX_TEXT ? 1 : 0), text, PREVIEW_MAX_TEXT);
    }
  }
}

function symbolText(s: symbol): string {
  return `Symbol(${cut(symbolDescription(s) ?? '', MAX_NAME)})`;
}

/** Short text for a nested value (inside an array or object preview). */
function inner(v: unknown, depth: number): string {
  switch (typeof v) {
    case 'string':
      return jsonString(cut(v, MAX_INNER));
    case 'number':
      return v === 0 && 1 / v < 0 ? '-0' : numberToString(v);
    case 'bigint':
      return cut(bigintText(v).text, MAX_INNER);
    case 'symbol':
      return cut(symbolText(v), MAX_INNER);
    case 'undefined':
      return 'undefined';
    case 'boolean':
      return v ? 'true' : 'false';
    default:
      if (v === null) return 'null';
      return describe(v as object, depth);
  }
}

/** The value of an own data property of a descriptor (never one inherited from Object.prototype). */
function descValue(d: PropertyDescriptor, field: 'value' | 'get' | 'set'): unknown {
  return hasOwn(d, field) ? d[field] : undefined;
}

/** The class name an object shows, read only from data properties, never from a proxy; cut to MAX_NAME. */
function className(o: object): string | undefined {
  let proto: object | null = o;
  for (let i = 0; i < 8 && proto !== null; i++) {
    if (isProxy(proto)) return undefined;
    if (proto === o) {
      const tag = dataValue(proto, Symbol.toStringTag);
      if (tag.ok && typeof tag.value === 'string') return cut(tag.value, MAX_NAME);
    }
    const ctor = dataValue(proto, 'constructor');
    if (ctor.ok && typeof ctor.value === 'function' && !isProxy(ctor.value)) {
      const name = dataValue(ctor.value as object, 'name');
      if (name.ok && typeof name.value === 'string' && name.value) return cut(name.value, MAX_NAME);
    }
    proto = getProto(proto);
  }
  return undefined;
}

function dataValue(o: object, key: string | symbol): { ok: true; value: unknown } | { ok: false; text: string } {
  const d = ownDescriptor(o, key);
  if (!d) return { ok: false, text: '' };
  if (hasOwn(d, 'value')) return { ok: true, value: d.value };
  const get = descValue(d, 'get');
  const set = descValue(d, 'set');
  return { ok: false, text: get && set ? '[Getter/Setter]' : get ? '[Getter]' : '[Setter]' };
}

/** Notes the type of the value described and returns its text. */
function as(type: number, text: string): string {
  describedType = type;
  return text;
}

/** The text of an object; its type goes to `describedType`. */
function describe(o: object, depth: number): string {
  if (isProxy(o)) return as(T.proxy, 'Proxy');
  const known = coroutineLabel(o);
  if (known) return as(T.generator, known);
  if (typeof o === 'function') return as(T.function, functionText(o));
  if (isArray(o)) return as(T.array, arrayText(o, depth));
  if (isNativeError(o) || isErrorLike(o)) return as(T.error, errorText(o));
  if (isMap(o)) return as(T.map, mapText(o, depth));
  if (isSet(o)) return as(T.set, setText(o, depth));
  if (isPromise(o)) return as(T.promise, `${className(o) ?? 'Promise'} {…}`);
  if (isGeneratorObject(o)) return as(T.generator, `${className(o) ?? 'Object'} [Generator] {}`);
  if (isDate(o)) return as(T.date, isNaN(dateTime(o)) ? 'Invalid Date' : dateIso(o));
  if (isRegExp(o)) return as(T.regexp, regexpText(o));
  if (isTypedArray(o)) return as(T.typedarray, typedText(o));
  if (isWeakMap(o) || isWeakSet(o) || isArrayBuffer(o) || isBoxedPrimitive(o))
    return as(T.object, `${className(o) ?? 'Object'} {…}`);
  if (isModuleNamespaceObject(o)) return as(T.object, '[Module]');
  return as(T.object, objectText(o, depth));
}

function isErrorLike(o: object): boolean {
  let proto = getProto(o);
  for (let i = 0; i < 8 && proto !== null; i++) {
    if (proto === ErrorPrototype) return true;
    if (isProxy(proto)) return false;
    proto = getProto(proto);
  }
  return false;
}

function functionText(f: object): string {
  const n = dataValue(f, 'name');
  const name = n.ok && typeof n.value === 'string' && n.value ? cut(n.value, MAX_NAME) : '(anonymous)';
  const kind = isGeneratorFunction(f)
    ? isAsyncFunction(f)
      ? 'AsyncGeneratorFunction'
      : 'GeneratorFunction'
    : isAsyncFunction(f)
      ? 'AsyncFunction'
      : 'Function';
  return `[${kind}: ${name}]`;
}

function errorText(e: object): string {
  let name = 'Error';
  let proto: object | null = e;
  for (let i = 0; i < 8 && proto !== null && !isProxy(proto); i++) {
    const d = dataValue(proto, 'name');
    if (d.ok) {
      if (typeof d.value === 'string') name = cut(d.value, MAX_NAME);
      break;
    }
    proto = getProto(proto);
  }
  const m = dataValue(e, 'message');
  const message = m.ok && typeof m.value === 'string' ? cut(m.value, MAX_NAME) : '';
  return message ? `${name}: ${message}` : name;
}

/** Joins the entries of a preview: `first` (may be '') and the next entry `part`. */
function joined(first: string, part: string): string {
  return first === '' ? part : `${first}, ${part}`;
}

function arrayText(a: unknown[], depth: number): string {
  const len = a.length;
  if (depth > 0) return `Array(${len})`;
  let parts = '';
  for (let i = 0; i < len && i < PREVIEW_MAX_ENTRIES; i++) {
    const d = dataValue(a, '' + i);
    parts = joined(parts, d.ok ? inner(d.value, depth + 1) : d.text || '<empty>');
  }
  if (len > PREVIEW_MAX_ENTRIES) parts = joined(parts, `… ${len - PREVIEW_MAX_ENTRIES} more`);
  return `[${parts}]`;
}

function mapText(m: object, depth: number): string {
  const size = mapSize(m);
  const name = className(m) ?? 'Map';
  if (depth > 0) return `${name}(${size})`;
  let parts = '';
  const it = mapEntries(m);
  for (let i = 0; i < PREVIEW_MAX_ENTRIES && i < size; i++) {
    const r = mapIterNext(it);
    if (r.done) break;
    parts = joined(parts, `${inner(r.value[0], depth + 1)} => ${inner(r.value[1], depth + 1)}`);
  }
  if (size > PREVIEW_MAX_ENTRIES) parts = joined(parts, '…');
  return `${name}(${size}) {${parts}}`;
}

function setText(s: object, depth: number): string {
  const size = setSize(s);
  const name = className(s) ?? 'Set';
  if (depth > 0) return `${name}(${size})`;
  let parts = '';
  const it = setValues(s);
  for (let i = 0; i < PREVIEW_MAX_ENTRIES && i < size; i++) {
    const r = setIterNext(it);
    if (r.done) break;
    parts = joined(parts, inner(r.value, depth + 1));
  }
  if (size > PREVIEW_MAX_ENTRIES) parts = joined(parts, '…');
  return `${name}(${size}) {${parts}}`;
}

function regexpText(r: object): string {
  let flags = '';
  for (let i = 0; i < regexpFlags.length; i++) {
    const flag = regexpFlags[i]!;
    if (flag.get(r)) flags += flag.letter;
  }
  return `/${cut(regexpSource(r), MAX_NAME)}/${flags}`;
}

function typedText(t: object): string {
  const len = typedLength(t);
  let parts = '';
  for (let i = 0; i < len && i < PREVIEW_MAX_ENTRIES; i++) {
    parts = joined(parts, inner((t as Record<number, unknown>)[i], 1));
  }
  if (len > PREVIEW_MAX_ENTRIES) parts = joined(parts, '…');
  return `${typedTag(t) ?? 'TypedArray'}(${len}) [${parts}]`;
}

/** Whether `k` can be shown without quotes: an identifier of ASCII letters, digits, `_` and `$`. */
function isPlainKey(k: string): boolean {
  if (k.length === 0 || k.length > MAX_INNER) return false;
  for (let i = 0; i < k.length; i++) {
    const c = charCodeAt(k, i);
    const letter = (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === 36;
    if (!letter && !(i > 0 && c >= 48 && c <= 57)) return false;
  }
  return true;
}

const MAX_KEYS_SCANNED = 1000;

function objectText(o: object, depth: number): string {
  const name = className(o);
  const prefix = name === undefined ? '[Object: null prototype] ' : name === 'Object' ? '' : `${name} `;
  if (depth > 0) return `${prefix}{…}`;
  const keys = ownKeys(o);
  let parts = '';
  let shown = 0;
  for (let i = 0; i < keys.length && shown < PREVIEW_MAX_ENTRIES && i < MAX_KEYS_SCANNED; i++) {
    const k = keys[i]!;
    const d = dataValue(o, k);
    const key = isPlainKey(k) ? k : jsonString(cut(k, MAX_INNER));
    parts = joined(parts, `${key}: ${d.ok ? inner(d.value, depth + 1) : d.text}`);
    shown++;
  }
  if (keys.length > shown) parts = joined(parts, `… ${keys.length - shown} more`);
  return `${prefix}{${parts ? ` ${parts} ` : ''}}`;
}
