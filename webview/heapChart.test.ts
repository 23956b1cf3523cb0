// Unit tests of the Heap chart's layout (no DOM): where the samples go, the scale's top, the cursor, the words.

import assert from 'node:assert/strict';
import { HeapSeries } from '../src/model/heap';
import type { HeapSample } from '../src/protocol/trace';
import { CHART_HEIGHT, CHART_WIDTH, layoutHeapChart } from './heapChart';

const MB = 1048576;

function series(points: ReadonlyArray<readonly [number, number]>): HeapSeries {
  const s = new HeapSeries();
  s.add(points.map(([time, mb]): HeapSample => ({ time, seq: 0, used: mb * MB, total: mb * MB, rss: mb * MB })));
  return s;
}

/** The points of an SVG path made of M and L commands. */
function points(d: string): number[][] {
  return d
    .slice(1)
    .split('L')
    .map((p) => p.split(',').map(Number));
}

describe('webview heap chart layout', () => {
  it('spans time across and the heap up, to a round top above the peak', () => {
    const layout = layoutHeapChart(
      series([
        [0, 5],
        [500, 6],
        [750, 31.5],
        [1000, 10],
      ]),
      undefined,
    );
    assert.equal(layout.top, '50.0 MB');
    assert.equal(layout.end, '1.00 s');
    const pts = points(layout.line);
    assert.equal(pts.length, 4);
    assert.deepEqual(pts[0], [0, CHART_HEIGHT - (5 / 50) * (CHART_HEIGHT - 2)]);
    assert.deepEqual(
      pts.map((p) => p[0]),
      [0, CHART_WIDTH / 2, (CHART_WIDTH * 3) / 4, CHART_WIDTH],
    );
    const highest = pts.reduce((a, b) => (b[1]! < a[1]! ? b : a));
    assert.equal(highest[0], (CHART_WIDTH * 3) / 4, 'the peak is the highest point');
    assert.equal(layout.cursorX, undefined);
  });

  it('puts the cursor at its moment and describes the samples up to it', () => {
    const s = series([
      [0, 5],
      [500, 6],
      [750, 31.5],
      [1000, 10],
    ]);
    const layout = layoutHeapChart(s, 600);
    assert.equal(layout.cursorX, (CHART_WIDTH * 600) / 1000);
    assert.match(layout.description, /^Heap in use: 6\.0 MB at 500 ms \(2 samples\); lowest 5\.0 MB, highest 6\.0 MB/);
  });

  it('draws a single sample, and nothing at all for none', () => {
    assert.equal(points(layoutHeapChart(series([[3, 2]]), 3).line).length, 1);
    const empty = layoutHeapChart(new HeapSeries(), undefined);
    assert.equal(empty.line, '');
    assert.equal(empty.description, 'Heap: no sample yet.');
  });
});
