// The end-to-end rig: a real VS Code (VS Code for the Web, code-server, from scripts/code-server.mjs) with the
// freshly packaged extension installed, driven through Debian's Chromium the way a user drives it: quick open,
// the command palette, keyboard shortcuts and clicks. One `Editor` per suite, each with its own user data,
// extensions folder and browser profile.
//
// For later suites: `useEditor()` wires an Editor into a mocha suite (a screenshot after every test; a failure
// gets a screenshot, what the screen showed and the extension host log in its message). The helpers: openFile,
// runCommand, paletteEntries, webviewFrame / yieldscopeFrame, goToLine, toggleBreakpoint, startDebugging /
// waitForDebugState / stopDebugging, openView / readTreeView, extensionHostLog / extensionLog, screenshot.

import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import type { Frame, Page } from 'playwright-core';
import {
  QUIET_SETTINGS,
  installCodeServer,
  installExtension,
  packageExtension,
  startCodeServer,
  writeSettings,
  type CodeServer,
} from '../../scripts/code-server.mjs';
import { REPO, launchBrowser, type Browser } from '../report/browser';
import { ExtensionHostLogs } from './logs';
import {
  SECOND,
  activeBreadcrumbs,
  closeQuickInput,
  debugState,
  describeWorkbench,
  editorTabs,
  focusInFrame,
  openQuickInput,
  paneLocator,
  pickQuickRow,
  quickInputVisible,
  quickRows,
  settledQuickRows,
  squash,
  tabLocator,
  treeItems,
  waitFor,
  webviewDocuments,
  workbenchReady,
  type DebugState,
  type EditorTab,
  type TreeItem,
} from './workbench';

export { SECOND, squash, waitFor, type DebugState, type EditorTab, type TreeItem };

/** Screenshots and logs of the end-to-end tests (ignored by git). */
export const E2E_RESULTS = join(REPO, 'test-results', 'e2e');
export const SAMPLES = join(REPO, 'samples');
/** First-time installation of code-server (about 2 minutes) plus packaging and startup, with room to spare. */
export const SETUP_TIMEOUT = 12 * 60 * SECOND;
/** Go to Line is tried this many times before a test fails (see `goToLine`). */
const GO_TO_LINE_ATTEMPTS = 3;

export interface EditorOptions {
  /** Names the suite's screenshots and logs: test-results/e2e/<name>-…. */
  readonly name: string;
  /** The workspace folder; the sample gallery by default. */
  readonly folder?: string;
  /** User settings on top of the quiet defaults. */
  readonly settings?: Readonly<Record<string, unknown>>;
}

// ─── once per test process: code-server installed, the extension packaged ───────────────────────────────────

let prepared: Promise<{ vsix: string; notes: string[] }> | undefined;

function prepare(): Promise<{ vsix: string; notes: string[] }> {
  prepared ??= (async () => {
    const notes: string[] = [];
    const install = await installCodeServer({ out: process.stdout });
    notes.push(install.installed ? `code-server installed in ${install.seconds.toFixed(0)}s` : 'code-server cached');
    const dir = mkdtempSync(join(tmpdir(), 'ys-e2e-vsix-'));
    process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
    const { vsix, seconds } = await packageExtension(join(dir, 'yieldscope.vsix'));
    notes.push(`extension packaged in ${seconds.toFixed(1)}s`);
    return { vsix, notes };
  })();
  return prepared;
}

// ─── the editor ──────────────────────────────────────────────────────────────────────────────────────────────

export class Editor {
  /** Console errors of the page and its frames (webviews included), with where they came from. */
  readonly consoleErrors: string[] = [];
  private readonly logs: ExtensionHostLogs;

  private constructor(
    readonly name: string,
    readonly folder: string,
    readonly page: Page,
    private readonly server: CodeServer,
    private readonly browser: Browser,
    private readonly home: string,
    userDataDir: string,
  ) {
    this.logs = new ExtensionHostLogs(userDataDir);
    page.on('console', (m) => {
      if (m.type() === 'error') this.consoleErrors.push(`${m.text()} (${m.location().url})`);
    });
    page.on('pageerror', (e) => this.consoleErrors.push(`uncaught: ${String(e)}`));
  }

