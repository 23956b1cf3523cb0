// Safe value previews. A preview is a type and a short text, written straight into the ring. Making one never
// runs the program's code: no getters, no proxy traps, no toString/valueOf/toJSON/Symbol.toPrimitive, no
// custom inspect. It only reads own data properties through descriptors, with intrinsics captured before the
// program started, and its cost is bounded by fixed limits on entries, depth and text.

import { types } from 'node:util';
import { PREVIEW_MAX_ENTRIES, PREVIEW_MAX_TEXT, Tag, previewTypes, type PreviewType } from '../../protocol/trace';
import { quickValue, str, u8, vi } from '../sink/ring';

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

const getProto = Reflect.getPrototypeOf;
const ownDesc = Reflect.getOwnPropertyDescriptor;
const ownKeys = Object.keys;
const isArray = Array.isArray;
const call = Function.prototype.call;
const uncurry =
  <A extends unknown[], R>(fn: (...args: A) => R) =>
  (self: unknown, ...args: A): R =>
    call.call(fn, self, ...args) as R;
const getter = (proto: object, name: string | symbol) => uncurry(ownDesc(proto, name)!.get as () => unknown);

const mapSize = getter(Map.prototype, 'size') as (m: unknown) => number;
const setSize = getter(Set.prototype, 'size') as (s: unknown) => number;
const mapEntries = uncurry(Map.prototype.entries as () => Iterator<[unknown, unknown]>);
const setValues = uncurry(Set.prototype.values as () => Iterator<unknown>);
const mapIterNext = uncurry(
  getProto(new Map().entries())!['next' as keyof object] as () => IteratorResult<[unknown, unknown]>,
);
const setIterNext = uncurry(getProto(new Set().values())!['next' as keyof object] as () => IteratorResult<unknown>);
const dateTime = uncurry(Date.prototype.getTime);
const dateIso = uncurry(Date.prototype.toISOString);
const regexpSource = getter(RegExp.prototype, 'source') as (r: unknown) => string;
const regexpFlags = ['hasIndices', 'global', 'ignoreCase', 'multiline', 'dotAll', 'unicode', 'unicodeSets', 'sticky']
  .filter((f) => ownDesc(RegExp.prototype, f)?.get)
  .map(
    (f) =>
      [
        getter(RegExp.prototype, f),
        'dgimsuvy'['hasIndices global ignoreCase multiline dotAll unicode unicodeSets sticky'.split(' ').indexOf(f)],
      ] as const,
  );
const typedArrayProto = getProto(Uint8Array.prototype)!;
const typedLength = getter(typedArrayProto, 'length') as (t: unknown) => number;
const typedTag = getter(typedArrayProto, Symbol.toStringTag) as (t: unknown) => string | undefined;
const symbolDescription = getter(Symbol.prototype, 'description') as (s: unknown) => string | undefined;
const bigintToString = uncurry(BigInt.prototype.toString);
const numberToString = uncurry(Number.prototype.toString);
const stringSlice = uncurry(String.prototype.slice);
const jsonString = JSON.stringify;

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
  other: typeIndex('other'),
};

/** Writes the preview of any value at position `p`, returns the position after it. Never throws, never runs user code. */
export function writePreview(p: number, v: unknown): number {
  const q = quickValue(p, v);
  if (q >= 0) return q;
  switch (typeof v) {
    case 'string':
      return str(vi(u8(p, Tag.String), v.length), v, PREVIEW_MAX_TEXT);
    case 'bigint':
      return str(u8(p, Tag.BigInt), bigintToString(v) + 'n', PREVIEW_MAX_TEXT);
    case 'symbol':
      return str(u8(p, Tag.Symbol), `Symbol(${symbolDescription(v) ?? ''})`, PREVIEW_MAX_TEXT);
    default: {
      let type = T.other;
      let text = '?';
      try {
        [type, text] = describe(v as object, 0);
      } catch {
        // an exotic object we cannot read safely: say so rather than guess
      }
      return str(u8(u8(u8(p, Tag.Other), type), text.length > PREVIEW_MAX_TEXT ? 1 : 0), text, PREVIEW_MAX_TEXT);
    }
  }
}

/** Short text for a nested value (inside an array or object preview). */
function inner(v: unknown, depth: number): string {
  switch (typeof v) {
    case 'string':
      return jsonString(v.length > 40 ? stringSlice(v, 0, 40) + '…' : v);
    case 'number':
      return Object.is(v, -0) ? '-0' : numberToString(v);
    case 'bigint':
      return bigintToString(v) + 'n';
    case 'symbol':
      return `Symbol(${symbolDescription(v) ?? ''})`;
    case 'undefined':
      return 'undefined';
    case 'boolean':
      return v ? 'true' : 'false';
    default:
      if (v === null) return 'null';
      return describe(v as object, depth)[1];
  }
}

/** The class name an object shows, read only from data properties, never from a proxy. */
function className(o: object): string | undefined {
  let proto: object | null = o;
  for (let i = 0; i < 8 && proto !== null; i++) {
    if (isProxy(proto)) return undefined;
    const tag = ownDesc(proto, Symbol.toStringTag);
    if (tag && 'value' in tag && typeof tag.value === 'string' && proto === o) return tag.value;
    const ctor = ownDesc(proto, 'constructor');
    if (ctor && 'value' in ctor && typeof ctor.value === 'function' && !isProxy(ctor.value)) {
      const name = ownDesc(ctor.value as object, 'name');
      if (name && 'value' in name && typeof name.value === 'string' && name.value) return name.value;
    }
    proto = getProto(proto);
  }
  return undefined;
}

