// Unit tests of the Coroutines view layout: yield* stacks, card text, hiding and limits, keyboard order.

import assert from 'node:assert/strict';
import { CoroutineModel, modelAt, savedCopy } from '../src/model/coroutines';
import { Co, FIXTURE_CWD, HOSTILE_VALUE, expectedCards, sampleTrace } from '../test/report/fixture';
import { cardOrder, chainsOf, layoutStacks, neighbourCard, type StackOptions } from './cards';

function options(trace = sampleTrace(), change: Partial<StackOptions> = {}): StackOptions {
  return { trace, cwd: FIXTURE_CWD, hideFinished: false, selected: undefined, limit: 100, ...change };
}

function stateLine(card: { stateText: string; stateSite: { label: string } | undefined }): string {
  return card.stateSite ? `${card.stateText} ${card.stateSite.label}` : card.stateText;
}

describe('webview cards layout', () => {
  it('puts a yield* chain in one stack, outermost first, and every other coroutine in its own', () => {
    const trace = sampleTrace();
    const model = modelAt(trace);
    const chains = chainsOf(model).map((chain) => chain.map((c) => c.id));
    assert.deepEqual(chains, [
      [Co.gen, Co.internal, Co.chain2],
      [Co.tagged],
      [Co.failing],
      [Co.fetchUser],
      [Co.selfish],
      [Co.idle],
    ]);
  });

  it('describes each coroutine as the fixture expects', () => {
    const trace = sampleTrace();
    const layout = layoutStacks(modelAt(trace), options(trace));
    const cards = layout.stacks.flatMap((s) => s.cards);
    assert.deepEqual(
      cards.map((c) => ({ id: c.id, name: c.name, state: stateLine(c) })),
      expectedCards.map((e) => ({ id: e.id, name: e.name, state: e.state })),
    );
    const gen = cards.find((c) => c.id === Co.gen)!;
    assert.equal(gen.args, '3, "alpha"');
    assert.equal(gen.lastIn, 'next(7)');
    assert.equal(gen.lastOut, JSON.stringify(HOSTILE_VALUE));
    assert.equal(gen.resumes, 4);
    assert.equal(gen.yields, 4);
    assert.equal(gen.definedAt?.label, 'src/pipeline.ts:3:1');
    assert.equal(gen.definedAt?.url, `file://${FIXTURE_CWD}/src/pipeline.ts`);
    assert.deepEqual(
      cards.map((c) => c.depth),
      [0, 1, 2, 0, 0, 0, 0, 0],
    );
    assert.equal(layout.total, 8);
    assert.equal(layout.finished, 3);
  });

  it('marks the running chain and the coroutine that is executing', () => {
    const trace = sampleTrace();
    // Just after chain2 was resumed by g.next(7): gen → internal → chain2 all on the stack.
    const seq = trace.events.findIndex(
      (e) => e.kind === 'resume' && e.co === Co.chain2 && e.mode === 'next' && e.value.text === '7',
    );
    const layout = layoutStacks(modelAt(trace, seq), options(trace));
    const chain = layout.stacks[0]!;
    assert.equal(chain.running, true);
    assert.deepEqual(
      chain.cards.map((c) => [c.id, c.running, c.current, c.state]),
      [
        [Co.gen, true, false, 'running'],
        [Co.internal, true, false, 'running'],
        [Co.chain2, true, true, 'running'],
      ],
    );
    assert.equal(chain.cards[0]!.stateText, 'running, delegating to internal#2');
    assert.ok(layout.stacks.slice(1).every((s) => !s.running));
  });

  it('hides closed coroutines on request and counts them', () => {
    const trace = sampleTrace();
    const layout = layoutStacks(modelAt(trace), options(trace, { hideFinished: true }));
    const ids = layout.stacks.flatMap((s) => s.cards.map((c) => c.id));
    assert.deepEqual(ids, [Co.gen, Co.internal, Co.chain2, Co.selfish, Co.idle]);
    assert.equal(layout.hiddenFinished, 3);
    assert.equal(layout.omitted, 0);
  });

  it('keeps live stacks and the newest closed ones within the card limit', () => {
    const trace = sampleTrace();
    const layout = layoutStacks(modelAt(trace), options(trace, { limit: 6 }));
    const ids = layout.stacks.flatMap((s) => s.cards.map((c) => c.id));
    // 5 live cards (the chain of 3, selfish, idle), then the newest closed one fits.
    assert.deepEqual(ids, [Co.gen, Co.internal, Co.chain2, Co.fetchUser, Co.selfish, Co.idle]);
    assert.equal(layout.omitted, 2);
  });

  it('marks the selected card', () => {
    const trace = sampleTrace();
    const layout = layoutStacks(modelAt(trace), options(trace, { selected: Co.failing }));
    const selected = layout.stacks.flatMap((s) => s.cards).filter((c) => c.selected);
    assert.deepEqual(
      selected.map((c) => c.id),
      [Co.failing],
    );
  });

  it('still shows coroutines on a delegation cycle from a damaged trace', () => {
    const model = new CoroutineModel({ sites: new Map() });
    model.apply({ seq: 0, time: 0, kind: 'create', co: 1, site: 0, parent: 0, coKind: 'generator', args: [] });
    model.apply({ seq: 1, time: 0, kind: 'create', co: 2, site: 0, parent: 0, coKind: 'generator', args: [] });
    model.apply({
      seq: 2,
      time: 0,
      kind: 'delegate',
      co: 1,
      site: 0,
      target: 2,
      iterable: { type: 'generator', text: 'g' },
    });
    model.apply({
      seq: 3,
      time: 0,
      kind: 'delegate',
      co: 2,
      site: 0,
      target: 1,
      iterable: { type: 'generator', text: 'g' },
    });
    assert.deepEqual(
      chainsOf(model).map((c) => c.map((x) => x.id)),
      [[1, 2]],
    );
  });

  it('describes a yield* into a plain iterable', () => {
    const sites = new Map([[5, { id: 5, file: 1, line: 2, column: 3, kind: 'delegate', name: 'g' } as const]]);
    const model = new CoroutineModel({ sites });
    model.apply({ seq: 0, time: 0, kind: 'create', co: 1, site: 0, parent: 0, coKind: 'generator', args: [] });
    model.apply({
      seq: 1,
      time: 0,
      kind: 'resume',
      co: 1,
      mode: 'next',
      value: { type: 'undefined', text: 'undefined' },
      resumer: 0,
    });
    model.apply({
      seq: 2,
      time: 0,
      kind: 'delegate',
      co: 1,
      site: 5,
      target: 0,
      iterable: { type: 'array', text: '[1, 2]' },
    });
    model.apply({ seq: 3, time: 0, kind: 'yield', co: 1, site: 5, value: { type: 'number', text: '1' } });
    const layout = layoutStacks(model, options(undefined, { trace: { files: new Map(), sites } }));
    const card = layout.stacks[0]!.cards[0]!;
    assert.equal(card.stateText, 'delegating to array [1, 2] at');
    assert.equal(card.stateSite?.label, '?:2:3');
    assert.equal(card.stateSite?.openable, false);
  });
});

