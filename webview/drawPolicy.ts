// Which parts of the page a frame draws. The scrubber, the Timeline and the Event loop follow the cursor on
// every frame; the parts that cost most (the cards, the Inspector, the Events list, warnings and output) are
// drawn again only when what they show changed, and while the replay plays or the scrubber is dragged at most
// every `every` ms, with a full drawing after the last step. No DOM: the clock is passed in.

export interface DrawPolicyOptions {
  /** Least time between two full drawings while playing or dragging (ms). */
  readonly every: number;
  /** Scrubber inputs closer together than this (ms) are a drag. */
  readonly dragWindow: number;
}

export interface FrameDecision {
  /** Draw the heavy parts this frame. */
  readonly heavy: boolean;
  /** They changed but were skipped: a full drawing must follow (`every` ms from now will do). */
  readonly trail: boolean;
}

export class DrawPolicy {
  private heavyAt = -Infinity;
  private dragAt = -Infinity;
  private dragging = false;
  private drawnKey: string | undefined;
  private fullNext = false;

  constructor(private readonly opts: DrawPolicyOptions) {}

  /** The scrubber moved at `now`: two inputs close together are a drag, a single one (a click) is not. */
  input(now: number): void {
    this.dragging = now - this.dragAt < this.opts.dragWindow;
    this.dragAt = now;
  }

  /** Everything must be drawn next time (the panel was resized, say). */
  invalidate(): void {
    this.fullNext = true;
  }

  /** What to draw in a frame at `now` that shows `key` (everything the heavy parts depend on, as text). */
  decide(key: string, now: number, playing: boolean): FrameDecision {
    const changed = key !== this.drawnKey || this.fullNext;
    if (!changed) return { heavy: false, trail: false };
    const busy = playing || (this.dragging && now - this.dragAt < this.opts.dragWindow);
    if (busy && now - this.heavyAt < this.opts.every) return { heavy: false, trail: true };
    this.heavyAt = now;
    this.drawnKey = key;
    this.fullNext = false;
    return { heavy: true, trail: false };
  }
}
