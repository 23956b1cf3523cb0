// The Event loop view: the call path running now, then one lane per queue with an item per waiting callback or
// parked await. A keyed data join over `layoutEventLoop`, so items stay put while they wait and stepping shows
// them arrive (marked) and leave (drawn once more, faded). All text is set with .text().
//
// Keyboard: each lane is one tab stop; ←/→ move between its items, ↑/↓ between lanes, Enter moves the cursor to
// where the item runs (or resumes), Shift+Enter to where it was queued.

import type { Selection } from 'd3-selection';
import type { EventLoopView, LoopItemView, LoopLaneView, PathStep } from '../eventLoop';
import { drawSite, type OpenSite } from './siteLink';
import { setAttr, setText } from './text';

export interface EventLoopActions {
  readonly open: OpenSite;
  readonly seek: (index: number) => void;
  readonly seekSeq: (seq: number) => void;
  readonly select: (co: number) => void;
}

export interface EventLoopParts {
  readonly section: Selection<HTMLElement, unknown, null, undefined>;
  readonly count: Selection<HTMLSpanElement, unknown, null, undefined>;
  readonly path: Selection<HTMLOListElement, unknown, null, undefined>;
  readonly lanes: Selection<HTMLDivElement, unknown, null, undefined>;
  /** One line naming the empty lanes. */
  readonly empty: Selection<HTMLParagraphElement, unknown, null, undefined>;
  readonly note: Selection<HTMLParagraphElement, unknown, null, undefined>;
}

export function buildEventLoop(
  parent: Selection<HTMLElement, unknown, null, undefined>,
  actions: EventLoopActions,
): EventLoopParts {
  const section = parent.append('section').attr('class', 'ys-loop ys-pane').attr('aria-labelledby', 'ys-loop-heading');
  const head = section.append('div').attr('class', 'ys-section-head');
  const h2 = head.append('h2').attr('id', 'ys-loop-heading');
  h2.append('span').text('Event loop');
  const count = h2.append('span').attr('class', 'ys-count').attr('title', 'Items waiting');
  const pathRow = section.append('div').attr('class', 'ys-path-row');
  pathRow.append('span').attr('class', 'ys-path-label').text('Running now');
  const path = pathRow
    .append('ol')
    .attr('class', 'ys-path')
    .attr('aria-label', 'Running now, outermost first')
    .on('click', (event: MouseEvent) => {
      const button = event.target instanceof Element ? event.target.closest<HTMLElement>('button.ps-label') : null;
      const co = Number(button?.dataset['co']);
      if (Number.isSafeInteger(co) && co > 0) actions.select(co);
    });
  const lanes = section
    .append('div')
    .attr('class', 'ys-lanes')
    .on('keydown', (event: KeyboardEvent) => onItemKey(event, lanes.node()!, actions));
  lanes.on('click', (event: MouseEvent) => {
    const target = event.target instanceof Element ? event.target : null;
    if (!target || target.closest('.ys-site')) return;
    const item = target.closest<HTMLElement>('.ys-loop-item');
    if (!item) return;
    if (target.closest('.li-queued')) activate(item, actions, true);
    else activate(item, actions, false);
  });
  const empty = section.append('p').attr('class', 'ys-loop-empty');
  const note = section.append('p').attr('class', 'ys-note ys-loop-note');
  return { section, count, path, lanes, empty, note };
}

/** Moves the cursor to where the item runs (or, with `queued` or when that is not known, where it was queued). */
function activate(item: HTMLElement, actions: EventLoopActions, queued: boolean): void {
  const run = Number(item.dataset['run']);
  const seq = Number(item.dataset['seq']);
  const co = Number(item.dataset['co']);
  if (Number.isSafeInteger(co) && co > 0) actions.select(co);
  if (!queued && item.dataset['run'] !== '' && Number.isSafeInteger(run)) actions.seek(run);
  else if (Number.isSafeInteger(seq)) actions.seekSeq(seq);
}

function onItemKey(event: KeyboardEvent, root: HTMLElement, actions: EventLoopActions): void {
  const item = event.target instanceof HTMLElement ? event.target.closest<HTMLElement>('.ys-loop-item') : null;
  if (!item || event.target !== item) return;
  const lane = item.closest<HTMLElement>('.ys-lane')!;
  const items = [...lane.querySelectorAll<HTMLElement>('.ys-loop-item')];
  const lanes = [...root.querySelectorAll<HTMLElement>('.ys-lane')].filter((l) => l.querySelector('.ys-loop-item'));
  const at = items.indexOf(item);
  let next: HTMLElement | undefined;
  switch (event.key) {
    case 'ArrowRight':
      next = items[Math.min(items.length - 1, at + 1)];
      break;
    case 'ArrowLeft':
      next = items[Math.max(0, at - 1)];
      break;
    case 'Home':
      next = items[0];
      break;
    case 'End':
      next = items[items.length - 1];
      break;
    case 'ArrowDown':
    case 'ArrowUp': {
      const l = lanes.indexOf(lane) + (event.key === 'ArrowDown' ? 1 : -1);
      next = lanes[l]?.querySelector<HTMLElement>('.ys-loop-item') ?? undefined;
      break;
    }
    case 'Enter':
    case ' ':
      activate(item, actions, event.shiftKey);
      break;
    default:
      return;
  }
  event.preventDefault();
  if (next && next !== item) {
    item.tabIndex = -1;
    next.tabIndex = 0;
    next.focus();
  }
}

