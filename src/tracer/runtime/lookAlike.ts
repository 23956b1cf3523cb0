// Look-alikes of Node's functions (the schedulers, fs and child_process functions the tracer records): a wrapper
// that has the original's own properties (name, length, util.promisify.custom …) and source text, put where the
// original was with the same attributes.

import { markOurs } from './fidelity';

export type Fn = (this: unknown, ...args: unknown[]) => unknown;

/** Gives `wrapper` the own properties and the source text of `orig`; returns `wrapper`. */
export function lookAlike(wrapper: Fn, orig: Fn): Fn {
  for (const key of Reflect.ownKeys(orig)) {
    if (key === 'prototype') continue;
    const desc = Reflect.getOwnPropertyDescriptor(orig, key);
    if (desc) Reflect.defineProperty(wrapper, key, desc);
  }
  markOurs(wrapper, Function.prototype.toString.call(orig));
  return wrapper;
}

/** A look-alike of `orig` named as it is, whose calls go to `call(this, args)`. */
export function namedLookAlike(orig: Fn, call: (self: unknown, args: unknown[]) => unknown): Fn {
  const wrapper = {
    [orig.name](this: unknown, ...args: unknown[]): unknown {
      return call(this, args);
    },
  }[orig.name]!;
  return lookAlike(wrapper, orig);
}

/**
 * Replaces `holder[name]` with `make(original)`, keeping the property's attributes. Returns the original, or
 * undefined (and changes nothing) when the property is not a writable function.
 */
export function replaceFunction(holder: object, name: string, make: (orig: Fn) => Fn): Fn | undefined {
  const desc = Reflect.getOwnPropertyDescriptor(holder, name);
  if (!desc || typeof desc.value !== 'function' || !desc.writable) return undefined;
  const orig = desc.value as Fn;
  Reflect.defineProperty(holder, name, { ...desc, value: make(orig) });
  return orig;
}
