// The anchor's event store: every event is four 32-bit numbers (kind, id, trigger id, time in microseconds since
// the start) appended to chunks of typed arrays in memory. This is the cheap form of "push an event per callback
// into an array": an object per event, as most tools keep them, costs more in allocation and GC.
'use strict';

const Kind = {
  Init: 1,
  Before: 2,
  After: 3,
  Destroy: 4,
  PromiseResolve: 5,
  Enter: 6,
  Exit: 7,
};
const CHUNK_EVENTS = 1 << 16;

function createRecorder() {
  const chunks = [];
  let chunk = new Uint32Array(CHUNK_EVENTS * 4);
  let at = 0;
  let total = 0;
  const start = performance.now();
  const record = (kind, id, trigger) => {
    if (at === chunk.length) {
      chunks.push(chunk);
      chunk = new Uint32Array(CHUNK_EVENTS * 4);
      at = 0;
    }
    chunk[at] = kind;
    chunk[at + 1] = id;
    chunk[at + 2] = trigger;
    chunk[at + 3] = (performance.now() - start) * 1000;
    at += 4;
    total++;
  };
  return {
    record,
    /** Events recorded so far. */
    count: () => total,
    /** Bytes of memory the events take (whole chunks). */
    bytes: () => (chunks.length + 1) * CHUNK_EVENTS * 16,
  };
}

module.exports = { Kind, createRecorder };
