// Yieldscope in a real VS Code, used the way a user uses it: the packaged .vsix installed, the sample gallery open,
// commands run from the command palette, and the Yieldscope panel's webview read inside its iframe. The tests
// run in order and share one window; each leaves a screenshot in test-results/e2e/, and the one of the yield*
// sample is the README's (YIELDSCOPE_UPDATE_DOCS=1 copies it to docs/images/editor.png).

import assert from 'node:assert/strict';
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Frame } from 'playwright-core';
import { REPO } from '../report/browser';
import { squash, useEditor, waitFor, type Editor } from './rig';

const YIELD_STAR = '08-yield-star/src/main.ts';
const SENDING_VALUES = '05-sending-values/src/main.ts';
const COMMANDS = {
  visualize: 'Yieldscope: Visualize Current File',
  stop: 'Yieldscope: Stop Recording',
  show: 'Yieldscope: Show Visualizer',
};

/** The coroutine names on the cards, sorted. */
async function cardNames(frame: Frame): Promise<string[]> {
  return (await frame.locator('.ys-card .co-name').allTextContents()).map((n) => n.trim()).sort();
}

/** Waits until the panel's cards are exactly `names` (in any order) and returns the frame it read them in. */
async function waitForCards(editor: Editor, names: readonly string[]): Promise<Frame> {
  const wanted = [...names].sort();
  return waitFor(
    `the Yieldscope panel to show cards named ${wanted.join(', ')}`,
    async () => {
      const frame = await editor.yieldscopeFrame(5000);
      return JSON.stringify(await cardNames(frame)) === JSON.stringify(wanted) ? frame : undefined;
    },
    { timeout: 60_000, interval: 250, seen: () => editor.describeScreen() },
  );
}

/** Lines of a log that are errors or warnings and mention Yieldscope (or, in its own log, any). */
function problemLines(log: string, onlyYieldscope: boolean): string[] {
  return log
    .split('\n')
    .filter((l) => /\[(error|warning)\]/i.test(l))
    .filter((l) => !onlyYieldscope || /yieldscope/i.test(l));
}

