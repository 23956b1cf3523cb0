// Sample 01 (eager list versus lazy generator) recorded the way its F5 configuration records it: with the heap
// sampler on, through the `env` of its `yieldscope` launch configuration. What the README tells the reader to watch
// must be in the trace on every Node version: the heap in use stays flat while `sum` pulls from the generator and
// climbs far higher while the list is filled. Heap sizes vary from run to run, so the golden summary (in
// samples.test.ts) holds only the events; the shape of the heap is asserted here, with margins that a list of a
// million numbers (8,000,000 bytes at least) clears whatever the garbage collector does.

import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HeapSeries } from '../../src/model/heap';
import { SAMPLE_PROGRAM, sampleHeapInterval } from '../../src/extension/sampleCatalog';
import type { TraceEvent } from '../../src/protocol/trace';
import { cleanupScratch, runTraced, testNodes } from '../tracer/harness';
import { SAMPLES, readmeOutput } from './gallery';

const ID = '01-eager-vs-lazy';
const LIST_BYTES = 8_000_000;
const MB = 1048576;

/** The `env` of the sample's `yieldscope` launch configuration: what F5 gives the tracer. */
function launchEnv(): Record<string, string> {
  const launch = JSON.parse(readFileSync(join(SAMPLES, ID, '.vscode', 'launch.json'), 'utf8')) as {
    configurations: { type: string; env?: Record<string, string> }[];
  };
  return launch.configurations.find((c) => c.type === 'yieldscope')?.env ?? {};
}

function times(events: readonly TraceEvent[], kind: TraceEvent['kind']): number[] {
  return events.filter((e) => e.kind === kind).map((e) => e.time);
}

const mb = (bytes: number): string => `${(bytes / MB).toFixed(1)} MB`;

describe('sample 01: the heap beside the events', function () {
  after(cleanupScratch);

  it('its launch configuration turns the heap sampler on, and the gallery reads it from there', async function () {
    const ms = Number(launchEnv()['YIELDSCOPE_HEAP_MS']);
    assert.ok(ms > 0 && ms <= 10, `YIELDSCOPE_HEAP_MS is ${launchEnv()['YIELDSCOPE_HEAP_MS']}`);
    assert.equal(await sampleHeapInterval(join(SAMPLES, ID)), ms);
    assert.equal(await sampleHeapInterval(join(SAMPLES, '02-generator-life')), undefined, 'the others do not sample');
    const broken = mkdtempSync(join(tmpdir(), 'ys-launch-'));
    try {
      mkdirSync(join(broken, '.vscode'));
      for (const text of [
        '{',
        '[]',
        '{"configurations": [{"type": "yieldscope", "env": {"YIELDSCOPE_HEAP_MS": "-1"}}]}',
      ]) {
        writeFileSync(join(broken, '.vscode', 'launch.json'), text);
        assert.equal(await sampleHeapInterval(broken), undefined, text);
      }
    } finally {
      rmSync(broken, { recursive: true, force: true });
    }
  });

  it("the eager phase's heap peaks far above the lazy phase's, which stays flat, on every Node version", async function () {
    const env = launchEnv();
    const expected = readmeOutput(readFileSync(join(SAMPLES, ID, 'README.md'), 'utf8'));
    for (const node of await testNodes()) {
      const { trace, status, stderr, stdout } = runTraced(node.path, [SAMPLE_PROGRAM], join(SAMPLES, ID), env);
      const at = `Node ${node.version}`;
      assert.equal(status, 0, `${at}: ${stderr}`);
      assert.equal(stderr, '', at);
      assert.equal(stdout, expected, `${at}: the heap sampler changes what the sample prints`);
      assert.deepEqual(trace.problems, [], at);
      const [lazyStart, eagerStart] = times(trace.events, 'create');
      const [lazyEnd, eagerEnd] = times(trace.events, 'return');
      assert.ok(lazyStart !== undefined && lazyEnd !== undefined && eagerStart !== undefined && eagerEnd !== undefined);
      const series = new HeapSeries();
      series.add(trace.heap ?? []);
      const all = series.summary()!;
      assert.ok(all.count >= 3, `${at}: ${all.count} heap samples`);
      assert.ok(series.samples[0]!.time < lazyStart, `${at}: a sample at the start, before the first event`);
      const lazy = series.summary(lazyStart, lazyEnd);
      const eager = series.summary(eagerStart, eagerEnd);
      assert.ok(lazy && lazy.count >= 5, `${at}: samples while the generator is summed: ${lazy?.count}`);
      assert.ok(eager && eager.count >= 5, `${at}: samples while the list is filled: ${eager?.count}`);
      const shape = `${at}: lazy ${mb(lazy.minUsed)}–${mb(lazy.maxUsed)}, eager up to ${mb(eager.maxUsed)}`;
      assert.ok(lazy.maxUsed - lazy.minUsed < LIST_BYTES, `the lazy phase stays flat (${shape})`);
      assert.ok(
        eager.maxUsed - lazy.maxUsed > LIST_BYTES,
        `the list shows: more than 8 MB above the lazy peak (${shape})`,
      );
      assert.ok(eager.maxUsed > 2 * lazy.maxUsed, `the eager peak is more than twice the lazy one (${shape})`);
    }
  });
});
