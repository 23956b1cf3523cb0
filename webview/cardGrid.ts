// Where each yield* stack of the Coroutines view goes, so that only the stacks in view are drawn (tens of
// thousands of coroutines would otherwise make the page lay out every card on every frame), and where the edges
// between cards run. Cards have one fixed height; a lone card takes one cell of a grid, a yield* chain a whole
// row, each card below the one that delegates to it and indented by its depth. Pure arithmetic; no DOM.

import type { CoroutineId } from '../src/protocol/trace';

export interface GridMetrics {
  /** Width of the area, in pixels. */
  readonly width: number;
  readonly minCardWidth: number;
  readonly cardHeight: number;
  /** Height of the connector between a delegating card and its delegate. */
  readonly linkHeight: number;
  /** Indentation of each level of a chain. */
  readonly indent: number;
  readonly gap: number;
}

export interface StackBox {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

/** Where every stack goes, as columns (tens of thousands of stacks: no object per stack). */
export interface Grid {
  readonly count: number;
  readonly x: Float64Array;
  readonly y: Float64Array;
  readonly width: Float64Array;
  readonly height: Float64Array;
  /** Height of the whole area. */
  readonly total: number;
  readonly columns: number;
}

export function boxOf(grid: Grid, i: number): StackBox {
  return { x: grid.x[i]!, y: grid.y[i]!, width: grid.width[i]!, height: grid.height[i]! };
}

export interface CardBox {
  readonly id: CoroutineId;
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

/** Places `count` stacks, stack `i` with `size(i)` cards, in reading order. */
export function placeStacks(count: number, size: (i: number) => number, m: GridMetrics): Grid {
  const columns = Math.max(1, Math.floor((m.width + m.gap) / (m.minCardWidth + m.gap)));
  const cell = (m.width - m.gap * (columns - 1)) / columns;
  const xs = new Float64Array(count);
  const ys = new Float64Array(count);
  const ws = new Float64Array(count);
  const hs = new Float64Array(count);
  let y = 0;
  let col = 0;
  let rowHeight = 0;
  const newRow = (): void => {
    if (col > 0) y += rowHeight + m.gap;
    col = 0;
    rowHeight = 0;
  };
  for (let i = 0; i < count; i++) {
    const n = size(i);
    if (n > 1) {
      // A chain gets its own row, the full width.
      newRow();
      const height = stackHeight(n, m);
      xs[i] = 0;
      ys[i] = y;
      ws[i] = m.width;
      hs[i] = height;
      y += height + m.gap;
      continue;
    }
    xs[i] = col * (cell + m.gap);
    ys[i] = y;
    ws[i] = cell;
    hs[i] = m.cardHeight;
    rowHeight = Math.max(rowHeight, m.cardHeight);
    col++;
    if (col === columns) newRow();
  }
  if (col > 0) y += rowHeight;
  else if (count) y -= m.gap;
  return { count, x: xs, y: ys, width: ws, height: hs, total: Math.max(0, y), columns };
}

export function stackHeight(cards: number, m: Pick<GridMetrics, 'cardHeight' | 'linkHeight'>): number {
  return cards * m.cardHeight + (cards - 1) * m.linkHeight;
}

/** Stacks [from, to) of the grid meet the band [top, bottom] (stacks are in order of `y`). */
export function visibleStacks(grid: Grid, top: number, bottom: number): { from: number; to: number } {
  // The first stack whose bottom edge is below `top` …
  let lo = 0;
  let hi = grid.count;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (grid.y[mid]! + grid.height[mid]! < top) lo = mid + 1;
    else hi = mid;
  }
  // … and on to the last whose top edge is above `bottom`.
  let to = lo;
  while (to < grid.count && grid.y[to]! <= bottom) to++;
  return { from: lo, to };
}

/** The box of each card of a stack placed at `box`, outermost first. */
export function cardBoxes(ids: readonly CoroutineId[], box: StackBox, m: GridMetrics): CardBox[] {
  return ids.map((id, depth) => {
    const x = box.x + depth * m.indent;
    return {
      id,
      x,
      y: box.y + depth * (m.cardHeight + m.linkHeight),
      width: Math.max(m.minCardWidth * 0.6, box.width - depth * m.indent),
      height: m.cardHeight,
    };
  });
}

export interface Edge {
  readonly from: CoroutineId;
  readonly to: CoroutineId;
  readonly kind: 'awaits' | 'resumed-by';
  /** On the running path: the one resumed is running now, resumed by the other. */
  readonly active: boolean;
}

export interface EdgePath {
  readonly key: string;
  readonly kind: Edge['kind'];
  readonly active: boolean;
  /** An SVG path from the side of one card to the side of the other. */
  readonly d: string;
  /** Where the label goes. */
  readonly lx: number;
  readonly ly: number;
}

/** A curve for each edge whose two cards both have a box; the rest are left to the cards' own text. */
export function edgePaths(edges: readonly Edge[], boxes: ReadonlyMap<CoroutineId, CardBox>): EdgePath[] {
  const out: EdgePath[] = [];
  for (const e of edges) {
    const a = boxes.get(e.from);
    const b = boxes.get(e.to);
    if (!a || !b || a === b) continue;
    const acx = a.x + a.width / 2;
    const bcx = b.x + b.width / 2;
    // Two edges between the same two cards (an await and a resumption) run side by side.
    const shift = e.kind === 'awaits' ? -0.18 : 0.18;
    let x1: number, y1: number, x2: number, y2: number, c1x: number, c2x: number, c1y: number, c2y: number;
    if (Math.abs(acx - bcx) < Math.min(a.width, b.width) / 2) {
      // One above the other: from the facing edges, through the gap between them.
      const down = b.y > a.y;
      x1 = acx + shift * a.width;
      x2 = bcx + shift * b.width;
      y1 = down ? a.y + a.height : a.y;
      y2 = down ? b.y : b.y + b.height;
      const dy = (y2 - y1) / 2;
      c1x = x1;
      c2x = x2;
      c1y = y1 + dy;
      c2y = y2 - dy;
    } else {
      // Side by side: from the facing sides.
      const right = bcx > acx;
      x1 = right ? a.x + a.width : a.x;
      x2 = right ? b.x : b.x + b.width;
      y1 = a.y + a.height * (0.5 + shift);
      y2 = b.y + b.height * (0.5 + shift);
      const dx = (x2 - x1) / 2;
      c1x = x1 + dx;
      c2x = x2 - dx;
      c1y = y1;
      c2y = y2;
    }
    const d = `M${r(x1)},${r(y1)} C${r(c1x)},${r(c1y)} ${r(c2x)},${r(c2y)} ${r(x2)},${r(y2)}`;
    // The point at t = 0.5 of the cubic.
    const lx = (x1 + 3 * c1x + 3 * c2x + x2) / 8;
    const ly = (y1 + 3 * c1y + 3 * c2y + y2) / 8;
    out.push({ key: `${e.kind}:${e.from}:${e.to}`, kind: e.kind, active: e.active, d, lx, ly });
  }
  return out;
}

function r(n: number): string {
  return String(Math.round(n * 10) / 10);
}
