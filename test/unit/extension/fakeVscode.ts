// A small stand-in for the `vscode` module: just the API surface src/extension uses, recording what the
// extension does (messages shown, panels made, posts, editors opened, debug providers and trackers, tree views,
// custom editors) so that activation, the commands and the debug configuration providers can be driven in plain
// Node. It is no substitute for the real-editor tests; it catches wiring mistakes.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { Emitter } from '../../../src/extension/dispose';

export class Uri {
  private constructor(
    readonly scheme: string,
    readonly fsPath: string,
  ) {}
  static file(p: string): Uri {
    return new Uri('file', path.resolve(p));
  }
  static untitled(name: string): Uri {
    return new Uri('untitled', name);
  }
  static joinPath(base: Uri, ...segments: string[]): Uri {
    return new Uri(base.scheme, path.join(base.fsPath, ...segments));
  }
  get path(): string {
    return this.fsPath;
  }
  toString(): string {
    return `${this.scheme}://${this.fsPath}`;
  }
}

export class Position {
  constructor(
    readonly line: number,
    readonly character: number,
  ) {}
}
export class Range {
  readonly start: Position;
  readonly end: Position;
  constructor(a: Position | number, b: Position | number, c = 0, d = 0) {
    this.start = typeof a === 'number' ? new Position(a, b as number) : a;
    this.end = typeof a === 'number' ? new Position(c, d) : (b as Position);
  }
}
export const ViewColumn = { Active: -1, Beside: -2, One: 1, Two: 2 } as const;
export const StatusBarAlignment = { Left: 1, Right: 2 } as const;
export const FileType = { File: 1, Directory: 2 } as const;
export const TextEditorRevealType = { Default: 0, InCenter: 1, InCenterIfOutsideViewport: 2 } as const;

export class FakeDocument {
  saved = 0;
  constructor(
    readonly uri: Uri,
    public isDirty = false,
    readonly languageId = 'javascript',
  ) {}
  get isUntitled(): boolean {
    return this.uri.scheme === 'untitled';
  }
  async save(): Promise<boolean> {
    this.saved++;
    this.isDirty = false;
    return true;
  }
  validatePosition(p: Position): Position {
    return new Position(Math.max(0, p.line), Math.max(0, p.character));
  }
  /** The file's text on disk ('' when there is none). */
  getText(): string {
    try {
      return fs.readFileSync(this.uri.fsPath, 'utf8');
    } catch {
      return '';
    }
  }
  get lineCount(): number {
    return this.getText().split('\n').length;
  }
  lineAt(line: number): { text: string; range: Range } {
    const text = this.getText().split('\n')[line] ?? '';
    return { text, range: new Range(new Position(line, 0), new Position(line, text.length)) };
  }
}

export class FakeWebview {
  html = '';
  options: { enableScripts?: boolean; localResourceRoots?: Uri[] } = {};
  readonly cspSource = 'https://fake.vscode-cdn.net';
  readonly posted: { type: string; [key: string]: unknown }[] = [];
  readonly received = new Emitter<unknown>();
  readonly onDidReceiveMessage = this.received.event;
  asWebviewUri(uri: Uri): { toString(): string } {
    return { toString: () => `https://fake.vscode-cdn.net${uri.fsPath}` };
  }
  async postMessage(message: { type: string }): Promise<boolean> {
    this.posted.push(message);
    return true;
  }
}

export class FakePanel {
  readonly webview = new FakeWebview();
  iconPath: Uri | undefined;
  visible = true;
  viewColumn = 2;
  revealed = 0;
  disposed = false;
  private readonly disposeEmitter = new Emitter<void>();
  readonly viewState = new Emitter<void>();
  readonly onDidDispose = this.disposeEmitter.event;
  readonly onDidChangeViewState = this.viewState.event;
  constructor(
    readonly viewType: string,
    readonly options: unknown,
  ) {}
  reveal(): void {
    this.revealed++;
  }
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.disposeEmitter.fire();
  }
}

