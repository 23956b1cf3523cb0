// What the editor shows at yield and await lines (src/extension/siteHistory.ts) and in a coroutine's history
// (src/extension/coroutineHistory.ts), from small hand-made traces: the sending-values sample and a program with a
// coroutine in each state.

import * as assert from 'node:assert/strict';
import { coroutineHistory } from '../../../src/extension/coroutineHistory';
import { SiteHistory, hoverLines, inlineText, notesForFile } from '../../../src/extension/siteHistory';
import type { Trace } from '../../../src/protocol/trace';
import { everyState, sendingValues, traceWith } from './traces';

function historyOf(trace: Trace, kept?: number): SiteHistory {
  const h = new SiteHistory(kept);
  for (const ev of trace.events) h.apply(ev);
  return h;
}
const label = (co: number) => `gen#${co}`;
const MAIN = (url: string) => url === 'file:///work/app/src/main.ts';

describe('site history and the inline values', () => {
  it('shows the last value yielded and the value sent back in, with the count', () => {
    const paused = historyOf(sendingValues('paused'));
    // Paused inside gen after next(42): the yield of 2 was answered with 42.
    assert.equal(inlineText(paused.get(2)!), 'yielded 2 · sent in 42 · 2×');
    const ended = historyOf(sendingValues('ended'));
    assert.equal(inlineText(ended.get(2)!), 'yielded 3 · 3×');
    const site = sendingValues().sites.get(2)!;
    assert.deepEqual(hoverLines(ended.get(2)!, site, label), [
      'Yieldscope: yield in gen, reached 3 times',
      'gen#1 yielded 3, then still suspended here',
      'gen#1 yielded 2, then sent in 42',
      'gen#1 yielded 1, then sent in "hello"',
    ]);
  });

  it('puts one note on each line of the file, and none for other files', () => {
    const trace = everyState();
    const notes = notesForFile(historyOf(trace), trace, MAIN, label);
    assert.deepEqual(
      notes.map((n) => [n.line, n.column, n.text]),
      [
        [5, 18, 'yielded "a"'],
        [11, 2, 'yielded "a"'],
        [20, 8, 'awaited Promise'],
      ],
    );
    assert.equal(notes[2]!.hover[1], 'gen#3 awaited Promise, then still waiting here');
    assert.deepEqual(
      notesForFile(historyOf(trace), trace, () => false, label),
      [],
    );
  });

  it('keeps only the newest visits of a site, and says how many there were', () => {
    const events = [];
    events.push({ kind: 'create', co: 1, site: 1, parent: 0, coKind: 'generator', args: [] } as const);
    for (let i = 0; i < 20; i++) {
      events.push({
        kind: 'resume',
        co: 1,
        mode: 'next',
        value: { type: 'number', text: String(i) },
        resumer: 0,
      } as const);
      events.push({ kind: 'yield', co: 1, site: 2, value: { type: 'number', text: String(i * 10) } } as const);
    }
    const trace = traceWith(events);
    const rec = historyOf(trace, 4).get(2)!;
    assert.equal(rec.count, 20);
    assert.deepEqual(
      rec.visits.map((v) => [v.out.text, v.in?.value.text]),
      [
        ['160', '17'],
        ['170', '18'],
        ['180', '19'],
        ['190', undefined],
      ],
    );
    const lines = hoverLines(rec, trace.sites.get(2)!, label);
    assert.equal(lines.at(-1), '(the last 4 shown)');
    assert.equal(inlineText(rec), 'yielded 190 · 20×');
  });

  it('shows values as text, shortened, whatever they hold', () => {
    const trace = traceWith([
      { kind: 'create', co: 1, site: 1, parent: 0, coKind: 'generator', args: [] },
      { kind: 'resume', co: 1, mode: 'next', value: { type: 'undefined', text: 'undefined' }, resumer: 0 },
      {
        kind: 'yield',
        co: 1,
        site: 2,
        value: { type: 'string', text: '<img src=x onerror=alert(1)>\n' + 'x'.repeat(80) },
      },
      { kind: 'resume', co: 1, mode: 'throw', value: { type: 'error', text: 'Error: $(alert) boom' }, resumer: 0 },
    ]);
    const text = inlineText(historyOf(trace).get(2)!);
    assert.equal(text, 'yielded "<img src=x onerror=alert(1)>\\nxxxxxxxx… · thrown in Error: $(alert) boom');
  });

  it("lists a coroutine's history in order, with the lines to open", () => {
    const rows = coroutineHistory(sendingValues('ended'), 1);
    assert.deepEqual(
      rows.map((r) => r.label),
      [
        'created by the top level with (1)',
        'resumed by the top level: next("lost")',
        'yielded 1',
        'resumed by the top level: next("hello")',
        'yielded 2',
        'resumed by the top level: next(42)',
        'yielded 3',
      ],
    );
    assert.equal(rows[2]!.description, '1.000 ms · main.ts:6');
    assert.deepEqual(rows[2]!.location, { url: 'file:///work/app/src/main.ts', line: 6, column: 19 });
    const chain = coroutineHistory(everyState(), 2).map((r) => r.label);
    assert.deepEqual(chain.slice(0, 3), [
      'created by outer#1 with (0)',
      'delegated to by outer#1 (yield*)',
      'resumed by outer#1: next(undefined)',
    ]);
    assert.deepEqual(
      coroutineHistory(everyState(), 5)
        .map((r) => r.label)
        .slice(1),
      ['resumed by the top level: throw(Error: boom)', 'failed: Error: boom'],
    );
    assert.equal(coroutineHistory(sendingValues('ended'), 1, 3).length, 3);
  });
});
