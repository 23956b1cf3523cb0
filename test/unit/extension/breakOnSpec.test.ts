// The editor's half of "break on coroutine events" (src/extension/breakOnSpec.ts): what the picker produces, the
// text sent to the program and the expression that carries it, read back by the tracer's own parser
// (src/tracer/runtime/breakOn.ts), so that the two ends agree.

import * as assert from 'node:assert/strict';
import * as vm from 'node:vm';
import {
  breakOnExpression,
  breakSpecText,
  describeBreakOn,
  isEmpty,
  parseBreakAnswer,
  parseFunctionNames,
  readBreakSettings,
  settingsFromPick,
} from '../../../src/extension/breakOnSpec';
import { parseBreakSpec, setBreakSpec, shouldBreak } from '../../../src/tracer/runtime/breakOn';

describe('breakOnSpec', () => {
  after(() => setBreakSpec('{}'));

  it('turns the picker into settings: failures of every coroutine, the other events for the named generators', () => {
    const settings = settingsFromPick(['yield', 'fail'], ['counter', 'worker']);
    assert.deepEqual(settings, { yield: ['counter', 'worker'], fail: '*' });
    assert.equal(describeBreakOn(settings), 'yields (counter, worker), fails (any)');
    assert.equal(describeBreakOn({}), 'off');
    assert.equal(isEmpty({}), true);
    assert.equal(isEmpty({}, { send: [3] }), false);
  });

  it('sends text that the tracer reads as meant, with coroutines picked in the view added by id', () => {
    const text = breakSpecText({ yield: ['counter'], fail: '*' }, { yield: [7], send: [2] });
    assert.deepEqual(JSON.parse(text), { yield: ['counter', '#7'], send: ['#2'], fail: '*' });
    assert.ok(parseBreakSpec(text));
    setBreakSpec(text);
    assert.equal(shouldBreak('yield', 1, 'counter#1'), true);
    assert.equal(shouldBreak('yield', 7, 'other#7'), true);
    assert.equal(shouldBreak('yield', 8, 'other#8'), false);
    assert.equal(shouldBreak('send', 2, 'other#2'), true);
    assert.equal(shouldBreak('send', 1, 'counter#1'), false);
    assert.equal(shouldBreak('throw', 1, 'counter#1'), false);
    assert.equal(shouldBreak('fail', 99, 'load#99'), true);
  });

  it('hands the text over as a string literal: whatever it holds reaches the tracer as data', () => {
    const sandbox = {};
    vm.createContext(sandbox);
    vm.runInContext(
      "globalThis[Symbol.for('yieldscope.breakOn')] = { set: (t) => { globalThis.got = t; return 'yieldscope:break:yield'; } }",
      sandbox,
    );
    const hostile = `{"yield":["a"]}'); globalThis.pwned = 1; ('\u2028"\\`;
    const result = vm.runInContext(breakOnExpression(hostile), sandbox) as unknown;
    const received = (sandbox as { got?: unknown }).got;
    assert.equal(received, hostile);
    assert.equal((sandbox as { pwned?: unknown }).pwned, undefined);
    assert.equal(parseBreakAnswer(result), 'applied');
    const empty = vm.createContext({});
    assert.equal(parseBreakAnswer(vm.runInContext(breakOnExpression('{}'), empty)), 'no-tracer');
    assert.equal(parseBreakAnswer('"yieldscope:break:invalid"'), 'invalid');
    assert.equal(parseBreakAnswer("'yieldscope:break:off'"), 'applied');
    assert.equal(parseBreakAnswer(undefined), 'unknown');
  });

  it('accepts function names only, and reads stored settings defensively', () => {
    assert.deepEqual(parseFunctionNames(' counter, worker  counter'), { names: ['counter', 'worker'] });
    assert.deepEqual(parseFunctionNames('  '), { error: 'Type at least one function name.' });
    assert.deepEqual(parseFunctionNames('ok, a(b)'), { error: '"a(b)" is not a function name.' });
    assert.deepEqual(readBreakSettings({ yield: ['counter', 3, 'x y'], send: '*', throw: 'some', fail: [] }), {
      yield: ['counter'],
      send: '*',
    });
    assert.deepEqual(readBreakSettings('nonsense'), {});
    assert.deepEqual(readBreakSettings(undefined), {});
  });
});
