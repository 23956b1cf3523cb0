// Property-based tests of the tracer on random generator programs (program-gen.ts).
//
//   1. Fidelity: traced and plain runs of a program print byte-identical stdout and stderr and exit the same
//      way, on every Node version.
//   2. Trace consistency: the trace of the traced run is undamaged, ends with an `end` record carrying the
//      process's exit code, and every coroutine's events form a well-nested sequence that agrees with what the
//      program counted itself (generator objects made, suspensions at each plain `yield`, re-entries) and with
//      what the CoroutineModel makes of it.
//
// Fixed seed by default; YIELDSCOPE_FC_SEED=<n> changes it, YIELDSCOPE_FC_RUNS=<n> sets the number of programs
// on the system Node (default 40; each other Node version gets a quarter of it, at least 10). A failure is
// shrunk to a minimal program, whose source is printed and written to test-results/property-failure-<n>.js
// (with a copy under its real extension, .cjs or .mjs, to run it).
//
// Constructs that hit known tracer bugs are excluded (program-gen.ts `Exclusions`, each naming its bug and
// fixture). YIELDSCOPE_FC_INCLUDE=<name,name|all> generates them again, to check a fix.

import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as fc from 'fast-check';
import { CoroutineModel } from '../../src/model/coroutines';
import type { Preview, Trace, TraceEvent } from '../../src/protocol/trace';
import {
  FIXTURES,
  ROOT,
  cleanupScratch,
  runPlain,
  runTraced,
  testNodes,
  type Outcome,
  type TracedOutcome,
} from './harness';
import {
  LITERALS,
  programArb,
  renderProgram,
  withoutExcluded,
  type Exclusions,
  type ProgramSpec,
  type RenderedProgram,
} from './program-gen';
import type { NodeBinary } from '../../scripts/node-versions.mjs';

const SEED = envInt('YIELDSCOPE_FC_SEED') ?? 0x59_53_21;
const RUNS = envInt('YIELDSCOPE_FC_RUNS') ?? 40;
const OTHER_RUNS = Math.max(10, Math.round(RUNS / 4));
/** Shrinking stops this long after the first failure; the smallest failing program so far is reported. */
const SHRINK_BUDGET_MS = 3 * 60_000;

/** Exclusions switched off by YIELDSCOPE_FC_INCLUDE. */
const INCLUDE = new Set((process.env['YIELDSCOPE_FC_INCLUDE'] ?? '').split(',').filter(Boolean));

function included(ex: Exclusions): Exclusions {
  return Object.fromEntries(
    Object.entries(ex).map(([k, v]) => [k, v && !INCLUDE.has(k) && !INCLUDE.has('all')]),
  ) as Exclusions;
}

function envInt(name: string): number | undefined {
  const v = process.env[name];
  if (v === undefined || v === '') return undefined;
  const n = Number(v);
  if (!Number.isInteger(n)) throw new Error(`${name} must be an integer, got ${JSON.stringify(v)}`);
  return n;
}

// ---------------------------------------------------------------- running programs

let programDir: string | undefined;
const plainRuns = new Map<string, Outcome>();
const tracedRuns = new Map<string, TracedOutcome>();

/** Writes the program to a file named after its content (so the transform cache can never mix programs up). */
function programFile(p: RenderedProgram): string {
  programDir ??= mkdtempSync(join(tmpdir(), 'ys-props-'));
  const name = `p-${createHash('sha1').update(p.source).digest('hex').slice(0, 12)}${p.extension}`;
  const file = join(programDir, name);
  if (!existsSync(file)) writeFileSync(file, p.source);
  return name;
}

function plainRun(node: NodeBinary, p: RenderedProgram): Outcome {
  const file = programFile(p);
  const key = `${node.path}\0${file}`;
  let r = plainRuns.get(key);
  if (!r) plainRuns.set(key, (r = runPlain(node.path, [file], programDir!)));
  return r;
}

function tracedRun(node: NodeBinary, p: RenderedProgram): TracedOutcome {
  const file = programFile(p);
  const key = `${node.path}\0${file}`;
  let r = tracedRuns.get(key);
  if (!r) tracedRuns.set(key, (r = runTraced(node.path, [file], programDir!)));
  return r;
}

