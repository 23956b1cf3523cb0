// Built-ins that the previews call, captured when the tracer starts, before the program can replace them. Each
// method is "uncurried" the way Node's own primordials are (`bind.bind(call)`): `f(self, ...args)` calls the
// captured method with `self` as `this`, with no property look-up at call time, so a program that replaces
// Array.prototype.push, RegExp.prototype.exec, Function.prototype.call or an iterator's `next` changes nothing
// here. Nothing in this file iterates with for…of or spreads: those call %ArrayIteratorPrototype%.next.

const { bind, call } = Function.prototype;
/** `uncurryThis(f)(self, ...args)` is `f.call(self, ...args)` with the `call` of the tracer's start. */
const uncurryThis = bind.bind(call) as <A extends unknown[], R>(
  fn: (...args: A) => R,
) => (self: unknown, ...args: A) => R;
const getOwnDescriptor = Reflect.getOwnPropertyDescriptor;

/** The getter of an accessor property of a built-in prototype, uncurried. */
function getterOf(proto: object, name: string | symbol): (self: unknown) => unknown {
  return uncurryThis(getOwnDescriptor(proto, name)!.get as () => unknown);
}

export const getProto = Reflect.getPrototypeOf;
export const ownDescriptor = getOwnDescriptor;
export const ownKeys = Object.keys;
export const hasOwn = uncurryThis(Object.prototype.hasOwnProperty as (key: PropertyKey) => boolean);
export const isArray = Array.isArray;
export const isNaN = Number.isNaN;
export const jsonString = JSON.stringify;
export const ErrorPrototype = Error.prototype;

export const mapSize = getterOf(Map.prototype, 'size') as (m: unknown) => number;
export const setSize = getterOf(Set.prototype, 'size') as (s: unknown) => number;
export const mapEntries = uncurryThis(Map.prototype.entries as () => Iterator<[unknown, unknown]>);
export const setValues = uncurryThis(Set.prototype.values as () => Iterator<unknown>);
export const mapIterNext = uncurryThis(
  getProto(new Map().entries())!['next' as keyof object] as () => IteratorResult<[unknown, unknown]>,
);
export const setIterNext = uncurryThis(
  getProto(new Set().values())!['next' as keyof object] as () => IteratorResult<unknown>,
);
export const dateTime = uncurryThis(Date.prototype.getTime);
export const dateIso = uncurryThis(Date.prototype.toISOString);
export const regexpSource = getterOf(RegExp.prototype, 'source') as (r: unknown) => string;
const typedArrayProto = getProto(Uint8Array.prototype)!;
export const typedLength = getterOf(typedArrayProto, 'length') as (t: unknown) => number;
export const typedTag = getterOf(typedArrayProto, Symbol.toStringTag) as (t: unknown) => string | undefined;
export const symbolDescription = getterOf(Symbol.prototype, 'description') as (s: unknown) => string | undefined;
export const bigintToString = uncurryThis(BigInt.prototype.toString as (radix?: number) => string);
export const bigintAsUintN = BigInt.asUintN;
export const numberToString = uncurryThis(Number.prototype.toString as (radix?: number) => string);
export const numberToPrecision = uncurryThis(Number.prototype.toPrecision as (digits?: number) => string);
export const stringSlice = uncurryThis(String.prototype.slice as (start?: number, end?: number) => string);
export const charCodeAt = uncurryThis(String.prototype.charCodeAt as (i: number) => number);
export const log10 = Math.log10;
export const floor = Math.floor;
export const pow = Math.pow;
export const min = Math.min;
export const max = Math.max;
export const trunc = Math.trunc;
export const round = Math.round;
export const toNumber = Number;
export const weakMapGet = uncurryThis(WeakMap.prototype.get as (key: object) => unknown);
export const weakMapSet = uncurryThis(WeakMap.prototype.set as (key: object, value: unknown) => unknown);

/** Removes `list[i]`, moving the rest down: Array.prototype.splice without calling it. */
export function removeAt(list: unknown[], i: number): void {
  for (let j = i + 1; j < list.length; j++) list[j - 1] = list[j];
  list.length--;
}

const FLAG_NAMES = ['hasIndices', 'global', 'ignoreCase', 'multiline', 'dotAll', 'unicode', 'unicodeSets', 'sticky'];
const FLAG_LETTERS = 'dgimsuvy';
/** The flag getters this Node has, each with its letter, in the order RegExp.prototype.flags uses. */
export const regexpFlags: { readonly get: (r: unknown) => unknown; readonly letter: string }[] = [];
for (let i = 0; i < FLAG_NAMES.length; i++) {
  const name = FLAG_NAMES[i]!;
  if (getOwnDescriptor(RegExp.prototype, name)?.get) {
    regexpFlags[regexpFlags.length] = { get: getterOf(RegExp.prototype, name), letter: FLAG_LETTERS[i]! };
  }
}
