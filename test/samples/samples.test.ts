// Every gallery sample, run and recorded on every supported Node version. A sample must print exactly the same with
// and without the tracer, and exactly what its README shows under "What it prints"; its trace's summary (each
// generator, how often it was resumed and yielded, how it ended; warnings; the end) must match the golden summary
// stored beside this test, so that a change in what the tracer records for a sample shows up as a reviewed diff.
// YIELDSCOPE_UPDATE_GOLDEN=1 rewrites the golden summaries and the READMEs' output blocks from the system Node.
//
// Plain Node runs TypeScript as it is from 22.18 on; on older versions only the traced run can be checked here,
// against the same expected output.

import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { NodeBinary } from '../../scripts/node-versions.mjs';
import { summaryText } from '../../src/cli/summary';
import { CoroutineModel, modelAt, type Coroutine, type CoroutineState } from '../../src/model/coroutines';
import type { Trace, TraceEvent } from '../../src/protocol/trace';
import { SAMPLE_PROGRAM } from '../../src/extension/sampleCatalog';
import { cleanupScratch, runPlain, runTraced, testNodes, type Outcome } from '../tracer/harness';
import { GOLDEN, SAMPLES, readmeOutput, sampleFolders, withReadmeOutput } from './gallery';

const update = process.env['YIELDSCOPE_UPDATE_GOLDEN'] === '1';

/** Samples that the tracer cannot record yet, and why: their gallery tests are skipped, not removed. None now. */
const TRACER_BUGS: Readonly<Record<string, string>> = {};

/** Whether plain `node file.ts` works: type stripping is on by default from Node 22.18 (and 23.6). */
function runsTypeScript(node: NodeBinary): boolean {
  const [major = 0, minor = 0] = node.version.split('.').map(Number);
  return major > 22 || (major === 22 && minor >= 18);
}

/** The summary with the one thing that differs between Node versions, the version, left out. */
function goldenSummary(summary: string): string {
  return summary.replace(/^(.*) on Node v[\d.]+: /, '$1 on Node <version>: ');
}

interface Run {
  readonly node: NodeBinary;
  readonly traced: Outcome;
  readonly trace: Trace;
  readonly summary: string;
  readonly plain: Outcome | undefined;
}

const runs = new Map<string, Promise<Run[]>>();

/** Runs a sample on every Node version, once for all the tests that look at it. */
function runsOf(id: string): Promise<Run[]> {
  let pending = runs.get(id);
  if (!pending) {
    pending = testNodes().then((nodes) =>
      nodes.map((node) => {
        const cwd = join(SAMPLES, id);
        const traced = runTraced(node.path, [SAMPLE_PROGRAM], cwd);
        const { trace } = traced;
        assert.deepEqual(trace.problems, [], `Node ${node.version}: the trace has problems`);
        assert.ok(
          trace.events.some((e) => e.kind === 'end'),
          `Node ${node.version}: the trace has no end record`,
        );
        const plain = runsTypeScript(node) ? runPlain(node.path, [SAMPLE_PROGRAM], cwd) : undefined;
        return { node, traced, trace, summary: goldenSummary(summaryText(trace)), plain };
      }),
    );
    runs.set(id, pending);
  }
  return pending;
}

describe('the sample gallery, run with and without the tracer', function () {
  after(cleanupScratch);

  for (const id of sampleFolders()) {
    describe(id, function () {
      const bug = TRACER_BUGS[id];
      const test = bug === undefined ? it : it.skip;
      const title = (text: string): string => (bug === undefined ? text : `${text} (BUG: ${bug})`);

      test(
        title('prints the same traced as untraced, and what its README shows, on every Node version'),
        async function () {
          const results = await runsOf(id);
          const readmePath = join(SAMPLES, id, 'README.md');
          if (update) {
            const readme = readFileSync(readmePath, 'utf8');
            const updated = withReadmeOutput(readme, results[0]!.traced.stdout);
            if (updated !== readme) writeFileSync(readmePath, updated);
          }
          const expected = readmeOutput(readFileSync(readmePath, 'utf8'));
          assert.ok(expected !== undefined, `${readmePath} has no "What it prints" section with a \`\`\`text block`);
          assert.ok(
            results.some((r) => r.plain),
            'no Node version under test runs TypeScript as it is (22.18 or newer)',
          );
          for (const { node, traced, plain } of results) {
            if (plain) {
              assert.equal(traced.stdout, plain.stdout, `Node ${node.version}: stdout differs with the tracer`);
              assert.equal(traced.stderr, plain.stderr, `Node ${node.version}: stderr differs with the tracer`);
              assert.equal(traced.status, plain.status, `Node ${node.version}: exit code differs with the tracer`);
              assert.equal(traced.signal, plain.signal, `Node ${node.version}: signal differs with the tracer`);
            }
            assert.equal(traced.status, 0, `Node ${node.version}: exit code ${traced.status}\n${traced.stderr}`);
            assert.equal(traced.stderr, '', `Node ${node.version}: the sample wrote to stderr`);
            assert.equal(
              traced.stdout,
              expected,
              `Node ${node.version}: the output is not what ${id}/README.md shows (YIELDSCOPE_UPDATE_GOLDEN=1 rewrites it)`,
            );
          }
        },
      );

      test(title(`its trace's summary matches golden/${id}.summary.txt on every Node version`), async function () {
        const results = await runsOf(id);
        const goldenPath = join(GOLDEN, `${id}.summary.txt`);
        if (update || !existsSync(goldenPath)) writeFileSync(goldenPath, results[0]!.summary);
        const expected = readFileSync(goldenPath, 'utf8');
        for (const { node, summary } of results) {
          assert.equal(summary, expected, `Node ${node.version}: the summary differs from ${goldenPath}`);
        }
      });
    });
  }
});

