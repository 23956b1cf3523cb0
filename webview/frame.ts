// Drawing the views that show the state at the cursor, one function per group, over plain inputs: the Timeline,
// the Event loop, and the Inspector with the warnings and the output. The app decides when each is drawn (see
// `App.render`); these only turn the state into layouts and hand them to the renderers.

import type { CoroutineModel } from '../src/model/coroutines';
import type { CoroutineId } from '../src/protocol/trace';
import { layoutEventLoop } from './eventLoop';
import { coroutineLabel } from './format';
import { inspectorView } from './inspector';
import type { Page } from './page';
import type { Recording } from './recording';
import { layoutTimeline, type TimelineViewport } from './timelineLayout';
import type { ViewCaches } from './viewCaches';
import { drawEventLoop } from './render/eventLoop';
import { drawInspector } from './render/inspector';
import { drawOutput } from './render/output';
import type { OpenSite } from './render/siteLink';
import { drawTimeline } from './render/timeline';
import { drawWarnings } from './render/warnings';

/** Most items drawn in one lane of the Event loop (a lane shows a few at a time); the rest are counted. */
const LOOP_ITEMS = 16;
/** Most warnings listed: the newest up to the cursor. */
const WARNING_ROWS = 40;

/** What the views drawn here show: the recording, the state at the cursor, and what is selected. */
export interface FrameState {
  readonly rec: Recording | undefined;
  readonly model: CoroutineModel | undefined;
  readonly index: number;
  readonly selected: CoroutineId | undefined;
}

export interface FrameLinks {
  readonly open: OpenSite;
  readonly seek: (index: number) => void;
  readonly seekSeq: (seq: number) => void;
}

const EMPTY_STORE = { length: 0, kindAt: () => 'end' as const, eventsOf: () => [] };

export function drawTimelineOf(page: Page, caches: ViewCaches, s: FrameState, vp: TimelineViewport): void {
  const rec = s.rec;
  if (!rec) {
    drawTimeline(page.timeline, layoutTimeline(EMPTY_STORE, [], String, vp, -1, undefined), vp);
    return;
  }
  const lanes = caches.laneOrder(rec);
  const label = (co: number): string => (co === 0 ? 'program' : coroutineLabel(rec.model, co));
  drawTimeline(page.timeline, layoutTimeline(rec.history.store, lanes, label, vp, s.index, s.selected), vp);
}

export function drawLoopOf(page: Page, caches: ViewCaches, s: FrameState, open: OpenSite): void {
  const { rec, model, index } = s;
  const layout =
    rec && model
      ? layoutEventLoop({
          queues: rec.history.queuesAt(index),
          model,
          store: rec.history.store,
          trace: rec.trace,
          cwd: rec.cwd,
          index,
          perLane: LOOP_ITEMS,
          memo: caches.loopMemo(rec),
        })
      : undefined;
  drawEventLoop(page.loop, layout, open);
}

export function drawInspectorOf(page: Page, s: FrameState, links: FrameLinks): void {
  const rec = s.rec;
  // The inspector reads the state just before the cursor through the state at it: no second seek.
  const view = rec
    ? inspectorView(rec.history, rec.trace, rec.cwd, s.index, s.selected)
    : { event: undefined, coroutine: undefined };
  drawInspector(page.inspector, view, links.open, links.seek);
}

export function drawNotesOf(page: Page, caches: ViewCaches, s: FrameState, links: FrameLinks): void {
  const { rec, model } = s;
  // The newest warnings up to the cursor; the older ones are counted.
  const all = model ? model.warnings.concat(caches.endWarnings(rec, model, s.index)) : [];
  const warnings = all.slice(-WARNING_ROWS);
  const older = (rec?.forgottenWarnings ?? 0) + all.length - warnings.length;
  drawWarnings(page.warnings, warnings, older, links.seekSeq);
  drawOutput(page.output, model?.output ?? [], links.seekSeq);
}
