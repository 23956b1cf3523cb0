// What the end-to-end rig knows about VS Code's workbench DOM: the quick input (quick open and the command
// palette), editor tabs, views and their trees, notifications, the debug toolbar and webview frames. Plain
// functions over a Playwright page, each waiting for a condition (never for a fixed time) and failing with what
// it expected and what it saw. rig.ts builds the user-level helpers on these.

import type { Frame, Locator, Page } from 'playwright-core';

export const SECOND = 1000;

/**
 * Polls `probe` until it returns something other than undefined/false, and returns that. On timeout it throws
 * "timed out after Ns waiting for <what>; saw: <seen()>", so that a failure says what it expected and what was
 * there instead.
 */
export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined | false>,
  {
    timeout = 30 * SECOND,
    interval = 100,
    seen,
  }: { timeout?: number; interval?: number; seen?: () => Promise<string> } = {},
): Promise<T> {
  const until = Date.now() + timeout;
  for (;;) {
    let value: T | undefined | false;
    try {
      value = await probe();
    } catch {
      value = undefined; // a frame or element that went away while being read: look again
    }
    if (value !== undefined && value !== false) return value;
    if (Date.now() > until) {
      const saw = seen ? await seen().catch((e: unknown) => `(could not tell: ${String(e)})`) : '';
      throw new Error(`timed out after ${timeout / SECOND}s waiting for ${what}${saw ? `; saw: ${saw}` : ''}`);
    }
    await new Promise((r) => setTimeout(r, interval));
  }
}

/** Whitespace folded to single spaces. */
export function squash(text: string | null | undefined): string {
  return (text ?? '').replace(/\s+/g, ' ').trim();
}

// ─── the workbench ───────────────────────────────────────────────────────────────────────────────────────────

/** True once the workbench is drawn and the explorer shows the folder's files (so the server side is up). */
export async function workbenchReady(page: Page): Promise<boolean> {
  return (await page.locator('.monaco-workbench .explorer-folders-view .monaco-list-row').count()) > 0;
}

// ─── the quick input: quick open, the command palette, pickers ───────────────────────────────────────────────

const QUICK_INPUT = '.quick-input-widget';
const QUICK_INPUT_BOX = `${QUICK_INPUT} .quick-input-box input`;
const QUICK_ROWS = `${QUICK_INPUT} .quick-input-list .monaco-list-row`;

export interface QuickRow {
  /** The main label, e.g. "Yieldscope: Show Visualizer" or "main.ts". */
  readonly label: string;
  /** The description beside it, e.g. a file's folder. */
  readonly description: string;
  readonly ariaLabel: string;
}

export async function quickInputVisible(page: Page): Promise<boolean> {
  return page.locator(QUICK_INPUT).isVisible();
}

/** Opens the quick input with `key` (Control+P, F1…) and types `text` into it. */
export async function openQuickInput(page: Page, key: string, text: string): Promise<void> {
  if (await quickInputVisible(page)) await closeQuickInput(page);
  await page.keyboard.press(key);
  await waitFor(`the quick input to open after ${key}`, () => quickInputVisible(page), {
    timeout: 10 * SECOND,
    seen: () => describeFocus(page),
  });
  await page.locator(QUICK_INPUT_BOX).fill(text);
}

export async function closeQuickInput(page: Page): Promise<void> {
  if (!(await quickInputVisible(page))) return;
  await page.keyboard.press('Escape');
  await waitFor('the quick input to close', async () => !(await quickInputVisible(page)), { timeout: 5 * SECOND });
}

export async function quickRows(page: Page): Promise<QuickRow[]> {
  return page.locator(QUICK_ROWS).evaluateAll((rows) =>
    rows.map((row) => ({
      label: (row.querySelector('.label-name')?.textContent ?? '').trim(),
      description: (row.querySelector('.label-description')?.textContent ?? '').trim(),
      ariaLabel: row.getAttribute('aria-label') ?? '',
    })),
  );
}

/**
 * The rows once they stop changing: the same list twice, 300 ms apart (results arrive asynchronously, file search
 * in particular). An empty list counts as settled only after `emptyAfter`.
 */
