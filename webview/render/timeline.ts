// The Timeline: a canvas (SVG would choke on a million events) with a lane per coroutine over event number.
// Drag to pan, Ctrl+wheel or pinch (or the buttons, or + and - on the focused canvas) to zoom, wheel to scroll
// the lanes, click to move the cursor to the nearest event. Colours come from the theme's CSS variables. Names
// from the program are drawn as canvas text, never parsed as markup. A note says when marks stand for several
// events and which lanes are in view.

import type { Selection } from 'd3-selection';
import { zoom, zoomIdentity, type D3ZoomEvent, type ZoomBehavior, type ZoomTransform } from 'd3-zoom';
import type { TimelineLayout, TimelineViewport } from '../timelineLayout';
import { countText } from '../format';
import { setText } from './text';

export const LANE_HEIGHT = 18;
const LABEL_WIDTH = 150;

export interface TimelineActions {
  /** A click on the lane area: the event index under the pointer and the lane's coroutine. */
  readonly pick: (index: number, co: number | undefined) => void;
  /** The view moved or was resized: lay out again. */
  readonly changed: () => void;
}

export interface TimelineParts {
  readonly section: Selection<HTMLElement, unknown, null, undefined>;
  readonly canvas: Selection<HTMLCanvasElement, unknown, null, undefined>;
  readonly note: Selection<HTMLParagraphElement, unknown, null, undefined>;
  /** Current pan and zoom, over the fitted scale [0, events). */
  transform: ZoomTransform;
  top: number;
  readonly behavior: ZoomBehavior<HTMLCanvasElement, unknown>;
  /** The last layout drawn, to find what a click hit. */
  last: { layout: TimelineLayout; vp: TimelineViewport } | undefined;
  events: number;
  /** The canvas's size and the theme's colours, read before anything is drawn (see `timelineViewport`). */
  size: { w: number; h: number };
  colours: { key: string; get: (name: string) => string; font: string } | undefined;
}

export function buildTimeline(
  parent: Selection<HTMLElement, unknown, null, undefined>,
  actions: TimelineActions,
): TimelineParts {
  const section = parent.append('section').attr('class', 'ys-timeline').attr('aria-labelledby', 'ys-tl-heading');
  const head = section.append('div').attr('class', 'ys-section-head');
  head.append('h2').attr('id', 'ys-tl-heading').text('Timeline');
  const tools = head.append('div').attr('class', 'ys-tl-tools');
  const canvas = section
    .append('canvas')
    .attr('class', 'ys-tl-canvas')
    .attr('tabindex', 0)
    .attr('role', 'img')
    .attr(
      'aria-label',
      'Timeline: one lane per coroutine over event number. + and - zoom, PageUp and PageDown scroll.',
    );
  const note = section.append('p').attr('class', 'ys-note ys-tl-note').attr('aria-live', 'polite');
  const behavior = zoom<HTMLCanvasElement, unknown>()
    .scaleExtent([1, 1e6])
    // Wheel zooms only with Ctrl (a pinch on a touchpad sends that too); a plain wheel scrolls the lanes.
    .filter((event: Event) => (event.type === 'wheel' ? (event as WheelEvent).ctrlKey : !(event as MouseEvent).button))
    .on('zoom', (event: D3ZoomEvent<HTMLCanvasElement, unknown>) => {
      parts.transform = event.transform;
      actions.changed();
    });
  const parts: TimelineParts = {
    section,
    canvas,
    note,
    transform: zoomIdentity,
    top: 0,
    behavior,
    last: undefined,
    events: 0,
    size: { w: 0, h: 0 },
    colours: undefined,
  };
  canvas.call(behavior).on('dblclick.zoom', null);
  const zoomBy = (k: number): void => {
    canvas.call(behavior.scaleBy, k);
  };
  const button = (label: string, title: string, run: () => void): void => {
    tools
      .append('button')
      .attr('type', 'button')
      .attr('class', 'ys-button')
      .attr('title', title)
      .attr('aria-label', title)
      .text(label)
      .on('click', run);
  };
  button('+', 'Zoom in', () => zoomBy(2));
  button('−', 'Zoom out', () => zoomBy(0.5));
  button('Fit', 'Show all events', () => {
    canvas.call(behavior.transform, zoomIdentity);
  });
  canvas.on('wheel.lanes', (event: WheelEvent) => {
    if (event.ctrlKey) return;
    event.preventDefault();
    scrollLanes(parts, event.deltaY);
    actions.changed();
  });
  canvas.on('keydown', (event: KeyboardEvent) => {
    const keys: Record<string, () => void> = {
      '+': () => zoomBy(2),
      '=': () => zoomBy(2),
      '-': () => zoomBy(0.5),
      '0': () => {
        canvas.call(behavior.transform, zoomIdentity);
      },
      PageDown: () => scrollLanes(parts, laneArea(parts) * 0.8),
      PageUp: () => scrollLanes(parts, -laneArea(parts) * 0.8),
    };
    const run = keys[event.key];
    if (!run) return;
    event.preventDefault();
    run();
    actions.changed();
  });
  canvas.on('click', (event: MouseEvent) => {
    const hit = hitTest(parts, event.offsetX, event.offsetY);
    if (hit) actions.pick(hit.index, hit.co);
  });
  return parts;
}

