// Event emission: the runtime's vocabulary on top of the ring. Each function writes one record with the common
// prefix (time delta, coroutine id). Times come from a monotonic clock, read on every 32nd event and on rare
// kinds, so hot loops pay almost nothing for them; events in between share the last reading.

import { CoKind, EndReason, Rec, Tag, previewTypes } from '../../protocol/trace';
import * as ring from '../sink/ring';
import { writePreview } from './preview';

const ERROR_TYPE = previewTypes.indexOf('error');
const OTHER_TYPE = previewTypes.indexOf('other');
const perfNow = performance.now.bind(performance);
const origin = perfNow();
let lastMicros = 0;
let tick = 0;

function dt(force: boolean): number {
  if (!force && (++tick & 31) !== 0) return 0;
  const now = Math.floor((perfNow() - origin) * 1000);
  if (now <= lastMicros) return 0;
  const d = now - lastMicros;
  lastMicros = now;
  return d;
}

/** Hook run before every event, so that deferred records keep their place in order (see generators.ts). */
let before: (() => void) | null = null;
export function setBeforeEvent(fn: (() => void) | null): void {
  before = fn;
}

function head(kind: number, co: number, force: boolean): boolean {
  if (before !== null) before();
  if (!ring.begin(kind)) return false;
  ring.varint(dt(force));
  ring.varint(co);
  return true;
}

export const MAX_ARGS = 8;

export function emitCreate(
  co: number,
  site: number,
  parent: number,
  kind: number,
  args: ArrayLike<unknown> | undefined,
): void {
  if (!head(Rec.Create, co, true)) return;
  ring.varint(site);
  ring.varint(parent);
  ring.u8(kind);
  const n = args ? Math.min(args.length, MAX_ARGS) : 0;
  ring.varint(n);
  for (let i = 0; i < n; i++) writePreview(args![i]);
  ring.end();
}

export function emitResume(co: number, mode: number, value: unknown, resumer: number): void {
  if (!head(Rec.Resume, co, false)) return;
  ring.u8(mode);
  writePreview(value);
  ring.varint(resumer);
  ring.end();
}

export function emitYield(co: number, site: number, value: unknown): void {
  if (!head(Rec.Yield, co, false)) return;
  ring.varint(site);
  writePreview(value);
  ring.end();
}

/** A yield whose value could not be read without running the program's code. */
export function emitYieldUnread(co: number, site: number): void {
  if (!head(Rec.Yield, co, false)) return;
  ring.varint(site);
  unreadable();
  ring.end();
}

export function emitDelegate(co: number, site: number, target: number, iterable: unknown): void {
  if (!head(Rec.Delegate, co, false)) return;
  ring.varint(site);
  ring.varint(target);
  writePreview(iterable);
  ring.end();
}

export function emitReturn(co: number, value: unknown): void {
  if (!head(Rec.Return, co, false)) return;
  writePreview(value);
  ring.end();
}

/** Completion by an error. `known` is false when the value that escaped was not observed. */
export function emitThrow(co: number, error: unknown, known: boolean): void {
  if (!head(Rec.Throw, co, true)) return;
  if (known) writePreview(error);
  else unobserved();
  ring.end();
}

export function emitReenter(co: number, mode: number, resumer: number): void {
  if (!head(Rec.Reenter, co, true)) return;
  ring.u8(mode);
  ring.varint(resumer);
  ring.u8(Tag.Other);
  ring.u8(ERROR_TYPE);
  ring.u8(0);
  ring.string('TypeError: Generator is already running');
  ring.end();
}

export function emitEnd(exitCode: number, reason: number, error: { value: unknown } | undefined): void {
  if (!head(Rec.End, 0, true)) return;
  ring.zigzag(exitCode);
  ring.u8(reason);
  if (error) {
    ring.u8(1);
    writePreview(error.value);
  } else {
    ring.u8(0);
  }
  ring.end();
}

/** File and site records describe the program, not its run: they never flush deferred events. */
export function emitFile(id: number, url: string): void {
  if (!ring.begin(Rec.File)) return;
  ring.varint(id);
  ring.string(url);
  ring.end();
}

export function emitSite(id: number, file: number, line: number, column: number, kind: number, name: string): void {
  if (!ring.begin(Rec.Site)) return;
  ring.varint(id);
  ring.varint(file);
  ring.varint(line);
  ring.varint(column);
  ring.u8(kind);
  ring.string(name, 200);
  ring.end();
}

function unreadable(): void {
  ring.u8(Tag.Other);
  ring.u8(OTHER_TYPE);
  ring.u8(0);
  ring.string('(not read: an iterator result with accessors or a proxy)');
}

function unobserved(): void {
  ring.u8(Tag.Other);
  ring.u8(OTHER_TYPE);
  ring.u8(0);
  ring.string('(error not observed)');
}

export { CoKind, EndReason };
