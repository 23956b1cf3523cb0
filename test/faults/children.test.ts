// Worker threads and child processes that a traced program starts: they must run exactly as they do without
// the tracer. What the tracer does with them today (checked here, so that a change is noticed):
// - worker threads inherit `--require <tracer>` but the tracer stays off outside the main thread: their
//   coroutines are not recorded, and nothing in the trace says so;
// - `fork()` passes the parent's exec arguments on, so a forked child is traced too, into a file of its own
//   beside the parent's (`<name>-<pid>.ystrace`: the drain worker claims the file exclusively);
// - `spawn(process.execPath, …)` starts a plain node: the tracer is not in NODE_OPTIONS, so that child is not
//   traced, and nothing in the trace says so either.

import assert from 'node:assert/strict';
import { readdirSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import {
  FAULT_FIXTURES,
  assertEndsWith,
  assertSameRun,
  cleanupFaultScratch,
  describeEvents,
  eventsOf,
  runPlainAsync,
  runTracedAsync,
  scanTrace,
  testNodes,
} from './run';

describe('faults: worker threads and child processes of a traced program', function () {
  this.timeout(120_000);
  after(cleanupFaultScratch);

  it('run as without the tracer; only the main thread and forked children are traced, each in its own 0600 file', async function () {
    for (const node of await testNodes()) {
      const what = `Node ${node.version}`;
      const [plain, traced] = await Promise.all([
        runPlainAsync(node.path, ['spawns.mjs'], FAULT_FIXTURES),
        runTracedAsync(node.path, ['spawns.mjs'], FAULT_FIXTURES),
      ]);
      assertSameRun(plain, traced, what);
      assert.equal(
        plain.stdout.toString(),
        [
          'main 1',
          'worker said [[1,4,9],14] exit 0',
          'spawned child said "spawned ab\\n" exit 0',
          'forked child said "forked ab\\n" exit 0',
          'main 2',
          '',
        ].join('\n'),
        what,
      );

      // The parent's trace: the main thread only, readable by the user alone.
      assert.equal(statSync(traced.traceFile).mode & 0o777, 0o600, what);
      const scan = scanTrace(traced.traceFile);
      assertEndsWith(scan, { reason: 'exit', exitCode: 0 }, what);
      const names = new Set([...scan.sites.values()].filter((s) => s.kind === 'function').map((s) => s.name));
      assert.deepEqual([...names], ['ids'], `${what}: functions recorded in the parent's trace`);
      assert.deepEqual(
        describeEvents(eventsOf(scan, 'ids')).filter((e) => e.startsWith('yield')),
        ['yield 1', 'yield 2'],
      );

      // The forked child's trace, beside the parent's; the spawned child has none.
      const stem = basename(traced.traceFile, '.ystrace');
      const siblings = readdirSync(dirname(traced.traceFile)).filter((f) => f.startsWith(`${stem}-`));
      assert.equal(siblings.length, 1, `${what}: traces beside the parent's: ${siblings.join(', ')}`);
      const childFile = join(dirname(traced.traceFile), siblings[0]!);
      assert.equal(statSync(childFile).mode & 0o777, 0o600, what);
      const child = scanTrace(childFile);
      assertEndsWith(child, { reason: 'exit', exitCode: 0 }, `${what}: the forked child`);
      assert.deepEqual(child.header?.args, ['forked'], what);
      assert.deepEqual(
        describeEvents(eventsOf(child, 'letters')).filter((e) => e.startsWith('yield')),
        ['yield a', 'yield b'],
      );
    }
  });
});
