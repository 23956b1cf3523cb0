// The Coroutines view in the Run and Debug side bar. It shows one recording: the one of the active debugging
// session when that session is traced, else the newest (or the one picked with "Show Recording…"). Its model is
// kept in the host (recordingModel.ts) and drawn as coroutineTree.ts lays it out; while the program runs the tree
// is redrawn at most every REFRESH_MS, and at once when a debugger pauses it, with the coroutine that was
// running then selected. Items open their source, and select their recording in the visualiser.

import * as vscode from 'vscode';
import { showCoroutineHistory } from './historyCommand';
import { coroutineTree, findNode, pathTo } from './coroutineTree';
import type { CoroutineNode, IconName, TreeNode } from './coroutineTree';
import type { DebugTraces, SessionState } from './debugTraces';
import { Disposable } from './dispose';
import { showSourceLocation } from './editorLocation';
import type { Logger } from './log';
import type { VisualizerPanels } from './panel';
import { describeEnd } from './programOutput';
import { RecordingModel } from './recordingModel';
import type { Recordings } from './recordings';
import type { TraceRecording } from './traceRecording';

export const VIEW_ID = 'yieldscope.coroutines';
export const VIEW_COMMANDS = {
  revealSource: 'yieldscope.coroutines.revealSource',
  selectInVisualizer: 'yieldscope.coroutines.selectInVisualizer',
  showRecording: 'yieldscope.coroutines.showRecording',
  showHistory: 'yieldscope.coroutines.showHistory',
} as const;

const REFRESH_MS = 200;

const ICON_COLORS: Partial<Record<IconName, string>> = {
  'debug-stackframe-focused': 'debugIcon.pauseForeground',
  play: 'debugIcon.startForeground',
  error: 'errorForeground',
  pass: 'testing.iconPassed',
};

export interface CoroutinesViewContext {
  readonly recordings: Recordings;
  readonly traces: DebugTraces;
  readonly panels: VisualizerPanels;
  readonly log: Logger;
}

export class CoroutinesView extends Disposable implements vscode.TreeDataProvider<TreeNode> {
  private readonly _onDidChangeTreeData = this._register(new vscode.EventEmitter<TreeNode | undefined>());
  readonly onDidChangeTreeData = this._onDidChangeTreeData.event;
  private readonly _onDidRedraw = this._register(new vscode.EventEmitter<void>());
  /** The shown recording changed, or new events were folded into it (at most every REFRESH_MS). */
  readonly onDidRedraw = this._onDidRedraw.event;
  private readonly view: vscode.TreeView<TreeNode>;
  private shown: RecordingModel | undefined;
  /** The recording picked by hand, shown while no traced session is active. */
  private picked: string | undefined;
  private roots: TreeNode[] = [];
  private readonly parents = new Map<string, TreeNode>();
  private timer: NodeJS.Timeout | undefined;
  private pause: { session: vscode.DebugSession; state: SessionState } | undefined;
  private hasRecordings: boolean | undefined;

  constructor(private readonly ctx: CoroutinesViewContext) {
    super();
    this.view = this._register(
      vscode.window.createTreeView(VIEW_ID, { treeDataProvider: this, showCollapseAll: true }),
    );
    this._register(ctx.recordings.onDidAdd(() => this.choose()));
    this._register(ctx.recordings.onDidRemove(() => this.choose()));
    this._register(ctx.recordings.onDidEnd(({ recording }) => recording === this.shown?.recording && this.redraw()));
    this._register(ctx.traces.onDidChange(() => this.choose()));
    this._register(vscode.debug.onDidChangeActiveDebugSession(() => this.choose()));
    this._register({ dispose: () => clearTimeout(this.timer) });
    this._register({ dispose: () => this.shown?.dispose() });
    this._register(
      vscode.commands.registerCommand(VIEW_COMMANDS.revealSource, (node?: unknown) => this.revealSource(node)),
    );
    this._register(
      vscode.commands.registerCommand(VIEW_COMMANDS.selectInVisualizer, (node?: unknown) =>
        this.selectInVisualizer(node),
      ),
    );
    this._register(vscode.commands.registerCommand(VIEW_COMMANDS.showRecording, () => this.pickRecording()));
    this._register(
      vscode.commands.registerCommand(VIEW_COMMANDS.showHistory, (node?: unknown) =>
        showCoroutineHistory(this.shown?.recording, asCoroutine(node) ?? this.selected(), this.ctx.log),
      ),
    );
    this.choose();
  }