export class ThemeColor {
  constructor(readonly id: string) {}
}
export class ThemeIcon {
  constructor(
    readonly id: string,
    readonly color?: ThemeColor,
  ) {}
}
export const TreeItemCollapsibleState = { None: 0, Collapsed: 1, Expanded: 2 } as const;
export class TreeItem {
  id: string | undefined;
  description: string | undefined;
  tooltip: string | undefined;
  iconPath: ThemeIcon | undefined;
  contextValue: string | undefined;
  command: { command: string; arguments?: unknown[] } | undefined;
  accessibilityInformation: { label: string } | undefined;
  constructor(
    readonly label: string,
    readonly collapsibleState: number,
  ) {}
}
/** `vscode.EventEmitter`: the same shape as our Emitter. */
export class EventEmitter<T> extends Emitter<T> {}
export const DecorationRangeBehavior = { OpenOpen: 0, ClosedClosed: 1, OpenClosed: 2, ClosedOpen: 3 } as const;
export class MarkdownString {
  value = '';
  isTrusted = false;
  supportHtml = false;
  appendText(text: string): this {
    this.value += text.replace(/[\\`*_{}[\]()#+\-.!<>&|]/g, '\\$&');
    return this;
  }
}
export class CodeLens {
  constructor(
    readonly range: Range,
    readonly command?: { title: string; tooltip?: string; command: string; arguments?: unknown[] },
  ) {}
}
/** A visible editor: the decorations set on it, by decoration type. */
export class FakeEditor {
  readonly decorations = new Map<unknown, unknown[]>();
  constructor(readonly document: FakeDocument) {}
  setDecorations(type: unknown, options: unknown[]): void {
    this.decorations.set(type, options);
  }
}
export const DebugConfigurationProviderTriggerKind = { Initial: 1, Dynamic: 2 } as const;
export class TabInputCustom {
  constructor(
    readonly uri: Uri,
    readonly viewType: string,
  ) {}
}

/** A debug configuration provider as the extension registers it. */
export interface FakeDebugProvider {
  provideDebugConfigurations?(folder: unknown): unknown;
  resolveDebugConfiguration?(folder: unknown, config: Record<string, unknown>): Promise<unknown> | unknown;
  resolveDebugConfigurationWithSubstitutedVariables?(
    folder: unknown,
    config: Record<string, unknown>,
  ): Promise<unknown> | unknown;
}

export interface FakeTreeView {
  readonly provider: {
    getChildren(node?: unknown): unknown[];
    getTreeItem(node: unknown): TreeItem;
    onDidChangeTreeData: (l: (e: unknown) => void) => { dispose(): void };
  };
  description: string | undefined;
  message: string | undefined;
  visible: boolean;
  selection: unknown[];
  revealed: unknown[];
}

type Handler = (...args: unknown[]) => unknown;
const disposable = (fn: () => void = () => {}) => ({ dispose: fn });

/** Builds a fresh fake `vscode` module and the record of what the extension did with it. */
export function createFakeVscode(workspaceFolder: string) {
  const record = {
    messages: [] as { level: 'error' | 'warning' | 'info'; text: string }[],
    /** Chooses the answer to a message with buttons. */
    answer: (_text: string, _items: string[]): string | undefined => undefined,
    log: [] as string[],
    panels: [] as FakePanel[],
    commands: new Map<string, Handler>(),
    executed: [] as unknown[][],
    serializers: new Map<string, { deserializeWebviewPanel(panel: FakePanel, state: unknown): Promise<void> }>(),
    statusBar: { text: '', tooltip: '', command: '', visible: false, name: '' },
    opened: [] as { file: string; selection: Range | undefined }[],
    config: {} as Record<string, unknown>,
    debugProviders: [] as { type: string; provider: FakeDebugProvider; trigger: number | undefined }[],
    trackerFactories: [] as { type: string; factory: { createDebugAdapterTracker(session: unknown): unknown } }[],
    treeViews: new Map<string, FakeTreeView>(),
    customEditors: new Map<string, unknown>(),
    stoppedSessions: [] as unknown[],
    written: new Map<string, Uint8Array>(),
    saveAnswer: undefined as Uri | undefined,
    codeLensProviders: [] as { selector: unknown; provider: { provideCodeLenses(doc: unknown): CodeLens[] } }[],
    /** Answers for showInputBox, in order. */
    inputs: [] as (string | undefined)[],
  };
  const debugEvents = {
    start: new Emitter<unknown>(),
    terminate: new Emitter<unknown>(),
    active: new Emitter<unknown>(),
  };
  const editorEvents = { visible: new Emitter<unknown>(), configuration: new Emitter<unknown>() };
  const show =
    (level: 'error' | 'warning' | 'info') =>
    async (text: string, ...items: string[]) => {
      record.messages.push({ level, text });
      return record.answer(text, items);
    };
  const logTo = (level: string) => (m: string) => record.log.push(`${level} ${m}`);
  const window = {
    activeTextEditor: undefined as { document: FakeDocument } | undefined,
    visibleTextEditors: [] as ({ viewColumn: number } | FakeEditor)[],
    createTextEditorDecorationType: () => ({ dispose: () => {} }),
    onDidChangeVisibleTextEditors: editorEvents.visible.event,
    showInputBox: async () => record.inputs.shift(),
    createOutputChannel: () => ({
      info: logTo('info'),
      warn: logTo('warn'),
      error: logTo('error'),
      show: () => {},
      dispose: () => {},
    }),
    createStatusBarItem: () => {
      const item = record.statusBar;
      return Object.assign(item, {
        show: () => (item.visible = true),
        hide: () => (item.visible = false),
        dispose: () => (item.visible = false),
      });
    },
    createWebviewPanel: (viewType: string, _title: string, _show: unknown, options: unknown) => {
      const panel = new FakePanel(viewType, options);
      record.panels.push(panel);
      return panel;
    },
    registerWebviewPanelSerializer: (viewType: string, serializer: never) => {
      record.serializers.set(viewType, serializer);
      return disposable(() => record.serializers.delete(viewType));
    },
    createTreeView: (id: string, options: { treeDataProvider: FakeTreeView['provider'] }) => {
      const view: FakeTreeView & { dispose(): void; reveal(node: unknown): Promise<void> } = {
        provider: options.treeDataProvider,
        description: undefined,
        message: undefined,
        visible: true,
        selection: [],
        revealed: [],
        reveal: async (node: unknown) => {
          view.revealed.push(node);
        },
        dispose: () => record.treeViews.delete(id),
      };
      record.treeViews.set(id, view);
      return view;
    },
    registerCustomEditorProvider: (viewType: string, provider: unknown) => {
      record.customEditors.set(viewType, provider);
      return disposable(() => record.customEditors.delete(viewType));
    },
    onDidOpenTerminal: () => disposable(),
    onDidCloseTerminal: () => disposable(),
    tabGroups: { activeTabGroup: { activeTab: undefined as { input: unknown } | undefined } },
    showQuickPick: async <T>(items: T[]) => items[0],
    showSaveDialog: async () => record.saveAnswer,
    showErrorMessage: show('error'),
    showWarningMessage: show('warning'),
    showInformationMessage: show('info'),
    showTextDocument: async (doc: FakeDocument, options: { selection?: Range }) => {
      record.opened.push({ file: doc.uri.fsPath, selection: options.selection });
      return { revealRange: () => {} };
    },
  };
  const workspace = {
    isTrusted: true,
    textDocuments: [] as FakeDocument[],
    openTextDocument: async (uri: Uri) => new FakeDocument(uri),
    saveAs: async () => undefined,
    onDidChangeConfiguration: editorEvents.configuration.event,
    onDidGrantWorkspaceTrust: () => disposable(),
    getWorkspaceFolder: (uri: Uri) =>
      uri.fsPath.startsWith(workspaceFolder + path.sep) ? { uri: Uri.file(workspaceFolder) } : undefined,
    workspaceFolders: [{ uri: Uri.file(workspaceFolder), name: 'ws', index: 0 }],
    getConfiguration: () => ({
      get: (key: string, fallback?: unknown) => (key in record.config ? record.config[key] : fallback),
    }),
    fs: {
      readFile: async (uri: Uri) => new Uint8Array(fs.readFileSync(uri.fsPath)),
      writeFile: async (uri: Uri, bytes: Uint8Array) => {
        record.written.set(uri.fsPath, bytes);
      },
      stat: async (uri: Uri) => {
        const st = fs.statSync(uri.fsPath); // throws for a missing file, like the real one
        return { type: st.isFile() ? FileType.File : FileType.Directory, size: st.size };
      },
    },
  };
  const commands = {
    registerCommand: (id: string, fn: Handler) => {
      record.commands.set(id, fn);
      return disposable(() => record.commands.delete(id));
    },
    executeCommand: async (...args: unknown[]) => {
      record.executed.push(args);
      return undefined;
    },
  };
  const debug = {
    activeDebugSession: undefined as unknown,
    registerDebugConfigurationProvider: (type: string, provider: FakeDebugProvider, trigger?: number) => {
      const entry = { type, provider, trigger };
      record.debugProviders.push(entry);
      return disposable(() => record.debugProviders.splice(record.debugProviders.indexOf(entry), 1));
    },
    registerDebugAdapterTrackerFactory: (
      type: string,
      factory: { createDebugAdapterTracker(session: unknown): unknown },
    ) => {
      const entry = { type, factory };
      record.trackerFactories.push(entry);
      return disposable(() => record.trackerFactories.splice(record.trackerFactories.indexOf(entry), 1));
    },
    onDidStartDebugSession: debugEvents.start.event,
    onDidTerminateDebugSession: debugEvents.terminate.event,
    onDidChangeActiveDebugSession: debugEvents.active.event,
    stopDebugging: async (session: unknown) => {
      record.stoppedSessions.push(session);
    },
  };
  const languages = {
    registerCodeLensProvider: (selector: unknown, provider: (typeof record.codeLensProviders)[number]['provider']) => {
      const entry = { selector, provider };
      record.codeLensProviders.push(entry);
      return disposable(() => record.codeLensProviders.splice(record.codeLensProviders.indexOf(entry), 1));
    },
  };
  const vscode = {
    Uri,
    DecorationRangeBehavior,
    MarkdownString,
    CodeLens,
    languages,
    ThemeColor,
    ThemeIcon,
    TreeItem,
    TreeItemCollapsibleState,
    EventEmitter,
    DebugConfigurationProviderTriggerKind,
    TabInputCustom,
    debug,
    Position,
    Range,
    ViewColumn,
    StatusBarAlignment,
    FileType,
    TextEditorRevealType,
    window,
    workspace,
    commands,
  };
  return { vscode, record, window, workspace, debug, debugEvents, editorEvents };
}