// ---------------------------------------------------------------- property 1: fidelity

/** The first line where two texts differ, for a readable message. */
function firstDifference(a: string, b: string): string {
  const x = a.split('\n');
  const y = b.split('\n');
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    if (x[i] !== y[i]) return `line ${i + 1}:\n  plain:  ${JSON.stringify(x[i])}\n  traced: ${JSON.stringify(y[i])}`;
  }
  return '(no line differs)';
}

function checkFidelity(plain: Outcome, traced: Outcome): void {
  for (const stream of ['stdout', 'stderr'] as const) {
    if (plain[stream] !== traced[stream]) {
      throw new Error(`${stream} differs, first at ${firstDifference(plain[stream], traced[stream])}`);
    }
  }
  if (plain.status !== traced.status || plain.signal !== traced.signal) {
    throw new Error(
      `exit differs: plain ${plain.status}/${plain.signal}, traced ${traced.status}/${traced.signal}\n` +
        `traced stderr:\n${traced.stderr}`,
    );
  }
}

// ---------------------------------------------------------------- property 2: trace consistency

interface Counts {
  readonly created: number;
  readonly reenter: number;
  readonly yields: readonly number[];
}

function countsOf(stdout: string): Counts {
  const line = stdout.split('\n').find((l) => l.startsWith('#counts '));
  if (!line) throw new Error('the program did not print its #counts line');
  return JSON.parse(line.slice('#counts '.length)) as Counts;
}

const show = (p: Preview): string => `${p.type} ${JSON.stringify(p.text)}`;
const samePreview = (a: Preview, b: Preview): boolean => a.type === b.type && a.text === b.text;

/** Event kinds that are part of a coroutine's life; others (output, consume, …) may come at any time. */
const LIFECYCLE = new Set<string>(['create', 'resume', 'yield', 'delegate', 'return', 'throw', 'finally', 'reenter']);

/** Checks the events' order: a stack of running coroutines, and a life per coroutine. Throws on the first fault. */
function checkSequence(events: readonly TraceEvent[]): void {
  const stack: number[] = [];
  const created = new Set<number>();
  const seen = new Set<number>();
  const closed = new Set<number>();
  const top = (): number => stack[stack.length - 1] ?? 0;
  const fail = (ev: TraceEvent, why: string): never => {
    throw new Error(`event #${ev.seq} (${ev.kind} of coroutine ${ev.co}): ${why}; running: [${stack.join(', ')}]`);
  };
  /** A resumption of a closed generator: the next event must be its immediate completion. */
  let closedResume: Extract<TraceEvent, { kind: 'resume' }> | undefined;

  events.forEach((ev, i) => {
    if (closedResume) {
      const r = closedResume;
      closedResume = undefined;
      if (ev.co !== r.co || (ev.kind !== 'return' && ev.kind !== 'throw')) {
        fail(
          ev,
          `coroutine ${r.co} is closed, and was resumed with ${r.mode}(${show(r.value)}) by event #${r.seq}: expected its immediate return or throw`,
        );
      }
      if (r.mode === 'throw') {
        if (ev.kind !== 'throw' || !samePreview(ev.error, r.value))
          fail(ev, `throw(${show(r.value)}) on a closed generator must rethrow it`);
      } else if (ev.kind !== 'return') fail(ev, `${r.mode}() on a closed generator must return`);
      else {
        const expected: Preview = r.mode === 'next' ? { type: 'undefined', text: 'undefined' } : r.value;
        if (!samePreview(ev.value, expected))
          fail(ev, `${r.mode}() on a closed generator returned ${show(ev.value)}, expected ${show(expected)}`);
      }
    }
    if (LIFECYCLE.has(ev.kind)) {
      if (ev.kind === 'create') {
        if (seen.has(ev.co)) fail(ev, created.has(ev.co) ? 'created twice' : 'created after its first event');
        created.add(ev.co);
        if (ev.parent !== top()) fail(ev, `parent ${ev.parent}, but ${top()} is running`);
      }
      seen.add(ev.co);
    }
    switch (ev.kind) {
      case 'resume':
        if (stack.includes(ev.co)) fail(ev, 'resumed while running (expected a reenter event)');
        if (ev.resumer !== top()) fail(ev, `resumer ${ev.resumer}, but ${top()} is running`);
        if (closed.has(ev.co)) closedResume = ev;
        stack.push(ev.co);
        return;
      case 'yield':
      case 'return':
      case 'throw':
        if (top() !== ev.co) fail(ev, 'not the running coroutine');
        stack.pop();
        if (ev.kind !== 'yield') closed.add(ev.co);
        return;
      case 'delegate':
      case 'finally':
        if (top() !== ev.co) fail(ev, 'not the running coroutine');
        return;
      case 'reenter':
        if (!stack.includes(ev.co)) fail(ev, 'reentered, but it is not running');
        if (ev.resumer !== top()) fail(ev, `resumer ${ev.resumer}, but ${top()} is running`);
        return;
      case 'dropped':
        fail(ev, `${ev.count} events dropped`);
        return;
      case 'end':
        if (i !== events.length - 1) fail(ev, 'events after the end record');
        if (stack.length) fail(ev, 'coroutines still running at the end');
        return;
      default:
        return;
    }
  });
  if (closedResume) throw new Error(`the trace ends right after resuming closed coroutine ${closedResume.co}`);
}