  /** Installs what is missing, starts code-server and Chromium, and opens the workbench on the folder. */
  static async start(options: EditorOptions): Promise<Editor> {
    const started = Date.now();
    const { vsix, notes } = await prepare();
    const home = mkdtempSync(join(tmpdir(), `ys-e2e-${options.name}-`));
    const dirs = {
      userDataDir: join(home, 'user-data'),
      extensionsDir: join(home, 'extensions'),
      configHome: join(home, 'home'),
    };
    const folder = options.folder ?? SAMPLES;
    let server: CodeServer | undefined;
    let browser: Browser | undefined;
    try {
      await installExtension({ vsix, ...dirs });
      writeSettings(dirs.userDataDir, {
        ...QUIET_SETTINGS,
        'git.enabled': false,
        'editor.minimap.enabled': false,
        'editor.hover.enabled': false,
        'workbench.reduceMotion': 'on',
        // The programs run on the Node that runs the tests (test-all checks it is >= 20.6), not on whatever
        // `node` the extension host's PATH happens to find.
        'yieldscope.nodePath': process.execPath,
        ...options.settings,
      });
      server = await startCodeServer({ folder, ...dirs, logFile: join(home, 'code-server.log') });
      browser = await launchBrowser();
      const page = browser.context.pages()[0] ?? (await browser.context.newPage());
      const editor = new Editor(options.name, folder, page, server, browser, home, dirs.userDataDir);
      await editor.openWorkbench();
      notes.push(`workbench ready ${((Date.now() - started) / SECOND).toFixed(1)}s after the suite started`);
      console.log(`      (${options.name}: ${notes.join('; ')})`);
      notes.length = 0;
      return editor;
    } catch (e) {
      await browser?.close().catch(() => {});
      await server?.stop().catch(() => {});
      rmSync(home, { recursive: true, force: true });
      throw e;
    }
  }

  /** Loads the workbench and waits until it shows the folder and the extension host has started. */
  private async openWorkbench(): Promise<void> {
    const hostsBefore = this.logs.hostDirs().length;
    await this.page.goto(this.server.url);
    await this.waitForWorkbench(hostsBefore);
  }

  private async waitForWorkbench(hostsBefore: number): Promise<void> {
    await waitFor('the workbench to show the folder', () => workbenchReady(this.page), {
      timeout: 90 * SECOND,
      seen: () => this.describeScreen(),
    });
    await waitFor(
      'a new extension host to finish starting ("Eager extensions activated" in its log)',
      async () => this.logs.hostDirs().length > hostsBefore && /Eager extensions activated/.test(this.logs.host()),
      { timeout: 90 * SECOND, interval: 250, seen: async () => this.extensionHostLog().slice(-2000) || 'no log yet' },
    );
  }

  /** Reloads the window (a new extension host) and waits until it is back. */
  async reloadWindow(): Promise<void> {
    const hostsBefore = this.logs.hostDirs().length;
    await this.runCommand('Developer: Reload Window');
    await this.waitForWorkbench(hostsBefore);
  }

  // ─── files, commands, the palette ────────────────────────────────────────────────────────────────────────

  /**
   * Opens a file of the workspace with quick open (Ctrl+P), as a user does, in the first editor group (Ctrl+1
   * first, so that it does not land beside a panel that has the focus), and waits until it is the active editor.
   */
  async openFile(relativePath: string): Promise<void> {
    const name = basename(relativePath);
    const folder = dirname(relativePath) === '.' ? '' : dirname(relativePath);
    await closeQuickInput(this.page);
    await this.page.keyboard.press('Control+1');
    // From a webview, keys reach the workbench by message: Ctrl+P must not overtake the focus change.
    await waitFor('the focus to leave the webview', async () => !(await focusInFrame(this.page)), {
      timeout: 10 * SECOND,
      seen: () => this.describeScreen(),
    });
    await openQuickInput(this.page, 'Control+P', relativePath);
    await pickQuickRow(this.page, relativePath, (r) => r.label === name && r.description === folder);
    const segments = relativePath.split('/');
    await waitFor(
      `${relativePath} to be the active editor`,
      async () => {
        const crumbs = await activeBreadcrumbs(this.page);
        return segments.every((s, i) => crumbs[i] === s);
      },
      { seen: () => this.describeScreen() },
    );
  }

  /** Runs a command from the command palette (F1) by its title, e.g. "Yieldscope: Visualize Current File". */
  async runCommand(title: string): Promise<void> {
    await openQuickInput(this.page, 'F1', `>${title}`);
    await pickQuickRow(this.page, `the command "${title}"`, (r) => r.label === title);
  }