export async function settledQuickRows(page: Page, emptyAfter = 3 * SECOND): Promise<QuickRow[]> {
  const started = Date.now();
  let previous = '';
  return waitFor(
    'the quick input results to settle',
    async () => {
      const rows = await quickRows(page);
      const key = JSON.stringify(rows);
      const settled = key === previous && (rows.length > 0 || Date.now() - started > emptyAfter);
      previous = key;
      return settled ? rows : undefined;
    },
    { interval: 300, timeout: 20 * SECOND },
  );
}

/**
 * Clicks the row for which `match` is true, waiting for it to appear. The list changes while results arrive
 * (file search, "recently opened"), so the row is looked up again whenever a click misses.
 */
export async function pickQuickRow(page: Page, what: string, match: (row: QuickRow) => boolean): Promise<void> {
  await waitFor(
    `a row for ${what} in the quick input`,
    async () => {
      const i = (await quickRows(page)).findIndex(match);
      if (i < 0) return false;
      const row = page.locator(QUICK_ROWS).nth(i);
      const now = await row.evaluate((r) => ({
        label: (r.querySelector('.label-name')?.textContent ?? '').trim(),
        description: (r.querySelector('.label-description')?.textContent ?? '').trim(),
        ariaLabel: r.getAttribute('aria-label') ?? '',
      }));
      if (!match(now)) return false; // the list moved under us
      await row.click({ timeout: 2 * SECOND });
      return true;
    },
    {
      timeout: 20 * SECOND,
      interval: 200,
      seen: async () => `rows ${JSON.stringify((await quickRows(page)).map((r) => r.ariaLabel))}`,
    },
  );
}

// ─── editors ─────────────────────────────────────────────────────────────────────────────────────────────────

export interface EditorTab {
  /** The tab's text, e.g. "main.ts" or "Yieldscope". */
  readonly label: string;
  /** Active in its group. */
  readonly active: boolean;
  /** 1-based editor group, from left to right. */
  readonly group: number;
}

export async function editorTabs(page: Page): Promise<EditorTab[]> {
  return page.locator('.editor-group-container').evaluateAll((groups) => {
    const ordered = groups
      .map((g) => ({ g, left: g.getBoundingClientRect().left }))
      .sort((a, b) => a.left - b.left)
      .map((x) => x.g);
    return ordered.flatMap((g, i) =>
      [...g.querySelectorAll('.tabs-container .tab')].map((tab) => ({
        // The name and its suffix are separate elements ("main" + ".ts"); a description may follow them.
        label: (
          (tab.querySelector('.monaco-icon-name-container')?.textContent ?? '') +
          (tab.querySelector('.monaco-icon-suffix-container')?.textContent ?? '')
        ).trim(),
        active: tab.classList.contains('active'),
        group: i + 1,
      })),
    );
  });
}

/** The breadcrumbs of the active editor, e.g. "08-yield-star › src › main.ts" (as the segments' texts). */
export async function activeBreadcrumbs(page: Page): Promise<string[]> {
  return page
    .locator('.editor-group-container.active .breadcrumbs-control .monaco-breadcrumb-item')
    .evaluateAll((items) => items.map((i) => (i.textContent ?? '').trim()).filter(Boolean));
}

/** The editor tabs whose label (file name with its extension, or a panel's title) is `label`. */
export function tabLocator(page: Page, label: string): Locator {
  return page.locator('.tabs-container .tab').filter({
    has: page.locator('.monaco-icon-label-container', {
      hasText: new RegExp(`^\\s*${escapeRegExp(label)}(\\s|$)`),
    }),
  });
}

// ─── views and trees ─────────────────────────────────────────────────────────────────────────────────────────

export interface TreeItem {
  /** The row's visible text, whitespace folded. */
  readonly text: string;
  /** What a screen reader hears (often more precise than the text). */
  readonly ariaLabel: string;
  /** 1 for top-level items. */
  readonly level: number;
  /** undefined for leaves. */
  readonly expanded: boolean | undefined;
}

/** The pane (a view section in a side bar or the panel) whose header says `title`, ignoring case. */
export function paneLocator(page: Page, title: string): Locator {
  const header = page.locator('.pane-header', {
    has: page.locator('h3.title', { hasText: new RegExp(`^\\s*${escapeRegExp(title)}\\s*$`, 'i') }),
  });
  return page.locator('.pane', { has: header }).first();
}

