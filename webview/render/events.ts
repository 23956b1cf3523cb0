// The Events list: the events up to the cursor (a bounded number of them), oldest at the top, one row per event
// keyed by seq; the cursor's row is marked and a click on a row moves the cursor there. Follows the newest row
// while the user is scrolled to the bottom. Rows have one fixed height and only those in view are drawn (after a
// jump, every row is new: drawing a hundred and fifty of them took longer than a frame).

import { select, type Selection } from 'd3-selection';
import type { TraceEvent } from '../../src/protocol/trace';
import type { EventRow } from '../eventRows';
import { drawSite, type OpenSite } from './siteLink';
import { setAttr, setClass, setText } from './text';

export interface EventParts {
  readonly count: Selection<HTMLSpanElement, unknown, null, undefined>;
  readonly filter: Selection<HTMLButtonElement, unknown, null, undefined>;
  readonly note: Selection<HTMLParagraphElement, unknown, null, undefined>;
  readonly body: Selection<HTMLDivElement, unknown, null, undefined>;
  /** Gives the body the height of all its rows, drawn or not. */
  readonly spacer: Selection<HTMLDivElement, unknown, null, undefined>;
}

export interface EventsView {
  /** How many rows the list has, oldest first. */
  readonly rows: number;
  /** The event of row `k`; called only for the rows in view. */
  readonly event: (k: number) => TraceEvent;
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
  /** Seq of the event at the cursor, and its row (-1 when it is not listed). */
  readonly cursorSeq: number | undefined;
  readonly cursorRow: number;
}

/** The list's size and scroll, read before anything is drawn. */
export interface EventsViewport {
  readonly top: number;
  readonly height: number;
  /** Pixels per em, for the rows' fixed height. */
  readonly em: number;
}

/** Height of a row in em: the same number is in events.css (`.ev-row`). */
export const ROW_EM = 1.8;

export function eventsViewport(parts: EventParts): EventsViewport {
  const el = parts.body.node()!;
  return { top: el.scrollTop, height: el.clientHeight, em: parseFloat(getComputedStyle(el).fontSize) || 12 };
}

/** Where the list should scroll to so that the newest row (`follow`) or the cursor's row is in view. */
export function eventsScrollTop(view: EventsView, vp: EventsViewport, follow: boolean): number {
  const rowH = Math.round(ROW_EM * vp.em);
  const max = Math.max(0, view.rows * rowH - vp.height);
  if (follow) return max;
  const y = view.cursorRow * rowH;
  if (view.cursorRow < 0 || (y >= vp.top && y + rowH <= vp.top + vp.height)) return Math.min(vp.top, max);
  return Math.max(0, Math.min(max, y - vp.height / 2));
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
    .attr('aria-label', 'Events up to the cursor; only the rows in view are drawn')
    .on('click', (event: MouseEvent) => {
      // A click on a row (not on its site) moves the cursor to that event.
      const row = event.target instanceof Element ? event.target.closest<HTMLElement>('.ev-row') : null;
      const seq = row ? Number(row.dataset['seq']) : NaN;
      if (Number.isSafeInteger(seq) && !(event.target as Element).closest('.ys-site')) seekSeq(seq);
    });
  const spacer = body.append('div').attr('class', 'ys-ev-spacer');
  return { count, filter, note, body, spacer };
}

/**
 * Gives the list the height of its rows and scrolls it to `scrollTop` (what `eventsScrollTop` says). Called
 * before anything else on the page is written in a frame: then the browser lays out only the list to scroll it.
 */
export function scrollEvents(parts: EventParts, view: EventsView, vp: EventsViewport, scrollTop: number): number {
  const rowH = Math.round(ROW_EM * vp.em);
  const height = `${view.rows * rowH}px`;
  const spacer = parts.spacer.node()!;
  if (spacer.style.height !== height) spacer.style.height = height;
  const body = parts.body.node()!;
  if (Math.abs(body.scrollTop - scrollTop) < 1) return scrollTop;
  body.scrollTop = scrollTop;
  // Where the browser put it (it may clamp): the list was laid out to scroll it, so this read costs nothing.
  return body.scrollTop;
}

/** The rows drawn, [first, last), and their height: a scroll within them needs no drawing. */
export interface DrawnRows {
  readonly first: number;
  readonly last: number;
  readonly rowH: number;
}

/** True when rows `drawn` cover the list's view at its scroll position now. */
export function rowsCover(drawn: DrawnRows, el: HTMLElement): boolean {
  const top = Math.floor(el.scrollTop / drawn.rowH);
  const bottom = Math.ceil((el.scrollTop + el.clientHeight) / drawn.rowH);
  return top >= drawn.first && bottom <= drawn.last;
}

