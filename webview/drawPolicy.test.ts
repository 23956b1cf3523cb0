// Unit tests of what each frame draws: everything when something changed and the user is not dragging or
// playing; while they are, the heavy parts at most every so often, with a full drawing to follow; nothing heavy
// when nothing they show changed.

import assert from 'node:assert/strict';
import { DrawPolicy } from './drawPolicy';

describe('draw policy', () => {
  it('draws everything on a step, and nothing heavy when nothing changed', () => {
    const p = new DrawPolicy({ every: 50, dragWindow: 150 });
    assert.deepEqual(p.decide('a', 0, false), { heavy: true, trail: false });
    assert.deepEqual(p.decide('a', 5, false), { heavy: false, trail: false });
    assert.deepEqual(p.decide('b', 10, false), { heavy: true, trail: false });
    p.invalidate();
    assert.deepEqual(p.decide('b', 11, false), { heavy: true, trail: false });
  });

  it('draws one click on the slider in full, and a drag at most every 50 ms with a drawing to follow', () => {
    const p = new DrawPolicy({ every: 50, dragWindow: 150 });
    p.decide('a', 0, false);
    p.input(1000);
    assert.deepEqual(p.decide('b', 1001, false), { heavy: true, trail: false }, 'a single input');
    p.input(1010);
    assert.deepEqual(p.decide('c', 1011, false), { heavy: false, trail: true });
    p.input(1030);
    assert.deepEqual(p.decide('d', 1031, false), { heavy: false, trail: true });
    p.input(1055);
    assert.deepEqual(p.decide('e', 1056, false), { heavy: true, trail: false });
    // The trailing drawing, after the drag stopped.
    assert.deepEqual(p.decide('f', 1300, false), { heavy: true, trail: false });
  });

  it('draws the heavy parts at most every 50 ms while playing', () => {
    const p = new DrawPolicy({ every: 50, dragWindow: 150 });
    const heavy: number[] = [];
    for (let t = 0; t < 500; t += 16) if (p.decide(`k${t}`, t, true).heavy) heavy.push(t);
    assert.deepEqual(heavy, [0, 64, 128, 192, 256, 320, 384, 448]);
  });
});