/** The system Node's trace of a sample, folded by the model. */
async function modelOf(
  id: string,
): Promise<{ trace: Trace; model: CoroutineModel; named: (name: string) => Coroutine[] }> {
  const [first] = await runsOf(id);
  const trace = first!.trace;
  const model = new CoroutineModel(trace).applyAll(trace.events);
  return { trace, model, named: (name) => model.list().filter((c) => c.name === name) };
}

function eventsOf(trace: Trace, co: Coroutine): TraceEvent[] {
  return trace.events.filter((e) => e.co === co.id);
}

/** A compact description of a coroutine's events: `resume:next`, `yield:1`, `return:x`, `finally`, … */
function story(trace: Trace, co: Coroutine): string[] {
  return eventsOf(trace, co).flatMap((e) => {
    switch (e.kind) {
      case 'resume':
        return [`resume:${e.mode}:${e.value.text}`];
      case 'yield':
        return [`yield:${e.value.text}`];
      case 'return':
        return [`return:${e.value.text}`];
      case 'throw':
        return [`throw:${e.error.text}`];
      case 'finally':
        return ['finally'];
      default:
        return [];
    }
  });
}

/** The values that went in and came out of a coroutine: its `story` without the yields. */
function inAndOut(trace: Trace, co: Coroutine): string[] {
  return story(trace, co).filter((s) => !s.startsWith('yield:'));
}

