// Unit tests of display text: previews, resumptions, labels, counts, state saved by the view, base64.

import assert from 'node:assert/strict';
import { CoroutineModel } from '../src/model/coroutines';
import { base64ToBytes } from './base64';
import { argsText, baseName, clip, coroutineLabel, countText, previewText, resumeText } from './format';
import { defaultUiState, parseUiState } from './uiState';

describe('webview format', () => {
  it('quotes strings like JS literals and marks truncation', () => {
    assert.equal(previewText({ type: 'string', text: 'a"b\nc' }), '"a\\"b\\nc"');
    assert.equal(previewText({ type: 'string', text: 'abc', truncated: true }), '"abc…"');
    assert.equal(previewText({ type: 'array', text: '[1, 2', truncated: true }), '[1, 2…');
    assert.equal(previewText({ type: 'number', text: '42' }), '42');
  });

  it('clips long text to the limit with an ellipsis', () => {
    assert.equal(clip('abcdef', 4), 'abc…');
    assert.equal(clip('abc', 4), 'abc');
    assert.equal(previewText({ type: 'object', text: 'x'.repeat(500) }).length, 160);
  });

  it('writes resumptions as calls', () => {
    const undef = { type: 'undefined', text: 'undefined' } as const;
    assert.equal(resumeText('next', undef), 'next()');
    assert.equal(resumeText('return', undef), 'return(undefined)');
    assert.equal(resumeText('next', { type: 'string', text: 'a' }), 'next("a")');
    assert.equal(
      argsText([
        { type: 'number', text: '1' },
        { type: 'string', text: 'x' },
      ]),
      '1, "x"',
    );
  });

  it('labels coroutines, the top level and unknown ids', () => {
    const model = new CoroutineModel({
      sites: new Map([[1, { id: 1, file: 1, line: 1, column: 1, kind: 'function', name: 'gen' }]]),
    });
    model.apply({ seq: 0, time: 0, kind: 'create', co: 5, site: 1, parent: 0, coKind: 'generator', args: [] });
    assert.equal(coroutineLabel(model, 5), 'gen#5');
    assert.equal(coroutineLabel(model, 0), 'top level');
    assert.equal(coroutineLabel(model, 6), '#6');
  });

  it('counts with plurals and separators, and finds base names', () => {
    assert.equal(countText(1, 'event'), '1 event');
    assert.equal(countText(12345, 'event'), '12,345 events');
    assert.equal(countText(0, 'yield'), '0 yields');
    assert.equal(baseName('/a/b/c.ts'), 'c.ts');
    assert.equal(baseName('C:\\x\\y.js'), 'y.js');
    assert.equal(baseName('plain'), 'plain');
  });
});

describe('webview saved state', () => {
  const fallback = defaultUiState(true);

  it('keeps valid fields and defaults the rest', () => {
    const state = parseUiState(
      {
        v: 1,
        recording: 'r1',
        coroutine: 3,
        hideFinished: true,
        cardsScroll: 120,
        eventsScroll: -5,
        followEvents: 'yes',
      },
      fallback,
    );
    assert.deepEqual(state, { ...fallback, recording: 'r1', coroutine: 3, hideFinished: true, cardsScroll: 120 });
  });

  it('ignores state from another version or of the wrong shape', () => {
    assert.equal(parseUiState(undefined, fallback), fallback);
    assert.equal(parseUiState({ v: 2, recording: 'x' }, fallback), fallback);
    assert.equal(parseUiState('nope', fallback), fallback);
    assert.equal(parseUiState({ v: 1, coroutine: 1.5, recording: '' }, fallback).coroutine, undefined);
  });
});

describe('webview base64', () => {
  it('decodes to bytes, ignoring whitespace', () => {
    assert.deepEqual([...base64ToBytes('iVlT\nVA0KGgo=')], [0x89, 0x59, 0x53, 0x54, 0x0d, 0x0a, 0x1a, 0x0a]);
    assert.deepEqual([...base64ToBytes('')], []);
  });
});
