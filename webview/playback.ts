// Where the replay cursor is and where each scrubber control moves it. The cursor is saved as an event's seq
// (stable when old events are forgotten), or as "follow the newest event". Pure; no DOM.

import type { CoroutineId } from '../src/protocol/trace';
import type { EventStore } from '../src/model/eventStore';

/** Replay speeds, in events per second. */
export const SPEEDS: readonly number[] = [1, 4, 16, 64, 256, 1024, 8192];
export const DEFAULT_SPEED = 16;

export type StepAction = 'start' | 'back' | 'forward' | 'end' | 'previous-of' | 'next-of';

type Store = Pick<EventStore, 'length' | 'indexOfSeq' | 'nextOf' | 'seqAt'>;

/** The index the view shows: the newest event when following (or when the saved seq is gone), else the seq's. */
export function cursorIndex(store: Store, cursor: number | undefined): number {
  if (store.length === 0) return -1;
  if (cursor === undefined) return store.length - 1;
  return Math.max(0, store.indexOfSeq(cursor));
}

/** Where a control moves the cursor from `index`; `index` itself when it cannot move. */
export function stepIndex(store: Store, index: number, action: StepAction, selected: CoroutineId | undefined): number {
  const last = store.length - 1;
  if (last < 0) return -1;
  switch (action) {
    case 'start':
      return 0;
    case 'end':
      return last;
    case 'back':
      return Math.max(0, index - 1);
    case 'forward':
      return Math.min(last, index + 1);
    case 'previous-of':
    case 'next-of': {
      if (selected === undefined) return index;
      const found = store.nextOf(selected, index, action === 'next-of' ? 1 : -1);
      return found < 0 ? index : found;
    }
  }
}

/** The cursor to save for `index`: undefined (follow) at the newest event of a live recording. */
export function cursorFor(store: Store, index: number, live: boolean): number | undefined {
  if (store.length === 0) return undefined;
  const i = Math.max(0, Math.min(index, store.length - 1));
  return live && i === store.length - 1 ? undefined : store.seqAt(i);
}

/**
 * Playback: how far to move after `elapsedMs` at `speed` events per second, carrying the fraction of an event
 * left over to the next frame so that slow speeds still move.
 */
export function playStep(carry: number, elapsedMs: number, speed: number): { steps: number; carry: number } {
  const exact = carry + (Math.min(elapsedMs, 250) * speed) / 1000;
  // A hair of tolerance: sixty frames of 1/60 s must add up to a whole second.
  const steps = Math.floor(exact + 1e-9);
  return { steps, carry: Math.max(0, exact - steps) };
}
