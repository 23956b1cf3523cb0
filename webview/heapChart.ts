// The Heap chart's layout: the program's V8 heap in use over the recording's time (Heap records, taken by the
// tracer when YIELDSCOPE_HEAP_MS is set) placed in the chart's own units, the moment of the event at the cursor,
// the labels, and a sentence that says the same for screen readers. Pure (checked in Node without a DOM);
// render/heapChart.ts draws it. Also where a recording's samples move from its decoder into a bounded series.

import { scaleLinear } from 'd3-scale';
import { area, line } from 'd3-shape';
import { HeapSeries, describeHeap, megabytes } from '../src/model/heap';
import type { HeapSample, Trace } from '../src/protocol/trace';

/** The drawing's own units: the SVG's viewBox. */
export const CHART_WIDTH = 300;
export const CHART_HEIGHT = 60;

export interface HeapChartLayout {
  /** The line of the heap in use, and the area under it (SVG path data). */
  readonly line: string;
  readonly area: string;
  /** Where the cursor's moment is, in chart units (undefined: no cursor). */
  readonly cursorX: number | undefined;
  readonly top: string;
  readonly start: string;
  readonly end: string;
  readonly description: string;
}

/** Places the samples: time across (0 to the latest sample), heap in use up (0 to the highest, rounded up). */
export function layoutHeapChart(series: HeapSeries, cursorTime: number | undefined): HeapChartLayout {
  const samples = series.samples;
  const last = samples[samples.length - 1];
  const endTime = Math.max(last?.time ?? 0, 1);
  const peak = series.summary()?.maxUsed ?? 0;
  const top = niceMegabytes(peak);
  const x = scaleLinear().domain([0, endTime]).range([0, CHART_WIDTH]).clamp(true);
  const y = scaleLinear().domain([0, top]).range([CHART_HEIGHT, 2]).clamp(true);
  const px = (s: HeapSample): number => round(x(s.time));
  const py = (s: HeapSample): number => round(y(s.used));
  return {
    line: line<HeapSample>().x(px).y(py)(samples as HeapSample[]) ?? '',
    area: area<HeapSample>().x(px).y0(CHART_HEIGHT).y1(py)(samples as HeapSample[]) ?? '',
    cursorX: cursorTime === undefined ? undefined : round(x(cursorTime)),
    top: megabytes(top),
    start: '0 ms',
    end: timeText(endTime),
    description: describeHeap(series, cursorTime),
  };
}

/** The top of the scale: the peak rounded up to 1, 2 or 5 × a power of ten megabytes. */
function niceMegabytes(bytes: number): number {
  const mb = Math.max(bytes / 1048576, 1);
  const power = 10 ** Math.floor(Math.log10(mb));
  const step = [1, 2, 5, 10].find((m) => m * power >= mb) ?? 10;
  return step * power * 1048576;
}

function timeText(ms: number): string {
  return ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${Math.round(ms)} ms`;
}

function round(n: number): number {
  return Math.round(n * 100) / 100;
}

/**
 * The heap series of a recording. The decoder collects Heap records in its trace; they move from there into a
 * bounded series (the decoder's list is emptied, as the recording does with its events), once per recording.
 */
export function seriesOf(kept: WeakMap<object, HeapSeries>, recording: object, trace: Trace): HeapSeries {
  let series = kept.get(recording);
  if (!series) {
    series = new HeapSeries();
    kept.set(recording, series);
  }
  if (trace.heap && trace.heap.length > 0) {
    series.add(trace.heap);
    trace.heap.length = 0;
  }
  return series;
}
