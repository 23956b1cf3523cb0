// The page's layout: the header and the scrubber on top; the Timeline, the Event loop and the Coroutines on the
// left; the Inspector, warnings, output, heap and Events on the right. Builds each view's elements in its place
// and hands back their parts for the app to draw. A new view goes here, in its place, and is drawn in
// `App.render`.

import { select } from 'd3-selection';
import { buildHeapChart, type HeapChartParts } from './render/heapChart';
import { buildCoroutines, type CoroutineActions, type CoroutineParts } from './render/coroutines';
import { buildEventLoop, type EventLoopActions, type EventLoopParts } from './render/eventLoop';
import { buildEvents, type EventParts } from './render/events';
import { buildHeader, type HeaderParts } from './render/header';
import { buildInspector, type InspectorParts } from './render/inspector';
import { buildOutput, type OutputParts } from './render/output';
import { buildScrubber, type ScrubberActions, type ScrubberParts } from './render/scrubber';
import { buildTimeline, type TimelineActions, type TimelineParts } from './render/timeline';
import { buildWarnings, type WarningParts } from './render/warnings';

export interface PageActions {
  readonly pickRecording: (id: string) => void;
  readonly scrubber: ScrubberActions;
  readonly timeline: TimelineActions;
  readonly loop: EventLoopActions;
  readonly coroutines: CoroutineActions;
  /** The Events list's "show all" (clears the selected coroutine), and a click on an event's seq. */
  readonly clearSelection: () => void;
  readonly seekSeq: (seq: number) => void;
}

export interface Page {
  readonly header: HeaderParts;
  readonly scrubber: ScrubberParts;
  readonly timeline: TimelineParts;
  readonly loop: EventLoopParts;
  readonly coroutines: CoroutineParts;
  readonly inspector: InspectorParts;
  readonly warnings: WarningParts;
  readonly output: OutputParts;
  readonly heap: HeapChartParts;
  readonly events: EventParts;
}

/** Empties `rootElement` and builds the page in it. */
export function buildPage(rootElement: HTMLElement, mode: string, actions: PageActions): Page {
  const root = select(rootElement).attr('aria-busy', null).classed(`mode-${mode}`, true);
  root.selectAll('*').remove();
  const header = buildHeader(root, actions.pickRecording);
  const scrubber = buildScrubber(root, actions.scrubber);
  const main = root.append('main').attr('class', 'ys-main');
  const left = main.append<HTMLElement>('div').attr('class', 'ys-left');
  const timeline = buildTimeline(left, actions.timeline);
  const loop = buildEventLoop(left, actions.loop);
  const coroutines = buildCoroutines(left, actions.coroutines);
  const side = main.append<HTMLElement>('div').attr('class', 'ys-side');
  const inspector = buildInspector(side);
  const warnings = buildWarnings(side);
  const output = buildOutput(side);
  const heap = buildHeapChart(side);
  const events = buildEvents(side, actions.clearSelection, actions.seekSeq);
  return { header, scrubber, timeline, loop, coroutines, inspector, warnings, output, heap, events };
}
