// Unit tests of the loader's TypeScript stripper (src/tracer/loader/strip-types.ts). The reference is Node's own
// strip mode: Node 24's `module.stripTypeScriptTypes(code, { mode: 'strip' })`, run once per test file in a
// child process with every snippet, hand-written and generated. Our output must be the same text, byte for
// byte, except for the deliberate differences listed (with reasons) in `deliberate` below.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import vm from 'node:vm';
import { TraceMap, originalPositionFor } from '@jridgewell/trace-mapping';
import { parseSync } from 'oxc-parser';
import { transformSync } from 'oxc-transform';
import { NODE_VERSIONS, nodeBinaryPath } from '../../scripts/node-versions.mjs';
import {
  TypeScriptSyntaxError,
  UnsupportedTypeScriptError,
  stripTypes,
  transpileTypes,
} from '../../src/tracer/loader/strip-types';
import { handWrittenCases } from './strip-types-cases';
import { generateLargeFile, generateSnippets } from './strip-types-gen';

type Outcome = { kind: 'ok'; code: string } | { kind: 'unsupported' | 'syntax'; message: string };

function strip(source: string, filename = 'snippet.ts'): Outcome {
  try {
    return { kind: 'ok', code: stripTypes(source, filename) };
  } catch (e) {
    if (e instanceof UnsupportedTypeScriptError) return { kind: 'unsupported', message: e.message };
    if (e instanceof TypeScriptSyntaxError) return { kind: 'syntax', message: e.message };
    throw e;
  }
}

/**
 * Where we differ from Node on purpose, and what we do instead. Each is a case where Node's output would not
 * run, or would run differently from what the TypeScript means, or where oxc's parser is stricter than swc's
 * (TypeScript reports those as errors too), or where the brief asks for a fallback.
 */
const deliberate = new Map<string, Outcome>([
  // Node keeps the UTF-8 byte length when it moves `)` to the end of a multi-byte return type, which makes
  // the line longer in UTF-16; we keep the UTF-16 length, so columns after it stay right.
  ['const f = (a):\n  日本 => a', { kind: 'ok', code: 'const f = (a  \n  \u2002) => a' }],
  ['const f = (a):\n  X𝑥 => a', { kind: 'ok', code: 'const f = (a  \n   )  => a' }],
  // Node drops a byte order mark (as its loaders do anyway); we keep every character, so lengths match.
  [
    '\uFEFFlet x: number = 1\ninterface A {}\n(1)',
    { kind: 'ok', code: '\uFEFFlet x         = 1\n;             \n(1)' },
  ],
  // `async` and a line break before the arrow's `(` make a call of `async`: like after `return`, the `(` moves up.
  ['const f = async <T>\n(x: T) => x', { kind: 'ok', code: 'const f = async (  \n x   ) => x' }],
  // Node keeps `public` before a property named `declare`, which is not JavaScript.
  [
    'class A { public declare = 1; public readonly declare2: number; declare; abstract() {} }',
    { kind: 'ok', code: 'class A {        declare = 1;                 declare2        ; declare; abstract() {} }' },
  ],
  // Node blanks `export` instead of `abstract` here, so the class is no longer exported (and does not run).
  [
    '@dec abstract class A {}\n@dec() export abstract class B {}',
    { kind: 'ok', code: '@dec          class A {}\n@dec() export          class B {}' },
  ],
  // An erased member between `x = 1` and a member starting with `[` or `*` would join them (`x = 1[z] = 2`).
  ['class A { x = 1\n declare y: T\n [z] = 2 }', { kind: 'ok', code: 'class A { x = 1\n ;           \n [z] = 2 }' }],
  ['class A { x = 1\n m(): void\n *g() {} }', { kind: 'ok', code: 'class A { x = 1\n ;        \n *g() {} }' }],
  // `declare` then a line break is an expression statement in TypeScript; Node erases the `const` with it.
  ['declare\nconst x = 1', { kind: 'ok', code: 'declare\nconst x = 1' }],
  // `<const>[1]` is a type assertion; Node leaves it in place, which is not JavaScript. We ask for a transpile.
  ['let x = <const>[1]', { kind: 'unsupported', message: 'type assertion' }],
  // `export as namespace X` only declares a UMD global for type checking; Node leaves it, which does not run.
  ['export as namespace X;', { kind: 'ok', code: '                      ' }],
  // Parameter decorators are experimental decorators; they need the transpiler (legacy decorators).
  ['class A { m(@p a) {} }', { kind: 'unsupported', message: 'parameter decorator' }],
  // A top-level `return` is fine in CommonJS (tsx and esbuild accept it); a `.ts` file may be CommonJS.
  ['return 1', { kind: 'ok', code: 'return 1' }],
]);