function dataValue(o: object, key: string | symbol): { ok: true; value: unknown } | { ok: false; text: string } {
  const d = ownDesc(o, key);
  if (!d) return { ok: false, text: '' };
  if ('value' in d) return { ok: true, value: d.value };
  return { ok: false, text: d.get && d.set ? '[Getter/Setter]' : d.get ? '[Getter]' : '[Setter]' };
}

function describe(o: object, depth: number): [number, string] {
  if (isProxy(o)) return [T.proxy, 'Proxy'];
  const known = coroutineLabel(o);
  if (known) return [T.generator, known];
  if (typeof o === 'function') return [T.function, functionText(o)];
  if (isArray(o)) return [T.array, arrayText(o, depth)];
  if (isNativeError(o) || isErrorLike(o)) return [T.error, errorText(o)];
  if (isMap(o)) return [T.map, mapText(o, depth)];
  if (isSet(o)) return [T.set, setText(o, depth)];
  if (isPromise(o)) return [T.promise, `${className(o) ?? 'Promise'} {…}`];
  if (isGeneratorObject(o)) return [T.generator, `${className(o) ?? 'Object'} [Generator] {}`];
  if (isDate(o)) return [T.date, Number.isNaN(dateTime(o)) ? 'Invalid Date' : dateIso(o)];
  if (isRegExp(o)) return [T.regexp, regexpText(o)];
  if (isTypedArray(o)) return [T.typedarray, typedText(o)];
  if (isWeakMap(o) || isWeakSet(o) || isArrayBuffer(o) || isBoxedPrimitive(o))
    return [T.object, `${className(o) ?? 'Object'} {…}`];
  if (isModuleNamespaceObject(o)) return [T.object, '[Module]'];
  return [T.object, objectText(o, depth)];
}

function isErrorLike(o: object): boolean {
  let proto = getProto(o);
  for (let i = 0; i < 8 && proto !== null; i++) {
    if (proto === Error.prototype) return true;
    if (isProxy(proto)) return false;
    proto = getProto(proto);
  }
  return false;
}

function functionText(f: object): string {
  const n = dataValue(f, 'name');
  const name = n.ok && typeof n.value === 'string' && n.value ? n.value : '(anonymous)';
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
      if (typeof d.value === 'string') name = d.value;
      break;
    }
    proto = getProto(proto);
  }
  const m = dataValue(e, 'message');
  const message = m.ok && typeof m.value === 'string' ? m.value : '';
  return message ? `${name}: ${message}` : name;
}

function arrayText(a: unknown[], depth: number): string {
  const len = a.length;
  if (depth > 0) return `Array(${len})`;
  const parts: string[] = [];
  for (let i = 0; i < len && i < PREVIEW_MAX_ENTRIES; i++) {
    const d = dataValue(a, String(i));
    parts.push(d.ok ? inner(d.value, depth + 1) : d.text || '<empty>');
  }
  if (len > PREVIEW_MAX_ENTRIES) parts.push(`… ${len - PREVIEW_MAX_ENTRIES} more`);
  return `[${parts.join(', ')}]`;
}

function mapText(m: object, depth: number): string {
  const size = mapSize(m);
  const name = className(m) ?? 'Map';
  if (depth > 0) return `${name}(${size})`;
  const parts: string[] = [];
  const it = mapEntries(m);
  for (let i = 0; i < PREVIEW_MAX_ENTRIES && i < size; i++) {
    const r = mapIterNext(it);
    if (r.done) break;
    parts.push(`${inner(r.value[0], depth + 1)} => ${inner(r.value[1], depth + 1)}`);
  }
  if (size > PREVIEW_MAX_ENTRIES) parts.push('…');
  return `${name}(${size}) {${parts.join(', ')}}`;
}

function setText(s: object, depth: number): string {
  const size = setSize(s);
  const name = className(s) ?? 'Set';
  if (depth > 0) return `${name}(${size})`;
  const parts: string[] = [];
  const it = setValues(s);
  for (let i = 0; i < PREVIEW_MAX_ENTRIES && i < size; i++) {
    const r = setIterNext(it);
    if (r.done) break;
    parts.push(inner(r.value, depth + 1));
  }
  if (size > PREVIEW_MAX_ENTRIES) parts.push('…');
  return `${name}(${size}) {${parts.join(', ')}}`;
}

function regexpText(r: object): string {
  let flags = '';
  for (const [get, letter] of regexpFlags) if (get(r)) flags += letter;
  return `/${regexpSource(r)}/${flags}`;
}

function typedText(t: object): string {
  const len = typedLength(t);
  const parts: string[] = [];
  for (let i = 0; i < len && i < PREVIEW_MAX_ENTRIES; i++) parts.push(inner((t as Record<number, unknown>)[i], 1));
  if (len > PREVIEW_MAX_ENTRIES) parts.push('…');
  return `${typedTag(t) ?? 'TypedArray'}(${len}) [${parts.join(', ')}]`;
}

const MAX_KEYS_SCANNED = 1000;

function objectText(o: object, depth: number): string {
  const name = className(o);
  const prefix = name === undefined ? '[Object: null prototype] ' : name === 'Object' ? '' : `${name} `;
  if (depth > 0) return `${prefix}{…}`;
  const keys = ownKeys(o);
  const parts: string[] = [];
  for (let i = 0; i < keys.length && parts.length < PREVIEW_MAX_ENTRIES && i < MAX_KEYS_SCANNED; i++) {
    const k = keys[i]!;
    const d = dataValue(o, k);
    const key = /^[A-Za-z_$][\w$]*$/.test(k) ? k : jsonString(k);
    parts.push(`${key}: ${d.ok ? inner(d.value, depth + 1) : d.text}`);
  }
  if (keys.length > parts.length) parts.push(`… ${keys.length - parts.length} more`);
  return `${prefix}{${parts.length ? ` ${parts.join(', ')} ` : ''}}`;
}