function laneArea(parts: TimelineParts): number {
  return Math.max(LANE_HEIGHT, parts.size.h - 4);
}

function scrollLanes(parts: TimelineParts, dy: number): void {
  const max = Math.max(0, (parts.last?.layout.contentHeight ?? 0) - laneArea(parts));
  parts.top = Math.max(0, Math.min(max, parts.top + dy));
}

/** The viewport for the current zoom, size and scroll, over `events` events. */
export function timelineViewport(parts: TimelineParts, events: number): TimelineViewport {
  parts.events = events;
  const el = parts.canvas.node()!;
  // Read here, before the page is written to: reading sizes or styles after a write makes the browser lay out
  // the page in the middle of drawing it.
  parts.size = { w: el.clientWidth, h: el.clientHeight };
  // VS Code names its theme on the body and sets its colours in the root element's style.
  const theme = [
    document.body.className,
    document.body.dataset['vscodeThemeId'],
    document.documentElement.getAttribute('style')?.length,
    matchMedia('(prefers-color-scheme: dark)').matches,
  ].join(':');
  if (parts.colours?.key !== theme) {
    const style = getComputedStyle(el);
    const cache = new Map<string, string>();
    parts.colours = {
      key: theme,
      font: style.getPropertyValue('--ys-mono') || 'monospace',
      get: (name) => {
        let c = cache.get(name);
        if (c === undefined) cache.set(name, (c = style.getPropertyValue(name).trim() || '#888'));
        return c;
      },
    };
    // Every colour the drawing uses, now, while styles are clean.
    for (const name of [...Object.values(MARK_COLOURS), '--ys-green', '--ys-fg', '--ys-muted', '--ys-border'])
      parts.colours.get(name);
    for (const name of ['--ys-selected', '--ys-focus']) parts.colours.get(name);
  }
  const width = Math.max(10, parts.size.w - LABEL_WIDTH);
  // Panning stops at the first and the last event.
  parts.behavior.translateExtent([
    [0, -Infinity],
    [parts.size.w, Infinity],
  ]);
  const t = parts.transform;
  // The fitted scale maps [0, events) onto [0, width); the zoom transform maps that onto the screen.
  const span = Math.max(1, events);
  const from = ((0 - t.x) / t.k / width) * span;
  const to = ((width - t.x) / t.k / width) * span;
  return { from, to, width, top: parts.top, height: laneArea(parts), laneHeight: LANE_HEIGHT };
}

function hitTest(parts: TimelineParts, px: number, py: number): { index: number; co: number | undefined } | undefined {
  const last = parts.last;
  if (!last || px < LABEL_WIDTH) return undefined;
  const x = px - LABEL_WIDTH;
  const lane = last.layout.lanes.find((l) => py >= l.y && py < l.y + LANE_HEIGHT);
  const vp = last.vp;
  // The nearest mark in the lane under the pointer, else the event under the pointer.
  let best: number | undefined;
  let bestDist = 8;
  for (const m of lane?.marks ?? []) {
    const d = Math.abs(m.x - x);
    if (d < bestDist) {
      bestDist = d;
      best = m.index;
    }
  }
  const index = best ?? Math.round(vp.from + (x / vp.width) * (vp.to - vp.from) - 0.5);
  return { index: Math.max(0, Math.min(parts.events - 1, index)), co: lane?.co };
}

