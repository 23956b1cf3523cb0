// Which cards the Coroutines view draws and where: every stack placed on the grid (see cardGrid.ts), only those
// in view (give or take a margin) drawn once there are many, and the edges between the cards drawn. Pure: the
// view's size and scroll come in as numbers.

import type { CoroutineModel } from '../src/model/coroutines';
import {
  boxOf,
  cardBoxes,
  edgePaths,
  placeStacks,
  visibleStacks,
  type CardBox,
  type EdgePath,
  type Grid,
  type GridMetrics,
  type StackBox,
} from './cardGrid';
import { cardEdges, type StackView, type StacksLayout } from './cards';

/** What the view is to draw: the layout, where each stack goes, and the stacks in view. */
export interface CoroutinesDrawing {
  readonly layout: StacksLayout | undefined;
  readonly grid: Grid;
  readonly metrics: GridMetrics;
  /** The stacks in view (give or take a margin), with where each goes: only these are drawn. */
  readonly shown: readonly Placed[];
  /** Cards laid out, drawn or not. */
  readonly cards: number;
  readonly edges: readonly EdgePath[];
}

export interface Placed {
  readonly stack: StackView;
  readonly box: StackBox;
}

/** The stacks area's size and scroll, read before anything is drawn (reads after writes force a layout). */
export interface CoroutinesViewport {
  readonly width: number;
  /** The band of the stacks area in view, in its own coordinates. */
  readonly top: number;
  readonly bottom: number;
  /** Pixels per em, for the cards' fixed height. */
  readonly em: number;
}

/** Height of a card in em: the same number is in cards.css (`.ys-card` height). */
export const CARD_EM = 11.6;

export function gridMetrics(vp: CoroutinesViewport): GridMetrics {
  return {
    width: Math.max(200, vp.width),
    minCardWidth: 250,
    cardHeight: Math.round(CARD_EM * vp.em),
    linkHeight: 26,
    indent: 22,
    gap: 18,
  };
}

/** Stacks drawn beyond each edge of the view, in pixels. */
const OVERSCAN = 400;
/** Up to this many cards, all are drawn: virtualising pays only when there are many. */
export const DRAW_ALL_CARDS = 80;

/** What to draw for `layout` when the cards area is `vp` (scrolled to `top`, in its own coordinates). */
export function planCards(
  layout: StacksLayout | undefined,
  model: Pick<CoroutineModel, 'coroutines' | 'running'> | undefined,
  vp: CoroutinesViewport,
  top = vp.top,
): CoroutinesDrawing {
  const metrics = gridMetrics(vp);
  const count = layout?.count ?? 0;
  const grid = placeStacks(count, (i) => layout!.size(i), metrics);
  let cards = 0;
  for (let i = 0; i < count; i++) cards += layout!.size(i);
  const { from, to } =
    cards <= DRAW_ALL_CARDS
      ? { from: 0, to: count }
      : visibleStacks(grid, top - OVERSCAN, top + (vp.bottom - vp.top) + OVERSCAN);
  const shown: Placed[] = [];
  const boxes = new Map<number, CardBox>();
  for (let i = from; i < to; i++) {
    const stack = layout!.stack(i);
    const box = boxOf(grid, i);
    shown.push({ stack, box });
    for (const b of cardBoxes(stack.ids, box, metrics)) boxes.set(b.id, b);
  }
  const edges = model ? edgePaths(cardEdges(model, boxes.keys()), boxes) : [];
  return { layout, grid, metrics, shown, cards, edges };
}
