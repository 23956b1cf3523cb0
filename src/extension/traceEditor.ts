// Trace files in the editor: the read-only custom editor for *.ystrace (the visualiser over the file's one
// recording; a file that is not a trace, or is damaged, opens with a sentence saying so and never takes the host
// down), "Save Recording As…" (a recording's bytes, which are a trace file already) and "Export to Chrome Trace
// Format…" (chromeTrace.ts, for Perfetto). Reading and writing go through `workspace.fs`, so remote and virtual
// folders work too.

import * as path from 'node:path';
import * as vscode from 'vscode';
import { chromeTraceText } from './chromeTrace';
import { Disposable } from './dispose';
import type { Logger } from './log';
import { VisualizerPanel } from './panel';
import type { Recordings } from './recordings';
import {
  FileRecording,
  MAX_TRACE_FILE_BYTES,
  StaticRecordings,
  checkTraceFile,
  traceFileName,
} from './traceFileSource';
import type { TraceFileCheck } from './traceFileSource';
import { formatBytes } from './traceBuffer';
import type { TraceRecording } from './traceRecording';

export const TRACE_EDITOR_VIEW_TYPE = 'yieldscope.traceFile';
export const TRACE_COMMANDS = {
  saveRecording: 'yieldscope.saveRecording',
  exportChromeTrace: 'yieldscope.exportChromeTrace',
} as const;

class TraceDocument implements vscode.CustomDocument {
  constructor(
    readonly uri: vscode.Uri,
    readonly bytes: Uint8Array,
    readonly check: TraceFileCheck,
  ) {}
  dispose(): void {}
}

export interface TraceFilesContext {
  readonly extensionUri: vscode.Uri;
  readonly recordings: Recordings;
  readonly log: Logger;
  /** The recording the user most likely means (the one the Coroutines view shows). */
  readonly currentRecording: () => TraceRecording | undefined;
}

export class TraceFiles extends Disposable implements vscode.CustomReadonlyEditorProvider<TraceDocument> {
  private opened = 0;

  constructor(private readonly ctx: TraceFilesContext) {
    super();
    this._register(
      vscode.window.registerCustomEditorProvider(TRACE_EDITOR_VIEW_TYPE, this, {
        supportsMultipleEditorsPerDocument: true,
        webviewOptions: { enableFindWidget: false },
      }),
    );
    this._register(
      vscode.commands.registerCommand(TRACE_COMMANDS.saveRecording, (id?: unknown) =>
        this.save(typeof id === 'string' ? id : undefined),
      ),
    );
    this._register(
      vscode.commands.registerCommand(TRACE_COMMANDS.exportChromeTrace, (arg?: unknown) =>
        this.exportChrome(arg instanceof vscode.Uri ? arg : typeof arg === 'string' ? arg : undefined),
      ),
    );
  }

  async openCustomDocument(uri: vscode.Uri): Promise<TraceDocument> {
    const name = path.basename(uri.path);
    let bytes: Uint8Array = new Uint8Array(0);
    let check: TraceFileCheck;
    try {
      const stat = await vscode.workspace.fs.stat(uri);
      if (stat.size > MAX_TRACE_FILE_BYTES) {
        check = {
          kind: 'unreadable',
          message: `${name} is ${formatBytes(stat.size)}: larger than the ${formatBytes(MAX_TRACE_FILE_BYTES)} Yieldscope opens.`,
        };
      } else {
        bytes = await vscode.workspace.fs.readFile(uri);
        check = checkTraceFile(bytes, name);
      }
    } catch (e) {
      check = {
        kind: 'unreadable',
        message: `${name} could not be read: ${e instanceof Error ? e.message : String(e)}`,
      };
    }
    if (check.kind !== 'ok') this.ctx.log.warn(check.message);
    return new TraceDocument(uri, bytes, check);
  }

  resolveCustomEditor(document: TraceDocument, panel: vscode.WebviewPanel): void {
    const name = path.basename(document.uri.path);
    const recording = new FileRecording(`file-${++this.opened}`, name, document.bytes, document.check);
    const host = new VisualizerPanel(panel, this.ctx.extensionUri, new StaticRecordings(recording), this.ctx.log);
    host.onDidDispose(() => recording.dispose());
    if (document.check.kind === 'unreadable')
      void vscode.window.showErrorMessage(`Yieldscope: ${document.check.message}`);
    else if (document.check.kind === 'damaged')
      void vscode.window.showWarningMessage(`Yieldscope: ${document.check.message}`);
  }

