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
import { CoroutineModel, type Coroutine } from '../../src/model/coroutines';
import type { Trace, TraceEvent } from '../../src/protocol/trace';
import { SAMPLE_PROGRAM } from '../../src/extension/sampleCatalog';
import { cleanupScratch, runPlain, runTraced, testNodes, type Outcome } from '../tracer/harness';
import { GOLDEN, SAMPLES, readmeOutput, sampleFolders, withReadmeOutput } from './gallery';

const update = process.env['YIELDSCOPE_UPDATE_GOLDEN'] === '1';

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
      it('prints the same traced as untraced, and what its README shows, on every Node version', async function () {
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
      });

      it(`its trace's summary matches golden/${id}.summary.txt on every Node version`, async function () {
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
});
