// The webview panel host: builds the panel (scripts on, resources only from dist/webview and media, a fresh
// nonce per document), connects it to a `PanelSession` (which holds the ready → snapshot → batches → resync
// conversation), and opens source files the view asks for. `VisualizerPanels` owns the panels and the
// serializer that brings a panel back after a window reload. The trace file editor (traceEditor.ts) hosts its
// webview with the same `VisualizerPanel`, over the one recording its file holds.

import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import type { HostMessage, ViewOpenSource } from '../protocol/messages';
import { webviewHtml } from '../../webview/shell';
import { Disposable, Emitter } from './dispose';
import type { Logger } from './log';
import { PanelSession } from './panelSession';
import type { Recordings } from './recordings';
import type { RecordingSource } from './traceRecording';
import { showSourceLocation } from './editorLocation';

export const VIEW_TYPE = 'yieldscope.visualizer';
const TITLE = 'Yieldscope';

function webviewOptions(extensionUri: vscode.Uri): vscode.WebviewOptions {
  return {
    enableScripts: true,
    enableCommandUris: false,
    localResourceRoots: [
      vscode.Uri.joinPath(extensionUri, 'dist', 'webview'),
      vscode.Uri.joinPath(extensionUri, 'media'),
    ],
  };
}

export class VisualizerPanel extends Disposable {
  private readonly _onDidDispose = new Emitter<void>();
  readonly onDidDispose = this._onDidDispose.event;
  private readonly session: PanelSession;

  constructor(
    readonly panel: vscode.WebviewPanel,
    private readonly extensionUri: vscode.Uri,
    recordings: RecordingSource,
    private readonly log: Logger,
  ) {
    super();
    panel.webview.options = webviewOptions(extensionUri);
    panel.iconPath = vscode.Uri.joinPath(extensionUri, 'media', 'icon.png');
    panel.webview.html = this.html();
    const session = (this.session = this._register(
      new PanelSession(recordings, { post: (m) => this.post(m) }, log, (request) => this.openSource(request)),
    ));
    this._register(panel.onDidDispose(() => this.dispose()));
    this._register(panel.webview.onDidReceiveMessage((message: unknown) => session.receive(message)));
    // Without retainContextWhenHidden a hidden view loses its document; it says 'ready' again when shown.
    this._register(
      panel.onDidChangeViewState(() => {
        if (!panel.visible) session.viewLost();
      }),
    );
  }

  /** Makes the view show this recording (a debugger paused its program). */
  focus(recordingId: string): void {
    this.session.focus(recordingId);
  }

  override dispose(): void {
    if (this.isDisposed) return;
    super.dispose();
    this.panel.dispose();
    this._onDidDispose.fire();
    this._onDidDispose.dispose();
  }

  private html(): string {
    const webview = this.panel.webview;
    const asset = (file: string): string =>
      webview.asWebviewUri(vscode.Uri.joinPath(this.extensionUri, 'dist', 'webview', file)).toString();
    try {
      return webviewHtml({
        cspSource: webview.cspSource,
        nonce: randomBytes(18).toString('base64'),
        scriptUri: asset('main.js'),
        styleUri: asset('main.css'),
        title: TITLE,
      });
    } catch (e) {
      this.log.error(`could not build the visualizer page: ${String(e)}`);
      return `<!DOCTYPE html><html><head><meta http-equiv="Content-Security-Policy" content="default-src 'none'"></head><body><p>The Yieldscope view could not start; see the Yieldscope output for details.</p></body></html>`;
    }
  }

  private post(message: HostMessage): void {
    this.panel.webview.postMessage(message).then(
      (delivered) => {
        // An undelivered batch shows up as a gap in the numbers; the view then asks for a resync.
        if (!delivered) this.log.info(`a '${message.type}' message did not reach the view`);
      },
      (e: unknown) => this.log.warn(`could not post '${message.type}' to the view: ${String(e)}`),
    );
  }

  /** Opens the file at the position, if it is a local file that exists. Nothing from the message is run. */
  private async openSource(message: ViewOpenSource): Promise<void> {
    await showSourceLocation(message, this.editorColumn(), this.log);
  }

  /** A column already showing a text editor other than the panel's own, else the one beside the panel. */
  private editorColumn(): vscode.ViewColumn {
    const panelColumn = this.panel.viewColumn;
    const other = vscode.window.visibleTextEditors.find(
      (e) => e.viewColumn !== undefined && e.viewColumn !== panelColumn,
    );
    return other?.viewColumn ?? vscode.ViewColumn.Beside;
  }
}

/** Owns the visualizer panels: shows the panel, and restores one after a window reload. */
export class VisualizerPanels extends Disposable {
  private readonly panels = new Set<VisualizerPanel>();

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly recordings: Recordings,
    private readonly log: Logger,
  ) {
    super();
    this._register(
      vscode.window.registerWebviewPanelSerializer(VIEW_TYPE, {
        deserializeWebviewPanel: async (panel: vscode.WebviewPanel) => {
          // The host restarted with the window: recordings that survived are in `recordings` (usually none).
          this.log.info('restoring the visualizer panel');
          this.adopt(panel);
        },
      }),
    );
  }

  /** True while a panel exists (shown or not). */
  get hasPanel(): boolean {
    return this.panels.size > 0;
  }

  /** Makes every panel show this recording, without revealing them. */
  focus(recordingId: string): void {
    for (const p of this.panels) p.focus(recordingId);
  }

  /** Reveals the panel, creating it beside the editor when there is none. */
  show(preserveFocus: boolean): void {
    const existing = [...this.panels].at(-1);
    if (existing) {
      existing.panel.reveal(undefined, preserveFocus);
      return;
    }
    const panel = vscode.window.createWebviewPanel(
      VIEW_TYPE,
      TITLE,
      { viewColumn: vscode.ViewColumn.Beside, preserveFocus },
      { ...webviewOptions(this.extensionUri), retainContextWhenHidden: false, enableFindWidget: false },
    );
    this.adopt(panel);
  }

  override dispose(): void {
    for (const p of [...this.panels]) p.dispose();
    super.dispose();
  }

  private adopt(panel: vscode.WebviewPanel): void {
    const host = new VisualizerPanel(panel, this.extensionUri, this.recordings, this.log);
    this.panels.add(host);
    host.onDidDispose(() => this.panels.delete(host));
  }
}
