// Programs that misbehave, each run with and without the tracer on every Node version: they throw, reject,
// exit in the middle of a yield* chain, are killed by a signal, run out of memory, loop or yield for ever,
// print megabytes, read standard input, change their working folder, patch globals. The program must do exactly
// what it does without the tracer, and the trace must keep every event up to the end and end with a record of
// how the program ended. A signal leaves the tracer no chance to write that record: `yieldscope run` (the CLI)
// adds it, so the runs that end by a signal go through the CLI, as they would in a terminal.

import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { TraceEvent } from '../../src/protocol/trace';
import {
  FAULT_FIXTURES,
  assertEndsWith,
  assertSameRun,
  cleanupFaultScratch,
  describeEvents,
  eventsOf,
  faultScratch,
  freshTracePath,
  runCli,
  runPlainAsync,
  runTracedAsync,
  scanTrace,
  testNodes,
  type RunOptions,
} from './run';

/** Runs `file` plainly and traced (at the same time), checks they behave the same, and reads the trace. */
async function both(node: string, file: string, o: RunOptions = {}) {
  const [plain, traced] = await Promise.all([
    runPlainAsync(node, [file], FAULT_FIXTURES, o),
    runTracedAsync(node, [file], FAULT_FIXTURES, o),
  ]);
  return { plain, traced, scan: scanTrace(traced.traceFile) };
}

/** Runs `file` plainly and through the CLI (at the same time), both stopped the same way. */
async function plainAndCli(node: string, file: string, o: RunOptions) {
  const [plain, cli] = await Promise.all([
    runPlainAsync(node, [file], FAULT_FIXTURES, o),
    runCli(node, [file], FAULT_FIXTURES, o),
  ]);
  return { plain, cli, scan: scanTrace(cli.traceFile) };
}

const yieldValues = (events: readonly TraceEvent[]): string[] =>
  events.flatMap((e) => (e.kind === 'yield' ? [e.value.text] : []));

