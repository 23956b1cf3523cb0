// Unit tests of the Timeline layout and of the scrubber's moves, in Node without a DOM: lanes in view, running
// spans between a resumption and the yield that ends it, marks, aggregation when events outnumber pixels, and
// where each control puts the cursor.

import assert from 'node:assert/strict';
import { EventStore } from '../src/model/eventStore';
import { syntheticTrace } from '../src/model/syntheticTrace';
import type { TraceEvent } from '../src/protocol/trace';
import { cursorFor, cursorIndex, playStep, stepIndex } from './playback';
import { layoutTimeline, type TimelineViewport } from './timelineLayout';
import { sampleTrace, Co } from '../test/report/fixture';

function storeOf(events: readonly TraceEvent[]): EventStore {
  const store = new EventStore();
  for (const ev of events) store.push(ev);
  return store;
}

const vp = (over: Partial<TimelineViewport>): TimelineViewport => ({
  from: 0,
  to: 100,
  width: 1000,
  top: 0,
  height: 180,
  laneHeight: 18,
  ...over,
});

describe('timeline layout', () => {
  const trace = sampleTrace();
  const store = storeOf(trace.events);
  const lanes = store.coroutines();

  it('draws a running span from each resumption to the yield that ends it, and a mark per event', () => {
    const layout = layoutTimeline(store, lanes, String, vp({ to: store.length, width: store.length * 10 }), 5, Co.gen);
    const gen = layout.lanes.find((l) => l.co === Co.gen)!;
    // gen: create 0, resume 1, yield 2, resume 3, delegate 5, yield 8, resume 9, yield 16, resume 18, yield 23.
    assert.deepEqual(
      gen.marks.map((m) => `${m.index}:${m.kind}`),
      [
        '0:create',
        '1:resume',
        '2:yield',
        '3:resume',
        '5:delegate',
        '8:yield',
        '9:resume',
        '16:yield',
        '18:resume',
        '23:yield',
      ],
    );
    assert.deepEqual(
      gen.spans.map((s) => [Math.round(s.x0), Math.round(s.x1)]),
      [
        [15, 25],
        [35, 85],
        [95, 165],
        [185, 235],
      ],
    );
    assert.equal(gen.selected, true);
    assert.equal(layout.aggregated, false);
    assert.equal(Math.round(layout.cursorX!), 55);
  });

  it('lays out only the lanes in view and says how many there are', () => {
    const layout = layoutTimeline(store, lanes, String, vp({ top: 36, height: 54 }), 0, undefined);
    assert.equal(layout.totalLanes, lanes.length);
    assert.equal(layout.firstLane, 2);
    assert.deepEqual(
      layout.lanes.map((l) => l.y),
      [0, 18, 36],
    );
  });

  it('aggregates when a lane has more events than pixels, and keeps the lane running across the view', () => {
    const big = syntheticTrace({ events: 50_000, live: 3, life: 1000, seed: 2 });
    const s = storeOf(big.events);
    const layout = layoutTimeline(s, s.coroutines(), String, vp({ to: s.length, width: 400 }), s.length - 1, undefined);
    assert.equal(layout.aggregated, true);
    assert.ok(layout.density > 100);
    for (const lane of layout.lanes) {
      assert.ok(lane.marks.length <= 400, `${lane.marks.length} marks in 400 pixels`);
      for (const m of lane.marks) assert.ok(m.x >= 0 && m.x <= 400);
    }
    // Zoomed in on 200 events, nothing is aggregated.
    const near = layoutTimeline(s, s.coroutines(), String, vp({ from: 1000, to: 1200, width: 400 }), 0, undefined);
    assert.equal(near.aggregated, false);
    assert.equal(near.cursorX, undefined, 'the cursor is out of view');
  });
});

describe('scrubber moves', () => {
  const store = storeOf(sampleTrace().events);
  const last = store.length - 1;

  it('follows the newest event until the user moves, and remembers a position by seq', () => {
    assert.equal(cursorIndex(store, undefined), last);
    assert.equal(cursorIndex(store, 7), 7);
    assert.equal(cursorFor(store, last, true), undefined, 'at the newest event of a live recording: follow');
    assert.equal(cursorFor(store, last, false), store.seqAt(last));
    assert.equal(cursorFor(store, 3, true), 3);
  });

  it('steps one event, to the ends, and to the next or previous event of one coroutine', () => {
    assert.equal(stepIndex(store, 5, 'forward', undefined), 6);
    assert.equal(stepIndex(store, 5, 'back', undefined), 4);
    assert.equal(stepIndex(store, 0, 'back', undefined), 0);
    assert.equal(stepIndex(store, last, 'forward', undefined), last);
    assert.equal(stepIndex(store, 5, 'start', undefined), 0);
    assert.equal(stepIndex(store, 5, 'end', undefined), last);
    assert.equal(stepIndex(store, 5, 'next-of', Co.chain2), 11);
    assert.equal(stepIndex(store, 11, 'next-of', Co.chain2), 13);
    assert.equal(stepIndex(store, 13, 'previous-of', Co.chain2), 11);
    assert.equal(stepIndex(store, 5, 'next-of', undefined), 5, 'nothing selected: no move');
    assert.equal(stepIndex(store, 30, 'next-of', Co.chain2), 30, 'no later event of chain2: no move');
  });

  it('plays at the chosen speed, carrying fractions of an event between frames', () => {
    let carry = 0;
    let moved = 0;
    for (let frame = 0; frame < 60; frame++) {
      const r = playStep(carry, 1000 / 60, 4);
      carry = r.carry;
      moved += r.steps;
    }
    assert.equal(moved, 4, 'four events in one second at 4 events/s');
    assert.equal(playStep(0, 5000, 16).steps, 4, 'a long pause (a hidden tab) does not jump far');
  });
});