  /** The recording the view shows now. */
  get recording(): TraceRecording | undefined {
    return this.shown?.recording;
  }

  /** Its model (coroutines, site history), kept up to date. */
  get shownModel(): RecordingModel | undefined {
    return this.shown;
  }

  getTreeItem(node: TreeNode): vscode.TreeItem {
    switch (node.kind) {
      case 'group': {
        const item = new vscode.TreeItem(node.label, vscode.TreeItemCollapsibleState.Expanded);
        item.id = node.id;
        item.description = String(node.count);
        item.contextValue = 'yieldscope.group';
        return item;
      }
      case 'more': {
        const item = new vscode.TreeItem(node.label, vscode.TreeItemCollapsibleState.None);
        item.id = node.id;
        item.tooltip = 'The view lists this many coroutines per group; the visualiser shows them all.';
        return item;
      }
      case 'coroutine': {
        const item = new vscode.TreeItem(
          node.label,
          node.children.length ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.None,
        );
        item.id = node.id;
        item.description = node.description;
        item.tooltip = node.tooltip;
        const color = ICON_COLORS[node.icon];
        item.iconPath = new vscode.ThemeIcon(node.icon, color ? new vscode.ThemeColor(color) : undefined);
        item.contextValue = node.location ? 'yieldscope.coroutine.located' : 'yieldscope.coroutine';
        item.accessibilityInformation = {
          label: `${node.label}${node.current ? ', current' : ''}: ${node.description}`,
        };
        if (node.location) {
          item.command = { command: VIEW_COMMANDS.revealSource, title: 'Go to Source', arguments: [node] };
        }
        return item;
      }
    }
  }

  getChildren(node?: TreeNode): TreeNode[] {
    if (!node) return this.roots;
    return node.kind === 'more' ? [] : [...node.children];
  }

  getParent(node: TreeNode): TreeNode | undefined {
    return this.parents.get(node.id);
  }

  /** Picks the recording to show (the active traced session's, or the picked one, or the newest). */
  private choose(): void {
    if (this.isDisposed) return;
    const session = vscode.debug.activeDebugSession;
    const traces = this.ctx.traces;
    const own = session && traces.isTraced(session) ? traces.recordingOf(session) : undefined;
    const state = session && own ? traces.stateOf(session) : undefined;
    this.pause = session && state ? { session, state } : undefined;
    const list = this.ctx.recordings.list();
    const picked = this.picked === undefined ? undefined : this.ctx.recordings.get(this.picked);
    const recording = own ?? picked ?? list.at(-1);
    if (this.hasRecordings !== list.length > 0) {
      this.hasRecordings = list.length > 0;
      void vscode.commands.executeCommand('setContext', 'yieldscope.hasRecordings', this.hasRecordings);
    }
    if (recording !== this.shown?.recording) {
      this.shown?.dispose();
      this.shown = recording ? new RecordingModel(recording) : undefined;
      this.shown?.onDidChange(() => this.scheduleRedraw());
      this.redraw();
      return;
    }
    // A pause redraws at once (and selects the current coroutine); anything else can wait for the next tick.
    if (this.pause?.state.kind === 'paused') this.redraw(true);
    else this.redraw();
  }

  private scheduleRedraw(): void {
    this.timer ??= setTimeout(() => this.redraw(), REFRESH_MS);
  }

