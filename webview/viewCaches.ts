// What the app keeps between drawings because it is costly to make and changes rarely: the Timeline's lanes
// (per recording and event count), the end-of-program warnings of the state last drawn (they scan every
// coroutine), and what the Event loop view read ahead in each recording's trace.

import { endWarnings } from '../src/model/explain';
import type { CoroutineModel } from '../src/model/coroutines';
import type { Recording } from './recording';

export type EndWarnings = ReturnType<typeof endWarnings>;

export class ViewCaches {
  private lanes: { key: string; lanes: number[] } | undefined;
  private warnings: { key: string; warnings: EndWarnings } | undefined;
  private loopMemos = new WeakMap<Recording, Map<string, unknown>>();

  /** Lanes in order of each coroutine's first event; the top level (output, end) first. */
  laneOrder(rec: Recording): number[] {
    const key = `${rec.instance}:${rec.history.length}:${rec.history.forgottenEvents}`;
    if (this.lanes?.key !== key) {
      const ids = rec.history.store.coroutines();
      this.lanes = { key, lanes: ids.includes(0) ? [0, ...ids.filter((id) => id !== 0)] : ids };
    }
    return this.lanes.lanes;
  }

  /** The warnings only the end of the program raises (never closed, never resumed …), at `index`. */
  endWarnings(rec: Recording | undefined, model: CoroutineModel, index: number): EndWarnings {
    if (!model.ending) return [];
    const key = `${rec?.instance}:${index}:${rec?.history.length}`;
    if (this.warnings?.key !== key) this.warnings = { key, warnings: endWarnings(model) };
    return this.warnings.warnings;
  }

  /** What the Event loop view read ahead in the trace of `rec` (see `LoopContext.memo`). */
  loopMemo(rec: Recording): Map<string, unknown> {
    let m = this.loopMemos.get(rec);
    if (!m) this.loopMemos.set(rec, (m = new Map()));
    return m;
  }
}
