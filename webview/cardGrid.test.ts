// Unit tests of where the Coroutines view puts its stacks and edges, in Node without a DOM: lone cards fill a
// grid, a yield* chain takes a row, only the stacks in a band are found, and the edges between cards (awaits,
// resumed by, the running path) run between the right cards.

import assert from 'node:assert/strict';
import { CoroutineModel, modelAt } from '../src/model/coroutines';
import { traceOf } from '../src/model/syntheticTrace';
import type { TraceEvent } from '../src/protocol/trace';
import { boxOf, cardBoxes, edgePaths, placeStacks, visibleStacks, type GridMetrics } from './cardGrid';
import { cardEdges, layoutStacks } from './cards';

const m: GridMetrics = { width: 820, minCardWidth: 250, cardHeight: 100, linkHeight: 20, indent: 22, gap: 20 };

describe('card grid', () => {
  it('puts lone cards in a grid and gives a yield* chain its own row', () => {
    const sizes = [1, 1, 1, 1, 3, 1];
    const grid = placeStacks(sizes.length, (i) => sizes[i]!, m);
    assert.equal(grid.columns, 3);
    const cell = (820 - 2 * 20) / 3;
    const boxes = sizes.map((_, i) => boxOf(grid, i));
    assert.deepEqual(
      boxes.map((b) => [Math.round(b.x), b.y, Math.round(b.width), b.height]),
      [
        [0, 0, Math.round(cell), 100],
        [Math.round(cell + 20), 0, Math.round(cell), 100],
        [Math.round(2 * (cell + 20)), 0, Math.round(cell), 100],
        [0, 120, Math.round(cell), 100],
        // The chain starts a new row: 3 cards and 2 links.
        [0, 240, 820, 340],
        [0, 600, Math.round(cell), 100],
      ],
    );
    assert.equal(grid.total, 700);
  });

  it('finds the stacks in a band, however many there are', () => {
    const n = 30_000;
    const grid = placeStacks(n, () => 1, m);
    assert.equal(grid.total, 10_000 * 120 - 20);
    const { from, to } = visibleStacks(grid, 600_000, 600_500);
    // Rows 5000 to 5004 meet the band: 3 stacks each.
    assert.deepEqual([from, to], [5000 * 3, 5005 * 3]);
    assert.deepEqual(visibleStacks(grid, -100, -1), { from: 0, to: 0 });
    assert.deepEqual(
      visibleStacks(
        placeStacks(0, () => 1, m),
        0,
        100,
      ),
      { from: 0, to: 0 },
    );
  });

  it('places each card of a chain below the one that delegates to it, indented', () => {
    const boxes = cardBoxes([4, 5, 6], { x: 0, y: 240, width: 820, height: 340 }, m);
    assert.deepEqual(
      boxes.map((b) => [b.id, b.x, b.y, b.width]),
      [
        [4, 0, 240, 820],
        [5, 22, 360, 798],
        [6, 44, 480, 776],
      ],
    );
  });
});

describe('edges between cards', () => {
  const u = { type: 'undefined', text: 'undefined' } as const;
  type Body = TraceEvent extends infer E ? (E extends TraceEvent ? Omit<E, 'seq' | 'time'> : never) : never;
  // A scheduler (co 1) resumes task (co 2), which is running; main (co 3) awaits fetchData (co 4).
  const trace = traceOf(
    (
      [
        { kind: 'create', co: 1, site: 1, parent: 0, coKind: 'generator', args: [] },
        { kind: 'create', co: 2, site: 1, parent: 0, coKind: 'generator', args: [] },
        { kind: 'create', co: 3, site: 8, parent: 0, coKind: 'async', args: [] },
        { kind: 'resume', co: 3, mode: 'next', value: u, resumer: 0 },
        { kind: 'create', co: 4, site: 8, parent: 3, coKind: 'async', args: [] },
        { kind: 'resume', co: 4, mode: 'next', value: u, resumer: 3 },
        { kind: 'await', co: 4, site: 9, target: 0, value: { type: 'promise', text: 'Promise' } },
        { kind: 'await', co: 3, site: 9, target: 4, value: { type: 'promise', text: 'Promise' } },
        { kind: 'resume', co: 1, mode: 'next', value: u, resumer: 0 },
        { kind: 'resume', co: 2, mode: 'next', value: u, resumer: 1 },
      ] as Body[]
    ).map((b, seq) => ({ ...b, seq, time: seq }) as TraceEvent),
  );
  const model = modelAt(trace);

  it('joins an await to the coroutine awaited, and a live coroutine to the one that resumed it', () => {
    assert.deepEqual(cardEdges(model, [1, 2, 3, 4]), [
      { from: 1, to: 2, kind: 'resumed-by', active: true },
      { from: 3, to: 4, kind: 'awaits', active: false },
      // fetchData was first resumed by main, which called it: a live coroutine keeps that edge.
      { from: 3, to: 4, kind: 'resumed-by', active: false },
    ]);
    assert.deepEqual(cardEdges(new CoroutineModel(trace), [1]), []);
  });

  it('says the same on the cards, with the step of each on the running path', () => {
    const layout = layoutStacks(model, { trace, cwd: '', hideFinished: false, selected: undefined, limit: 100 });
    const cards = layout.stacks.flatMap((s) => s.cards);
    assert.deepEqual(
      cards.map((c) => [c.id, c.relation, c.relationTo, c.pathStep]),
      [
        [1, '', undefined, 1],
        [2, 'resumed by producer#1', 1, 2],
        [3, 'awaits fetchData#4', 4, undefined],
        [4, 'resumed by fetchData#3', 3, undefined],
      ],
    );
  });

  it('draws an edge only between cards that are both drawn', () => {
    const boxes = new Map([
      [1, { id: 1, x: 0, y: 0, width: 200, height: 100 }],
      [2, { id: 2, x: 300, y: 0, width: 200, height: 100 }],
      [3, { id: 3, x: 0, y: 150, width: 200, height: 100 }],
    ]);
    const paths = edgePaths(
      [
        { from: 1, to: 2, kind: 'resumed-by', active: true },
        { from: 1, to: 3, kind: 'awaits', active: false },
        { from: 2, to: 9, kind: 'awaits', active: false },
      ],
      boxes,
    );
    assert.deepEqual(
      paths.map((p) => [p.key, p.d]),
      [
        // Side by side: from the right side of one to the left side of the other.
        ['resumed-by:1:2', 'M200,68 C250,68 250,68 300,68'],
        // One above the other: from the bottom edge to the top edge.
        ['awaits:1:3', 'M64,100 C64,125 64,125 64,150'],
      ],
    );
  });
});