  /** The titles the command palette lists for `query` (it is closed again afterwards). */
  async paletteEntries(query: string): Promise<string[]> {
    await openQuickInput(this.page, 'F1', `>${query}`);
    const rows = await settledQuickRows(this.page);
    await closeQuickInput(this.page);
    return rows.map((r) => r.label);
  }

  /** Picks a row of a quick pick that a command opened, by its label. */
  async pick(label: string): Promise<void> {
    await pickQuickRow(this.page, JSON.stringify(label), (r) => r.label === label);
  }

  async editorTabs(): Promise<EditorTab[]> {
    return editorTabs(this.page);
  }

  /** Closes the editor tab labelled `label` with its close button and waits until it is gone. */
  async closeEditor(label: string): Promise<void> {
    const tab = tabLocator(this.page, label).first();
    await tab.hover();
    await tab.locator('.tab-actions .action-label').first().click();
    await waitFor(`the "${label}" tab to close`, async () => (await tabLocator(this.page, label).count()) === 0, {
      seen: () => this.describeScreen(),
    });
  }

  /** Moves the cursor of the active text editor to a line (Go to Line, Ctrl+G). */
  async goToLine(line: number): Promise<void> {
    const onLine = async () => /\bLn (\d+)/.exec((await this.statusBarText()) ?? '')?.[1] === String(line);
    const seen = async () =>
      `status bar: ${await this.statusBarText()}; quick input: ${(await quickInputVisible(this.page)) ? 'open' : 'closed'}`;
    // Under load the picker may take the typed line after Enter arrives, and Enter then accepts nothing: the quick
    // input stays open and the cursor stays put. So: wait for the picker to offer the line, press Enter, wait for
    // the cursor, and start again (at most GO_TO_LINE_ATTEMPTS times) when it did not move.
    let failure: unknown;
    for (let attempt = 1; attempt <= GO_TO_LINE_ATTEMPTS; attempt++) {
      try {
        await this.focusEditor();
        await openQuickInput(this.page, 'Control+G', `:${line}`);
        await waitFor(`the Go to Line picker to offer line ${line}`, () => offersLine(this.page, line), {
          timeout: 10 * SECOND,
          seen: async () => JSON.stringify(await quickRows(this.page)),
        });
        await this.page.keyboard.press('Enter');
        await waitFor(
          `the cursor on line ${line}`,
          async () => (await onLine()) && !(await quickInputVisible(this.page)),
          { timeout: 10 * SECOND, seen },
        );
        return;
      } catch (e) {
        failure = e;
        await closeQuickInput(this.page).catch(() => undefined);
        if (await onLine()) return;
      }
    }
    throw new Error(`Go to Line ${line} failed ${GO_TO_LINE_ATTEMPTS} times; the last time: ${String(failure)}`);
  }

  /** Moves the focus to the active text editor's group (Ctrl+1), as a user would before Ctrl+G. */
  private async focusEditor(): Promise<void> {
    await closeQuickInput(this.page);
    await this.page.keyboard.press('Control+1');
    await waitFor(
      'the focus in a text editor',
      async () => !(await focusInFrame(this.page)) && (await this.page.locator('.monaco-editor.focused').count()) > 0,
      { timeout: 10 * SECOND, seen: () => describeWorkbench(this.page) },
    );
  }

  /** Toggles a breakpoint on a line of the active text editor (F9). */
  async toggleBreakpoint(line: number): Promise<void> {
    await this.goToLine(line);
    const before = await this.page.locator('.codicon-debug-breakpoint').count();
    await this.page.keyboard.press('F9');
    await waitFor(
      `a breakpoint to appear or disappear on line ${line}`,
      async () => (await this.page.locator('.codicon-debug-breakpoint').count()) !== before,
    );
  }

  private async statusBarText(): Promise<string> {
    return squash(await this.page.locator('.statusbar-item[id$="status.editor.selection"]').textContent());
  }

  // ─── webviews ────────────────────────────────────────────────────────────────────────────────────────────

