// The Events list: the events up to the cursor (a bounded number of them), oldest at the top, one row per event
// keyed by seq so that live updates only add and remove rows; the cursor's row is marked and a click on a row
// moves the cursor there. Follows the newest row while the user is scrolled to the bottom.

import { select, type Selection } from 'd3-selection';
import type { TraceEvent } from '../../src/protocol/trace';
import type { EventRow } from '../eventRows';
import { drawSite, type OpenSite } from './siteLink';

export interface EventParts {
  readonly count: Selection<HTMLSpanElement, unknown, null, undefined>;
  readonly filter: Selection<HTMLButtonElement, unknown, null, undefined>;
  readonly note: Selection<HTMLParagraphElement, unknown, null, undefined>;
  readonly body: Selection<HTMLDivElement, unknown, null, undefined>;
}

export interface EventsView {
  /** The events to list, oldest first. */
  readonly events: readonly TraceEvent[];
  /** Text for a row; called only for rows not drawn yet. */
  readonly describe: (ev: TraceEvent) => EventRow;
  /** Names the recording: rows are keyed by it and seq, so that switching recordings redraws them. */
  readonly key: string;
  /** All events decoded, kept or not. */
  readonly total: number;
  /** Events the recording still holds. */
  readonly kept: number;
  /** The coroutine the list is narrowed to, if any, as `gen#1`. */
  readonly only: string | undefined;
  /** Seq of the event at the cursor. */
  readonly cursorSeq: number | undefined;
}

const COLUMNS = ['seq', 'kind', 'coroutine', 'value', 'site'] as const;

export function buildEvents(
  parent: Selection<HTMLElement, unknown, null, undefined>,
  clearFilter: () => void,
  seekSeq: (seq: number) => void,
): EventParts {
  const section = parent.append('section').attr('class', 'ys-events ys-pane').attr('aria-labelledby', 'ys-ev-heading');
  const head = section.append('div').attr('class', 'ys-section-head');
  const h2 = head.append('h2').attr('id', 'ys-ev-heading');
  h2.append('span').text('Events');
  const count = h2.append('span').attr('class', 'ys-count');
  const filter = head
    .append('button')
    .attr('type', 'button')
    .attr('class', 'ys-button ys-filter')
    .on('click', () => clearFilter());
  const note = section.append('p').attr('class', 'ys-note ys-events-note');
  const table = section.append('div').attr('class', 'ys-ev-table').attr('role', 'table').attr('aria-label', 'Events');
  const header = table.append('div').attr('class', 'ys-ev-head').attr('role', 'row');
  for (const c of COLUMNS) header.append('span').attr('role', 'columnheader').attr('class', `ev-${c}`).text(c);
  const body = table
    .append('div')
    .attr('class', 'ys-ev-body')
    .attr('role', 'rowgroup')
    .attr('tabindex', 0)
    .on('click', (event: MouseEvent) => {
      // A click on a row (not on its site) moves the cursor to that event.
      const row = event.target instanceof Element ? event.target.closest<HTMLElement>('.ev-row') : null;
      const seq = row ? Number(row.dataset['seq']) : NaN;
      if (Number.isSafeInteger(seq) && !(event.target as Element).closest('.ys-site')) seekSeq(seq);
    });
  return { count, filter, note, body };
}

export function drawEvents(parts: EventParts, view: EventsView, open: OpenSite): void {
  parts.count.text(view.total.toLocaleString('en-US'));
  parts.filter.classed('is-hidden', view.only === undefined).text(view.only ? `only ${view.only} ✕` : '');
  parts.filter.attr('title', view.only ? 'Show the events of every coroutine' : null);
  const notes: string[] = [];
  if (view.total > view.kept) {
    notes.push(
      `Showing ${view.kept.toLocaleString('en-US')} of ${view.total.toLocaleString('en-US')} events: the newest up to the cursor.`,
    );
  }
  if (view.only && view.events.length === 0) notes.push(`No recent events of ${view.only}.`);
  if (view.total === 0) notes.push('No events yet.');
  parts.note.text(notes.join(' ')).classed('is-hidden', notes.length === 0);

  parts.body
    .selectAll<HTMLDivElement, TraceEvent>('div.ev-row')
    .data(view.events, (d) => `${view.key}:${d.seq}`)
    .join((enter) =>
      enter
        .append('div')
        .attr('class', (d) => `ev-row k-${d.kind}`)
        .attr('role', 'row')
        .attr('data-seq', (d) => d.seq)
        // An event's row never changes once drawn: it is described and filled once, not on every frame.
        .each(function (ev) {
          const r = view.describe(ev);
          const row = select(this);
          const cell = (cls: string, text: string, title?: string): void => {
            row
              .append('span')
              .attr('class', cls)
              .attr('role', 'cell')
              .attr('title', title ?? null)
              .text(text);
          };
          cell('ev-seq', String(r.seq), `${r.time.toFixed(3)} ms`);
          cell('ev-kind', r.kind);
          cell('ev-who', r.who, r.who);
          cell('ev-detail', r.detail, r.detail);
          const site = row.append<HTMLElement>('span').attr('class', 'ev-site ys-site-slot').attr('role', 'cell');
          drawSite(site, () => r.site, open, 'short');
        }),
    )
    .classed('is-cursor', (d) => d.seq === view.cursorSeq)
    .attr('aria-current', (d) => (d.seq === view.cursorSeq ? 'true' : null))
    // Rows arrive in seq order, but a filter change can interleave kept and new ones.
    .order();
}

/** True when the list shows its last row, give or take a pixel of rounding. */
export function atBottom(el: HTMLElement): boolean {
  return el.scrollHeight - el.scrollTop - el.clientHeight < 4;
}