/** Draws the rows that are in view when the list is scrolled to `scrollTop` (see `scrollEvents`). */
export function drawEvents(
  parts: EventParts,
  view: EventsView,
  vp: EventsViewport,
  scrollTop: number,
  open: OpenSite,
): DrawnRows {
  // Drawn at every jump of the cursor: written only where something changed (a write, even of the same value,
  // makes the browser style and lay out the list again).
  setText(parts.count, () => view.total.toLocaleString('en-US'));
  setClass(parts.filter, 'is-hidden', () => view.only === undefined);
  setText(parts.filter, () => (view.only ? `only ${view.only} ✕` : ''));
  setAttr(parts.filter, 'title', () => (view.only ? 'Show the events of every coroutine' : null));
  const notes: string[] = [];
  if (view.total > view.kept) {
    notes.push(
      `Showing ${view.kept.toLocaleString('en-US')} of ${view.total.toLocaleString('en-US')} events: the newest up to the cursor.`,
    );
  }
  if (view.only && view.rows === 0) notes.push(`No recent events of ${view.only}.`);
  if (view.total === 0) notes.push('No events yet.');
  setText(parts.note, () => notes.join(' '));
  setClass(parts.note, 'is-hidden', () => notes.length === 0);

  const rowH = Math.round(ROW_EM * vp.em);
  const all = view.rows <= DRAW_ALL_ROWS;
  const first = all ? 0 : Math.max(0, Math.floor(scrollTop / rowH) - OVERSCAN);
  const last = all ? view.rows : Math.min(view.rows, Math.ceil((scrollTop + vp.height) / rowH) + OVERSCAN);
  const shown: { ev: TraceEvent; k: number }[] = [];
  for (let k = first; k < last; k++) shown.push({ ev: view.event(k), k });
  const body = parts.body.node()!;
  if (body.style.getPropertyValue('--row-h') !== `${rowH}px`) body.style.setProperty('--row-h', `${rowH}px`);

  // Rows are bound by position and positioned with a transform: moving the cursor or scrolling refills the
  // elements there instead of replacing them. A row is described and filled only when its event changed.
  const rows = parts.body
    .selectAll<HTMLDivElement, { ev: TraceEvent; k: number }>('div.ev-row')
    .data(shown)
    .join((enter) =>
      enter
        .append('div')
        .attr('class', 'ev-row')
        .attr('role', 'row')
        .each(function () {
          const row = select(this);
          for (const cls of ['ev-seq', 'ev-kind', 'ev-who', 'ev-detail'])
            row.append('span').attr('class', cls).attr('role', 'cell');
          row.append<HTMLElement>('span').attr('class', 'ev-site ys-site-slot').attr('role', 'cell');
        }),
    )
    .each(function ({ ev }) {
      const filled = `${view.key}:${ev.seq}`;
      if (this.dataset['filled'] === filled) return;
      this.dataset['filled'] = filled;
      this.dataset['seq'] = String(ev.seq);
      for (const cls of [...this.classList]) if (cls.startsWith('k-')) this.classList.remove(cls);
      this.classList.add(`k-${ev.kind}`);
      const r = view.describe(ev);
      const row = select(this);
      const cell = (cls: string, text: string, title: string | null): void => {
        const el = row.select<HTMLElement>(`.${cls}`).node()!;
        if (el.textContent !== text) el.textContent = text;
        if (title === null) el.removeAttribute('title');
        else el.setAttribute('title', title);
      };
      cell('ev-seq', String(r.seq), `${r.time.toFixed(3)} ms`);
      cell('ev-kind', r.kind, null);
      cell('ev-who', r.who, r.who);
      cell('ev-detail', r.detail, r.detail);
      drawSite(row.select<HTMLElement>('.ev-site'), () => r.site, open, 'short');
    });
  rows.each(function (d) {
    const at = `translateY(${d.k * rowH}px)`;
    if (this.style.transform !== at) this.style.transform = at;
  });
  setAttr(rows, 'aria-rowindex', (d) => String(d.k + 1));
  setClass(rows, 'is-odd', (d) => d.k % 2 === 1);
  setClass(rows, 'is-cursor', (d) => d.ev.seq === view.cursorSeq);
  setAttr(rows, 'aria-current', (d) => (d.ev.seq === view.cursorSeq ? 'true' : null));
  return { first, last: all ? Infinity : last, rowH };
}

/** Rows drawn beyond each edge of the view, so that a short scroll shows drawn rows. */
const OVERSCAN = 6;
/** Up to this many rows, all are drawn: virtualising pays only for long lists. */
const DRAW_ALL_ROWS = 100;

/** True when the list shows its last row, give or take a pixel of rounding. */
export function atBottom(el: HTMLElement): boolean {
  return el.scrollHeight - el.scrollTop - el.clientHeight < 4;
}
