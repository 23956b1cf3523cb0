// The Heap chart beside the events (layout in ../heapChart.ts): the heap in use over time as a line over a filled
// area, the moment of the event at the cursor marked and what comes after it dimmed, the scale's top and the time
// span as labels, and the description in words below (and as the tooltip). Hidden when the recording has no heap
// samples. The drawing has a fixed coordinate system stretched to the pane by CSS, so nothing is measured; colours
// come from theme variables (styles/heap.css); every text is set with .text(), never parsed.

import type { Selection } from 'd3-selection';
import type { HeapSeries } from '../../src/model/heap';
import type { Trace } from '../../src/protocol/trace';
import { CHART_HEIGHT, CHART_WIDTH, layoutHeapChart, seriesOf } from '../heapChart';

type Section = Selection<HTMLElement, unknown, null, undefined>;

export interface HeapChartParts {
  readonly section: Section;
  readonly svg: Selection<SVGSVGElement, unknown, null, undefined>;
  readonly area: Selection<SVGPathElement, unknown, null, undefined>;
  readonly line: Selection<SVGPathElement, unknown, null, undefined>;
  readonly future: Selection<SVGRectElement, unknown, null, undefined>;
  readonly cursor: Selection<SVGLineElement, unknown, null, undefined>;
  readonly labels: { readonly top: Section; readonly start: Section; readonly end: Section };
  readonly description: Selection<HTMLParagraphElement, unknown, null, undefined>;
  /** The series of each recording, fed from its decoder (see `seriesOf`). */
  readonly series: WeakMap<object, HeapSeries>;
  /** What was drawn last, so that a frame that only moves the cursor writes only the cursor. */
  drawn: { series: HeapSeries; length: number } | undefined;
}

export function buildHeapChart(parent: Section): HeapChartParts {
  const section = parent
    .append('section')
    .attr('class', 'ys-heap is-hidden')
    .attr('aria-labelledby', 'ys-heap-heading');
  section.append('div').attr('class', 'ys-section-head').append('h2').attr('id', 'ys-heap-heading').text('Heap');
  const figure = section.append<HTMLElement>('div').attr('class', 'ys-heap-figure');
  const top = figure.append<HTMLElement>('span').attr('class', 'ys-heap-label ys-heap-top');
  const svg = figure
    .append('svg')
    .attr('class', 'ys-heap-svg')
    .attr('viewBox', `0 0 ${CHART_WIDTH} ${CHART_HEIGHT}`)
    .attr('preserveAspectRatio', 'none')
    .attr('role', 'img')
    .attr('aria-describedby', 'ys-heap-description');
  const area = svg.append('path').attr('class', 'ys-heap-area');
  const line = svg.append('path').attr('class', 'ys-heap-line');
  const future = svg.append('rect').attr('class', 'ys-heap-future').attr('y', 0).attr('height', CHART_HEIGHT);
  const cursor = svg.append('line').attr('class', 'ys-heap-cursor').attr('y1', 0).attr('y2', CHART_HEIGHT);
  const axis = figure.append<HTMLElement>('div').attr('class', 'ys-heap-axis');
  const start = axis.append<HTMLElement>('span').attr('class', 'ys-heap-label');
  const end = axis.append<HTMLElement>('span').attr('class', 'ys-heap-label');
  const description = section
    .append('p')
    .attr('class', 'ys-note ys-heap-description')
    .attr('id', 'ys-heap-description');
  return {
    section,
    svg,
    area,
    line,
    future,
    cursor,
    labels: { top, start, end },
    description,
    series: new WeakMap(),
    drawn: undefined,
  };
}

/** Draws the chart of `recording` at the moment `cursorTime` (ms), or hides it when it has no samples. */
export function drawHeapChart(
  parts: HeapChartParts,
  recording: { readonly trace: Trace } | undefined,
  cursorTime: number | undefined,
): void {
  const series = recording ? seriesOf(parts.series, recording, recording.trace) : undefined;
  parts.section.classed('is-hidden', !series || series.length === 0);
  if (!series || series.length === 0) {
    parts.drawn = undefined;
    return;
  }
  const layout = layoutHeapChart(series, cursorTime);
  if (parts.drawn?.series !== series || parts.drawn.length !== series.length) {
    parts.area.attr('d', layout.area);
    parts.line.attr('d', layout.line);
    parts.labels.top.text(layout.top);
    parts.labels.start.text(layout.start);
    parts.labels.end.text(layout.end);
    parts.drawn = { series, length: series.length };
  }
  const x = layout.cursorX;
  parts.cursor
    .classed('is-hidden', x === undefined)
    .attr('x1', x ?? 0)
    .attr('x2', x ?? 0);
  parts.future
    .classed('is-hidden', x === undefined)
    .attr('x', x ?? 0)
    .attr('width', Math.max(0, CHART_WIDTH - (x ?? 0)));
  parts.svg.attr('aria-label', `Heap in use over time, up to ${layout.top}`);
  parts.description.text(layout.description);
  parts.section.attr('title', layout.description);
}
