// The Coroutines view as the app drives it: lays the cards out for the state at the cursor, draws the stacks in
// view, and knows where each card is, so that keys and links can move to a card that is not drawn yet (only
// the cards in view are) and give focus back to a card that a drawing replaced.

import type { CoroutineModel } from '../src/model/coroutines';
import type { CoroutineId } from '../src/protocol/trace';
import { boxOf, type Grid } from './cardGrid';
import { cardOrder, layoutStacks, neighbourCard, type StacksLayout } from './cards';
import { planCards, type CoroutinesViewport } from './cardsPlan';
import type { Recording } from './recording';
import { drawCoroutines, type CoroutineParts } from './render/coroutines';
import type { OpenSite } from './render/siteLink';

/**
 * Most cards laid out (only those in view are drawn); past it the layout keeps running and live ones first. High
 * enough for every coroutine of the scale the view is built for: the view virtualises rather than leaves out.
 */
const CARD_LIMIT = 100_000;

export interface CardsInput {
  readonly rec: Recording | undefined;
  readonly model: CoroutineModel | undefined;
  readonly hideFinished: boolean;
  readonly selected: CoroutineId | undefined;
  /** The view's size and scroll, read before anything was written. */
  readonly viewport: CoroutinesViewport;
  /** A reloaded panel: where the view was scrolled to, to draw there and scroll there once laid out. */
  readonly scrollTo: number | undefined;
}

export class CardsPane {
  private layout: StacksLayout | undefined;
  private grid: Grid | undefined;

  constructor(
    readonly parts: CoroutineParts,
    private readonly open: OpenSite,
  ) {}

  /** Lays out and draws the cards of `input.model`. */
  draw(input: CardsInput): void {
    const { rec, model } = input;
    this.layout =
      rec && model
        ? layoutStacks(model, {
            trace: rec.trace,
            cwd: rec.cwd,
            hideFinished: input.hideFinished,
            selected: input.selected,
            limit: CARD_LIMIT,
          })
        : undefined;
    let top = input.viewport.top;
    const scrollTo = input.scrollTo;
    if (scrollTo !== undefined) {
      const section = this.parts.section.node()!;
      top = scrollTo - (input.viewport.top - section.scrollTop);
      requestAnimationFrame(() => {
        section.scrollTop = scrollTo;
      });
    }
    const drawing = planCards(this.layout, model, input.viewport, top);
    this.grid = drawing.grid;
    drawCoroutines(this.parts, drawing, input.hideFinished, this.open);
  }

  /** The card ArrowUp/ArrowDown/Home/End on card `from` moves to, in reading order. */
  neighbour(from: CoroutineId, key: 'up' | 'down' | 'first' | 'last'): CoroutineId | undefined {
    const order = this.layout ? cardOrder(this.layout) : [];
    if (key === 'first') return order[0];
    if (key === 'last') return order[order.length - 1];
    return neighbourCard(order, from, key === 'up' ? -1 : 1);
  }

  /** Scrolls the view so that card `id` is in it (drawn or not); the caller draws next. */
  scrollToCard(id: CoroutineId): void {
    const layout = this.layout;
    const at = layout ? layout.indexOf(id) : -1;
    if (!layout || !this.grid || at < 0 || at >= this.grid.count) return;
    const box = boxOf(this.grid, at);
    const section = this.parts.section.node()!;
    const offset = this.parts.stacks.node()!.offsetTop;
    const ids = layout.stack(at).ids;
    const y = offset + box.y + (ids.indexOf(id) * box.height) / ids.length;
    if (y < section.scrollTop || y + 60 > section.scrollTop + section.clientHeight) {
      section.scrollTop = Math.max(0, y - section.clientHeight / 3);
    }
  }

  /** Focuses card `id` if it is drawn. */
  focus(id: CoroutineId): boolean {
    const card = this.parts.stacks.select<HTMLElement>(`.ys-card[data-co="${id}"]`).node();
    card?.focus({ preventScroll: true });
    return !!card;
  }
}

/** The coroutine id of the focused card, to give focus back if a drawing replaced the element. */
export function focusedCard(): CoroutineId | undefined {
  const el = document.activeElement?.closest<HTMLElement>('.ys-card');
  const id = el ? Number(el.dataset['co']) : NaN;
  return Number.isSafeInteger(id) ? id : undefined;
}
