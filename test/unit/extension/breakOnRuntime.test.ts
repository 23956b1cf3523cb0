// The tracer's side of "break on coroutine events" (src/tracer/runtime/breakOn.ts): the specification it accepts
// (parsed, never evaluated), and real pauses under V8's debugger with the tracer's file skipped the way the editor's
// skipFiles skips it (fixtures/break-on-runner.ts attaches a debugger to its own main thread).

import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseBreakSpec, shouldBreak, setBreakSpec } from '../../../src/tracer/runtime/breakOn';
import { FIXTURES } from './helpers';

describe('breakOn (tracer runtime)', function () {
  this.timeout(30_000);
  after(() => setBreakSpec('{}'));

  it('accepts "*" and lists of function names and #ids, and nothing else', () => {
    const spec = parseBreakSpec('{"yield":["counter","#3","bad name()",7],"send":"*","fail":[],"bogus":"*"}');
    assert.ok(spec);
    assert.deepEqual(Object.keys(spec).sort(), ['send', 'yield']);
    setBreakSpec('{"yield":["counter","#3","bad name()",7],"send":"*"}');
    assert.equal(shouldBreak('yield', 9, 'counter#9'), true);
    assert.equal(shouldBreak('yield', 3, 'other#3'), true);
    assert.equal(shouldBreak('yield', 4, 'other#4'), false);
    assert.equal(shouldBreak('yield', 5, 'bad name()#5'), false);
    assert.equal(shouldBreak('send', 5, 'anything#5'), true);
    assert.equal(shouldBreak('fail', 5, 'counter#5'), false);
    for (const bad of ['', 'null', '[]', '"*"', '{"yield":', 'x'.repeat(70_000), 42, undefined]) {
      assert.equal(parseBreakSpec(bad), undefined, String(bad).slice(0, 20));
    }
    // A "__proto__" key is an own key of the parsed object, not its prototype: it names no event.
    assert.deepEqual(parseBreakSpec('{"__proto__":{"yield":"*"}}'), {});
  });

  it('pauses a debugger exactly at the events asked for, in a frame that shows the event, and changes nothing else', () => {
    const out = execFileSync(
      process.execPath,
      ['--import', 'tsx', path.join(FIXTURES, 'break-on-runner.ts'), '{"send":"*"}'],
      { encoding: 'utf8', timeout: 25_000 },
    );
    const { pauses, results } = JSON.parse(out) as {
      pauses: { fn: string; holds: string; frames: string[] }[];
      results: unknown[];
    };
    assert.deepEqual(
      pauses.map((p) => p.holds),
      [
        // From YIELDSCOPE_BREAK_ON at start: every next(v), not throw().
        'sent a value into counter#1 hello',
        // After set(): yields of counter, throw() into #2, every failure.
        'yielded counter#1 10',
        'threw into other#2 boom2',
        'failed load#3 Error: no',
      ],
    );
    for (const p of pauses) {
      assert.equal(p.fn, 'yieldscopeBreak');
      assert.ok(p.frames.includes('userCode'), `the program's frame is on the stack: ${p.frames.join(' < ')}`);
    }
    assert.deepEqual(results, [
      { armedBefore: true, initial: ['done'] },
      'yieldscope:break:yield,throw,fail',
      { armed: true, after: ['done'] },
      'yieldscope:break:invalid',
      'yieldscope:break:off',
      { armed: false, off: ['done'] },
    ]);
  });
});

describe('breakOn in the built tracer', function () {
  this.timeout(30_000);
  const tracer = path.join(__dirname, '..', '..', '..', 'dist', 'tracer', 'register.cjs');

  it('pauses a program at the generator events asked for, with its own frame right under the pause', function () {
    if (!fs.existsSync(tracer)) this.skip();
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'ys-break-'));
    try {
      const stdout = execFileSync(
        process.execPath,
        ['--require', tracer, path.join(FIXTURES, 'break-on-program.cjs')],
        {
          encoding: 'utf8',
          timeout: 25_000,
          env: {
            ...process.env,
            NODE_OPTIONS: '',
            YIELDSCOPE_OUT: path.join(out, 'trace.ystrace'),
            YIELDSCOPE_BREAK_ON: '{"yield":["counter"],"throw":"*","fail":"*"}',
          },
        },
      );
      const lines = stdout.trim().split('\n');
      assert.equal(lines[0], 'caught boom', 'the program runs as it does without a debugger');
      const { wired, pauses } = JSON.parse(lines.at(-1)!) as {
        wired: boolean;
        pauses: { fn: string; holds: string; below: string }[];
      };
      // The hooks need their call sites in register.ts, generators.ts and async.ts (docs: README "In VS Code").
      if (!wired) this.skip();
      assert.deepEqual(
        pauses.map((p) => p.holds),
        [
          'yielded counter#1 1',
          'yielded counter#1 42',
          'yielded counter#2 1',
          'threw into counter#2 Error: boom',
          'failed counter#2 Error: boom',
        ],
      );
      for (const p of pauses) assert.equal(p.fn, 'yieldscopeBreak');
      // Under the skipped frames: the program's line that made the event happen.
      const source = fs.readFileSync(path.join(FIXTURES, 'break-on-program.cjs'), 'utf8').split('\n');
      const lineOf = (code: string) => `:${source.findIndex((l) => l.includes(code)) + 1}`;
      assert.deepEqual(
        pauses.map((p) => p.below),
        ['g.next();', 'g.next(21);', 'h.next();', "h.throw(new Error('boom'));", "h.throw(new Error('boom'));"].map(
          lineOf,
        ),
      );
    } finally {
      fs.rmSync(out, { recursive: true, force: true });
    }
  });
});

describe('breakOn reading a specification while the program has replaced built-ins', () => {
  after(() => setBreakSpec('{}'));

  it('calls nothing the program may have replaced', () => {
    const called: string[] = [];
    const restore: (() => void)[] = [];
    /** Replaces `target[key]` with a spy that notes the call and does what the original did. */
    const spy = (target: object, key: string, name: string) => {
      const original = Reflect.get(target, key) as (...args: unknown[]) => unknown;
      Reflect.set(target, key, function (this: unknown, ...args: unknown[]) {
        called.push(name);
        return Reflect.apply(original, this, args);
      });
      restore.push(() => Reflect.set(target, key, original));
    };
    spy(JSON, 'parse', 'JSON.parse');
    spy(RegExp.prototype, 'exec', 'RegExp exec');
    spy(Array.prototype, 'filter', 'Array filter');
    spy(String.prototype, 'slice', 'String slice');
    spy(String.prototype, 'lastIndexOf', 'String lastIndexOf');
    let answer: string;
    let hits: boolean[];
    let control: string[];
    try {
      JSON.parse('{}');
      'a#1'.lastIndexOf('#');
      control = called.splice(0);
      answer = setBreakSpec('{"yield":["counter","#12"],"fail":"*"}');
      hits = [shouldBreak('yield', 1, 'counter#1'), shouldBreak('yield', 12, 'x#12'), shouldBreak('yield', 2, 'y#2')];
    } finally {
      for (const undo of restore.reverse()) undo();
    }
    assert.deepEqual(control, ['JSON.parse', 'String lastIndexOf'], 'the spies see calls');
    assert.deepEqual(called, []);
    assert.equal(answer, 'yieldscope:break:yield,fail');
    assert.deepEqual(hits, [true, true, false]);
  });
});