  /** "Save Recording As…": the recording's trace bytes, written as a .ystrace file where the user says. */
  private async save(id: string | undefined): Promise<void> {
    const recording = await this.pick(id, 'The recording to save');
    if (!recording) return;
    const { bytes } = recording.snapshot();
    if (bytes.length === 0) {
      void vscode.window.showInformationMessage(`Yieldscope: ${recording.title} has no trace yet.`);
      return;
    }
    const target = await vscode.window.showSaveDialog({
      defaultUri: this.defaultUri(traceFileName(recording.header)),
      filters: { 'Yieldscope trace': ['ystrace'] },
      saveLabel: 'Save Recording',
      title: `Save ${recording.title}`,
    });
    if (!target) return;
    await vscode.workspace.fs.writeFile(target, bytes);
    this.ctx.log.info(`[${recording.title}] saved to ${target.toString(true)} (${formatBytes(bytes.length)})`);
    const notes: string[] = [];
    if (recording.isRunning) notes.push('the program is still running: the file holds what was recorded so far');
    if (recording.droppedBytes) notes.push('the recording reached its memory limit: the file holds what was kept');
    const open = 'Open';
    const choice = await vscode.window.showInformationMessage(
      `Yieldscope: saved ${recording.title} to ${path.basename(target.path)}${notes.length ? ` (${notes.join('; ')})` : ''}.`,
      open,
    );
    if (choice === open) await vscode.commands.executeCommand('vscode.openWith', target, TRACE_EDITOR_VIEW_TYPE);
  }

  /** "Export to Chrome Trace Format…": of a trace file (from its editor) or of a recording. */
  private async exportChrome(source: vscode.Uri | string | undefined): Promise<void> {
    let bytes: Uint8Array;
    let title: string;
    let defaultName: string;
    const fileUri = source instanceof vscode.Uri ? source : source === undefined ? activeTraceFile() : undefined;
    if (fileUri) {
      bytes = await vscode.workspace.fs.readFile(fileUri);
      title = path.basename(fileUri.path);
      defaultName = title.replace(/\.ystrace$/i, '') + '.trace.json';
    } else {
      const recording = await this.pick(typeof source === 'string' ? source : undefined, 'The recording to export');
      if (!recording) return;
      bytes = recording.snapshot().bytes;
      title = recording.title;
      defaultName = traceFileName(recording.header).replace(/\.ystrace$/, '.trace.json');
    }
    const check = checkTraceFile(bytes, title);
    if (check.kind === 'unreadable') {
      void vscode.window.showErrorMessage(`Yieldscope: ${check.message}`);
      return;
    }
    const target = await vscode.window.showSaveDialog({
      defaultUri: this.defaultUri(defaultName),
      filters: { 'Chrome Trace Event JSON': ['json'] },
      saveLabel: 'Export',
      title: `Export ${title} for Perfetto`,
    });
    if (!target) return;
    const text = chromeTraceText(bytes);
    await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(text));
    this.ctx.log.info(`exported ${title} to ${target.toString(true)}`);
    void vscode.window.showInformationMessage(
      `Yieldscope: exported ${title} to ${path.basename(target.path)}. Open it in Perfetto (ui.perfetto.dev) or chrome://tracing.`,
    );
  }

  private async pick(id: string | undefined, placeHolder: string): Promise<TraceRecording | undefined> {
    const list = this.ctx.recordings.list();
    if (id !== undefined) return this.ctx.recordings.get(id);
    if (list.length === 0) {
      void vscode.window.showInformationMessage('Yieldscope: there is no recording yet.');
      return undefined;
    }
    if (list.length === 1) return list[0];
    const current = this.ctx.currentRecording();
    const items = [...list].reverse().map((r) => ({
      label: r.title,
      description: r === current ? 'shown in the Coroutines view' : r.isRunning ? 'running' : '',
      recording: r,
    }));
    if (current) items.sort((a, b) => Number(b.recording === current) - Number(a.recording === current));
    return (await vscode.window.showQuickPick(items, { placeHolder }))?.recording;
  }

  private defaultUri(name: string): vscode.Uri | undefined {
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
    return folder ? vscode.Uri.joinPath(folder, name) : undefined;
  }
}

function activeTraceFile(): vscode.Uri | undefined {
  const tab = vscode.window.tabGroups.activeTabGroup.activeTab;
  const input = tab?.input;
  return input instanceof vscode.TabInputCustom && input.viewType === TRACE_EDITOR_VIEW_TYPE ? input.uri : undefined;
}
