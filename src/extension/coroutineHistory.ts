// A coroutine's history, as the "Show History" command of the Coroutines view lists it: every event about it in
// order (created, resumed by next/throw/return and by whom, yielded, delegated, awaited, finished or failed), each
// with its time, a line of words and, where the event has a site, the source line to open. Pure: the command
// decodes the recording's trace and shows these rows in a quick pick.

import { displayPath } from '../model/coroutines';
import type { Preview, Trace, TraceEvent } from '../protocol/trace';
import { short } from './siteHistory';
import type { SourceLocation } from './coroutineTree';

export interface HistoryRow {
  readonly seq: number;
  /** What happened, in words. */
  readonly label: string;
  /** When, and where. */
  readonly description: string;
  readonly location: SourceLocation | undefined;
}

export const HISTORY_LIMIT = 2000;

/** The rows about coroutine `co`, oldest first; at most `limit`, the newest kept. */
export function coroutineHistory(trace: Trace, co: number, limit = HISTORY_LIMIT): HistoryRow[] {
  const names = new Map<number, string>();
  const nameOf = (id: number): string => (id === 0 ? 'the top level' : (names.get(id) ?? `#${id}`));
  const rows: HistoryRow[] = [];
  for (const ev of trace.events) {
    if (ev.kind === 'create') names.set(ev.co, `${trace.sites.get(ev.site)?.name || 'coroutine'}#${ev.co}`);
    const words = describe(ev, co, nameOf);
    if (words === undefined) continue;
    const site = 'site' in ev ? trace.sites.get(ev.site) : undefined;
    const file = site && trace.files.get(site.file);
    const location = site && file ? { url: file.url, line: site.line, column: site.column } : undefined;
    const where = location
      ? `${displayPath(location.url, trace.header?.cwd ?? '')
          .split(/[\\/]/)
          .at(-1)}:${location.line}`
      : '';
    rows.push({
      seq: ev.seq,
      label: words,
      description: [`${ev.time.toFixed(3)} ms`, where].filter((s) => s).join(' · '),
      location,
    });
    if (rows.length > limit) rows.shift();
  }
  return rows;
}

function v(p: Preview): string {
  return short(p, 60);
}

/** The event in words when it is about `co` (as itself, or as the one it resumed or delegated to). */
function describe(ev: TraceEvent, co: number, nameOf: (id: number) => string): string | undefined {
  switch (ev.kind) {
    case 'create':
      if (ev.co !== co) return undefined;
      return `created by ${nameOf(ev.parent)}${ev.args.length ? ` with (${ev.args.map(v).join(', ')})` : ''}`;
    case 'resume':
      if (ev.co !== co) return undefined;
      return `resumed by ${nameOf(ev.resumer)}: ${ev.mode}(${v(ev.value)})`;
    case 'yield':
      return ev.co === co ? `yielded ${v(ev.value)}` : undefined;
    case 'delegate':
      if (ev.co !== co) return ev.target === co ? `delegated to by ${nameOf(ev.co)} (yield*)` : undefined;
      return `yield* to ${ev.target ? nameOf(ev.target) : v(ev.iterable)}`;
    case 'await':
      if (ev.co !== co) return undefined;
      return `awaited ${ev.target ? `${nameOf(ev.target)}` : v(ev.value)}`;
    case 'return':
      return ev.co === co ? `returned ${v(ev.value)}` : undefined;
    case 'throw':
      return ev.co === co ? `failed: ${v(ev.error)}` : undefined;
    case 'finally':
      return ev.co === co ? 'ran a finally block' : undefined;
    case 'consume':
      return ev.co === co ? `handed to ${ev.how}` : undefined;
    case 'reenter':
      return ev.co === co ? `re-entered while running by ${ev.mode}(): ${v(ev.error)}` : undefined;
    default:
      return undefined;
  }
}