  /**
   * The document of the visible webview titled `title` (its <title>), optionally once `selector` matches in it.
   * A webview's document is replaced when its panel is hidden and shown again: ask again after that.
   */
  async webviewFrame(title: string, { selector, timeout = 30 * SECOND }: { selector?: string; timeout?: number } = {}) {
    return waitFor<Frame>(
      `a visible webview titled ${JSON.stringify(title)}${selector ? ` showing ${selector}` : ''}`,
      async () => {
        for (const frame of await webviewDocuments(this.page)) {
          if ((await frame.title()) !== title) continue;
          if (!selector || (await frame.locator(selector).count()) > 0) return frame;
        }
        return undefined;
      },
      { timeout, interval: 200, seen: () => this.describeScreen() },
    );
  }

  /** The Yieldscope panel's document, once its app has drawn (its header is there). */
  async yieldscopeFrame(timeout = 30 * SECOND): Promise<Frame> {
    return this.webviewFrame('Yieldscope', { selector: '#app .ys-header', timeout });
  }

  // ─── debugging ───────────────────────────────────────────────────────────────────────────────────────────

  /**
   * Starts debugging: with a launch configuration's name, through "Debug: Select and Start Debugging"; without,
   * with F5 (then pick a debugger with `pick()` if VS Code asks). Waits until the session runs or is paused.
   */
  async startDebugging(configuration?: string): Promise<void> {
    if (configuration) {
      await this.runCommand('Debug: Select and Start Debugging');
      await this.pick(configuration);
    } else {
      await this.page.keyboard.press('F5');
    }
    await this.waitForDebugState(['running', 'paused']);
  }

  async waitForDebugState(states: DebugState | readonly DebugState[], timeout = 60 * SECOND): Promise<DebugState> {
    const wanted: readonly DebugState[] = typeof states === 'string' ? [states] : states;
    return waitFor(
      `debugging to be ${wanted.join(' or ')}`,
      async () => {
        const state = await debugState(this.page);
        return wanted.includes(state) ? state : undefined;
      },
      { timeout, seen: () => this.describeScreen() },
    );
  }

  /** Stops the debugging session (Shift+F5) and waits until it has ended. */
  async stopDebugging(): Promise<void> {
    if ((await debugState(this.page)) === 'none') return;
    await this.page.keyboard.press('Shift+F5');
    await this.waitForDebugState('none');
  }

  // ─── views ───────────────────────────────────────────────────────────────────────────────────────────────

  /** Shows a view by its title ("Call Stack", "Explorer", a view an extension contributes…) via "View: Open View". */
  async openView(title: string): Promise<void> {
    const pane = paneLocator(this.page, title);
    if (await pane.isVisible()) return;
    await openQuickInput(this.page, 'Control+P', `view ${title}`);
    await pickQuickRow(this.page, `the view "${title}"`, (r) => r.label.toLowerCase() === title.toLowerCase());
    await waitFor(`the view "${title}" to show`, () => pane.isVisible(), { seen: () => this.describeScreen() });
  }

  /** The items of a tree view (opened and expanded if needed), as their texts, levels and states. */
  async readTreeView(title: string): Promise<TreeItem[]> {
    await this.openView(title);
    const pane = paneLocator(this.page, title);
    const header = pane.locator('.pane-header').first();
    if ((await header.getAttribute('aria-expanded')) === 'false') {
      await header.click();
      await waitFor(
        `the view "${title}" to expand`,
        async () => (await header.getAttribute('aria-expanded')) === 'true',
      );
    }
    return treeItems(pane);
  }

  /** Clicks the first item of a tree view whose text matches (expands a node, runs an item's action). */
  async clickTreeItem(title: string, text: string | RegExp, { timeout = 30 * SECOND } = {}): Promise<void> {
    await this.openView(title);
    const row = paneLocator(this.page, title).locator('.pane-body .monaco-list-row', { hasText: text }).first();
    await waitFor(`an item ${String(text)} in the view "${title}"`, () => row.isVisible(), {
      timeout,
      seen: async () => `items: ${JSON.stringify((await this.readTreeView(title)).map((i) => i.text))}`,
    });
    await row.click({ timeout });
  }

  // ─── logs ────────────────────────────────────────────────────────────────────────────────────────────────

  /** The current extension host's own log (activations, extension errors). */
  extensionHostLog(): string {
    return this.logs.host();
  }

  /** Yieldscope's output channel as the current extension host wrote it to disk. */
  extensionLog(): string {
    return this.logs.yieldscope();
  }

  // ─── screenshots and failures ────────────────────────────────────────────────────────────────────────────

