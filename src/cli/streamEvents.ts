// `yieldscope events`, streamed: the trace is read and decoded 64 KB at a time, and each slice's events are
// printed and let go, so a trace of millions of events needs little memory and starts printing at once.
// What the decoder learns along the way (files, sites, coroutine names, the state of yield* chains) is kept.
// Also the CLI's one-line messages for a trace file that cannot be read, shared with the commands that read a
// trace whole.

import { closeSync, openSync, readSync } from 'node:fs';
import { TraceDecoder } from '../protocol/codec';
import type { Trace, TraceEvent } from '../protocol/trace';
import { InputError } from './args';
import { eventLines } from './events';
import { withHeapLines } from './heapLines';

const CHUNK = 1 << 16;

/** Says why a trace file could not be opened or read. */
export function unreadable(path: string, e: unknown): InputError {
  const code = (e as NodeJS.ErrnoException).code;
  return new InputError(
    code === 'ENOENT' ? `cannot find the trace ${path}` : `cannot read ${path}: ${code ?? String(e)}`,
  );
}

/** Says why a file is not a trace (it has no header: the first problem says why). */
export function notATrace(path: string, trace: Trace): InputError {
  const why = trace.problems[0] ?? 'no header';
  return new InputError(
    why.startsWith('not a Yieldscope trace') ? `${path} is ${why}` : `${path} cannot be read as a trace: ${why}`,
  );
}

/**
 * The events of the trace file `fd`, a slice per 64 KB read; `last` is set on the final slice (the end of the
 * file, or damage). The decoder keeps none of the events it hands out.
 */
function* slices(fd: number, decoder: TraceDecoder): Generator<{ events: TraceEvent[]; last: boolean }> {
  for (;;) {
    const chunk = new Uint8Array(CHUNK);
    const n = readSync(fd, chunk, 0, CHUNK, null);
    const events = n > 0 ? decoder.push(chunk.subarray(0, n)) : [];
    if (n === 0) decoder.finish();
    decoder.trace.events.length = 0;
    const last = n === 0 || decoder.failed !== undefined;
    yield { events, last };
    if (last) return;
  }
}

function openTrace(path: string): number {
  try {
    return openSync(path, 'r');
  } catch (e) {
    throw unreadable(path, e);
  }
}

/**
 * Prints the events of the trace at `path` as JSON lines through `write`, waiting for `drained` whenever `write`
 * says its buffer is full (a pipe read slowly would otherwise hold the whole output); warnings go to `warn`.
 */
export async function streamEvents(
  path: string,
  write: (text: string) => boolean,
  drained: () => Promise<unknown>,
  warn: (text: string) => void,
): Promise<void> {
  const fd = openTrace(path);
  const decoder = new TraceDecoder();
  const trace = decoder.trace;
  const names = new Map<number, string>();
  const heap = { next: 0 };
  try {
    for (const { events, last } of slices(fd, decoder)) {
      // Nothing is printed before the header: a file that is not a trace gets only the one line of error.
      if (!trace.header) {
        if (last) throw notATrace(path, trace);
        continue;
      }
      const lines = withHeapLines(trace, eventLines(trace, events, names), heap, last);
      if (trace.heap && heap.next > 0) {
        trace.heap.splice(0, heap.next);
        heap.next = 0;
      }
      if (lines.length && !write(lines.map((l) => JSON.stringify(l)).join('\n') + '\n')) await drained();
    }
  } finally {
    closeSync(fd);
  }
  for (const p of trace.problems) warn(`yieldscope: warning: ${path}: ${p}\n`);
}

/** The number of events and of coroutines created in the trace at `path`, read as `streamEvents` reads it. */
export function countTrace(path: string): { events: number; coroutines: number } {
  const fd = openTrace(path);
  const created = new Set<number>();
  let events = 0;
  try {
    for (const slice of slices(fd, new TraceDecoder())) {
      events += slice.events.length;
      for (const ev of slice.events) if (ev.kind === 'create') created.add(ev.co);
    }
  } finally {
    closeSync(fd);
  }
  return { events, coroutines: created.size };
}