for (const snippet of handWrittenCases['rejectedLikeTypeScript'] ?? [])
  deliberate.set(snippet, { kind: 'syntax', message: '' });

/** Same outcome: same text, or the same kind of error (and a message that says what `expected` names). */
function sameOutcome(actual: Outcome, expected: Outcome): boolean {
  if (actual.kind !== expected.kind) return false;
  if (actual.kind === 'ok' && expected.kind === 'ok') return actual.code === expected.code;
  return actual.kind !== 'ok' && expected.kind !== 'ok' && actual.message.includes(expected.message);
}

/** Our only deliberate difference that generated snippets can hit: a `;` where Node leaves a blank. */
function onlyExtraSemicolons(ours: string, node: string): boolean {
  if (ours.length !== node.length || ours === node) return false;
  for (let i = 0; i < ours.length; i++) if (ours[i] !== node[i] && !(ours[i] === ';' && node[i] === ' ')) return false;
  return true;
}

const oracleScript = `
const { stripTypeScriptTypes } = require('node:module');
const snippets = JSON.parse(require('node:fs').readFileSync(0, 'utf8'));
process.stdout.write(JSON.stringify(snippets.map((code) => {
  try { return { kind: 'ok', code: stripTypeScriptTypes(code, { mode: 'strip' }) }; }
  catch (e) { return { kind: e.code === 'ERR_UNSUPPORTED_TYPESCRIPT_SYNTAX' ? 'unsupported' : 'syntax', message: String(e.message) }; }
})));`;

function node24(): string {
  const version = NODE_VERSIONS.find((v) => v.startsWith('24.')) ?? '24';
  return process.env['YIELDSCOPE_NODE_24'] ?? nodeBinaryPath(version);
}

function runOracle(snippets: readonly string[]): Outcome[] {
  const result = spawnSync(node24(), ['--no-warnings', '-e', oracleScript], {
    input: JSON.stringify(snippets),
    encoding: 'utf8',
    maxBuffer: 1 << 28,
  });
  if (result.status !== 0) throw new Error(`the Node 24 oracle failed: ${result.stderr}`);
  return JSON.parse(result.stdout) as Outcome[];
}

const handWritten = Object.entries(handWrittenCases);
const generated = generateSnippets(20240611, 600);
const allSnippets = [...handWritten.flatMap(([, cases]) => cases), ...generated];

describe('stripTypes against Node 24 strip mode', function () {
  this.timeout(60_000);
  const expected = new Map<string, Outcome>();
  const tally = { identical: 0, sameError: 0, deliberate: 0, total: 0 };

  before(function () {
    if (!existsSync(node24())) {
      console.log(`      skipped: no Node 24 binary at ${node24()} (run \`node scripts/node-versions.mjs --install\`)`);
      this.skip();
    }
    const results = runOracle(allSnippets);
    allSnippets.forEach((snippet, i) => {
      const r = results[i];
      if (r !== undefined) expected.set(snippet, r);
    });
  });

  after(() => {
    if (tally.total === 0) return;
    console.log(
      `      oracle: ${tally.identical} identical outputs, ${tally.sameError} same errors, ` +
        `${tally.deliberate} deliberate differences, of ${tally.total} snippets`,
    );
  });

  function check(snippets: readonly string[]): void {
    const failures: string[] = [];
    for (const snippet of snippets) {
      const node = expected.get(snippet);
      assert.ok(node, 'the oracle answered every snippet');
      const ours = strip(snippet);
      tally.total++;
      const mine = deliberate.get(snippet);
      if (mine !== undefined) {
        tally.deliberate++;
        if (!sameOutcome(ours, mine)) failures.push(describeFailure(snippet, mine, ours, 'deliberate'));
      } else if (sameOutcome(ours, node.kind === 'ok' ? node : { kind: node.kind, message: '' })) {
        if (node.kind === 'ok') tally.identical++;
        else tally.sameError++;
      } else if (ours.kind === 'ok' && node.kind === 'ok' && onlyExtraSemicolons(ours.code, node.code)) {
        tally.deliberate++;
      } else failures.push(describeFailure(snippet, node, ours, 'node'));
    }
    assert.deepEqual(failures.slice(0, 5), [], `${failures.length} of ${snippets.length} snippets differ`);
  }

  for (const [group, cases] of handWritten) it(`hand-written: ${group} (${cases.length})`, () => check(cases));
  it(`${generated.length} generated snippets`, () => check(generated));
});