  /** Saves a screenshot of the whole window as test-results/e2e/<name>.png and returns its path. */
  async screenshot(name: string): Promise<string> {
    mkdirSync(E2E_RESULTS, { recursive: true });
    const file = join(E2E_RESULTS, `${name}.png`);
    await this.page.screenshot({ path: file });
    return file;
  }

  /** What the screen shows, in words: the workbench, and the Yieldscope view's text if it is open. */
  async describeScreen(): Promise<string> {
    let text = await describeWorkbench(this.page).catch(
      (e: unknown) => `(the workbench could not be read: ${String(e)})`,
    );
    for (const frame of await webviewDocuments(this.page).catch(() => [])) {
      const title = await frame.title().catch(() => '?');
      const body = squash(
        await frame
          .locator('body')
          .innerText({ timeout: 2000 })
          .catch(() => '?'),
      );
      text += `\nwebview ${JSON.stringify(title)}: ${body.length > 600 ? `${body.slice(0, 600)}…` : body}`;
    }
    return text;
  }

  /** Adds a screenshot, the screen in words and the end of the logs to a failed test's error; saves the logs. */
  async reportFailure(err: Error | undefined, name: string): Promise<void> {
    let shot: string;
    try {
      shot = await this.screenshot(`${name}-FAILED`);
    } catch (e) {
      shot = `no screenshot: ${String(e)}`;
    }
    // A `waitFor` timeout has described the screen already, at the moment it gave up.
    const described = err?.message.includes('\neditor tabs:') || err?.message.includes('saw: editor tabs:');
    const screen = described ? '(as described above)' : await this.describeScreen();
    const logs = this.saveLogs(`${name}-FAILED`);
    const tail = (text: string, n: number) => text.trimEnd().split('\n').slice(-n).join('\n') || '(empty)';
    const extra = [
      '',
      `── the screen (${shot}) ──`,
      screen,
      `── extension host log, last lines (all logs: ${logs}) ──`,
      tail(this.extensionHostLog(), 25),
      '── Yieldscope output channel, last lines ──',
      tail(this.extensionLog(), 25),
    ].join('\n');
    if (!err) return;
    const before = err.message;
    err.message += extra;
    if (err.stack?.includes(before)) err.stack = err.stack.replace(before, err.message);
  }

  /** Copies the logs (extension hosts, Yieldscope, code-server) to test-results/e2e/<name>-logs/. */
  saveLogs(name: string): string {
    return this.logs.saveTo(join(E2E_RESULTS, `${name}-logs`), [this.server.logFile]);
  }

  /** Closes the browser, stops code-server (checking that nothing is left listening) and removes the folders. */
  async close(): Promise<void> {
    this.saveLogs(this.name);
    try {
      await this.browser.close();
    } finally {
      try {
        await this.server.stop();
      } finally {
        rmSync(this.home, { recursive: true, force: true });
      }
    }
  }
}

// ─── mocha ───────────────────────────────────────────────────────────────────────────────────────────────────

/**
 * Starts an Editor before the suite's tests and closes it after them. After each test it saves a screenshot,
 * test-results/e2e/<name>-<nn>-<test title>.png; a failed test's message also gets what the screen showed and the
 * extension host log.
 */
export function useEditor(options: EditorOptions): { readonly editor: Editor } {
  let editor: Editor | undefined;
  let count = 0;
  before(async function () {
    this.timeout(SETUP_TIMEOUT);
    editor = await Editor.start(options);
  });
  afterEach(async function () {
    const test = this.currentTest;
    if (!editor || !test) return;
    count += 1;
    const name = `${options.name}-${String(count).padStart(2, '0')}-${slug(test.title)}`;
    if (test.state === 'failed') await editor.reportFailure(test.err, name);
    else await editor.screenshot(name);
  });
  after(async function () {
    this.timeout(60 * SECOND);
    await editor?.close();
  });
  return {
    get editor(): Editor {
      if (!editor) throw new Error('the editor did not start (see the "before all" hook)');
      return editor;
    },
  };
}

/** True once the open Go to Line picker has taken `line`: a row, or its message, names it. */
async function offersLine(page: Page, line: number): Promise<boolean> {
  const named = new RegExp(`\\b${line}\\b`);
  if ((await quickRows(page)).some((r) => named.test(`${r.label} ${r.ariaLabel}`))) return true;
  return named.test(squash(await page.locator('.quick-input-widget .quick-input-message').textContent()));
}

function slug(title: string): string {
  return title
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 50);
}
