// What the Events list lists: the newest events up to the cursor (of one coroutine when one is selected), read
// from the event store only for the rows drawn. Pure over the recording; no DOM.

import { upperBound } from '../src/model/eventStore';
import type { CoroutineModel } from '../src/model/coroutines';
import { eventRow } from './eventRows';
import { coroutineLabel } from './format';
import type { Recording } from './recording';
import type { EventsView } from './render/events';

/** Most rows in the Events list: the newest up to the cursor (only those in view are drawn). */
export const EVENT_ROWS = 2000;

/** The Events list before there is a recording: no rows, so nothing is ever described. */
export const NO_EVENTS: EventsView = {
  rows: 0,
  event: () => {
    throw new Error('no recording to list events of');
  },
  describe: () => {
    throw new Error('no recording to describe events of');
  },
  key: '',
  total: 0,
  kept: 0,
  only: undefined,
  cursorSeq: undefined,
  cursorRow: -1,
};

/** The newest events up to the cursor (of one coroutine when `only` is set); rows are read as they are drawn. */
export function eventsView(rec: Recording, model: CoroutineModel, index: number, only: number | undefined): EventsView {
  const store = rec.history.store;
  let rows: number;
  let indexAt: (k: number) => number;
  if (only === undefined) {
    const from = Math.max(0, index - EVENT_ROWS + 1);
    rows = index >= 0 ? index - from + 1 : 0;
    indexAt = (k) => from + k;
  } else {
    const lane = store.eventsOf(only);
    const end = upperBound(lane, index);
    const start = Math.max(0, end - EVENT_ROWS);
    rows = end - start;
    indexAt = (k) => lane[start + k]!;
  }
  // Rows are described with the state at the cursor: names of coroutines made later are not known yet.
  const ctx = { model, trace: rec.trace, cwd: rec.cwd };
  const cursorSeq = index >= 0 ? store.seqAt(index) : undefined;
  return {
    rows,
    event: (k) => store.event(indexAt(k)),
    describe: (ev) => eventRow(ev, ctx),
    key: `${rec.instance}`,
    total: rec.eventCount,
    kept: rows,
    only: only === undefined ? undefined : coroutineLabel(rec.model, only),
    cursorSeq,
    cursorRow: rows > 0 && indexAt(rows - 1) === index ? rows - 1 : -1,
  };
}