function describeFailure(snippet: string, expected: Outcome, actual: Outcome, source: string): string {
  const show = (o: Outcome): string => (o.kind === 'ok' ? JSON.stringify(o.code) : `${o.kind}: ${o.message}`);
  return `${JSON.stringify(snippet)}\n  ${source}: ${show(expected)}\n  ours: ${show(actual)}`;
}

function isLineTerminator(ch: string | undefined): boolean {
  return ch === '\n' || ch === '\r' || ch === '\u2028' || ch === '\u2029';
}

/** Errors of oxc parsing `code` as JavaScript (as ESM or a script, else as CommonJS). */
function javaScriptErrors(code: string): string[] {
  const first = parseSync('out.js', code, { lang: 'js', sourceType: 'unambiguous' });
  if (first.errors.length === 0) return [];
  return parseSync('out.cjs', code, { lang: 'js', sourceType: 'commonjs' }).errors.map((e) => e.message);
}

/**
 * The shape of a JavaScript program: its AST without positions, parentheses, empty statements and empty
 * `export {}` (oxc-transform adds `export {}` to keep a module a module, and drops `export {} from 'm'`).
 */
function shapeOf(code: string): string {
  const { program } = parseSync('out.js', code, { lang: 'js', sourceType: 'unambiguous', preserveParens: false });
  const positional = new Set(['start', 'end', 'raw', 'hashbang', 'sourceType']);
  const isNoise = (v: unknown): boolean => {
    if (typeof v !== 'object' || v === null) return false;
    const n = v as { type?: unknown; declaration?: unknown; specifiers?: unknown };
    if (n.type === 'EmptyStatement') return true;
    return (
      n.type === 'ExportNamedDeclaration' &&
      n.declaration === null &&
      Array.isArray(n.specifiers) &&
      n.specifiers.length === 0
    );
  };
  return JSON.stringify(program, (key, value: unknown) => {
    if (positional.has(key)) return undefined;
    return Array.isArray(value) ? value.filter((item) => !isNoise(item)) : value;
  });
}

