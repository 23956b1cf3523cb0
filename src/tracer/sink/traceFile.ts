// The trace file, from the main thread's side. The main thread claims the file and writes the header when the
// tracer starts, and writes each published run of records to it itself until the drain worker takes the file
// over: a Node worker takes tens of milliseconds to start (much longer on a busy machine), and a program that
// dies or blocks sooner (out of memory at the top level, killed right after its start, a loop that never ends)
// would otherwise leave no trace, or no file at all. These writes are synchronous (one per record for the first
// 256, then one per 32 records: see `setPublishHook`), happen only until the worker runs (the first
// milliseconds), and run none of the program's code. Whoever writes holds Ctl.FileOwner; once the worker has it, the main thread never writes again.

import { closeSync, openSync, writeSync } from 'node:fs';
import { parse } from 'node:path';
import { Ctl } from './ring';

/** Claims the trace file. A second traced process (a child) writing to the same path gets its own file. */
export function openTraceFile(path: string, pid: number): number {
  try {
    return openSync(path, 'wx', 0o600);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') return -1;
    const p = parse(path);
    try {
      return openSync(`${p.dir}/${p.name}-${pid}${p.ext || '.ystrace'}`, 'w', 0o600);
    } catch {
      return -1;
    }
  }
}

/** Writes `length` bytes of `bytes` from `offset` (all of it by default); false if the file failed. */
export function writeAll(fd: number, bytes: Uint8Array<ArrayBufferLike>, offset = 0, length = bytes.length): boolean {
  try {
    const end = offset + length;
    while (offset < end) offset += writeSync(fd, bytes, offset, end - offset);
    return true;
  } catch {
    return false;
  }
}

export function closeQuietly(fd: number): void {
  try {
    closeSync(fd);
  } catch {
    // nothing more to do
  }
}

/**
 * The main thread's writer: `write(upTo)` writes the records from where it stopped up to ring position `upTo`,
 * unless the worker owns the file now; it returns false once it will write no more. `owns()` says whether the
 * main thread may still write, and so close the file itself at exit when no worker ever started.
 */
export function mainThreadWriter(
  fd: number,
  ctl: Int32Array,
  ring: { readonly data: Uint8Array<ArrayBufferLike>; readonly capacity: number },
  from: number,
): { write(upTo: number): boolean; owns(): boolean } {
  let done = from >>> 0;
  let stopped = false;
  const mask = ring.capacity - 1;
  const write = (upTo: number): boolean => {
    if (stopped) return false;
    if (Atomics.compareExchange(ctl, Ctl.FileOwner, 0, 2) !== 0) {
      stopped = true; // the worker has the file
      return false;
    }
    try {
      const n = (upTo - done) >>> 0;
      if (n === 0 || n > ring.capacity) return true;
      const start = done & mask;
      // Offsets, not subarray(): that would look up the program's Uint8Array[Symbol.species].
      const first = n < ring.capacity - start ? n : ring.capacity - start;
      const ok = writeAll(fd, ring.data, start, first) && (first === n || writeAll(fd, ring.data, 0, n - first));
      if (!ok) {
        stopped = true; // the file failed: leave it to the worker, which will find it failing too
        return false;
      }
      done = upTo >>> 0;
      Atomics.store(ctl, Ctl.FileDone, done | 0);
      return true;
    } finally {
      Atomics.store(ctl, Ctl.FileOwner, 0);
      Atomics.notify(ctl, Ctl.FileOwner);
    }
  };
  return { write, owns: () => !stopped && Atomics.load(ctl, Ctl.FileOwner) !== 1 };
}