describe('faults: programs that misbehave', function () {
  this.timeout(120_000);
  after(cleanupFaultScratch);

  it('throws synchronously at start (CommonJS and ES module): same report, trace ends "uncaught"', async function () {
    for (const node of await testNodes()) {
      for (const file of ['throw-at-start.cjs', 'throw-at-start.mjs']) {
        const what = `${file} on Node ${node.version}`;
        const { plain, traced, scan } = await both(node.path, file);
        assertSameRun(plain, traced, what);
        assert.equal(plain.status, 1, what);
        assertEndsWith(scan, { reason: 'uncaught', exitCode: 1, error: /^RangeError: boom at start$/ }, what);
        assert.deepEqual(
          describeEvents(eventsOf(scan, 'steps')),
          ['create', 'resume next undefined', 'yield one'],
          what,
        );
      }
    }
  });

  it('throws inside a generator that a for…of drives: the generator ends by throwing, the trace "uncaught"', async function () {
    for (const node of await testNodes()) {
      const what = `Node ${node.version}`;
      const { plain, traced, scan } = await both(node.path, 'throw-in-generator.mjs');
      assertSameRun(plain, traced, what);
      assert.equal(plain.status, 1, what);
      assertEndsWith(scan, { reason: 'uncaught', exitCode: 1, error: /^TypeError: no more at 1$/ }, what);
      const events = eventsOf(scan, 'countdown');
      assert.deepEqual(yieldValues(events), ['3', '2'], what);
      assert.equal(events.at(-1)?.kind, 'throw', what);
    }
  });

  it('rejects inside an async function with no handler: same report and exit code, the trace "uncaught"', async function () {
    for (const node of await testNodes()) {
      const what = `Node ${node.version}`;
      const { plain, traced, scan } = await both(node.path, 'reject-unhandled.mjs');
      assertSameRun(plain, traced, what);
      assert.equal(plain.status, 1, what);
      assertEndsWith(scan, { reason: 'uncaught', exitCode: 1, error: /^Error: cannot load config$/ }, what);
      const load = describeEvents(eventsOf(scan, 'load'));
      assert.equal(load[0], 'create', what);
      assert.equal(load.at(-1), 'throw Error: cannot load config', what);
      assert.equal(load.filter((e) => e === 'await').length, 2, `${what}: ${load.join(', ')}`);
    }
  });

  it('calls process.exit() in the middle of a yield* chain: the chain stays open, the trace ends "exit 3"', async function () {
    for (const node of await testNodes()) {
      const what = `Node ${node.version}`;
      const { plain, traced, scan } = await both(node.path, 'exit-in-delegation.cjs');
      assertSameRun(plain, traced, what);
      assert.equal(plain.status, 3, what);
      assertEndsWith(scan, { reason: 'exit', exitCode: 3 }, what);
      const outer = eventsOf(scan, 'outer');
      const middle = eventsOf(scan, 'middle');
      const inner = eventsOf(scan, 'inner');
      const id = (evs: TraceEvent[]): number => evs[0]!.co;
      const delegates = scan.head.filter((e) => e.kind === 'delegate');
      assert.deepEqual(
        delegates.map((e) => [e.co, e.kind === 'delegate' ? e.target : -1]),
        [
          [id(outer), id(middle)],
          [id(middle), id(inner)],
        ],
        what,
      );
      assert.deepEqual(yieldValues(inner), ['a'], what);
      assert.equal(inner.at(-1)?.kind, 'resume', `${what}: inner was last resumed, then the process exited`);
      for (const evs of [outer, middle, inner]) {
        assert.ok(!evs.some((e) => e.kind === 'return' || e.kind === 'throw' || e.kind === 'finally'), what);
      }
    }
  });

  it('is killed by SIGTERM after it said "ready": the events before are kept, the CLI adds "signal"', async function () {
    // Half a second: the drain worker must be up (see the BUG about the first event-loop turn below).
    const stop = { signal: 'SIGTERM', onOutput: 'ready', delayMs: 500 } as const;
    for (const node of await testNodes()) {
      const what = `Node ${node.version}`;
      // The tracer alone: it cannot write an end record (nothing of the program runs at a signal), but every
      // event before it must be in the file, undamaged.
      const { plain, traced, scan } = await both(node.path, 'wait-for-signal.cjs', { stop });
      assertSameRun(plain, traced, what);
      assert.equal(plain.signal, 'SIGTERM', what);
      assert.deepEqual(scan.problems, [], what);
      assert.ok(scan.contiguous, what);
      assert.deepEqual(yieldValues(eventsOf(scan, 'tick')), ['0', '1', '2', '3', '4', '5'], what);
      assert.equal(eventsOf(scan, 'settle').at(-1)?.kind, 'return', what);
      // Through the CLI, as in a terminal: the same events, then the end record.
      const viaCli = await runCli(node.path, ['wait-for-signal.cjs'], FAULT_FIXTURES, { stop });
      assert.equal(viaCli.stdout.toString(), plain.stdout.toString(), what);
      assert.equal(viaCli.status, 128 + 15, `${what}: the CLI exits as a shell reports a signal`);
      const cliScan = scanTrace(viaCli.traceFile);
      assertEndsWith(cliScan, { reason: 'signal', exitCode: 143, error: /^SIGTERM$/ }, what);
      assert.deepEqual(describeEvents(cliScan.head.slice(0, -1)), describeEvents(scan.head), what);
    }
  });

  it('runs out of memory: same exit, the trace keeps the events before the crash in order and ends "signal"', async function () {
    const o: RunOptions = { env: { NODE_OPTIONS: '--max-old-space-size=32' }, timeoutMs: 60_000 };
    for (const node of await testNodes()) {
      const what = `Node ${node.version}`;
      const { plain, cli, scan } = await plainAndCli(node.path, 'oom.cjs', o);
      assert.equal(plain.signal, 'SIGABRT', `${what}: ${plain.stderr.slice(0, 200)}`);
      assert.equal(cli.status, 128 + 6, `${what}: the CLI exits as a shell reports SIGABRT`);
      const chunks = yieldValues(eventsOf(scan, 'chunks'));
      assert.ok(chunks.length > 0, what);
      chunks.forEach((text, i) => assert.match(text, new RegExp(`^\\[${i}, ${i}, ${i}, ${i}, ${i}, … 99995 more\\]$`)));
      assert.ok(scan.contiguous, what);
      if (scan.problems.length === 0) {
        assertEndsWith(scan, { reason: 'signal', exitCode: 134, error: /^SIGABRT$/ }, what);
      } else {
        // The abort landed while the drain worker was writing: a cut last record, and then no end record (see
        // the BUG about `yieldscope run` and a cut tail below).
        assert.match(scan.problems.join('; '), /^the trace ends inside a record \(\d+ bytes cut\)$/, what);
      }
    }
  });

  // The drain worker polls every 2 ms while records flow, and no JavaScript runs at a fatal error: the records of the
  // last poll interval can be lost. Quiet runs keep them all (9 of 9 on Node 20, 22 and 24); a CI run under load
  // lost the last chunk on Node 24 ("33 in the trace, 34 printed"). A guarantee needs the main thread to flush
  // near the heap limit, and V8 offers no cheap way to know it is near.
  it.skip('BUG: a fatal error can lose the records of the last 2 ms before it (oom.cjs under load: 33 of 34 chunks): every chunk oom.cjs printed must be in the trace', async function () {
    const o: RunOptions = { env: { NODE_OPTIONS: '--max-old-space-size=32' }, timeoutMs: 60_000 };
    for (const node of await testNodes()) {
      const cli = await runCli(node.path, ['oom.cjs'], FAULT_FIXTURES, o);
      const printed = cli.stdout.toString().match(/^chunk \d+$/gm) ?? [];
      const chunks = yieldValues(eventsOf(scanTrace(cli.traceFile), 'chunks'));
      // Chunk i is yielded before it is printed: every printed chunk must be in the trace.
      assert.ok(
        chunks.length >= printed.length,
        `Node ${node.version}: ${chunks.length} in the trace, ${printed.length} printed`,
      );
    }
  });

  it('when a kill cuts the trace inside a record (a write in flight), `yieldscope run` drops the cut bytes and adds the end record: cut-then-killed.cjs', async function () {
    for (const node of await testNodes()) {
      const what = `Node ${node.version}`;
      const cli = await runCli(node.path, ['cut-then-killed.cjs'], FAULT_FIXTURES);
      assert.equal(cli.stdout.toString(), '1 2\n', what);
      const scan = scanTrace(cli.traceFile);
      assert.ok(scan.kinds.get('end'), `${what}: no end record (${scan.problems.join('; ')})`);
      const last = scan.tail.at(-1);
      assert.ok(last?.kind === 'end' && last.reason === 'signal', what);
    }
  });

  it('loops for ever without yielding inside a callback: killed, the trace has every event before', async function () {
    const stop = { signal: 'SIGTERM', onOutput: 'ready', delayMs: 300 } as const;
    for (const node of await testNodes()) {
      const what = `Node ${node.version}`;
      const { plain, cli, scan } = await plainAndCli(node.path, 'spin-in-callback.cjs', { stop });
      assert.equal(plain.signal, 'SIGTERM', what);
      assert.equal(cli.stdout.toString(), plain.stdout.toString(), what);
      assertEndsWith(scan, { reason: 'signal', exitCode: 143, error: /^SIGTERM$/ }, what);
      assert.deepEqual(yieldValues(eventsOf(scan, 'pair')), ['1', '2'], what);
      assert.deepEqual(describeEvents(eventsOf(scan, 'later')).slice(-1), ['return 2'], what);
    }
  });

  it('a program that blocks before its event loop first turns keeps its trace (the drain worker starts with the first event): spin-at-top-level.cjs/.mjs, spin-in-first-timer.cjs', async function () {
    const stop = { signal: 'SIGTERM', onOutput: 'ready', delayMs: 300 } as const;
    for (const node of await testNodes()) {
      for (const file of ['spin-at-top-level.cjs', 'spin-at-top-level.mjs', 'spin-in-first-timer.cjs']) {
        const what = `${file} on Node ${node.version}`;
        const { plain, cli, scan } = await plainAndCli(node.path, file, { stop });
        assert.equal(plain.signal, 'SIGTERM', what);
        assert.equal(cli.stdout.toString(), plain.stdout.toString(), what);
        assertEndsWith(scan, { reason: 'signal', exitCode: 143, error: /^SIGTERM$/ }, what);
        assert.deepEqual(yieldValues(eventsOf(scan, 'pair')), ['1', '2'], what);
      }
    }
  });

  it('a program that dies within milliseconds of its first event (out of memory at the top level, or killed 50 ms after it said "ready") leaves a trace that says so: oom-at-top-level.cjs, yield-forever-at-top-level.cjs', async function () {
    const stop = { signal: 'SIGTERM', onOutput: 'ready', delayMs: 50 } as const;
    for (const node of await testNodes()) {
      const oom = await runCli(node.path, ['oom-at-top-level.cjs'], FAULT_FIXTURES, {
        env: { NODE_OPTIONS: '--max-old-space-size=32' },
      });
      const oomScan = scanTrace(oom.traceFile);
      const what = `oom-at-top-level.cjs on Node ${node.version}`;
      assertEndsWith(oomScan, { reason: 'signal', exitCode: 134, error: /^SIGABRT$/ }, what);
      assert.ok(yieldValues(eventsOf(oomScan, 'chunks')).length > 0, what);
      const spun = await runCli(node.path, ['yield-forever-at-top-level.cjs'], FAULT_FIXTURES, { stop });
      const yieldScan = scanTrace(spun.traceFile, { keepHead: 100 });
      assertEndsWith(
        yieldScan,
        { reason: 'signal', exitCode: 143 },
        `yield-forever-at-top-level.cjs on Node ${node.version}`,
      );
    }
  });

  it('yields for ever: killed, the trace holds every yield before the signal, in order, nothing missing', async function () {
    const stop = { signal: 'SIGTERM', onOutput: 'ready', delayMs: 250 } as const;
    for (const node of await testNodes()) {
      const what = `Node ${node.version}`;
      const traced = await runTracedAsync(node.path, ['yield-forever.cjs'], FAULT_FIXTURES, { stop });
      assert.equal(traced.signal, 'SIGTERM', what);
      let next = 0;
      const scan = scanTrace(traced.traceFile, {
        keepHead: 100,
        check: (ev) => {
          if (ev.kind === 'yield' && ev.value.text !== String(next++)) {
            assert.fail(`${what}: yield ${next - 1} is ${ev.value.text}`);
          }
        },
      });
      // A kill can land while the drain worker writes: the file may end inside a record (the kernel stops a
      // write at a fatal signal), which readers report and skip. Nothing before it may be missing or damaged.
      assert.ok(
        scan.problems.length === 0 ||
          /^the trace ends inside a record \(\d+ bytes cut\)$/.test(scan.problems.join('; ')),
        `${what}: ${scan.problems.join('; ')}`,
      );
      assert.ok(scan.contiguous, what);
      assert.equal(scan.kinds.get('dropped') ?? 0, 0, what);
      assert.ok(next > 10_000, `${what}: only ${next} yields in 250 ms`);
    }
  });

  it('`yieldscope run` adds the end record after a signal without decoding the trace: 1.5 s of yield-forever.cjs (tens of MB) and then well under a second more', async function () {
    const [node] = await testNodes();
    const stop = { signal: 'SIGTERM', onOutput: 'ready', delayMs: 1500 } as const;
    const viaCli = await runCli(node!.path, ['yield-forever.cjs'], FAULT_FIXTURES, { stop, timeoutMs: 120_000 });
    assert.ok(viaCli.ms < 1500 + 3000, `the CLI took ${Math.round(viaCli.ms)} ms in all`);
    assertEndsWith(scanTrace(viaCli.traceFile, { keepHead: 0 }), { reason: 'signal', exitCode: 143 }, 'via the CLI');
  });

  it('prints megabytes to stdout and stderr: every byte arrives, in order, and the trace ends "exit 0"', async function () {
    for (const node of await testNodes()) {
      const what = `Node ${node.version}`;
      const { plain, traced, scan } = await both(node.path, 'print-megabytes.cjs');
      assertSameRun(plain, traced, what);
      assert.equal(plain.stdout.length, 80_000 * 98 + 4 * 1024 * 1024 + 5, what);
      assertEndsWith(scan, { reason: 'exit', exitCode: 0 }, what);
      assert.equal(scan.kinds.get('yield'), 80_000, what);
    }
  });

  it('reads standard input with for await…of: same output, the trace ends "exit 0"', async function () {
    const input = Array.from({ length: 2000 }, (_, i) => `line ${i} of the input`).join('\n');
    for (const node of await testNodes()) {
      const what = `Node ${node.version}`;
      const { plain, traced, scan } = await both(node.path, 'read-stdin.mjs', { input });
      assertSameRun(plain, traced, what);
      assert.match(plain.stdout.toString(), /^2000: LINE 1999 OF THE INPUT$/m, what);
      assertEndsWith(scan, { reason: 'exit', exitCode: 0 }, what);
      assert.equal(scan.kinds.get('yield'), 2000, what);
    }
  });

  it('changes its working folder: the trace goes where the tracer was told at start, and sites stay right', async function () {
    // A copy of the fixture in a folder of our own, so that a relative trace path is harmless wherever it lands.
    const dir = join(faultScratch(), 'chdir');
    mkdirSync(join(dir, 'elsewhere'), { recursive: true });
    copyFileSync(join(FAULT_FIXTURES, 'chdir.cjs'), join(dir, 'chdir.cjs'));
    copyFileSync(join(FAULT_FIXTURES, 'elsewhere', 'words.cjs'), join(dir, 'elsewhere', 'words.cjs'));
    for (const node of await testNodes()) {
      const what = `Node ${node.version}`;
      const out = freshTracePath();
      const o = { env: { YIELDSCOPE_OUT: relative(dir, out) } };
      const [plain, traced] = await Promise.all([
        runPlainAsync(node.path, ['chdir.cjs'], dir),
        runTracedAsync(node.path, ['chdir.cjs'], dir, o),
      ]);
      assertSameRun(plain, traced, what);
      assert.match(plain.stdout.toString(), /now in elsewhere from\|another\|folder/, what);
      assert.ok(existsSync(out), `${what}: no trace at ${out}`);
      const scan = scanTrace(out);
      assertEndsWith(scan, { reason: 'exit', exitCode: 0 }, what);
      const words = eventsOf(scan, 'words');
      assert.deepEqual(yieldValues(words), ['from', 'another', 'folder'], what);
      const create = words[0]!;
      const site = create.kind === 'create' ? scan.sites.get(create.site) : undefined;
      const file = site ? scan.files.get(site.file)?.url : undefined;
      assert.match(file ?? '', /\/chdir\/elsewhere\/words\.cjs$/, what);
    }
  });

  it('patches Promise, Promise#then, setTimeout and %IteratorPrototype%[Symbol.iterator] around its generators', async function () {
    for (const node of await testNodes()) {
      const what = `Node ${node.version}`;
      const { plain, traced, scan } = await both(node.path, 'patch-globals.mjs');
      assertSameRun(plain, traced, what);
      assert.match(plain.stdout.toString(), /^after 0,1,2 after!$/m, what);
      assertEndsWith(scan, { reason: 'exit', exitCode: 0 }, what);
      const creates = (fn: string): number => eventsOf(scan, fn).filter((e) => e.kind === 'create').length;
      assert.equal(creates('count'), 3, what);
      assert.equal(creates('work'), 3, what);
      assert.equal(creates('round'), 3, what);
    }
  });

  it('the tracer calls none of Math.floor, Math.min, Math.trunc or Array.prototype push, shift, splice and findIndex as the program left them (generators, async generators, timers): patch-builtins-runtime.cjs', async function () {
    for (const node of await testNodes()) {
      const what = `Node ${node.version}`;
      const { plain, traced, scan } = await both(node.path, 'patch-builtins-runtime.cjs');
      assert.match(
        plain.stdout.toString(),
        /^total 7 \{"Math.floor":0,"Math.min":0,"Math.trunc":0,"Array#push":0,/,
        what,
      );
      assertSameRun(plain, traced, what);
      assertEndsWith(scan, { reason: 'exit', exitCode: 0 }, what);
    }
  });

  it('the tracer never calls Array.prototype[Symbol.iterator] as the program left it (generators through a yield*, an async function): patch-array-iterator.cjs', async function () {
    for (const node of await testNodes()) {
      const what = `Node ${node.version}`;
      const { plain, traced, scan } = await both(node.path, 'patch-array-iterator.cjs');
      assert.equal(plain.stdout.toString(), 'array iterator calls 0\n', what);
      assertSameRun(plain, traced, what);
      assertEndsWith(scan, { reason: 'exit', exitCode: 0 }, what);
    }
  });
});
