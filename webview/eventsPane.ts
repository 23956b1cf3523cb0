// The Events list as the app drives it: where the app last scrolled it and which rows it drew there, so that a
// scroll the user makes draws the list again only when the rows drawn no longer cover the view, and a scroll the
// app makes itself (to follow the cursor) draws nothing more.

import type { CoroutineId } from '../src/protocol/trace';
import type { CoroutineModel } from '../src/model/coroutines';
import { NO_EVENTS, eventsView } from './eventsList';
import type { Recording } from './recording';
import {
  atBottom,
  drawEvents,
  eventsScrollTop,
  eventsViewport,
  rowsCover,
  scrollEvents,
  type DrawnRows,
  type EventParts,
  type EventsView,
  type EventsViewport,
} from './render/events';
import type { OpenSite } from './render/siteLink';

/** Where the list is to be scrolled: following the newest row, or to a saved position (a reloaded panel). */
export type EventsScroll = { readonly follow: true } | { readonly follow: false; readonly top: number | undefined };

export class EventsPane {
  /** The rows must be drawn on the next frame (the user scrolled past those drawn). */
  dirty = false;
  private top = 0;
  private drawn: DrawnRows | undefined;
  private pending: { view: EventsView; vp: EventsViewport; top: number } | undefined;

  constructor(readonly parts: EventParts) {}

  /** Calls `scrolled` when the user scrolls the list: its position, whether at the bottom, and if it must redraw. */
  listen(scrolled: (top: number, follow: boolean, redraw: boolean) => void): void {
    this.parts.body.on('scroll', (event: Event) => {
      const el = event.currentTarget as HTMLElement;
      if (Math.abs(el.scrollTop - this.top) < 1) return;
      this.top = el.scrollTop;
      // The rows drawn may still cover the view (the list moved a little as the panes around it changed size).
      const redraw = !this.drawn || !rowsCover(this.drawn, el);
      if (redraw) this.dirty = true;
      scrolled(el.scrollTop, atBottom(el), redraw);
    });
  }

  /** The list's size, read before anything is written. */
  viewport(): EventsViewport {
    return eventsViewport(this.parts);
  }

  /**
   * Scrolls the list for the state at the cursor, first, while the page is as the browser last laid it out; the
   * rows are written by `drawRows` at the end of the frame.
   */
  scroll(
    rec: Recording | undefined,
    model: CoroutineModel | undefined,
    index: number,
    only: CoroutineId | undefined,
    vp: EventsViewport,
    at: EventsScroll,
  ): void {
    this.dirty = false;
    const view = rec && model ? eventsView(rec, model, index, only) : NO_EVENTS;
    const top = !at.follow && at.top !== undefined ? at.top : eventsScrollTop(view, vp, at.follow);
    this.top = scrollEvents(this.parts, view, vp, top);
    this.pending = { view, vp, top: this.top };
  }

  drawRows(open: OpenSite): void {
    const p = this.pending;
    if (!p) return;
    this.pending = undefined;
    this.drawn = drawEvents(this.parts, p.view, p.vp, p.top, open);
  }
}