describe('what the traces say about the samples (what their READMEs tell the reader to watch)', function () {
  after(cleanupScratch);

  it('02: newRange stays suspended at `yield i`; f goes through every state and stays closed', async function () {
    const { trace, named } = await modelOf('02-generator-life');
    const [r] = named('newRange');
    assert.equal(r?.state.kind, 'suspended');
    const site = r!.state.kind === 'suspended' ? trace.sites.get(r!.state.site) : undefined;
    const line = readFileSync(join(SAMPLES, '02-generator-life', SAMPLE_PROGRAM), 'utf8').split('\n')[site!.line - 1];
    assert.equal(line?.slice(site!.column - 1), 'yield i;');
    const [g, spread] = named('f');
    assert.deepEqual(story(trace, g!), [
      'resume:next:undefined',
      'yield:1',
      'resume:next:undefined',
      'yield:2',
      'resume:next:undefined',
      'return:undefined',
      'resume:next:undefined',
      'return:undefined',
    ]);
    assert.equal(spread?.consumer?.how, 'spread');
  });

  it('04: take closes the pipeline, and return() reaches newRange, with generators and with helpers', async function () {
    const { trace, named } = await modelOf('04-lazy-pipeline');
    const ranges = named('newRange');
    assert.equal(ranges.length, 2);
    for (const r of ranges) {
      assert.equal(r.yields, 19, 'newRange made 19 numbers');
      assert.equal(story(trace, r).at(-2), 'resume:return:undefined', 'closed by return()');
    }
    const [filter] = named('filter');
    const [take] = named('take');
    assert.equal(filter?.resumer, take?.id, 'take resumes filter');
    assert.equal(ranges[0]!.resumer, filter?.id, 'filter resumes newRange');
    assert.equal(ranges[1]!.resumer, 0, 'the built-in helpers are not coroutines');
  });

  it('05: the value sent before gen started is reported as discarded', async function () {
    const { model } = await modelOf('05-sending-values');
    assert.deepEqual(
      model.warnings.map((w) => w.kind),
      ['discarded-send'],
    );
  });

  it('06: throw() caught at the yield, the finally block run by return(), throw() escaping fragile', async function () {
    const { trace, named } = await modelOf('06-throw-and-return');
    const [handled, early, earlier] = named('worker');
    assert.deepEqual(story(trace, handled!), [
      'resume:next:undefined',
      'yield:job 1',
      'resume:throw:Error: retry',
      'yield:job 2',
      'resume:return:stopped',
      'finally',
      'return:stopped',
      'resume:next:undefined',
      'return:undefined',
    ]);
    assert.deepEqual(story(trace, named('fragile')[0]!).slice(0, 4), [
      'resume:next:undefined',
      'yield:1',
      'resume:throw:Error: boom',
      'throw:Error: boom',
    ]);
    assert.deepEqual(early!.state, { kind: 'closed', value: { type: 'string', text: 'never ran' } });
    assert.equal(early!.finallies, 0, 'return() before the start runs no finally block');
    assert.equal(earlier!.state.kind, 'failed');
  });

  // A next() on a generator that has already ended is recorded as a resume and a `return` of undefined; the model
  // keeps how it ended: `worker` "stopped", `fragile` failing with Error: boom.
  it('06: a generator resumed after it ended still shows how it ended', async function () {
    const { named } = await modelOf('06-throw-and-return');
    assert.deepEqual(named('worker')[0]!.state, { kind: 'closed', value: { type: 'string', text: 'stopped' } });
    assert.equal(named('fragile')[0]!.state.kind, 'failed');
  });

  it('08: gen delegates to internal A, then internal B, whose return value becomes its own', async function () {
    const { trace, named } = await modelOf('08-yield-star');
    const [gen] = named('gen');
    const targets = eventsOf(trace, gen!).flatMap((e) => (e.kind === 'delegate' ? [e.target] : []));
    assert.deepEqual(
      targets,
      named('internal').map((c) => c.id),
    );
    assert.deepEqual(gen!.state, { kind: 'closed', value: { type: 'string', text: 'B finished' } });
  });

  it('09: the runner sends greetAll what greetAllAsync gets from its awaits: Ada, the rejection for 3, Grace', async function () {
    const { trace, named } = await modelOf('09-generator-runner');
    const [gen] = named('greetAll');
    const [fn] = named('greetAllAsync');
    assert.equal(gen?.coKind, 'generator');
    assert.equal(fn?.coKind, 'async');
    const expected = [
      'resume:next:undefined',
      'resume:next:Ada',
      'resume:throw:Error: no user 3',
      'resume:next:Grace',
      'return:hello, Ada and Grace',
    ];
    assert.deepEqual(inAndOut(trace, gen!), expected);
    assert.deepEqual(inAndOut(trace, fn!), expected);
    assert.equal(gen!.yields, 3, 'one yield of a promise per user');
    const waits = eventsOf(trace, fn!).filter((e) => e.kind === 'await');
    assert.equal(waits.length, 3, 'one await of a promise per user');
    const later = (co: Coroutine) =>
      eventsOf(trace, co)
        .filter((e) => e.kind === 'resume')
        .slice(1);
    for (const e of [...later(gen!), ...later(fn!)]) {
      assert.equal(
        e.kind === 'resume' && e.resumer,
        0,
        `#${e.seq}: resumed from a promise reaction, not by a coroutine`,
      );
    }
  });

  it('10: coro parks on the Step object itself, each send resumes it with the next count, and it is left awaiting', async function () {
    const { trace, named } = await modelOf('10-custom-awaitable');
    const [coro] = named('coro');
    const waits = eventsOf(trace, coro!).flatMap((e) => (e.kind === 'await' ? [e] : []));
    assert.equal(waits.length, 4);
    for (const e of waits) {
      assert.equal(e.value.type, 'object', 'an awaitable, not a promise');
      assert.match(e.value.text, /^Step \{/);
      assert.equal(e.target, 0, 'no coroutine behind it');
    }
    assert.deepEqual(story(trace, coro!), ['resume:next:undefined', 'resume:next:1', 'resume:next:2', 'resume:next:3']);
    assert.equal(coro!.resumer, 0, 'resumed from a microtask');
    assert.equal(coro!.state.kind, 'awaiting');
  });

  // The preview of an awaited value that is not a promise is made when the await record is written, which waits for
  // the next event: by then V8 may have called then(), which here stores the resume function in `waiting`.
  it('10: each await shows the Step as it was at the await', async function () {
    const { trace, named } = await modelOf('10-custom-awaitable');
    const [coro] = named('coro');
    const waits = eventsOf(trace, coro!).flatMap((e) => (e.kind === 'await' ? [e.value.text] : []));
    assert.deepEqual(
      waits,
      [0, 1, 2, 3].map((s) => `Step { s: ${s}, waiting: undefined }`),
    );
  });

  it('11: the tasks interleave: A, B and C each run to their first await, then take turns as their timers fire', async function () {
    const { trace, model, named } = await modelOf('11-interleaving-tasks');
    const tasks = named('task');
    const letter = (co: number): string => model.coroutines.get(co)?.args[0]?.text ?? '?';
    assert.deepEqual(
      tasks.map((t) => letter(t.id)),
      ['A', 'B', 'C'],
    );
    const ids = new Set(tasks.map((t) => t.id));
    const turns = trace.events.filter((e) => ids.has(e.co) && (e.kind === 'create' || e.kind === 'resume'));
    assert.deepEqual(
      turns.map((e) => `${e.kind}:${letter(e.co)}`),
      [
        ...['create:A', 'resume:A', 'create:B', 'resume:B', 'create:C', 'resume:C'],
        ...['resume:A', 'resume:B', 'resume:C', 'resume:A', 'resume:B', 'resume:C', 'resume:A', 'resume:B', 'resume:A'],
      ],
    );
    const firstRun = trace.events.find((e) => e.kind === 'task-run')!.seq;
    const parked = trace.events.filter((e) => e.kind === 'await' && ids.has(e.co) && e.seq < firstRun);
    assert.equal(parked.length, 3, 'all three await their first timer before any timer fires');
    for (const e of turns.slice(6)) {
      const before = trace.events[trace.events.indexOf(e) - 1];
      assert.equal(before?.kind, 'task-end', `${letter(e.co)} resumes right after a timer's callback`);
      assert.equal(e.kind === 'resume' && e.resumer, 0);
    }
    assert.deepEqual(
      tasks.map((t) => t.state),
      ['A did 4 jobs', 'B did 3 jobs', 'C did 2 jobs'].map((text) => ({
        kind: 'closed',
        value: { type: 'string', text },
      })),
    );
  });

  it('12: one next() call per chunk awaits its recv; the async generator awaits recv and yields each chunk', async function () {
    const { trace, named } = await modelOf('12-async-iteration');
    const nexts = named('AsyncDataStreamer#next');
    const recvs = named('recv');
    assert.equal(recvs.length, 8, 'four chunks read twice');
    assert.deepEqual(
      nexts.map((n) => (n.state.kind === 'closed' ? n.state.value.text : n.state.kind)),
      [
        ...[0, 1, 2, 3].map((no) => `{ value: "[chunk ${no} (1024)]", done: false }`),
        '{ value: undefined, done: true }',
      ],
    );
    const targets = (co: Coroutine): number[] =>
      eventsOf(trace, co).flatMap((e) => (e.kind === 'await' ? [e.target] : []));
    nexts.slice(0, 4).forEach((n, i) => assert.deepEqual(targets(n), [recvs[i]!.id], `next #${n.id} awaits its recv`));
    const [gen] = named('asyncDataStreamer');
    assert.equal(gen?.coKind, 'async-generator');
    assert.deepEqual(
      targets(gen!),
      recvs.slice(4).map((r) => r.id),
    );
    assert.deepEqual(
      story(trace, gen!).filter((s) => s.startsWith('yield:')),
      [0, 1, 2, 3].map((no) => `yield:[chunk ${no} (1024)]`),
    );
    assert.equal(gen!.resumer, 0, 'the for await loop at the top level resumes it');
    assert.deepEqual(gen!.state, { kind: 'closed', value: { type: 'undefined', text: 'undefined' } });
  });

  it('13: callbacks are queued in the order of the code and run in the order of the queues', async function () {
    const { trace, named } = await modelOf('13-event-loop-order');
    const [task] = named('task');
    const queueOf = new Map<number, string>();
    const order: string[] = [];
    for (const e of trace.events) {
      if (e.kind === 'task-queue') {
        queueOf.set(e.task, e.queue);
        order.push(`queue:${e.queue}`);
      } else if (e.kind === 'task-run') order.push(`run:${queueOf.get(e.task)}`);
      else if (e.kind === 'resume' && e.co === task?.id) order.push('resume:task');
    }
    assert.deepEqual(order, [
      // the script: a timer, a nextTick, a microtask, then task() runs up to its await
      ...['queue:timer', 'queue:nextTick', 'queue:microtask', 'resume:task'],
      // after the script: the microtasks (task resumes among them), then the nextTick, then the timer
      ...['run:microtask', 'resume:task', 'run:nextTick', 'run:timer'],
      // the timer queues a timer, an immediate, a microtask and a nextTick
      ...['queue:timer', 'queue:immediate', 'queue:microtask', 'queue:nextTick'],
      // and they run nextTicks first (one queued by the other), then the microtask, the immediate, the timer
      ...['run:nextTick', 'queue:nextTick', 'run:nextTick', 'run:microtask', 'run:immediate', 'run:timer'],
    ]);
    const delays = trace.events.flatMap((e) => (e.kind === 'task-queue' && e.queue === 'timer' ? [e.delay] : []));
    assert.deepEqual(delays, [1, 1], 'a 0 ms timer waits 1 ms');
    assert.deepEqual(task!.state, { kind: 'closed', value: { type: 'undefined', text: 'undefined' } });
  });

  it('14: the scheduler (the top level) resumes the workers in turn; each worker delegates to its own sleeps', async function () {
    const { trace, named } = await modelOf('14-round-robin');
    const workers = named('worker');
    const order = trace.events
      .filter((e) => e.kind === 'resume' && e.resumer === 0)
      .map((e) => workers.findIndex((w) => w.id === e.co));
    assert.deepEqual(order.slice(0, 6), [0, 1, 2, 0, 1, 2]);
    for (const sleep of named('sleep')) {
      assert.ok(
        workers.some((w) => w.id === sleep.parent),
        `sleep #${sleep.id} was created by a worker`,
      );
      assert.equal(sleep.resumer, sleep.parent, `sleep #${sleep.id} is resumed through its worker`);
    }
  });

  it('15: backpressure: while a put waits for room, the producer is not resumed and stays suspended at its yield', async function () {
    const { trace, named } = await modelOf('15-backpressure');
    const [producer] = named('produce');
    assert.equal(producer?.coKind, 'async-generator');
    assert.equal(producer!.yields, 6);
    const puts = named('BoundedQueue#put');
    const waiting = puts.filter((p) => eventsOf(trace, p).some((e) => e.kind === 'await'));
    assert.deepEqual(
      waiting.map((p) => p.args[0]?.text),
      ['4', '5', '6'],
      'the puts that found the queue full',
    );
    for (const put of waiting) {
      const events = eventsOf(trace, put);
      const parked = events.find((e) => e.kind === 'await')!.seq;
      const done = events.find((e) => e.kind === 'return')!.seq;
      const meanwhile: TraceEvent[] = eventsOf(trace, producer!).filter((e) => e.seq > parked && e.seq < done);
      assert.deepEqual(meanwhile, [], `the producer does nothing while put(${put.args[0]?.text}) waits`);
      const state: CoroutineState = modelAt(trace, parked).coroutines.get(producer!.id)!.state;
      assert.equal(state.kind, 'suspended', 'the producer waits at its yield');
      assert.equal(trace.sites.get(state.kind === 'suspended' ? state.site : 0)?.kind, 'yield');
    }
    const takes = named('BoundedQueue#take');
    assert.deepEqual(
      takes.map((t) => (t.state.kind === 'closed' ? t.state.value.text : t.state.kind)),
      ['1', '2', '3', '4', '5', '6', 'undefined'],
    );
    assert.deepEqual(named('consume')[0]!.state, { kind: 'closed', value: { type: 'number', text: '6' } });
  });

  // The for await loop parks the pump (its `await` at the loop) before V8 calls the generator's next(), so the
  // generator's resumption is recorded as the top level's, not the pump's.
  it('15: the pump resumes the producer: each next() comes from its for await loop', async function () {
    const { trace, named } = await modelOf('15-backpressure');
    const [producer] = named('produce');
    const [pump] = named('pump');
    const events = eventsOf(trace, producer!);
    const nextCalls = events.filter(
      (e, i) => e.kind === 'resume' && (events[i - 1]?.kind === 'create' || events[i - 1]?.kind === 'yield'),
    );
    assert.equal(nextCalls.length, 7, 'one next() per item, and the one that finds the end');
    for (const e of nextCalls) assert.equal(e.kind === 'resume' && e.resumer, pump!.id, `#${e.seq}`);
  });
});