describe('Yieldscope in VS Code (code-server)', function () {
  const rig = useEditor({ name: 'editor' });

  it('lists its commands in the command palette', async () => {
    const { editor } = rig;
    await editor.openFile(YIELD_STAR);
    const entries = await editor.paletteEntries('Yieldscope');
    for (const title of [COMMANDS.visualize, COMMANDS.show]) {
      assert.ok(entries.includes(title), `expected "${title}" in the palette; it lists ${JSON.stringify(entries)}`);
    }
    assert.ok(
      !entries.includes(COMMANDS.stop),
      `"${COMMANDS.stop}" should be offered only while a program runs; the palette lists ${JSON.stringify(entries)}`,
    );
  });

  it('activates without errors in its log', async () => {
    const { editor } = rig;
    await editor.runCommand(COMMANDS.show);
    const frame = await editor.yieldscopeFrame();
    const title = squash(await frame.locator('.ys-title').textContent());
    assert.equal(title, 'No recording yet', 'the empty panel before any recording');

    const hostLog = editor.extensionHostLog();
    assert.match(hostLog, /_doActivateExtension yieldscope\.yieldscope\b/, 'the extension host activated Yieldscope');
    assert.doesNotMatch(hostLog, /Activating extension '?yieldscope\.yieldscope'? failed/i);
    assert.deepEqual(problemLines(hostLog, true), [], 'errors about Yieldscope in the extension host log');
    const ownLog = editor.extensionLog();
    assert.match(ownLog, /Yieldscope is ready/, `the Yieldscope output channel says:\n${ownLog}`);
    assert.deepEqual(problemLines(ownLog, false), [], 'errors or warnings in the Yieldscope output channel');
    assert.deepEqual(
      editor.consoleErrors.filter((e) => /yieldscope|webview/i.test(e)),
      [],
      'console errors from the Yieldscope webview',
    );
  });

  it('visualizes the yield* sample: the panel beside the editor shows its coroutines by name', async () => {
    const { editor } = rig;
    // The empty panel of the test before is closed first: the command must open the panel itself.
    if ((await editor.editorTabs()).some((t) => t.label === 'Yieldscope')) await editor.closeEditor('Yieldscope');
    await editor.openFile(YIELD_STAR);
    await editor.runCommand(COMMANDS.visualize);
    const frame = await waitForCards(editor, ['chain2', 'gen', 'internal', 'internal']);
    await waitFor('the recording to end with exit code 0', async () =>
      /exit code 0/.test(squash(await frame.locator('.ys-status').textContent())),
    );
    assert.equal(squash(await frame.locator('.ys-title').textContent()), 'main.ts #1');
    assert.ok(
      editor.extensionLog().includes(`starting ${process.execPath} (yieldscope.nodePath)`),
      `the program runs on the yieldscope.nodePath of the test settings; the log says:\n${editor.extensionLog()}`,
    );

    const tabs = await editor.editorTabs();
    const panel = tabs.filter((t) => t.label === 'Yieldscope');
    const source = tabs.find((t) => t.label === 'main.ts' && t.active);
    assert.equal(panel.length, 1, `one Yieldscope panel; tabs: ${JSON.stringify(tabs)}`);
    assert.ok(source, `main.ts stays the active editor; tabs: ${JSON.stringify(tabs)}`);
    assert.ok(panel[0]!.group > source.group, `the panel opens beside the editor; tabs: ${JSON.stringify(tabs)}`);

    // The README's picture: the editor and the panel side by side, without the output panel below them.
    await editor.runCommand('View: Hide Panel');
    await waitForCards(editor, ['chain2', 'gen', 'internal', 'internal']);
    const shot = await editor.screenshot('editor');
    if (process.env['YIELDSCOPE_UPDATE_DOCS'] === '1') copyFileSync(shot, join(REPO, 'docs', 'images', 'editor.png'));
  });

  it('adds a second recording to the same panel, which keeps working', async () => {
    const { editor } = rig;
    await editor.openFile(SENDING_VALUES);
    await editor.runCommand(COMMANDS.visualize);
    let frame = await waitForCards(editor, ['gen']);
    assert.equal(squash(await frame.locator('.ys-title').textContent()), 'main.ts #2');
    const tabs = await editor.editorTabs();
    assert.equal(
      tabs.filter((t) => t.label === 'Yieldscope').length,
      1,
      `still one panel; tabs: ${JSON.stringify(tabs)}`,
    );

    const options = (await frame.locator('select.ys-picker option').allTextContents()).map(squash);
    assert.deepEqual(options, ['main.ts #1', 'main.ts #2'], 'the recording selector lists both runs');
    assert.ok(await frame.locator('select.ys-picker').isVisible(), 'the recording selector is shown');

    // Back to the first recording and forth again: the panel still answers.
    await frame.locator('select.ys-picker').selectOption({ label: 'main.ts #1' });
    frame = await waitForCards(editor, ['chain2', 'gen', 'internal', 'internal']);
    await frame.locator('select.ys-picker').selectOption({ label: 'main.ts #2' });
    await waitForCards(editor, ['gen']);
  });

  it('offers Visualize CodeLenses, and shows the last values at the yield line of the recorded program', async () => {
    const { editor } = rig;
    await editor.openFile(SENDING_VALUES);
    const lenses = await waitFor(
      'the Visualize CodeLenses above the entry point and the generator',
      async () => {
        const texts = (await editor.page.locator('.codelens-decoration a').allTextContents()).map(squash);
        return texts.includes('Visualize this file') && texts.includes('Visualize') ? texts : undefined;
      },
      { seen: () => editor.describeScreen() },
    );
    assert.equal(lenses.length, 2, `one lens for the entry point, one for gen(): ${JSON.stringify(lenses)}`);
    // The newest recording is this file's: after next('lost'), next('hello') and next(42), gen waits at its
    // third yield. The value is drawn after the line (a decoration's ::after).
    const inline = await waitFor(
      'the inline value at the yield line',
      () =>
        editor.page.evaluate(() => {
          const doc = (globalThis as unknown as { document: { querySelectorAll(s: string): ArrayLike<object> } })
            .document;
          const style = (globalThis as unknown as { getComputedStyle(e: object, p: string): { content: string } })
            .getComputedStyle;
          for (const el of Array.from(doc.querySelectorAll('.view-lines span'))) {
            const content = style(el, '::after').content;
            if (content.includes('yielded')) return content.replace(/^"|"$/g, '');
          }
          return undefined;
        }),
      { seen: () => editor.describeScreen() },
    );
    assert.equal(inline, 'yielded 3 · 3×');
  });

  it('comes back with its recordings when closed and shown again, and after a window reload', async () => {
    const { editor } = rig;
    await editor.closeEditor('Yieldscope');
    assert.deepEqual(
      (await editor.editorTabs()).filter((t) => t.label === 'Yieldscope'),
      [],
      'the panel is closed',
    );

    await editor.runCommand(COMMANDS.show);
    const frame = await waitForCards(editor, ['gen']);
    const options = (await frame.locator('select.ys-picker option').allTextContents()).map(squash);
    assert.deepEqual(options, ['main.ts #1', 'main.ts #2'], 'both recordings are still there');

    // A reload restarts the extension host: VS Code restores the panel through its serializer.
    await editor.reloadWindow();
    const restored = await editor.yieldscopeFrame(60_000);
    const title = squash(await restored.locator('.ys-title').textContent());
    assert.ok(title.length > 0, 'the restored panel draws its header');
    assert.match(editor.extensionLog(), /restoring the visualizer panel/, 'the serializer restored the panel');
    assert.deepEqual(problemLines(editor.extensionLog(), false), [], 'errors or warnings after the reload');
  });
});