export function drawEventLoop(parts: EventLoopParts, view: EventLoopView | undefined, open: OpenSite): void {
  setText(parts.count, () => (view ? String(view.waiting) : ''));
  drawPath(parts, view?.path ?? [], open);
  const lanes = parts.lanes
    .selectAll<HTMLDivElement, LoopLaneView>('div.ys-lane')
    .data(view?.lanes ?? [], (d) => d.lane)
    .join((enter) => {
      const lane = enter.append('div').attr('class', (d) => `ys-lane lane-${d.lane}`);
      const head = lane.append('div').attr('class', 'ys-lane-head');
      head
        .append('span')
        .attr('class', 'ys-lane-name')
        .text((d) => d.label)
        .attr('title', (d) => d.hint);
      head.append('span').attr('class', 'ys-lane-count');
      lane
        .append('ul')
        .attr('class', 'ys-lane-items')
        .attr('aria-label', (d) => `${d.label}: ${d.hint}`);
      return lane;
    })
    .classed('is-empty', (d) => d.items.length === 0);
  setText(lanes.select('.ys-lane-count'), (d) => (d.total ? d.total.toLocaleString('en-US') : '—'));
  const items = lanes
    .select<HTMLUListElement>('ul')
    .selectAll<HTMLLIElement, LoopItemView>('li.ys-loop-item')
    .data(
      (d) => d.items,
      (d) => d.key,
    )
    .join((enter) => enterItem(enter.append('li').attr('class', 'ys-loop-item')))
    .classed('is-entered', (d) => d.entered)
    .classed('is-left', (d) => d.left)
    .classed('is-stranded', (d) => d.stranded);
  setAttr(items, 'data-seq', (d) => String(d.seq));
  setAttr(items, 'data-run', (d) => (d.runIndex === undefined ? '' : String(d.runIndex)));
  setAttr(items, 'data-co', (d) => (d.co === undefined ? '' : String(d.co)));
  setAttr(items, 'aria-label', (d) => `${d.title}. ${d.detail}. ${d.queuedBy}. ${d.resumes}.`);
  setAttr(
    items,
    'title',
    (d) =>
      `${d.title}: ${d.detail}; ${d.queuedBy}; ${d.resumes}.\nEnter: go to where it runs or resumes; Shift+Enter: where it was queued.`,
  );
  setText(items.select('.li-title'), (d) => d.title);
  setText(items.select('.li-detail'), (d) => d.detail);
  setText(items.select('.li-by-text'), (d) => d.queuedBy);
  drawSite(items.select<HTMLElement>('.li-site'), (d) => d.site, open, 'short');
  setText(items.select('.li-resumes'), (d) => d.resumes);
  setText(items.select('.li-queued'), (d) => `${d.parked ? 'awaited' : 'queued'} @${d.seq}`);
  items.order();
  // One tab stop per lane: the first item, unless one of them has focus.
  lanes.each(function () {
    const all = [...this.querySelectorAll<HTMLElement>('.ys-loop-item')];
    const focused = all.find((el) => el === document.activeElement);
    all.forEach((el, i) => (el.tabIndex = (focused ? el === focused : i === 0) ? 0 : -1));
  });
  const empty = view?.empty ?? [];
  setText(parts.empty, () =>
    !view
      ? ''
      : empty.length === view.lanes.length + empty.length
        ? 'Nothing waits: no callback queued, no await parked.'
        : `Empty: ${empty.join(', ')}.`,
  );
  parts.empty.classed('is-hidden', !view || empty.length === 0);
  const notes = view?.notes ?? [];
  setText(parts.note, () => notes.join(' '));
  parts.note.classed('is-hidden', notes.length === 0);
}

function enterItem(
  li: Selection<HTMLLIElement, LoopItemView, HTMLUListElement, LoopLaneView>,
): Selection<HTMLLIElement, LoopItemView, HTMLUListElement, LoopLaneView> {
  li.attr('role', 'listitem');
  const head = li.append('div').attr('class', 'li-head');
  head.append('span').attr('class', 'li-title');
  head
    .append('button')
    .attr('type', 'button')
    .attr('tabindex', -1)
    .attr('class', 'ys-link-button li-queued')
    .attr('title', 'Move the cursor to where it was queued (Shift+Enter)');
  li.append('div').attr('class', 'li-detail');
  const by = li.append('div').attr('class', 'li-by');
  by.append('span').attr('class', 'li-by-text');
  by.append('span').attr('class', 'li-site ys-site-slot');
  li.append('div').attr('class', 'li-resumes');
  return li;
}

function drawPath(parts: EventLoopParts, path: readonly PathStep[], open: OpenSite): void {
  const steps = parts.path
    .selectAll<HTMLLIElement, PathStep>('li.ys-path-step')
    .data(path, (d) => d.key)
    .join((enter) => {
      const li = enter.append('li').attr('class', 'ys-path-step');
      li.each(function (d) {
        // A coroutine on the path is a button that selects its card; the rest is text.
        const label = document.createElement(d.co === undefined ? 'span' : 'button');
        label.className = d.co === undefined ? 'ps-label' : 'ps-label ys-link-button';
        if (d.co !== undefined) {
          label.setAttribute('type', 'button');
          label.dataset['co'] = String(d.co);
          label.title = 'Select this coroutine';
        }
        this.append(label);
      });
      li.append('span').attr('class', 'ps-detail');
      li.append('span').attr('class', 'ps-site ys-site-slot');
      return li;
    });
  setAttr(steps, 'class', (d) => `ys-path-step ps-${d.kind}${d.current ? ' is-current' : ''}`);
  setAttr(steps, 'aria-current', (d) => (d.current ? 'step' : null));
  setText(steps.select('.ps-label'), (d) => d.label);
  setText(steps.select('.ps-detail'), (d) => d.detail);
  drawSite(steps.select<HTMLElement>('.ps-site'), (d) => d.site, open, 'short');
  steps.order();
}