  private redraw(reveal = false): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.isDisposed) return;
    const shown = this.shown;
    const pause = this.pause?.state.kind === 'paused' ? this.pause.state.pause : undefined;
    const paused = pause !== undefined && pause.recordingId === shown?.recording.id;
    this.roots = shown
      ? coroutineTree(shown.model, shown.trace, {
          idPrefix: shown.recording.id,
          cwd: shown.trace.header?.cwd,
          pause: paused
            ? {
                location: pause.frame?.path
                  ? { url: pause.frame.path, line: pause.frame.line, column: pause.frame.column }
                  : undefined,
              }
            : undefined,
        })
      : [];
    this.parents.clear();
    const index = (nodes: readonly TreeNode[], parent: TreeNode | undefined): void => {
      for (const n of nodes) {
        if (parent) this.parents.set(n.id, parent);
        if (n.kind !== 'more') index(n.children, n);
      }
    };
    index(this.roots, undefined);
    this.view.description = shown ? `${shown.recording.title} · ${this.status(shown.recording)}` : undefined;
    this.view.message = this.message(shown, paused);
    this._onDidChangeTreeData.fire(undefined);
    this._onDidRedraw.fire();
    if (reveal && paused && shown) {
      // A break on a coroutine event names its coroutine; any other pause selects the one running.
      const current = pause.coroutine ?? shown.model.running.at(-1);
      const node = current === undefined ? undefined : findNode(this.roots, current);
      if (node) this.reveal(node);
      this.ctx.panels.focus(shown.recording.id);
    }
  }

  private reveal(node: CoroutineNode): void {
    if (!this.view.visible || !pathTo(this.roots, node.id)) return;
    this.view.reveal(node, { select: true, focus: false, expand: true }).then(undefined, (e: unknown) => {
      this.ctx.log.info(`could not select ${node.label} in the Coroutines view: ${String(e)}`);
    });
  }

  private status(recording: TraceRecording): string {
    const state = this.pause?.state;
    if (recording.isRunning && state && this.ctx.traces.recordingOf(this.pause!.session) === recording) {
      if (state.kind === 'paused') return 'paused';
      if (state.kind === 'settling') return 'pausing…';
    }
    return recording.isRunning ? 'running' : describeEnd(recording.state);
  }

  private message(shown: RecordingModel | undefined, paused: boolean): string | undefined {
    if (!shown) return undefined;
    if (shown.trace.header === undefined) {
      return shown.recording.isRunning ? 'Waiting for the trace…' : 'This recording has no trace.';
    }
    const pause = this.pause?.state.kind === 'paused' ? this.pause.state.pause : undefined;
    if (paused && pause?.tracer === 'no-flush') {
      return 'Paused. This tracer cannot hand over what it holds during a pause: the view may lag behind the program.';
    }
    if (shown.model.coroutines.size === 0) return 'No coroutines recorded yet.';
    return undefined;
  }

  private async revealSource(node: unknown): Promise<void> {
    const target = asCoroutine(node) ?? this.selected();
    if (!target?.location) return;
    await showSourceLocation(target.location, vscode.ViewColumn.One, this.ctx.log, { preserveFocus: true });
  }

  private selectInVisualizer(_node: unknown): void {
    const recording = this.shown?.recording;
    if (!recording) return;
    // The recording, not yet the coroutine itself: the protocol has no message for that (docs/debugging.md).
    this.ctx.panels.show(true);
    this.ctx.panels.focus(recording.id);
  }

  private selected(): CoroutineNode | undefined {
    const first = this.view.selection[0];
    return first?.kind === 'coroutine' ? first : undefined;
  }

  private async pickRecording(): Promise<void> {
    const items = [...this.ctx.recordings.list()].reverse().map((r) => ({
      label: r.title,
      description: r.isRunning ? 'running' : describeEnd(r.state),
      id: r.id,
    }));
    if (items.length === 0) {
      void vscode.window.showInformationMessage('Yieldscope: there is no recording yet.');
      return;
    }
    const choice = await vscode.window.showQuickPick(items, { placeHolder: 'The recording the Coroutines view shows' });
    if (!choice) return;
    this.picked = choice.id;
    this.choose();
  }
}

function asCoroutine(node: unknown): CoroutineNode | undefined {
  return typeof node === 'object' && node !== null && (node as TreeNode).kind === 'coroutine'
    ? (node as CoroutineNode)
    : undefined;
}