describe('stripTypes output', () => {
  const supported = allSnippets.flatMap((source) => {
    const out = strip(source);
    return out.kind === 'ok' ? [{ source, code: out.code }] : [];
  });

  it(`keeps the length and every line break (${supported.length} snippets)`, () => {
    for (const { source, code } of supported) {
      assert.equal(code.length, source.length, JSON.stringify(source));
      for (let i = 0; i < source.length; i++) {
        if (isLineTerminator(source[i]) || isLineTerminator(code[i])) assert.equal(code[i], source[i], `offset ${i}`);
      }
    }
  });

  it('parses as JavaScript without errors', () => {
    const failures = supported.filter(({ code }) => javaScriptErrors(code).length > 0).map(({ source }) => source);
    assert.deepEqual(failures, []);
  });

  it('means what a real transpiler (oxc-transform) makes of the TypeScript', () => {
    let compared = 0;
    const failures: string[] = [];
    for (const { source, code } of supported) {
      const options = { lang: 'ts', sourceType: 'unambiguous', typescript: { onlyRemoveTypeImports: true } } as const;
      const reference = transformSync('snippet.ts', source, options);
      if (reference.errors.length > 0) continue; // semantic errors in a snippet (duplicate names, missing bodies)
      compared++;
      if (shapeOf(code) !== shapeOf(reference.code))
        failures.push(`${JSON.stringify(source)}\n  ${JSON.stringify(code)}`);
    }
    assert.deepEqual(failures, []);
    assert.ok(compared > supported.length * 0.9, `compared ${compared} of ${supported.length}`);
  });

  it('returns JavaScript files unchanged without parsing them', () => {
    for (const name of ['a.js', 'a.mjs', 'a.cjs', 'A.JS'])
      assert.equal(stripTypes('let x: number = <T>', name), 'let x: number = <T>');
  });

  it('reads the dialect from a file URL without its query', () => {
    assert.equal(stripTypes('let x: T', 'file:///a/b.ts?v=2#h'), 'let x   ');
    assert.equal(stripTypes('let x: T', 'file:///a/b.js?v=.ts'), 'let x: T');
    assert.equal(stripTypes('let x: T', '/tmp/a#b/c.ts'), 'let x   ');
  });

  it('reads .mts as a module and .cts as CommonJS', () => {
    assert.equal(stripTypes('await (p as Promise<void>)', 'a.mts'), 'await (p                 )');
    assert.equal(stripTypes('if (x) return\nlet y: T', 'a.cts'), 'if (x) return\nlet y   ');
  });

  it('keeps function text as Node would show it', () => {
    const code = stripTypes('function* g<T>(x: T): Generator<T> {\n  yield x as T\n}\ng', 'a.ts');
    const g: unknown = vm.runInNewContext(code);
    assert.equal(String(g), 'function* g   (x   )               {\n  yield x     \n}');
  });
});

describe('stripTypes errors', () => {
  it('throws a SyntaxError with file, line and column for invalid input', () => {
    assert.throws(
      () => stripTypes('let a = 1;\nlet x = 1 +', 'dir/bad.ts'),
      (e: unknown) =>
        e instanceof SyntaxError && e instanceof TypeScriptSyntaxError && /dir\/bad\.ts:2:12: /.test(e.message),
    );
  });

  it('names the construct and where it is when erasing is not enough', () => {
    const cases: Array<[string, string]> = [
      ['enum', 'let a = 1\n  enum E { A }'],
      ['enum', 'const enum E { A }'],
      ['namespace', 'namespace N { export const x = 1 }'],
      ['parameter property', 'class A { constructor(private x: number) {} }'],
      ['import equals declaration', 'import fs = require("fs")'],
      ['import equals declaration', 'import X = N.y'],
      ['export assignment', 'export = 1'],
      ['parameter decorator', 'class A { m(@d x) {} }'],
      ['type assertion', 'let y = <number>x'],
      ['`module` keyword', 'module M {}'],
    ];
    for (const [construct, source] of cases) {
      assert.throws(
        () => stripTypes(source, 'u.ts'),
        (e: unknown) => e instanceof UnsupportedTypeScriptError && e.construct === construct,
        source,
      );
    }
    assert.throws(
      () => stripTypes('let a = 1\n  enum E { A }', 'u.ts'),
      (e: unknown) => e instanceof UnsupportedTypeScriptError && e.start === 12 && e.message.startsWith('u.ts:2:3: '),
    );
  });

  it('rejects .tsx for now', () => {
    assert.throws(() => stripTypes('let x = <div />', 'a.tsx'), UnsupportedTypeScriptError);
  });
});