const MARK_COLOURS: Record<string, string> = {
  resume: '--ys-green',
  yield: '--ys-yellow',
  await: '--ys-blue',
  return: '--ys-muted',
  throw: '--ys-red',
  reenter: '--ys-red',
  create: '--ys-blue',
  delegate: '--ys-purple',
  output: '--ys-fg',
  end: '--ys-fg',
  dropped: '--ys-red',
  many: '--ys-fg',
};

export function drawTimeline(parts: TimelineParts, layout: TimelineLayout, vp: TimelineViewport): void {
  parts.last = { layout, vp };
  const el = parts.canvas.node()!;
  const ratio = window.devicePixelRatio || 1;
  const { w, h } = parts.size;
  if (el.width !== Math.round(w * ratio) || el.height !== Math.round(h * ratio)) {
    el.width = Math.round(w * ratio);
    el.height = Math.round(h * ratio);
  }
  const g = el.getContext('2d');
  if (!g) return;
  const colours = parts.colours;
  const colour = (name: string): string => colours?.get(name) ?? '#888';
  g.setTransform(ratio, 0, 0, ratio, 0, 0);
  g.clearRect(0, 0, w, h);
  g.font = `11px ${colours?.font ?? 'monospace'}`;
  g.textBaseline = 'middle';
  const running = colour('--ys-green');
  const fg = colour('--ys-fg');
  const muted = colour('--ys-muted');
  const border = colour('--ys-border');
  const selectedBg = colour('--ys-selected');
  const markColour = new Map(Object.entries(MARK_COLOURS).map(([k, v]) => [k, colour(v)]));
  for (const lane of layout.lanes) {
    const mid = lane.y + LANE_HEIGHT / 2;
    if (lane.selected) {
      g.fillStyle = selectedBg;
      g.fillRect(0, lane.y, w, LANE_HEIGHT);
    }
    g.fillStyle = lane.selected ? fg : muted;
    g.fillText(clipText(g, lane.label, LABEL_WIDTH - 8), 4, mid);
    g.strokeStyle = border;
    g.lineWidth = 1;
    g.beginPath();
    g.moveTo(LABEL_WIDTH, Math.round(mid) + 0.5);
    g.lineTo(w, Math.round(mid) + 0.5);
    g.stroke();
    g.globalAlpha = 0.35;
    g.fillStyle = running;
    for (const s of lane.spans) {
      g.fillRect(LABEL_WIDTH + s.x0, lane.y + 3, Math.max(1, s.x1 - s.x0), LANE_HEIGHT - 6);
    }
    g.globalAlpha = 1;
    for (const m of lane.marks) {
      g.fillStyle = markColour.get(m.kind) ?? fg;
      const x = LABEL_WIDTH + m.x;
      if (m.kind === 'many') g.fillRect(Math.floor(x), lane.y + 5, 1, LANE_HEIGHT - 10);
      else g.fillRect(x - 1.5, lane.y + 4, 3, LANE_HEIGHT - 8);
    }
  }
  if (layout.cursorX !== undefined) {
    g.fillStyle = colour('--ys-focus');
    g.fillRect(LABEL_WIDTH + layout.cursorX - 1, 0, 2, h);
  }
  const notes: string[] = [];
  if (layout.aggregated) {
    notes.push(
      `About ${Math.round(layout.density).toLocaleString('en-US')} events per pixel: each mark may stand for several events; zoom in to see them one by one.`,
    );
  }
  if (layout.totalLanes > layout.lanes.length && layout.lanes.length > 0) {
    const first = layout.firstLane + 1;
    notes.push(
      `Lanes ${first.toLocaleString('en-US')}–${(first + layout.lanes.length - 1).toLocaleString('en-US')} of ${countText(layout.totalLanes, 'lane')}; scroll for more.`,
    );
  }
  if (layout.totalLanes === 0) notes.push('No events yet.');
  setText(parts.note, () => notes.join(' '));
  parts.note.classed('is-hidden', notes.length === 0);
  parts.canvas.attr('data-aggregated', String(layout.aggregated)).attr('data-lanes', String(layout.lanes.length));
}

/** Zooms out to show every event. */
export function fitTimeline(parts: TimelineParts): void {
  parts.canvas.call(parts.behavior.transform, zoomIdentity);
}

function clipText(g: CanvasRenderingContext2D, text: string, max: number): string {
  if (g.measureText(text).width <= max) return text;
  let lo = 0;
  let hi = text.length;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (g.measureText(`${text.slice(0, mid)}…`).width <= max) lo = mid;
    else hi = mid - 1;
  }
  return `${text.slice(0, lo)}…`;
}