export async function treeItems(pane: Locator): Promise<TreeItem[]> {
  return pane.locator('.pane-body .monaco-list-row').evaluateAll((rows) =>
    rows.map((row) => {
      const expanded = row.getAttribute('aria-expanded');
      return {
        // innerText leaves out hidden parts (twisties, decorations' hover text); the tsconfig has no DOM types.
        text: ((row as unknown as { innerText?: string }).innerText ?? row.textContent ?? '')
          .replace(/\s+/g, ' ')
          .trim(),
        ariaLabel: row.getAttribute('aria-label') ?? '',
        level: Number(row.getAttribute('aria-level') ?? '1'),
        expanded: expanded === null ? undefined : expanded === 'true',
      };
    }),
  );
}

// ─── debugging ───────────────────────────────────────────────────────────────────────────────────────────────

export type DebugState = 'none' | 'running' | 'paused';

/** From the debug toolbar: hidden (no session), with a Continue button (paused) or a Pause button (running). */
export async function debugState(page: Page): Promise<DebugState> {
  const toolbar = page.locator('.debug-toolbar');
  if (!(await toolbar.isVisible())) return 'none';
  if ((await toolbar.locator('.codicon-debug-continue').count()) > 0) return 'paused';
  return 'running';
}

// ─── webviews ────────────────────────────────────────────────────────────────────────────────────────────────

/**
 * The documents of visible webviews. VS Code nests two iframes per webview: an outer one (the webview host,
 * `…/webview/browser/pre/index.html`) and an inner one that holds the extension's document.
 */
export async function webviewDocuments(page: Page): Promise<Frame[]> {
  const found: Frame[] = [];
  for (const frame of page.frames()) {
    const host = frame.parentFrame();
    if (!host || !host.url().includes('/webview/browser/pre/')) continue;
    const element = await host.frameElement().catch(() => undefined);
    if (element && (await element.isVisible().catch(() => false))) found.push(frame);
  }
  return found;
}

// ─── what the screen shows (for failure messages) ────────────────────────────────────────────────────────────

export async function notifications(page: Page): Promise<string[]> {
  return page
    .locator('.notifications-toasts .notification-list-item-message')
    .evaluateAll((els) => els.map((e) => (e.textContent ?? '').trim()));
}

/** True while the focus is inside an iframe (a webview): keys then go to the webview first. */
export async function focusInFrame(page: Page): Promise<boolean> {
  return page.evaluate<boolean>(`document.activeElement?.tagName === 'IFRAME'`);
}

export async function describeFocus(page: Page): Promise<string> {
  // A string, not a function: the tests' tsconfig has no DOM types.
  return page.evaluate<string>(
    `(() => { const el = document.activeElement; if (!el) return 'focus: nowhere';
      const cls = typeof el.className === 'string' ? el.className.split(/\\s+/).slice(0, 3).join('.') : '';
      return 'focus: <' + el.tagName.toLowerCase() + (cls ? ' class="' + cls + '"' : '') + '>'; })()`,
  );
}

/** A few lines saying what the workbench shows: tabs, quick input, notifications, dialogs, focus. */
export async function describeWorkbench(page: Page): Promise<string> {
  const lines: string[] = [];
  const tabs = await editorTabs(page).catch(() => []);
  lines.push(
    `editor tabs: ${tabs.length ? tabs.map((t) => `${t.label}${t.active ? ' (active)' : ''} [group ${t.group}]`).join(', ') : 'none'}`,
  );
  if (await quickInputVisible(page).catch(() => false)) {
    const value = await page
      .locator(QUICK_INPUT_BOX)
      .inputValue()
      .catch(() => '?');
    const rows = await quickRows(page).catch(() => []);
    lines.push(`quick input: ${JSON.stringify(value)} with rows ${JSON.stringify(rows.map((r) => r.ariaLabel))}`);
  }
  const toasts = await notifications(page).catch(() => []);
  if (toasts.length) lines.push(`notifications: ${toasts.map((t) => JSON.stringify(t)).join(', ')}`);
  const dialog = await page
    .locator('.monaco-dialog-box')
    .allTextContents()
    .catch(() => []);
  if (dialog.length) lines.push(`dialog: ${dialog.map(squash).join(' | ')}`);
  lines.push(`debugging: ${await debugState(page).catch(() => '?')}`);
  lines.push(await describeFocus(page).catch(() => 'focus: ?'));
  return lines.join('\n');
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
