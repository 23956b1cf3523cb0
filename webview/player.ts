// Playing the replay: moves the cursor on every animation frame by as many events as the speed says since the
// last frame, and stops at the newest event. Keeps no state of the view's own: it reads and moves the cursor
// through `PlayerHost`.

import type { EventStore } from '../src/model/eventStore';
import { cursorFor, cursorIndex, playStep } from './playback';

type Store = Pick<EventStore, 'length' | 'indexOfSeq' | 'seqAt' | 'nextOf'>;

export interface PlayerHost {
  /** The active recording's events, and whether it is still recording (then its newest event is "follow"). */
  readonly recording: () => { readonly store: Store; readonly live: boolean } | undefined;
  readonly cursor: () => number | undefined;
  readonly speed: () => number;
  readonly moveCursor: (cursor: number | undefined) => void;
  readonly redraw: () => void;
}

export class Player {
  private active = false;
  private carry = 0;
  private last = 0;
  private frame = 0;

  constructor(private readonly host: PlayerHost) {}

  get playing(): boolean {
    return this.active;
  }

  toggle(): void {
    if (this.active) {
      this.stop();
      this.host.redraw();
      return;
    }
    const rec = this.host.recording();
    if (!rec || rec.store.length === 0) return;
    // Playing from the end starts again from the first event.
    if (cursorIndex(rec.store, this.host.cursor()) >= rec.store.length - 1) this.host.moveCursor(rec.store.seqAt(0));
    this.active = true;
    this.carry = 0;
    this.last = performance.now();
    this.frame = requestAnimationFrame((now) => this.tick(now));
    this.host.redraw();
  }

  stop(): void {
    this.active = false;
    if (this.frame) cancelAnimationFrame(this.frame);
    this.frame = 0;
  }

  private tick(now: number): void {
    if (!this.active) return;
    const rec = this.host.recording();
    if (!rec) return this.stop();
    const s = rec.store;
    const { steps, carry } = playStep(this.carry, now - this.last, this.host.speed());
    this.carry = carry;
    this.last = now;
    const from = cursorIndex(s, this.host.cursor());
    const to = Math.min(s.length - 1, from + steps);
    if (to !== from) this.host.moveCursor(cursorFor(s, to, rec.live));
    if (to >= s.length - 1) {
      this.stop();
      this.host.redraw();
      return;
    }
    this.frame = requestAnimationFrame((t) => this.tick(t));
  }
}
