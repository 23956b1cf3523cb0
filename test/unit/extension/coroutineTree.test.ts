// What the Coroutines view shows, as data: groups by state, yield* chains nested, the current coroutine at a pause,
// lines and values in the descriptions, a limit per group.

import * as assert from 'node:assert/strict';
import { coroutineTree, findNode, pathTo } from '../../../src/extension/coroutineTree';
import type { CoroutineNode, TreeNode } from '../../../src/extension/coroutineTree';
import { modelAt } from '../../../src/model/coroutines';
import type { Trace } from '../../../src/protocol/trace';
import { everyState, sendingValues, traceWith } from './traces';

function tree(trace: Trace, pause?: { location: { url: string; line: number; column: number } | undefined }) {
  return coroutineTree(modelAt(trace), trace, { idPrefix: 'r1', cwd: trace.header?.cwd, pause });
}

/** Each node as `label: description` (groups as `label (count)`), indented by depth. */
function render(nodes: readonly TreeNode[], depth = 0): string[] {
  return nodes.flatMap((n) => {
    const pad = '  '.repeat(depth);
    if (n.kind === 'group') return [`${pad}${n.label} (${n.count})`, ...render(n.children, depth + 1)];
    if (n.kind === 'more') return [`${pad}${n.label}`];
    return [`${pad}${n.current ? '> ' : ''}${n.label}: ${n.description} [${n.icon}]`, ...render(n.children, depth + 1)];
  });
}

describe('extension/coroutineTree', () => {
  it('shows the generator of the sending-values sample running, paused where the debugger stopped', () => {
    const nodes = tree(sendingValues('paused'), {
      location: { url: '/work/app/src/main.ts', line: 7, column: 5 },
    });
    assert.deepEqual(render(nodes), ['Running (1)', '  > gen#1: paused at main.ts:7 [debug-stackframe-focused]']);
    const current = findNode(nodes, 1)!;
    assert.deepEqual(current.location, { url: '/work/app/src/main.ts', line: 7, column: 5 });
    assert.match(current.tooltip, /last sent in: next\(42\)/);
    assert.match(current.tooltip, /arguments: 1/);
  });

  it('shows the same generator suspended at its yield at the end, with the value it gave', () => {
    const nodes = tree(sendingValues('ended'));
    assert.deepEqual(render(nodes), ['Suspended (1)', '  gen#1: at yield main.ts:6 · gave 3 [debug-pause]']);
    assert.deepEqual(findNode(nodes, 1)!.location, { url: 'file:///work/app/src/main.ts', line: 6, column: 19 });
  });

  it('without a pause, a running coroutine is not "paused at" anything', () => {
    assert.deepEqual(render(tree(sendingValues('paused'))), [
      'Running (1)',
      '  > gen#1: running · from main.ts:3 [debug-stackframe-focused]',
    ]);
  });

  it('groups by state in a fixed order and nests a yield* chain under the coroutine that delegates', () => {
    assert.deepEqual(render(tree(everyState())), [
      'Suspended (2)',
      '  outer#1: yield* gen#2 · main.ts:12 [arrow-right]',
      '    gen#2: at yield main.ts:6 · gave "a" [debug-pause]',
      'Awaiting (1)',
      '  load#3: await main.ts:21 · Promise [watch]',
      'Not started (1)',
      '  gen#6: not started · main.ts:3 [circle-outline]',
      'Failed (1)',
      '  gen#5: threw Error: boom [error]',
      'Finished (1)',
      '  gen#4: returned 42 [pass]',
    ]);
  });

  it('gives nodes ids that are unique and stable, and finds the way down to one', () => {
    const nodes = tree(everyState());
    const ids: string[] = [];
    const walk = (list: readonly TreeNode[]): void => {
      for (const n of list) {
        ids.push(n.id);
        if (n.kind !== 'more') walk(n.children);
      }
    };
    walk(nodes);
    assert.equal(new Set(ids).size, ids.length);
    assert.deepEqual(render(tree(everyState())), render(nodes), 'the same trace, the same tree');
    const inner = findNode(nodes, 2) as CoroutineNode;
    assert.deepEqual(
      pathTo(nodes, inner.id)?.map((n) => n.id),
      ['r1:suspended', 'r1:1', 'r1:1/2'],
    );
  });

  it('sums up the coroutines of a group beyond the limit', () => {
    const events = [];
    for (let co = 1; co <= 5; co++)
      events.push({ kind: 'create' as const, co, site: 1, parent: 0, coKind: 'generator' as const, args: [] });
    const trace = traceWith(events);
    const nodes = coroutineTree(modelAt(trace), trace, { idPrefix: 'r', limit: 3 });
    assert.deepEqual(render(nodes), [
      'Not started (5)',
      '  gen#1: not started · main.ts:3 [circle-outline]',
      '  gen#2: not started · main.ts:3 [circle-outline]',
      '  gen#3: not started · main.ts:3 [circle-outline]',
      '  … and 2 more',
    ]);
  });
});
