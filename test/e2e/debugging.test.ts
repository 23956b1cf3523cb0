// Debugging with Yieldscope in a real VS Code: the sample 05-sending-values opened as the workspace, its launch
// configuration `{"type": "yieldscope", "program": "${workspaceFolder}/src/main.ts"}` started with F5, a breakpoint
// inside the generator. The session is one of VS Code's JavaScript debugger (Call Stack, breakpoints) with the
// tracer injected; the Coroutines view in the Run and Debug side bar shows the generator running and paused, the
// visualiser shows it too, and after continuing to the end both show the final state.

import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { Frame } from 'playwright-core';
import { SAMPLES, squash, useEditor, waitFor, type Editor, type TreeItem } from './rig';
import { debugState, paneLocator } from './workbench';

const BREAKPOINT_LINE = 7; // console.log(`Got ${String(value)}`), inside gen()

function texts(items: readonly TreeItem[]): string[] {
  return items.map((i) => i.text);
}

/** The Coroutines view's rows once one of them matches `row` (a row's label and description touch: "gen#1paused …"). */
async function coroutinesShowing(editor: Editor, what: string, row: RegExp): Promise<string[]> {
  return waitFor(
    `the Coroutines view to show ${what}`,
    async () => {
      const rows = texts(await editor.readTreeView('Coroutines'));
      return rows.some((r) => row.test(r)) ? rows : undefined;
    },
    {
      timeout: 30_000,
      interval: 250,
      seen: async () =>
        `rows ${JSON.stringify(texts(await editor.readTreeView('Coroutines')))}\n${await editor.describeScreen()}`,
    },
  );
}

/** Presses F5 (Continue) until `done` (a key pressed while the workbench is busy may be lost). */
async function continueTo(editor: Editor, what: string, done: () => Promise<boolean>): Promise<void> {
  await editor.page.keyboard.press('F5');
  await waitFor(what, async () => (await done().catch(() => false)) || undefined, {
    timeout: 30_000,
    seen: () => editor.describeScreen(),
  });
}

async function cardNames(frame: Frame): Promise<string[]> {
  return (await frame.locator('.ys-card .co-name').allTextContents()).map((n) => n.trim()).sort();
}

describe('debugging with Yieldscope (code-server)', function () {
  const rig = useEditor({
    name: 'debugging',
    folder: join(SAMPLES, '05-sending-values'),
    settings: { 'debug.openDebug': 'openOnDebugBreak', 'debug.internalConsoleOptions': 'neverOpen' },
  });

  it('F5 on a yieldscope configuration pauses inside the generator; the Coroutines view shows it, then the end', async () => {
    const { editor } = rig;
    await editor.openFile('src/main.ts');
    await editor.toggleBreakpoint(BREAKPOINT_LINE);
    await editor.startDebugging(); // F5: the first configuration of the sample's launch.json
    await editor.waitForDebugState('paused');

    // A session of the JavaScript debugger: its Call Stack shows the generator's frame.
    // (The tracer's worker threads are listed there too, as "[worker n] Running".)
    await waitFor('the Call Stack to show gen()', async () => {
      const rows = texts(await editor.readTreeView('Call Stack')).join('\n');
      return /^gen\b.*main\.ts 7:\d+$/m.test(rows) ? rows : undefined;
    });
    assert.match(editor.extensionLog(), /the tracer is injected through NODE_OPTIONS/, editor.extensionLog());

    // The paused state: gen#1 is the running coroutine, selected, at the line the debugger stopped on.
    const log = await waitFor("the tracer's answer at the pause", async () => {
      const text = editor.extensionLog();
      return /the tracer wrote out what it held|cannot write out what it holds/.test(text) ? text : undefined;
    });
    const flushes = /the tracer wrote out what it held/.test(log);
    if (flushes) {
      const rows = await coroutinesShowing(editor, 'gen#1 paused at line 7', /^gen#1\s*paused at main\.ts:7$/);
      assert.ok(
        rows.some((r) => /^Running\s*1$/.test(r)),
        `a Running group: ${JSON.stringify(rows)}`,
      );
      await waitFor('gen#1 to be selected in the Coroutines view', async () => {
        const selected = paneLocator(editor.page, 'Coroutines').locator('.monaco-list-row[aria-selected="true"]');
        return (await selected.count()) === 1 && squash(await selected.textContent()).startsWith('gen#1');
      });
      await waitFor(
        'the visualiser to show the generator running',
        async () => {
          const frame = await editor.yieldscopeFrame(5000);
          const card = squash(await frame.locator('.ys-card').first().textContent());
          return JSON.stringify(await cardNames(frame)) === '["gen"]' && /running/i.test(card);
        },
        { timeout: 60_000, seen: () => editor.describeScreen() },
      );
    } else {
      // A tracer that cannot hand over at a pause delivers after the program's first turn: nothing yet.
      console.log('      (this tracer cannot deliver at a pause: the paused state is not checked)');
    }

    // Continue: the breakpoint hits once more, with the value of next(42), then the program ends.
    await continueTo(editor, 'the second stop, with value = 42', async () =>
      texts(await editor.readTreeView('Variables')).includes('value = 42'),
    );
    if (flushes) {
      const rows = await coroutinesShowing(editor, 'gen#1 paused again', /^gen#1\s*paused at main\.ts:7$/);
      assert.ok(
        rows.some((r) => /^Running\s*1$/.test(r)),
        `a Running group: ${JSON.stringify(rows)}`,
      );
    }
    await continueTo(editor, 'the end of the session', async () => (await debugState(editor.page)) === 'none');

    // The final state: the generator waits at its yield (nobody closed it), the program exited with code 0.
    const rows = await coroutinesShowing(
      editor,
      'gen#1 suspended at its yield',
      /^gen#1\s*at yield main\.ts:6 · gave 3$/,
    );
    assert.ok(
      rows.some((r) => /^Suspended\s*1$/.test(r)),
      `a Suspended group: ${JSON.stringify(rows)}`,
    );
    await waitFor(
      'the visualiser to show the ended recording with its generator',
      async () => {
        const frame = await editor.yieldscopeFrame(5000);
        const status = squash(await frame.locator('.ys-status').textContent());
        return /exit code 0/.test(status) && JSON.stringify(await cardNames(frame)) === '["gen"]';
      },
      { timeout: 30_000, seen: () => editor.describeScreen() },
    );
  });
});
