// The sink under pressure: a ring much smaller than the stream of events fills, wraps and drains while the
// program runs, and nothing is lost; when the worker cannot keep up within the allowed wait, records are dropped
// and the trace says how many and where.

import assert from 'node:assert/strict';
import { CoroutineModel } from '../../src/model/coroutines';
import { FIXTURES, cleanupScratch, runPlain, runTraced, testNodes } from './harness';

describe('the sink under pressure', function () {
  after(cleanupScratch);

  it('keeps every event when the stream is many times the ring, on every Node version', async function () {
    const n = 200_000;
    for (const node of await testNodes()) {
      const traced = runTraced(node.path, ['many-events.mjs', String(n)], FIXTURES, { YIELDSCOPE_RING_MB: '1' });
      assert.equal(traced.stdout, runPlain(node.path, ['many-events.mjs', String(n)], FIXTURES).stdout);
      assert.deepEqual(traced.trace.problems, [], `Node ${node.version}`);
      const kinds = new Map<string, number>();
      for (const e of traced.trace.events) kinds.set(e.kind, (kinds.get(e.kind) ?? 0) + 1);
      assert.equal(kinds.get('yield'), n, `Node ${node.version}: yields`);
      assert.equal(kinds.get('resume'), n + 1, `Node ${node.version}: resumes`);
      assert.equal(kinds.get('dropped'), undefined);
      assert.equal(traced.trace.events.at(-1)?.kind, 'end');
      traced.trace.events.forEach((e, i) => assert.equal(e.seq, i, `Node ${node.version}: seq at ${i}`));
    }
  });

  it('drops what does not fit when waiting is not allowed, and counts it', async function () {
    const [node] = await testNodes();
    const n = 300_000;
    // CommonJS, with the worker starting only when the ring first fills (not with the first event), and no wait
    // allowed: that fill drops.
    const traced = runTraced(node!.path, ['many-events.cjs', String(n)], FIXTURES, {
      YIELDSCOPE_EARLY_DRAIN: '0',
      YIELDSCOPE_RING_MB: '1',
      YIELDSCOPE_MAX_WAIT_MS: '0',
    });
    assert.deepEqual(traced.trace.problems, []);
    const model = new CoroutineModel(traced.trace).applyAll(traced.trace.events);
    const recorded = traced.trace.events.filter((e) => e.kind !== 'dropped').length;
    assert.ok(model.dropped > 0, 'nothing was dropped: the test did not create pressure');
    // Every event is either recorded or counted (a Step record stands for two events).
    const last = traced.trace.events.at(-1)!;
    assert.equal(last.kind, 'end');
    assert.equal(
      last.seq + 1 - traced.trace.events.filter((e) => e.kind === 'dropped').length,
      recorded + model.dropped,
    );
  });
});
