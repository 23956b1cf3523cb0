// The rig's own helpers for later suites, checked on VS Code's built-in JavaScript debugger: a breakpoint, a
// debugging session started from a launch configuration, the Call Stack, Variables and Breakpoints trees, and
// the session stopped again. A plain `node` configuration: Yieldscope leaves it alone (traceAllNodeSessions is
// off); debugging.test.ts drives a `yieldscope` session.

import assert from 'node:assert/strict';
import { nodeBinaryPath } from '../../scripts/node-versions.mjs';
import { CODE_SERVER_NODE } from '../../scripts/code-server.mjs';
import { SECOND, useEditor, waitFor, type TreeItem } from './rig';

const CONFIGURATION = 'e2e: the current file on Node 24';

function texts(items: readonly TreeItem[]): string[] {
  return items.map((i) => i.text);
}

describe('the end-to-end rig: debugging and tree views', function () {
  const rig = useEditor({
    name: 'rig',
    settings: {
      // A user-level launch configuration: Node 24 runs TypeScript as it is (installed with code-server).
      launch: {
        version: '0.2.0',
        configurations: [
          {
            type: 'node',
            request: 'launch',
            name: CONFIGURATION,
            program: '${file}',
            runtimeExecutable: nodeBinaryPath(CODE_SERVER_NODE),
            console: 'internalConsole',
          },
        ],
      },
      'debug.openDebug': 'openOnDebugBreak',
    },
  });

  it('stops at a breakpoint and reads the Call Stack, Variables and Breakpoints views', async () => {
    const { editor } = rig;
    await editor.openFile('08-yield-star/src/main.ts');
    await editor.toggleBreakpoint(11); // `const got = yield i;` inside internal()
    await editor.startDebugging(CONFIGURATION);
    await editor.waitForDebugState('paused');

    const top = texts(await editor.readTreeView('Call Stack')).join('\n');
    assert.match(top, /Paused on breakpoint/i, `Call Stack: ${top}`);
    assert.match(top, /^internal 08-yield-star\/src\/main\.ts 11:\d+$/m, `paused in internal(); Call Stack: ${top}`);
    // js-debug sends the top frame first; VS Code asks for the rest by itself or offers "Load More Stack Frames".
    const frames = await waitFor(
      'the whole call stack',
      async () => {
        const all = texts(await editor.readTreeView('Call Stack'));
        if (all.some((t) => /^gen\b/.test(t))) return all.join('\n');
        // The item may go as VS Code loads the frames itself: a short wait, then look again.
        if (all.includes('Load More Stack Frames')) {
          await editor.clickTreeItem('Call Stack', 'Load More Stack Frames', { timeout: 2 * SECOND });
        }
        return undefined;
      },
      { seen: async () => JSON.stringify(texts(await editor.readTreeView('Call Stack'))) },
    );
    assert.match(frames, /^gen 08-yield-star\/src\/main\.ts 18:\d+$/m, `gen() delegates through yield*: ${frames}`);

    // The innermost scope (the loop's block) comes first; the function's own is collapsed below it.
    await editor.clickTreeItem('Variables', /^Local: internal/);
    const variables = await waitFor('the local variables of internal()', async () => {
      const all = texts(await editor.readTreeView('Variables')).join('\n');
      return /^limit = 3$/m.test(all) ? all : undefined;
    });
    assert.match(variables, /^name = 'A'$/m, `internal('A', 3) is running; Variables: ${variables}`);

    const breakpoints = texts(await editor.readTreeView('Breakpoints')).join('\n');
    assert.match(breakpoints, /main\.ts.*\b11\b/, `one breakpoint on line 11; Breakpoints: ${breakpoints}`);

    await editor.stopDebugging();
    assert.equal(await editor.waitForDebugState('none'), 'none');
  });
});
