// Creations whose generator object has not run yet, by the prototype their objects get. A generator closed with
// return() or throw() before it ever ran never runs its body, so nothing links it to its creation but this: when
// exactly one unstarted creation of its function exists, it is that one. With several, the tracer cannot tell
// which, and records the object as new. Bounded: past a few per function, the oldest are forgotten (and the
// overflow makes every later match ambiguous, so no wrong link is made).

const unstarted = new WeakMap<object, { list: Array<{ id: number; site: number }>; overflow: boolean }>();
const MAX_UNSTARTED = 32;

export function noteUnstarted(proto: object, id: number, site: number): void {
  let entry = unstarted.get(proto);
  if (!entry) unstarted.set(proto, (entry = { list: [], overflow: false }));
  entry.list.push({ id, site });
  if (entry.list.length > MAX_UNSTARTED) {
    entry.list.shift();
    entry.overflow = true;
  }
}

/** The object started: its creation is no longer a candidate. */
export function noteStarted(obj: object, id: number): void {
  const entry = unstarted.get(Reflect.getPrototypeOf(obj) as object);
  if (!entry) return;
  const i = entry.list.findIndex((c) => c.id === id);
  if (i >= 0) entry.list.splice(i, 1);
}

/** The creation of an object that never ran, when it is certain which one it was. */
export function claimUnstarted(obj: object): { id: number; site: number } | undefined {
  const proto = Reflect.getPrototypeOf(obj);
  const entry = proto === null ? undefined : unstarted.get(proto);
  if (!entry || entry.overflow || entry.list.length !== 1) return undefined;
  return entry.list.pop();
}