function checkConsistency(p: RenderedProgram, traced: TracedOutcome): void {
  const trace: Trace = traced.trace;
  if (trace.problems.length) {
    throw new Error(
      `trace problems: ${trace.problems.join('; ')} (the traced run exited with ${traced.status}/${traced.signal}, ` +
        `stderr ${JSON.stringify(traced.stderr.slice(0, 2000))})`,
    );
  }
  const events = trace.events;
  const last = events[events.length - 1];
  if (!last || last.kind !== 'end') throw new Error(`the trace does not end with an end record (last: ${last?.kind})`);
  if (traced.signal === null && last.exitCode !== traced.status) {
    throw new Error(`the end record says exit code ${last.exitCode}, the process exited with ${traced.status}`);
  }
  checkSequence(events);

  // Sites: creations at the program's generator functions, every event of a coroutine at a site of its function.
  const fnLines = new Set(p.functionLines);
  const fnOf = new Map<number, string>();
  for (const e of events) {
    if (e.kind !== 'create') continue;
    const site = trace.sites.get(e.site);
    if (!site || site.kind !== 'function' || !fnLines.has(site.line)) {
      throw new Error(
        `create event #${e.seq} at ${site ? `${site.kind} site ${site.line}:${site.column}` : 'no site'}, not at a generator function`,
      );
    }
    fnOf.set(e.co, site.name);
  }
  for (const e of events) {
    if (e.kind !== 'yield' && e.kind !== 'delegate' && e.kind !== 'finally') continue;
    const site = trace.sites.get(e.site);
    if (site && site.name !== fnOf.get(e.co)) {
      throw new Error(
        `${e.kind} event #${e.seq} of ${fnOf.get(e.co)}#${e.co} at a site of ${site.name} (${site.line}:${site.column})`,
      );
    }
  }

  const counts = countsOf(traced.stdout);
  const creates = events.filter((e) => e.kind === 'create');
  if (creates.length !== counts.created) {
    throw new Error(`${creates.length} create events, but the program made ${counts.created} generator objects`);
  }
  const reenters = events.filter((e) => e.kind === 'reenter').length;
  if (reenters !== counts.reenter) {
    throw new Error(`${reenters} reenter events, but the program saw ${counts.reenter} re-entries`);
  }

  // Plain yields: site by site, as many yield events as the program counted, with the value it yields.
  const siteAt = new Map<string, number>();
  for (const s of trace.sites.values()) if (s.kind === 'yield') siteAt.set(`${s.line}:${s.column}`, s.id);
  const yieldsAt = new Map<number, Extract<TraceEvent, { kind: 'yield' }>[]>();
  for (const e of events) {
    if (e.kind !== 'yield') continue;
    let list = yieldsAt.get(e.site);
    if (!list) yieldsAt.set(e.site, (list = []));
    list.push(e);
  }
  const plainSites = new Set<number>();
  for (const ys of p.yieldSites) {
    const site = siteAt.get(`${ys.line}:${ys.column}`);
    const counted = counts.yields[ys.index] ?? 0;
    if (site === undefined) {
      if (counted > 0)
        throw new Error(`no yield site recorded at ${ys.line}:${ys.column}, which yielded ${counted} times`);
      continue;
    }
    plainSites.add(site);
    const got = yieldsAt.get(site) ?? [];
    if (got.length !== counted) {
      throw new Error(`${got.length} yield events at ${ys.line}:${ys.column}, but the program counted ${counted}`);
    }
    const expected = LITERALS[ys.value]!;
    for (const e of got) {
      if (e.value.type !== expected.type || (expected.text !== undefined && e.value.text !== expected.text)) {
        throw new Error(
          `yield event #${e.seq} at ${ys.line}:${ys.column} has value ${show(e.value)}, expected \`${ys.value}\``,
        );
      }
    }
  }
  for (const site of yieldsAt.keys()) {
    const s = trace.sites.get(site);
    if (s?.kind === 'yield' && !plainSites.has(site))
      throw new Error(`yield events at unknown site ${s.line}:${s.column}`);
  }

  // Delegation to generators: every value a delegate produced passed through its delegator's yield*.
  const yieldsOf = new Map<number, number>();
  for (const e of events) if (e.kind === 'yield') yieldsOf.set(e.co, (yieldsOf.get(e.co) ?? 0) + 1);
  const delegatedAt = new Map<number, number>();
  for (const e of events) {
    if (e.kind === 'delegate' && e.target !== 0) {
      delegatedAt.set(e.site, (delegatedAt.get(e.site) ?? 0) + (yieldsOf.get(e.target) ?? 0));
    }
  }
  for (const [site, n] of delegatedAt) {
    const through = yieldsAt.get(site)?.length ?? 0;
    if (through !== n) {
      const s = trace.sites.get(site);
      throw new Error(
        `yield* at ${s?.line}:${s?.column}: its delegates yielded ${n} times, but ${through} yields passed through`,
      );
    }
  }

  // The model: nothing left running, and the warnings the program provoked.
  const model = new CoroutineModel(trace).applyAll(events);
  const running = model.list().filter((c) => c.state.kind === 'running');
  if (running.length)
    throw new Error(`the model ends with coroutines running: ${running.map((c) => `${c.name}#${c.id}`).join(', ')}`);
  const discarded = model.warnings.filter((w) => w.kind === 'discarded-send').length;
  if (discarded !== p.discardedSends) {
    throw new Error(
      `${discarded} discarded-send warnings, but the driver sent ${p.discardedSends} values to just-started generators`,
    );
  }
  const reentry = model.warnings.filter((w) => w.kind === 'reentry').length;
  if (reentry !== counts.reenter) throw new Error(`${reentry} reentry warnings, but the program saw ${counts.reenter}`);
}

// ---------------------------------------------------------------- running a property

/** Writes a failing program where it can be rerun, and returns its paths. */
function saveFailure(p: RenderedProgram): string {
  const dir = join(ROOT, 'test-results');
  mkdirSync(dir, { recursive: true });
  let n = 1;
  while (existsSync(join(dir, `property-failure-${n}.js`))) n++;
  const file = join(dir, `property-failure-${n}.js`);
  writeFileSync(file, p.source);
  copyFileSync(file, join(dir, `property-failure-${n}${p.extension}`));
  return `${file} (and property-failure-${n}${p.extension})`;
}

/**
 * Runs one property on one Node version. Returns a failure message with the shrunk program's source, or
 * undefined when every program passed.
 */
function checkProperty(
  name: string,
  node: NodeBinary,
  seed: number,
  numRuns: number,
  exclusions: Exclusions,
  check: (p: RenderedProgram) => void,
): string | undefined {
  const render = (spec: ProgramSpec): RenderedProgram => renderProgram(withoutExcluded(spec, exclusions), exclusions);
  let failedAt: number | undefined;
  const property = fc.property(programArb, (spec: ProgramSpec) => {
    // Once shrinking has had its time, every further candidate passes: fast-check stops at the best so far.
    if (failedAt !== undefined && Date.now() - failedAt > SHRINK_BUDGET_MS) return;
    try {
      check(render(spec));
    } catch (e) {
      failedAt ??= Date.now();
      throw e;
    }
  });
  const details = fc.check(property, { seed, numRuns });
  if (!details.failed) return undefined;
  const p = render(details.counterexample![0]);
  const saved = saveFailure(p);
  const error = details.errorInstance instanceof Error ? details.errorInstance.message : String(details.errorInstance);
  return (
    `${name} fails on Node ${node.version} (${node.path}) for this ${p.extension} program ` +
    `(seed ${details.seed}, path ${details.counterexamplePath}, ${details.numShrinks} shrinks; saved to ${saved}):\n\n` +
    `${p.source}\n${error}`
  );
}

describe('random generator programs (fast-check)', function () {
  this.timeout(15 * 60_000);
  after(function () {
    cleanupScratch();
    if (programDir) rmSync(programDir, { recursive: true, force: true });
    programDir = undefined;
    plainRuns.clear();
    tracedRuns.clear();
  });

  /**
   * Fidelity bugs, excluded from both properties so that they run the same programs where they can. By Node
   * version, for bugs of one version only (none at the moment).
   */
  const fidelityBugs = (_node: NodeBinary): Exclusions => ({
    uncaughtThrowIntoGenerator: true,
  });
  const properties: {
    name: string;
    exclusions: (node: NodeBinary) => Exclusions;
    check: (node: NodeBinary, p: RenderedProgram) => void;
  }[] = [
    {
      name: 'fidelity: traced and plain runs have the same stdout, stderr and exit',
      exclusions: fidelityBugs,
      check: (node, p) => checkFidelity(plainRun(node, p), tracedRun(node, p)),
    },
    {
      name: 'trace consistency: well-formed events that agree with what the program counted',
      exclusions: (node) => ({ ...fidelityBugs(node), closeBeforeStart: true }),
      check: (node, p) => checkConsistency(p, tracedRun(node, p)),
    },
  ];

  for (const { name, exclusions, check } of properties) {
    it(`${name} (system Node, ${RUNS} programs; other versions, ${OTHER_RUNS} each)`, async function () {
      const nodes = await testNodes();
      const failed = nodes
        .map((node, i) =>
          checkProperty(name, node, SEED + i, i === 0 ? RUNS : OTHER_RUNS, included(exclusions(node)), (p) =>
            check(node, p),
          ),
        )
        .filter((m) => m !== undefined);
      if (failed.length) assert.fail(failed.join('\n\n'));
    });
  }
});

// Trace bugs the properties found, as minimal fixtures; the properties exclude them (program-gen.ts Exclusions).
// The fidelity bugs they found are cases in fidelity.test.ts.
describe('trace bugs found by the properties', function () {
  after(cleanupScratch);

  const cases: { file: string; fn: string; objects: number; known?: string }[] = [
    {
      file: 'close-before-start.cjs',
      fn: 'g',
      objects: 2,
    },
    {
      file: 'no-yield-file.cjs',
      fn: 'nothing',
      objects: 2,
    },
  ];
  for (const c of cases) {
    const title = `${c.file}: ${c.objects} generator objects, each created once as ${c.fn}, well-formed events`;
    if (c.known) {
      it.skip(`${title} (known: ${c.known})`);
      continue;
    }
    it(title, async function () {
      for (const node of await testNodes()) {
        const { trace } = runTraced(node.path, [c.file], FIXTURES);
        assert.deepEqual(trace.problems, [], `Node ${node.version}`);
        checkSequence(trace.events);
        const names = trace.events.filter((e) => e.kind === 'create').map((e) => trace.sites.get(e.site)?.name);
        assert.deepEqual(
          names,
          Array.from({ length: c.objects }, () => c.fn),
          `Node ${node.version}: created as`,
        );
      }
    });
  }
});