describe('stripTypes speed', () => {
  // The best time after warm-up is the cost of the code; the median also carries whatever else the machine is
  // doing (CI machines have 2 cores), so it only guards against gross regressions. Most of the time is oxc's
  // parse and the JSON that carries its AST into JavaScript.
  it('strips a realistic 5,000-line file in well under 50 ms', function () {
    this.timeout(60_000);
    this.retries(2); // a burst of load on a shared machine is not a regression
    const source = generateLargeFile(5000);
    assert.ok(source.split('\n').length >= 5000);
    const code = stripTypes(source, 'big.ts');
    assert.deepEqual(javaScriptErrors(code), []);
    for (let i = 0; i < 5; i++) stripTypes(source, 'big.ts');
    const times: number[] = [];
    for (let i = 0; i < 20; i++) {
      const started = performance.now();
      stripTypes(source, 'big.ts');
      times.push(performance.now() - started);
    }
    times.sort((a, b) => a - b);
    const best = times[0] ?? Infinity;
    const median = times[Math.floor(times.length / 2)] ?? Infinity;
    const lines = source.split('\n').length;
    console.log(
      `      ${lines} lines (${source.length} chars): best ${best.toFixed(1)} ms, median ${median.toFixed(1)} ms`,
    );
    assert.ok(best < 50, `best ${best} ms`);
    assert.ok(median < 250, `median ${median} ms`);
  });
});

describe('transpileTypes', () => {
  /** Runs a script in a fresh context and brings its value back as JSON (arrays of another realm compare badly). */
  function run(code: string): unknown {
    return JSON.parse(JSON.stringify(vm.runInNewContext(code)) ?? 'null');
  }

  it('compiles enums, namespaces and parameter properties', () => {
    const { code } = transpileTypes(
      [
        'enum Color { Red, Green = 5, Blue }',
        'const enum Size { S = "s" }',
        'namespace Geo { export const unit: string = "m"; export function twice(n: number): number { return n * 2 } }',
        'class Point { constructor(private x: number, public readonly y = 2) {} sum(): number { return this.x + this.y } }',
        '[Color.Blue, Color[5], Size.S, Geo.unit, Geo.twice(4), new Point(1).sum()]',
      ].join('\n'),
      'kinds.ts',
    );
    assert.deepEqual(run(code), [6, 'Green', 's', 'm', 8, 3]);
  });

  it('keeps newer JavaScript as it is and imports as written', () => {
    const { code } = transpileTypes(
      'import { T } from "m";\nenum E { A }\nclass C { #p = 1; static { } }\nlet v: T = a ?? b',
      'a.mts',
    );
    assert.match(code, /import \{ T \} from "m"/);
    assert.match(code, /#p = 1/);
    assert.match(code, /a \?\? b/);
  });

  it('gives a source map that leads a token back to its line', () => {
    const source =
      'enum E { A }\nnamespace N {\n  export const v = 1\n}\nclass K {\n  constructor(private k: number) {}\n  go() { return marker(this.k) }\n}\n';
    const { code, map } = transpileTypes(source, 'mapped.ts');
    const lines = code.split('\n');
    const line = lines.findIndex((l) => l.includes('marker('));
    assert.ok(line >= 0);
    const column = lines[line]?.indexOf('marker(') ?? -1;
    const original = originalPositionFor(new TraceMap({ ...map, version: 3 }), { line: line + 1, column });
    assert.equal(original.line, 7);
    assert.equal(original.column, source.split('\n')[6]?.indexOf('marker('));
    assert.deepEqual(map.sources, ['mapped.ts']);
  });

  it('compiles parameter decorators as experimental decorators, after a "use strict" prologue', () => {
    const source =
      '"use strict";\nconst seen: unknown[] = [];\nfunction d(target: object, key: string | undefined, index: number) { seen.push([key, index]) }\n' +
      'class S { constructor(@d private a: number) {} m(x: number, @d y: number) {} }\nseen';
    const { code, map } = transpileTypes(source, 'deco.ts');
    assert.equal(code.split('\n')[0], '"use strict";');
    assert.deepEqual(run(code), [
      ['m', 1],
      [null, 0],
    ]);
    const lines = code.split('\n');
    const line = lines.findIndex((l) => l.startsWith('const seen'));
    assert.equal(originalPositionFor(new TraceMap({ ...map, version: 3 }), { line: line + 1, column: 0 }).line, 2);
  });

  it('throws a SyntaxError for invalid input', () => {
    assert.throws(() => transpileTypes('enum E {', 'bad.ts'), TypeScriptSyntaxError);
  });
});
