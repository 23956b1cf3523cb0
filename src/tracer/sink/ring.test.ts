// The drain worker's rule for how far it may read: never past what the writer finished, never backwards.

import assert from 'node:assert/strict';
import { readable } from './ring';

const RING = 1024;

describe('how far the drain worker may read', () => {
  it('reads up to the fenced position', () => {
    assert.equal(readable(0, 100, 0, 100, RING), 100);
  });

  it('reads up to a hint only once it has seen it on an earlier poll', () => {
    assert.equal(readable(0, 0, 0, 92, RING), 0, 'a fresh hint is not trusted yet');
    assert.equal(readable(0, 0, 92, 92, RING), 92, 'the hint from the last poll is');
    assert.equal(readable(0, 0, 92, 150, RING), 92, 'and the writer has moved on');
  });

  it('ignores a fenced position that lies behind what was already read', () => {
    // The worker read up to 92 from the hint; the last fence was at 0. This once read 4 GiB of garbage.
    assert.equal(readable(92, 0, 92, 92, RING), 0);
    assert.equal(readable(92, 0, 92, 200, RING), 0);
    assert.equal(readable(92, 0, 200, 200, RING), 108);
  });

  it('works across the wrap of positions at 2^32', () => {
    const read = 2 ** 32 - 10;
    assert.equal(readable(read, 20 >>> 0, read, read, RING), 30);
    assert.equal(readable(read, read, 5, 40, RING), 15);
  });
});
