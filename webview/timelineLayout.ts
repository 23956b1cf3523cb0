// Layout of the Timeline: one lane per coroutine over event number, running spans (from a resumption to the
// yield, await, return or throw that ends it) and a mark per event. Only the lanes and the events in view are
// laid out; when there are more events than pixels, each pixel column gets one mark and the layout says so, so
// the view can tell the reader it aggregates. Pure; no DOM.

import { lowerBound } from '../src/model/eventStore';
import type { EventStore } from '../src/model/eventStore';
import type { CoroutineId, TraceEventKind } from '../src/protocol/trace';

export interface TimelineViewport {
  /** Event index at the left edge and at the right edge (fractions allowed while zoomed). */
  readonly from: number;
  readonly to: number;
  /** Width of the lane area, in pixels. */
  readonly width: number;
  /** Pixels scrolled down through the lanes. */
  readonly top: number;
  readonly height: number;
  readonly laneHeight: number;
}

export interface LaneMark {
  readonly x: number;
  readonly kind: TraceEventKind | 'many';
  /** The event's index (the first of the column's events when aggregated). */
  readonly index: number;
}

export interface LaneView {
  readonly co: CoroutineId;
  readonly label: string;
  /** Top of the lane, relative to the lane area. */
  readonly y: number;
  readonly spans: readonly { readonly x0: number; readonly x1: number }[];
  readonly marks: readonly LaneMark[];
  readonly selected: boolean;
}

export interface TimelineLayout {
  readonly lanes: readonly LaneView[];
  readonly totalLanes: number;
  readonly firstLane: number;
  /** Events per pixel at this zoom. */
  readonly density: number;
  /** Some lane in view had more events than pixels, so marks stand for several events. */
  readonly aggregated: boolean;
  /** Where the cursor's event is, or undefined when it is out of view. */
  readonly cursorX: number | undefined;
  /** Height of all lanes together, for the scroll range. */
  readonly contentHeight: number;
}

/** Kinds that end a running span. */
const PAUSES = new Set<TraceEventKind>(['yield', 'await', 'return', 'throw']);

type Store = Pick<EventStore, 'length' | 'kindAt' | 'eventsOf'>;

export function layoutTimeline(
  store: Store,
  lanes: readonly CoroutineId[],
  label: (co: CoroutineId) => string,
  vp: TimelineViewport,
  cursor: number,
  selected: CoroutineId | undefined,
): TimelineLayout {
  const span = Math.max(vp.to - vp.from, 1e-9);
  const xOf = (i: number): number => ((i + 0.5 - vp.from) / span) * vp.width;
  const density = span / Math.max(1, vp.width);
  const first = Math.max(0, Math.floor(vp.top / vp.laneHeight));
  const last = Math.min(lanes.length - 1, Math.floor((vp.top + vp.height - 1) / vp.laneHeight));
  const lo = Math.max(0, Math.floor(vp.from) - 1);
  const hi = Math.min(store.length - 1, Math.ceil(vp.to) + 1);
  let aggregated = false;
  const out: LaneView[] = [];
  for (let l = first; l <= last; l++) {
    const co = lanes[l]!;
    const events = store.eventsOf(co);
    const start = lowerBound(events, lo);
    const end = lowerBound(events, hi + 1);
    // Running at the left edge when its last event before the view resumed it.
    const before = start > 0 ? store.kindAt(events[start - 1]!) : undefined;
    const runningAtStart = before === 'resume';
    const many = end - start > vp.width;
    aggregated ||= many;
    const { spans, marks } = many
      ? aggregate(store, events, start, end, runningAtStart, vp)
      : exact(store, events, start, end, runningAtStart, vp, xOf);
    out.push({ co, label: label(co), y: l * vp.laneHeight - vp.top, spans, marks, selected: co === selected });
  }
  const cx = cursor >= 0 ? xOf(cursor) : undefined;
  return {
    lanes: out,
    totalLanes: lanes.length,
    firstLane: first,
    density,
    aggregated,
    cursorX: cx !== undefined && cx >= 0 && cx <= vp.width ? cx : undefined,
    contentHeight: lanes.length * vp.laneHeight,
  };
}

type Spans = { x0: number; x1: number }[];

function exact(
  store: Store,
  events: readonly number[],
  start: number,
  end: number,
  running: boolean,
  vp: TimelineViewport,
  xOf: (i: number) => number,
): { spans: Spans; marks: LaneMark[] } {
  const spans: Spans = [];
  const marks: LaneMark[] = [];
  let open: number | undefined = running ? 0 : undefined;
  for (let k = start; k < end; k++) {
    const index = events[k]!;
    const kind = store.kindAt(index);
    const x = xOf(index);
    marks.push({ x, kind, index });
    if (kind === 'resume' && open === undefined) open = x;
    else if (PAUSES.has(kind) && open !== undefined) {
      spans.push({ x0: open, x1: x });
      open = undefined;
    }
  }
  if (open !== undefined) spans.push({ x0: open, x1: vp.width });
  return { spans, marks };
}

/** One mark per pixel column with events, and running spans at pixel resolution. */
function aggregate(
  store: Store,
  events: readonly number[],
  start: number,
  end: number,
  running: boolean,
  vp: TimelineViewport,
): { spans: Spans; marks: LaneMark[] } {
  const spans: Spans = [];
  const marks: LaneMark[] = [];
  const span = vp.to - vp.from;
  let open: number | undefined = running ? 0 : undefined;
  let k = start;
  for (let px = 0; px < vp.width && k < end; px++) {
    // Events whose index falls in this pixel column.
    const limit = vp.from + ((px + 1) * span) / vp.width - 0.5;
    const first = k;
    k = Math.max(k, lowerBound(events, Math.floor(limit) + 1));
    if (k > end) k = end;
    if (k === first) continue;
    const index = events[first]!;
    marks.push({ x: px + 0.5, kind: k - first === 1 ? store.kindAt(index) : 'many', index });
    // The column's last event decides whether the lane runs on from here.
    const lastKind = store.kindAt(events[k - 1]!);
    if (open === undefined && (lastKind === 'resume' || k - first > 1)) open = px;
    if (open !== undefined && PAUSES.has(lastKind)) {
      spans.push({ x0: open, x1: px + 1 });
      open = undefined;
    }
  }
  if (open !== undefined) spans.push({ x0: open, x1: vp.width });
  return { spans, marks };
}
