// Creations whose generator object has not run yet, by the prototype their objects get. A generator closed with
// return() or throw() before it ever ran never runs its body, so nothing links it to its creation but this: when
// exactly one unstarted creation of its function exists, it is that one. With several, the tracer cannot tell
// which, and records the object as new. Bounded: past a few per function, the oldest are forgotten (and the
// overflow makes every later match ambiguous, so no wrong link is made). Indexing and captured built-ins only:
// nothing here calls a method the program may have replaced.

import { removeAt, weakMapGet, weakMapSet } from './primordials';

interface Entry {
  list: Array<{ id: number; site: number }>;
  overflow: boolean;
}
const unstarted = new WeakMap<object, Entry>();
const MAX_UNSTARTED = 32;

export function noteUnstarted(proto: object, id: number, site: number): void {
  let entry = weakMapGet(unstarted, proto) as Entry | undefined;
  if (!entry) weakMapSet(unstarted, proto, (entry = { list: [], overflow: false }));
  entry.list[entry.list.length] = { id, site };
  if (entry.list.length > MAX_UNSTARTED) {
    removeAt(entry.list, 0);
    entry.overflow = true;
  }
}

/** The object started: its creation is no longer a candidate. */
export function noteStarted(obj: object, id: number): void {
  const entry = weakMapGet(unstarted, Reflect.getPrototypeOf(obj) as object) as Entry | undefined;
  if (!entry) return;
  for (let i = 0; i < entry.list.length; i++) {
    if (entry.list[i]!.id === id) {
      removeAt(entry.list, i);
      return;
    }
  }
}

/** The creation of an object that never ran, when it is certain which one it was. */
export function claimUnstarted(obj: object): { id: number; site: number } | undefined {
  const proto = Reflect.getPrototypeOf(obj);
  const entry = proto === null ? undefined : (weakMapGet(unstarted, proto) as Entry | undefined);
  if (!entry || entry.overflow || entry.list.length !== 1) return undefined;
  const only = entry.list[0]!;
  entry.list.length = 0;
  return only;
}