describe('webview card order', () => {
  it('lays the stacks out in creation order when the model holds them in another order', () => {
    const trace = sampleTrace();
    const model = modelAt(trace);
    const inOrder = chainsOf(model).map((chain) => chain.map((c) => c.id));
    const before = cardOrder(layoutStacks(model, options(trace)));
    // Taken out and put back (as a seek restores a saved copy): the map now holds the first coroutine last.
    const first = model.coroutines.get(Co.gen)!;
    model.restore(Co.gen, undefined);
    model.restore(Co.gen, savedCopy(first), undefined);
    assert.notEqual([...model.coroutines.keys()][0], Co.gen);
    assert.deepEqual(
      chainsOf(model).map((chain) => chain.map((c) => c.id)),
      inOrder,
    );
    assert.deepEqual(cardOrder(layoutStacks(model, options(trace))), before);
  });

  it('walks the cards in reading order and stops at the ends', () => {
    const trace = sampleTrace();
    const order = cardOrder(layoutStacks(modelAt(trace), options(trace)));
    assert.deepEqual(order, [1, 2, 3, 4, 5, 6, 7, 8]);
    assert.equal(neighbourCard(order, 3, 1), 4);
    assert.equal(neighbourCard(order, 3, -1), 2);
    assert.equal(neighbourCard(order, 1, -1), 1);
    assert.equal(neighbourCard(order, 8, 1), 8);
    assert.equal(neighbourCard(order, undefined, 1), 1);
    assert.equal(neighbourCard(order, 99, 1), 1);
    assert.equal(neighbourCard([], 1, 1), undefined);
  });
});
