// What the Inspector shows: the event at the cursor (what went in, what came out, where, and why it happened)
// and a coroutine (the selected one, else the event's), with its resumptions up to the cursor as a table.
// Pure over the history; no DOM.

import { upperBound } from '../src/model/eventStore';
import type { History } from '../src/model/history';
import { explain } from '../src/model/explain';
import type { CoroutineId, Trace, TraceEvent } from '../src/protocol/trace';
import { cardView } from './cards';
import { eventRow } from './eventRows';
import { argsText, coroutineLabel, previewText, resumeText } from './format';
import type { SiteRef } from './sites';

export interface EventFacts {
  readonly index: number;
  readonly seq: number;
  readonly time: number;
  readonly kind: string;
  readonly who: string;
  readonly into: string;
  readonly out: string;
  readonly site: SiteRef | undefined;
  readonly why: string;
}

export interface ResumptionRow {
  readonly index: number;
  readonly seq: number;
  /** `next(5)`, `throw(Error: x)` … */
  readonly how: string;
  readonly by: string;
  /** `yielded 3`, `returned 7`, `threw Error: x`, `awaited …`, or `running` when the cursor is before its end. */
  readonly result: string;
  /** The resumption the cursor is in, or the last one before it. */
  readonly current: boolean;
}

export interface CoroutineFacts {
  readonly id: CoroutineId;
  readonly label: string;
  readonly kind: string;
  readonly state: string;
  readonly stateSite: SiteRef | undefined;
  readonly definedAt: SiteRef | undefined;
  readonly createdBy: string;
  readonly args: string;
  readonly rows: readonly ResumptionRow[];
  /** Resumptions up to the cursor, shown or not. */
  readonly total: number;
}

export interface InspectorView {
  readonly event: EventFacts | undefined;
  readonly coroutine: CoroutineFacts | undefined;
}

/** Most resumptions listed: the newest before the cursor. */
export const MAX_ROWS = 40;

export function inspectorView(
  history: History,
  trace: Pick<Trace, 'files' | 'sites'>,
  cwd: string,
  cursor: number,
  selected: CoroutineId | undefined,
): InspectorView {
  if (cursor < 0 || cursor >= history.length) return { event: undefined, coroutine: undefined };
  const ev = history.store.event(cursor);
  // The state before the event explains it; the state after it is what the coroutine view shows. `beforeAt`
  // reads the first through the second, from the history's journal: no seek back and forth.
  const before = history.beforeAt(cursor);
  const why = explain(ev, { before, trace, cwd, queues: history.queuesAt(cursor) });
  const ctx = { model: before, trace, cwd };
  const row = eventRow(ev, ctx);
  const { into, out } = valuesOf(ev);
  const event: EventFacts = {
    index: cursor,
    seq: ev.seq,
    time: ev.time,
    kind: ev.kind,
    who: row.who,
    into,
    out,
    site: row.site,
    why,
  };
  const co = selected ?? (ev.co || undefined);
  const after = history.at(cursor);
  const c = co === undefined ? undefined : after.coroutines.get(co);
  if (!c) return { event, coroutine: undefined };
  const card = cardView(after, c, 0, {
    trace,
    cwd,
    hideFinished: false,
    selected,
    limit: 1,
    running: new Set(after.running),
    current: after.running[after.running.length - 1],
  });
  const { rows, total } = resumptions(history, after, c.id, cursor);
  return {
    event,
    coroutine: {
      id: c.id,
      label: coroutineLabel(after, c.id),
      kind: c.coKind,
      state: card.stateText,
      stateSite: card.stateSite,
      definedAt: card.definedAt,
      createdBy: c.parent ? coroutineLabel(after, c.parent) : 'the top level',
      args: c.args.length ? argsText(c.args) : '',
      rows,
      total,
    },
  };
}

function valuesOf(ev: TraceEvent): { into: string; out: string } {
  switch (ev.kind) {
    case 'create':
      return { into: ev.args.length ? `(${argsText(ev.args)})` : '()', out: '' };
    case 'resume':
      return { into: resumeText(ev.mode, ev.value), out: '' };
    case 'yield':
    case 'return':
      return { into: '', out: previewText(ev.value) };
    case 'throw':
      return { into: '', out: previewText(ev.error) };
    case 'reenter':
      return { into: `${ev.mode}()`, out: previewText(ev.error) };
    case 'await':
      return { into: '', out: previewText(ev.value) };
    case 'delegate':
      return { into: '', out: previewText(ev.iterable) };
    default:
      return { into: '', out: '' };
  }
}

/** The coroutine's resumptions up to the cursor, each with what ended it (newest `MAX_ROWS`). */
function resumptions(
  history: History,
  model: Parameters<typeof coroutineLabel>[0],
  co: CoroutineId,
  cursor: number,
): { rows: ResumptionRow[]; total: number } {
  const store = history.store;
  const events = store.eventsOf(co);
  const rows: ResumptionRow[] = [];
  let total = 0;
  let open: { index: number; ev: Extract<TraceEvent, { kind: 'resume' }> } | undefined;
  const close = (result: string): void => {
    if (!open) return;
    total++;
    const r = {
      index: open.index,
      seq: open.ev.seq,
      how: resumeText(open.ev.mode, open.ev.value, 60),
      by: coroutineLabel(model, open.ev.resumer),
      result,
      current: false,
    };
    rows.push(r);
    if (rows.length > MAX_ROWS) rows.shift();
    open = undefined;
  };
  // Counting is cheap (one byte per event); rows are made only for the newest few hundred events.
  const end = upperBound(events, cursor);
  let before = 0;
  const start = Math.max(0, end - 4 * MAX_ROWS);
  for (let k = 0; k < start; k++) if (store.kindAt(events[k]!) === 'resume') before++;
  for (let k = start; k < end; k++) {
    const index = events[k]!;
    const kind = store.kindAt(index);
    if (kind === 'resume') {
      close('(no record of how it paused)');
      open = { index, ev: store.event(index) as Extract<TraceEvent, { kind: 'resume' }> };
    } else if (kind === 'yield' || kind === 'return' || kind === 'throw' || kind === 'await') {
      const ev = store.event(index);
      if (ev.kind === 'yield') close(`yielded ${previewText(ev.value, 60)}`);
      else if (ev.kind === 'return') close(`returned ${previewText(ev.value, 60)}`);
      else if (ev.kind === 'throw') close(`threw ${previewText(ev.error, 60)}`);
      else if (ev.kind === 'await') close(`awaited ${previewText(ev.value, 60)}`);
    }
  }
  close('running');
  if (rows.length) rows[rows.length - 1] = { ...rows[rows.length - 1]!, current: true };
  return { rows, total: total + before };
}
